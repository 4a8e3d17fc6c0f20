"""Every page of the portal, found in the URLconf: who may open it, and which object fills its URL.

``site_pages()`` walks the URLconf (``get_resolver``, through every include) and gives each
named pattern a ``SitePage``: the roles that open it (the others get a 403 or a 404) and the
seeded object behind each of its kwargs. ``seed_site()`` makes one set of Luton objects with
the project's factories, so that every page with kwargs opens on a real object. A pattern that
is no page (a POST-only step, a download, the JSON API) is in ``UNLINKED`` with why; the
coverage test (tests/test_site_pages.py) fails on a pattern that is in neither, so a new page
is crawled by the accessibility suite (tests/e2e/test_accessibility.py) from the day it lands.

Django's admin is skipped except the pages users reach: its index, and the changelist and
change form of each model users edit there (``ADMIN_PAGES``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from practices.models import Role, Site

COMMISSIONER, GOVERNING_BODY, PRACTICE_MANAGER, ADMINISTRATOR = (
    "commissioner", "governing_body", "practice_manager", "administrator",
)  # fmt: skip
ANONYMOUS = "anonymous"
ROLES = (COMMISSIONER, GOVERNING_BODY, PRACTICE_MANAGER, ADMINISTRATOR)
ALL = frozenset(ROLES)
CCG_STAFF = frozenset({COMMISSIONER, GOVERNING_BODY, ADMINISTRATOR})
EDITORS = frozenset({COMMISSIONER, ADMINISTRATOR})
PRACTICE_EDITORS = frozenset({COMMISSIONER, PRACTICE_MANAGER, ADMINISTRATOR})
ADMIN_ONLY = frozenset({ADMINISTRATOR})
MANAGERS = frozenset({PRACTICE_MANAGER, ADMINISTRATOR})
NOBODY_SIGNED_IN = frozenset({ANONYMOUS})
USERNAMES = {
    COMMISSIONER: "alice",
    GOVERNING_BODY: "carol",
    PRACTICE_MANAGER: "bob",
    ADMINISTRATOR: "root",
}

# Patterns no one crawls as a page, with why; each is covered by the tests named.
UNLINKED = {
    "logout": "POST only: signs out (tests/accounts/test_views.py)",
    "commissioning:version_step": "POST only: submits or returns a version (tests/commissioning/test_views_plans.py)",
    "commissioning:plan_export": "a CSV/XLSX download (tests/commissioning/test_export_as_at.py)",
    "commissioning:risk_export": "a CSV/XLSX download (tests/commissioning/test_views_register.py)",
    "commissioning:funding_summary_export": "a CSV/XLSX download (tests/commissioning/funding)",
    "commissioning:scheme_export": "a CSV/XLSX download (tests/commissioning/funding)",
    "commissioning:scheme_step": "POST only: a scheme's workflow step (tests/commissioning/funding)",
    "commissioning:ccg_payments_export": "a CSV/XLSX download (tests/commissioning/funding)",
    "commissioning:ccg_payments_years_export": "a CSV/XLSX download (tests/commissioning/funding)",
    "returns:collection_chase": "POST only: chases a collection (tests/returns/test_views.py)",
    "returns:return_template": "an XLSX download (tests/returns)",
    "returns:return_submit": "POST only: submits a return (tests/returns/test_views.py)",
    "returns:return_chase": "POST only: chases a return (tests/returns/test_views.py)",
    "estates:ccg_capacity_export": "a CSV/XLSX download (tests/estates/test_views.py)",
    "estates:capacity_refresh": "POST only: queues a capacity refresh (tests/estates/test_views.py)",
    "metrics:run_progress": "an HTML fragment polled by the run page (tests/metrics)",
    "quality:recompute": "POST only: queues a rescore (tests/quality)",
    "dashboards:ccg_csv": "a CSV download (tests/dashboards/test_views.py)",
    "dashboards:report_pdf": "a PDF download (tests/dashboards/test_pdf.py)",
    "dashboards:cluster_csv": "a CSV download (tests/dashboards/test_views.py)",
    "dashboards:practice_profile_csv": "a CSV download (tests/dashboards/test_profile.py)",
    "practices:practice_move_cluster": "POST only: moves a practice (tests/practices)",
    "api:*": "the JSON API and its schema (tests/api); api:token, its one HTML page, is crawled",
    "admin:*": "Django's admin internals; the pages users reach are in ADMIN_PAGES",
}

# Django admin pages that users reach: the index, and each model users edit there.
ADMIN_PAGES = {
    "admin:index": {},
    "admin:practices_practice_changelist": {},
    "admin:practices_practice_change": {"object_id": "practice"},
    "admin:commissioning_fundingstream_changelist": {},
    "admin:commissioning_fundingstream_change": {"object_id": "stream"},
    "admin:portal_outboxmessage_changelist": {},
}


@dataclass(frozen=True)
class SitePage:
    name: str  # namespaced URL name, "quality:contract_event_create"
    route: str
    roles: frozenset[str]
    objects: dict[str, str] = field(default_factory=dict)  # kwarg to the key of a seeded object
    query: str = ""

    @property
    def kwargs(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", self.route))

    def path(self, seeded: dict) -> str:
        kwargs = {}
        for kwarg in self.kwargs:
            key = self.objects.get(kwarg, KWARG_OBJECTS.get(kwarg))
            if key is None:
                raise LookupError(f"{self.name} ({self.route}) takes {kwarg!r}: say which seeded object fills it")
            value = seeded[key]
            kwargs[kwarg] = value if isinstance(value, str | int) else value.pk
        query = self.query.format(**{key: seeded[key].pk for key in re.findall(r"{(\w+)}", self.query)})
        return reverse(self.name, kwargs=kwargs) + query


# The seeded object a kwarg takes unless the page says otherwise.
KWARG_OBJECTS = {
    "ccg_pk": "ccg",
    "practice_pk": "practice",
    "cluster_pk": "cluster",
    "plan_pk": "plan",
    "action_pk": "action",
    "stream_pk": "stream",
    "site_pk": "site",
    "type_key": "type_key",
}

# name: (roles, {kwarg: seeded object}, query string)
PAGES: dict[str, tuple[frozenset, dict, str]] = {
    "login": (NOBODY_SIGNED_IN, {}, ""),
    "password_reset": (NOBODY_SIGNED_IN, {}, ""),
    "password_reset_done": (NOBODY_SIGNED_IN, {}, ""),
    "password_reset_confirm": (NOBODY_SIGNED_IN, {"uidb64": "uidb64", "token": "token"}, ""),
    "password_reset_complete": (NOBODY_SIGNED_IN, {}, ""),
    "password_change": (ALL, {}, ""),
    "password_change_done": (ALL, {}, ""),
    # commissioning
    "commissioning:plan_list": (ALL, {}, ""),
    "commissioning:plan_create": (EDITORS, {}, ""),
    "commissioning:plan_detail": (CCG_STAFF, {"pk": "plan"}, ""),
    "commissioning:version_approve": (EDITORS, {"pk": "submitted_version"}, ""),
    "commissioning:version_changes": (CCG_STAFF, {"pk": "submitted_version"}, ""),
    "commissioning:action_list": (CCG_STAFF, {}, ""),
    "commissioning:action_create": (EDITORS, {}, ""),
    "commissioning:plan_changes": (CCG_STAFF, {}, ""),
    "commissioning:alignment": (CCG_STAFF, {}, ""),
    "commissioning:tracker_import": (EDITORS, {}, ""),
    "commissioning:tracker_import_run": (EDITORS, {"pk": "tracker_import"}, ""),
    "commissioning:action_detail": (CCG_STAFF, {"pk": "action"}, ""),
    "commissioning:action_update": (EDITORS, {"pk": "action"}, ""),
    "commissioning:my_actions": (ALL, {}, ""),
    "commissioning:risk_list": (CCG_STAFF, {}, ""),
    "commissioning:risk_create": (EDITORS, {}, ""),
    "commissioning:risk_detail": (CCG_STAFF, {"pk": "risk"}, ""),
    "commissioning:risk_update": (EDITORS, {"pk": "risk"}, ""),
    "commissioning:progress_list": (CCG_STAFF, {}, ""),
    "commissioning:progress_create": (EDITORS, {}, ""),
    "commissioning:milestone_create": (EDITORS, {}, ""),
    "commissioning:milestone_update": (EDITORS, {"pk": "milestone"}, ""),
    "commissioning:trajectory_create": (EDITORS, {}, ""),
    "commissioning:trajectory_detail": (CCG_STAFF, {"pk": "trajectory"}, ""),
    "commissioning:trajectory_update": (EDITORS, {"pk": "trajectory"}, ""),
    "commissioning:funding_home": (ALL, {}, ""),
    "commissioning:funding_stream_list": (ALL, {}, ""),
    "commissioning:funding_stream_create": (ADMIN_ONLY, {}, ""),
    "commissioning:funding_stream_create_for_ccg": (EDITORS, {}, ""),
    "commissioning:funding_stream_detail": (CCG_STAFF, {"pk": "stream"}, ""),
    "commissioning:funding_stream_update": (EDITORS, {"pk": "stream"}, ""),
    "commissioning:funding_rate_create": (EDITORS, {}, ""),
    "commissioning:funding_rate_update": (EDITORS, {"pk": "rate"}, ""),
    "commissioning:funding_rule_create": (ADMIN_ONLY, {}, ""),
    "commissioning:funding_rule_create_for_ccg": (EDITORS, {}, ""),
    "commissioning:funding_rule_update": (EDITORS, {"pk": "rule"}, ""),
    "commissioning:funding_summary": (CCG_STAFF, {}, ""),
    "commissioning:allocation_create": (EDITORS, {}, ""),
    "commissioning:allocation_detail": (CCG_STAFF, {"pk": "allocation"}, ""),
    "commissioning:allocation_update": (EDITORS, {"pk": "allocation"}, ""),
    "commissioning:scheme_list": (ALL, {}, ""),
    "commissioning:scheme_create": (EDITORS, {}, ""),
    "commissioning:scheme_detail": (ALL, {"pk": "funding_scheme"}, ""),
    "commissioning:scheme_update": (EDITORS, {"pk": "funding_scheme"}, ""),
    "commissioning:scheme_decide": (EDITORS, {"pk": "funding_scheme_submitted"}, ""),
    "commissioning:scheme_spend": (EDITORS, {"pk": "funding_scheme_approved"}, ""),
    "commissioning:scheme_milestone_create": (EDITORS, {"pk": "funding_scheme"}, ""),
    "commissioning:scheme_milestone_update": (EDITORS, {"pk": "funding_scheme_milestone"}, ""),
    "commissioning:ccg_payments": (CCG_STAFF, {}, ""),
    "commissioning:ccg_payments_years": (CCG_STAFF, {}, ""),
    "commissioning:practice_payments": (ALL, {}, ""),
    # returns
    "returns:collection_list": (ALL, {}, ""),
    "returns:collection_create": (EDITORS, {"type_key": "type_key"}, ""),
    "returns:collection_detail": (EDITORS, {"pk": "collection"}, ""),
    "returns:my_returns": (ALL, {}, ""),
    "returns:return_detail": (PRACTICE_EDITORS, {"pk": "return"}, ""),
    "returns:return_edit": (MANAGERS, {"pk": "return"}, ""),
    "returns:return_upload": (MANAGERS, {"pk": "return"}, ""),
    "returns:return_review": (EDITORS, {"pk": "submitted_return"}, ""),
    "returns:revision_detail": (EDITORS, {"pk": "revision"}, ""),
    # access
    "access:index": (CCG_STAFF, {}, ""),
    "access:ccg_access": (CCG_STAFF, {"pk": "ccg"}, ""),
    # estates
    "estates:overview": (ALL, {}, ""),
    "estates:premises_list": (ALL, {}, ""),
    "estates:site_record_pick": (PRACTICE_EDITORS, {}, "?practice={practice}"),
    "estates:site_record": (PRACTICE_EDITORS, {}, ""),
    "estates:premises_detail": (ALL, {"site_pk": "premises_site"}, ""),
    "estates:premises_create": (PRACTICE_EDITORS, {}, ""),
    "estates:premises_update": (PRACTICE_EDITORS, {"site_pk": "premises_site"}, ""),
    "estates:occupancy_create": (PRACTICE_EDITORS, {"site_pk": "premises_site"}, ""),
    "estates:occupancy_update": (PRACTICE_EDITORS, {"pk": "occupancy"}, ""),
    "estates:capacity": (ALL, {}, ""),
    "estates:ccg_capacity": (CCG_STAFF, {}, ""),
    "estates:settings_update": (EDITORS, {}, ""),
    "estates:cluster_capacity": (CCG_STAFF, {}, ""),
    "estates:housing_create": (EDITORS, {}, ""),
    "estates:housing_update": (EDITORS, {"pk": "housing"}, ""),
    "estates:scheme_list": (ALL, {}, ""),
    "estates:scheme_create": (EDITORS, {}, "?ccg={ccg}"),
    "estates:scheme_detail": (CCG_STAFF, {"pk": "estates_scheme"}, ""),
    "estates:scheme_update": (EDITORS, {"pk": "estates_scheme"}, ""),
    "estates:scheme_status": (EDITORS, {"pk": "estates_scheme"}, ""),
    "estates:milestone_create": (EDITORS, {"pk": "estates_scheme"}, ""),
    "estates:milestone_update": (EDITORS, {"pk": "estates_milestone"}, ""),
    "estates:practice_it": (ALL, {}, ""),
    "estates:practice_it_update": (PRACTICE_EDITORS, {}, ""),
    "estates:digital_readiness": (CCG_STAFF, {}, ""),
    # metrics
    "metrics:definitions": (ALL, {}, ""),
    "metrics:recompute": (EDITORS, {}, ""),
    "metrics:run_detail": (EDITORS, {"pk": "recompute_run"}, ""),
    # api: its one HTML page
    "api:token": (ALL, {}, ""),
    # quality
    "quality:index": (ALL, {}, ""),
    "quality:register": (CCG_STAFF, {}, ""),
    "quality:scoring_rules": (CCG_STAFF, {}, ""),
    "quality:contract_event_list": (EDITORS, {}, ""),
    "quality:concern_list": (EDITORS, {}, ""),
    "quality:practice_vulnerability": (CCG_STAFF, {}, ""),
    "quality:support_create": (EDITORS, {}, ""),
    "quality:support_update": (EDITORS, {"pk": "support_offer"}, ""),
    "quality:contract_event_create": (EDITORS, {}, ""),
    "quality:contract_event_detail": (PRACTICE_EDITORS, {"pk": "contract_event"}, ""),
    "quality:contract_event_update": (EDITORS, {"pk": "contract_event"}, ""),
    "quality:contract_event_decide": (EDITORS, {"pk": "contract_event"}, ""),
    "quality:concern_create": (EDITORS, {}, ""),
    "quality:concern_update": (EDITORS, {"pk": "concern"}, ""),
    "quality:cqc_import": (EDITORS, {}, ""),
    "quality:cqc_import_run": (EDITORS, {"pk": "cqc_import"}, ""),
    "quality:cqc_create": (EDITORS, {}, ""),
    "quality:enforcement_create": (EDITORS, {}, ""),
    # dashboards
    "dashboards:index": (ALL, {}, ""),
    "dashboards:ccg": (CCG_STAFF, {"pk": "ccg"}, ""),
    "dashboards:report_list": (CCG_STAFF, {"pk": "ccg"}, ""),
    "dashboards:report_detail": (CCG_STAFF, {"pk": "board_report"}, ""),
    "dashboards:report_print": (CCG_STAFF, {"pk": "board_report"}, ""),
    "dashboards:cluster": (CCG_STAFF, {"pk": "cluster"}, ""),
    "dashboards:practice_profile": (ALL, {"pk": "practice"}, ""),
    # practices
    "practices:home": (ALL, {}, ""),
    "practices:stp_list": (ALL, {}, ""),
    "practices:stp_detail": (CCG_STAFF, {"pk": "stp"}, ""),
    "practices:ccg_detail": (CCG_STAFF, {"pk": "ccg"}, ""),
    "practices:cluster_create": (EDITORS, {}, ""),
    "practices:practice_create": (EDITORS, {}, ""),
    "practices:cluster_detail": (CCG_STAFF, {"pk": "cluster"}, ""),
    "practices:cluster_update": (EDITORS, {"pk": "cluster"}, ""),
    "practices:practice_list": (ALL, {}, ""),
    "practices:practice_detail": (ALL, {"pk": "practice"}, ""),
    "practices:practice_update": (EDITORS, {"pk": "practice"}, ""),
    "practices:site_create": (PRACTICE_EDITORS, {}, ""),
    "practices:site_update": (PRACTICE_EDITORS, {"pk": "site"}, ""),
    "practices:reference_import": (ADMIN_ONLY, {}, ""),
    "practices:reference_import_run": (ADMIN_ONLY, {"pk": "reference_import"}, ""),
    **{name: (ADMIN_ONLY, objects, "") for name, objects in ADMIN_PAGES.items()},
}


def url_patterns():
    """Every named pattern of the URLconf as (namespaced name, route, pattern), includes walked."""

    def walk(patterns, route="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
                yield from walk(pattern.url_patterns, route + str(pattern.pattern), inner or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route + str(pattern.pattern)

    seen = set()
    for name, route in walk(get_resolver().url_patterns):
        # django.contrib.auth.urls repeats the sign-in and reset names that config/urls.py
        # answers first with the portal's own views: only the first of a name resolves.
        if name not in seen:
            seen.add(name)
            yield name, route


def unlinked_reason(name: str) -> str | None:
    return UNLINKED.get(name) or UNLINKED.get(name.split(":")[0] + ":*")


def site_pages() -> list[SitePage]:
    """The pages to crawl: every pattern of the URLconf in PAGES (the admin's only as ADMIN_PAGES)."""
    pages = []
    for name, route in url_patterns():
        if name in PAGES:
            roles, objects, query = PAGES[name]
            pages.append(SitePage(name=name, route=route, roles=roles, objects=objects, query=query))
    return pages


def uncovered_patterns() -> list[str]:
    """Patterns neither crawled nor UNLINKED: the coverage test wants none."""
    return [name for name, _route in url_patterns() if name not in PAGES and unlinked_reason(name) is None]


def seed_site() -> dict:
    """One set of Luton objects (and a Wolverhampton CCG beside it) that every page opens on.

    Returns the seeded objects by key (``KWARG_OBJECTS`` and ``PAGES`` name them) and the
    users by role under ``users``.
    """
    from commissioning.funding.models import Scheme as FundingScheme
    from commissioning.funding.models import SchemeMilestone as FundingSchemeMilestone
    from commissioning.funding.models import StreamRate, StreamRule
    from commissioning.models import Milestone, PlanVersion, TrackerImportRun
    from commissioning.services import plan_version_submit
    from dashboards.models import BoardReport
    from dashboards.services import board_report_generate
    from metrics.models import RecomputeRun
    from practices.models import ReferenceImport
    from quality.models import CQCImportRun
    from returns.models import Collection, Return
    from returns.registry import return_types
    from returns.services import collection_open, return_save, return_submit

    from .commissioning.factories import ActionFactory, PlanFactory, RiskFactory, TrajectoryFactory
    from .commissioning.funding.factories import AllocationFactory, FundingStreamFactory
    from .commissioning.funding.factories import SchemeFactory as FundingSchemeFactory
    from .conftest import PASSWORD
    from .estates.factories import (
        HousingGrowthFactory,
        PracticeITFactory,
        PremisesFactory,
        SiteOccupancyFactory,
    )
    from .estates.factories import SchemeFactory as EstatesSchemeFactory
    from .estates.factories import SchemeMilestoneFactory as EstatesMilestoneFactory
    from .factories import (
        CCGFactory,
        CCGMembershipFactory,
        ClusterFactory,
        ClusterMembershipFactory,
        ListSizeFactory,
        PracticeFactory,
        RoleFactory,
        SiteFactory,
        STPFactory,
        UserFactory,
    )
    from .quality.factories import ConcernFactory, ContractEventFactory, SupportOfferFactory
    from .returns.helpers import workforce_values

    stp = STPFactory(ons_code="E54000024", name="Bedfordshire, Luton and Milton Keynes")
    ccg = CCGFactory(ods_code="06P", name="NHS Luton CCG", stp=stp)
    cluster = ClusterFactory(ccg=ccg, name="Luton North", stated_population=55000)
    practice = PracticeFactory(ods_code="E81001", name="The Medical Centre", ccg=ccg)
    neighbour = PracticeFactory(ods_code="E81002", name="Neighbour Surgery", ccg=ccg)
    for each, patients in ((practice, 9500), (neighbour, 6200)):
        CCGMembershipFactory(practice=each)
        ClusterMembershipFactory(practice=each, cluster=cluster)
        ListSizeFactory(practice=each, patients=patients)
        ListSizeFactory(practice=each, patients=patients - 200, extract_date=dt.date(2017, 10, 1))

    users = {}
    for role, kind, organisation in (
        (COMMISSIONER, Role.Kind.COMMISSIONER, {"ccg": ccg}),
        (GOVERNING_BODY, Role.Kind.GOVERNING_BODY, {"ccg": ccg}),
        (PRACTICE_MANAGER, Role.Kind.PRACTICE_MANAGER, {"practice": practice}),
        (ADMINISTRATOR, Role.Kind.ADMINISTRATOR, {}),
    ):
        user = UserFactory(username=USERNAMES[role], first_name=USERNAMES[role].title(), password=PASSWORD)
        RoleFactory(user=user, kind=kind, **organisation)
        users[role] = user
    root = users[ADMINISTRATOR]
    root.is_staff = root.is_superuser = True
    root.save()
    alice = users[COMMISSIONER]

    plan = PlanFactory(ccg=ccg, title="Luton GP Forward View plan", first_year=2017, last_year=2019)
    action = ActionFactory(plan=plan)
    submitted_version = plan_version_submit(version=plan.versions.get(status=PlanVersion.Status.DRAFT), user=alice)
    site = SiteFactory(practice=practice, name="The Medical Centre", kind=Site.Kind.MAIN, postcode="LU1 3UA")
    premises_site = PremisesFactory(site=SiteFactory(practice=practice, name="Branch surgery")).site
    stream = FundingStreamFactory(code="site-pages-stream", name="Luton resilience", ccg=ccg)
    funding_scheme = FundingSchemeFactory(ccg=ccg, stream=stream, practices=[practice], amounts={2017: "20000"})
    estates_scheme = EstatesSchemeFactory(ccg=ccg, name="Luton North hub")

    collection = collection_open(
        ccg=ccg,
        return_type="workforce",
        period_start=dt.date(2017, 10, 1),
        due_date=dt.date(2018, 1, 15),
        user=alice,
    )
    ret = collection.returns.get(practice=practice)
    submitted_return = collection.returns.get(practice=neighbour)
    manager_of_neighbour = UserFactory(username="nina")
    RoleFactory(user=manager_of_neighbour, kind=Role.Kind.PRACTICE_MANAGER, practice=neighbour)
    return_save(ret=submitted_return, user=manager_of_neighbour, values=workforce_values())
    revision = return_submit(ret=submitted_return, user=manager_of_neighbour)

    seeded = {
        "users": users,
        "stp": stp,
        "ccg": ccg,
        "cluster": cluster,
        "practice": practice,
        "plan": plan,
        "action": action,
        "submitted_version": submitted_version,
        "tracker_import": TrackerImportRun.objects.create(
            plan=plan, file=ContentFile(b"", name="tracker.xlsx"), file_name="tracker.xlsx", requested_by=alice
        ),
        "risk": RiskFactory(plan=plan),
        "milestone": Milestone.objects.create(action=action, title="Hub open", due_date=dt.date(2018, 10, 1)),
        "trajectory": TrajectoryFactory(action=action),
        "stream": stream,
        "rate": StreamRate.objects.create(
            stream=stream,
            first_year=2017,
            last_year=2018,
            rate_per_head=Decimal("1.50"),
            population_date=dt.date(2017, 1, 1),
        ),  # fmt: skip
        "rule": StreamRule.objects.create(
            stream=stream,
            ccg=ccg,
            kind=StreamRule.Kind.MIN_POPULATION,
            value=Decimal("50000"),
            description="Luton's own rule: schemes of at least 50,000 patients.",
        ),  # fmt: skip
        "allocation": AllocationFactory(stream=stream, ccg=ccg),
        "funding_scheme": funding_scheme,
        "funding_scheme_submitted": FundingSchemeFactory(
            ccg=ccg, stream=stream, status=FundingScheme.Status.SUBMITTED, practices=[practice]
        ),
        "funding_scheme_approved": FundingSchemeFactory(
            ccg=ccg,
            stream=stream,
            status=FundingScheme.Status.APPROVED,
            practices=[practice],
            committee="Primary Care Commissioning Committee",
            decided_on=dt.date(2017, 6, 14),
            decision_recorded_at=timezone.now(),
            decision_recorded_by=alice,
            amounts={2017: "15000"},
        ),  # fmt: skip
        "funding_scheme_milestone": FundingSchemeMilestone.objects.create(
            scheme=funding_scheme, title="Navigators trained", due_date=dt.date(2018, 3, 31)
        ),
        "type_key": return_types()[0].key,
        "collection": collection,
        "return": ret,
        "submitted_return": submitted_return,
        "revision": revision,
        "site": site,
        "premises_site": premises_site,
        "occupancy": SiteOccupancyFactory(site=premises_site, practice=neighbour),
        "housing": HousingGrowthFactory(cluster=cluster),
        "estates_scheme": estates_scheme,
        "estates_milestone": EstatesMilestoneFactory(scheme=estates_scheme),
        "practice_it": PracticeITFactory(practice=practice),
        "recompute_run": RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.COMMAND, requested_by=root),
        "support_offer": SupportOfferFactory(practice=practice),
        "contract_event": ContractEventFactory(practice=practice),
        "concern": ConcernFactory(practice=practice),
        "cqc_import": CQCImportRun.objects.create(
            file=ContentFile(b"", name="cqc.csv"), file_name="cqc.csv", requested_by=alice
        ),
        "board_report": board_report_generate(
            report_id=BoardReport.objects.create(
                ccg=ccg,
                period=dt.date(2017, 10, 1),
                meeting="Primary Care Commissioning Committee",
                meeting_date=dt.date(2018, 1, 20),
                requested_by=alice,
            ).pk
        ),  # fmt: skip
        "reference_import": ReferenceImport.objects.create(
            dataset=ReferenceImport.Dataset.LIST_SIZES, file_path="/tmp/list-sizes.csv", requested_by=root
        ),
        "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
        "token": default_token_generator.make_token(alice),
        "other_ccg": CCGFactory(ods_code="06A", name="NHS Wolverhampton CCG"),
    }
    seeded["cqc_import"].ccgs.add(ccg)
    assert Collection.objects.filter(pk=collection.pk).exists() and Return.objects.count() >= 2
    return seeded
