"""Estates on the home page: premises schemes at business case, awaiting approval, for the
commissioner's own CCGs only, linking to the scheme list filtered to exactly those."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from estates.models import Scheme
from estates.todo import business_cases_to_approve
from portal.todo import COMMISSIONER
from practices.models import Role

from ..factories import CCGFactory, RoleFactory
from .factories import SchemeFactory

TODAY = dt.date(2019, 1, 20)


def test_business_cases_awaiting_approval_for_the_commissioners_ccg(client, luton, wolverhampton, alice):
    SchemeFactory(ccg=luton, name="Hub extension", status=Scheme.Status.BUSINESS_CASE)
    SchemeFactory(ccg=luton, name="Health centre", status=Scheme.Status.BUSINESS_CASE)
    SchemeFactory(ccg=luton, name="Approved refit", status=Scheme.Status.APPROVED, capital_cost=Decimal("100000"),
                  share_funded_percent=Decimal("50"))  # fmt: skip
    SchemeFactory(ccg=luton, name="A bid", status=Scheme.Status.BID)
    SchemeFactory(ccg=wolverhampton, name="Wolverhampton case", status=Scheme.Status.BUSINESS_CASE)

    [item] = business_cases_to_approve(alice, TODAY)

    assert (item.role, item.text, item.note) == (
        COMMISSIONER, "2 premises schemes at business case, awaiting approval", ""
    )  # fmt: skip
    assert item.url == f"{reverse('estates:scheme_list')}?ccg={luton.pk}&status=business_case"
    client.force_login(alice)
    html = client.get(item.url).text
    assert "Hub extension" in html and "Health centre" in html
    assert "Approved refit" not in html and "A bid" not in html and "Wolverhampton case" not in html


def test_a_commissioner_of_two_ccgs_gets_one_line_per_ccg_named(luton, wolverhampton, alice, erin, carol):
    milton_keynes = CCGFactory(ods_code="04F", name="NHS Milton Keynes CCG")
    RoleFactory(user=alice, kind=Role.Kind.COMMISSIONER, ccg=milton_keynes)
    SchemeFactory(ccg=luton, status=Scheme.Status.BUSINESS_CASE)
    SchemeFactory(ccg=milton_keynes, status=Scheme.Status.BUSINESS_CASE)
    SchemeFactory(ccg=wolverhampton, status=Scheme.Status.BUSINESS_CASE)
    assert [(i.count, i.note) for i in business_cases_to_approve(alice, TODAY)] == [
        (1, "NHS Luton CCG"), (1, "NHS Milton Keynes CCG")
    ]  # fmt: skip
    assert [i.count for i in business_cases_to_approve(erin, TODAY)] == [1]
    assert business_cases_to_approve(carol, TODAY) == []
