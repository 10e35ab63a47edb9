"""Retries with backoff, Retry-After, and timeouts."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from fetch_server import FetchTestServer, Reply, fast_settings, fetch_all, http_server  # noqa: F401

from pipelines.fetch.retry import backoff_s, is_retryable_status, retry_after_s, wait_before_retry

pytestmark = pytest.mark.timeout(30)

PAGE = Reply(body=b"<html><body>finally</body></html>")


def only(results: dict) -> object:
    [result] = results.values()
    return result


def test_5xx_is_retried_until_success(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=503), Reply(status=502), PAGE)
    result = only(fetch_all(fast_settings(retries=3), [http_server.url("/a")]))
    assert (result.outcome, result.status, result.attempts, result.error) == ("ok", 200, 3, None)
    assert result.html == "<html><body>finally</body></html>"
    assert http_server.hits("/a") == 3


def test_backoff_grows_between_retries(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=500), Reply(status=500), PAGE)
    only(fetch_all(fast_settings(retries=2, backoff_base_s=0.2), [http_server.url("/a")]))
    first, second = http_server.gaps(path="/a")
    assert first >= 0.2 - 0.01
    assert second >= 0.4 - 0.01


def test_retries_give_up_with_last_status(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=500))
    result = only(fetch_all(fast_settings(retries=2), [http_server.url("/a")]))
    assert (result.outcome, result.status, result.attempts, result.error) == ("error", 500, 3, "HTTP 500")
    assert result.html is None
    assert http_server.hits("/a") == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
def test_other_4xx_are_not_retried(http_server: FetchTestServer, status: int) -> None:
    http_server.add("/a", Reply(status=status))
    result = only(fetch_all(fast_settings(retries=3), [http_server.url("/a")]))
    assert (result.outcome, result.status, result.attempts, result.error) == ("error", status, 1, f"HTTP {status}")
    assert http_server.hits("/a") == 1


def test_429_honours_retry_after_seconds(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=429, headers={"Retry-After": "1"}), PAGE)
    result = only(fetch_all(fast_settings(backoff_base_s=0.01), [http_server.url("/a")]))
    assert (result.outcome, result.attempts) == ("ok", 2)
    [gap] = http_server.gaps(path="/a")
    assert gap >= 0.99


def test_503_honours_retry_after_http_date(http_server: FetchTestServer) -> None:
    # HTTP dates have one-second resolution, so "now + 2 s" means a 1-2 s wait.
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)
    http_server.add("/a", Reply(status=503, headers={"Retry-After": when}), PAGE)
    result = only(fetch_all(fast_settings(backoff_base_s=0.01), [http_server.url("/a")]))
    assert (result.outcome, result.attempts) == ("ok", 2)
    [gap] = http_server.gaps(path="/a")
    assert 0.99 <= gap <= 2.5


def test_retry_after_is_capped(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=429, headers={"Retry-After": "3600"}), PAGE)
    started = time.monotonic()
    result = only(fetch_all(fast_settings(retry_after_cap_s=0.3), [http_server.url("/a")]))
    assert result.outcome == "ok"
    assert time.monotonic() - started < 3
    [gap] = http_server.gaps(path="/a")
    assert gap >= 0.29


def test_dropped_connection_is_retried(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(drop=True), PAGE)
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.attempts) == ("ok", 2)


def test_connection_refused_is_an_error_after_retries() -> None:
    # Grab a free port and close it again, so nothing listens there.
    with FetchTestServer() as server:
        url = server.url("/a")
    result = only(fetch_all(fast_settings(retries=1), [url]))
    assert result.outcome == "error"
    assert result.error.startswith("connection failed")
    assert result.attempts == 2
    assert result.status is None


def test_page_that_never_answers_times_out(http_server: FetchTestServer) -> None:
    http_server.add("/hang", Reply(hang=True))
    started = time.monotonic()
    result = only(fetch_all(fast_settings(timeout_s=1.0, retries=1), [http_server.url("/hang")]))
    elapsed = time.monotonic() - started
    assert (result.outcome, result.error, result.attempts, result.status) == ("error", "timeout", 2, None)
    assert http_server.hits("/hang") == 2
    assert 2.0 <= elapsed < 5.0


def test_trickling_body_hits_the_overall_deadline(http_server: FetchTestServer) -> None:
    # Each chunk arrives well within the read timeout, but the whole body
    # would take ~6 s: the per-download deadline must stop it.
    def trickle():
        yield b"<html><body>"
        for _ in range(30):
            time.sleep(0.2)
            yield b"<p>still going</p>"

    http_server.add("/slow", Reply(body=trickle))
    started = time.monotonic()
    result = only(fetch_all(fast_settings(timeout_s=1.0, retries=0), [http_server.url("/slow")]))
    assert (result.outcome, result.error, result.status) == ("error", "timeout", 200)
    assert time.monotonic() - started < 3.0


def test_slow_headers_within_timeout_are_fine(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(body=b"<html>late</html>", delay_s=0.3))
    result = only(fetch_all(fast_settings(timeout_s=2.0), [http_server.url("/a")]))
    assert (result.outcome, result.attempts, result.html) == ("ok", 1, "<html>late</html>")


# -- the policy functions on their own -------------------------------------------


@pytest.mark.parametrize(("status", "retry"), [(429, True), (500, True), (503, True), (599, True), (404, False), (200, False), (301, False)])
def test_is_retryable_status(status: int, retry: bool) -> None:
    assert is_retryable_status(status) is retry


def test_backoff_doubles() -> None:
    assert [backoff_s(n, 0.5) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]


def test_retry_after_parsing() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_s("120", now) == 120.0
    assert retry_after_s(" 7 ", now) == 7.0
    assert retry_after_s("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_s("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_s(None, now) is None
    assert retry_after_s("soon", now) is None
    assert retry_after_s("-5", now) is None


def test_wait_before_retry_prefers_header_and_caps() -> None:
    assert wait_before_retry(1, None, base_s=1.0, cap_s=60) == 1.0
    assert wait_before_retry(3, None, base_s=1.0, cap_s=60) == 4.0
    assert wait_before_retry(3, "2", base_s=1.0, cap_s=60) == 2.0
    assert wait_before_retry(1, "86400", base_s=1.0, cap_s=60) == 60
    assert wait_before_retry(10, None, base_s=1.0, cap_s=60) == 60
