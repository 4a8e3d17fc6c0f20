"""Shared fixtures: two CCGs with a practice each, and one named person per role and organisation.

alice commissions Luton (06P); bob manages Luton's practice E81001; carol sits on Luton's
governing body; dave manages a Wolverhampton (06A) practice; erin commissions Wolverhampton;
root administers the portal.

Freezing time: use time-machine (pinned in requirements-dev.txt), never a monkeypatch of
``timezone.now``/``localdate``. Take the ``time_machine`` fixture and call
``time_machine.move_to(moment, tick=False)`` (again to move the clock on), or decorate with
``@time_machine.travel(moment, tick=False)``; see tests/dashboards/helpers.py ``set_today``.
"""

import os

import pytest

from practices.models import Role

from .factories import (
    CCGFactory,
    CCGMembershipFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    ListSizeFactory,
    PracticeFactory,
    RoleFactory,
    STPFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def luton(db):
    stp = STPFactory(ons_code="E54000024", name="Bedfordshire, Luton and Milton Keynes")
    return CCGFactory(ods_code="06P", name="NHS Luton CCG", stp=stp)


@pytest.fixture
def wolverhampton(db):
    stp = STPFactory(ons_code="E54000010", name="The Black Country")
    return CCGFactory(ods_code="06A", name="NHS Wolverhampton CCG", stp=stp)


@pytest.fixture
def luton_cluster(luton):
    return ClusterFactory(ccg=luton, name="Luton North", stated_population=55000)


@pytest.fixture
def luton_practice(luton, luton_cluster):
    practice = PracticeFactory(ods_code="E81001", name="The Medical Centre", ccg=luton)
    CCGMembershipFactory(practice=practice)
    ClusterMembershipFactory(practice=practice, cluster=luton_cluster)
    ListSizeFactory(practice=practice, patients=9500)
    return practice


@pytest.fixture
def wolverhampton_practice(wolverhampton):
    practice = PracticeFactory(ods_code="M92001", name="Wolverhampton Surgery", ccg=wolverhampton)
    CCGMembershipFactory(practice=practice)
    ListSizeFactory(practice=practice, patients=7000)
    return practice


def _person(username, kind, **organisation):
    user = UserFactory(username=username, first_name=username.title())
    RoleFactory(user=user, kind=kind, **organisation)
    return user


@pytest.fixture
def alice(luton):
    return _person("alice", Role.Kind.COMMISSIONER, ccg=luton)


@pytest.fixture
def bob(luton_practice):
    return _person("bob", Role.Kind.PRACTICE_MANAGER, practice=luton_practice)


@pytest.fixture
def carol(luton):
    return _person("carol", Role.Kind.GOVERNING_BODY, ccg=luton)


@pytest.fixture
def dave(wolverhampton_practice):
    return _person("dave", Role.Kind.PRACTICE_MANAGER, practice=wolverhampton_practice)


@pytest.fixture
def erin(wolverhampton):
    return _person("erin", Role.Kind.COMMISSIONER, ccg=wolverhampton)


@pytest.fixture
def root(db):
    return _person("root", Role.Kind.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Every database test starts with the rows the data migrations load.

    A transactional test (browser, worker) flushes the database when it ends, which takes
    those rows too; without this, tests that follow one would fail by order alone.
    """
    from portal.reference_data import ensure_reference_data

    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    ensure_reference_data()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded files (kept for the worker to read) go to a folder of each test's own."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT
