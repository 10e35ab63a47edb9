"""Follow redirects by hand and retry failed requests, pacing every request.

Redirects are not left to httpx because each hop needs the same checks as
the first URL (scheme, address, robots.txt): a public page that answers
"302 Location: http://169.254.169.254/" must be refused, not followed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

import httpx

from pipelines.fetch.decompress import CorruptBody, UnsupportedEncoding
from pipelines.fetch.exchange import Reply, send
from pipelines.fetch.netguard import IPAddress
from pipelines.fetch.pacing import HostPacer
from pipelines.fetch.retry import RETRYABLE_ERRORS, is_retryable_status, wait_before_retry
from pipelines.fetch.urls import host_of

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class Refused(Exception):
    """A policy check said no; the result is "skipped"."""


class Failed(Exception):
    """The fetch went wrong; the result is "error"."""


@dataclass
class Trace:
    """What happened so far, kept even when the fetch ends in an exception."""

    retries_left: int
    # Tries of the request that produced the outcome: 1 + retries spent.
    # Following a redirect is not a new attempt.
    attempts: int = 0
    last_url: str | None = None
    last_status: int | None = None


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout_s: float
    max_redirects: int
    backoff_base_s: float
    retry_after_cap_s: float


class Navigator:
    def __init__(
        self,
        client: httpx.Client,
        pacer: HostPacer,
        limits: Limits,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._pacer = pacer
        self._limits = limits
        self._sleep = sleep

    def get(
        self,
        url: str,
        trace: Trace,
        *,
        vet: Callable[[str], IPAddress | None],
        refuse: Callable[[httpx.Headers], str | None],
        max_bytes: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Final non-redirect reply for ``url``; raises Refused or Failed.

        ``vet`` is called on every hop before it is requested and raises
        Refused or Failed to stop the walk. When it returns an address, that
        hop (and its retries) connects to that address and nowhere else.
        ``headers`` go with every request (conditional requests use them).
        """
        current = url
        for _hop in range(self._limits.max_redirects + 1):
            trace.last_url = current
            pinned = vet(current)
            reply = self._send_with_retries(
                current, trace, refuse, max_bytes or self._limits.max_bytes, pinned=pinned, headers=headers
            )
            if reply.status not in REDIRECT_STATUSES:
                return reply
            location = reply.headers.get("location", "").strip()
            if not location:
                raise Failed(f"HTTP {reply.status} redirect without Location")
            current = urldefrag(urljoin(current, location)).url
        trace.last_url = current
        raise Failed("too many redirects")

    def _send_with_retries(
        self,
        url: str,
        trace: Trace,
        refuse: Callable[[httpx.Headers], str | None],
        max_bytes: int,
        *,
        pinned: IPAddress | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        host = host_of(url)
        retry_number = 0
        if trace.attempts == 0:
            trace.attempts = 1
        while True:
            self._pacer.wait_turn(host)
            retry_after: str | None = None
            try:
                reply = send(
                    self._client,
                    url,
                    max_bytes=max_bytes,
                    timeout_s=self._limits.timeout_s,
                    refuse=refuse,
                    on_status=lambda status: setattr(trace, "last_status", status),
                    connect_to=pinned,
                    headers=headers,
                )
            except RETRYABLE_ERRORS as exc:
                if trace.retries_left <= 0:
                    raise Failed(describe_error(exc)) from exc
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise Failed(describe_error(exc)) from exc
            except (UnsupportedEncoding, CorruptBody) as exc:
                raise Failed(str(exc)) from exc
            else:
                if not is_retryable_status(reply.status) or trace.retries_left <= 0:
                    return reply
                retry_after = reply.headers.get("retry-after")
            retry_number += 1
            trace.retries_left -= 1
            trace.attempts += 1
            self._sleep(
                wait_before_retry(
                    retry_number,
                    retry_after,
                    base_s=self._limits.backoff_base_s,
                    cap_s=self._limits.retry_after_cap_s,
                )
            )


def describe_error(exc: Exception) -> str:
    """Short, stable reason for a transport failure."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    detail = str(exc).strip() or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return _short(f"connection failed: {detail}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return _short(f"protocol error: {detail}")
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return _short(f"invalid URL: {detail}")
    return _short(f"transport error: {detail}")


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
