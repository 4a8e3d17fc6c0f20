"""The transactional outbox: a job is saved with its data, published after commit, kept while the
broker is down and published later by the beat job, once, however many times that job runs."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from portal import outbox
from portal.models import OutboxMessage
from portal.tasks import republish_outbox
from practices.models import CCG

pytestmark = pytest.mark.django_db

DONE: list = []


@shared_task(name="tests.portal.outbox_probe")
def probe(*args, **kwargs):
    DONE.append((args, kwargs))
    return len(DONE)


@pytest.fixture(autouse=True)
def _clean():
    DONE.clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def broker_down():
    """apply_async raises as kombu does when Redis refuses the connection; not eager, as in production."""
    conf = probe.app.conf
    before = conf.task_always_eager
    conf.task_always_eager = False
    with mock.patch.object(probe, "apply_async", side_effect=BrokerError("Error 111 connecting to redis")) as sent:
        yield sent
    conf.task_always_eager = before


@pytest.fixture
def broker_up():
    conf = probe.app.conf
    before = conf.task_always_eager
    conf.task_always_eager = False
    with mock.patch.object(probe, "apply_async") as sent:
        yield sent
    conf.task_always_eager = before


def test_a_job_is_published_once_its_transaction_commits_and_its_row_goes(
    broker_up, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(probe, args=(7,), kwargs={"ccg_ids": [1]}, countdown=30)
        assert OutboxMessage.objects.count() == 1
        assert not broker_up.called  # not before the commit

    broker_up.assert_called_once()
    assert broker_up.call_args.args == ([7], {"ccg_ids": [1]})
    assert broker_up.call_args.kwargs["countdown"] == 30
    assert not OutboxMessage.objects.exists()


def test_a_rolled_back_transaction_leaves_no_job(broker_up, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.enqueue(probe, args=(7,))
            raise RuntimeError("the save failed")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not broker_up.called


def test_with_the_broker_down_nothing_is_raised_and_the_job_waits_with_the_reason(
    broker_down, django_capture_on_commit_callbacks, luton
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(probe, args=(luton.pk,), about=luton)

    message = OutboxMessage.objects.get()
    assert (message.attempts, message.claimed_until) == (1, None)
    assert "Error 111" in message.last_error
    assert outbox.waiting(luton)
    assert not outbox.waiting(CCG(pk=luton.pk + 1))


def test_the_beat_job_publishes_waiting_jobs_oldest_first_and_a_second_run_publishes_nothing(
    broker_down, luton, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            outbox.enqueue(probe, args=(n,), about=luton)  # refused after commit
    assert OutboxMessage.objects.count() == 3
    assert republish_outbox() == 0
    assert broker_down.call_count == 3 + 1  # the first refusal stops the batch

    broker_down.side_effect = None
    assert republish_outbox() == 3
    assert [call.args[0] for call in broker_down.call_args_list[-3:]] == [[0], [1], [2]]
    assert republish_outbox() == 0
    assert broker_down.call_count == 4 + 3
    assert not outbox.waiting(luton)


def test_a_message_another_process_is_publishing_is_not_published_twice(broker_up):
    message = OutboxMessage.objects.create(task=probe.name, args=[2])
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() + dt.timedelta(seconds=60))
    assert republish_outbox() == 0
    assert not outbox.publish(message.pk)
    assert not broker_up.called

    # A claim whose process died expires, and the message is published by the next run.
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert republish_outbox() == 1
    broker_up.assert_called_once()


def test_a_unique_job_is_queued_once_per_transaction(broker_up, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue(probe, args=(5,), unique=True)
        assert outbox.enqueue(probe, args=(5,), unique=True) is None
        assert outbox.enqueue(probe, args=(6,), unique=True) is not None
    assert first is not None
    assert [call.args[0] for call in broker_up.call_args_list] == [[5], [6]]


def test_a_debounced_job_waits_once_and_a_failed_publish_does_not_hold_back_the_retry(
    broker_down, django_capture_on_commit_callbacks
):
    key = "tests:outbox-debounce"
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(probe, countdown=30, debounce_key=key)  # refused
    assert cache.get(key) is None  # released: the retry is not held back
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(probe, countdown=30, debounce_key=key)  # refused too
    assert OutboxMessage.objects.count() == 2

    broker_down.side_effect = None
    republish_outbox()
    assert broker_down.call_count == 2 + 1  # one published, its twin dropped
    assert broker_down.call_args.kwargs["countdown"] == 30
    assert not OutboxMessage.objects.exists()
    assert cache.get(key) is True

    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(probe, countdown=30, debounce_key=key)  # one is waiting in the broker: dropped
    assert broker_down.call_count == 3 and not OutboxMessage.objects.exists()


def test_in_the_test_suite_the_job_runs_in_process_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(probe, args=(3,), kwargs={"when": "now"})
        assert DONE == []
    assert DONE == [((3,), {"when": "now"})]
    assert not OutboxMessage.objects.exists()


def test_the_beat_schedule_republishes_every_thirty_seconds():
    entry = settings.CELERY_BEAT_SCHEDULE["portal-republish-outbox"]
    assert entry == {"task": "portal.tasks.republish_outbox", "schedule": 30.0}
    assert settings.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is True
    assert settings.CELERY_BROKER_CONNECTION_MAX_RETRIES is None
