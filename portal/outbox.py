"""The transactional outbox: a job is saved with the data it is about, then handed to the broker.

Call ``enqueue`` inside the transaction that saves the data (never ``task.delay`` from a page or
a service)::

    with transaction.atomic():
        run = RecomputeRun.objects.create(...)
        outbox.enqueue(recompute_metrics, args=(run.pk,), about=run)

``enqueue`` writes an ``OutboxMessage`` row in that transaction. If the transaction rolls back,
the row goes with it: no job for data that was never saved. Once it commits, the message is
published at once with a short broker timeout, and the row deleted. If the broker (Redis) is
down, nothing is raised to the request: the row stays, and the beat job
``portal.tasks.republish_outbox`` publishes it when the broker is back, oldest first. A page can
ask ``waiting(obj)`` (or the template tag ``{% job_waiting obj %}``) to say "Queued: it will start
when the job queue is available"; a view can ``warn_if_waiting(request)`` to say it as a message.

Publishing is at least once: a process that dies between publishing and deleting the row
publishes it again later, so jobs must be safe to run twice (they are: see STYLE.md).

In the test suite (``CELERY_TASK_ALWAYS_EAGER``) publishing runs the task in-process and its
errors propagate, as ``task.delay`` did.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from celery import current_app
from django.core.cache import cache
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

#: How long one process may hold a message while it publishes it before another may try.
CLAIM_SECONDS = 120
#: A broker that does not answer at once is treated as down: the beat job tries again.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
#: How many waiting messages one run of the beat job publishes.
REPUBLISH_BATCH = 200
#: How long a debounce key holds when the message has no countdown.
DEBOUNCE_WITHOUT_COUNTDOWN_SECONDS = 60
WAITING_MESSAGE = "Queued: it will start when the job queue is available."


def subject_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def enqueue(
    task,
    *,
    args: tuple | list = (),
    kwargs: dict | None = None,
    countdown: int | None = None,
    about: models.Model | None = None,
    unique: bool = False,
    debounce_key: str = "",
) -> OutboxMessage | None:
    """Queue ``task`` (a Celery task or its name) with ``args``/``kwargs`` (JSON: ids, not objects).

    - ``countdown``: seconds the job waits in the broker, counted from when it is published.
    - ``about``: the row the job is for; ``waiting(about)`` is true until the broker has the job.
    - ``unique``: the same task with the same arguments queued again in this transaction is
      dropped (returns ``None``): say, one capacity refresh per CCG however many sites were saved.
    - ``debounce_key`` (with ``countdown``): while one message with this cache key waits in the
      broker, later ones are dropped when they are published; the task deletes the key when it
      starts. A publish that fails releases the key, so it never holds back the retry. The key
      lives in the cache every process shares (``CACHES`` in config/settings/base.py), so the web
      processes, the worker and beat drop the same duplicates.

    Returns the row written (``None`` if dropped as a duplicate).
    """
    name = task if isinstance(task, str) else task.name
    args, kwargs = list(args), dict(kwargs or {})
    if unique and _queued_in_this_transaction(name, args, kwargs):
        return None
    message = OutboxMessage.objects.create(
        task=name, args=args, kwargs=kwargs, countdown=countdown, debounce_key=debounce_key,
        subject=subject_of(about) if about is not None else "",
    )  # fmt: skip
    callback = partial(_publish_after_commit, message.pk)
    callback.outbox_job = (name, args, kwargs)
    callback.outbox_message_id = message.pk
    transaction.on_commit(callback)
    return message


def waiting(obj: models.Model, *, task=None) -> bool:
    """Whether a job about ``obj`` (of ``task``, if given) is saved but not yet taken by the broker."""
    messages = OutboxMessage.objects.filter(subject=subject_of(obj))
    if task is not None:
        messages = messages.filter(task=task if isinstance(task, str) else task.name)
    return messages.exists()


def warn_if_waiting(request, text: str = WAITING_MESSAGE) -> None:
    """Once this transaction commits, tell the user ``text`` (a warning message) if a job queued in
    it so far is still waiting for the broker. With ``ATOMIC_REQUESTS`` the view's transaction
    commits before the messages are stored, so call this from the view, after the service."""
    from django.contrib import messages

    pending = getattr(connection, "run_on_commit", None) or []
    ids = [entry[1].outbox_message_id for entry in pending if hasattr(entry[1], "outbox_message_id")]
    if not ids:
        return

    def warn():
        try:
            still_waiting = OutboxMessage.objects.filter(pk__in=ids).exists()
        except DatabaseError:  # the change is committed: a 500 now would tell the user it failed
            logger.exception("Could not tell whether outbox messages %s wait for the broker.", ids)
            return
        if still_waiting:
            messages.warning(request, text)

    transaction.on_commit(warn)


def publish(message_id: int) -> bool:
    """Hand one message to the broker and delete it; False if another process has it or the broker
    did not take it (the error is kept on the row for the next try)."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1,
                last_attempt_at=now)
    )  # fmt: skip
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    key = message.debounce_key
    if key and not cache.add(key, True, message.countdown or DEBOUNCE_WITHOUT_COUNTDOWN_SECONDS):
        # Its twin waits in the broker and will take this one's work when it runs.
        message.delete()
        return True
    eager = current_app.conf.task_always_eager
    try:
        _send(message)
    except Exception as exc:
        if key:
            cache.delete(key)
        if eager:  # the task itself failed, in-process: as task.delay did, let the caller see it
            message.delete()
            raise
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_until=None, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("The broker did not take %s (message %s): %s; it will be tried again.", message.task,
                       message_id, exc)  # fmt: skip
        return False
    OutboxMessage.objects.filter(pk=message_id).delete()
    return True


def republish(*, batch: int = REPUBLISH_BATCH) -> int:
    """Publish the messages still waiting, oldest first; stop at the first the broker refuses.
    Safe to run twice at once: each message is claimed by one process. Returns how many were published."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    published = 0
    for message_id in ids:
        if publish(message_id):
            published += 1
        elif OutboxMessage.objects.filter(pk=message_id, claimed_until__isnull=True).exists():
            break  # the broker refused it: the rest would wait for the same timeout
    return published


def _send(message: OutboxMessage) -> None:
    options = {"retry": True, "retry_policy": PUBLISH_RETRY_POLICY}
    if message.countdown:
        options["countdown"] = message.countdown
    task = current_app.tasks.get(message.task)
    if task is not None:
        task.apply_async(message.args, message.kwargs, **options)
    else:
        current_app.send_task(message.task, message.args, message.kwargs, **options)


def _publish_after_commit(message_id: int) -> None:
    if current_app.conf.task_always_eager:
        publish(message_id)
        return
    try:
        publish(message_id)
    except Exception:  # the data is saved and the row kept: the request must not fail for this
        logger.exception("Could not publish outbox message %s; the beat job will.", message_id)


def _queued_in_this_transaction(name: str, args: list, kwargs: dict) -> bool:
    pending = getattr(connection, "run_on_commit", None) or []
    ids = [
        entry[1].outbox_message_id for entry in pending if getattr(entry[1], "outbox_job", None) == (name, args, kwargs)
    ]
    # Still waiting, not already published (tests run on-commit callbacks inside their transaction).
    return bool(ids) and OutboxMessage.objects.filter(pk__in=ids).exists()
