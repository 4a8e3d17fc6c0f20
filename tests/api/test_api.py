"""The read API: the same scope as the pages for each named user, token authentication,
filtering by organisation and period, CSV, and the OpenAPI schema."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from metrics.services import metrics_recompute
from tests.commissioning.factories import ActionFactory, PlanFactory
from tests.metrics.helpers import OCTOBER_2018, Q1_2018, accepted_access, accepted_workforce

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user) -> APIClient:
    _, token = AuthToken.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


@pytest.fixture
def values(luton_practice, wolverhampton_practice):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))
    accepted_workforce(wolverhampton_practice, Q1_2018, 7_000, gp_partner=(3, 3.0, 0, 0))
    accepted_access(luton_practice, OCTOBER_2018, 10_000)
    metrics_recompute()


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_without_a_token_or_session_the_api_refuses(api, values):
    assert api.get("/api/metric-values/").status_code == 401
    assert api.get("/api/practices/").status_code == 401
    assert api.get("/api/schema/").status_code == 401


def test_a_wrong_token_is_refused(api, values):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api.get("/api/practices/").status_code == 401


def test_a_commissioner_reads_only_their_ccgs_practices_and_values(api, alice, values, luton, luton_practice):
    as_user(api, alice)

    practices = results(api.get("/api/practices/"))
    rows = results(api.get("/api/metric-values/", {"metric": "gp_fte_per_1000"}))

    assert [p["ods_code"] for p in practices] == ["E81001"]
    assert {(r["level"], r["org_id"]) for r in rows} == {
        ("practice", luton_practice.pk), ("ccg", luton.pk), ("stp", luton.stp_id),
        ("cluster", luton_practice.cluster_memberships.get().cluster_id),
    }  # fmt: skip
    assert [c["ods_code"] for c in results(api.get("/api/ccgs/"))] == ["06P"]


def test_another_ccgs_practice_is_not_found(api, erin, values, luton_practice):
    as_user(api, erin)

    assert api.get(f"/api/practices/{luton_practice.pk}/").status_code == 404
    assert not results(api.get("/api/metric-values/", {"practice": luton_practice.pk}))


def test_a_practice_manager_reads_their_own_practices_values_only(api, bob, values, luton_practice):
    as_user(api, bob)

    rows = results(api.get("/api/metric-values/", {"metric": "gp_fte_per_1000"}))

    assert {(r["level"], r["org_id"]) for r in rows} == {("practice", luton_practice.pk)}
    assert results(api.get("/api/ccgs/")) == []


def test_an_administrator_reads_every_value(api, root, values):
    as_user(api, root)

    rows = results(api.get("/api/metric-values/", {"metric": "gp_fte_per_1000", "level": "practice"}))

    assert len(rows) == 2


def test_values_filter_by_organisation_period_and_metric(api, alice, values, luton, luton_practice):
    as_user(api, alice)

    by_ccg = results(api.get("/api/metric-values/", {"ccg": luton.pk, "level": "ccg", "period": "2018-04-01"}))
    by_code = results(api.get("/api/metric-values/", {"practice_code": "e81001", "metric": "dna_rate,gp_fte_per_1000"}))
    later = results(api.get("/api/metric-values/", {"period_from": "2018-10-01", "metric": "dna_rate"}))

    assert {r["metric"] for r in by_ccg} >= {"gp_fte_per_1000", "patients_per_gp_fte"}
    assert all(r["level"] == "ccg" and r["period"] == "2018-04-01" for r in by_ccg)
    assert {r["metric"] for r in by_code} == {"dna_rate", "gp_fte_per_1000"}
    gp = next(r for r in by_code if r["metric"] == "gp_fte_per_1000")
    assert (gp["value"], gp["numerator"], gp["denominator"], gp["period_label"]) == (0.4, 4.0, 10000.0, "2018/19 Q1")
    assert gp["unit"] == "FTE per 1,000 patients" and gp["source_revisions"]
    assert {r["period"] for r in later} == {"2018-10-01"}


def test_metric_values_come_as_csv(api, alice, values):
    as_user(api, alice)

    response = api.get("/api/metric-values/", {"metric": "gp_fte_per_1000", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["metric"] for row in rows} == {"gp_fte_per_1000"}
    assert "percentile_national" in rows[0]
    assert len(rows) == 4  # Luton's practice, cluster, CCG and STP


def test_metric_definitions_say_what_each_metric_means(api, carol):
    as_user(api, carol)

    response = api.get("/api/metrics/")

    assert response.status_code == 200
    gp = next(m for m in response.json() if m["code"] == "gp_fte_per_1000")
    assert gp["numerator"].startswith("Full-time equivalent GPs")
    assert gp["unit"] == "FTE per 1,000 patients"


def test_plan_actions_are_those_of_the_users_ccg(api, alice, luton, wolverhampton):
    mine = ActionFactory(plan=PlanFactory(ccg=luton), title="Recruit clinical pharmacists")
    ActionFactory(plan=PlanFactory(ccg=wolverhampton), title="Not Luton's")
    as_user(api, alice)

    rows = results(api.get("/api/plan-actions/"))

    assert [(r["id"], r["ccg"]) for r in rows] == [(mine.pk, luton.pk)]
    assert api.get("/api/plan-actions/", {"format": "csv"}).status_code == 200


def test_the_openapi_schema_lists_every_endpoint(api, alice):
    as_user(api, alice)

    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/practices/", "/api/ccgs/", "/api/stps/", "/api/clusters/", "/api/metric-values/",
                 "/api/metrics/", "/api/plan-actions/"):  # fmt: skip
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/metric-values/"]["get"]["parameters"]}
    assert {"metric", "ccg", "practice", "period", "period_from", "period_to", "level", "format"} <= parameters
    # A value is named by organisation, metric and period (the filters), not by an id of its own.
    assert not [path for path in schema["paths"] if path.startswith("/api/metric-values/{")]


def test_a_signed_in_user_creates_and_replaces_their_token(client, alice):
    client.force_login(alice)

    assert "You have no API token yet" in client.get(reverse("api:token")).content.decode()
    first = token_on_page(client.post(reverse("api:token")))
    second = token_on_page(client.post(reverse("api:token")))

    assert first != second
    assert AuthToken.objects.filter(user=alice).count() == 1
    assert second not in client.get(reverse("api:token")).content.decode()  # shown once only
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/practices/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/practices/").status_code == 200


def token_on_page(response) -> str:
    assert response.status_code == 200
    match = re.search(r'<code id="api-token"[^>]*>([^<]+)</code>', response.content.decode())
    assert match, "no token on the page"
    return match.group(1)


def test_an_api_token_is_stored_only_as_a_hash(client, alice):
    client.force_login(alice)

    token = token_on_page(client.post(reverse("api:token")))

    stored = AuthToken.objects.get(user=alice)
    assert token not in {stored.digest, stored.token_key}
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()


def test_an_api_token_stops_working_when_it_expires(api, alice, time_machine, settings):
    issued = timezone.now().replace(microsecond=0)
    time_machine.move_to(issued, tick=False)
    as_user(api, alice)
    assert AuthToken.objects.get(user=alice).expiry == issued + settings.REST_KNOX["TOKEN_TTL"]

    time_machine.move_to(issued + settings.REST_KNOX["TOKEN_TTL"] - dt.timedelta(minutes=1), tick=False)
    assert api.get("/api/practices/").status_code == 200
    time_machine.move_to(issued + settings.REST_KNOX["TOKEN_TTL"] + dt.timedelta(minutes=1), tick=False)
    assert api.get("/api/practices/").status_code == 401


def test_api_tokens_last_ninety_days_unless_set_otherwise(settings):
    assert settings.REST_KNOX["TOKEN_TTL"] == dt.timedelta(days=90)


def test_plan_actions_csv_gives_iso_dates_and_overdue_as_the_pages_word(api, alice, luton, time_machine):
    time_machine.move_to(dt.datetime(2018, 9, 1, 10, 0, tzinfo=dt.UTC), tick=False)
    plan = PlanFactory(ccg=luton)
    ActionFactory(plan=plan, local_code="PC01", due_date=dt.date(2018, 3, 31))
    ActionFactory(plan=plan, local_code="PC02", due_date=dt.date(2019, 3, 31))
    as_user(api, alice)

    json_rows = results(api.get("/api/plan-actions/"))
    csv_rows = list(csv.DictReader(io.StringIO(api.get("/api/plan-actions/", {"format": "csv"}).content.decode())))

    assert [(r["local_code"], r["due_date"], r["overdue"]) for r in csv_rows] == [
        ("PC01", "2018-03-31", "Yes"), ("PC02", "2019-03-31", "No"),
    ]  # fmt: skip
    assert [r["overdue"] for r in json_rows] == [True, False]
    assert {r["as_at"] for r in csv_rows} == {"2018-09-01"}
