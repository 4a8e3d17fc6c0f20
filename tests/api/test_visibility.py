"""One visibility rule per object type: the page, its export and the API agree, for every role.

For each of Luton's objects the test opens the page that shows it, the download that
carries it and the API, as each named user, and checks that all three answer alike: seen
by Luton's commissioner (alice) and governing body (carol), not by Wolverhampton's
commissioner (erin) or another practice's manager (dave); Luton's practice manager (bob)
sees his own practice and its figures, not the CCG's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commissioning.models import Chapter, HighImpactAction, NationalCommitment
from commissioning.national_frame import load_national_frame
from metrics.models import Level, MetricValue
from tests.commissioning.factories import ActionFactory, PlanFactory

OCTOBER = dt.date(2018, 10, 1)


@pytest.fixture
def luton_objects(luton, luton_practice, luton_cluster):
    load_national_frame(Chapter, NationalCommitment, HighImpactAction)
    plan = PlanFactory(ccg=luton, title="Luton plan", first_year=2017, last_year=2018)
    action = ActionFactory(plan=plan, title="Recruit two clinical pharmacists")
    for level, organisation, ccg_id in ((Level.PRACTICE, luton_practice, luton.pk), (Level.CCG, luton, luton.pk)):
        MetricValue.objects.create(
            metric="extended_access_full", level=level, org_id=organisation.pk, frequency="monthly", period=OCTOBER,
            value=100.0, ccg_id=ccg_id, practice=luton_practice if level == Level.PRACTICE else None,
        )  # fmt: skip
    return {"ccg": luton, "practice": luton_practice, "cluster": luton_cluster, "plan": plan, "action": action}


def _listed(client, url) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return bool(response.json()["results"])


#: object type -> (page, export, API), each a function of the objects giving a URL; an API
#: URL ending in '/' is a detail (seen = 200), one with a query a list (seen = not empty).
SURFACES = {
    "practice": (
        lambda o: reverse("practices:practice_detail", args=[o["practice"].pk]),
        lambda o: reverse("dashboards:practice_profile_csv", args=[o["practice"].pk, "list_size"]),
        lambda o: f"/api/practices/{o['practice'].pk}/",
    ),
    "practice metric values": (
        lambda o: reverse("dashboards:practice_profile", args=[o["practice"].pk]),
        lambda o: reverse("dashboards:practice_profile_csv", args=[o["practice"].pk, "access"]),
        lambda o: f"/api/metric-values/?level=practice&practice={o['practice'].pk}",
    ),
    "ccg metric values (extended access)": (
        lambda o: reverse("access:ccg_access", args=[o["ccg"].pk]),
        lambda o: reverse("dashboards:ccg_csv", args=[o["ccg"].pk, "access"]),
        lambda o: f"/api/metric-values/?level=ccg&ccg={o['ccg'].pk}",
    ),
    "ccg": (
        lambda o: reverse("dashboards:ccg", args=[o["ccg"].pk]),
        lambda o: reverse("dashboards:ccg_csv", args=[o["ccg"].pk, "plan"]),
        lambda o: f"/api/ccgs/{o['ccg'].pk}/",
    ),
    "cluster": (
        lambda o: reverse("dashboards:cluster", args=[o["cluster"].pk]),
        lambda o: reverse("dashboards:cluster_csv", args=[o["cluster"].pk]),
        lambda o: f"/api/clusters/{o['cluster'].pk}/",
    ),
    "plan action": (
        lambda o: reverse("commissioning:action_detail", args=[o["action"].pk]),
        lambda o: reverse("commissioning:plan_export", args=[o["plan"].pk, "csv"]),
        lambda o: f"/api/plan-actions/{o['action'].pk}/",
    ),
}

#: Who sees which of Luton's object types, the same on the page, in the export and in the API.
SEES = {
    "alice": set(SURFACES),
    "carol": set(SURFACES),
    "bob": {"practice", "practice metric values"},
    "erin": set(),
    "dave": set(),
}


@pytest.mark.parametrize("username", SEES)
@pytest.mark.parametrize("object_type", SURFACES)
def test_the_page_the_export_and_the_api_agree_for_each_role(
    client, luton_objects, alice, bob, carol, dave, erin, username, object_type
):
    client.force_login({"alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin}[username])
    page, export, api = (surface(luton_objects) for surface in SURFACES[object_type])

    page_status = client.get(page).status_code
    export_status = client.get(export).status_code
    api_seen = client.get(api).status_code == 200 if api.endswith("/") else _listed(client, api)

    expected = object_type in SEES[username]
    assert page_status in (200, 404, 403) and export_status in (200, 404, 403)
    assert {"page": page_status == 200, "export": export_status == 200, "api": api_seen} == {
        "page": expected, "export": expected, "api": expected,
    }  # fmt: skip
