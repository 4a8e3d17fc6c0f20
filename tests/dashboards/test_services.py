"""Board reports (asked for, made by the job, kept and opened again) and the monthly digest
(what got worse, sent once per commissioner per month)."""

from __future__ import annotations

import datetime as dt
import io
import sys
import time

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from commissioning.models import Action
from commissioning.services import action_status_record
from dashboards import pdf, services
from dashboards.models import BoardReport, DigestRun
from dashboards.selectors import Period
from dashboards.tasks import generate_board_report, send_monthly_digests
from portal.models import OutboxMessage
from portal.outbox import WAITING_MESSAGE
from returns.models import Collection, Return
from tests.commissioning.factories import ActionFactory

from .helpers import Q3, make_return, metric_value, set_today

pytestmark = pytest.mark.django_db


# Board reports


def request_report(client, user, ccg, django_capture_on_commit_callbacks, **data):
    client.force_login(user)
    form = {"period": "2018-10-01", "meeting": "Primary Care Commissioning Committee", "meeting_date": "2019-01-24"}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("dashboards:report_list", args=[ccg.pk]), {**form, **data})


def test_commissioner_asks_for_a_board_report_and_the_job_keeps_it(
    client, today, alice, carol, luton, plan_actions, trajectories, risks, workforce_collection, funding,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    response = request_report(client, alice, luton, django_capture_on_commit_callbacks)
    report = BoardReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == BoardReport.Status.DONE
    assert report.period == Q3 and report.meeting_date == dt.date(2019, 1, 24)
    assert report.summary["overdue_actions"] == 1 and report.summary["missing_returns"] == 1
    assert "GP Forward View board report, 2018/19 Q3" in report.html
    assert "Recruit clinical pharmacists" in report.html and "R01" in report.html
    # The governing body opens it again, on screen and printable.
    client.force_login(carol)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and report.html in page.text
    printable = client.get(reverse("dashboards:report_print", args=[report.pk]))
    assert "css/print.css" in printable.text and report.html in printable.text
    listing = client.get(reverse("dashboards:report_list", args=[luton.pk])).text
    assert "2018/19 Q3" in listing and "Make a board report" not in listing


def test_a_kept_report_does_not_change_when_the_figures_do(today, alice, luton, plan_actions):
    report = services.board_report_request(
        ccg=luton, period=Period(Q3), meeting="Governing body", meeting_date=None, user=alice
    )
    services.board_report_generate(report_id=report.pk)
    report.refresh_from_db()
    before = report.html
    Action.objects.filter(pk=plan_actions["overdue"].pk).update(status=Action.Status.ACHIEVED)
    generate_board_report(report.pk)  # a second run leaves a finished report alone
    report.refresh_from_db()
    assert report.html == before and "Recruit clinical pharmacists" in report.html


def test_a_failed_report_says_why(monkeypatch, today, alice, luton):
    report = BoardReport.objects.create(ccg=luton, period=Q3, meeting="Governing body", requested_by=alice)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "board_report_context", broken)
    with pytest.raises(RuntimeError):
        services.board_report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == BoardReport.Status.FAILED and "the database went away" in report.error


def test_a_report_asked_for_while_the_job_queue_is_down_says_it_waits(
    client, today, alice, luton, workforce_collection
):
    client.force_login(alice)
    form = {"period": "2018-10-01", "meeting": "Primary Care Commissioning Committee", "meeting_date": "2019-01-24"}
    response = client.post(reverse("dashboards:report_list", args=[luton.pk]), form)
    report = BoardReport.objects.get()
    assert response.url == report.get_absolute_url()

    assert WAITING_MESSAGE in client.get(report.get_absolute_url()).text
    OutboxMessage.objects.all().delete()  # the broker has it
    assert WAITING_MESSAGE not in client.get(report.get_absolute_url()).text


def test_governing_body_cannot_ask_for_a_report(client, carol, luton, django_capture_on_commit_callbacks):
    response = request_report(client, carol, luton, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not BoardReport.objects.exists()


def test_another_ccgs_report_is_not_found(client, erin, alice, luton):
    report = BoardReport.objects.create(ccg=luton, period=Q3, meeting="Governing body", requested_by=alice)
    client.force_login(erin)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("dashboards:report_print", args=[report.pk])).status_code == 404


# Board report PDFs

TITLE = "NHS Luton CCG: GP Forward View board report, 2018/19 Q3"


def make_report(alice, luton) -> BoardReport:
    report = services.board_report_request(
        ccg=luton, period=Period(Q3), meeting="Governing body", meeting_date=None, user=alice
    )
    return services.board_report_generate(report_id=report.pk)


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.chromium
def test_the_job_prints_the_report_to_an_a4_pdf_with_its_title_and_charts(
    chromium, today, alice, luton, plan_actions, trajectories, risks, workforce_collection, funding, workforce_metrics,
):  # fmt: skip
    report = make_report(alice, luton)
    report.refresh_from_db()
    assert report.status == BoardReport.Status.DONE and report.pdf_error == ""
    data = bytes(report.pdf)
    assert data.startswith(b"%PDF") and report.pdf_size == len(data)
    reader, text = pdf_text(data)
    assert len(reader.pages) >= 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert TITLE in " ".join(text.split())
    assert "Recruit clinical pharmacists" in text
    assert reader.metadata.title == "NHS Luton CCG board report, 2018/19 Q3"
    # The page was printed only once plotly had drawn every chart (charts.js sets the flag).
    assert report.html.count("data-chart=") >= 1


def test_a_missing_chromium_keeps_the_html_and_says_why(
    client, settings, today, alice, carol, luton, plan_actions
):  # fmt: skip
    settings.BOARD_REPORT_CHROMIUM = "/nowhere/chromium"
    report = make_report(alice, luton)
    report.refresh_from_db()
    assert report.status == BoardReport.Status.DONE and "Recruit clinical pharmacists" in report.html
    assert report.pdf is None and report.pdf_size is None
    assert report.pdf_error == "Chromium not found at /nowhere/chromium"
    client.force_login(carol)
    page = client.get(report.get_absolute_url()).text
    assert "PDF not made: Chromium not found at /nowhere/chromium." in page and "Download PDF" not in page
    assert client.get(reverse("dashboards:report_pdf", args=[report.pk])).status_code == 404


def test_a_failed_print_keeps_the_html_and_says_why(monkeypatch, today, alice, luton, plan_actions):
    def crashed(html, executable, timeout):
        raise RuntimeError("Target page, context or browser has been closed\nCall log: ...")

    monkeypatch.setattr(services.settings, "BOARD_REPORT_CHROMIUM", sys.executable)
    monkeypatch.setattr(pdf, "_print", crashed)
    report = make_report(alice, luton)
    assert report.status == BoardReport.Status.DONE and report.pdf_size is None
    assert report.pdf_error == "Chromium failed: RuntimeError: Target page, context or browser has been closed"


def test_a_print_that_takes_too_long_is_given_up(monkeypatch):
    monkeypatch.setattr(pdf, "CLOSE_SECONDS", 0.1)
    monkeypatch.setattr(pdf, "_print", lambda html, executable, timeout: time.sleep(2))
    with pytest.raises(pdf.PDFNotMade, match="Chromium took more than 0.3 seconds"):
        pdf.html_to_pdf("<p>A report</p>", chromium=sys.executable, timeout=0.2)


@pytest.mark.chromium
def test_a_page_whose_charts_never_draw_is_not_printed(chromium):
    # The deadline covers Chromium's start too, which takes several seconds on a busy machine.
    with pytest.raises(pdf.PDFNotMade, match="the charts had not drawn after 10 seconds"):
        pdf.html_to_pdf("<!doctype html><title>No charts.js</title><p>A report</p>", chromium=chromium, timeout=10)


@pytest.mark.chromium
def test_a_report_kept_without_its_pdf_gets_it_when_the_job_runs_again(
    settings, chromium, today, alice, luton, plan_actions
):  # fmt: skip
    settings.BOARD_REPORT_CHROMIUM = "/nowhere/chromium"
    report = make_report(alice, luton)
    html, generated_at = report.html, report.generated_at
    settings.BOARD_REPORT_CHROMIUM = chromium
    generate_board_report(report.pk)
    report.refresh_from_db()
    assert report.html == html and report.generated_at == generated_at
    assert bytes(report.pdf).startswith(b"%PDF") and report.pdf_error == ""
    assert TITLE in " ".join(pdf_text(bytes(report.pdf))[1].split())


def test_static_files_for_the_print_come_from_disk_and_nothing_else(settings):
    assert pdf.static_file("/static/vendor/plotly/plotly.min.js").name == "plotly.min.js"
    assert pdf.static_file("/static/css/print.css").read_text().startswith("/* Print styles")
    assert pdf.static_file("/static/../../config/settings/base.py") is None
    assert pdf.static_file("/media/anything.pdf") is None


# The monthly digest

FIRST_OF_JANUARY = dt.date(2019, 1, 1)


@pytest.fixture
def december(time_machine, luton, luton_cluster, luton_practice, alice, luton_plan):
    """What happened in Luton in December 2018, seen on 1 January 2019."""
    set_today(time_machine, dt.date(2018, 11, 20))
    action = ActionFactory(plan=luton_plan, local_code="PC10", title="Practice websites", due_date=dt.date(2019, 6, 30))
    old_overdue = ActionFactory(plan=luton_plan, local_code="PC11", due_date=dt.date(2018, 10, 31))
    metric_value(luton_practice, "extended_access_minutes_per_1000", dt.date(2018, 10, 1), 40.0, frequency="monthly")
    set_today(time_machine, dt.date(2018, 12, 10))
    action.rag, action.rag_reason = Action.RAG.RED, "The supplier went into administration"
    action.save()
    action_status_record(action=action)
    newly_overdue = ActionFactory(plan=luton_plan, local_code="PC12", title="Online consultation pilot",
                                  due_date=dt.date(2018, 12, 15))  # fmt: skip
    metric_value(luton_practice, "extended_access_minutes_per_1000", dt.date(2018, 11, 1), 30.0, frequency="monthly")
    collection = Collection.objects.create(
        ccg=luton, return_type="workforce", period_start=dt.date(2018, 7, 1), due_date=dt.date(2018, 12, 14)
    )
    make_return(collection, luton_practice, Return.Status.DRAFT)
    set_today(time_machine, FIRST_OF_JANUARY, hour=7)
    return {"red": action, "old_overdue": old_overdue, "newly_overdue": newly_overdue}


def test_digest_lists_what_got_worse_with_links(december, luton):
    items = services.digest_items(ccg=luton, since=dt.date(2018, 12, 1), today=FIRST_OF_JANUARY)
    by_kind = {kind: [i.text for i in items if i.kind == kind] for kind, _label in services.DIGEST_KINDS}
    assert by_kind["worse"] == [
        "The Medical Centre: Extended access minutes a week per 1,000 patients went from "
        "40.0 minutes a week per 1,000 patients to 30.0 minutes a week per 1,000 patients (-25%) in November 2018"
    ]
    assert [t.split(" (")[0] for t in by_kind["overdue"]] == [
        "PC12 Online consultation pilot"
    ]  # PC11 was overdue before
    assert by_kind["red"] == ["PC10 Practice websites (Luton GP Forward View plan) is now red: "
                              "The supplier went into administration"]  # fmt: skip
    assert len(by_kind["missing"]) == 1 and "Workforce census, 2018/19 Q2" in by_kind["missing"][0]
    assert all(item.url.startswith("http") or item.url.startswith("/") for item in items)


def test_a_small_move_or_a_move_the_right_way_is_not_listed(time_machine, luton, luton_practice):
    set_today(time_machine, dt.date(2018, 12, 10))
    metric_value(luton_practice, "gp_fte_per_1000", dt.date(2018, 7, 1), 0.60)
    metric_value(luton_practice, "gp_fte_per_1000", Q3, 0.57)  # -5%
    metric_value(luton_practice, "dna_rate", dt.date(2018, 7, 1), 5.0)
    metric_value(luton_practice, "dna_rate", Q3, 3.0)  # lower is better
    assert services.digest_items(ccg=luton, since=dt.date(2018, 12, 1), today=FIRST_OF_JANUARY) == []


def test_digest_goes_once_per_commissioner_per_month(settings, december, luton, alice, erin, wolverhampton):
    settings.PORTAL_URL = "https://portal.example.nhs.uk"
    alice.email, erin.email = "alice@nhs.net", "erin@nhs.net"
    alice.save()
    erin.save()
    assert send_monthly_digests("2019-01-01") == 2
    assert send_monthly_digests("2019-01-01") == 0
    assert len(mail.outbox) == 2
    to_alice = next(m for m in mail.outbox if m.to == ["alice@nhs.net"])
    assert "NHS Luton CCG" in to_alice.subject and "January 2019" in to_alice.subject
    assert "PC12 Online consultation pilot" in to_alice.body
    assert "https://portal.example.nhs.uk/plans/" in to_alice.body
    html = to_alice.alternatives[0][0]
    assert 'href="https://portal.example.nhs.uk/dashboard/practice/' in html
    run = DigestRun.objects.get(user=alice)
    assert run.month == FIRST_OF_JANUARY and run.since == dt.date(2018, 12, 1) and run.item_count == 4
    # Next month counts from the day this one went.
    assert send_monthly_digests("2019-02-01") == 2
    assert DigestRun.objects.get(user=alice, month=dt.date(2019, 2, 1)).since == FIRST_OF_JANUARY


def test_a_failed_send_is_retried_by_the_next_run(monkeypatch, time_machine, december, alice):
    alice.email = "alice@nhs.net"
    alice.save()

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert services.digests_send(today=FIRST_OF_JANUARY) == 0
    assert not DigestRun.objects.exists()
    monkeypatch.undo()
    set_today(time_machine, FIRST_OF_JANUARY, hour=8)
    assert services.digests_send(today=FIRST_OF_JANUARY) == 1
    assert len(mail.outbox) == 1


def test_commissioner_without_an_email_address_gets_no_digest(december, alice):
    alice.email = ""
    alice.save()
    assert services.digests_send(today=FIRST_OF_JANUARY) == 0


def test_the_digest_is_scheduled_monthly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["dashboards-monthly-digest"]
    assert entry["task"] == "dashboards.tasks.send_monthly_digests"
    assert entry["schedule"].day_of_month == {1}


def pdf_links(data: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


@pytest.mark.chromium
def test_the_pdfs_links_lead_to_the_portal_at_portal_url(
    settings, chromium, today, alice, luton, plan_actions
):  # fmt: skip
    settings.PORTAL_URL = "https://portal.example.nhs.uk"
    report = make_report(alice, luton)
    links = pdf_links(bytes(report.pdf))
    assert links
    assert [link for link in links if not link.startswith("https://portal.example.nhs.uk/")] == []
