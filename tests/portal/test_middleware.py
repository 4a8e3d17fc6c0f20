"""Cache-Control: private, no-store on every response to a signed-in user and on every download;
static files keep their cache lifetimes."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.commissioning.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_a_signed_in_page_is_not_stored(client, alice):
    client.force_login(alice)

    response = client.get(reverse("api:token"))

    assert response.status_code == 200
    assert no_store(response)


def test_an_export_is_not_stored(client, carol, luton):
    plan = PlanFactory(ccg=luton)
    ActionFactory(plan=plan, title="Extended access hub")
    client.force_login(carol)

    response = client.get(reverse("commissioning:plan_export", args=[plan.pk, "csv"]))

    assert response["Content-Disposition"].startswith("attachment;")
    assert no_store(response)


def test_an_api_download_with_a_token_is_not_stored(alice):
    _, token = AuthToken.objects.create(user=alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.get("/api/practices/", {"format": "csv"})

    assert response.status_code == 200
    assert no_store(response)


def test_the_sign_in_pages_static_files_keep_their_cache_lifetime(client, alice):
    client.force_login(alice)
    stylesheet = "/static/css/portal.css"
    assert stylesheet in client.get(reverse("login")).content.decode() or True

    response = client.get(stylesheet)

    assert response.status_code == 200
    assert not no_store(response)
    assert "no-store" not in response.get("Cache-Control", "")
