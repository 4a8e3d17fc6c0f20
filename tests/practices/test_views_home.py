"""The home page: each role's to-do list and pages; signing in and out."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from portal import todo
from practices.models import Role

from ..conftest import PASSWORD
from ..dashboards.helpers import set_today
from ..factories import PracticeFactory, RoleFactory, UserFactory


def todo_list_of(html: str, role: str) -> str:
    """The items of one role's to-do list on the home page."""
    return html.split(f'<ul id="todo-{role}"')[1].split("</ul>")[0]


def home_page(client, user):
    client.force_login(user)
    response = client.get(reverse("practices:home"))
    assert response.status_code == 200
    return response


def test_commissioner_home_is_their_to_do_list_with_a_link_to_their_ccg(client, alice, luton):
    html = home_page(client, alice).text
    assert "<h1>What needs you today</h1>" in html
    assert "As commissioner for NHS Luton CCG" in html
    assert f'<a href="{reverse("practices:ccg_detail", args=[luton.pk])}">NHS Luton CCG</a>' in html


def test_practice_manager_home_links_to_their_practice(client, bob, luton_practice):
    html = home_page(client, bob).text
    assert "As practice manager of The Medical Centre" in html
    assert f'<a href="{reverse("practices:practice_detail", args=[luton_practice.pk])}">The Medical Centre</a>' in html


def test_practice_manager_of_several_practices_sees_them_all_named(client, bob, luton, luton_practice):
    second = PracticeFactory(ods_code="E81002", name="Second Surgery", ccg=luton)
    RoleFactory(user=bob, kind=Role.Kind.PRACTICE_MANAGER, practice=second)
    html = home_page(client, bob).text
    assert "As practice manager of Second Surgery and The Medical Centre" in html


def test_governing_body_member_home_links_to_their_ccgs_dashboard(client, carol, luton):
    html = home_page(client, carol).text
    assert "As governing body member of NHS Luton CCG" in html
    assert f'<a href="{reverse("dashboards:ccg", args=[luton.pk])}">NHS Luton CCG dashboard</a>' in html
    assert "As commissioner" not in html


def test_administrator_home_has_the_admin_section(client, root):
    html = home_page(client, root).text
    assert "As administrator of the portal" in html


def test_nothing_to_do_says_so_with_the_date(client, alice, time_machine):
    set_today(time_machine, dt.date(2026, 12, 4))
    html = home_page(client, alice).text
    assert "<strong>Nothing needs you today</strong>, 4 December 2026." in html
    assert "Friday 4 December 2026" in html
    assert '<ul id="todo-' not in html


@pytest.fixture
def throwaway_providers():
    """Three providers of made-up items; unregistered afterwards."""

    def overdue(user, today):
        return [
            todo.TodoItem(role=todo.COMMISSIONER, url="/late/", singular="thing overdue", plural="things overdue",
                          count=3, urgency=todo.Urgency.OVERDUE, due_date=today - dt.timedelta(days=9),
                          note="the oldest was due 25 November 2026"),
            todo.TodoItem(role=todo.COMMISSIONER, url="/later/", singular="other overdue", plural="others overdue",
                          count=1, urgency=todo.Urgency.OVERDUE, due_date=today - dt.timedelta(days=2)),
        ]  # fmt: skip

    def due(user, today):
        return [
            todo.TodoItem(role=todo.COMMISSIONER, url="/soon/", singular="thing due", plural="things due", count=2,
                          urgency=todo.Urgency.DUE, due_date=today + dt.timedelta(days=3)),
            todo.TodoItem(role=todo.GOVERNING_BODY, url="/papers/", singular="Papers for the next meeting",
                          urgency=todo.Urgency.DUE, due_date=today),
        ]  # fmt: skip

    def waiting(user, today):
        return [todo.TodoItem(role=todo.COMMISSIONER, url="/wait/", singular="bid to decide", plural="bids to decide",
                              count=4, more_text="all bids", more_url="/bids/")]  # fmt: skip

    for provider in (waiting, due, overdue):
        todo.register(provider)
    yield
    for provider in (waiting, due, overdue):
        todo.unregister(provider)


def test_home_lists_the_items_most_urgent_first_with_counts_in_words(client, alice, throwaway_providers, time_machine):
    set_today(time_machine, dt.date(2026, 12, 4))
    html = home_page(client, alice).text
    todo_list = todo_list_of(html, "commissioner")
    links = re.findall(r'<li><a href="([^"]+)">', todo_list)
    assert links == ["/late/", "/later/", "/soon/", "/wait/"]
    assert '<a href="/late/"><strong>3</strong> things overdue</a>: the oldest was due 25 November 2026' in todo_list
    assert '<a href="/later/"><strong>1</strong> other overdue</a>' in todo_list
    assert '; <a href="/bids/">all bids</a>' in todo_list
    assert "Nothing needs you today" not in html


def test_home_leaves_out_items_for_a_role_the_person_does_not_hold(client, alice, throwaway_providers):
    html = home_page(client, alice).text
    assert "/papers/" not in html


def test_a_person_with_two_roles_gets_a_section_for_each(client, alice, luton, throwaway_providers):
    RoleFactory(user=alice, kind=Role.Kind.GOVERNING_BODY, ccg=luton)
    html = home_page(client, alice).text
    assert html.index("As commissioner for NHS Luton CCG") < html.index("As governing body member of NHS Luton CCG")
    governing = todo_list_of(html, "governing_body")
    assert '<li><a href="/papers/">Papers for the next meeting</a></li>' in governing
    assert "/papers/" not in todo_list_of(html, "commissioner")


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
    assert response.redirect_chain[-1][0] == reverse("practices:home")
    assert "What needs you today" in response.text


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


def test_the_home_page_reads_in_a_number_of_queries_that_does_not_grow_with_the_rows(client, alice, luton):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..commissioning.factories import ActionFactory, PlanFactory

    plan = PlanFactory(ccg=luton)
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("practices:home")).status_code == 200
        return len(captured.captured_queries)

    ActionFactory(plan=plan, due_date=dt.date(2018, 1, 31))
    few = queries()
    for _ in range(5):
        ActionFactory(plan=plan, due_date=dt.date(2018, 1, 31))
    assert queries() == few
