"""Scheduled and incremental use: the feed sensor, backfilling from a WARC archive under a past
discovery day, and re-deriving everything from stored pages with the network gone."""

import io
import json
import os
import time
from datetime import date

import dagster as dg
import duckdb
import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import SAMPLE_DIR
from pipelines.runner import reprocess_stored_pages, run_pipeline

AWS_PAGES = ["a01_amazon-aws-stores-tech_ledger.html", "a02_aws-training-sales-ops-cuts_circuit.html"]


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{title}</title><link>{link}</link></item>" for title, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'


def test_feed_sensor_requests_a_run_only_when_the_feed_lists_new_urls(tmp_path, serve_folder, monkeypatch):
    from pipelines.definitions import defs

    site = tmp_path / "site"
    site.mkdir()
    feed = site / "feed.xml"
    feed.write_text(rss([("Chipmaker cuts 500 jobs", "https://news.example.com/chipmaker-cuts")]))
    base = serve_folder(site)
    sources = tmp_path / "sources.yml"
    sources.write_text(
        yaml.safe_dump(
            {
                "sources": [{"name": "local-feed", "kind": "feed", "url": f"{base}/feed.xml"}],
                "fetch": {"allow_private_networks": True, "per_host_delay_s": 0.0, "retries": 0},
            }
        )
    )
    monkeypatch.setenv("LAYOFFS_SOURCES", str(sources))
    sensor = defs.resolve_sensor_def("new_feed_entries")

    with dg.instance_for_test() as instance:
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs))
        assert len(first.run_requests) == 1
        assert first.run_requests[0].partition_key == date.today().isoformat()
        cursor = first.cursor
        # The cursor keeps the feed's validators and a short hash, not the URLs (tests/test_feed_sensor.py).
        assert set(json.loads(cursor)["sources"]) == {"local-feed"} and len(cursor) < 200

        # Unchanged since the last poll: the server answers the conditional request with 304.
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs))
        assert again.run_requests == [] and "no listing changed" in again.skip_message

        # A hiring story is filtered out by the relevance keywords; a new cut story triggers a run.
        feed.write_text(
            rss(
                [
                    ("Chipmaker cuts 500 jobs", "https://news.example.com/chipmaker-cuts"),
                    ("Retailer opens 40 stores", "https://news.example.com/retailer-opens"),
                    ("Bank to lay off 300 staff", "https://news.example.com/bank-layoffs?utm_source=rss"),
                ]
            )
        )
        later = time.time() + 10  # HTTP dates count whole seconds: make the change visible to If-Modified-Since
        os.utime(feed, (later, later))
        third = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs))
        assert len(third.run_requests) == 1
        # No run has recorded anything yet, so both relevant entries are new; the hiring story is not.
        assert third.run_requests[0].tags["layoffs/trigger"] == "2 new feed entries"
        assert json.loads(third.cursor) != json.loads(cursor)


def write_warc(path, pages) -> None:
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for page in pages:
            body = (SAMPLE_DIR / page).read_bytes()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://archive.example.org/{page}", "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://archive.example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG...."), http_headers=image))


def test_backfill_from_a_warc_file_under_a_past_discovery_day(tmp_path, warehouse_env, monkeypatch):
    archive = tmp_path / "news.warc.gz"
    write_warc(archive, AWS_PAGES)
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "archive", "kind": "warc", "path": str(archive)}]}))
    monkeypatch.setenv("LAYOFFS_SOURCES", str(sources))

    outcome = run_pipeline(partition_key="2024-04-05")
    assert outcome.success, outcome.message
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        assert conn.execute("select distinct discovered_on from raw.discovered_urls").fetchall() == [(date(2024, 4, 5),)]
        assert conn.execute("select count(*) from raw.articles").fetchone()[0] == 2
        stores = conn.execute(
            "select headcount_low, headcount_high, source_count from marts.fct_cuts "
            "where company = 'Amazon' and division = 'Physical Stores Technology' and quarter = '2024-Q2'"
        ).fetchall()
        assert stores == [(200, 999, 2)]


def test_reprocess_derives_the_same_tables_from_stored_pages_with_the_server_gone(tmp_path, serve_folder, warehouse_env, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    for page in AWS_PAGES:
        (site / page).write_bytes((SAMPLE_DIR / page).read_bytes())
    base = serve_folder(site)
    sources = tmp_path / "sources.yml"
    sources.write_text(
        yaml.safe_dump(
            {
                "sources": [{"name": "web", "kind": "urls", "urls": [f"{base}/{page}" for page in AWS_PAGES]}],
                "fetch": {"allow_private_networks": True, "per_host_delay_s": 0.0, "retries": 0, "timeout_s": 2},
            }
        )
    )
    monkeypatch.setenv("LAYOFFS_SOURCES", str(sources))
    assert run_pipeline().success
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        before = conn.execute("select * from marts.fct_cuts order by cut_id").fetchall()
        attempts = conn.execute("select count(*) from raw.fetch_log").fetchone()[0]
    assert len(before) == 2

    for page in AWS_PAGES:
        (site / page).unlink()  # the web forgets; the stored pages remain
    outcome = reprocess_stored_pages()
    assert outcome.success, outcome.message
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        assert conn.execute("select * from marts.fct_cuts order by cut_id").fetchall() == before
        assert conn.execute("select count(*) from raw.fetch_log").fetchone()[0] == attempts
