"""One GET request: status and headers, and the body only when it is wanted."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from pipelines.fetch.body import Body, read_capped


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
) -> Reply:
    """GET ``url`` without following redirects.

    Bodies of non-2xx responses are never read, and a 2xx body is read only
    if ``refuse`` has no objection to its headers, so a 50 MB PDF costs one
    round trip rather than a download.
    """
    deadline = time.monotonic() + timeout_s
    with client.stream("GET", url) as response:
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
