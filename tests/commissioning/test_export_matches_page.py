"""The plan's action export says what the action list says: each action's due date (a real date
in an XLSX, ISO in a CSV), status, RAG word and overdue, from the same factory data, as at a date.
The page is read as a user reads it (its table's text); the XLSX with openpyxl, checking cell types."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.models import Action
from commissioning.services import plan_create
from commissioning.tracker import tracker_export, tracker_import, tracker_read
from portal.display import uk_date
from tests.html_tables import page_table

from .factories import ActionFactory

pytestmark = pytest.mark.django_db
ON = "2018-04-30"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2018, 9, 1, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def plan(luton):
    plan = plan_create(ccg=luton, title="Luton GP Forward View plan", first_year=2017, last_year=2018)
    ActionFactory(plan=plan, local_code="PC01", due_date=dt.date(2018, 3, 31), rag=Action.RAG.RED,
                  rag_reason="Behind")  # fmt: skip
    ActionFactory(plan=plan, local_code="PC02", due_date=dt.date(2019, 3, 31), rag=Action.RAG.AMBER,
                  rag_reason="At risk")  # fmt: skip
    ActionFactory(plan=plan, local_code="PC03", due_date=dt.date(2018, 1, 31), status=Action.Status.ACHIEVED,
                  rag=Action.RAG.GREEN)  # fmt: skip
    ActionFactory(plan=plan, local_code="PC04", due_date=None, status=Action.Status.NOT_STARTED)
    return plan


def listed(client, plan) -> list[dict[str, str]]:
    html = client.get(reverse("commissioning:action_list", args=[plan.pk]), {"on": ON}).content.decode()
    return page_table(html, "Actions in")


def exported(client, plan, file_format):
    response = client.get(reverse("commissioning:plan_export", args=[plan.pk, file_format]), {"on": ON})
    assert response.status_code == 200
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *body = list(sheet.iter_rows())
    return [{h.value: cell for h, cell in zip(header, row, strict=True)} for row in body]


def test_the_csv_gives_each_actions_due_date_status_rag_and_overdue_as_the_list_shows(client, alice, plan):
    client.force_login(alice)
    page, rows = listed(client, plan), exported(client, plan, "csv")

    assert [r["Code"] for r in page] == [r["Local code"] for r in rows] == ["PC01", "PC02", "PC03", "PC04"]
    assert [r["RAG"] for r in page] == [r["RAG"] for r in rows] == ["Red", "Amber", "Green", "Not rated"]
    assert [r["Status"] for r in page] == [r["Status"] for r in rows]
    assert [("Overdue" in r["Due"]) for r in page] == [r["Overdue"] == "Yes" for r in rows] == [
        True, False, False, False,
    ]  # fmt: skip
    assert [r["Due"].removesuffix(" Overdue") for r in page] == [
        uk_date(dt.date.fromisoformat(r["Due date"])) if r["Due date"] else "No date" for r in rows
    ]
    assert [r["Due date"] for r in rows] == ["2018-03-31", "2019-03-31", "2018-01-31", ""]
    assert {r["As at"] for r in rows} == {ON}


def test_the_xlsx_has_real_dates_and_the_lists_words(client, alice, plan):
    client.force_login(alice)
    page, rows = listed(client, plan), exported(client, plan, "xlsx")

    due = rows[0]["Due date"]
    assert due.is_date and due.value == dt.datetime(2018, 3, 31) and due.number_format == "d mmm yyyy"
    assert rows[0]["As at"].is_date and rows[0]["As at"].value == dt.datetime(2018, 4, 30)
    assert rows[3]["Due date"].value is None
    assert [r["RAG"].value for r in rows] == [r["RAG"] for r in page]
    assert [r["Overdue"].value for r in rows] == ["Yes", "No", "No", "No"]
    assert [r["Status"].value for r in rows] == [r["Status"] for r in page]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_with_real_dates_and_not_rated_imports_back_unchanged(client, alice, plan, file_format):
    content = tracker_export(plan=plan, file_format=file_format, on=dt.date(2018, 9, 1))
    dataset = tracker_read(content=content, filename=f"tracker.{file_format}")
    result = tracker_import(plan=plan, dataset=dataset, user=alice, dry_run=True)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
