"""The practice profile: the section registry, who sees which practice and section, and CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.profile import register_section, sections, unregister_section, visible_sections
from tests.factories import ListSizeFactory

from .helpers import Q3, metric_value

pytestmark = pytest.mark.django_db


def profile_url(practice):
    return reverse("dashboards:practice_profile", args=[practice.pk])


@pytest.fixture
def secret_section():
    """A section only administrators see, registered for one test."""
    register_section(
        "test_secret", title="Administrators only", template="dashboards/_profile_section.html", order=5,
        context=lambda practice, user: {"table": None} if user.is_superuser or user.username == "root" else None,
    )  # fmt: skip
    yield
    unregister_section("test_secret")


def test_sections_are_in_order_and_a_key_registered_twice_replaces_the_first():
    keys = [s.key for s in sections()]
    assert keys[:2] == ["list_size", "workforce"]
    assert keys.index("funding") < keys.index("actions")
    register_section("list_size", title="Again", template="x.html", order=10, context=lambda p, u: None)
    try:
        assert [s.title for s in sections() if s.key == "list_size"] == ["Again"]
    finally:
        from dashboards.profile import register

        register()


def test_a_section_whose_context_returns_none_is_left_out(bob, root, luton_practice, secret_section):
    assert "test_secret" not in [s.key for s in visible_sections(luton_practice, bob)]
    assert "test_secret" in [s.key for s in visible_sections(luton_practice, root)]


def test_practice_manager_sees_their_own_practices_profile(client, bob, luton_practice, plan_actions):
    ListSizeFactory(practice=luton_practice, patients=9300, extract_date=dt.date(2015, 4, 1))
    plan_actions["on_time"].practices.add(luton_practice)
    client.force_login(bob)
    response = client.get(profile_url(luton_practice))
    assert response.status_code == 200
    text = response.text
    for heading in ["List size history", "Workforce", "Access", "Funding received", "Open actions and risks"]:
        assert f">{heading}</h2>" in text
    assert "9,500" in text and "9,300" in text
    assert "PC01" in text
    # Risks belong to the plan, which practice managers do not read.
    assert "Open risks that threaten these actions" not in text


def test_practice_manager_cannot_open_another_practices_profile(client, bob, wolverhampton_practice):
    client.force_login(bob)
    assert client.get(profile_url(wolverhampton_practice)).status_code == 404
    csv_url = reverse("dashboards:practice_profile_csv", args=[wolverhampton_practice.pk, "list_size"])
    assert client.get(csv_url).status_code == 404


@pytest.mark.parametrize("person", ["alice", "carol", "root"])
def test_the_ccgs_people_and_administrators_read_the_profile(client, request, person, luton_practice):
    client.force_login(request.getfixturevalue(person))
    assert client.get(profile_url(luton_practice)).status_code == 200


def test_commissioner_of_another_ccg_cannot_read_the_profile(client, erin, luton_practice):
    client.force_login(erin)
    assert client.get(profile_url(luton_practice)).status_code == 404


def test_commissioner_sees_the_risks_that_threaten_the_practices_actions(client, alice, luton_practice, plan_actions,
                                                                         risks):  # fmt: skip
    plan_actions["on_time"].practices.add(luton_practice)
    risks["extreme"].actions.add(plan_actions["on_time"])
    client.force_login(alice)
    text = client.get(profile_url(luton_practice)).text
    assert "Open risks that threaten these actions" in text
    assert "R01" in text and "Extreme" in text


def test_profile_section_csv_has_the_list_sizes(client, bob, luton_practice):
    client.force_login(bob)
    response = client.get(reverse("dashboards:practice_profile_csv", args=[luton_practice.pk, "list_size"]))
    lines = response.content.decode().splitlines()
    assert lines[0] == "Extract date,Registered patients,Source"
    assert lines[1].endswith(",9500,Not recorded") or ",9500," in lines[1]


def test_profile_workforce_reads_the_engines_values(client, today, bob, luton_practice):
    metric_value(luton_practice, "gp_fte_per_1000", Q3, 0.62, numerator=5.9, denominator=9500)
    metric_value(luton_practice, "nurse_fte_per_1000", Q3, 0.3, numerator=2.85, denominator=9500)
    client.force_login(bob)
    text = client.get(profile_url(luton_practice)).text
    assert "2018/19 Q3" in text and "0.6" in text


@pytest.mark.parametrize("extracts", [2, 20])
def test_profile_queries_do_not_grow_with_history(client, bob, luton_practice, extracts, django_assert_max_num_queries):
    for n in range(extracts):
        ListSizeFactory(
            practice=luton_practice, patients=9000 + n, extract_date=dt.date(2016, 1, 1) + dt.timedelta(days=31 * n)
        )
    client.force_login(bob)
    client.get(profile_url(luton_practice))
    with django_assert_max_num_queries(25):
        assert client.get(profile_url(luton_practice)).status_code == 200
