"""Refuse hosts that resolve to addresses outside the public internet, and pin the connection.

A feed or a redirect can point at 127.0.0.1, the cloud metadata service or an office router; the
pipeline must not become a way to reach those.

Each hop is resolved once, here: every address the name has must be public, and the request is
then sent to the first of them (`vetted_address`; `exchange.send` connects to that address and
keeps the name for the Host header and TLS). The HTTP client never resolves the name itself, so a
DNS server that answers with a public address for the check and a private one for the connection
(DNS rebinding) gets nowhere.

IPv6 addresses that carry an IPv4 address inside them are judged by the address they carry:
IPv4-mapped (::ffff:10.0.0.1), 6to4 (2002::/16, the IPv4 address in bits 16-47), Teredo
(2001::/32, the client's address, obfuscated in the last 32 bits) and NAT64 (64:ff9b::/96). A
relay or gateway on the path delivers such packets to the IPv4 address inside.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The host is reachable only on a non-public address."""


class ResolutionFailed(Exception):
    """The host name does not resolve."""


def blocked_kind(ip: IPAddress) -> str | None:
    """Name of the non-public range ``ip`` falls in, or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            # ::ffff:10.0.0.1 reaches 10.0.0.1 on dual-stack sockets.
            ip = ip.ipv4_mapped
        else:
            for tunnel, inner in _embedded_ipv4(ip):
                kind = _range_kind(inner)
                if kind is not None:
                    return f"{kind} (inside {tunnel} {ip})"
    return _range_kind(ip)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """IPv4 addresses an IPv6 address hands its packets to: (tunnel name, address)."""
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        server, client = ip.teredo
        found += [("Teredo", client), ("Teredo", server)]
    if ip in _NAT64:
        found.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return found


def _range_kind(ip: IPAddress) -> str | None:
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


def vetted_address(host: str, port: int | None) -> IPAddress:
    """Resolve ``host`` once and return the address to connect to.

    Raises AddressRefused when any of its addresses is non-public (a name with one private address
    among public ones is refused whole: which one a client picks is not ours to predict).
    """
    addresses = _resolve(host, port)
    for ip in addresses:
        kind = blocked_kind(ip)
        if kind is not None:
            raise AddressRefused(f"{kind} address {ip} refused")
    return addresses[0]


def check_host(host: str, port: int | None) -> None:
    """Raise AddressRefused if any address of ``host`` is non-public."""
    vetted_address(host, port)


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
        address = ipaddress.ip_address(text)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ResolutionFailed(f"DNS lookup failed for {host}: no addresses")
    return addresses
