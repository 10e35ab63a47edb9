"""Runs that used to publish nothing, or stop publishing: a future-dated page froze every daily
run at dbt; `layoffs reprocess` that changed a figure said "warehouse unchanged"; rows written
between the dbt build and the publish step were counted as published."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import SAMPLE_DIR
from news_pages import write_page
from pipelines import settings
from pipelines.runner import reprocess_stored_pages, run_pipeline

AWS_PAGES = ["a01_amazon-aws-stores-tech_ledger.html", "a02_aws-training-sales-ops-cuts_circuit.html"]


def html_dir_sources(tmp_path: Path, folder: Path, monkeypatch) -> None:
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "saved", "kind": "html_dir", "path": str(folder)}]}))
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))


def write_future_cisco_page(folder: Path, day: date) -> Path:
    spelled = f"{day:%B} {day.day}, {day.year}"
    return write_page(
        folder, "cisco.html", "https://wire.example.com/cisco-cuts-700", "Cisco cuts 700 jobs", day,
        f"Cisco announced on {spelled} that it would cut 700 jobs in its networking unit.",
    )


def fct_cuts(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(
            "select company, division, announced_on, headcount_low, headcount_high from marts.fct_cuts order by all"
        ).fetchall()


def test_a_future_dated_page_is_held_back_and_the_run_still_publishes(tmp_path, warehouse_env, monkeypatch):
    folder = tmp_path / "pages"
    folder.mkdir()
    html_dir_sources(tmp_path, folder, monkeypatch)
    for page in AWS_PAGES[:1]:
        (folder / page).write_bytes((SAMPLE_DIR / page).read_bytes())
    assert run_pipeline().success
    before = fct_cuts(warehouse_env)
    assert before

    today = datetime.now(UTC).date()
    # The page: a plan for next year, reported on 2026-11-30.
    write_page(
        folder, "intel.html", "https://wire.example.com/intel-2027-cuts", "Intel to cut 15% of staff",
        date(2026, 11, 30), "Intel plans to cut 15% of its 110,000 staff during 2027, the chipmaker said.",
    )
    # A page dated six weeks ahead, in its metadata and its text (a wrong year, a CMS clock): the
    # cleaner refuses the future publication date, the extractor reads the date the text gives,
    # and the fact lands after today, which the marts' not_in_future test forbids.
    write_future_cisco_page(folder, today + timedelta(days=45))
    (folder / AWS_PAGES[1]).write_bytes((SAMPLE_DIR / AWS_PAGES[1]).read_bytes())

    outcome = run_pipeline()
    assert outcome.success, outcome.message
    assert "warehouse published" in outcome.message
    assert "held back" in outcome.message  # the run says so, in its one-line summary

    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        # The page that came with them still reached the marts: publishing did not freeze.
        assert conn.execute(
            "select count(*) from marts.fct_cuts where company = 'Amazon' and division = 'Sales, Marketing and Global Services'"
        ).fetchone()[0] == 1
        # No fact dated after today is published ...
        assert conn.execute("select count(*) from marts.fct_cuts where announced_on > current_date").fetchone()[0] == 0
        # ... and the held-back one is visible, with why.
        held = conn.execute(
            "select company, announced_on, quarantine_reason, article_url, evidence from marts.quarantined_cut_mentions"
        ).fetchall()
    cisco = [row for row in held if row[0] == "Cisco"]
    assert len(cisco) == 1, held
    assert cisco[0][1] > today and cisco[0][2] == "dated after today"
    assert cisco[0][3] == "https://wire.example.com/cisco-cuts-700"
    # Intel's plan is either dated by its report (2026-11-30) and published, or held back: never a failed run.
    intel_published = [row for row in fct_cuts(warehouse_env) if row[0] == "Intel"]
    intel_held = [row for row in held if row[0] == "Intel"]
    assert len(intel_published) + len(intel_held) == 1
    assert all(row[2] <= today for row in intel_published)


def test_the_dbt_warning_names_the_future_dated_rows(tmp_path, warehouse_env, monkeypatch):
    """The data-quality tests on scraped inputs report through Dagster as warnings, not failures."""
    import dagster as dg

    from pipelines.definitions import build_definitions

    folder = tmp_path / "pages"
    write_future_cisco_page(folder, datetime.now(UTC).date() + timedelta(days=45))
    (folder / AWS_PAGES[0]).write_bytes((SAMPLE_DIR / AWS_PAGES[0]).read_bytes())
    html_dir_sources(tmp_path, folder, monkeypatch)
    job = build_definitions().resolve_job_def("layoffs_job")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance, partition_key=datetime.now(UTC).date().isoformat(), raise_on_error=False
        )
    assert result.success
    checks = {
        data.asset_check_key.name: data
        for data in (event.event_specific_data for event in result.all_events if event.event_type_value == "ASSET_CHECK_EVALUATION")
    }
    warned = {name for name, data in checks.items() if not data.passed}
    assert "quarantined_cut_mentions_dated_after_today" in warned
    assert all(checks[name].severity == dg.AssetCheckSeverity.WARN for name in warned), warned
    # The marts' own invariant stays an error-severity check, and it passed.
    assert checks["not_in_future_fct_cuts_announced_on"].passed


@pytest.fixture
def html_dir(tmp_path, warehouse_env, monkeypatch) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    html_dir_sources(tmp_path, folder, monkeypatch)
    return folder


def _rewrite_stored_page(work_db: Path, url_like: str, old: str, new: str) -> None:
    """What a cleaner upgrade amounts to: the same stored page now yields a different text."""
    with duckdb.connect(str(work_db)) as conn:
        url, blob = conn.execute("select url, html_gzip from raw.pages where url like ?", [url_like]).fetchone()
        html = gzip.decompress(blob).decode("utf-8")
        assert old in html
        html = html.replace(old, new)
        conn.execute(
            "update raw.pages set html_gzip = ?, content_sha256 = ? where url = ?",
            [gzip.compress(html.encode("utf-8")), hashlib.sha256(html.encode("utf-8")).hexdigest(), url],
        )


def test_reprocess_that_changes_a_figure_publishes_the_new_figure(html_dir, warehouse_env):
    write_page(
        html_dir, "cisco.html", "https://wire.example.com/cisco-cuts", "Cisco cuts jobs",
        date(2024, 8, 14), "Cisco will cut 400 jobs in its networking unit, the company said on Wednesday.",
    )
    assert run_pipeline().success
    assert [row[3:] for row in fct_cuts(warehouse_env) if row[0] == "Cisco"] == [(400, 400)]

    _rewrite_stored_page(settings.work_db_path(), "%cisco%", "cut 400 jobs", "cut 600 jobs")
    outcome = reprocess_stored_pages()
    assert outcome.success, outcome.message
    assert "warehouse published" in outcome.message, outcome.message
    # Same number of facts, same keys, a different figure: the marts must say 600.
    assert [row[3:] for row in fct_cuts(warehouse_env) if row[0] == "Cisco"] == [(600, 600)]


def test_rows_written_between_build_and_publish_are_not_counted_as_published(html_dir, warehouse_env, monkeypatch):
    """The fingerprint recorded with a publish is the one the build started from, so a row another
    writer adds after the build is picked up by the next run instead of being skipped forever."""
    import pipelines.assets.publish as publish_module

    write_page(
        html_dir, "cisco.html", "https://wire.example.com/cisco-cuts", "Cisco cuts jobs",
        date(2024, 8, 14), "Cisco will cut 400 jobs in its networking unit, the company said on Wednesday.",
    )
    original = publish_module.publish_warehouse

    def publish_after_a_late_write(work_db, warehouse):
        with duckdb.connect(str(work_db)) as conn:
            conn.execute("update raw.cut_mentions set headcount_low = 650, headcount_high = 650 where company = 'Cisco'")
        return original(work_db, warehouse)

    monkeypatch.setattr(publish_module, "publish_warehouse", publish_after_a_late_write)
    assert run_pipeline().success
    monkeypatch.setattr(publish_module, "publish_warehouse", original)
    # The copy published with the late write carries the new raw row but marts built before it.
    assert [row[3:] for row in fct_cuts(warehouse_env) if row[0] == "Cisco"] == [(400, 400)]

    outcome = run_pipeline()
    assert outcome.success, outcome.message
    assert "warehouse published" in outcome.message, outcome.message
    assert [row[3:] for row in fct_cuts(warehouse_env) if row[0] == "Cisco"] == [(650, 650)]
