"""The embedded default (SQLite) holds ten people at once: against a live server on the SQLite
file, ten practice managers sign in through the real form and save their draft returns, three
times over, while the metrics are recomputed again and again in another thread. No answer may
be a server error, and every draft that was said to be saved is saved.

On PostgreSQL this says nothing (its locks are per row), so it is skipped there.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.parse

import pytest
from django.conf import settings
from django.db import connection

from metrics import services as metrics_services
from metrics.models import MetricValue
from practices.models import Role
from returns.models import Return
from returns.services import collection_open, return_accept, return_save, return_submit

from .conftest import PASSWORD
from .factories import CCGFactory, ListSizeFactory, PracticeFactory, RoleFactory, STPFactory, UserFactory
from .http_clients import Person
from .returns.helpers import workforce_values

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="about SQLite's one writer at a time"
)

CLIENTS = 10
ROUNDS = 3
#: Accepted quarters before the open one, so that each recompute has values to write.
PAST_QUARTERS = [dt.date(2016, 10, 1), dt.date(2017, 1, 1), dt.date(2017, 4, 1), dt.date(2017, 7, 1)]
OPEN_QUARTER = dt.date(2017, 10, 1)


@pytest.fixture
def ten_practices(transactional_db, monkeypatch):
    """A CCG of ten practices, each with its manager (pm0...pm9), four accepted workforce
    returns each and this quarter's return open; {username: return}."""
    stp = STPFactory(ons_code="E54000024", name="Bedfordshire, Luton and Milton Keynes")
    ccg = CCGFactory(ods_code="06P", name="NHS Luton CCG", stp=stp)
    commissioner = UserFactory(username="commissioner")
    RoleFactory(user=commissioner, kind=Role.Kind.COMMISSIONER, ccg=ccg)
    managers = {}
    for number in range(CLIENTS):
        practice = PracticeFactory(ods_code=f"E8{number:04d}", name=f"Surgery {number}", ccg=ccg)
        ListSizeFactory(practice=practice, extract_date=dt.date(2016, 10, 1), patients=8000 + 100 * number)
        manager = UserFactory(username=f"pm{number}")
        RoleFactory(user=manager, kind=Role.Kind.PRACTICE_MANAGER, practice=practice)
        managers[practice.pk] = manager
    # Accepting queues a debounced recompute; the test runs its own.
    monkeypatch.setattr(metrics_services, "recompute_request", lambda **period: None)
    for quarter in PAST_QUARTERS:
        collection = collection_open(
            ccg=ccg, return_type="workforce", period_start=quarter, due_date=quarter + dt.timedelta(days=105),
            user=commissioner,
        )  # fmt: skip
        for ret in collection.returns.all():
            return_save(ret=ret, user=managers[ret.practice_id], values=workforce_values())
            return_submit(ret=ret, user=managers[ret.practice_id])
            return_accept(ret=ret, user=commissioner)
    collection = collection_open(
        ccg=ccg, return_type="workforce", period_start=OPEN_QUARTER, due_date=dt.date(2018, 1, 15), user=commissioner
    )
    return {managers[ret.practice_id].username: ret for ret in collection.returns.all()}


def recompute_until(stop: threading.Event, runs: list, faults: list) -> None:
    try:
        while not stop.is_set():
            metrics_services.metrics_recompute()
            runs.append(time.monotonic())
    except Exception as exc:  # noqa: BLE001 - reported by the test
        faults.append(exc)
    finally:
        connection.close()


def test_ten_people_sign_in_and_save_drafts_while_the_metrics_are_recomputed(live_server, ten_practices):
    address = urllib.parse.urlsplit(live_server.url)
    metrics_services.metrics_recompute()
    assert MetricValue.objects.exists()
    stop, runs, faults = threading.Event(), [], []
    recompute = threading.Thread(target=recompute_until, args=(stop, runs, faults))
    people: list[Person] = []
    saved: dict[str, int] = {}
    said_saved: list[bool] = []

    def person_at_work(username: str, ret: Return) -> None:
        for round_ in range(ROUNDS):
            person = Person(address.hostname, address.port)
            people.append(person)
            headcount = 10 * (round_ + 1) + int(username[2:])
            ok = person.sign_in(username, PASSWORD) and person.save_draft(
                ret.pk, {"gp_partner__headcount": str(headcount)}
            )
            said_saved.append(ok)
            if ok:
                saved[username] = headcount

    workers = [threading.Thread(target=person_at_work, args=item) for item in ten_practices.items()]
    recompute.start()
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    finished = time.monotonic()
    stop.set()
    recompute.join(timeout=120)

    errors = [f"{a.status} {a.method} {a.path}" for person in people for a in person.errors()]
    assert errors == [], f"{len(errors)} server errors, e.g. {errors[:5]}"
    assert not faults, faults
    assert all(said_saved) and len(said_saved) == CLIENTS * ROUNDS
    assert any(started < run < finished for run in runs), "no recompute finished while the people worked"
    for username, ret in ten_practices.items():
        values = ret.type.load(Return.objects.get(pk=ret.pk).draft_revision())
        assert values["gp_partner"]["headcount"] == saved[username]
