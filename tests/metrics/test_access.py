"""Need to know on the recompute runs: a run is England-wide, so every commissioner sees its
progress, but only what it says about their own CCGs' returns, and who asked for it only when
it was they or a colleague; administrators see all of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from metrics.models import RecomputeRun
from returns.registry import return_type
from returns.services import collection_open, return_save

pytestmark = pytest.mark.django_db

Q3_2017 = dt.date(2017, 10, 1)


def _draft_revision(ccg, practice, user):
    ret = collection_open(
        ccg=ccg, return_type="workforce", period_start=Q3_2017, due_date=dt.date(2018, 1, 15), user=user
    ).returns.get(practice=practice)
    return return_save(ret=ret, user=user, values=return_type("workforce").empty_values())


@pytest.fixture
def run(luton, wolverhampton, luton_practice, wolverhampton_practice, alice, erin):
    """A finished run, started by alice, that left out one Luton and one Wolverhampton return."""
    left_out = [
        (luton_practice, _draft_revision(luton, luton_practice, alice)),
        (wolverhampton_practice, _draft_revision(wolverhampton, wolverhampton_practice, erin)),
    ]
    return RecomputeRun.objects.create(
        trigger=RecomputeRun.Trigger.BROWSER, requested_by=alice, status=RecomputeRun.Status.DONE, problems=[
            {"area": "workforce", "practice": practice.ods_code, "period": "2017/18 Q3", "revision": revision.pk,
             "reason": "The practice has no list size for the period."}
            for practice, revision in left_out
        ],
    )  # fmt: skip


def _pages(client, run) -> dict[str, str]:
    return {
        name: client.get(url).content.decode()
        for name, url in (
            ("list", reverse("metrics:recompute")),
            ("run", reverse("metrics:run_detail", args=[run.pk])),
            ("progress", reverse("metrics:run_progress", args=[run.pk])),
        )
    }


def test_a_commissioner_of_another_ccg_sees_the_run_but_not_luton_practices_or_who_asked(client, run, erin):
    client.force_login(erin)
    pages = _pages(client, run)
    for name, page in pages.items():
        assert "E81001" not in page, name
        assert "Alice" not in page, name
    assert "M92001" in pages["run"] and "M92001" in pages["progress"]
    assert "100% done" in pages["progress"]


def test_the_commissioner_who_asked_sees_their_own_ccgs_returns_and_their_name(client, run, alice):
    client.force_login(alice)
    pages = _pages(client, run)
    assert "E81001" in pages["run"] and "M92001" not in pages["run"]
    assert "by Alice" in pages["run"]


def test_an_administrator_sees_every_return_left_out_and_who_asked(client, run, root):
    client.force_login(root)
    page = _pages(client, run)["run"]
    assert "E81001" in page and "M92001" in page and "by Alice" in page


@pytest.mark.parametrize("username", ["bob", "carol"])
def test_practice_managers_and_the_governing_body_see_no_run(client, run, username, request):
    client.force_login(request.getfixturevalue(username))
    assert client.get(reverse("metrics:run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("metrics:run_progress", args=[run.pk])).status_code == 404


def test_the_list_counts_only_the_users_own_returns_left_out_in_a_fixed_number_of_queries(
    run, erin, django_assert_num_queries
):
    from metrics.visibility import runs_as_seen_by

    runs = list(RecomputeRun.objects.select_related("requested_by"))
    with django_assert_num_queries(3):  # the roles, the returns the user may open, colleagues among those who asked
        seen = runs_as_seen_by(erin, runs)
    assert [[p["practice"] for p in r.shown_problems] for r in seen] == [["M92001"]]
    assert seen[0].shown_requester is None
