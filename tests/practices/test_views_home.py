"""The home page sends each role to its work; signing in and out."""

import pytest
from django.urls import reverse

from practices.models import Role

from ..conftest import PASSWORD
from ..factories import PracticeFactory, RoleFactory, UserFactory


def test_commissioner_goes_home_to_their_ccg(client, alice, luton):
    client.force_login(alice)
    assert client.get(reverse("practices:home")).url == reverse("practices:ccg_detail", args=[luton.pk])


def test_practice_manager_goes_home_to_their_practice(client, bob, luton_practice):
    client.force_login(bob)
    assert client.get(reverse("practices:home")).url == reverse("practices:practice_detail", args=[luton_practice.pk])


def test_practice_manager_of_several_practices_goes_home_to_a_list_of_them(client, bob, luton, luton_practice):
    second = PracticeFactory(ods_code="E81002", name="Second Surgery", ccg=luton)
    RoleFactory(user=bob, kind=Role.Kind.PRACTICE_MANAGER, practice=second)
    client.force_login(bob)
    response = client.get(reverse("practices:home"))
    assert response.url == reverse("practices:practice_list")
    page = client.get(response.url)
    assert "Your practices" in page.text
    assert "The Medical Centre" in page.text and "Second Surgery" in page.text


def test_governing_body_member_goes_home_to_their_ccgs_dashboard(client, carol, luton_practice, luton):
    client.force_login(carol)
    response = client.get(reverse("practices:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:ccg", args=[luton.pk])
    assert "NHS Luton CCG dashboard" in response.text


def test_administrator_goes_home_to_the_stp_list(client, root):
    client.force_login(root)
    assert client.get(reverse("practices:home")).url == reverse("practices:stp_list")


def test_person_without_a_role_is_told_whom_to_ask(client, db):
    client.force_login(UserFactory(username="newcomer"))
    response = client.get(reverse("practices:home"))
    assert response.status_code == 200
    assert "You do not have access yet" in response.text
    assert "portal administrator" in response.text


def test_anonymous_visitor_is_asked_to_sign_in(client, db):
    response = client.get(reverse("practices:home"))
    assert response.url == f"{reverse('login')}?next=/"


def test_sign_in_with_the_right_password_goes_home(client, alice, luton):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("practices:ccg_detail", args=[luton.pk])


def test_wrong_password_gives_a_clear_error_and_keeps_the_username(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Please enter a correct username and password" in response.text
    assert 'value="alice"' in response.text


def test_repeated_wrong_passwords_pause_sign_in(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in paused" in response.text


def test_sign_out_needs_a_post_and_signs_out(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out." in response.text
    assert client.get(reverse("practices:home")).status_code == 302


@pytest.mark.parametrize(
    ("person", "links"),
    [
        ("alice", ["Organisations", "Practices"]),
        ("bob", ["Your practices"]),
        ("root", ["Organisations", "Practices"]),
    ],
)
def test_navigation_fits_the_role(client, request, person, links):
    user = request.getfixturevalue(person)
    client.force_login(user)
    response = client.get(reverse("practices:practice_list"))
    nav = response.text.split('aria-label="Main"')[1].split("</nav>")[0]
    # The current page's link has its words in <strong> too (NHS.UK's fallback for forced colours).
    nav = nav.replace('<strong class="nhsuk-header__navigation-item-current-fallback">', "").replace("</strong>", "")
    for link in links:
        assert f">{link}</a>" in nav
    if person == "bob":
        assert "Organisations" not in nav


def test_layout_has_a_skip_link_main_landmark_and_one_h1(client, alice, luton):
    client.force_login(alice)
    html = client.get(reverse("practices:ccg_detail", args=[luton.pk])).text
    assert '<html lang="en-GB">' in html
    assert (
        '<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">Skip to main content</a>' in html
    )
    assert '<main class="nhsuk-main-wrapper nhsuk-main-wrapper--s" id="maincontent"' in html
    assert html.count("<h1") == 1
    assert 'Signed in as <strong class="portal-user">Alice</strong>' in html
    assert "<script>" not in html and " onclick=" not in html
