"""Knowing when it breaks: the notifier (a Slack-compatible webhook and SMTP email, tested against
real receivers on 127.0.0.1), a failing run reaching both (from `layoffs run`, and from the
run-failure sensor when the run is recorded in a Dagster instance), the health sensor, and the
retries (a RetryPolicy on the dbt and publish steps, run retries in dagster.yaml)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from conftest import REPO_ROOT, SAMPLE_DIR
from pipelines import settings
from pipelines.cli import main
from pipelines.monitoring.notify import Notice, NotifyError, send
from pipelines.monitoring.settings import NotifySettings
from pipelines.warehouse import ensure_raw_schema
from receivers import mailbox, notify_block, webhook  # noqa: F401 - pytest fixtures

AWS_PAGES = ["a01_amazon-aws-stores-tech_ledger.html", "a02_aws-training-sales-ops-cuts_circuit.html"]
MORE_PAGES = ["a03_amazon-14000-corporate_northgate.html", "a04_amazon-corporate-cuts-ai_mcj.html"]


@pytest.fixture(autouse=True)
def no_dagster_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("LAYOFFS_DAGSTER_HOME", str(tmp_path / "no-dagster-home"))


# --- the notifier ---------------------------------------------------------------------------------


def test_a_notice_reaches_the_webhook_as_slack_json_and_the_mailbox_as_an_email(webhook, mailbox):
    notify = NotifySettings.from_mapping(notify_block(webhook, mailbox))
    notice = Notice("health_warnings", "2 health warnings", "- empty-feed: listed nothing\n- dead-feed: HTTP 404")
    assert send(notice, notify) == ["webhook", "email"]

    assert len(webhook.posts) == 1
    post = webhook.posts[0]
    assert post["path"] == "/hooks/T000/B000/secret-token"
    assert post["content_type"].startswith("application/json")
    assert set(post["json"]) == {"text"}  # Slack's incoming-webhook format, understood by most chat tools
    assert post["json"]["text"] == "*2 health warnings*\n- empty-feed: listed nothing\n- dead-feed: HTTP 404"

    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "[layoffs] 2 health warnings"
    assert message["From"] == "layoffs@example.com"
    assert message.envelope_to == ["ops@example.com", "oncall@example.com"]
    assert "dead-feed: HTTP 404" in message.get_content()


def test_the_webhook_is_retried_after_a_5xx_and_one_broken_receiver_does_not_stop_the_other(webhook, mailbox):
    notify = NotifySettings.from_mapping(notify_block(webhook, mailbox))
    webhook.statuses[:] = [503, 502]
    assert send(Notice("run_failure", "s", "b"), notify, backoff_s=0.01) == ["webhook", "email"]
    assert len(webhook.posts) == 1  # the third attempt got through

    webhook.statuses[:] = [404]  # a wrong address is not retried, and the email still goes out
    with pytest.raises(NotifyError) as raised:
        send(Notice("run_failure", "s2", "b2"), notify, backoff_s=0.01)
    assert "webhook: HTTP 404" in str(raised.value) and "(delivered by email)" in str(raised.value)
    assert "secret-token" not in str(raised.value)  # the token in a webhook's path is never printed
    assert len(webhook.posts) == 1 and len(mailbox.wait_for(2)) == 2

    closed = NotifySettings.from_mapping({"webhook": {"url": "http://127.0.0.1:9/hook", "timeout_s": 1}})
    with pytest.raises(NotifyError, match="cannot reach 127.0.0.1:9.*after 3 attempts"):
        send(Notice("run_failure", "s", "b"), closed, backoff_s=0.01)


# --- a failing run reaches both receivers ---------------------------------------------------------


def _pages_and_sources(tmp_path: Path, webhook, mailbox) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in AWS_PAGES:
        (pages / page).write_bytes((SAMPLE_DIR / page).read_bytes())
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({
        "sources": [{"name": "saved-pages", "kind": "html_dir", "path": str(pages)}],
        "notify": {**notify_block(webhook, mailbox), "ui_url": "http://dagster.example:3000"},
    }), encoding="utf-8")
    return pages


def _break_a_dbt_test(work_db: Path) -> None:
    """A listing of a kind no source has: stg_discovery_log's accepted_values test fails the build."""
    with duckdb.connect(str(work_db)) as conn:
        conn.execute(
            "insert into raw.discovery_log (listing_id, source_name, source_kind, discovered_on, listed, listed_at) "
            "values ('bad', 'carrier-pigeons', 'pigeon', current_date, 1, now()::timestamp)"
        )


def test_a_failing_run_reaches_the_webhook_and_smtp_receivers(tmp_path, warehouse_env, monkeypatch, webhook, mailbox):
    pages = _pages_and_sources(tmp_path, webhook, mailbox)
    monkeypatch.setenv(settings.SOURCES_ENV, str(tmp_path / "sources.yml"))

    # A healthy run sends nothing.
    assert main(["run", "--quiet"]) == 0
    assert webhook.posts == [] and mailbox.messages == []

    # No Dagster instance records `layoffs run`: the command itself reports the failure.
    _break_a_dbt_test(settings.work_db_path())
    (pages / MORE_PAGES[0]).write_bytes((SAMPLE_DIR / MORE_PAGES[0]).read_bytes())  # something new to build
    assert main(["run", "--quiet"]) == 1
    assert len(webhook.posts) == 1
    text = webhook.texts()[0]
    assert text.startswith("*layoffs_job failed")
    assert "layoffs_dbt_models" in text and "accepted_values_stg_discovery_log_source_kind" in text
    (message,) = mailbox.wait_for(1)
    assert message["Subject"].startswith("[layoffs] layoffs_job failed")
    body = message.get_content()
    assert "accepted_values_stg_discovery_log_source_kind" in body and "published warehouse was left as it was" in body

    # In a deployment the run is recorded in the Dagster instance, and the run-failure sensor sends it.
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    (pages / MORE_PAGES[1]).write_bytes((SAMPLE_DIR / MORE_PAGES[1]).read_bytes())
    assert main(["run", "--quiet"]) == 1
    assert len(webhook.posts) == 1  # not sent twice: the sensor's to send

    from pipelines.definitions import build_definitions

    sensor = build_definitions().resolve_sensor_def("notify_run_failure")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (record,) = instance.get_run_records(limit=1)
        run = record.dagster_run
        assert run.status == dg.DagsterRunStatus.FAILURE
        failure = instance.get_records_for_run(run.run_id, of_type={dg.DagsterEventType.RUN_FAILURE}).records
        context = dg.build_run_status_sensor_context(
            sensor_name="notify_run_failure",
            dagster_event=failure[0].event_log_entry.dagster_event,
            dagster_instance=instance,
            dagster_run=run,
        ).for_run_failure()
        sensor(context)
        # A failing dbt test fails the same way again: the dbt step's RetryPolicy left it alone.
        retries = instance.get_records_for_run(run.run_id, of_type={dg.DagsterEventType.STEP_UP_FOR_RETRY}).records
        assert retries == []

    assert len(webhook.posts) == 2
    text = webhook.texts()[1]
    assert run.run_id in text and "accepted_values_stg_discovery_log_source_kind" in text
    assert f"Logs: http://dagster.example:3000/runs/{run.run_id}" in text
    messages = mailbox.wait_for(2)
    assert len(messages) == 2 and run.run_id in messages[1].get_content()
    assert messages[1]["Subject"] == f"[layoffs] layoffs_job failed for {run.tags['dagster/partition']}"

    # `layoffs status` reads the instance's runs and warns about the failed one.
    code = main(["status", "--format", "json"])
    assert code == 1


# --- health warnings after `layoffs run` ----------------------------------------------------------

EMPTY_RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet desk</title></channel></rss>'


def test_layoffs_run_sends_health_warnings_once_while_they_last(tmp_path, warehouse_env, monkeypatch, webhook, serve_folder):
    site = tmp_path / "site"
    site.mkdir()
    (site / "empty.xml").write_text(EMPTY_RSS, encoding="utf-8")
    feed = f"{serve_folder(site)}/empty.xml"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / AWS_PAGES[0]).write_bytes((SAMPLE_DIR / AWS_PAGES[0]).read_bytes())
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({
        "sources": [{"name": "saved-pages", "kind": "html_dir", "path": str(pages)},
                    {"name": "quiet-feed", "kind": "feed", "url": feed}],
        "fetch": {"allow_private_networks": True, "per_host_delay_s": 0, "retries": 0},
        "notify": notify_block(webhook),
    }), encoding="utf-8")
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))

    assert main(["run", "--quiet"]) == 0  # a warning is no failure
    assert len(webhook.posts) == 1
    assert webhook.texts()[0].startswith("*1 health warning*") and "quiet-feed: its last listing" in webhook.texts()[0]
    assert main(["run", "--quiet"]) == 0
    assert len(webhook.posts) == 1  # the same warning: sent again tomorrow, not on every run


def test_health_notices_are_sent_on_change_daily_and_on_clearing():
    from pipelines.monitoring.health import HealthWarning
    from pipelines.monitoring.notices import health_notice_due

    now = datetime(2026, 6, 1, 6, 0)
    empty = [HealthWarning("empty_listing", "feed-a", "feed-a: its last listing listed nothing")]
    notice, state = health_notice_due({}, empty, now)
    assert notice.subject == "1 health warning"
    grown = [HealthWarning("empty_listing", "feed-a", "feed-a: (other words, same warning)")]
    assert health_notice_due(state, grown, now.replace(hour=7))[0] is None
    assert health_notice_due(state, empty, now.replace(day=2, hour=6, minute=1))[0] is not None  # a day later
    more = [*empty, HealthWarning("failure_rate", "feed-b", "feed-b: 9 of 10 fetches failed")]
    assert health_notice_due(state, more, now.replace(hour=7))[0].subject == "2 health warnings"
    cleared, state = health_notice_due(state, [], now.replace(hour=8))
    assert cleared.subject == "health warnings cleared" and state == {}
    assert health_notice_due(state, [], now.replace(hour=9)) == (None, {})


# --- the health sensor ----------------------------------------------------------------------------


def _fresh_work_db(path: Path, *, listed: int) -> None:
    """Every raw table with a row loaded just now, and one listing of one feed."""
    from pipelines.monitoring.dagster_defs import FRESHNESS_RULES
    from pipelines.warehouse.raw_tables import RAW_TABLES

    now = datetime.now(UTC).replace(tzinfo=None)
    keys = {table.name: table.primary_key for table in RAW_TABLES}
    with duckdb.connect(str(path)) as conn:
        ensure_raw_schema(conn)
        for rule in FRESHNESS_RULES:
            if rule.table != "discovery_log":
                columns = [*keys[rule.table], rule.loaded_at_field]
                conn.execute(
                    f"insert or ignore into raw.{rule.table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                    [f"row-{now.timestamp()}"] * len(keys[rule.table]) + [now],
                )
        conn.execute(
            "insert into raw.discovery_log (listing_id, run_id, source_name, source_kind, discovered_on, listed, "
            "filtered_out, new_urls, problems, listed_at) values (?, 'r', 'news', 'feed', ?, ?, 0, 0, 0, ?)",
            [f"l-{now.timestamp()}", now.date(), listed, now],
        )


def test_the_health_sensor_sends_new_warnings_once_and_says_when_they_clear(tmp_path, monkeypatch, webhook):
    work_db = tmp_path / ".work" / "warehouse.duckdb"
    work_db.parent.mkdir()
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv(settings.WORK_DB_ENV, str(work_db))
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({
        "sources": [{"name": "news", "kind": "feed", "url": "https://news.example/rss"}],
        "notify": notify_block(webhook),
    }), encoding="utf-8")
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    _fresh_work_db(work_db, listed=0)

    from pipelines.definitions import build_definitions

    sensor = build_definitions().resolve_sensor_def("notify_health_warnings")
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance)
        sensor(context)
        assert len(webhook.posts) == 1
        text = webhook.texts()[0]
        # The feed's empty listing, and the run that therefore found nothing at all.
        assert text.startswith("*2 health warnings*") and "news: its last listing" in text
        assert "an empty or dead feed" in text and "listed nothing from any of its 1 source(s)" in text

        sensor(context)  # the same warning an hour later: not sent again (it is, once a day)
        assert len(webhook.posts) == 1
        assert json.loads(context.cursor)["digest"]

        _fresh_work_db(work_db, listed=12)  # the feed lists entries again
        sensor(context)
        assert len(webhook.posts) == 2 and "health warnings cleared" in webhook.texts()[1]
        sensor(context)
        assert len(webhook.posts) == 2


def test_without_a_notify_block_the_sensors_only_skip(tmp_path, monkeypatch, warehouse_env):
    from pipelines.definitions import build_definitions

    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "news", "kind": "feed", "url": "https://news.example/rss"}]}))
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    definitions = build_definitions()
    sensor = definitions.resolve_sensor_def("notify_health_warnings")
    with dg.DagsterInstance.ephemeral() as instance:
        result = sensor(dg.build_sensor_context(instance=instance))
    assert "no notify: receiver" in result.skip_message
    # Both start running by default: a notifier that must be switched on is one nobody switched on.
    for name in ("notify_health_warnings", "notify_run_failure"):
        assert definitions.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING


# --- retries --------------------------------------------------------------------------------------


def test_the_dbt_and_publish_steps_retry_and_the_instance_retries_crashed_runs(tmp_path):
    from pipelines.definitions import defs
    from pipelines.dbt_worker.resource import _fails_again

    job = defs.resolve_job_def("layoffs_job")
    for step in ("layoffs_dbt_models", "warehouse"):
        policy = job.graph.node_named(step).definition.retry_policy
        assert policy is not None and policy.max_retries >= 1, step
    assert _fails_again(["Failure in test range_is_ordered_stg_cut_mentions_headcount_high__headcount_low (models/x.yml)"])
    assert _fails_again(["Compilation Error in model fct_cuts"])
    assert not _fails_again(["IO Error: Could not set lock on file \"/data/.work/warehouse.duckdb\""])

    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 1
        # Step failures are the RetryPolicy's to retry; a run is retried when its process died.
        assert instance.run_retries_retry_on_asset_or_op_failure is False
