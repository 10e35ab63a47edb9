"""Pages that crash, hang or kill the cleaner or the extractor. Each is recorded as an `error`
with its message (never as "no article" or "no facts"), counted in the step's metadata and its
error-rate check, retried by later runs up to three attempts, and never stops the run.

The faults are injected with the test-only LAYOFFS_TEST_POISON hook (pipelines/fault_injection.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from conftest import REPO_ROOT, SAMPLE_DIR
from news_pages import write_page
from pipelines import settings

pytestmark = pytest.mark.timeout(600)

AWS_PAGE = "a01_amazon-aws-stores-tech_ledger.html"


def run_job() -> dg.ExecuteInProcessResult:
    from pipelines.definitions import build_definitions

    job = build_definitions().resolve_job_def("layoffs_job")
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(
            instance=instance, partition_key=datetime.now(UTC).date().isoformat(), raise_on_error=False
        )


def metadata(result, asset: str) -> dict:
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.to_user_string() == asset:
            return {key: getattr(value, "value", value) for key, value in materialization.metadata.items()}
    raise AssertionError(f"no materialization of {asset}")


def check(result, name: str):
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and event.event_specific_data.asset_check_key.name == name:
            return event.event_specific_data
    raise AssertionError(f"no evaluation of {name}")


def rows(query: str, *params) -> list[tuple]:
    with duckdb.connect(str(settings.work_db_path()), read_only=True) as conn:
        return conn.execute(query, list(params)).fetchall()


@pytest.fixture
def pages(tmp_path, warehouse_env, monkeypatch) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / AWS_PAGE).write_bytes((SAMPLE_DIR / AWS_PAGE).read_bytes())
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "saved", "kind": "html_dir", "path": str(folder)}]}))
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    return folder


def test_crashes_are_errors_retried_three_times_then_left_as_errors(pages, monkeypatch):
    write_page(pages, "always.html", "https://wire.example.com/always", "A page the cleaner always crashes on",
               date(2024, 8, 1), "Marker CLEAN-ALWAYS-CRASHES. Oracle will cut 200 jobs, the company said on Thursday.")
    write_page(pages, "once.html", "https://wire.example.com/once", "Cisco cuts 400 jobs",
               date(2024, 8, 14), "Marker CLEAN-CRASHES-ONCE. Cisco will cut 400 jobs in its networking unit, the company said on Wednesday.")
    write_page(pages, "extract.html", "https://wire.example.com/extract", "Intel cuts 300 jobs",
               date(2024, 9, 10), "Marker EXTRACT-CRASHES-ONCE. Intel will cut 300 jobs in Oregon, the company said on Tuesday.")
    monkeypatch.setenv("LAYOFFS_TEST_POISON", "clean:raise:CLEAN-ALWAYS-CRASHES,clean:raise:CLEAN-CRASHES-ONCE,"
                                              "extract:raise:EXTRACT-CRASHES-ONCE")

    first = run_job()
    assert first.success
    cleaned = dict((url, (outcome, error, attempts)) for url, outcome, error, attempts in rows(
        "select page_url, outcome, error, attempts from raw.cleaned_pages"))
    errors = {url: value for url, value in cleaned.items() if value[0] == "error"}
    assert len(errors) == 2 and all("injected fault" in error and attempts == 1 for _, error, attempts in errors.values())
    assert rows("select outcome, attempts from raw.extraction_log where article_url = 'https://wire.example.com/extract'") == [("error", 1)]
    assert "injected fault" in rows("select error from raw.extraction_log where outcome = 'error'")[0][0]
    # Counted in the steps' metadata, and each step's error-rate check warns (the run goes on).
    assert metadata(first, "raw/cleaned_pages")["error"] == 2
    assert metadata(first, "raw/extraction_log")["errors"] == 1
    for name in ("cleaning_error_rate", "extraction_error_rate"):
        evaluation = check(first, name)
        assert evaluation.passed is False and evaluation.severity == dg.AssetCheckSeverity.WARN
    # The failing pages are in no mart; the healthy one is.
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as conn:
        assert {c for (c,) in conn.execute("select distinct company from marts.fct_cuts").fetchall()} == {"Amazon"}

    # The two one-off faults are gone (a fixed parser, a freed worker): the next run retries and recovers them.
    monkeypatch.setenv("LAYOFFS_TEST_POISON", "clean:raise:CLEAN-ALWAYS-CRASHES")
    second = run_job()
    assert second.success
    assert metadata(second, "raw/cleaned_pages")["retried"] == 2
    assert rows("select outcome, error, attempts from raw.cleaned_pages where page_url like '%/once'") == [("article", None, 2)]
    assert rows("select outcome, attempts from raw.extraction_log where article_url = 'https://wire.example.com/extract'") == [("ok", 2)]
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as conn:
        assert {c for (c,) in conn.execute("select distinct company from marts.fct_cuts").fetchall()} == {"Amazon", "Cisco", "Intel"}

    assert run_job().success  # the third attempt of the page that always crashes
    assert rows("select outcome, attempts from raw.cleaned_pages where page_url like '%/always'") == [("error", 3)]
    fourth = run_job()  # three attempts used: left alone, still visible as an error
    assert fourth.success
    assert metadata(fourth, "raw/cleaned_pages")["pages"] == 0
    assert metadata(fourth, "raw/cleaned_pages")["errors_given_up"] == 1
    assert rows("select outcome, attempts from raw.cleaned_pages where page_url like '%/always'") == [("error", 3)]
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as conn:
        assert conn.execute("select outcome, attempts from staging.stg_cleaned_pages where page_url like '%/always'").fetchall() == [("error", 3)]


def layoffs_cli(folder: Path, warehouse: Path, poison: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAYOFFS_TEST_POISON": poison, "LAYOFFS_ITEM_TIMEOUT_S": "4", "LAYOFFS_WORKERS": "2"}
    for name in (settings.SOURCES_ENV, settings.WORK_DB_ENV, settings.WAREHOUSE_ENV):
        env.pop(name, None)
    command = [sys.executable, "-m", "pipelines.cli", "run", "--quiet", "--html-dir", str(folder), "--db", str(warehouse)]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=400)


def test_pages_that_hang_or_kill_a_worker_are_errors_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "pages"
    for name in ("a01_amazon-aws-stores-tech_ledger.html", "a02_aws-training-sales-ops-cuts_circuit.html"):
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes((SAMPLE_DIR / name).read_bytes())
    poisoned = {
        "clean-hang": "clean:hang", "clean-exit": "clean:exit", "clean-kill": "clean:kill",
        "extract-hang": "extract:hang", "extract-kill": "extract:kill",
    }
    for slug in poisoned:
        write_page(folder, f"{slug}.html", f"https://wire.example.com/{slug}", f"Cisco cuts 700 jobs ({slug})",
                   date(2024, 8, 14), f"Marker POISON-{slug.upper()}. Cisco will cut 700 jobs, the company said on Wednesday.")
    poison = ",".join(f"{action}:POISON-{slug.upper()}" for slug, action in poisoned.items())
    warehouse = tmp_path / "warehouse.duckdb"

    started = time.monotonic()
    completed = layoffs_cli(folder, warehouse, poison)
    elapsed = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "3 pages failed to clean" in completed.stderr and "2 articles failed extraction" in completed.stderr
    assert elapsed < 240  # two hangs, each stopped at the 4 s limit, not waited out

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        cleaned = dict(conn.execute(
            "select regexp_extract(page_url, '([a-z-]+)$', 1), error from raw.cleaned_pages where outcome = 'error'"
        ).fetchall())
        extracted = dict(conn.execute(
            "select regexp_extract(article_url, '([a-z-]+)$', 1), error from raw.extraction_log where outcome = 'error'"
        ).fetchall())
        published = {row[0] for row in conn.execute("select distinct division from marts.fct_cuts where company = 'Amazon'").fetchall()}
    assert set(cleaned) == {"clean-hang", "clean-exit", "clean-kill"}
    assert cleaned["clean-hang"].startswith("timeout: no result after 4 s")
    assert cleaned["clean-exit"].startswith("crashed:") and "exit code 70" in cleaned["clean-exit"]
    assert cleaned["clean-kill"].startswith("crashed:") and "SIGKILL" in cleaned["clean-kill"]
    assert set(extracted) == {"extract-hang", "extract-kill"}
    assert extracted["extract-hang"].startswith("timeout:") and "SIGKILL" in extracted["extract-kill"]
    # Every healthy page went through, whichever chunk it shared with a poisoned one.
    assert published == {"Physical Stores Technology", "Sales, Marketing and Global Services"}

    # The next run tries them again (the same page first, as before) and still finishes.
    again = layoffs_cli(folder, warehouse, poison)
    assert again.returncode == 0, again.stderr[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select max(attempts), min(attempts) from raw.cleaned_pages where outcome = 'error'").fetchone() == (2, 2)
