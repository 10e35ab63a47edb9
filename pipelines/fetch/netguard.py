"""Refuse hosts that resolve to addresses outside the public internet.

A feed or a redirect can point at 127.0.0.1, the cloud metadata service or an
office router; the pipeline must not become a way to reach those.

Known gap: the check resolves the name, then httpx resolves it again to
connect, so a DNS server that answers differently the second time can still
slip through. Closing that would mean pinning the connection to the checked
address, which httpx does not offer without a custom transport.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The host is reachable only on a non-public address."""


class ResolutionFailed(Exception):
    """The host name does not resolve."""


def blocked_kind(ip: IPAddress) -> str | None:
    """Name of the non-public range ``ip`` falls in, or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        # ::ffff:10.0.0.1 reaches 10.0.0.1 on dual-stack sockets.
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    # Before is_private, which also covers 240.0.0.0/4 and would hide the better name.
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        # e.g. 100.64.0.0/10 carrier-grade NAT, neither private nor public.
        return "non-public"
    return None


def check_host(host: str, port: int | None) -> None:
    """Raise AddressRefused if any address of ``host`` is non-public."""
    for ip in _resolve(host, port):
        kind = blocked_kind(ip)
        if kind is not None:
            raise AddressRefused(f"{kind} address {ip} refused")


def _resolve(host: str, port: int | None) -> list[IPAddress]:
    literal = host.strip("[]")
    try:
        return [ipaddress.ip_address(literal)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(literal, port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise ResolutionFailed(f"DNS lookup failed for {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # Drop an IPv6 zone id ("fe80::1%eth0") before parsing.
        text = str(sockaddr[0]).split("%", 1)[0]
        addresses.append(ipaddress.ip_address(text))
    if not addresses:
        raise ResolutionFailed(f"DNS lookup failed for {host}: no addresses")
    return addresses
