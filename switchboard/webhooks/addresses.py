"""Server-side request forgery guard: a webhook goes to a public address only, unless the
administrator allowed private ones for that endpoint. The host is resolved when the endpoint is
saved and again before every delivery (DNS may have changed), and the delivery connects to the
address that was checked, not to a second lookup's."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefusedError(Exception):
    """The URL cannot be used: not http(s), its host unknown, or a private address not allowed."""


def is_public(address: IPAddress) -> bool:
    """Neither private, loopback, link-local, multicast, reserved nor unspecified (an IPv4
    address written as IPv6 is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefusedError(_("The address must start with https:// or http:// and name a host."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AddressRefusedError(_("The address's port is not a number.")) from error
    return parts.scheme, parts.hostname, port


def resolve(url: str, *, allow_private: bool) -> IPAddress:
    """The address to connect to for ``url``, after checking every address its host has."""
    _scheme, host, port = split_url(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefusedError(_("The host %(host)s could not be found.") % {"host": host}) from error
    addresses = [ipaddress.ip_address(str(entry[4][0]).split("%", 1)[0]) for entry in found]
    if not addresses:
        raise AddressRefusedError(_("The host %(host)s could not be found.") % {"host": host})
    if not allow_private and (refused := [address for address in addresses if not is_public(address)]):
        where = host if str(refused[0]) == host else f"{host} ({refused[0]})"
        raise AddressRefusedError(
            _(
                "%(where)s is a private, local or reserved address. Webhooks go to public addresses only, "
                "unless “Allow private addresses” is ticked."
            )
            % {"where": where}
        )
    return addresses[0]
