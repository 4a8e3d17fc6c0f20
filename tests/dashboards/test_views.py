"""Dashboard pages: who may open them, what they show, CSV downloads, and query counts that
do not grow with the number of practices."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from .helpers import Q3, make_practices, metric_value

pytestmark = pytest.mark.django_db


def ccg_url(ccg, **query):
    url = reverse("dashboards:ccg", args=[ccg.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_governing_body_member_reads_their_ccgs_dashboard(client, today, carol, luton, plan_actions, funding):
    client.force_login(carol)
    response = client.get(ccg_url(luton, period="2018-10-01"))
    assert response.status_code == 200
    text = response.text
    assert "NHS Luton CCG dashboard" in text and "2018/19 Q3" in text
    assert "Plan summary: Luton GP Forward View plan" in text
    assert "£100,000.00" in text and "£60,000.00" in text
    assert 'data-chart="chart-plan-data"' in text and 'id="table-plan"' in text


@pytest.mark.parametrize("person", ["bob", "dave", "erin"])
def test_nobody_sees_another_ccgs_dashboard(client, request, person, luton):
    client.force_login(request.getfixturevalue(person))
    assert client.get(ccg_url(luton)).status_code == 404
    assert client.get(reverse("dashboards:ccg_csv", args=[luton.pk, "plan"])).status_code == 404
    assert client.get(reverse("dashboards:report_list", args=[luton.pk])).status_code == 404


def test_practice_manager_cannot_open_a_cluster_dashboard(client, bob, luton_cluster):
    client.force_login(bob)
    assert client.get(reverse("dashboards:cluster", args=[luton_cluster.pk])).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, luton):
    response = client.get(ccg_url(luton))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_csv_download_has_the_tables_numbers(client, today, alice, luton, funding):
    client.force_login(alice)
    response = client.get(reverse("dashboards:ccg_csv", args=[luton.pk, "funding"]) + "?period=2018-10-01")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    headings = ("Allocated", "Committed", "Spent", "Remaining to commit")
    assert rows[0] == ["Stream", *[f"{h} (£, 2018/19)" for h in headings]]
    assert rows[1] == ["Practice transformation", "100000.00", "40000.00", "10000.00", "60000.00"]
    assert rows[2][0] == "All streams"


def test_unknown_csv_table_is_not_found(client, alice, luton):
    client.force_login(alice)
    assert client.get(reverse("dashboards:ccg_csv", args=[luton.pk, "secrets"])).status_code == 404


def test_cluster_filter_narrows_workforce_to_that_cluster(
    client, today, alice, luton, luton_cluster, workforce_metrics
):
    other = luton_cluster.__class__.objects.create(ccg=luton, name="Luton South")
    metric_value(other, "gp_fte_per_1000", Q3, 0.5, denominator=10500, practices_counted=1)
    client.force_login(alice)
    page = client.get(ccg_url(luton, period="2018-10-01", cluster=other.pk)).text
    assert "Luton South" in page
    assert "Workforce, access and returns show the practices of Luton South" in page
    rows = client.get(
        reverse("dashboards:ccg_csv", args=[luton.pk, "workforce"]) + f"?period=2018-10-01&cluster={other.pk}"
    ).content.decode()
    assert "Luton South" in rows and "Luton North" not in rows


def test_an_unknown_period_falls_back_to_the_latest_with_figures(client, today, alice, luton, workforce_collection,
                                                                 luton_plan):  # fmt: skip
    client.force_login(alice)
    response = client.get(ccg_url(luton, period="1999-01-01"))
    assert response.context["period"].start == Q3


def test_cluster_dashboard_lists_practices_and_open_actions(client, today, carol, luton, luton_cluster, luton_practice,
                                                            plan_actions, workforce_metrics):  # fmt: skip
    plan_actions["overdue"].clusters.add(luton_cluster)
    client.force_login(carol)
    response = client.get(reverse("dashboards:cluster", args=[luton_cluster.pk]) + "?period=2018-10-01")
    assert response.status_code == 200
    assert "The Medical Centre" in response.text
    assert "PC02 Recruit clinical pharmacists" in response.text and "Overdue" in response.text
    csv_text = client.get(reverse("dashboards:cluster_csv", args=[luton_cluster.pk]) + "?period=2018-10-01").content
    assert b"E81001" in csv_text


def test_dashboard_index_sends_a_single_ccg_reader_to_their_dashboard(client, carol, luton):
    client.force_login(carol)
    assert client.get(reverse("dashboards:index")).url == ccg_url(luton)


def test_dashboard_index_sends_a_practice_manager_to_their_profile(client, bob, luton_practice):
    client.force_login(bob)
    assert client.get(reverse("dashboards:index")).url == reverse(
        "dashboards:practice_profile", args=[luton_practice.pk]
    )


def test_administrator_chooses_among_all_ccgs(client, root, luton, wolverhampton):
    client.force_login(root)
    response = client.get(reverse("dashboards:index"))
    assert "NHS Luton CCG" in response.text and "NHS Wolverhampton CCG" in response.text


def test_nav_shows_dashboard_to_the_governing_body(client, carol, luton):
    client.force_login(carol)
    page = client.get(ccg_url(luton)).text
    current = '<strong class="nhsuk-header__navigation-item-current-fallback">Dashboard</strong>'
    assert f'href="{reverse("dashboards:index")}" aria-current="page">{current}</a>' in page


def _ccg_with_practices(luton, luton_cluster, count: int):
    practices = make_practices(luton, luton_cluster, count, start=200)
    for practice in practices:
        metric_value(practice, "gp_fte_per_1000", Q3, 0.6, denominator=5000, practices_counted=1)
    return practices


@pytest.mark.parametrize("count", [5, 50])
def test_ccg_dashboard_queries_do_not_grow_with_practices(
    client, today, alice, luton, luton_cluster, plan_actions, trajectories, risks, workforce_collection, funding,
    workforce_metrics, django_assert_max_num_queries, count,
):  # fmt: skip
    _ccg_with_practices(luton, luton_cluster, count)
    client.force_login(alice)
    client.get(ccg_url(luton, period="2018-10-01"))  # warm the session and role caches
    with django_assert_max_num_queries(30):
        response = client.get(ccg_url(luton, period="2018-10-01"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_cluster_dashboard_queries_do_not_grow_with_practices(
    client, today, alice, luton, luton_cluster, workforce_collection, django_assert_max_num_queries, count
):
    _ccg_with_practices(luton, luton_cluster, count)
    client.force_login(alice)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboards:cluster", args=[luton_cluster.pk]) + "?period=2018-10-01")
    assert response.status_code == 200
    assert len(response.context["sections"][0].table.rows) == count + 3


# The board report's PDF

PDF = b"%PDF-1.4\n% a board report\n" + b"0" * 3000 + b"\n%%EOF\n"


@pytest.fixture
def report_with_pdf(alice, luton):
    from django.utils import timezone

    from dashboards.models import BoardReport

    return BoardReport.objects.create(
        ccg=luton, period=Q3, meeting="Governing body", requested_by=alice, status=BoardReport.Status.DONE,
        html="<h1>NHS Luton CCG: GP Forward View board report, 2018/19 Q3</h1>", generated_at=timezone.now(),
        pdf=PDF, pdf_size=len(PDF),
    )  # fmt: skip


def test_governing_body_member_downloads_the_reports_pdf(client, carol, luton, report_with_pdf):
    client.force_login(carol)
    url = reverse("dashboards:report_pdf", args=[report_with_pdf.pk])
    for page in (report_with_pdf.get_absolute_url(), reverse("dashboards:report_list", args=[luton.pk])):
        assert f'href="{url}"' in (text := client.get(page).text) and "Download PDF (A4, 3 KB)" in text
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="board-report-06P-2018-19-Q3-2018-12-31.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_the_pdfs_of_two_meetings_on_one_quarter_have_different_names(report_with_pdf):
    import datetime as dt

    from dashboards.models import BoardReport

    later = BoardReport(ccg=report_with_pdf.ccg, period=report_with_pdf.period, meeting_date=dt.date(2019, 1, 24))

    # made without a meeting date: the quarter's end
    assert report_with_pdf.pdf_filename == "board-report-06P-2018-19-Q3-2018-12-31.pdf"
    assert later.pdf_filename == "board-report-06P-2018-19-Q3-2019-01-24.pdf"


@pytest.mark.parametrize("person", ["bob", "dave", "erin"])
def test_nobody_else_downloads_a_ccgs_report_pdf(client, request, person, report_with_pdf):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("dashboards:report_pdf", args=[report_with_pdf.pk])).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in_for_a_pdf(client, report_with_pdf):
    response = client.get(reverse("dashboards:report_pdf", args=[report_with_pdf.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_cluster_csv_names_the_list_sizes_unit_and_date_and_gives_the_pages_figures(
    client, today, carol, luton_cluster, luton_practice
):
    from tests.html_tables import page_table

    client.force_login(carol)
    html = client.get(reverse("dashboards:cluster", args=[luton_cluster.pk]) + "?period=2018-10-01").content.decode()
    response = client.get(reverse("dashboards:cluster_csv", args=[luton_cluster.pk]) + "?period=2018-10-01")
    (shown,) = page_table(html, "Practices of")
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))

    heading = "List size (patients, latest extract by 31 Dec 2018)"
    assert row[heading] == shown["List size"].replace(",", "") != ""
    assert int(row[heading]) == luton_practice.list_size_on(dt.date(2018, 12, 31)).patients


def test_plan_csv_headings_name_the_day_the_actions_are_counted_on(client, today, alice, luton, plan_actions):
    client.force_login(alice)
    page = client.get(ccg_url(luton, period="2018-10-01"))
    table = page.context["dashboard"].section("plan").table
    counted_on = table.caption.rsplit("counted on ", 1)[1]
    response = client.get(reverse("dashboards:ccg_csv", args=[luton.pk, "plan"]) + "?period=2018-10-01")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert header[0] == "Chapter" and f"Overdue (on {counted_on})" in header
    assert rows[-1][0] == "All chapters" and rows[-1][header.index(f"Total (on {counted_on})")] == str(table.total[-1])
