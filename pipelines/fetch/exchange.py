"""One GET request: status and headers, and the body only when it is wanted."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from pipelines.fetch.body import Body, read_capped
from pipelines.fetch.netguard import IPAddress


@dataclass(frozen=True)
class Reply:
    url: str
    status: int
    headers: httpx.Headers
    body: Body | None = None
    # Why a 2xx body was left unread (e.g. a PDF); None when it was read.
    refusal: str | None = None


def send(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int,
    timeout_s: float,
    refuse: Callable[[httpx.Headers], str | None],
    on_status: Callable[[int], None] = lambda status: None,
    connect_to: IPAddress | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """GET ``url`` without following redirects.

    Bodies of non-2xx responses are never read, and a 2xx body is read only
    if ``refuse`` has no objection to its headers, so a 50 MB PDF costs one
    round trip rather than a download.

    ``connect_to`` pins the connection to an address the caller has vetted (see netguard): the
    request goes to that address, with the URL's host name in the Host header and, for https, as
    the TLS server name the certificate is checked against. The client then has no name to resolve.
    """
    deadline = time.monotonic() + timeout_s
    target, extra, extensions = _pinned(url, connect_to)
    with client.stream("GET", target, headers={**extra, **(headers or {})}, extensions=extensions) as response:
        status = response.status_code
        headers = response.headers
        # Reported before the body is read, so a body that then times out
        # still leaves the status on record.
        on_status(status)
        if not 200 <= status < 300:
            return Reply(url, status, headers)
        refusal = refuse(headers)
        if refusal is not None:
            return Reply(url, status, headers, refusal=refusal)
        body = read_capped(response, max_bytes, deadline)
        return Reply(url, status, headers, body=body)


def _pinned(url: str, connect_to: IPAddress | None) -> tuple[httpx.URL | str, dict[str, str], dict[str, str]]:
    if connect_to is None:
        return url, {}, {}
    parsed = httpx.URL(url)
    # httpx puts brackets around an IPv6 host itself.
    target = parsed.copy_with(host=str(connect_to))
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    return target, {"Host": parsed.netloc.decode("ascii")}, extensions
