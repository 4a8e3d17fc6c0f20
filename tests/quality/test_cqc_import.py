"""The CQC ratings import in the CQC's published layout: a good file, a broken copy (nothing
saved, every bad row named), other CCGs' rows and population groups skipped, and a rerun."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from practices.models import Practice
from quality.cqc_import import cqc_ratings_import
from quality.models import CQCInspection
from tests.spreadsheets import far_cell, measured

HEADER = (
    "Location ID,Location Name,Location ODS Code,Provider ID,Service / Population Group,Domain,Latest Rating,"
    "Publication Date,Inherited Rating (Y/N),URL\n"
)


def rows(code="E81001", *, safe="Requires improvement", published="14/06/2018", overall="Requires improvement"):
    base = (
        f"1-100,The Medical Centre,{code},1-200,Overall,{{}},{{}},{published},N,https://www.cqc.org.uk/location/1-100\n"
    )
    lines = [base.format("Overall", overall), base.format("Safe", safe)]
    lines += [base.format(q, "Good") for q in ("Effective", "Caring", "Responsive", "Well-led")]
    lines.append(f"1-100,The Medical Centre,{code},1-200,Older people,Overall,Good,{published},N,\n")
    return "".join(lines)


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("ratings.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_a_good_file_makes_one_inspection_per_practice_and_publication(luton_practice, wolverhampton_practice):
    result = cqc_ratings_import(upload=upload(HEADER + rows() + rows("M92001")), practices=[luton_practice])
    assert result.errors == []
    assert (result.created, result.skipped_other_ccgs, result.skipped_population_groups) == (1, 6, 2)
    inspection = CQCInspection.objects.get()
    assert inspection.publication_date == dt.date(2018, 6, 14)
    assert inspection.overall == "requires_improvement"
    assert inspection.safe == "requires_improvement"
    assert inspection.well_led == "good"
    assert inspection.source == CQCInspection.Source.IMPORT


def test_importing_the_same_file_again_changes_nothing(luton_practice):
    cqc_ratings_import(upload=upload(HEADER + rows()), practices=[luton_practice])
    result = cqc_ratings_import(upload=upload(HEADER + rows()), practices=[luton_practice])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_broken_copy_saves_nothing_and_names_every_bad_row(luton_practice):
    broken = HEADER + rows(safe="Fine", published="31/02/2018") + rows("Z99999") + rows().replace("Caring", "Kind")
    result = cqc_ratings_import(upload=upload(broken), practices=[luton_practice])
    assert not CQCInspection.objects.exists()
    messages = [str(e) for e in result.errors]
    assert "Line 2, Publication Date: '31/02/2018' is not a date" in messages
    assert "Line 3, Latest Rating: 'Fine' is not Outstanding, Good, Requires improvement or Inadequate" in messages
    assert any(
        m.startswith("Line 9, Location ODS Code: no practice in the portal has the ODS code 'Z99999'") for m in messages
    )
    assert any("Domain: 'Kind' is not Overall" in m for m in messages)
    assert result.summary.startswith("Nothing was imported")


def test_two_different_ratings_for_one_key_question_are_an_error(luton_practice):
    text = HEADER + rows() + rows(safe="Good")
    result = cqc_ratings_import(upload=upload(text), practices=[luton_practice])
    assert any("different safe rating" in str(e) for e in result.errors)


def test_a_file_without_the_rating_column_is_refused(luton_practice):
    result = cqc_ratings_import(upload=upload("Location ODS Code,Domain\nE81001,Overall\n"), practices=[luton_practice])
    assert "no Latest Rating column" in str(result.errors[0])


def test_commissioner_imports_through_the_page_and_practice_manager_cannot(client, alice, bob, luton_practice):
    client.force_login(bob)
    assert client.get(reverse("quality:cqc_import")).status_code == 403
    client.force_login(alice)
    response = _post(client, upload(HEADER + rows()))
    assert response.status_code == 200
    assert "1 inspection added" in response.content.decode()
    assert Practice.objects.get(ods_code="E81001").cqc_inspections.count() == 1


def _post(client, file):
    """Upload, have the worker's job run (as it does once the request commits) and open the run's page."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("quality:cqc_import"), {"file": file})
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.mark.parametrize("text", ["Insufficient evidence to rate", "No published rating"])
def test_an_unrated_key_question_is_left_blank(luton_practice, text):
    cqc_ratings_import(upload=upload(HEADER + rows(safe=text)), practices=[luton_practice])
    assert CQCInspection.objects.get().safe == ""


# Limits: the file is read a row at a time and refused, in little memory, once it passes one.


def test_a_file_of_more_rows_than_the_limit_is_refused_through_the_page_in_little_memory(client, alice, luton_practice):
    header = "Service / Population Group,Location ODS Code,Domain,Latest Rating,Publication Date\n"
    content = (header + "x\n" * 300_000).encode()  # 600 KB: each row a population group's, skipped
    client.force_login(alice)
    # A cap, not a speed test: 300,000 rows under tracemalloc take tens of seconds on a busy machine.
    with measured(seconds=180) as memory:
        response = _post(client, SimpleUploadedFile("ratings.csv", content))
    text = response.content.decode()
    assert "ratings.csv goes on past row 300,000: at most 300,000 rows are read." in text
    assert not CQCInspection.objects.exists()
    assert memory.peak_mb < 50, f"{memory.peak_mb:.0f} MB"


def test_a_line_of_millions_of_commas_is_refused_before_it_is_split(luton_practice):
    ratings = SimpleUploadedFile("ratings.csv", HEADER.encode() + b"," * (15 * 1024 * 1024))
    with measured(seconds=60) as memory:
        result = cqc_ratings_import(upload=ratings, practices=[luton_practice])
    assert "ratings.csv: Line 2 is part of a row longer than 1,048,576 characters" in str(result.errors[0])
    assert memory.peak_mb < 50, f"{memory.peak_mb:.0f} MB"


def test_a_hostile_workbook_sent_as_the_ratings_is_refused_as_not_text(client, alice, luton_practice):
    client.force_login(alice)
    content = far_cell([["Location ODS Code", "Domain", "Latest Rating", "Publication Date"]])
    with measured(seconds=60) as memory:
        response = _post(client, SimpleUploadedFile("ratings.csv", content))
    assert "ratings.csv is neither UTF-8 nor Windows-1252 text." in response.content.decode()
    assert memory.peak_mb < 50


def test_a_good_file_read_from_an_open_file_still_imports(luton_practice):
    result = cqc_ratings_import(upload=upload(HEADER + rows()), practices=[luton_practice])
    assert (result.errors, result.created) == ([], 1)


# As a job: the page queues it and returns; the worker imports the uploader's CCGs' practices once.


def _queue(user, text):
    from unittest import mock

    from quality.services import cqc_import_queue

    with mock.patch("quality.tasks.import_cqc_ratings.apply_async") as delay:
        with TestCase.captureOnCommitCallbacks(execute=True):
            run = cqc_import_queue(upload=upload(text), user=user)
    assert list(delay.call_args.args[0]) == [run.pk]
    return run


def test_the_page_returns_at_once_with_the_import_queued(client, alice, luton_practice):
    client.force_login(alice)
    from unittest import mock

    from quality.models import CQCImportRun

    with mock.patch("quality.tasks.import_cqc_ratings.apply_async") as delay:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("quality:cqc_import"), {"file": upload(HEADER + rows())})
    run = CQCImportRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert list(delay.call_args.args[0]) == [run.pk]
    assert run.status == "queued" and not CQCInspection.objects.exists()
    assert "Refresh to see how far it has got" in client.get(run.get_absolute_url()).content.decode()


def test_the_job_imports_the_uploaders_ccgs_practices_once(alice, luton_practice, wolverhampton_practice):
    from quality.models import CQCImportRun
    from quality.tasks import import_cqc_ratings

    run = _queue(alice, HEADER + rows() + rows(code=wolverhampton_practice.ods_code))
    assert import_cqc_ratings(run.pk) == "done"
    run.refresh_from_db()
    assert (run.saved, run.created, run.errors, run.percent_done) == (True, 1, [], 100)
    assert "rows of practices outside your CCGs were skipped" in run.summary
    assert list(CQCInspection.objects.values_list("practice__ods_code", flat=True)) == ["E81001"]
    CQCInspection.objects.all().delete()
    assert import_cqc_ratings(run.pk) == "skipped"
    assert not CQCInspection.objects.exists()
    assert CQCImportRun.objects.get(pk=run.pk).finished_at == run.finished_at


def test_a_broken_file_through_the_job_saves_nothing_and_names_each_line_and_column(alice, luton_practice):
    from quality.tasks import import_cqc_ratings

    run = _queue(alice, HEADER + rows(safe="Brilliant"))
    import_cqc_ratings(run.pk)
    run.refresh_from_db()
    assert (run.status, run.saved) == ("done", False)
    assert [(e["line"], e["column"]) for e in run.errors] == [(3, "Latest Rating")]
    assert not CQCInspection.objects.exists()


@pytest.mark.parametrize("person", ["erin", "carol", "bob"])
def test_a_cqc_import_is_seen_only_by_its_ccgs_commissioners_and_administrators(client, request, alice, person, root):
    run = _queue(alice, HEADER + rows())
    client.force_login(request.getfixturevalue(person))
    assert client.get(run.get_absolute_url()).status_code in (403, 404)
    for viewer in (alice, root):
        client.force_login(viewer)
        assert client.get(run.get_absolute_url()).status_code == 200
