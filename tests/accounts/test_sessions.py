"""Deactivating a user ends their sessions and API tokens: reactivated, they sign in afresh."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import SignedInSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_client(username: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("api:token")).status_code == 200


def test_a_reactivated_users_old_session_cookie_is_refused(alice):
    laptop, phone = signed_in_client("alice"), signed_in_client("alice")
    assert is_signed_in(laptop) and is_signed_in(phone)

    alice.is_active = False
    alice.save()
    alice.is_active = True
    alice.save()

    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(signed_in_client("alice"))


def test_a_user_deactivated_in_the_admin_and_reactivated_signs_in_afresh(alice, django_user_model):
    session = signed_in_client("alice")
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("root", "root@example.nhs.uk", PASSWORD))
    form = admin.get(reverse("admin:practices_user_change", args=[alice.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",
            "date_joined_0": alice.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": alice.date_joined.strftime("%H:%M:%S"),
            "last_login_0": "",
            "last_login_1": "",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        }  # fmt: skip
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data["groups"] = []
    data["user_permissions"] = []

    response = admin.post(reverse("admin:practices_user_change", args=[alice.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    alice.refresh_from_db()
    assert not alice.is_active
    alice.is_active = True
    alice.save()
    assert not is_signed_in(session)


def test_deactivating_a_user_drops_their_api_tokens(alice):
    AuthToken.objects.create(user=alice)

    alice.is_active = False
    alice.save()

    assert not AuthToken.objects.filter(user=alice).exists()


def test_signing_out_forgets_the_session_and_a_new_sign_in_forgets_ended_ones(alice):
    first = signed_in_client("alice")
    first.post(reverse("logout"))
    second = signed_in_client("alice")
    Session.objects.filter(session_key=second.session.session_key).delete()

    signed_in_client("alice")

    assert SignedInSession.objects.filter(user=alice).count() == 1


def test_a_user_deactivated_without_a_signal_still_signs_in_afresh_when_reactivated(alice, django_user_model):
    session = signed_in_client("alice")
    django_user_model.objects.filter(pk=alice.pk).update(is_active=False)  # a bulk change sends no signal
    assert not is_signed_in(session)  # refused while inactive, but the session is still there

    alice.refresh_from_db()
    alice.is_active = True
    alice.save()

    assert not is_signed_in(session)
    assert is_signed_in(signed_in_client("alice"))


def test_saving_an_active_user_keeps_their_sessions(alice):
    session = signed_in_client("alice")
    alice.first_name = "Alicia"
    alice.save()
    assert is_signed_in(session)
