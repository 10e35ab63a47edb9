"""robots.txt, the User-Agent, per-host gaps and concurrency across hosts."""

from __future__ import annotations

import time

import pytest
from fetch_server import FetchTestServer, Reply, fast_settings, fetch_all, http_server  # noqa: F401

from pipelines.fetch import PoliteFetcher

pytestmark = pytest.mark.timeout(30)

UA = fast_settings().user_agent


def test_robots_disallow_is_respected_and_fetched_once(http_server: FetchTestServer) -> None:
    http_server.robots("User-agent: *\nDisallow: /private/\n")
    for path in ("/news/1", "/news/2", "/private/memo"):
        http_server.html(path, f"<html><body>{path}</body></html>")
    results = fetch_all(fast_settings(), [http_server.url(p) for p in ("/news/1", "/private/memo", "/news/2")])

    blocked = results[http_server.url("/private/memo")]
    assert (blocked.outcome, blocked.error, blocked.status, blocked.attempts) == (
        "skipped", "robots.txt disallows", None, 0
    )
    assert results[http_server.url("/news/1")].outcome == "ok"
    assert results[http_server.url("/news/2")].outcome == "ok"
    assert http_server.hits("/private/memo") == 0
    assert http_server.hits("/robots.txt") == 1


def test_robots_group_for_our_agent_wins_over_star(http_server: FetchTestServer) -> None:
    # Our UA token is "layoffs-pipeline-test"; the group for it bans /news/.
    http_server.robots(
        "User-agent: layoffs-pipeline-test\nDisallow: /news/\n\nUser-agent: *\nDisallow: /\n"
    )
    http_server.html("/news/1", "<html>one</html>")
    http_server.html("/about", "<html>about</html>")
    results = fetch_all(fast_settings(), [http_server.url("/news/1"), http_server.url("/about")])
    assert results[http_server.url("/news/1")].error == "robots.txt disallows"
    assert results[http_server.url("/about")].outcome == "ok"


def test_user_agent_on_every_request_including_robots(http_server: FetchTestServer) -> None:
    http_server.robots("User-agent: *\nAllow: /\n")
    http_server.add("/moved", Reply(status=301, headers={"Location": "/a"}))
    http_server.html("/a", "<html>a</html>")
    http_server.add("/flaky", Reply(status=503), Reply(body=b"<html>ok</html>"))
    fetch_all(fast_settings(), [http_server.url("/moved"), http_server.url("/flaky")])

    paths = [r.path for r in http_server.seen]
    assert sorted(paths) == ["/a", "/flaky", "/flaky", "/moved", "/robots.txt"]
    assert {r.headers.get("user-agent") for r in http_server.seen} == {UA}


def test_missing_robots_allows_everything_without_a_note(http_server: FetchTestServer) -> None:
    http_server.html("/a", "<html>a</html>")  # /robots.txt is a 404 by default
    with PoliteFetcher(fast_settings()) as fetcher:
        [result] = fetcher.fetch_many([http_server.url("/a")])
        assert fetcher.robots_notes == {}
    assert result.outcome == "ok"
    assert http_server.hits("/robots.txt") == 1


def test_forbidden_robots_allows_everything(http_server: FetchTestServer) -> None:
    # RFC 9309: any 4xx means "no rules" (Python's robotparser would block all on 403).
    http_server.add("/robots.txt", Reply(status=403))
    http_server.html("/a", "<html>a</html>")
    [result] = fetch_all(fast_settings(), [http_server.url("/a")]).values()
    assert result.outcome == "ok"


def test_robots_5xx_allows_but_is_noted(http_server: FetchTestServer) -> None:
    http_server.add("/robots.txt", Reply(status=503))
    http_server.html("/a", "<html>a</html>")
    with PoliteFetcher(fast_settings()) as fetcher:
        [result] = fetcher.fetch_many([http_server.url("/a")])
        notes = fetcher.robots_notes
    assert result.outcome == "ok"
    assert notes == {http_server.url(""): "robots.txt HTTP 503; treated as allow-all"}
    # robots.txt gets a single try: its failure must not cost the page retries.
    assert http_server.hits("/robots.txt") == 1


def test_unreachable_robots_allows_but_is_noted(http_server: FetchTestServer) -> None:
    http_server.add("/robots.txt", Reply(drop=True))
    http_server.html("/a", "<html>a</html>")
    with PoliteFetcher(fast_settings()) as fetcher:
        [result] = fetcher.fetch_many([http_server.url("/a")])
        notes = fetcher.robots_notes
    assert result.outcome == "ok"
    note = notes[http_server.url("")]
    assert note.startswith("robots.txt unreachable (protocol error")
    assert note.endswith("treated as allow-all")


def test_robots_redirect_is_followed(http_server: FetchTestServer) -> None:
    http_server.add("/robots.txt", Reply(status=301, headers={"Location": "/real-robots.txt"}))
    http_server.add("/real-robots.txt", Reply(body=b"User-agent: *\nDisallow: /x\n", content_type="text/plain"))
    http_server.html("/x", "<html>x</html>")
    [result] = fetch_all(fast_settings(), [http_server.url("/x")]).values()
    assert result.error == "robots.txt disallows"


def test_per_host_gap_is_kept(http_server: FetchTestServer) -> None:
    delay = 0.4
    paths = ["/p1", "/p2", "/p3"]
    for path in paths:
        http_server.html(path, f"<html>{path}</html>")
    results = fetch_all(fast_settings(per_host_delay_s=delay), [http_server.url(p) for p in paths])
    assert all(r.outcome == "ok" for r in results.values())
    # robots.txt counts as a request to the host too: 4 requests, 3 gaps.
    gaps = http_server.gaps()
    assert len(gaps) == 3
    assert min(gaps) >= delay - 0.01, gaps


def test_different_hosts_run_concurrently(http_server: FetchTestServer) -> None:
    # 127.0.0.1 and localhost are one server but two hosts to the fetcher.
    delay = 0.8
    for path in ("/a", "/b"):
        http_server.html(path, f"<html>{path}</html>")
    urls = [http_server.url(p, host=h) for h in ("127.0.0.1", "localhost") for p in ("/a", "/b")]
    started = time.monotonic()
    results = fetch_all(fast_settings(per_host_delay_s=delay), urls)
    elapsed = time.monotonic() - started

    assert len(results) == 4 and all(r.outcome == "ok" for r in results.values())
    for host in ("127.0.0.1", "localhost"):
        assert http_server.hits("/robots.txt", host=host) == 1
        gaps = http_server.gaps(host=host)
        assert len(gaps) == 2 and min(gaps) >= delay - 0.01, (host, gaps)
    # Serially the 6 requests would need 5 gaps (>= 4.0 s); in parallel 2 gaps per host.
    assert elapsed < 4 * delay, elapsed
    assert elapsed >= 2 * delay - 0.01


def test_crawl_delay_from_robots_lengthens_the_gap(http_server: FetchTestServer) -> None:
    http_server.robots("User-agent: *\nCrawl-delay: 1\n")
    http_server.html("/a", "<html>a</html>")
    http_server.html("/b", "<html>b</html>")
    fetch_all(fast_settings(per_host_delay_s=0.0), [http_server.url("/a"), http_server.url("/b")])
    [gap] = http_server.gaps(path=None)[-1:]
    assert gap >= 0.99


def test_delay_holds_across_fetch_many_calls(http_server: FetchTestServer) -> None:
    http_server.html("/a", "<html>a</html>")
    http_server.html("/b", "<html>b</html>")
    delay = 0.4
    with PoliteFetcher(fast_settings(per_host_delay_s=delay)) as fetcher:
        list(fetcher.fetch_many([http_server.url("/a")]))
        list(fetcher.fetch_many([http_server.url("/b")]))
    assert http_server.hits("/robots.txt") == 1
    assert min(http_server.gaps()) >= delay - 0.01
