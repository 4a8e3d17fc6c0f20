"""Reminders: a set number of days before the due date, then while overdue, each sent once;
and the job run by a real Celery worker from the real broker."""

import datetime as dt

import pytest

from practices.models import Role
from returns.models import Reminder
from returns.services import (
    OVERDUE_REMINDERS_STOP_AFTER_DAYS,
    ReturnError,
    collection_open,
    reminder_schedule,
    reminders_send,
    return_chase,
    return_save,
    return_submit,
)

from ..factories import RoleFactory, UserFactory
from ..test_celery_worker import run_on_worker, worker, worker_log_on_failure  # noqa: F401  (fixtures)
from .helpers import Q3_DUE, workforce_values

REMINDER_DAY = Q3_DUE - dt.timedelta(days=7)


def test_no_reminder_before_the_reminder_day(ret, bob, mailoutbox):
    assert reminders_send(today=REMINDER_DAY - dt.timedelta(days=1)) == 0
    assert not mailoutbox


def test_the_due_soon_reminder_goes_once_to_the_practice_managers(ret, bob, mailoutbox):
    assert reminders_send(today=REMINDER_DAY) == 1
    assert reminders_send(today=REMINDER_DAY) == 0, "a second run the same day sends nothing"
    assert reminders_send(today=REMINDER_DAY + dt.timedelta(days=3)) == 0, "nor on a later day before the due date"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [bob.email]
    assert mail.subject == "Workforce census, 2017/18 Q3: return for The Medical Centre due 15 Jan 2018"
    assert "is due on 15 Jan 2018" in mail.body and f"/returns/return/{ret.pk}/" in mail.body
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.scheduled_for, reminder.recipients) == (
        Reminder.Kind.DUE_SOON, REMINDER_DAY, bob.email,
    )  # fmt: skip


def test_overdue_reminders_go_every_seven_days_and_never_twice(ret, bob, mailoutbox):
    day_after = Q3_DUE + dt.timedelta(days=1)
    assert reminders_send(today=day_after) == 1
    assert reminders_send(today=day_after + dt.timedelta(days=6)) == 0
    assert reminders_send(today=day_after + dt.timedelta(days=7)) == 1
    assert reminders_send(today=day_after + dt.timedelta(days=7)) == 0
    assert [r.scheduled_for for r in Reminder.objects.order_by("scheduled_for")] == [
        day_after,
        day_after + dt.timedelta(days=7),
    ]
    assert "was due on 15 Jan 2018 and has not been submitted" in mailoutbox[0].body


def test_overdue_reminders_stop_after_a_while(ret, bob, mailoutbox):
    assert reminders_send(today=Q3_DUE + dt.timedelta(days=OVERDUE_REMINDERS_STOP_AFTER_DAYS + 1)) == 0


def test_submitted_returns_get_no_reminder(ret, bob, mailoutbox):
    return_save(ret=ret, user=bob, values=workforce_values())
    return_submit(ret=ret, user=bob)
    assert reminders_send(today=REMINDER_DAY) == 0
    assert reminders_send(today=Q3_DUE + dt.timedelta(days=1)) == 0


def test_a_practice_without_a_manager_with_email_is_skipped_and_reminded_once_one_exists(ret, mailoutbox):
    assert reminders_send(today=REMINDER_DAY) == 0
    manager = UserFactory(username="newpm", email="newpm@nhs.test")
    RoleFactory(user=manager, kind=Role.Kind.PRACTICE_MANAGER, practice=ret.practice)
    assert reminders_send(today=REMINDER_DAY + dt.timedelta(days=1)) == 1
    assert mailoutbox[0].to == ["newpm@nhs.test"]


def test_a_failed_send_records_nothing_so_the_next_run_tries_again(ret, bob, monkeypatch, mailoutbox):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("returns.services.send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        reminders_send(today=REMINDER_DAY)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert reminders_send(today=REMINDER_DAY) == 1


def test_the_schedule_with_a_custom_interval(luton, luton_practice, q3_list_size, alice):
    collection = collection_open(
        ccg=luton, return_type="workforce", period_start=dt.date(2017, 10, 1), due_date=Q3_DUE, user=alice,
        reminder_days_before=3, overdue_reminder_every_days=2,
    )  # fmt: skip
    ret = collection.returns.get()
    assert reminder_schedule(ret, Q3_DUE - dt.timedelta(days=4)) is None
    assert reminder_schedule(ret, Q3_DUE) == (Reminder.Kind.DUE_SOON, Q3_DUE - dt.timedelta(days=3))
    assert reminder_schedule(ret, Q3_DUE + dt.timedelta(days=4)) == (
        Reminder.Kind.OVERDUE, Q3_DUE + dt.timedelta(days=3),
    )  # fmt: skip


def test_chasing_an_accepted_or_submitted_return_is_refused(ret, bob, alice):
    return_save(ret=ret, user=bob, values=workforce_values())
    return_submit(ret=ret, user=bob)
    with pytest.raises(ReturnError, match="nothing to chase"):
        return_chase(ret=ret, user=alice)


# --- a real worker ---------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_reminders_from_the_broker_and_a_second_run_sends_none(
    worker,  # noqa: F811  (the fixture imported above)
    worker_log_on_failure,  # noqa: F811
    ret,
    bob,
):
    result = run_on_worker(worker, "returns.tasks.send_return_reminders", REMINDER_DAY.isoformat())

    assert result.status == "SUCCESS", result.traceback
    assert result.result == "1"
    reminder = Reminder.objects.get()
    assert (reminder.ret_id, reminder.kind, reminder.recipients) == (ret.pk, Reminder.Kind.DUE_SOON, bob.email)

    again = run_on_worker(worker, "returns.tasks.send_return_reminders", REMINDER_DAY.isoformat())
    assert again.status == "SUCCESS", again.traceback
    assert again.result == "0"
    assert Reminder.objects.count() == 1
