"""The contract event pages in the browser's place: the create page opens and records an event."""

from django.urls import reverse

from quality.models import ContractEvent


def test_commissioner_opens_the_contract_event_create_page(client, alice, luton_practice):
    client.force_login(alice)
    response = client.get(reverse("quality:contract_event_create", args=[luton_practice.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Record a contract event for {luton_practice.name}" in page
    assert f'href="{reverse("dashboards:practice_profile", args=[luton_practice.pk])}"' in page


def test_commissioner_records_a_contract_event_and_lands_on_it(client, alice, luton_practice):
    client.force_login(alice)
    response = client.post(
        reverse("quality:contract_event_create", args=[luton_practice.pk]),
        {
            "kind": ContractEvent.Kind.LIST_CLOSURE,
            "contract_type": "GMS",
            "summary": "Close the list for 12 weeks.",
            "received_date": "2018-09-03",
            "committee": "Primary Care Commissioning Committee",
        },
    )
    event = ContractEvent.objects.get(practice=luton_practice)
    assert response.status_code == 302
    assert response.url == event.get_absolute_url()
    assert event.created_by == alice


def test_practice_manager_cannot_open_the_contract_event_create_page(client, bob, luton_practice):
    client.force_login(bob)
    assert client.get(reverse("quality:contract_event_create", args=[luton_practice.pk])).status_code == 403


def test_another_ccgs_commissioner_cannot_find_the_practice(client, erin, luton_practice):
    client.force_login(erin)
    assert client.get(reverse("quality:contract_event_create", args=[luton_practice.pk])).status_code == 404


def test_a_refused_contract_event_shows_the_form_again(client, alice, luton_practice):
    client.force_login(alice)
    response = client.post(reverse("quality:contract_event_create", args=[luton_practice.pk]), {"kind": ""})
    assert response.status_code == 200
    assert not ContractEvent.objects.exists()
