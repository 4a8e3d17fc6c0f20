"""The access return on the collection workflow: its template and all-or-nothing upload, its
checks with the list size in context, the CCG's usual range from the metrics engine's values
of accepted returns, and those values computed when a return is accepted."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone
from openpyxl import Workbook

from access.figures import QUESTIONS
from access.models import AccessReturn
from access.return_types import AccessReturnType, answer_text
from metrics.models import MetricValue
from metrics.services import metrics_recompute
from practices.models import Practice
from returns.models import Return, Revision
from returns.registry import return_type
from returns.services import (
    collection_open,
    return_accept,
    return_check,
    return_confirm_warnings,
    return_save,
    return_submit,
)
from returns.upload import read_upload, write_table
from tests.factories import ListSizeFactory, PracticeFactory
from tests.metrics.helpers import accepted_access

from .conftest import OCTOBER_2018, good_answers

ACCESS = "access-monthly"
pytestmark = pytest.mark.django_db


def template_rows(values=None):
    headers, rows = return_type(ACCESS).template_table(values)
    return headers, rows


def csv_upload(rows, headers=("Question", "Answer", "How to answer")):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return read_upload(content=out.getvalue().encode("utf-8"), filename="access.csv")


def filled_rows(**changes):
    values = good_answers(**changes)
    return [[q.label, answer_text(q.name, values[q.name]) if values[q.name] is not None else ""] for q in QUESTIONS]


def test_both_frequencies_are_registered_with_the_same_questions():
    monthly, quarterly = return_type("access-monthly"), return_type("access-quarterly")
    assert isinstance(monthly, AccessReturnType) and isinstance(quarterly, AccessReturnType)
    assert (monthly.frequency, quarterly.frequency) == ("monthly", "quarterly")
    assert monthly.field_names() == quarterly.field_names()


def test_the_template_lists_every_question_with_its_answer_and_how_to_answer():
    headers, rows = template_rows(good_answers())
    assert headers == ["Question", "Answer", "How to answer"]
    assert [row[0] for row in rows] == [q.label for q in QUESTIONS]
    answers = {row[0]: row[1] for row in rows}
    assert answers["Pre-bookable appointments on Saturdays"] == "Yes, through our group or hub"
    assert answers["Face to face appointments"] == "2,700"
    assert answers["Online consultation offered"] == "Yes"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_filled_in_template_reads_back_to_the_same_answers(file_format):
    kind = return_type(ACCESS)
    headers, rows = kind.template_table(good_answers())
    content = write_table(headers=headers, rows=rows, file_format=file_format)
    values, errors = kind.parse_upload(read_upload(content=content, filename=f"access.{file_format}"))
    assert errors == []
    assert values == good_answers()


def test_an_upload_with_errors_on_several_rows_reports_each_row_and_keeps_nothing():
    rows = filled_rows()
    rows[5][1] = "-3"  # face to face, spreadsheet row 7
    rows[8][1] = "lots"  # home visits, row 10
    rows[13][1] = "120"  # online registration, row 15
    rows[2][1] = "sometimes"  # Saturdays, row 4
    rows.append(["Patients seen by the practice cat", "4"])  # row 19
    values, errors = return_type(ACCESS).parse_upload(csv_upload(rows))
    assert values is None
    assert [(e.row, e.column, e.message) for e in errors] == [
        (4, "Pre-bookable appointments on Saturdays",
         "'sometimes' is not one of 'at the practice', 'through our group or hub' or 'no'."),
        (7, "Face to face appointments", "Enter 0 or more."),
        (10, "Home visits", "'lots' is not a number."),
        (15, "Patients registered for online services (%)", "A percentage cannot be more than 100."),
        (19, "Question", "'Patients seen by the practice cat' is not a question of the access return."),
    ]  # fmt: skip


def test_an_upload_naming_a_question_twice_is_refused():
    rows = filled_rows()
    rows.append([rows[0][0], "50"])
    _, errors = return_type(ACCESS).parse_upload(csv_upload(rows))
    assert [(e.row, e.message) for e in errors] == [(19, "'Hours open in core hours each week' is also on row 2.")]


def test_an_upload_without_the_answer_column_is_refused_at_the_header():
    _, errors = return_type(ACCESS).parse_upload(csv_upload([["Home visits", "3"]], headers=("Question", "Value")))
    assert [(e.row, e.column) for e in errors] == [(1, "Header row")]
    assert "'Answer'" in errors[0].message


def test_a_formula_in_an_xlsx_is_read_as_its_saved_value_and_a_typed_formula_is_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Question", "Answer"])
    for label, answer in filled_rows():
        sheet.append([label, answer])
    sheet["B7"] = "=1000*3"  # openpyxl saves no cached value: the cell reads as empty, never as 3000
    out = io.BytesIO()
    workbook.save(out)
    table = read_upload(content=out.getvalue(), filename="access.xlsx")
    values, errors = return_type(ACCESS).parse_upload(table)
    assert errors == []
    assert values["appointments_face_to_face"] is None
    rows = filled_rows()
    rows[5][1] = "=SUM(A1:A3)"
    _, errors = return_type(ACCESS).parse_upload(csv_upload(rows))
    assert [(e.row, e.message) for e in errors] == [(7, "Formulas are not read: type the value itself.")]


def test_cross_field_errors_of_an_upload_are_placed_on_their_rows(access_return, bob):
    table = csv_upload(filled_rows(appointments_dna=9999))
    kind = access_return.type
    values, errors = kind.parse_upload(table)
    assert errors == []
    findings = return_check(ret=access_return, values=values)
    located = [kind.locate(finding, table) for finding in findings.errors]
    assert [(e.row, e.column) for e in located] == [(14, "Appointments not attended (DNAs)")]


def test_a_question_left_out_of_an_upload_is_reported_as_missing(access_return):
    table = csv_upload([row for row in filled_rows() if row[0] != "Home visits"])
    kind = access_return.type
    values, errors = kind.parse_upload(table)
    findings = return_check(ret=access_return, values=values)
    located = [kind.locate(finding, table) for finding in findings.errors]
    assert [(e.row, e.column, e.message) for e in located] == [
        (0, "Home visits", "The file has no row for this question.")
    ]


def test_the_checks_use_the_list_size_of_the_period(access_return, bob):
    # 9,500 patients, 31 days: 420 minutes is 44.2 a week per 1,000; 200 would be 21.1, below 30.
    return_save(ret=access_return, user=bob, values=good_answers(extended_access_minutes=200))
    draft = access_return.draft_revision()
    assert draft.published_list_size == 9500
    findings = return_check(ret=access_return, revision=draft)
    assert findings.errors == []
    assert [w.code for w in findings.warnings] == ["minutes_below_standard"]
    assert findings.warnings[0].message.startswith("21.1 extended access minutes a week per 1,000 patients")


def test_the_practices_own_list_size_is_used_when_it_gives_one(access_return, bob):
    return_save(
        ret=access_return, user=bob, values=good_answers(extended_access_minutes=200),
        list_size_correction=5000, list_size_correction_reason="Patients moved to the new practice in July.",
    )  # fmt: skip
    assert return_check(ret=access_return).warnings == []  # 200 minutes for 5,000 patients is 40


def submit_and_accept(ret, manager, commissioner, values):
    return_save(ret=ret, user=manager, values=values)
    findings = return_check(ret=ret)
    return_confirm_warnings(ret=ret, user=manager, comments={w.code: "Checked." for w in findings.warnings})
    return_submit(ret=ret, user=manager)
    # The engine's recompute is queued when the acceptance commits; a test's transaction never does.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return return_accept(ret=ret, user=commissioner)


def test_accepting_a_return_has_the_engine_compute_its_metrics(access_return, bob, alice):
    revision = submit_and_accept(access_return, bob, alice, good_answers())
    values = {
        row.metric: row
        for row in MetricValue.objects.for_practice(access_return.practice).period(OCTOBER_2018).monthly()
    }
    assert all(row.source_revision == revision.pk for row in values.values())
    assert values["appointments_per_1000"].ccg_id == access_return.collection.ccg_id
    # 3,420 appointments for 9,500 patients over 31 days (4.43 weeks): 81.3 a week per 1,000.
    assert values["appointments_per_1000"].value == pytest.approx(3420 / 9.5 / (31 / 7))
    assert values["extended_access_minutes_per_1000"].value == pytest.approx(420 / 9.5)
    assert values["extended_access_minutes_per_1000"].denominator == 9500
    assert values["extended_access_full"].value == 100 and values["extended_access_through_group"].value == 100
    assert values["online_registration"].value == pytest.approx(28.5)
    # Computing again changes nothing.
    rows = sorted(MetricValue.objects.values_list("metric", "level", "org_id", "value"))
    metrics_recompute()
    assert sorted(MetricValue.objects.values_list("metric", "level", "org_id", "value")) == rows


def test_a_revision_not_accepted_has_no_metric_values(access_return, bob):
    return_save(ret=access_return, user=bob, values=good_answers())
    return_submit(ret=access_return, user=bob)
    metrics_recompute()
    assert not MetricValue.objects.exists()


def test_the_next_return_is_compared_with_the_previous_accepted_one(luton, luton_practice, access_return, bob, alice):
    submit_and_accept(access_return, bob, alice, good_answers())
    november = collection_open(
        ccg=luton, return_type=ACCESS, period_start=dt.date(2018, 11, 1), due_date=dt.date(2018, 12, 10),
        user=alice, practices=[luton_practice],
    )  # fmt: skip
    ret = november.returns.get()
    return_save(ret=ret, user=bob, values=good_answers(online_consultation=False, eps_percent=Decimal("60.0")))
    codes = sorted(w.code for w in return_check(ret=ret).warnings)
    assert codes == ["online_consultation_stopped", "percent_fell:eps_percent"]


def september_of_other_practices(luton, alice, rates, *, recompute=True):
    """Other Luton practices of 10,000 patients each send September 2018 (30 days, 4.29 weeks)
    with these appointments a week per 1,000, and are accepted; ``recompute=False`` leaves the
    engine's debounced recompute not yet run."""
    september = dt.date(2018, 9, 1)
    others = []
    for index, rate in enumerate(rates):
        practice = PracticeFactory(ods_code=f"E8100{index + 2}", ccg=luton)
        ListSizeFactory(practice=practice, patients=10_000, extract_date=dt.date(2018, 9, 1))
        others.append((practice, rate))
    collection = collection_open(
        ccg=luton, return_type=ACCESS, period_start=september, due_date=dt.date(2018, 10, 10), user=alice,
        practices=[practice for practice, _ in others],
    )  # fmt: skip
    for practice, rate in others:
        total = round(rate * 10 * 30 / 7)
        values = good_answers(
            appointments_face_to_face=total, appointments_telephone=0, appointments_online=0,
            appointments_home_visit=0, appointments_gp=total, appointments_nurse=0, appointments_other_staff=0,
            appointments_dna=0,
        )  # fmt: skip
        # The services do not ask who fills in; the pages do (see test_views).
        ret = Return.objects.get(collection=collection, practice=practice)
        if recompute:
            submit_and_accept(ret, alice, alice, values)
        else:
            return_save(ret=ret, user=alice, values=values)
            return_submit(ret=ret, user=alice)
            return_accept(ret=ret, user=alice)  # its recompute is queued on commit, which a test never reaches


def bobs_october(luton, luton_practice, alice):
    october = collection_open(
        ccg=luton, return_type=ACCESS, period_start=OCTOBER_2018, due_date=dt.date(2018, 11, 10), user=alice,
        practices=[luton_practice],
    )  # fmt: skip
    return october.returns.get()


#: bob's October: 9,500 patients over 31 days. 2,500 appointments is 59.4 a week per 1,000.
LOW = {"appointments_face_to_face": 1780, "appointments_gp": 880}


def test_the_ccg_range_comes_from_the_other_practices_latest_accepted_returns(luton, alice, bob, luton_practice):
    """Their appointments a week per 1,000: 60, 70, 80, 90, 100 and 140. By hand, the 5th
    percentile is 60 + 0.25 x 10 = 62.5 and the 95th 100 + 0.75 x 40 = 130."""
    september_of_other_practices(luton, alice, [60, 70, 80, 90, 100, 140])
    ret = bobs_october(luton, luton_practice, alice)
    return_save(ret=ret, user=bob, values=good_answers(**LOW))
    warnings = return_check(ret=ret).warnings
    assert [w.code for w in warnings] == ["appointments_outside_ccg_range"]
    assert "59.4 appointments a week per 1,000 patients is below the CCG's usual range (62.5 to 130.0" in (
        warnings[0].message
    )
    assert "of 6 practices' latest accepted returns in the past year" in warnings[0].message
    return_save(ret=ret, user=bob, values=good_answers())  # 81.3: inside
    assert return_check(ret=ret).warnings == []


def test_the_ccg_range_takes_each_practices_latest_return_and_never_the_practices_own(
    luton, alice, bob, luton_practice
):
    """bob's own September (59.4 a week per 1,000) and the others' August (all 20) are left out."""
    september_of_other_practices(luton, alice, [60, 70, 80, 90, 100, 140])
    accepted_access(luton_practice, dt.date(2018, 9, 1), 9500, appointments_face_to_face=2300)
    for practice in Practice.objects.filter(ods_code__startswith="E8100"):
        accepted_access(practice, dt.date(2018, 8, 1), 10_000, appointments_face_to_face=0, appointments_dna=0,
                        appointments_telephone=round(20 * 10 * 31 / 7), appointments_online=0,
                        appointments_home_visit=0)  # fmt: skip
    metrics_recompute()
    ret = bobs_october(luton, luton_practice, alice)
    rates = return_type(ACCESS).extra_context(ret=ret, revision=None)["ccg_rates"]
    assert sorted(rates) == [pytest.approx(rate, abs=0.05) for rate in (60, 70, 80, 90, 100, 140)]


def test_a_return_accepted_before_the_engines_recompute_counts_once_it_has_run(luton, alice, bob, luton_practice):
    september_of_other_practices(luton, alice, [60, 70, 80, 90, 100, 140], recompute=False)
    ret = bobs_october(luton, luton_practice, alice)
    return_save(ret=ret, user=bob, values=good_answers(**LOW))
    assert return_check(ret=ret).warnings == [], "no figures from the engine yet: too few for a range"

    metrics_recompute(scope={"access": {"monthly": ["2018-09-01"]}})  # what the debounced job runs

    warnings = return_check(ret=ret).warnings
    assert [w.code for w in warnings] == ["appointments_outside_ccg_range"]
    computed_at = MetricValue.objects.metric("appointments_per_1000").latest("computed_at").computed_at
    assert f"as the metrics engine worked them out at {timezone.localtime(computed_at):%H:%M on %d %b %Y})" in (
        warnings[0].message
    )


def test_the_answers_of_a_submission_are_kept_with_its_revision(access_return, bob):
    return_save(ret=access_return, user=bob, values=good_answers())
    return_submit(ret=access_return, user=bob)
    revision = Revision.objects.get(ret=access_return)
    assert AccessReturn.objects.get(revision=revision).appointments_gp == 1800
