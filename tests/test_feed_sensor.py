"""The feed sensor's tick is cheap: one conditional request per feed or sitemap, no retries, no
child sitemaps, a time budget, a small cursor, and a comparison with raw.discovered_urls. The
run does the discovering and fetching."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest
import yaml

from fetch_server import FetchTestServer, Reply, SeenRequest, http_server  # noqa: F401 - fixture
from pipelines import sensors, settings
from pipelines.sources import poll
from pipelines.warehouse import ensure_raw_schema

FETCH = {"allow_private_networks": True, "per_host_delay_s": 0.0, "retries": 3, "timeout_s": 5,
         "backoff_base_s": 0.05}


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Company cuts jobs {n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def serve_with_etag(server: FetchTestServer, path: str, body: dict, content_type: str) -> None:
    """A route that honours If-None-Match; body["data"] can be swapped by the test."""

    def route(request: SeenRequest) -> Reply:
        tag = '"v%d"' % hash(body["data"])
        if request.headers.get("if-none-match") == tag:
            return Reply(status=304, body=b"", content_type=None, headers={"ETag": tag})
        return Reply(body=body["data"], content_type=content_type, headers={"ETag": tag})

    server.add_handler(path, route)


@pytest.fixture
def sources_file(tmp_path, warehouse_env, monkeypatch):
    def write(sources: list[dict]) -> None:
        path = tmp_path / "sources.yml"
        path.write_text(yaml.safe_dump({"sources": sources, "fetch": FETCH}))
        monkeypatch.setenv(settings.SOURCES_ENV, str(path))

    return write


def tick(cursor: str | None = None):
    result = sensors.evaluate(cursor)
    if isinstance(result, dg.SkipReason):
        return [], result.skip_message, cursor
    return list(result.run_requests or []), result.skip_reason.skip_message if result.skip_reason else None, result.cursor


def record(urls: list[str]) -> None:
    work_db = settings.work_db_path()
    work_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(work_db)) as conn:
        ensure_raw_schema(conn)
        for url in urls:
            conn.execute(
                "insert into raw.discovered_urls (url, source_name, source_kind, discovered_on, discovered_at) "
                "values (?, 'feed', 'feed', current_date, now())", [url])


def test_a_tick_asks_once_per_listing_and_never_reads_child_sitemaps(http_server, sources_file):  # noqa: F811
    children = "".join(f"<sitemap><loc>{http_server.url(f'/day-{n}.xml')}</loc></sitemap>" for n in range(50))
    index = {"data": f'<?xml version="1.0"?><sitemapindex>{children}</sitemapindex>'.encode()}
    serve_with_etag(http_server, "/index.xml", index, "application/xml")
    feed = {"data": rss(["https://news.example.com/a-cuts"])}
    serve_with_etag(http_server, "/feed.xml", feed, "application/rss+xml")
    sources_file([
        {"name": "index", "kind": "sitemap", "url": http_server.url("/index.xml")},
        {"name": "feed", "kind": "feed", "url": http_server.url("/feed.xml")},
    ])

    requests, _, cursor = tick()
    assert len(requests) == 1 and "1 new feed entries, 1 changed sitemap index(es)" == requests[0].tags["layoffs/trigger"]
    assert http_server.hits("/index.xml") == 1 and http_server.hits("/feed.xml") == 1
    assert sum(http_server.hits(f"/day-{n}.xml") for n in range(50)) == 0  # the run reads those
    assert len(cursor) < 300  # validators and hashes, not URLs
    assert set(json.loads(cursor)["sources"]) == {"index", "feed"}

    requests, skipped, cursor2 = tick(cursor)
    assert requests == [] and "no listing changed" in skipped
    conditional = [r for r in http_server.requests_to("/feed.xml") if r.headers.get("if-none-match")]
    assert len(conditional) == 1 and http_server.hits("/feed.xml") == 2
    assert cursor2 == cursor


def test_a_changed_feed_starts_a_run_only_for_urls_the_pipeline_has_not_recorded(http_server, sources_file):  # noqa: F811
    feed = {"data": rss(["https://news.example.com/a-cuts", "https://news.example.com/b-cuts"])}
    serve_with_etag(http_server, "/feed.xml", feed, "application/rss+xml")
    sources_file([{"name": "feed", "kind": "feed", "url": http_server.url("/feed.xml")}])
    record(["https://news.example.com/a-cuts", "https://news.example.com/b-cuts"])

    requests, skipped, cursor = tick()
    assert requests == [] and "2 listed URLs, none new" in skipped  # a run already has them

    feed["data"] = rss(["https://news.example.com/a-cuts", "https://news.example.com/b-cuts", "https://news.example.com/c-cuts"])
    requests, _, cursor = tick(cursor)
    assert len(requests) == 1 and requests[0].tags["layoffs/trigger"] == "1 new feed entries"
    assert requests[0].partition_key == settings_today()
    again, _, _ = tick(None)  # the same new URL gives the same run key: Dagster starts it once
    assert again[0].run_key == requests[0].run_key


def settings_today() -> str:
    from pipelines.partitions import today_partition

    return today_partition()


def test_while_a_run_writes_the_work_database_the_tick_waits_for_the_next(http_server, sources_file):  # noqa: F811
    serve_with_etag(http_server, "/feed.xml", {"data": rss(["https://news.example.com/a-cuts"])}, "application/rss+xml")
    sources_file([{"name": "feed", "kind": "feed", "url": http_server.url("/feed.xml")}])
    record([])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(30)",
         str(settings.work_db_path())],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        requests, skipped, cursor = tick("previous")
        assert requests == [] and "a run is writing the work database" in skipped
        assert cursor == "previous"  # kept, so the change is looked at again
    finally:
        holder.kill()
        holder.wait()
    requests, _, _ = tick("previous")
    assert len(requests) == 1


def test_a_hanging_feed_costs_one_short_request_not_retries(http_server, sources_file, monkeypatch):  # noqa: F811
    monkeypatch.setattr(poll, "POLL_TIMEOUT_S", 1.0)
    http_server.add("/hangs.xml", Reply(hang=True))
    serve_with_etag(http_server, "/feed.xml", {"data": rss(["https://news.example.com/a-cuts"])}, "application/rss+xml")
    sources_file([
        {"name": "hangs", "kind": "feed", "url": http_server.url("/hangs.xml")},
        {"name": "feed", "kind": "feed", "url": http_server.url("/feed.xml")},
    ])
    started = time.monotonic()
    requests, _, cursor = tick()
    assert time.monotonic() - started < 5
    assert http_server.hits("/hangs.xml") == 1  # sources.yml says 3 retries; the tick makes none
    assert len(requests) == 1 and set(json.loads(cursor)["sources"]) == {"feed"}


def test_an_old_cursor_of_url_digests_is_read_as_no_state():
    assert sensors.read_cursor(json.dumps(["0123456789ab"] * 20_000)) == {}
    assert sensors.read_cursor(None) == {}
