"""Creating and editing practices, clusters and sites through the forms."""

import datetime as dt

import pytest
from django.urls import reverse

from practices.models import CCGMembership, Cluster, Practice, Site

from ..factories import ClusterFactory, SiteFactory


def _practice_data(practice, **changes):
    data = {
        "ods_code": practice.ods_code,
        "name": practice.name,
        "address_line_1": practice.address_line_1,
        "town": practice.town,
        "postcode": practice.postcode,
        "contract_type": practice.contract_type,
        "status": practice.status,
        "open_date": "1974-04-01",
    }
    return {**data, **changes}


def _version(client, url):
    return client.get(url).context["form"]["history_version"].value()


def test_commissioner_edits_a_practice_and_history_records_who(client, alice, luton_practice):
    client.force_login(alice)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    data = _practice_data(luton_practice, telephone="01582 123456", history_version=_version(client, url))
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("practices:practice_detail", args=[luton_practice.pk])
    assert "Saved the changes to The Medical Centre." in response.text
    luton_practice.refresh_from_db()
    assert luton_practice.telephone == "01582 123456"
    latest = luton_practice.history.order_by("-history_id").first()
    assert latest.history_user == alice
    assert latest.history_type == "~"


def test_bad_ods_code_is_explained_and_the_typed_values_are_kept(client, alice, luton_practice):
    client.force_login(alice)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    data = _practice_data(
        luton_practice, ods_code="e8100", name="The New Medical Centre", history_version=_version(client, url)
    )
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.text
    assert "An ODS practice code is one capital letter and five digits, for example E81001." in html
    assert 'value="e8100"' in html  # exactly as typed
    assert 'value="The New Medical Centre"' in html
    assert '<a href="#id_ods_code">ODS code: An ODS practice code' in html  # the summary links to the field
    assert 'aria-invalid="true"' in html
    luton_practice.refresh_from_db()
    assert luton_practice.name == "The Medical Centre"


def test_bad_postcode_is_explained_and_a_lower_case_one_is_tidied(client, alice, luton_practice):
    client.force_login(alice)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    bad = client.post(url, _practice_data(luton_practice, postcode="LU1", history_version=_version(client, url)))
    assert "Enter a UK postcode with a space, for example LU1 3UA." in bad.text
    assert 'value="LU1"' in bad.text
    good = client.post(url, _practice_data(luton_practice, postcode="lu13ua", history_version=_version(client, url)))
    assert good.status_code == 302
    luton_practice.refresh_from_db()
    assert luton_practice.postcode == "LU1 3UA"


def test_close_date_before_open_date_is_refused_with_a_clear_message(client, alice, luton_practice):
    client.force_login(alice)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    data = _practice_data(luton_practice, close_date="1970-01-01", history_version=_version(client, url))
    response = client.post(url, data)
    assert "The close date must be on or after the open date." in response.text


def test_commissioner_adds_a_practice_to_their_ccg_with_its_ccg_membership(client, alice, luton):
    client.force_login(alice)
    data = {"ods_code": "E81999", "name": "New Surgery", "postcode": "LU2 7DB", "status": "active"}
    data["open_date"] = "2020-10-01"
    response = client.post(reverse("practices:practice_create", args=[luton.pk]), data)
    practice = Practice.objects.get(ods_code="E81999")
    assert response.url == practice.get_absolute_url()
    assert practice.ccg == luton
    membership = CCGMembership.objects.get(practice=practice)
    assert (membership.ccg, membership.start_date) == (luton, dt.date(2020, 10, 1))
    assert practice.history.get().history_user == alice


def test_duplicate_ods_code_is_refused(client, alice, luton, luton_practice):
    client.force_login(alice)
    data = {"ods_code": "E81001", "name": "Copy", "status": "active"}
    response = client.post(reverse("practices:practice_create", args=[luton.pk]), data)
    assert "Practice with this ODS code already exists." in response.text


def test_commissioner_adds_and_renames_a_cluster(client, alice, luton, luton_cluster):
    client.force_login(alice)
    response = client.post(
        reverse("practices:cluster_create", args=[luton.pk]),
        {"name": "Luton South", "kind": "pcn", "code": "u12345", "stated_population": "41000"},
    )
    cluster = Cluster.objects.get(name="Luton South")
    assert response.url == cluster.get_absolute_url()
    assert (cluster.ccg, cluster.kind, cluster.code, cluster.stated_population) == (luton, "pcn", "U12345", 41000)

    url = reverse("practices:cluster_update", args=[luton_cluster.pk])
    data = {"name": "Luton North and Central", "kind": "locality", "history_version": _version(client, url)}
    assert client.post(url, data).status_code == 302
    luton_cluster.refresh_from_db()
    assert luton_cluster.name == "Luton North and Central"
    assert luton_cluster.history.order_by("-history_id").first().history_user == alice


def test_a_second_cluster_of_the_same_name_in_a_ccg_is_refused(client, alice, luton, luton_cluster):
    client.force_login(alice)
    url = reverse("practices:cluster_create", args=[luton.pk])
    response = client.post(url, {"name": "luton north", "kind": "cluster"})
    assert response.status_code == 200
    assert "The CCG already has a cluster called luton north." in response.text


def test_practice_manager_adds_a_site_to_their_practice(client, bob, luton_practice):
    client.force_login(bob)
    data = {"name": "Castle Street branch", "kind": "branch", "postcode": "lu1 3aa"}
    response = client.post(reverse("practices:site_create", args=[luton_practice.pk]), data)
    assert response.url == luton_practice.get_absolute_url()
    site = Site.objects.get(name="Castle Street branch")
    assert (site.practice, site.postcode) == (luton_practice, "LU1 3AA")
    assert site.history.get().history_user == bob


def test_practice_manager_edits_their_site(client, bob, luton_practice):
    site = SiteFactory(practice=luton_practice, name="Castle Street branch")
    client.force_login(bob)
    url = reverse("practices:site_update", args=[site.pk])
    data = {"name": "Castle St branch", "kind": "branch", "postcode": "LU2 7DB"}
    data["history_version"] = _version(client, url)
    assert client.post(url, data).status_code == 302
    site.refresh_from_db()
    assert site.name == "Castle St branch"


def test_a_second_open_main_surgery_is_refused(client, bob, luton_practice):
    SiteFactory(practice=luton_practice, name="Main surgery", kind=Site.Kind.MAIN)
    client.force_login(bob)
    data = {"name": "Another main", "kind": "main", "postcode": "LU2 7DB"}
    response = client.post(reverse("practices:site_create", args=[luton_practice.pk]), data)
    assert response.status_code == 200
    assert "The practice already has an open main surgery." in response.text
    assert 'value="Another main"' in response.text


def test_commissioner_moves_a_practice_to_another_cluster_from_a_date(
    client, alice, luton, luton_practice, luton_cluster
):
    south = ClusterFactory(ccg=luton, name="Luton South")
    client.force_login(alice)
    url = reverse("practices:practice_move_cluster", args=[luton_practice.pk])
    response = client.post(url, {"cluster": south.pk, "on": "2021-04-01"}, follow=True)
    assert "The Medical Centre is in Luton South from 1 Apr 2021." in response.text
    old, new = luton_practice.cluster_memberships.order_by("start_date")
    assert (old.cluster, old.end_date) == (luton_cluster, dt.date(2021, 4, 1))
    assert (new.cluster, new.start_date, new.end_date) == (south, dt.date(2021, 4, 1), None)


def test_moving_a_practice_to_its_own_cluster_is_explained(client, alice, luton_practice, luton_cluster):
    client.force_login(alice)
    url = reverse("practices:practice_move_cluster", args=[luton_practice.pk])
    response = client.post(url, {"cluster": luton_cluster.pk, "on": "2021-04-01"})
    assert response.status_code == 200
    assert "The practice is already in Luton North on that date." in response.text
    assert luton_practice.cluster_memberships.count() == 1


def test_move_form_offers_only_clusters_of_the_practices_ccg(client, root, luton_practice, wolverhampton):
    ClusterFactory(ccg=wolverhampton, name="Wolverhampton East")
    client.force_login(root)
    response = client.get(reverse("practices:practice_move_cluster", args=[luton_practice.pk]))
    assert "Wolverhampton East" not in response.text


@pytest.mark.parametrize("url_name", ["practice_update", "practice_create", "cluster_create", "site_create"])
def test_every_form_field_has_a_label(client, alice, luton, luton_practice, url_name):
    args = [luton.pk] if url_name in ("practice_create", "cluster_create") else [luton_practice.pk]
    client.force_login(alice)
    response = client.get(reverse(f"practices:{url_name}", args=args))
    form = response.context["form"]
    for field in form:
        if not field.is_hidden:
            assert f'for="{field.id_for_label}"' in response.text, field.name
