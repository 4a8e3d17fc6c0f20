"""The demo plans, loaded once for the module inside a transaction that is rolled back at
its end (as Django's ``TestCase.setUpTestData`` does); each test runs in a savepoint."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction

from commissioning.demo import load_demo_plans
from commissioning.models import (
    Action,
    Chapter,
    HighImpactAction,
    NationalCommitment,
    Plan,
    PlanVersion,
    ProgressReport,
    Trajectory,
    TrajectoryPoint,
)
from commissioning.national_frame import load_national_frame
from commissioning.services import plan_create, plan_version_actions, plan_version_changes, plan_version_submit
from practices.models import Cluster, Role
from tests.factories import CCGFactory, ClusterFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
AS_AT = dt.date(2018, 9, 30)


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Four of the six demo plan CCGs, some of their clusters, people to write the reports, then one load.

    Durham Dales, Easington and Sedgefield (00D) and South Norfolk (06Y) are not loaded.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_national_frame(Chapter, NationalCommitment, HighImpactAction)
        luton = CCGFactory(ods_code="06P", name="NHS Luton CCG")
        wolverhampton = CCGFactory(ods_code="06A", name="NHS Wolverhampton CCG")
        CCGFactory(ods_code="00J", name="NHS North Durham CCG")
        CCGFactory(ods_code="06V", name="NHS North Norfolk CCG")
        for name in ("Luton North", "Luton West"):
            ClusterFactory(ccg=luton, name=name)
        ClusterFactory(ccg=wolverhampton, name="Primary Care Home 1", kind=Cluster.Kind.PRIMARY_CARE_HOME)
        ClusterFactory(ccg=wolverhampton, name="Medical Chambers", kind=Cluster.Kind.PRACTICE_GROUP)
        RoleFactory(user=UserFactory(username="alice"), kind=Role.Kind.COMMISSIONER, ccg=luton)
        RoleFactory(user=UserFactory(username="erin"), kind=Role.Kind.COMMISSIONER, ccg=wolverhampton)
        RoleFactory(user=UserFactory(username="root"), kind=Role.Kind.ADMINISTRATOR, ccg=None)

        yield load_demo_plans()

        transaction.set_rollback(True)


def _plan(ods_code):
    return Plan.objects.get(ccg__ods_code=ods_code, first_year=2017, last_year=2018)


def _history_rows():
    return {m.__name__: m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical")}


def test_plans_are_created_for_the_loaded_ccgs_and_the_others_skipped(counts):
    assert counts["plans"] == 4
    assert counts["ccgs_not_loaded"] == 2
    assert set(Plan.objects.values_list("ccg__ods_code", flat=True)) == {"06P", "06A", "00J", "06V"}
    assert set(Plan.objects.values_list("title", flat=True)) == {"GP Forward View plan"}


def test_wolverhampton_has_85_actions_over_the_five_chapters_with_their_present_status_mix(counts):
    actions = _plan("06A").actions.all()

    assert actions.count() == 85
    assert set(actions.values_list("chapter__code", flat=True)) == {
        "investment",
        "workforce",
        "workload",
        "infrastructure",
        "care-redesign",
    }
    assert Counter(actions.values_list("status", flat=True)) == {
        Action.Status.ACHIEVED: 38,
        Action.Status.IN_PROGRESS: 32,
        Action.Status.NOT_STARTED: 11,
        Action.Status.ON_HOLD: 4,
    }
    overdue_then = actions.overdue(on=AS_AT)
    assert overdue_then.count() == 3
    assert set(overdue_then.values_list("rag", flat=True)) == {Action.RAG.RED}
    assert not actions.filter(task_group__isnull=True).exists()
    assert set(actions.values_list("task_group__name", flat=True)) == {
        "Investment and Finance",
        "Workforce",
        "Workload",
        "Infrastructure",
        "Care Redesign",
    }


def test_wolverhampton_actions_link_commitments_high_impact_actions_and_loaded_clusters(counts):
    plan = _plan("06A")
    care_navigation = plan.actions.get(title="Care navigation training for reception staff")
    pharmacist = plan.actions.get(title="Primary Care Home 1 shared clinical pharmacist")
    second_home = plan.actions.get(title="Primary Care Home 2 shared clinical pharmacist")

    assert [h.number for h in care_navigation.high_impact_actions.all()] == [1]
    assert [c.code for c in care_navigation.commitments.all()] == ["practice-staff-training"]
    assert [c.name for c in pharmacist.clusters.all()] == ["Primary Care Home 1"]
    assert not second_home.clusters.exists()  # Primary Care Home 2 is not loaded in this test


def test_wolverhampton_version_1_is_approved_and_version_2_is_a_draft_with_changes(counts):
    plan = _plan("06A")
    approved, draft = plan.versions.order_by("number")

    assert approved.status == PlanVersion.Status.APPROVED
    assert approved.approving_committee == "Primary Care Commissioning Committee"
    assert approved.approved_on.year == 2017 and approved.minute_reference
    assert draft.number == 2 and draft.status == PlanVersion.Status.DRAFT
    assert len(plan_version_actions(version=approved)) == 84

    changes = plan_version_changes(old=approved, new=draft)
    assert [a.local_code for a in changes.added] == ["WF27"]
    assert changes.removed == []
    changed = {action.local_code: {name for name, _, _ in diffs} for action, diffs in changes.changed}
    assert changed == {
        "INF01": {"title"},
        "INF02": {"due_date", "rag", "rag_reason"},
        "WF02": {"status"},
        "WF15": {"status", "rag"},
    }


def test_luton_extended_access_reaches_50_percent_in_2017_18_q4_and_100_percent_in_2018_19_q4(counts):
    plan = _plan("06P")
    trajectory = Trajectory.objects.get(action__plan=plan, measure="Extended access coverage")
    points = {p.period: p for p in trajectory.points.all()}

    assert points[dt.date(2018, 1, 1)].planned == Decimal("50")
    assert points[dt.date(2019, 1, 1)].planned == Decimal("100")
    assert points[dt.date(2017, 4, 1)].actual_source == TrajectoryPoint.Source.TYPED
    assert all(p.actual is None for period, p in points.items() if period > AS_AT)
    assert plan.current_version.status == PlanVersion.Status.APPROVED


def test_luton_actions_attach_to_the_clusters_that_are_loaded(counts):
    extended_access = _plan("06P").actions.get(local_code="PC01")

    assert set(extended_access.clusters.values_list("name", flat=True)) == {"Luton North", "Luton West"}
    assert extended_access.strategy_reference == "Objective 1.3 - page 22"
    assert _plan("06P").actions.filter(local_code="PC01/06").exists()


def test_every_risk_has_a_score_history_dated_at_its_reviews(counts):
    for plan in Plan.objects.all():
        assert plan.risks.count() >= 4
        for risk in plan.risks.all():
            history = risk.history.order_by("history_date")
            assert history.count() > 1
            assert {h.history_date.year for h in history} <= {2017, 2018}
            assert len({h.likelihood * h.impact for h in history}) > 1


def test_task_groups_report_for_two_to_four_quarters_by_the_ccgs_commissioner_or_an_administrator(counts):
    for plan in Plan.objects.all():
        for group in plan.ccg.task_groups.all():
            assert 2 <= group.progress_reports.filter(plan=plan).count() <= 4
    reports = ProgressReport.objects.select_related("plan__ccg", "author")
    authors = {report.plan.ccg.ods_code: report.author.username for report in reports}
    assert authors == {"06P": "alice", "06A": "erin", "00J": "root", "06V": "root"}


def test_a_second_run_creates_nothing_and_adds_no_history(counts):
    history = _history_rows()

    again = load_demo_plans()

    assert {key: value for key, value in again.items() if value} == {"ccgs_not_loaded": 2}
    assert _history_rows() == history
    assert PlanVersion.objects.count() == 5


def test_a_ccg_loaded_later_gets_its_plan_on_the_next_run(counts):
    CCGFactory(ods_code="06Y", name="NHS South Norfolk CCG")

    again = load_demo_plans()

    assert again["plans"] == 1 and again["ccgs_not_loaded"] == 1
    funding = _plan("06Y").actions.get(local_code="INV01")
    assert "£710,000" in funding.description
    assert "172,083 patients x £3 = £516,249" in _plan("06V").actions.get(local_code="INV01").description


def test_a_plan_already_submitted_for_approval_gets_no_new_content_but_its_reports(counts):
    south_norfolk = CCGFactory(ods_code="06Y", name="NHS South Norfolk CCG")
    plan = plan_create(ccg=south_norfolk, title="GP Forward View plan", first_year=2017, last_year=2018)
    plan_version_submit(version=plan.current_version, user=None)
    sarah = UserFactory(username="sarah")

    again = load_demo_plans(user=sarah)

    assert (again["plans"], again["plan_versions"], again["actions"], again["risks"]) == (0, 0, 0, 0)
    assert plan.versions.get().status == PlanVersion.Status.SUBMITTED
    assert not plan.actions.exists()
    assert set(plan.progress_reports.values_list("author__username", flat=True)) == {"sarah"}


def test_wolverhampton_project_added_after_approval_is_in_the_plan_from_february_2018(counts):
    actions = _plan("06A").actions.all()
    assert actions.as_at(dt.date(2018, 1, 31)).count() == 84
    assert actions.as_at(dt.date(2018, 4, 30)).count() == 85
    assert actions.as_at(AS_AT).count() == 85
    assert all(a.status_changes.exists() for a in actions)
