"""Sending a webhook call only to a public address: check, pin, send, and say little about failures.

A partner system chooses the address its match events are sent to, so the address is untrusted:
pointed at the machine itself, the private network or a cloud metadata service, a webhook would let
a partner reach what only Keten can reach, and a detailed delivery log would let it map that network
(which ports answer, how fast). Therefore:

* the address must be ``https://`` with a host name or address and without user information;
  obvious internal names (``localhost``, ``*.local``, ``*.internal`` …) are refused outright;
* the host name is resolved, and **every** address it resolves to must be public (not loopback,
  private, link-local, carrier-grade NAT, multicast, unspecified, reserved, documentation or
  benchmarking ranges, IPv4-mapped/NAT64/6to4/Teredo forms of those, or a cloud metadata address).
  This happens when the webhook is registered *and again before every delivery*, so a name that is
  re-pointed after registration (DNS re-binding) is refused at delivery;
* the connection goes to exactly the address that was checked (no second look-up), with the host
  name in the ``Host`` header and, for https, in SNI and in the certificate check (the system's
  trusted authorities, hostname verification on);
* a redirect is never followed (its status code is the answer), no proxy from the environment is
  used;
* a failure is reported as one of three generic words (:class:`DeliveryError`); the details go to the
  server log only.

``KETEN_VI_WEBHOOK_ALLOW_HTTP`` (development and tests only; the production settings refuse it)
lets ``http://`` addresses and non-public addresses through, still resolved once and pinned.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Names that are internal whatever they resolve to.
_INTERNAL_NAMES = ("localhost",)
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet")

#: Never a webhook's address, on top of what :mod:`ipaddress` calls non-global. Includes the cloud
#: metadata services (169.254.169.254, fd00:ec2::254, 100.100.100.200, 192.0.0.192) and the IPv6
#: forms that carry an IPv4 address (mapped, NAT64, 6to4, Teredo), which are refused as a whole.
_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/96",
        "::ffff:0:0/96",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)
#: At most this many of a name's addresses are tried (each only if connecting to the one before failed).
MAX_ADDRESSES = 4


class DeliveryError(Exception):
    """A delivery that got no usable HTTP answer; ``str()`` is what the subscriber reads."""

    UNREACHABLE = "niet bereikbaar"
    INVALID_RESPONSE = "ongeldig antwoord"
    TIMEOUT = "time-out"

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        #: For the server log only.
        self.detail = detail

    def __str__(self) -> str:
        return self.kind


class AddressRefusedError(DeliveryError):
    """The address is not one Keten sends to (scheme, user information, internal or unknown name)."""

    def __init__(self, detail: str) -> None:
        super().__init__(DeliveryError.UNREACHABLE, detail)


class CredentialsInAddressError(AddressRefusedError):
    """The address carries a user name or password."""


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` lies on the public internet (and is none of the ranges above)."""
    if any(address in network for network in _BLOCKED if network.version == address.version):
        return False
    return bool(
        address.is_global
        and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )
    )


@dataclass(frozen=True)
class Target:
    """A checked webhook address: where to connect, and what to tell the server."""

    scheme: str
    host: str  # the host name (IDNA), for the Host header, SNI and the certificate check
    port: int
    path: str
    addresses: tuple[IPAddress, ...]


def parse(url: str, *, allow_http: bool) -> SplitResult:
    """The parts of an acceptable webhook URL, before any look-up; :class:`AddressRefusedError` otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise AddressRefusedError("not a valid URL") from exc
    if parts.scheme not in ({"https", "http"} if allow_http else {"https"}) or not parts.hostname:
        raise AddressRefusedError("scheme or host not allowed")
    if parts.username is not None or parts.password is not None:
        raise CredentialsInAddressError("user information in the address")
    if port == 0:
        raise AddressRefusedError("port 0")
    return parts


def _idna(host: str) -> str:
    host = host.strip("[]").rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise AddressRefusedError("host name cannot be encoded") from exc


def internal_name(host: str) -> bool:
    """A name of the machine or its own network (also a single label such as ``intranet``)."""
    host = host.strip("[]").rstrip(".").lower()
    single_label = "." not in host and ":" not in host
    return host in _INTERNAL_NAMES or host.endswith(_INTERNAL_SUFFIXES) or single_label


def resolve(url: str, *, allow_private: bool) -> Target:
    """Check the URL and resolve its host; every address must be public unless ``allow_private``."""
    parts = parse(url, allow_http=allow_private)
    assert parts.hostname is not None
    host = _idna(parts.hostname)
    if not allow_private and internal_name(host):
        raise AddressRefusedError("internal host name")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AddressRefusedError(f"cannot resolve: {exc}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        try:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        except ValueError as exc:
            raise AddressRefusedError("resolver returned something that is not an address") from exc
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefusedError("no addresses")
    if not allow_private:
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise AddressRefusedError(f"not public: {', '.join(map(str, refused))}")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port, path, tuple(addresses))


def _tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's trusted authorities, for the host name."""
    return ssl.create_default_context()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to one given address; ``host`` (the name) is what the Host header says."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to one given address, with the host name for SNI and the certificate check."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.tls = context

    def connect(self) -> None:
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _connection(target: Target, address: IPAddress, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(
            target.host, target.port, address=address, timeout=timeout, context=_tls_context()
        )
    return _PinnedHTTPConnection(target.host, target.port, address=address, timeout=timeout)


def _failure(exc: BaseException) -> DeliveryError:
    """The generic word for a failed call (the order matters: a certificate error is also a
    ValueError, and a server that hangs up without answering is also a ConnectionResetError)."""
    if isinstance(exc, DeliveryError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TimeoutError):
        return DeliveryError(DeliveryError.TIMEOUT, detail)
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(DeliveryError.UNREACHABLE, detail)  # no secure connection to this host name
    if isinstance(exc, http.client.HTTPException | ValueError):
        return DeliveryError(DeliveryError.INVALID_RESPONSE, detail)
    return DeliveryError(DeliveryError.UNREACHABLE, detail)  # refused, reset, no route, …


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool = False) -> int:
    """POST ``body`` to the webhook and return the HTTP status code of the answer (never following
    a redirect). Raises :class:`DeliveryError` when there is no usable answer."""
    deadline = time.monotonic() + timeout
    target = resolve(url, allow_private=allow_private)
    connection: http.client.HTTPConnection | None = None
    last: BaseException | None = None
    for address in target.addresses[:MAX_ADDRESSES]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        candidate = _connection(target, address, remaining)
        try:
            candidate.connect()
        except OSError as exc:  # also TLS and certificate errors
            candidate.close()
            last = exc
            if isinstance(exc, ssl.SSLError | TimeoutError):
                break  # out of time, or the server is there: another address will not do better
            continue
        connection = candidate
        break
    if connection is None:
        raise _failure(last or TimeoutError("no time left"))
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return int(response.status)
    except Exception as exc:
        raise _failure(exc) from exc
    finally:
        connection.close()


def describe(exc: BaseException) -> str:
    """What the server log says about a failed call (never shown to the subscriber)."""
    failure = _failure(exc)
    return f"{failure.kind} ({failure.detail or type(exc).__name__})"


def failure_kind(exc: BaseException) -> str:
    """What the subscriber reads about a failed call."""
    return _failure(exc).kind
