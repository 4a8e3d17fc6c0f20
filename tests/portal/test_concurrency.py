"""Two people editing one record: the second save is refused, their text kept, nothing overwritten."""

from django.urls import reverse

from practices.models import Role

from ..factories import RoleFactory, SiteFactory, UserFactory


def _open_form(client, url):
    response = client.get(url)
    return response.context["form"]["history_version"].value()


def _practice_form(practice, version, **changes):
    data = {
        "ods_code": practice.ods_code,
        "name": practice.name,
        "address_line_1": practice.address_line_1,
        "town": practice.town,
        "postcode": practice.postcode,
        "open_date": practice.open_date.isoformat(),
        "contract_type": practice.contract_type,
        "status": practice.status,
        "history_version": version,
    }
    return {**data, **changes}


def _second_commissioner(luton):
    frank = UserFactory(username="frank", first_name="Frank", last_name="Khan")
    RoleFactory(user=frank, kind=Role.Kind.COMMISSIONER, ccg=luton)
    return frank


def test_stale_save_is_refused_and_the_typed_text_kept(client, alice, luton, luton_practice):
    frank = _second_commissioner(luton)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    client.force_login(alice)
    alices_version = _open_form(client, url)

    client.force_login(frank)
    frank_version = _open_form(client, url)
    assert client.post(url, _practice_form(luton_practice, frank_version, telephone="01582 111111")).status_code == 302

    client.force_login(alice)
    response = client.post(url, _practice_form(luton_practice, alices_version, telephone="01582 222222"))
    assert response.status_code == 200
    assert "Someone else (Frank Khan) changed this practice at" in response.text
    assert "their version is shown; your text is kept below" in response.text
    assert 'value="01582 222222"' in response.text  # Alice's typing, in the form
    change = response.context["concurrent_change"]
    assert [(c.label, c.old, c.new) for c in change.changes] == [("Telephone", "01582 111111", "01582 222222")]
    luton_practice.refresh_from_db()
    assert luton_practice.telephone == "01582 111111"


def test_saving_again_after_seeing_the_other_version_replaces_it(client, alice, luton, luton_practice):
    frank = _second_commissioner(luton)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    client.force_login(alice)
    stale = _open_form(client, url)
    client.force_login(frank)
    client.post(url, _practice_form(luton_practice, _open_form(client, url), telephone="01582 111111"))

    client.force_login(alice)
    refused = client.post(url, _practice_form(luton_practice, stale, telephone="01582 222222"))
    now_seen = refused.context["form"]["history_version"].value()
    assert now_seen != stale
    assert client.post(url, _practice_form(luton_practice, now_seen, telephone="01582 222222")).status_code == 302
    luton_practice.refresh_from_db()
    assert luton_practice.telephone == "01582 222222"


def test_a_save_by_an_import_since_the_form_opened_is_also_caught(client, alice, luton_practice):
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    client.force_login(alice)
    version = _open_form(client, url)
    luton_practice.name = "The Medical Centre (renamed by ODS)"
    luton_practice.save()
    response = client.post(url, _practice_form(luton_practice, version, name="Medical Centre"))
    assert "Someone else (an import or a job) changed this practice" in response.text
    luton_practice.refresh_from_db()
    assert luton_practice.name == "The Medical Centre (renamed by ODS)"


def test_a_form_posted_without_a_version_is_refused_once_history_exists(client, alice, luton_practice):
    client.force_login(alice)
    url = reverse("practices:practice_update", args=[luton_practice.pk])
    response = client.post(url, _practice_form(luton_practice, "", telephone="01582 333333"))
    assert response.status_code == 200
    assert "Someone else" in response.text


def test_the_guard_serves_sites_as_well_as_practices(client, bob, luton_practice):
    site = SiteFactory(practice=luton_practice, name="Castle Street branch")
    url = reverse("practices:site_update", args=[site.pk])
    client.force_login(bob)
    version = _open_form(client, url)
    site.postcode = "LU3 1AA"
    site.save()
    data = {"name": "Castle St branch", "kind": "branch", "postcode": "LU2 7DB", "history_version": version}
    response = client.post(url, data)
    assert "changed this site at" in response.text
    assert 'value="Castle St branch"' in response.text
    site.refresh_from_db()
    assert site.name == "Castle Street branch"


def test_the_guard_serves_clusters(client, alice, luton_cluster):
    url = reverse("practices:cluster_update", args=[luton_cluster.pk])
    client.force_login(alice)
    version = _open_form(client, url)
    luton_cluster.stated_population = 60000
    luton_cluster.save()
    data = {"name": "Luton North", "kind": "cluster", "stated_population": "50000", "history_version": version}
    response = client.post(url, data)
    change = response.context["concurrent_change"]
    assert [(c.old, c.new) for c in change.changes] == [("60,000", "50,000")]
