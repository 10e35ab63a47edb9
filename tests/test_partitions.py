"""Discovery days: `--day` outside the range is a plain error, the first day is configurable, and
a run for a past day replays only what can be replayed (archives and fixed lists, not feeds)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import REPO_ROOT
from pipelines.cli import main
from pipelines.partitions import reads_live_listings, sources_for_day, today_partition
from pipelines.sources import load_sources
from test_incremental import AWS_PAGES, rss, write_warc


@pytest.mark.parametrize(
    ("day", "says"),
    [
        ("2019-05-01", "2019-05-01 is before the first discovery day, 2022-01-01"),
        ((date.today() + timedelta(days=3)).isoformat(), "is in the future"),
        ("2024-13-01", "expected a date such as 2024-04-03"),
    ],
)
def test_a_day_outside_the_partitions_is_a_plain_error(day, says, warehouse_env, capsys):
    assert main(["run", "--day", day, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not warehouse_env.exists()


def test_the_first_day_is_set_in_the_sources_file_and_an_old_archive_replays_under_its_day(tmp_path, warehouse_env):
    archive = tmp_path / "cc-news-2019.warc.gz"
    write_warc(archive, AWS_PAGES)
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({
        "partitions": {"start": date(2015, 1, 1)},
        "sources": [{"name": "archive", "kind": "warc", "path": str(archive)}],
    }))
    environment = {**os.environ, "LAYOFFS_SOURCES": str(sources)}
    layoffs = str(Path(sys.executable).with_name("layoffs"))
    done = subprocess.run([layoffs, "run", "--day", "2019-05-01", "--quiet"], cwd=REPO_ROOT, env=environment,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        assert conn.execute("select distinct discovered_on from raw.discovered_urls").fetchall() == [(date(2019, 5, 1),)]

    too_early = subprocess.run([layoffs, "run", "--day", "2014-12-31"], cwd=REPO_ROOT, env=environment,
                               capture_output=True, text=True, timeout=120)
    assert too_early.returncode == 1 and "before the first discovery day, 2015-01-01" in too_early.stderr


def test_a_bad_partitions_block_is_refused_in_plain_words(tmp_path):
    from pipelines.sources import SourceError

    path = tmp_path / "sources.yml"
    path.write_text("partitions: {start: last tuesday}\nsources: []\n")
    with pytest.raises(SourceError, match="partitions: start 'last tuesday' is not a date"):
        load_sources(path)


def test_live_listings_are_read_only_for_today_and_yesterday(tmp_path):
    today = date.fromisoformat(today_partition())
    assert reads_live_listings(today) and reads_live_listings(today - timedelta(days=1)) and reads_live_listings(None)
    assert not reads_live_listings(today - timedelta(days=2))
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump({"sources": [
        {"name": "news", "kind": "feed", "url": "https://example.com/feed.xml"},
        {"name": "site", "kind": "sitemap", "url": "https://example.com/sitemap.xml"},
        {"name": "archive", "kind": "warc", "path": "a.warc.gz"},
        {"name": "saved", "kind": "html_dir", "path": "pages"},
        {"name": "list", "kind": "urls", "urls": ["https://example.com/a"]},
    ]}))
    config = load_sources(path)
    kept, left_out = sources_for_day(config, date(2024, 4, 5))
    assert [spec.name for spec in kept.sources] == ["archive", "saved", "list"] and left_out == ["news", "site"]
    assert sources_for_day(config, today)[0] is config


def test_a_backfill_day_does_not_put_todays_feed_entries_on_it(tmp_path, serve_folder, warehouse_env, monkeypatch):
    from pipelines.runner import run_pipeline

    site = tmp_path / "site"
    site.mkdir()
    (site / "feed.xml").write_text(rss([("Chipmaker cuts 500 jobs", "https://news.example.com/chipmaker-cuts")]))
    base = serve_folder(site)
    archive = tmp_path / "news.warc.gz"
    write_warc(archive, AWS_PAGES)
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({
        "sources": [{"name": "feed", "kind": "feed", "url": f"{base}/feed.xml"},
                    {"name": "archive", "kind": "warc", "path": str(archive)}],
        "fetch": {"allow_private_networks": True, "per_host_delay_s": 0.0, "retries": 0, "timeout_s": 2},
    }))
    monkeypatch.setenv("LAYOFFS_SOURCES", str(sources))
    outcome = run_pipeline(partition_key="2024-04-05")
    assert outcome.success, outcome.message
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        listed = conn.execute("select source_name, discovered_on, count(*) from raw.discovered_urls group by all").fetchall()
    assert listed == [("archive", date(2024, 4, 5), 2)]  # nothing from today's feed on 2024-04-05
