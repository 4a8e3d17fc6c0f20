"""Only active practices count as open, and every total says the dates it is counted from.

ODS epraccur has four statuses (A active, C closed, D dormant, P proposed); the CCG page
once counted 101 "open" practices where ODS had 88 active, adding the dormant ones.
"""

import datetime as dt

import pytest
from django.urls import reverse

from practices.models import Practice
from practices.populations import population_on

from ..factories import CCGMembershipFactory, ListSizeFactory, PracticeFactory

ON = dt.date(2019, 10, 1)
ODS_DECEMBER_2019 = dt.date(2020, 1, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statuses(luton):
    """One practice of each ODS status, each a member of Luton with a list size."""
    made = {}
    for code, status, close_date in (
        ("E81001", Practice.Status.ACTIVE, None),
        ("E81002", Practice.Status.DORMANT, None),
        ("E81003", Practice.Status.PROPOSED, None),
        ("E81004", Practice.Status.CLOSED, dt.date(2020, 3, 31)),
        ("E81005", Practice.Status.CLOSED, None),
    ):
        practice = PracticeFactory(
            ods_code=code, ccg=luton, status=status, close_date=close_date, ods_file_date=ODS_DECEMBER_2019
        )
        CCGMembershipFactory(practice=practice)
        ListSizeFactory(practice=practice, patients=1000, extract_date=dt.date(2019, 7, 1))
        made[status if close_date is None else "closed later"] = practice
    return made


def test_only_active_practices_and_those_closed_later_count_as_open(luton, statuses):
    population = population_on(luton, ON)
    assert population.practices == 2  # the active one, and the one closed on 31 March 2020
    assert population.patients == 2000
    assert population_on(luton, dt.date(2020, 4, 1)).practices == 1
    assert set(Practice.objects.open_on(ON).values_list("ods_code", flat=True)) == {"E81001", "E81004"}


def test_the_ccg_page_counts_open_practices_and_says_the_ods_file_date(client, alice, luton, statuses):
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"on": ON.isoformat()}).text
    assert "2 open on 1 Oct 2019" in html
    assert "statuses as in the ODS practice file of 1 Jan 2020" in html
    assert "5 practices in all, including closed, dormant and proposed ones" in html
    assert "list sizes as at 1 Jul 2019" in html
    assert "adds list sizes of different dates" not in html


def test_a_total_of_list_sizes_of_different_extract_dates_says_so(client, alice, luton, statuses):
    ListSizeFactory(practice=statuses[Practice.Status.ACTIVE], patients=1200, extract_date=dt.date(2019, 9, 1))
    population = population_on(luton, ON)
    assert population.mixes_extract_dates
    assert population.dates_text == "list sizes of 2 extract dates, 1 Jul 2019 to 1 Sep 2019, added together"
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"on": ON.isoformat()}).text
    assert "2,200 patients" in html
    assert "list sizes of 2 extract dates, 1 Jul 2019 to 1 Sep 2019, added together" in html
    assert "This total adds list sizes of different dates." in html
