"""Every page that takes an object id, tried by each person who must not see or change it."""

import pytest
from django.urls import reverse

from practices.models import Cluster, Practice, Site

from ..factories import ClusterFactory, SiteFactory

READ_PAGES = ["stp_detail", "ccg_detail", "cluster_detail", "practice_detail"]
EDIT_PAGES = [
    "cluster_create",
    "practice_create",
    "cluster_update",
    "practice_update",
    "practice_move_cluster",
    "site_create",
    "site_update",
]


@pytest.fixture
def luton_site(luton_practice):
    return SiteFactory(practice=luton_practice, name="Castle Street branch", postcode="LU1 3AA")


@pytest.fixture
def luton_pages(luton, luton_cluster, luton_practice, luton_site):
    """The URL of each page for Luton's objects, with a valid POST for each form."""
    other_cluster = ClusterFactory(ccg=luton, name="Luton South")
    return {
        "stp_detail": (reverse("practices:stp_detail", args=[luton.stp_id]), None),
        "ccg_detail": (reverse("practices:ccg_detail", args=[luton.pk]), None),
        "cluster_detail": (reverse("practices:cluster_detail", args=[luton_cluster.pk]), None),
        "practice_detail": (reverse("practices:practice_detail", args=[luton_practice.pk]), None),
        "cluster_create": (
            reverse("practices:cluster_create", args=[luton.pk]),
            {"name": "Intruder cluster", "kind": "cluster"},
        ),
        "practice_create": (
            reverse("practices:practice_create", args=[luton.pk]),
            {"ods_code": "E81999", "name": "Intruder Surgery", "status": "active"},
        ),
        "cluster_update": (
            reverse("practices:cluster_update", args=[luton_cluster.pk]),
            {"name": "Renamed by intruder", "kind": "cluster"},
        ),
        "practice_update": (
            reverse("practices:practice_update", args=[luton_practice.pk]),
            {"ods_code": "E81001", "name": "Renamed by intruder", "status": "active"},
        ),
        "practice_move_cluster": (
            reverse("practices:practice_move_cluster", args=[luton_practice.pk]),
            {"cluster": other_cluster.pk, "on": "2021-01-01"},
        ),
        "site_create": (
            reverse("practices:site_create", args=[luton_practice.pk]),
            {"name": "Intruder branch", "kind": "branch", "postcode": "LU2 7DB"},
        ),
        "site_update": (
            reverse("practices:site_update", args=[luton_site.pk]),
            {"name": "Renamed by intruder", "kind": "branch", "postcode": "LU2 7DB"},
        ),
    }


def _nothing_changed(luton_practice, luton_cluster, luton_site):
    assert not Practice.objects.filter(name__icontains="intruder").exists()
    assert not Cluster.objects.filter(name__icontains="intruder").exists()
    assert not Site.objects.filter(name__icontains="intruder").exists()
    assert luton_practice.cluster_memberships.count() == 1


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_practice_manager_of_another_ccg_cannot_open_luton_pages(client, dave, luton_pages, page):
    client.force_login(dave)
    url, _ = luton_pages[page]
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_practice_manager_of_another_ccg_cannot_post_to_luton_forms(
    client, dave, luton_pages, page, luton_practice, luton_cluster, luton_site
):
    client.force_login(dave)
    url, data = luton_pages[page]
    assert client.post(url, data).status_code == 404
    _nothing_changed(luton_practice, luton_cluster, luton_site)


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_commissioner_of_another_ccg_cannot_read_luton_objects(client, erin, luton_pages, page):
    client.force_login(erin)
    url, _ = luton_pages[page]
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_commissioner_of_another_ccg_cannot_post_to_luton_forms(
    client, erin, luton_pages, page, luton_practice, luton_cluster, luton_site
):
    client.force_login(erin)
    url, data = luton_pages[page]
    assert client.post(url, data).status_code == 404
    _nothing_changed(luton_practice, luton_cluster, luton_site)


@pytest.mark.parametrize("page", READ_PAGES)
def test_governing_body_member_reads_their_ccgs_pages(client, carol, luton_pages, page):
    client.force_login(carol)
    url, _ = luton_pages[page]
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_governing_body_member_cannot_open_or_post_edits(
    client, carol, luton_pages, page, luton_practice, luton_cluster, luton_site
):
    client.force_login(carol)
    url, data = luton_pages[page]
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    _nothing_changed(luton_practice, luton_cluster, luton_site)


@pytest.mark.parametrize(
    ("page", "status"),
    [
        ("stp_detail", 404),
        ("ccg_detail", 404),
        ("cluster_detail", 404),
        ("practice_detail", 200),
        ("cluster_create", 404),
        ("practice_create", 404),
        ("cluster_update", 404),
        ("practice_update", 403),
        ("practice_move_cluster", 403),
        ("site_create", 200),
        ("site_update", 200),
    ],
)
def test_practice_manager_sees_their_practice_and_changes_only_its_sites(client, bob, luton_pages, page, status):
    client.force_login(bob)
    url, _ = luton_pages[page]
    assert client.get(url).status_code == status


@pytest.mark.parametrize("page", ["practice_update", "practice_move_cluster"])
def test_practice_manager_cannot_post_changes_to_their_practice(
    client, bob, luton_pages, page, luton_practice, luton_cluster, luton_site
):
    client.force_login(bob)
    url, data = luton_pages[page]
    assert client.post(url, data).status_code == 403
    luton_practice.refresh_from_db()
    assert luton_practice.name == "The Medical Centre"
    _nothing_changed(luton_practice, luton_cluster, luton_site)


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_administrator_opens_every_page(client, root, luton_pages, page):
    client.force_login(root)
    url, _ = luton_pages[page]
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_commissioner_opens_every_page_of_their_ccg(client, alice, luton_pages, page):
    client.force_login(alice)
    url, _ = luton_pages[page]
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, luton_pages, page):
    url, _ = luton_pages[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wolverhampton_practice_manager_gets_404_for_a_luton_site_even_by_guessing_ids(client, dave, luton_site):
    client.force_login(dave)
    for pk in (luton_site.pk, luton_site.pk + 1000):
        assert client.get(reverse("practices:site_update", args=[pk])).status_code == 404
