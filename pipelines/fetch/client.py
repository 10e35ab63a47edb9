"""PoliteFetcher: many URLs in, one FetchResult per distinct page out.

Hosts are fetched concurrently, one thread per host at a time, so the
per-host gap is easy to keep while a slow site does not hold up the others.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx

from pipelines.fetch.charset import decode_html
from pipelines.fetch.content import looks_like_markup, parse_content_type, refusal_for
from pipelines.fetch.exchange import Reply
from pipelines.fetch.navigate import Failed, Limits, Navigator, Refused, Trace
from pipelines.fetch.netguard import AddressRefused, IPAddress, ResolutionFailed, vetted_address
from pipelines.fetch.pacing import HostPacer
from pipelines.fetch.result import ERROR, OK, SKIPPED, FetchResult
from pipelines.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsDownload
from pipelines.fetch.settings import FetchSettings
from pipelines.fetch.urls import host_of, is_fetchable_url, normalize_url

__all__ = ["FetchResult", "PoliteFetcher"]

log = logging.getLogger(__name__)

_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


class PoliteFetcher:
    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        s = self.settings
        self._client = httpx.Client(
            headers={
                "User-Agent": s.user_agent,
                "Accept": _ACCEPT,
                # Only what decompress.py can inflate under a byte cap.
                "Accept-Encoding": "gzip, deflate",
            },
            timeout=httpx.Timeout(s.timeout_s),
            follow_redirects=False,
            # Proxy variables and .netrc credentials from the environment
            # would make runs differ between machines and could send
            # credentials to hosts named in feeds.
            trust_env=False,
            limits=httpx.Limits(max_connections=max(10, s.max_workers * 2)),
        )
        self._pacer = HostPacer(s.per_host_delay_s)
        self._navigator = Navigator(
            self._client,
            self._pacer,
            Limits(
                max_bytes=s.max_bytes,
                timeout_s=s.timeout_s,
                max_redirects=s.max_redirects,
                backoff_base_s=s.backoff_base_s,
                retry_after_cap_s=s.retry_after_cap_s,
            ),
        )
        self._robots = RobotsCache(s.user_agent, self._download_robots)

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @property
    def robots_notes(self) -> dict[str, str]:
        """Origins whose robots.txt failed (5xx, unreachable) and were treated as allow-all."""
        return self._robots.notes

    def fetch(self, url: str) -> FetchResult:
        """Fetch a single URL (normalised first)."""
        return self._fetch_one(_safe_normalize(url))

    def fetch_many(self, urls: Iterable[str]) -> Iterator[FetchResult]:
        """One result per distinct normalised URL, in completion order.

        Closing the generator early stops workers before their next URL.
        """
        by_host: dict[str, list[str]] = {}
        seen: set[str] = set()
        for raw in urls:
            url = _safe_normalize(raw)
            if url in seen:
                continue
            seen.add(url)
            ok, reason = is_fetchable_url(url)
            if not ok:
                yield self._finish(url, Trace(retries_left=0), SKIPPED, time.monotonic(), error=reason)
                continue
            by_host.setdefault(host_of(url), []).append(url)
        if not by_host:
            return

        results: queue.Queue[FetchResult] = queue.Queue()
        stop = threading.Event()
        expected = sum(len(group) for group in by_host.values())
        pool = ThreadPoolExecutor(
            max_workers=min(self.settings.max_workers, len(by_host)),
            thread_name_prefix="fetch",
        )
        try:
            for group in by_host.values():
                pool.submit(self._drain_host, group, results, stop)
            for _ in range(expected):
                yield results.get()
        finally:
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)

    def _drain_host(self, urls: list[str], results: queue.Queue[FetchResult], stop: threading.Event) -> None:
        for url in urls:
            if stop.is_set():
                return
            results.put(self._fetch_one(url))

    def _fetch_one(self, url: str) -> FetchResult:
        started = time.monotonic()
        trace = Trace(retries_left=self.settings.retries)
        try:
            return self._fetch_page(url, trace, started)
        except Exception as exc:  # a bug here must not take the whole batch down
            log.exception("unexpected failure fetching %s", url)
            return self._finish(url, trace, ERROR, started, error=f"internal error: {exc!r}")

    def _fetch_page(self, url: str, trace: Trace, started: float) -> FetchResult:
        ok, reason = is_fetchable_url(url)
        if not ok:
            return self._finish(url, trace, SKIPPED, started, error=reason)
        try:
            reply = self._navigator.get(url, trace, vet=self._vet_page, refuse=_refuse_non_html)
        except Refused as exc:
            return self._finish(url, trace, SKIPPED, started, error=str(exc))
        except Failed as exc:
            return self._finish(url, trace, ERROR, started, error=str(exc))
        return self._judge(url, trace, started, reply)

    def _judge(self, url: str, trace: Trace, started: float, reply: Reply) -> FetchResult:
        media_type, header_charset = parse_content_type(reply.headers.get("content-type"))
        content_type = reply.headers.get("content-type")
        if reply.refusal is not None:
            return self._finish(url, trace, SKIPPED, started, error=reply.refusal, content_type=content_type)
        if reply.body is None:
            return self._finish(url, trace, ERROR, started, error=f"HTTP {reply.status}", content_type=content_type)

        body = reply.body
        text, charset = decode_html(body.data, header_charset, truncated=body.truncated)
        common = dict(content_type=content_type, charset=charset, bytes_read=len(body.data), truncated=body.truncated)
        if not text.strip():
            return self._finish(url, trace, SKIPPED, started, error="empty body", **common)
        if media_type is None and not looks_like_markup(text):
            return self._finish(url, trace, SKIPPED, started, error="no content-type and body is not HTML", **common)
        return self._finish(url, trace, OK, started, html=text, **common)

    def _finish(
        self,
        url: str,
        trace: Trace,
        outcome: str,
        started: float,
        *,
        error: str | None = None,
        html: str | None = None,
        content_type: str | None = None,
        charset: str | None = None,
        bytes_read: int = 0,
        truncated: bool = False,
    ) -> FetchResult:
        html_utf8, content_sha256 = FetchResult.encode(html)
        return FetchResult(
            url=url,
            final_url=trace.last_url,
            outcome=outcome,
            status=trace.last_status,
            content_type=content_type,
            charset=charset,
            html=html,
            content_sha256=content_sha256,
            html_utf8=html_utf8,
            bytes_read=bytes_read,
            truncated=truncated,
            attempts=trace.attempts,
            elapsed_s=round(time.monotonic() - started, 4),
            error=error,
            fetched_at=datetime.now(timezone.utc),
        )

    def _vet_page(self, url: str) -> IPAddress | None:
        pinned = self._vet_transport(url)
        if not self._robots.allows(url):
            raise Refused("robots.txt disallows")
        delay = self._robots.crawl_delay_s(url)
        if delay is not None:
            self._pacer.raise_delay(host_of(url), delay)
        return pinned

    def _vet_transport(self, url: str) -> IPAddress | None:
        """Scheme and address checks for one hop; the vetted address to connect to, or None when
        private networks are allowed (the client then resolves the name itself)."""
        ok, reason = is_fetchable_url(url)
        if not ok:
            raise Refused(reason)
        if self.settings.allow_private_networks:
            return None
        parts = urlsplit(url)
        try:
            return vetted_address(parts.hostname or "", parts.port)
        except AddressRefused as exc:
            raise Refused(str(exc)) from exc
        except ResolutionFailed as exc:
            raise Failed(str(exc)) from exc

    def _download_robots(self, robots_url: str) -> RobotsDownload:
        # One try only: a robots.txt that needs retries gets the allow-all
        # treatment, and the page fetch that follows has its own retries.
        trace = Trace(retries_left=0)
        try:
            reply = self._navigator.get(
                robots_url,
                trace,
                vet=self._vet_transport,
                refuse=lambda headers: None,
                max_bytes=ROBOTS_MAX_BYTES,
            )
        except (Refused, Failed) as exc:
            return RobotsDownload(problem=str(exc))
        if reply.body is None:
            return RobotsDownload(status=reply.status)
        return RobotsDownload(status=reply.status, text=reply.body.data.decode("utf-8", "replace"))


def _refuse_non_html(headers: httpx.Headers) -> str | None:
    media_type, _ = parse_content_type(headers.get("content-type"))
    return refusal_for(media_type)


def _safe_normalize(url: str) -> str:
    try:
        return normalize_url(url)
    except Exception:  # courlan on hostile input; keep the text so the result explains it
        return str(url).strip()
