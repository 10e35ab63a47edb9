"""fetch_many as a stream: results arrive as they finish, and stopping early stops work."""

from __future__ import annotations

import time

import pytest
from fetch_server import FetchTestServer, Reply, fast_settings, http_server  # noqa: F401

from pipelines.fetch import FetchResult, PoliteFetcher

pytestmark = pytest.mark.timeout(30)


def test_slow_host_does_not_hold_back_a_fast_one(http_server: FetchTestServer) -> None:
    http_server.add("/slow", Reply(hang=True))
    http_server.html("/fast", "<html>fast</html>")
    urls = [http_server.url("/slow", host="127.0.0.1"), http_server.url("/fast", host="localhost")]
    started = time.monotonic()
    arrivals: list[tuple[str, float]] = []
    with PoliteFetcher(fast_settings(timeout_s=1.5, retries=0)) as fetcher:
        for result in fetcher.fetch_many(urls):
            arrivals.append((result.outcome, time.monotonic() - started))
    assert [outcome for outcome, _ in arrivals] == ["ok", "error"]
    assert arrivals[0][1] < 1.0
    assert arrivals[1][1] >= 1.5


def test_closing_the_generator_stops_further_requests(http_server: FetchTestServer) -> None:
    paths = [f"/p{i}" for i in range(6)]
    for path in paths:
        http_server.html(path, f"<html>{path}</html>")
    with PoliteFetcher(fast_settings(per_host_delay_s=0.3)) as fetcher:
        stream = fetcher.fetch_many(http_server.url(p) for p in paths)
        first = next(stream)
        started = time.monotonic()
        stream.close()
        assert time.monotonic() - started < 0.2  # closing does not wait for the host's queue
        time.sleep(1.0)
    assert first.outcome == "ok"
    pages = [r for r in http_server.seen if r.path != "/robots.txt"]
    # The page already in flight may complete; nothing after it starts.
    assert len(pages) <= 2, [r.path for r in pages]


def test_every_result_is_a_frozen_record(http_server: FetchTestServer) -> None:
    http_server.html("/a", "<html>a</html>")
    with PoliteFetcher(fast_settings()) as fetcher:
        result = fetcher.fetch(http_server.url("/a?utm_source=x"))
    assert isinstance(result, FetchResult)
    assert result.url == http_server.url("/a")
    assert result.fetched_at.tzinfo is not None and result.fetched_at.utcoffset().total_seconds() == 0
    assert result.elapsed_s >= 0
    with pytest.raises(AttributeError):
        result.outcome = "error"  # type: ignore[misc]
