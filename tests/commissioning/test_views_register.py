import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Milestone, PlanVersion, ProgressReport, Risk, Trajectory, TrajectoryPoint
from commissioning.services import plan_version_submit

from .factories import ActionFactory, PlanFactory, RiskFactory, TaskGroupFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def luton_plan(luton):
    return PlanFactory(ccg=luton)


@pytest.fixture
def action(luton_plan):
    return ActionFactory(plan=luton_plan, local_code="PC01", title="Extended access hubs")


@pytest.fixture
def risk(luton_plan, action):
    risk = RiskFactory(plan=luton_plan, reference="R01", likelihood=3, impact=4)
    risk.actions.set([action])
    return risk


@pytest.fixture
def milestone(action):
    return Milestone.objects.create(action=action, title="Hub open", due_date=dt.date(2018, 10, 1))


@pytest.fixture
def trajectory(action):
    return TrajectoryFactory(action=action, measure="Extended access coverage")


def as_user(client, user):
    client.force_login(user)
    return client


def risk_data(**overrides):
    data = {
        "reference": "R02",
        "description": "Estates work delays the hubs",
        "owner": "Head of Estates",
        "likelihood": "2",
        "impact": "3",
        "mitigations": "Monthly estates meeting",
        "status": "open",
    }
    data.update(overrides)
    return data


def edit_data(response, **fields):
    """What the edit form shows, with ``fields`` typed over it; keeps the version the form carried."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    data.update(fields)
    return data


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Who may open what


def view_urls(plan, risk, action, milestone, trajectory):
    return {
        "risk_list": reverse("commissioning:risk_list", args=[plan.pk]),
        "risk_create": reverse("commissioning:risk_create", args=[plan.pk]),
        "risk_detail": reverse("commissioning:risk_detail", args=[risk.pk]),
        "risk_update": reverse("commissioning:risk_update", args=[risk.pk]),
        "progress_list": reverse("commissioning:progress_list", args=[plan.pk]),
        "progress_create": reverse("commissioning:progress_create", args=[plan.pk]),
        "milestone_create": reverse("commissioning:milestone_create", args=[action.pk]),
        "milestone_update": reverse("commissioning:milestone_update", args=[milestone.pk]),
        "trajectory_create": reverse("commissioning:trajectory_create", args=[action.pk]),
        "trajectory_detail": reverse("commissioning:trajectory_detail", args=[trajectory.pk]),
        "trajectory_update": reverse("commissioning:trajectory_update", args=[trajectory.pk]),
    }


READ_PAGES = {"risk_list", "risk_detail", "progress_list", "trajectory_detail"}


@pytest.fixture
def urls(luton_plan, risk, action, milestone, trajectory):
    return view_urls(luton_plan, risk, action, milestone, trajectory)


def test_anonymous_visitor_is_sent_to_sign_in(client, urls):
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name


@pytest.mark.parametrize("person", ["erin", "dave", "bob"])
def test_people_outside_the_plan_get_not_found_for_every_page(client, urls, person, request):
    as_user(client, request.getfixturevalue(person))
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name
        if name not in READ_PAGES:
            assert client.post(url, risk_data(title="x", measure="x")).status_code == 404, name
    assert Risk.objects.count() == 1


def test_practice_manager_reads_the_trajectory_of_an_action_naming_their_practice_but_cannot_change_it(
    client, bob, urls, action, luton_practice
):
    action.practices.set([luton_practice])
    as_user(client, bob)
    assert client.get(urls["trajectory_detail"]).status_code == 200
    for name in ("milestone_create", "milestone_update", "trajectory_create", "trajectory_update"):
        assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls[name], {"title": "x", "measure": "x"}).status_code == 403, name
    for name in ("risk_list", "risk_detail", "progress_list"):
        assert client.get(urls[name]).status_code == 404, name


def test_governing_body_reads_the_register_but_cannot_change_it(client, carol, urls, risk):
    as_user(client, carol)
    for name, url in urls.items():
        expected = 200 if name in READ_PAGES else 403
        assert client.get(url).status_code == expected, name
        if name not in READ_PAGES:
            assert client.post(url, risk_data(reference="R09", title="x", measure="x")).status_code == 403, name
    risk.refresh_from_db()
    assert (risk.reference, Risk.objects.count(), Milestone.objects.count()) == ("R01", 1, 1)
    page = client.get(urls["risk_list"])
    assert "Add a risk" not in page.content.decode()


def test_commissioner_opens_every_page(client, alice, urls):
    as_user(client, alice)
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name


# Risk register


def test_commissioner_adds_a_risk_threatening_an_action(client, alice, luton_plan, action):
    as_user(client, alice)
    response = client.post(
        reverse("commissioning:risk_create", args=[luton_plan.pk]), risk_data(reference="r02", actions=[action.pk])
    )
    risk = Risk.objects.get(plan=luton_plan, reference="R02")
    assert response.status_code == 302
    assert response.url == reverse("commissioning:risk_detail", args=[risk.pk])
    assert list(risk.actions.all()) == [action]
    assert risk.history.first().history_user == alice


def test_risk_form_errors_keep_the_typed_values(client, alice, luton_plan, risk):
    as_user(client, alice)
    url = reverse("commissioning:risk_create", args=[luton_plan.pk])
    response = client.post(url, risk_data(reference="R01", owner="", description="Locum costs rise sharply"))
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "The register already has a risk R01" in page
    assert "Locum costs rise sharply" in page
    assert Risk.objects.count() == 1


def test_threatened_actions_are_limited_to_the_same_plan(client, alice, luton, luton_plan):
    other_plan = PlanFactory(ccg=luton, first_year=2019, last_year=2020)
    elsewhere = ActionFactory(plan=other_plan)
    as_user(client, alice)
    url = reverse("commissioning:risk_create", args=[luton_plan.pk])
    assert elsewhere.local_code not in client.get(url).content.decode()
    response = client.post(url, risk_data(actions=[elsewhere.pk]))
    assert response.status_code == 200
    assert not Risk.objects.exists()


def test_submitted_plan_refuses_a_risk_edit_with_a_message_and_saves_nothing(client, alice, luton_plan, risk):
    as_user(client, alice)
    url = reverse("commissioning:risk_update", args=[risk.pk])
    data = edit_data(client.get(url), likelihood="5", mitigations="Typed while the plan was submitted")
    plan_version_submit(version=luton_plan.current_version, user=alice)
    history_before = risk.history.count()

    response = client.post(url, data)

    assert response.status_code == 200
    page = text_of(response)
    assert "has been submitted for approval and cannot be changed" in page
    assert "Typed while the plan was submitted" in page
    risk.refresh_from_db()
    assert (risk.likelihood, risk.mitigations) == (3, "")
    assert risk.history.count() == history_before
    assert luton_plan.versions.get().status == PlanVersion.Status.SUBMITTED


def test_risk_edit_after_someone_else_saved_is_refused(client, alice, risk):
    as_user(client, alice)
    url = reverse("commissioning:risk_update", args=[risk.pk])
    data = edit_data(client.get(url), owner="Typed by alice")
    Risk.objects.filter(pk=risk.pk).update()  # no history
    risk.owner = "Changed meanwhile"
    risk.save()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else" in response.content.decode()
    risk.refresh_from_db()
    assert risk.owner == "Changed meanwhile"


def test_score_history_lists_each_change_of_score(client, alice, luton_plan):
    as_user(client, alice)
    client.post(reverse("commissioning:risk_create", args=[luton_plan.pk]), risk_data(likelihood="2", impact="2"))
    risk = Risk.objects.get()
    url = reverse("commissioning:risk_update", args=[risk.pk])
    for fields in ({"likelihood": "4"}, {"mitigations": "No change of score"}, {"impact": "5"}):
        assert client.post(url, edit_data(client.get(url), **fields)).status_code == 302

    response = client.get(reverse("commissioning:risk_detail", args=[risk.pk]))

    history = response.context["score_history"]
    assert [(p.likelihood, p.impact, p.score, p.grade, p.who) for p in history] == [
        (4, 5, 20, "extreme", str(alice)),
        (4, 2, 8, "high", str(alice)),
        (2, 2, 4, "moderate", str(alice)),
    ]
    table = text_of(response).split('id="score-history"')[1].split("</table>")[0]
    assert table.count('<tr class="nhsuk-table__row">') == 4  # the header and three changes
    assert "Extreme" in table and "Moderate" in table
    assert 'data-chart="risk-score-chart-data"' in response.content.decode()


def test_risk_list_sorts_by_score_and_shows_grades_in_words(
    client, alice, luton_plan, action, django_assert_max_num_queries
):
    RiskFactory(plan=luton_plan, reference="R01", likelihood=1, impact=2)
    RiskFactory(plan=luton_plan, reference="R02", likelihood=5, impact=5)
    for n in range(3, 13):
        RiskFactory(plan=luton_plan, reference=f"R{n:02d}", likelihood=2, impact=4).actions.set([action])
    as_user(client, alice)
    url = reverse("commissioning:risk_list", args=[luton_plan.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    rows = [r.reference for r in response.context["table"].page.object_list.data]
    assert rows[0] == "R02" and rows[-1] == "R01"
    page = response.content.decode()
    assert ">Extreme</strong>" in page and ">Low</strong>" in page
    assert f'href="{action.get_absolute_url()}"' in page


def test_risk_list_filters_by_grade_and_status(client, alice, luton_plan):
    RiskFactory(plan=luton_plan, reference="R01", likelihood=1, impact=2)
    RiskFactory(plan=luton_plan, reference="R02", likelihood=5, impact=5)
    RiskFactory(plan=luton_plan, reference="R03", likelihood=4, impact=4, status=Risk.Status.CLOSED)
    as_user(client, alice)
    url = reverse("commissioning:risk_list", args=[luton_plan.pk])

    def shown(**query):
        return {r.reference for r in client.get(url, query).context["table"].data}

    assert shown(grade="extreme") == {"R02", "R03"}
    assert shown(grade="extreme", status="open") == {"R02"}
    assert shown(status="closed") == {"R03"}
    assert shown(grade="low") == {"R01"}


def test_matrix_counts_open_risks_in_each_cell(client, alice, luton_plan, wolverhampton):
    RiskFactory(plan=luton_plan, likelihood=3, impact=4)
    RiskFactory(plan=luton_plan, likelihood=3, impact=4)
    RiskFactory(plan=luton_plan, likelihood=5, impact=5)
    RiskFactory(plan=luton_plan, likelihood=1, impact=1, status=Risk.Status.CLOSED)
    RiskFactory(plan=PlanFactory(ccg=wolverhampton), likelihood=3, impact=4)
    as_user(client, alice)

    response = client.get(reverse("commissioning:risk_list", args=[luton_plan.pk]))

    counts = {(c.likelihood, c.impact): c.count for _label, cells in response.context["matrix"] for c in cells}
    assert len(counts) == 25
    assert counts[(3, 4)] == 2 and counts[(5, 5)] == 1 and counts[(1, 1)] == 0
    assert sum(counts.values()) == 3
    matrix = text_of(response).split('id="risk-matrix"')[1].split("</table>")[0]
    assert '<th class="nhsuk-table__header" scope="col">4 Major</th>' in matrix
    assert '<th scope="row" class="nhsuk-table__header nhsuk-u-text-align-left">3 Possible</th>' in matrix
    cell = matrix.split('data-likelihood="3" data-impact="4">')[1].split("</td>")[0]
    assert "2</span>" in cell and "open risks" in cell and "Score 12, High" in cell


# Progress reports


def progress_data(subject, period="quarterly:2018-04-01", **overrides):
    kind = "group" if subject.__class__.__name__ == "TaskAndFinishGroup" else "action"
    data = {
        "about": f"{kind}-{subject.pk}",
        "period_choice": period,
        "progress_made": "Two hubs opened",
        "next_steps": "Open the third hub",
    }
    data.update(overrides)
    return data


def test_lead_writes_a_progress_report_on_a_group_with_a_period_label(client, alice, luton, luton_plan):
    group = TaskGroupFactory(ccg=luton, name="Workforce group")
    as_user(client, alice)
    url = reverse("commissioning:progress_create", args=[luton_plan.pk])
    assert "2018/19 Q1" in client.get(url).content.decode()

    response = client.post(url, progress_data(group))

    report = ProgressReport.objects.get()
    assert (report.task_group, report.action, report.period) == (group, None, dt.date(2018, 4, 1))
    assert (report.frequency, report.author) == ("quarterly", alice)
    assert response.status_code == 302
    assert response.url.startswith(reverse("commissioning:progress_list", args=[luton_plan.pk]))


def test_second_report_for_the_same_action_and_period_is_a_form_error(client, alice, luton_plan, action):
    as_user(client, alice)
    url = reverse("commissioning:progress_create", args=[luton_plan.pk])
    client.post(url, progress_data(action))

    response = client.post(url, progress_data(action, progress_made="A second go at Q1"))

    assert response.status_code == 200
    page = text_of(response)
    assert "There is already a progress report on PC01 Extended access hubs for 2018/19 Q1" in page
    assert "A second go at Q1" in page
    assert ProgressReport.objects.count() == 1


def test_progress_reports_of_a_submitted_plan_are_refused(client, alice, luton_plan, action):
    plan_version_submit(version=luton_plan.current_version, user=alice)
    as_user(client, alice)
    response = client.post(reverse("commissioning:progress_create", args=[luton_plan.pk]), progress_data(action))
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_progress_page_shows_groups_and_actions_side_by_side_over_four_quarters(
    client, alice, luton, luton_plan, action, django_assert_max_num_queries
):
    group = TaskGroupFactory(ccg=luton, name="Workforce group")
    periods = [dt.date(2017, 10, 1), dt.date(2018, 1, 1), dt.date(2018, 4, 1), dt.date(2018, 7, 1)]
    for n, period in enumerate(periods):
        ProgressReport.objects.create(
            plan=luton_plan, task_group=group, period=period, progress_made=f"Group progress {n}", author=alice
        )
    ProgressReport.objects.create(
        plan=luton_plan, action=action, period=dt.date(2018, 4, 1), progress_made="Hub progress",
        next_steps="Recruit receptionists", author=alice,
    )  # fmt: skip
    for n in range(5):
        extra = ActionFactory(plan=luton_plan, local_code=f"PC1{n}")
        ProgressReport.objects.create(
            plan=luton_plan, action=extra, period=periods[n % 4], progress_made="x", author=alice
        )
    as_user(client, alice)
    url = reverse("commissioning:progress_list", args=[luton_plan.pk])

    with django_assert_max_num_queries(14):
        response = client.get(url)

    assert [p.label for p in response.context["periods"]] == ["2017/18 Q3", "2017/18 Q4", "2018/19 Q1", "2018/19 Q2"]
    rows = {str(row.subject): row for row in response.context["rows"]}
    assert [r and r.progress_made for r in rows["Workforce group"].reports] == [f"Group progress {n}" for n in range(4)]
    assert [r and r.progress_made for r in rows[str(action)].reports] == [None, None, "Hub progress", None]
    page = text_of(response)
    assert "Recruit receptionists" in page and "No report" in page

    response = client.get(url, {"frequency": "quarterly", "last": "quarterly:2018-01-01", "count": "2"})
    assert [p.label for p in response.context["periods"]] == ["2017/18 Q3", "2017/18 Q4"]


# Milestones


def test_commissioner_adds_and_edits_a_milestone(client, alice, action):
    as_user(client, alice)
    response = client.post(
        reverse("commissioning:milestone_create", args=[action.pk]), {"title": "Hub open", "due_date": "2018-10-01"}
    )
    assert response.status_code == 302
    assert response.url == action.get_absolute_url()
    milestone = Milestone.objects.get()
    url = reverse("commissioning:milestone_update", args=[milestone.pk])
    response = client.post(url, edit_data(client.get(url), completed_on="2018-09-28"))
    milestone.refresh_from_db()
    assert milestone.completed_on == dt.date(2018, 9, 28)


def test_milestone_form_errors_keep_the_typed_title(client, alice, action):
    as_user(client, alice)
    response = client.post(
        reverse("commissioning:milestone_create", args=[action.pk]), {"title": "Business case agreed", "due_date": ""}
    )
    assert response.status_code == 200
    assert "Business case agreed" in response.content.decode()
    assert not Milestone.objects.exists()


def test_milestones_partial_marks_an_overdue_milestone_in_words(action):
    today = timezone.localdate()
    Milestone.objects.create(action=action, title="Late one", due_date=today - dt.timedelta(days=1))
    Milestone.objects.create(action=action, title="Done one", due_date=today - dt.timedelta(days=9), completed_on=today)
    Milestone.objects.create(action=action, title="Future one", due_date=today + dt.timedelta(days=30))
    html = render_to_string(
        "commissioning/_milestones.html", {"action": action, "milestones": action.milestones.all(), "can_edit": False}
    )
    row_header = '<th class="nhsuk-table__header" scope="row">'
    rows = {row.split("</th>")[0].split(">")[-1]: row for row in re.sub(r"\s+", " ", html).split(row_header)[1:]}
    assert "Overdue" in rows["Late one"]
    assert "Overdue" not in rows["Done one"] and "Completed" in rows["Done one"]
    assert "Overdue" not in rows["Future one"] and "Not yet due" in rows["Future one"]
    assert "Add milestone" not in html
    assert "Add milestone" in render_to_string(
        "commissioning/_milestones.html", {"action": action, "milestones": [], "can_edit": True}
    )


# Trajectories


def points_data(response, rows: dict[str, tuple[str, str]], **extra):
    """The edit page's forms as shown, with planned and actual typed for the given periods."""
    data = edit_data(response)
    formset = response.context["formset"]
    data.update({f"points-{k}": v for k, v in formset.management_form.initial.items()})
    for form in formset.forms:
        period = form["period"].value()
        period = period.isoformat() if isinstance(period, dt.date) else period
        data[form.add_prefix("period")] = period
        if form.instance.pk:
            data[form.add_prefix("id")] = str(form.instance.pk)
        planned, actual = rows.get(period, (form["planned"].value() or "", form["actual"].value() or ""))
        data[form.add_prefix("planned")] = str(planned)
        data[form.add_prefix("actual")] = str(actual)
    data.update(extra)
    return data


def test_commissioner_adds_a_trajectory_then_its_values(client, alice, action):
    as_user(client, alice)
    response = client.post(
        reverse("commissioning:trajectory_create", args=[action.pk]),
        {"measure": "Extended access coverage", "unit": "percent", "higher_is_better": "on"},
    )
    trajectory = Trajectory.objects.get()
    assert response.url == reverse("commissioning:trajectory_update", args=[trajectory.pk])
    assert trajectory.action == action


def test_trajectory_formset_saves_planned_and_actual_and_the_variance_shows(client, alice, trajectory):
    as_user(client, alice)
    url = reverse("commissioning:trajectory_update", args=[trajectory.pk])
    page = client.get(url)
    assert len(page.context["formset"].forms) == 8  # a row for each quarter of 2017/18-2018/19

    response = client.post(
        url, points_data(page, {"2018-01-01": ("50", "55"), "2018-04-01": ("60", "52.5"), "2018-07-01": ("70", "")})
    )

    assert response.status_code == 302, response.context and response.context["formset"].errors
    points = {p.period: p for p in TrajectoryPoint.objects.filter(trajectory=trajectory)}
    assert set(points) == {dt.date(2018, 1, 1), dt.date(2018, 4, 1), dt.date(2018, 7, 1)}
    q4 = points[dt.date(2018, 1, 1)]
    assert (q4.planned, q4.actual, q4.actual_source) == (Decimal("50"), Decimal("55"), "typed")
    assert (points[dt.date(2018, 7, 1)].actual, points[dt.date(2018, 7, 1)].actual_source) == (None, "")

    detail = client.get(response.url)
    table = text_of(detail).split(f'id="trajectory-{trajectory.pk}"')[1].split("</table>")[0]
    q4_row = table.split("2017/18 Q4</th>")[1].split("</tr>")[0]
    assert "50%" in q4_row and "55%" in q4_row and "+5%" in q4_row and "Yes" in q4_row
    q1_row = table.split("2018/19 Q1</th>")[1].split("</tr>")[0]
    assert "52.50%" in q1_row and "−7.50%" in q1_row and "No" in q1_row
    assert "Not known yet" in table.split("2018/19 Q2</th>")[1].split("</tr>")[0]
    assert 'data-chart="trajectory-chart-data"' in detail.content.decode()


def test_an_actual_from_returns_keeps_its_source_until_retyped(client, alice, trajectory):
    point = TrajectoryPoint.objects.create(
        trajectory=trajectory, period=dt.date(2017, 4, 1), planned=10, actual=12, actual_source="return"
    )
    as_user(client, alice)
    url = reverse("commissioning:trajectory_update", args=[trajectory.pk])
    client.post(url, points_data(client.get(url), {"2017-04-01": ("11", "12.00")}))
    point.refresh_from_db()
    assert (point.planned, point.actual_source) == (Decimal("11"), "return")
    client.post(url, points_data(client.get(url), {"2017-04-01": ("11", "13")}))
    point.refresh_from_db()
    assert (point.actual, point.actual_source) == (Decimal("13"), "typed")


def test_trajectory_formset_errors_keep_typed_values_and_save_nothing(client, alice, trajectory):
    as_user(client, alice)
    url = reverse("commissioning:trajectory_update", args=[trajectory.pk])
    data = points_data(client.get(url), {"2018-01-01": ("abc", "")}, measure="Renamed measure")
    response = client.post(url, data)
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem with the values" in page
    assert 'value="abc"' in page and 'value="Renamed measure"' in page
    trajectory.refresh_from_db()
    assert trajectory.measure == "Extended access coverage"
    assert not TrajectoryPoint.objects.exists()


def test_trajectory_of_a_submitted_plan_is_not_changed(client, alice, luton_plan, trajectory):
    as_user(client, alice)
    url = reverse("commissioning:trajectory_update", args=[trajectory.pk])
    data = points_data(client.get(url), {"2018-01-01": ("50", "55")})
    plan_version_submit(version=luton_plan.current_version, user=alice)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    assert not TrajectoryPoint.objects.exists()


def test_trajectories_partial_shows_add_link_only_to_editors(action, trajectory):
    TrajectoryPoint.objects.create(trajectory=trajectory, period=dt.date(2017, 4, 1), planned=10)
    context = {"action": action, "trajectories": action.trajectories.prefetch_related("points"), "can_edit": False}
    html = render_to_string("commissioning/_trajectories.html", context)
    assert "Extended access coverage" in html and "10%" in html and "Not known yet" in html
    assert "Add trajectory" not in html
    assert "Add trajectory" in render_to_string("commissioning/_trajectories.html", {**context, "can_edit": True})


def test_the_same_quarter_twice_in_the_values_is_a_form_error(client, alice, trajectory):
    as_user(client, alice)
    url = reverse("commissioning:trajectory_update", args=[trajectory.pk])
    page = client.get(url)
    data = points_data(page, {"2017-04-01": ("10", ""), "2017-07-01": ("20", "")})
    data["points-1-period"] = "2017-04-01"  # the second row made to repeat the first quarter

    response = client.post(url, data)

    assert response.status_code == 200
    assert "There is a problem with the values" in response.content.decode()
    assert not TrajectoryPoint.objects.exists()
