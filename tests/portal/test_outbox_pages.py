"""Pages where a user starts a job say it waits for the job queue while its outbox message is
unpublished (the broker was down), and stop saying so once the broker has it.

In these tests the request's transaction never commits, so its jobs are never published: just
what a user sees while Redis is down."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from metrics.models import RecomputeRun
from portal.models import OutboxMessage
from portal.outbox import WAITING_MESSAGE

pytestmark = pytest.mark.django_db


def test_a_recompute_asked_for_while_the_queue_is_down_says_it_waits(client, alice):
    client.force_login(alice)
    response = client.post(reverse("metrics:recompute"))
    run = RecomputeRun.objects.get()
    assert response.url == run.get_absolute_url()

    assert WAITING_MESSAGE in client.get(run.get_absolute_url()).text
    assert WAITING_MESSAGE in client.get(reverse("metrics:run_progress", args=[run.pk])).text
    OutboxMessage.objects.all().delete()  # the broker has it
    assert WAITING_MESSAGE not in client.get(run.get_absolute_url()).text


def test_a_capacity_refresh_asked_for_while_the_queue_is_down_says_it_waits(client, alice, luton, wolverhampton):
    client.force_login(alice)
    response = client.post(reverse("estates:capacity_refresh", args=[luton.pk]))
    assert response.status_code == 302
    assert OutboxMessage.objects.get().task == "estates.tasks.refresh_capacity"

    page = client.get(reverse("estates:ccg_capacity", args=[luton.pk])).text
    assert WAITING_MESSAGE in page
    assert "Asked for the capacity figures to be recomputed." in page
    OutboxMessage.objects.all().delete()
    assert WAITING_MESSAGE not in client.get(reverse("estates:ccg_capacity", args=[luton.pk])).text


def test_the_error_page_does_not_promise_that_nothing_was_saved():
    page = render_to_string("500.html")
    assert "half-saved" not in page
    assert "saved whole or not at all, but it may have been saved before the fault" in page
