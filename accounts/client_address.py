"""The address of the client, as lock-outs and rate limits count it.

``REMOTE_ADDR`` is the peer that opened the connection. Behind a reverse proxy that is the proxy,
for every client; the proxy passes the client's address on in ``X-Forwarded-For``, appending the
address it saw to whatever the client itself sent. So the header is believed only when the peer
is one of ``settings.TRUSTED_PROXIES``, and then read from the right: the first address that is
not a trusted proxy is the client. Anything to its left was written by the client and is ignored.

django-ipware (which axes would use) checks the proxies named inside the header but not the peer
that sent it, so a client that reaches the server directly could still choose its own address.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# One IPv6 host usually has a whole /64 to itself: counting single addresses would let it
# take a fresh one for every guess.
IPV6_LIMIT_PREFIX = 64


def parse_proxy_networks(values: list[str] | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """Addresses or CIDR networks (``10.0.0.0/8``, ``2001:db8::/32``, ``172.18.0.2``). A value
    that is neither raises ``ValueError``, so a typo in the settings fails at start."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip())


@functools.lru_cache(maxsize=8)
def _trusted_networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_proxy_networks(values)


def _parse(value: str | None) -> IPAddress | None:
    """One address as a header or the server gives it: ``1.2.3.4``, ``1.2.3.4:5678``,
    ``2001:db8::1`` or ``[2001:db8::1]:443``. IPv4 mapped into IPv6 counts as IPv4."""
    if not value:
        return None
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer, or behind trusted proxies the nearest address in
    ``X-Forwarded-For`` that is not one of them. ``None`` when the server gave no peer."""
    peer = _parse(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(peer, networks):
        return str(peer)
    address = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            # A trusted proxy wrote something that is not an address: believe nothing further left.
            break
        address = parsed
        if not _is_trusted(parsed, networks):
            break
    return str(address)


def address_for_limits(request: HttpRequest) -> str | None:
    """The client's address as lock-outs and rate limits count it: IPv6 by its /64 network."""
    address = client_address(request)
    if address is None or ":" not in address:
        return address
    return str(ipaddress.ip_network(f"{address}/{IPV6_LIMIT_PREFIX}", strict=False).network_address)
