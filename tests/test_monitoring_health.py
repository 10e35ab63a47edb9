"""Knowing when it breaks: the `health:` thresholds, per-source health and its warnings (an empty
or dead feed, a run that found nothing, a stale source, a failure rate), marts.fct_source_health,
`layoffs status`, dbt source freshness, and the Dagster checks that report them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from conftest import SAMPLE_DIR
from pipelines import settings
from pipelines.cli import main
from pipelines.monitoring.freshness import evaluate, rules_from_manifest
from pipelines.monitoring.health import assess
from pipelines.monitoring.settings import DEFAULT_MAX_FAILURE_RATE, DEFAULT_STALE_AFTER_DAYS
from pipelines.sources import SourceError, load_sources
from pipelines.warehouse import ensure_raw_schema, insert_new_rows
from pipelines.warehouse.raw_tables import (
    ARTICLES,
    DISCOVERED_URLS,
    DISCOVERY_LOG,
    FETCH_LOG,
    RAW_TABLES,
)

AWS_PAGES = ["a01_amazon-aws-stores-tech_ledger.html", "a02_aws-training-sales-ops-cuts_circuit.html"]
EMPTY_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Layoffs desk</title><link>http://127.0.0.1/</link>
<description>Nothing today</description></channel></rss>
"""
LOCAL_FETCH = {"allow_private_networks": True, "per_host_delay_s": 0, "retries": 0, "timeout_s": 5}


@pytest.fixture(autouse=True)
def no_dagster_instance(tmp_path, monkeypatch):
    """Runs are recorded in no Dagster instance (not a developer's .dagster_home/ either)."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("LAYOFFS_DAGSTER_HOME", str(tmp_path / "no-dagster-home"))


def write_sources(folder: Path, document: dict) -> Path:
    path = folder / "sources.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def saved_pages(folder: Path) -> Path:
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    for page in AWS_PAGES:
        (pages / page).write_bytes((SAMPLE_DIR / page).read_bytes())
    return pages


# --- thresholds in sources.yml ------------------------------------------------------------------


def test_health_thresholds_default_when_the_block_is_left_out(tmp_path):
    path = write_sources(tmp_path, {"sources": [
        {"name": "news", "kind": "feed", "url": "https://example.com/feed.xml"},
        {"name": "saved", "kind": "html_dir", "path": "pages"},
    ]})
    health = load_sources(path).health
    assert (health.stale_after_days, health.max_failure_rate, health.window_days, health.min_fetches) == (
        DEFAULT_STALE_AFTER_DAYS, DEFAULT_MAX_FAILURE_RATE, 7, 10)
    # Feeds and sitemaps are judged for staleness; saved pages are a one-off input.
    assert health.limits_for("news", "feed").stale_after_days == DEFAULT_STALE_AFTER_DAYS
    assert health.limits_for("saved", "html_dir").stale_after_days is None
    assert load_sources(path).notify.configured is False


def test_health_thresholds_and_per_source_overrides_are_read(tmp_path):
    path = write_sources(tmp_path, {
        "sources": [
            {"name": "news", "kind": "feed", "url": "https://example.com/feed.xml"},
            {"name": "weekly", "kind": "sitemap", "url": "https://example.com/sitemap.xml"},
            {"name": "saved", "kind": "html_dir", "path": "pages"},
        ],
        "health": {
            "stale_after_days": 2, "max_failure_rate": 0.25, "window_days": 3, "min_fetches": 4,
            "sources": {"weekly": {"stale_after_days": 10, "max_failure_rate": 0.9},
                        "news": {"stale_after_days": None}, "saved": {"stale_after_days": 30}},
        },
    })
    health = load_sources(path).health
    assert (health.window_days, health.min_fetches) == (3, 4)
    assert health.limits_for("weekly", "sitemap").stale_after_days == 10
    assert health.limits_for("weekly", "sitemap").max_failure_rate == 0.9
    assert health.limits_for("news", "feed").stale_after_days is None  # turned off for this one
    assert health.limits_for("news", "feed").max_failure_rate == 0.25
    assert health.limits_for("saved", "html_dir").stale_after_days == 30  # asked for explicitly


@pytest.mark.parametrize(
    ("health", "message"),
    [
        ("often", "'health' must be a mapping"),
        ({"stale_after_day": 3}, r"unknown key\(s\) stale_after_day; it takes stale_after_days"),
        ({"stale_after_days": 0}, "'health.stale_after_days' must be a whole number of days of at least 1"),
        ({"stale_after_days": "3"}, "'health.stale_after_days' must be a whole number"),
        ({"max_failure_rate": 1.5}, "'health.max_failure_rate' must be a share between 0 and 1"),
        ({"max_failure_rate": True}, "'health.max_failure_rate' must be a share"),
        ({"window_days": 0}, "'health.window_days' must be a whole number of at least 1"),
        ({"min_fetches": 2.5}, "'health.min_fetches' must be a whole number"),
        ({"sources": {"nope": {"stale_after_days": 2}}}, "health.sources.nope: no source is named 'nope'"),
        ({"sources": {"news": {"stale": 2}}}, r"'health.sources.news': unknown key\(s\) stale"),
        ({"sources": {"news": {"max_failure_rate": -0.1}}}, "'health.sources.news.max_failure_rate' must be a share"),
        ({"sources": ["news"]}, "'health.sources' must map source names"),
    ],
)
def test_bad_health_thresholds_are_refused_with_a_clear_message(tmp_path, health, message):
    path = write_sources(tmp_path, {"sources": [{"name": "news", "kind": "feed", "url": "https://example.com/f"}],
                                    "health": health})
    with pytest.raises(SourceError, match=message) as raised:
        load_sources(path)
    assert str(path) in str(raised.value) and "health thresholds" in str(raised.value)


@pytest.mark.parametrize(
    ("notify", "message"),
    [
        ({}, "'notify' needs a 'webhook' or an 'email' block"),
        ({"slack": {"url": "https://hooks.slack.com/x"}}, r"unknown key\(s\) slack"),
        ({"webhook": {"url": "ftp://example.com/hook"}}, r"'notify.webhook.url' must be an http\(s\) URL"),
        ({"webhook": {}}, "needs exactly one of 'url'"),
        ({"webhook": {"url": "https://h/x", "url_env": "HOOK"}}, "needs exactly one of 'url'"),
        ({"webhook": {"url_env": "not a name"}}, "must name an environment variable"),
        ({"webhook": {"url": "https://h/x", "timeout_s": 0}}, "'notify.webhook.timeout_s' must be a positive number"),
        ({"email": {"from": "a@example.com", "to": "b@example.com"}}, "needs a 'host'"),
        ({"email": {"host": "smtp", "to": ["b@example.com"]}}, "needs a 'from' address"),
        ({"email": {"host": "smtp", "from": "a@example.com", "to": ["nobody"]}}, "'notify.email.to' must be"),
        ({"email": {"host": "smtp", "from": "a@example.com", "to": "b@example.com", "password": "x"}},
         "put the password in an environment variable"),
        ({"email": {"host": "smtp", "from": "a@example.com", "to": "b@example.com", "security": "tls"}},
         "security' must be starttls, ssl or none"),
        ({"email": {"host": "smtp", "from": "a@example.com", "to": "b@example.com", "username": "me"}},
         "no 'password_env'"),
        ({"email": {"host": "smtp", "from": "a@example.com", "to": "b@example.com", "port": 70000}},
         "'notify.email.port' must be a port number"),
        ({"webhook": {"url": "https://h/x"}, "events": ["failures"]}, "'notify.events' must be a non-empty list"),
        ({"webhook": {"url": "https://h/x"}, "ui_url": "dagster:3000"}, "'notify.ui_url' must be an http"),
    ],
)
def test_bad_notify_settings_are_refused_with_a_clear_message(tmp_path, notify, message):
    path = write_sources(tmp_path, {"sources": [{"name": "news", "kind": "feed", "url": "https://example.com/f"}],
                                    "notify": notify})
    with pytest.raises(SourceError, match=message) as raised:
        load_sources(path)
    assert "notify settings" in str(raised.value)


def test_notify_settings_are_read(tmp_path, monkeypatch):
    path = write_sources(tmp_path, {
        "sources": [{"name": "news", "kind": "feed", "url": "https://example.com/f"}],
        "notify": {
            "webhook": {"url_env": "LAYOFFS_TEST_HOOK"},
            "email": {"host": "smtp.example.com", "from": "layoffs@example.com", "to": "ops@example.com",
                      "username": "layoffs", "password_env": "LAYOFFS_TEST_SMTP"},
            "events": ["run_failure"],
            "ui_url": "http://dagster.internal:3000/",
        },
    })
    monkeypatch.delenv("LAYOFFS_TEST_HOOK", raising=False)
    notify = load_sources(path).notify  # a variable unset now fails a notice, not the pipeline
    assert notify.email.port == 587 and notify.email.security == "starttls"
    assert notify.email.recipients == ("ops@example.com",)
    assert notify.wants("run_failure") and not notify.wants("health_warnings")
    assert notify.ui_url == "http://dagster.internal:3000"
    with pytest.raises(ValueError, match="LAYOFFS_TEST_HOOK .* is not set"):
        notify.webhook.address()
    monkeypatch.setenv("LAYOFFS_TEST_HOOK", "https://hooks.example.com/T/B/token")
    assert notify.webhook.address() == "https://hooks.example.com/T/B/token"


# --- an empty and a dead feed, end to end ---------------------------------------------------------


@pytest.fixture
def feeds(tmp_path, serve_folder) -> str:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "empty.xml").write_text(EMPTY_RSS, encoding="utf-8")
    return serve_folder(folder)


def run_job(partition: str):
    from pipelines.definitions import build_definitions

    job = build_definitions().resolve_job_def("layoffs_job")
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(instance=instance, partition_key=partition, raise_on_error=False)


def check_results(result) -> dict[str, list]:
    found: dict[str, list] = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            found.setdefault(data.asset_check_key.name, []).append(data)
    return found


def status_json(capsys, *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["status", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_an_empty_and_a_dead_feed_are_warnings_in_the_checks_the_health_mart_and_layoffs_status(
    tmp_path, warehouse_env, monkeypatch, feeds, capsys
):
    pages = saved_pages(tmp_path)
    sources = write_sources(tmp_path, {
        "sources": [
            {"name": "saved-pages", "kind": "html_dir", "path": str(pages)},
            {"name": "empty-feed", "kind": "feed", "url": f"{feeds}/empty.xml"},
            {"name": "dead-feed", "kind": "feed", "url": f"{feeds}/gone.xml"},
        ],
        "fetch": LOCAL_FETCH,
    })
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    today = datetime.now(UTC).date().isoformat()

    result = run_job(today)
    assert result.success  # warnings warn: the run still publishes
    checks = check_results(result)
    listed = checks["sources_listed_entries"][0]
    assert listed.passed is False and listed.severity == dg.AssetCheckSeverity.WARN
    assert "empty-feed" in listed.description and "dead-feed" in listed.description
    assert "saved-pages" not in listed.description
    assert checks["run_found_urls"][0].passed  # the saved pages were listed
    assert all(check.passed for check in checks["dbt_source_freshness"])  # everything was just loaded
    assert len(checks["dbt_source_freshness"]) == len(RAW_TABLES)

    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        rows = conn.execute(
            """select source_name, source_kind, day, urls_listed, urls_new, failed_listings, last_listing_error,
                      pages_fetched, articles_kept, facts_extracted, fetch_attempts, errors, warnings
               from marts.fct_source_health order by source_name"""
        ).fetchall()
    health = {row[0]: row for row in rows}
    assert set(health) == {"saved-pages", "empty-feed", "dead-feed"}
    assert all(row[2] == date.fromisoformat(today) for row in rows)
    assert health["empty-feed"][3] == 0 and health["empty-feed"][-1] == "empty listing"
    assert health["dead-feed"][5] == 1 and "404" in health["dead-feed"][6]
    assert health["dead-feed"][-1] == "listing failed" and health["dead-feed"][11] == 1
    saved = health["saved-pages"]
    assert saved[3:6] == (2, 2, 0) and saved[7:9] == (2, 2) and saved[9] >= 2 and saved[-1] is None

    code, status = status_json(capsys)
    assert code == 1  # warnings: a cron wrapper sees a failure
    codes = {(warning["subject"], warning["code"]) for warning in status["warnings"]}
    assert ("empty-feed", "empty_listing") in codes and ("dead-feed", "listing_failed") in codes
    assert not any(subject == "saved-pages" for subject, _ in codes)
    by_name = {source["name"]: source for source in status["sources"]}
    # The same records as the mart, read live.
    assert (by_name["saved-pages"]["articles"], by_name["saved-pages"]["facts"]) == (saved[8], saved[9])
    assert by_name["saved-pages"]["fetch_attempts"] == saved[10]
    assert by_name["empty-feed"]["last_listed"] == 0
    assert status["runs"][0]["run_id"] == result.run_id  # from the work database: no Dagster instance here

    main(["status"])
    text = capsys.readouterr().out
    assert "empty-feed: its last listing" in text and "listed nothing: an empty or dead feed" in text
    assert "dead-feed: its last listing" in text and "404" in text

    # The next run finds nothing at all: only the two feeds are left.
    write_sources(tmp_path, {"sources": [
        {"name": "empty-feed", "kind": "feed", "url": f"{feeds}/empty.xml"},
        {"name": "dead-feed", "kind": "feed", "url": f"{feeds}/gone.xml"},
    ], "fetch": LOCAL_FETCH})
    result = run_job(today)
    assert result.success
    found_urls = check_results(result)["run_found_urls"][0]
    assert found_urls.passed is False and "listed nothing from any of its 2 source(s)" in found_urls.description
    code, status = status_json(capsys)
    assert code == 1 and "run_found_nothing" in {warning["code"] for warning in status["warnings"]}


# --- staleness, failure rates and quiet sources, on a work database written by hand --------------


def _feed_history(conn, now: datetime, *, last_article_days_ago: float, attempts: int, errors: int) -> None:
    ensure_raw_schema(conn)
    listed_at = now - timedelta(days=20)
    found = now - timedelta(days=last_article_days_ago)
    conn.begin()
    insert_new_rows(conn, DISCOVERY_LOG, [
        {"listing_id": f"l{day}", "run_id": f"r{day}", "source_name": "news", "source_kind": "feed",
         "discovered_on": (listed_at + timedelta(days=day)).date(), "listed": 30, "filtered_out": 25, "new_urls": 0,
         "problems": 0, "error": None, "listed_at": listed_at + timedelta(days=day)}
        for day in range(20)
    ])
    insert_new_rows(conn, DISCOVERED_URLS, [
        {"url": f"https://news.example/{n}", "source_name": "news", "source_kind": "feed", "local_path": None,
         "title": None, "discovered_on": found.date(), "discovered_at": found - timedelta(hours=n)}
        for n in range(3)
    ])
    insert_new_rows(conn, ARTICLES, [
        {"url": f"https://news.example/{n}", "page_url": f"https://news.example/{n}", "title": "t", "site_name": None,
         "published_on": None, "language": "en", "text": "x", "text_sha256": f"h{n}", "cleaned_at": found}
        for n in range(3)
    ])
    insert_new_rows(conn, FETCH_LOG, [
        {"attempt_id": f"a{n}", "url": f"https://news.example/{n % 3}", "source_name": "news",
         "outcome": "error" if n < errors else "ok", "status": 403 if n < errors else 200,
         "error": "HTTP 403" if n < errors else None, "final_url": None, "content_type": None, "bytes_read": 0,
         "truncated": False, "attempts": 1, "elapsed_s": 0.1, "fetched_at": now - timedelta(days=1)}
        for n in range(attempts)
    ])
    conn.commit()


def test_a_quiet_feed_and_a_high_failure_rate_are_warnings_with_their_thresholds(tmp_path):
    now = datetime(2026, 6, 1, 12, 0)
    path = write_sources(tmp_path, {"sources": [{"name": "news", "kind": "feed", "url": "https://news.example/rss"}]})
    with duckdb.connect(str(tmp_path / "work.duckdb")) as conn:
        _feed_history(conn, now, last_article_days_ago=6, attempts=20, errors=12)
        report = assess(conn, load_sources(path), now=now)
        codes = {warning.code: warning.message for warning in report.warnings}
        assert set(codes) == {"stale_source", "failure_rate"}
        assert "no new article for 6 days" in codes["stale_source"] and "limit 4 days" in codes["stale_source"]
        assert "12 of 20 fetches failed" in codes["failure_rate"] and "HTTP 403" in codes["failure_rate"]

        # Thresholds from sources.yml: a slower source and a more forgiving rate are not warnings.
        relaxed = write_sources(tmp_path, {
            "sources": [{"name": "news", "kind": "feed", "url": "https://news.example/rss"}],
            "health": {"sources": {"news": {"stale_after_days": 7, "max_failure_rate": 0.7}}},
        })
        assert assess(conn, load_sources(relaxed), now=now).warnings == []
        # Too few fetches in the window to judge a rate.
        few = write_sources(tmp_path, {
            "sources": [{"name": "news", "kind": "feed", "url": "https://news.example/rss"}],
            "health": {"min_fetches": 21, "stale_after_days": 30},
        })
        assert assess(conn, load_sources(few), now=now).warnings == []


def test_the_mart_s_warnings_need_no_threshold_and_its_rates_are_shares(tmp_path):
    """Columns of fct_source_health are described and typed as the YAML says (checked in a real build
    by test_an_empty_and_a_dead_feed_...); here: its tests and docs are in the manifest."""
    manifest = json.loads((settings.PROJECT_ROOT / "target" / "manifest.json").read_text(encoding="utf-8"))
    model = manifest["nodes"]["model.layoffs.fct_source_health"]
    assert model["description"].strip() and all(column["description"] for column in model["columns"].values())
    tests = {node["name"] for node in manifest["nodes"].values()
             if node["resource_type"] == "test" and "model.layoffs.fct_source_health" in node["depends_on"]["nodes"]}
    assert "unique_combination_fct_source_health_source_name__day" in tests
    assert "is_share_fct_source_health_fetch_failure_rate" in tests
    assert {"source.layoffs.raw.discovery_log", "source.layoffs.raw.fetch_log"} <= set(manifest["sources"])


# --- dbt source freshness -------------------------------------------------------------------------


def test_every_raw_table_has_dbt_source_freshness_and_a_dagster_check(tmp_path):
    from pipelines.definitions import defs

    rules = rules_from_manifest(settings.PROJECT_ROOT / "target" / "manifest.json")
    assert {rule.qualified_name for rule in rules} == {table.qualified_name for table in RAW_TABLES}
    assert all(rule.warn_after is not None for rule in rules)
    check_keys = {key for key in defs.resolve_asset_graph().asset_check_keys if key.name == "dbt_source_freshness"}
    assert {tuple(key.asset_key.path) for key in check_keys} == {("raw", table.name) for table in RAW_TABLES}

    now = datetime(2026, 6, 1, 12, 0)
    with duckdb.connect(str(tmp_path / "work.duckdb")) as conn:
        ensure_raw_schema(conn)
        conn.execute("insert into raw.discovery_log (listing_id, listed_at) values ('fresh', ?)", [now - timedelta(hours=3)])
        conn.execute("insert into raw.articles (url, cleaned_at) values ('a', ?)", [now - timedelta(days=5)])
        conn.execute("insert into raw.cut_mentions (mention_id, extracted_at) values ('m', ?)", [now - timedelta(days=45)])
        results = {table.rule.table: table for table in evaluate(conn, rules, now)}
    assert results["discovery_log"].status == "pass"
    assert results["articles"].status == "warn"  # 5 days: past warn_after (3), not error_after (14)
    assert "newest row 5 days old (warn after 3 days, error after 14 days)" in results["articles"].describe()
    assert results["cut_mentions"].status == "error"  # 45 days: past error_after (30)
    assert results["pages"].newest is None and results["pages"].status == "warn"  # never loaded
    assert "has no rows yet" in results["pages"].describe()


def test_layoffs_status_without_any_database_says_so_and_exits_2(tmp_path, warehouse_env, capsys):
    assert main(["status"]) == 2
    assert "run `layoffs run` first" in capsys.readouterr().err


def test_table_freshness_is_judged_only_when_a_source_should_keep_delivering(tmp_path):
    """Saved pages, URL lists and archives are read once: their tables going quiet is no warning."""
    rules = rules_from_manifest(settings.PROJECT_ROOT / "target" / "manifest.json")
    now = datetime(2026, 6, 1, 12, 0)
    one_off = write_sources(tmp_path, {"sources": [{"name": "saved", "kind": "html_dir", "path": "pages"}]})
    with duckdb.connect(str(tmp_path / "work.duckdb")) as conn:
        ensure_raw_schema(conn)
        conn.execute("insert into raw.articles (url, cleaned_at) values ('a', ?)", [now - timedelta(days=5)])
        report = assess(conn, load_sources(one_off), now=now, freshness_rules=rules)
        assert not report.freshness_judged and report.with_code("source_freshness") == []
        assert {table.rule.table: table.status for table in report.freshness}["articles"] == "warn"  # still shown

        live = write_sources(tmp_path, {"sources": [{"name": "news", "kind": "feed", "url": "https://news.example/rss"}]})
        report = assess(conn, load_sources(live), now=now, freshness_rules=rules)
        stale_tables = {warning.subject for warning in report.with_code("source_freshness")}
        assert "raw.articles" in stale_tables and "raw.pages" in stale_tables  # old, and never loaded


def test_freshness_is_judged_as_dbt_source_freshness_judges_it(tmp_path):
    """The same tables, the same statuses as `dbt source freshness` (an empty table included: dbt
    takes it as loaded in year 1, past any threshold)."""
    import os
    import subprocess
    import sys

    work_db = tmp_path / "warehouse.duckdb"
    now = datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect(str(work_db)) as conn:
        ensure_raw_schema(conn)
        conn.execute("insert into raw.discovery_log (listing_id, listed_at) values ('x', ?)", [now - timedelta(hours=3)])
        conn.execute("insert into raw.articles (url, cleaned_at) values ('a', ?)", [now - timedelta(days=5)])
        conn.execute("insert into raw.cut_mentions (mention_id, extracted_at) values ('m', ?)", [now - timedelta(days=45)])
        ours = {table.rule.qualified_name: table.status
                for table in evaluate(conn, rules_from_manifest(settings.PROJECT_ROOT / "target" / "manifest.json"), now)}
    dbt = Path(sys.executable).with_name("dbt")
    completed = subprocess.run(
        [str(dbt), "source", "freshness", "--target", "pipeline", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs"), "--output", str(tmp_path / "sources.json")],
        cwd=settings.PROJECT_ROOT, env={**os.environ, settings.WORK_DB_ENV: str(work_db)},
        capture_output=True, text=True, timeout=300,
    )
    assert (tmp_path / "sources.json").exists(), completed.stdout[-2000:] + completed.stderr[-2000:]
    results = json.loads((tmp_path / "sources.json").read_text(encoding="utf-8"))["results"]
    theirs = {result["unique_id"].removeprefix("source.layoffs."): result["status"] for result in results}
    assert theirs == ours
    assert set(ours.values()) == {"pass", "warn", "error"}
