"""What the hierarchy pages show, and that their queries do not grow with the number of practices."""

import datetime as dt

import pytest
from django.urls import reverse

from practices.models import CCG, ICB, Cluster, Practice, SubICBLocation

from ..factories import CCGMembershipFactory, ClusterFactory, ClusterMembershipFactory, ListSizeFactory, PracticeFactory


def _add_practices(ccg, cluster, count, start=100):
    for n in range(start, start + count):
        practice = PracticeFactory(ods_code=f"E8{n:04d}", name=f"Extra Surgery {n}", ccg=ccg)
        ClusterMembershipFactory(practice=practice, cluster=cluster)
        ListSizeFactory(practice=practice, patients=1000)
        ListSizeFactory(practice=practice, patients=1100, extract_date=dt.date(2019, 4, 1))


@pytest.fixture
def closed_practice(luton, luton_cluster):
    practice = PracticeFactory(
        ods_code="E81050",
        name="Old Town Surgery",
        ccg=luton,
        status=Practice.Status.CLOSED,
        close_date=dt.date(2019, 3, 31),
    )
    CCGMembershipFactory(practice=practice)
    ClusterMembershipFactory(practice=practice, cluster=luton_cluster, end_date=dt.date(2019, 3, 31))
    ListSizeFactory(practice=practice, patients=4000)
    return practice


def test_ccg_page_shows_status_successor_and_population_with_units(client, alice, luton, luton_practice):
    icb = ICB.objects.create(ods_code="QHG", name="NHS Bedfordshire, Luton and Milton Keynes ICB")
    luton.successor = SubICBLocation.objects.create(ods_code="M1J4Y", name="Luton sub-ICB location", icb=icb)
    luton.save()
    luton.status_changes.create(status=CCG.CommissioningStatus.DELEGATED, effective_from=dt.date(2015, 4, 1))
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk])).text
    assert "Delegated, from 1 Apr 2015" in html
    assert "Luton sub-ICB location (M1J4Y), part of NHS Bedfordshire, Luton and Milton Keynes ICB" in html
    assert "9,500 patients" in html
    assert "as at 1 Apr 2018" in html


def test_ccg_page_sets_computed_cluster_population_beside_the_stated_one(client, alice, luton, luton_cluster):
    _add_practices(luton, luton_cluster, 3)
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk])).text
    assert "3,300 patients" in html  # three practices' latest list sizes, 1,100 each
    assert "55,000 patients" in html  # the plan document's figure


def test_ccg_page_as_at_a_date_counts_the_members_and_list_sizes_of_that_date(
    client, alice, luton, luton_practice, closed_practice
):
    """Before it closed on 31 March 2019 the old practice counted; a list size published later never does."""
    ListSizeFactory(practice=luton_practice, extract_date=dt.date(2020, 1, 1), patients=9900)
    client.force_login(alice)
    before = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"on": "2019-03-30"})
    assert before.context["on"] == dt.date(2019, 3, 30)
    assert (before.context["population"].practices, before.context["population"].patients) == (2, 13500)
    assert "Summary as at 30 Mar 2019" in before.text
    after = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"on": "2019-03-31"})
    assert (after.context["population"].practices, after.context["population"].patients) == (1, 9500)
    today = client.get(reverse("practices:ccg_detail", args=[luton.pk]))
    assert today.context["population"].patients == 9900


def test_ccg_page_refuses_a_bad_date_and_says_so(client, alice, luton, luton_practice):
    client.force_login(alice)
    response = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"on": "31/03/2019"})
    assert response.context["on"] == response.context["as_at"].default
    assert "is not a date" in response.text


def test_stp_page_as_at_a_date_gives_each_ccg_its_status_and_population_then(
    client, alice, luton, luton_practice, closed_practice, django_assert_max_num_queries
):
    from practices.models import CommissioningStatusChange

    CommissioningStatusChange.objects.create(ccg=luton, status="joint", effective_from=dt.date(2016, 10, 1))
    CommissioningStatusChange.objects.create(ccg=luton, status="delegated", effective_from=dt.date(2018, 7, 1))
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("practices:stp_detail", args=[luton.stp.pk]), {"on": "2018-06-30"})
    (row,) = response.context["ccgs"]
    assert row.status_as_at.status == "joint"
    assert (row.population.practices, row.population.patients) == (2, 13500)
    assert row.status_as_at.get_status_display() in response.text
    assert "as at 30 Jun 2018" in response.text
    earlier = client.get(reverse("practices:stp_detail", args=[luton.stp.pk]), {"on": "2018-03-31"})
    assert earlier.context["ccgs"][0].population.patients == 0  # the list sizes are of 1 April 2018


def test_closed_practice_is_listed_and_marked_closed(client, alice, luton, luton_practice, closed_practice):
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk])).text
    assert "Old Town Surgery" in html
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Closed</strong> 31 Mar 2019' in html
    detail = client.get(reverse("practices:practice_detail", args=[closed_practice.pk])).text
    assert "Closed</strong>" in detail.split("</h1>")[0]


def test_closed_practice_does_not_count_in_the_registered_population(
    client, alice, luton, luton_practice, closed_practice
):
    client.force_login(alice)
    response = client.get(reverse("practices:ccg_detail", args=[luton.pk]))
    assert response.context["population"].patients == 9500
    assert response.context["practice_count"] == 2


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "medical"}, "The Medical Centre", "Old Town Surgery"),
        ({"q": "e81050"}, "Old Town Surgery", "The Medical Centre"),
        ({"status": "closed"}, "Old Town Surgery", "The Medical Centre"),
        ({"contract_type": "PMS"}, "PMS Surgery", "The Medical Centre"),
    ],
)
def test_practice_table_filters_by_name_code_status_and_contract(
    client, alice, luton, luton_practice, closed_practice, query, shown, hidden
):
    PracticeFactory(ods_code="E81060", name="PMS Surgery", ccg=luton, contract_type=Practice.ContractType.PMS)
    client.force_login(alice)
    table = client.get(reverse("practices:ccg_detail", args=[luton.pk]), query).context["table"]
    names = [row.record.name for row in table.paginated_rows]
    assert shown in names
    assert hidden not in names


def test_practice_table_filters_by_current_cluster(client, alice, luton, luton_practice, luton_cluster):
    south = ClusterFactory(ccg=luton, name="Luton South")
    other = PracticeFactory(ods_code="E81070", name="South Surgery", ccg=luton)
    ClusterMembershipFactory(practice=other, cluster=south)
    client.force_login(alice)
    table = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"cluster": south.pk}).context["table"]
    assert [row.record.name for row in table.paginated_rows] == ["South Surgery"]


def test_practice_table_sorts_by_list_size_and_paginates(client, alice, luton, luton_cluster):
    _add_practices(luton, luton_cluster, 30)
    client.force_login(alice)
    response = client.get(reverse("practices:ccg_detail", args=[luton.pk]), {"sort": "-list_size"})
    table = response.context["table"]
    assert len(table.paginated_rows) == 25
    assert 'aria-sort="descending"' in response.text
    assert "(sorted descending)" in response.text
    assert 'aria-label="Pages of practices in nhs luton ccg"' in response.text


def test_filter_form_is_a_plain_get_form_with_labels(client, alice, luton):
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk])).text
    form = html.split('role="search"')[1].split("</form>")[0]
    assert 'method="get"' in form
    for field in ("q", "cluster", "contract_type", "status"):
        assert f'for="id_{field}"' in form
    assert "csrfmiddlewaretoken" not in form


def test_cluster_page_shows_members_on_a_date_and_past_members_as_past(
    client, alice, luton_cluster, luton_practice, closed_practice
):
    client.force_login(alice)
    url = reverse("practices:cluster_detail", args=[luton_cluster.pk])
    today = client.get(url)
    assert [m.practice for m in today.context["current"]] == [luton_practice]
    assert [m.practice for m in today.context["past"]] == [closed_practice]
    assert "Past member" in today.text
    in_2018 = client.get(url, {"on": "2018-06-01"})
    assert {m.practice for m in in_2018.context["current"]} == {luton_practice, closed_practice}
    assert "Member practices on 1 Jun 2018" in in_2018.text


def test_practice_page_shows_list_size_history_with_dates_and_units(client, bob, luton_practice):
    ListSizeFactory(practice=luton_practice, patients=10250, extract_date=dt.date(2021, 1, 1))
    client.force_login(bob)
    html = client.get(reverse("practices:practice_detail", args=[luton_practice.pk])).text
    assert "10,250 patients as at 1 Jan 2021" in html
    assert '<th class="nhsuk-table__header" scope="row">1 Apr 2018</th>' in html
    assert "9,500 patients" in html


def test_practice_manager_sees_their_ccg_and_cluster_as_text_not_links(client, bob, luton_practice, luton):
    client.force_login(bob)
    html = client.get(reverse("practices:practice_detail", args=[luton_practice.pk])).text
    assert reverse("practices:ccg_detail", args=[luton.pk]) not in html
    assert "Organisations" not in html


def test_practice_page_shows_who_changed_what(client, alice, luton_practice):
    luton_practice._history_user = alice
    luton_practice.telephone = "01582 000000"
    luton_practice.save()
    client.force_login(alice)
    response = client.get(reverse("practices:practice_detail", args=[luton_practice.pk]))
    latest = response.context["history"][0]
    assert latest.who == "Alice"
    assert latest.changes[0].label == "Telephone"
    assert "from (blank) to 01582 000000" in response.text


def test_stp_page_lists_only_the_ccgs_the_user_may_see(client, alice, luton, luton_practice):
    CCG.objects.create(ods_code="06F", name="NHS Bedfordshire CCG", stp=luton.stp)
    client.force_login(alice)
    response = client.get(reverse("practices:stp_detail", args=[luton.stp_id]))
    assert [c.name for c in response.context["ccgs"]] == ["NHS Luton CCG"]
    assert "9,500 patients" in response.text


def _count_queries(client, url, django_assert_max_num_queries, limit):
    # Each request also reads the session, the user and their roles, and saves the session.
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("page", "limit"),
    [("ccg_detail", 16), ("cluster_detail", 12), ("stp_detail", 11), ("stp_list", 10), ("practice_list", 14)],
)
def test_list_pages_do_not_grow_with_the_number_of_practices(
    client, root, luton, luton_cluster, django_assert_max_num_queries, page, limit
):
    args = {"ccg_detail": [luton.pk], "cluster_detail": [luton_cluster.pk], "stp_detail": [luton.stp_id]}.get(page, [])
    url = reverse(f"practices:{page}", args=args)
    client.force_login(root)
    _add_practices(luton, luton_cluster, 3)
    few = _count_queries(client, url, django_assert_max_num_queries, limit)
    _add_practices(luton, luton_cluster, 30, start=200)
    many = _count_queries(client, url, django_assert_max_num_queries, limit)
    assert many == few


def test_practice_page_does_not_grow_with_its_history(client, alice, luton_practice, django_assert_max_num_queries):
    client.force_login(alice)
    url = reverse("practices:practice_detail", args=[luton_practice.pk])
    few = _count_queries(client, url, django_assert_max_num_queries, 14)
    for n in range(20):
        luton_practice.telephone = f"01582 {n:06d}"
        luton_practice.save()
        ListSizeFactory(practice=luton_practice, patients=9000 + n, extract_date=dt.date(2000 + n, 1, 1))
    many = _count_queries(client, url, django_assert_max_num_queries, 14)
    assert many == few


def test_cluster_kind_and_code_show_on_the_ccg_page(client, alice, luton):
    Cluster.objects.create(ccg=luton, name="Luton PCN 1", kind=Cluster.Kind.PRIMARY_CARE_NETWORK, code="U12345")
    client.force_login(alice)
    assert "Primary Care Network (U12345)" in client.get(reverse("practices:ccg_detail", args=[luton.pk])).text


def test_governing_body_member_sees_no_edit_links(client, carol, luton, luton_practice, luton_cluster):
    client.force_login(carol)
    ccg_page = client.get(reverse("practices:ccg_detail", args=[luton.pk])).text
    assert "Add a practice" not in ccg_page and "Add a cluster" not in ccg_page
    practice_page = client.get(reverse("practices:practice_detail", args=[luton_practice.pk])).text
    assert "Edit practice" not in practice_page and "Add a site" not in practice_page
    assert "Edit cluster" not in client.get(reverse("practices:cluster_detail", args=[luton_cluster.pk])).text


def test_practice_manager_is_offered_sites_but_not_practice_edits(client, bob, luton_practice):
    client.force_login(bob)
    html = client.get(reverse("practices:practice_detail", args=[luton_practice.pk])).text
    assert "Add a site" in html
    assert "Edit practice" not in html and "Move to another cluster" not in html
