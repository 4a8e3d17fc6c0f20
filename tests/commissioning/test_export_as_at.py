"""The plan's action export as at ``?on=``: the plan page's and the action list's download links
carry the page's date, and the file gives the statuses and overdue the page shows then."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.models import Action, ProgressReport
from commissioning.services import action_status_record, plan_create

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2018, 9, 1, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def plan(luton):
    return plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)


@pytest.fixture
def actions(plan):
    """PC01 is due 31 March 2018 and was achieved late, on 15 June; PC02 is due in 2019."""
    late = ActionFactory(plan=plan, local_code="PC01", due_date=dt.date(2018, 3, 31))
    late.status = Action.Status.ACHIEVED
    late.save()
    action_status_record(action=late, effective_on=dt.date(2018, 6, 15))
    ActionFactory(plan=plan, local_code="PC02", due_date=dt.date(2019, 3, 31), status=Action.Status.NOT_STARTED)
    return plan


def export_rows(client, plan, file_format="csv", **params) -> list[dict]:
    response = client.get(reverse("commissioning:plan_export", args=[plan.pk, file_format]), params)
    assert response.status_code == 200, response.content
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    # An XLSX written row by row states no size, so a read-only reader gives rows without their empty end.
    cells = [dict(zip(header, row + [None] * (len(header) - len(row)), strict=True)) for row in body]
    return [{h: v.date().isoformat() if isinstance(v, dt.datetime) else v for h, v in c.items()} for c in cells]


@pytest.mark.parametrize("name", ["commissioning:plan_detail", "commissioning:action_list"])
def test_the_download_links_carry_the_pages_date(client, alice, actions, name):
    client.force_login(alice)

    page = client.get(reverse(name, args=[actions.pk]), {"on": "2018-04-30"}).content.decode()

    for file_format in ("xlsx", "csv"):
        assert f'{reverse("commissioning:plan_export", args=[actions.pk, file_format])}?on=2018-04-30"' in page
    assert "Download actions as at 30 April 2018 (CSV)" in page


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_as_at_a_past_date_gives_the_statuses_and_overdue_of_that_date(client, alice, actions,
                                                                                 file_format):  # fmt: skip
    client.force_login(alice)

    then = export_rows(client, actions, file_format, on="2018-04-30")
    later = export_rows(client, actions, file_format, on="2018-07-01")

    assert [(r["Local code"], r["Status"], r["Overdue"], r["As at"]) for r in then] == [
        ("PC01", "In progress", "Yes", "2018-04-30"), ("PC02", "Not started", "No", "2018-04-30"),
    ]  # fmt: skip
    assert [(r["Local code"], r["Status"], r["Overdue"]) for r in later] == [
        ("PC01", "Achieved and closed", "No"), ("PC02", "Not started", "No"),
    ]  # fmt: skip


def test_the_export_matches_the_action_list_and_the_plan_page_at_the_date(client, alice, actions):
    ActionFactory(plan=actions, local_code="PC03", status_recorded_on=dt.date(2018, 5, 1))  # added after 30 April
    client.force_login(alice)

    listed = client.get(reverse("commissioning:action_list", args=[actions.pk]), {"on": "2018-04-30"})
    totals = client.get(reverse("commissioning:plan_detail", args=[actions.pk]), {"on": "2018-04-30"}).context["totals"]
    exported = export_rows(client, actions, on="2018-04-30")

    on_the_list = [(a.local_code, a.get_status_display(), "Yes" if a.overdue else "No")
                   for a in listed.context["filter"].qs]  # fmt: skip
    assert [(r["Local code"], r["Status"], r["Overdue"]) for r in exported] == on_the_list
    assert (len(exported), sum(r["Overdue"] == "Yes" for r in exported)) == (totals.total, totals.overdue) == (2, 1)


def test_an_export_without_a_date_is_as_at_the_plan_pages_default(client, alice, luton):
    ended = plan_create(ccg=luton, title="Luton plan 2016-18", first_year=2016, last_year=2017)
    action = ActionFactory(plan=ended, local_code="PC01", due_date=dt.date(2018, 3, 31))
    ProgressReport.objects.create(plan=ended, action=action, period=dt.date(2018, 1, 1), progress_made="x",
                                  author=alice)  # fmt: skip
    action.status = Action.Status.ACHIEVED
    action.save()
    action_status_record(action=action, effective_on=dt.date(2018, 6, 15))
    client.force_login(alice)

    page = client.get(reverse("commissioning:plan_detail", args=[ended.pk]))
    response = client.get(reverse("commissioning:plan_export", args=[ended.pk, "csv"]))

    assert page.context["as_at"].on == dt.date(2018, 3, 31)  # its last reporting date
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert (row["As at"], row["Status"], row["Overdue"]) == ("2018-03-31", "In progress", "No")
    assert "actions-2018-03-31.csv" in response["Content-Disposition"]


@pytest.mark.parametrize("bad", ["30/04/2018", "2018-02-30", "2018-09-02", ""])
def test_a_bad_or_future_date_is_refused_not_exported_as_another_date(client, alice, actions, bad):
    client.force_login(alice)

    response = client.get(reverse("commissioning:plan_export", args=[actions.pk, "csv"]), {"on": bad})

    assert response.status_code == 400
    assert response.content.decode().startswith("on: ")


def test_another_ccgs_commissioner_cannot_export_the_plan_at_any_date(client, erin, actions):
    client.force_login(erin)

    response = client.get(reverse("commissioning:plan_export", args=[actions.pk, "csv"]), {"on": "2018-04-30"})

    assert response.status_code == 404


def test_the_import_page_offers_the_export_as_at_today_whatever_the_plans_default(client, alice, actions):
    client.force_login(alice)

    page = client.get(reverse("commissioning:tracker_import", args=[actions.pk])).content.decode()

    assert f'{reverse("commissioning:plan_export", args=[actions.pk, "xlsx"])}?on=2018-09-01"' in page
