"""The metric definitions page and the recompute pages: who may start a recompute, the progress
bar and its polled fragment, and another user's run staying out of reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from metrics import definitions
from metrics.models import MetricValue, RecomputeRun

from .helpers import Q1_2018, accepted_workforce

pytestmark = pytest.mark.django_db


def test_every_signed_in_user_reads_every_metric_definition(client, bob):
    client.force_login(bob)

    response = client.get(reverse("metrics:definitions"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Metric definitions</h1>" in page
    for metric in definitions.METRICS:
        assert f'id="metric-{metric.code}"' in page
    assert "Numerator" in page and "Denominator" in page and "Caveats" in page
    assert "Tukey" in page
    assert 'Shown to</dt><dd class="nhsuk-summary-list__value">2 decimal places' in page  # GP FTE per 1,000 patients
    assert "share a percentile" in page
    assert reverse("metrics:recompute") not in page  # a practice manager cannot start one


def test_definitions_need_a_sign_in(client):
    response = client.get(reverse("metrics:definitions"))

    assert response.status_code == 302


def test_a_commissioner_starts_a_full_recompute_and_sees_it_finished(
    client, alice, luton_practice, django_capture_on_commit_callbacks
):
    accepted_workforce(luton_practice, Q1_2018, 10_000, gp_partner=(4, 4.0, 0, 0))
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("metrics:recompute"))

    run = RecomputeRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    run.refresh_from_db()
    assert (run.status, run.trigger, run.requested_by) == (RecomputeRun.Status.DONE, "browser", alice)
    assert run.values_written == MetricValue.objects.count() > 0
    page = client.get(run.get_absolute_url()).content.decode()
    assert "<h1>Metrics recompute" in page
    assert 'value="100"' in page and "values written" in page
    assert "hx-trigger" not in page  # finished: no more polling


def test_a_running_recompute_page_polls_its_progress_and_has_a_refresh_link(client, alice):
    run = RecomputeRun.objects.create(
        trigger="browser", status=RecomputeRun.Status.RUNNING, steps_total=7, steps_done=3, step="Writing"
    )
    client.force_login(alice)

    page = client.get(run.get_absolute_url()).content.decode()
    fragment = client.get(reverse("metrics:run_progress", args=[run.pk]), headers={"HX-Request": "true"})

    assert 'value="43"' in page and "Writing" in page
    assert f'hx-get="{reverse("metrics:run_progress", args=[run.pk])}"' in page
    assert "Refresh to see how far it has got" in page
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert 'id="run-progress"' in fragment.content.decode()


def test_problems_found_by_a_run_are_listed_on_its_page(client, root):
    run = RecomputeRun.objects.create(
        trigger="nightly", status=RecomputeRun.Status.DONE,
        problems=[{"area": "workforce", "practice": "E81008", "period": "2018/19 Q1", "reason": "No list size."}],
    )  # fmt: skip
    client.force_login(root)

    page = client.get(run.get_absolute_url()).content.decode()

    assert "E81008" in page and "No list size." in page


@pytest.mark.parametrize("person", ["bob", "carol"])
def test_practice_managers_and_governing_body_cannot_start_a_recompute(client, person, request):
    client.force_login(request.getfixturevalue(person))

    assert client.post(reverse("metrics:recompute")).status_code == 403
    assert client.get(reverse("metrics:recompute")).status_code == 403
    assert not RecomputeRun.objects.exists()


def test_a_practice_manager_cannot_open_a_run(client, bob):
    run = RecomputeRun.objects.create(trigger="nightly")
    client.force_login(bob)

    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("metrics:run_progress", args=[run.pk])).status_code == 404
