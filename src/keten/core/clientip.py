"""The client's address: the one function the audit log, the login lockout and the API throttles use.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as far as it was
written by Keten's own reverse proxies: the networks listed in ``KETEN_TRUSTED_PROXIES``. A request
whose connection does not come from such a proxy is the client itself, whatever the header says.
Behind a proxy the header is read from the right (the entry the nearest proxy appended) past every
further trusted proxy; the first address that is not a proxy is the client. Entries to the left of it
were written by the client and are ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """``["10.0.0.0/8", "192.0.2.7"]`` as networks; ValueError for anything that is not one."""
    networks = []
    for value in values:
        text = str(value).strip()
        if text.isdigit():
            raise ValueError(f"{text!r} is not a network: list the proxies' addresses or networks, not their number")
        networks.append(ipaddress.ip_network(text, strict=False))
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(values)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """The configured proxy networks (parsed once per distinct setting)."""
    return _networks(tuple(settings.KETEN_TRUSTED_PROXIES))


def _address(value: str | None) -> IPAddress | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_proxy(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: Any) -> str | None:
    """The address of the client behind ``request`` (a Django or DRF request), or None when unknown."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = trusted_proxies()
    if not networks or not _is_proxy(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed(forwarded.split(",") if forwarded else []):
        address = _address(hop)
        if address is None:  # written by a trusted hop but not an address: stop at that hop
            break
        client = address
        if not _is_proxy(address, networks):
            break
    return str(client)
