"""The client's address: X-Forwarded-For is believed only from a trusted proxy, read from the right."""

import pytest
from django.test import RequestFactory

from accounts.client_address import address_for_limits, client_address

PROXY = "10.0.0.2"


def request(remote_addr, forwarded_for=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.fixture(autouse=True)
def trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def test_a_client_that_connects_directly_is_its_own_address_whatever_it_sends():
    assert client_address(request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw():
    assert client_address(request(PROXY, "203.0.113.5")) == "203.0.113.5"


def test_behind_a_trusted_proxy_what_the_client_wrote_itself_is_ignored():
    assert client_address(request(PROXY, "198.51.100.7, 203.0.113.5")) == "203.0.113.5"


def test_a_chain_of_trusted_proxies_is_skipped_from_the_right():
    assert client_address(request(PROXY, "198.51.100.7, 203.0.113.5, 10.0.0.9")) == "203.0.113.5"


def test_with_no_header_the_proxy_itself_is_the_address():
    assert client_address(request(PROXY)) == PROXY


def test_garbage_written_by_a_trusted_proxy_stops_the_walk_at_that_proxy():
    assert client_address(request(PROXY, "203.0.113.5, not-an-address, 10.0.0.9")) == "10.0.0.9"


def test_ports_brackets_and_mapped_ipv4_are_understood():
    assert client_address(request(PROXY, "203.0.113.5:4711")) == "203.0.113.5"
    assert client_address(request(PROXY, "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_address(request("::ffff:203.0.113.5")) == "203.0.113.5"


def test_with_no_trusted_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []

    assert client_address(request(PROXY, "203.0.113.5")) == PROXY


def test_limits_count_an_ipv6_client_by_its_slash_64():
    assert address_for_limits(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
    assert address_for_limits(request("203.0.113.5")) == "203.0.113.5"
