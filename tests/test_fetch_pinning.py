"""The private-address guard: one DNS answer per hop, and the connection goes to that answer.

A rebinding DNS server answers the guard's lookup with a public address and the HTTP client's own
lookup with an internal one. Here "public" is 127.0.0.2 (the guard is told so) and "internal" is a
second server on 127.0.0.1, same port: the fetcher must never reach it.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import pipelines.fetch.netguard as netguard
from fetch_server import fast_settings
from pipelines.fetch import PoliteFetcher

PUBLIC_STAND_IN = "127.0.0.2"
INTERNAL = "127.0.0.1"
NAME = "rebind.test"


class _Site:
    """A tiny HTTP server on one loopback address that records the Host header of each request."""

    def __init__(self, address: str, port: int, body: bytes) -> None:
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802
                site.requests.append((self.path, self.headers.get("Host", "")))
                payload = body if self.path != "/robots.txt" else b"User-agent: *\nAllow: /\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if self.path != "/robots.txt" else "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def two_sites():
    """The real site on 127.0.0.2 and an internal service on 127.0.0.1, on one port number."""
    for _ in range(20):
        public = _Site(PUBLIC_STAND_IN, 0, b"<html><body>public article</body></html>")
        try:
            internal = _Site(INTERNAL, public.port, b"<html><body>internal secret</body></html>")
        except OSError:
            public.close()
            continue
        yield public, internal
        public.close()
        internal.close()
        return
    pytest.skip("no port free on both loopback addresses")


def _resolver(monkeypatch, answers):
    """Replace DNS for NAME: the n-th lookup gets answers(n); other names resolve as usual."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != NAME:
            return real(host, port, *args, **kwargs)
        address = answers(len(lookups))
        lookups.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    # 127.0.0.2 plays a public address; every other check stays as it is.
    real_kind = netguard.blocked_kind
    monkeypatch.setattr(netguard, "blocked_kind", lambda ip: None if str(ip) == PUBLIC_STAND_IN else real_kind(ip))
    return lookups


def test_a_rebinding_resolver_never_gets_the_fetcher_to_the_internal_address(two_sites, monkeypatch):
    public, internal = two_sites
    # The first two lookups (the checks of the page and of its robots.txt) answer public, every
    # later one internal: a guard that checks a name and then lets the HTTP client look it up
    # again to connect sends its requests to the internal service.
    lookups = _resolver(monkeypatch, lambda n: PUBLIC_STAND_IN if n < 2 else INTERNAL)
    with PoliteFetcher(fast_settings(allow_private_networks=False, retries=0)) as fetcher:
        result = fetcher.fetch(f"http://{NAME}:{public.port}/article")
    assert internal.requests == [], "the HTTP client resolved the name again and reached the internal service"
    assert len(lookups) == 2  # one per hop checked, none by the client
    assert result.outcome == "ok" and "public article" in result.html
    assert sorted(path for path, _host in public.requests) == ["/article", "/robots.txt"]


def test_the_connection_goes_to_the_vetted_address_with_the_name_in_the_host_header(two_sites, monkeypatch):
    public, internal = two_sites
    lookups = _resolver(monkeypatch, lambda n: PUBLIC_STAND_IN)
    with PoliteFetcher(fast_settings(allow_private_networks=False, retries=0)) as fetcher:
        result = fetcher.fetch(f"http://{NAME}:{public.port}/article")
    assert result.outcome == "ok" and "public article" in result.html
    assert result.final_url == f"http://{NAME}:{public.port}/article"
    assert public.requests == [("/robots.txt", f"{NAME}:{public.port}"), ("/article", f"{NAME}:{public.port}")]
    assert internal.requests == []
    assert lookups == [PUBLIC_STAND_IN, PUBLIC_STAND_IN]  # one lookup per hop, none by the client


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        # 6to4: 2002:AABB:CCDD::/48 is the IPv4 address AA.BB.CC.DD's network.
        ("2002:a00:1::1", "private (inside 6to4 2002:a00:1::1)"),
        ("2002:7f00:1::", "loopback (inside 6to4 2002:7f00:1::)"),
        ("2002:a9fe:a9fe::1", "link-local (inside 6to4 2002:a9fe:a9fe::1)"),
        ("2002:5db8:d822::1", None),  # 93.184.216.34's 6to4 network: public
        # Teredo: the client's IPv4 address, bits inverted, in the last 32 bits (here 10.0.0.1).
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private (inside Teredo 2001:0:4136:e378:8000:63bf:f5ff:fffe)"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback (inside Teredo 2001:0:4136:e378:8000:63bf:80ff:fffe)"),
        # NAT64's well-known prefix hands packets to the IPv4 address in the last 32 bits.
        ("64:ff9b::a9fe:a9fe", "link-local (inside NAT64 64:ff9b::a9fe:a9fe)"),
        ("::ffff:169.254.169.254", "link-local"),
    ],
)
def test_ipv6_addresses_carrying_a_private_ipv4_address_are_refused(address, kind):
    assert netguard.blocked_kind(ipaddress.ip_address(address)) == kind


def test_a_name_resolving_to_a_6to4_address_of_a_private_network_is_refused(monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == NAME:
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2002:a9fe:a9fe::1", port, 0, 0))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(netguard.AddressRefused, match="link-local .*6to4"):
        netguard.vetted_address(NAME, 80)
