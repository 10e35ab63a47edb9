"""The dbt worker that builds the dbt assets: the Dagster events it produces, a failing dbt test,
a worker that is never used, and one whose run is killed."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from conftest import REPO_ROOT, SAMPLE_DIR
from pipelines import settings
from pipelines.dbt_worker import DbtWorker
from pipelines.runner import run_pipeline

AWS_PAGES = ["a01_amazon-aws-stores-tech_ledger.html", "a02_aws-training-sales-ops-cuts_circuit.html"]


@pytest.fixture
def two_aws_pages(tmp_path, warehouse_env, monkeypatch) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in AWS_PAGES:
        (folder / page).write_bytes((SAMPLE_DIR / page).read_bytes())
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "saved", "kind": "html_dir", "path": str(folder)}]}))
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    return warehouse_env


def test_the_job_records_dbt_models_as_materializations_and_dbt_tests_as_passing_checks(two_aws_pages):
    from pipelines.definitions import build_definitions

    job = build_definitions().resolve_job_def("layoffs_job")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, partition_key="2024-04-05", raise_on_error=False)
    assert result.success
    materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert {"marts/fct_cuts", "marts/fct_cuts_by_division_quarter", "staging/stg_cut_mentions", "reference/companies"} <= materialized
    checks = {
        evaluation.asset_check_key.name: evaluation.passed
        for evaluation in (
            event.event_specific_data for event in result.all_events if event.event_type_value == "ASSET_CHECK_EVALUATION"
        )
    }
    assert len(checks) >= 100
    assert checks["unique_fct_cuts_cut_id"] is True
    assert checks["range_is_ordered_stg_cut_mentions_headcount_high__headcount_low"] is True
    assert all(checks.values())


def test_a_failing_dbt_test_fails_the_run_and_the_published_warehouse_stays_as_it_was(two_aws_pages):
    warehouse = two_aws_pages
    assert run_pipeline().success
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        published = conn.execute("select * from marts.fct_cuts order by cut_id").fetchall()
    assert len(published) == 2

    # A fact whose range runs backwards: stg_cut_mentions' range_is_ordered test must stop the build.
    with duckdb.connect(str(settings.work_db_path())) as conn:
        conn.execute(
            """insert into raw.cut_mentions
               select * replace ('backwards-range' as mention_id, 900 as headcount_low, 100 as headcount_high,
                                 99 as mention_index)
               from raw.cut_mentions limit 1"""
        )
    outcome = run_pipeline()
    assert not outcome.success
    assert "layoffs_dbt_models" in outcome.message
    assert "range_is_ordered_stg_cut_mentions_headcount_high__headcount_low" in outcome.message

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select * from marts.fct_cuts order by cut_id").fetchall() == published
    # The worker is gone and holds nothing: the work database opens for writing at once.
    duckdb.connect(str(settings.work_db_path())).close()


def test_a_worker_never_given_a_command_is_stopped_at_once_by_close():
    # A run with nothing for dbt must not wait for the worker's import and parse to finish.
    worker = DbtWorker.start(REPO_ROOT, REPO_ROOT, "pipeline", Path("target") / "worker-unused-test")
    time.sleep(0.5)  # inside its dbt import
    started = time.monotonic()
    worker.close()
    assert time.monotonic() - started < 3
    assert worker.exit_code is not None
    assert not _alive(worker.pid)


KILLED_PARENT = """
import sys, time
from pathlib import Path
from pipelines.dbt_worker import DbtWorker
worker = DbtWorker.start(Path(sys.argv[1]), Path(sys.argv[1]), "pipeline", Path("target") / "worker-orphan-test")
print(worker.pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its exit status waits to be read


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the worker dies with its parent through Linux's prctl")
def test_a_worker_does_not_outlive_a_killed_run():
    parent = subprocess.Popen(
        [sys.executable, "-c", KILLED_PARENT, str(REPO_ROOT)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    worker_pid = int(parent.stdout.readline())
    time.sleep(1.0)  # past the worker's start-up, into its dbt import
    assert _alive(worker_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker_pid)


@pytest.mark.parametrize(("large_from", "workers_started"), [(2, 2), (1000, 1)])
def test_a_large_run_stops_the_waiting_dbt_worker_and_its_build_starts_its_own(two_aws_pages, monkeypatch, large_from,
                                                                                  workers_started):
    """The worker that starts with the run waits through the cleaning; in a run with many pages
    its memory would only add to the cleaning's peak, so it is stopped and the dbt step starts one."""
    from pipelines.assets import ingest
    from pipelines.definitions import build_definitions

    monkeypatch.setattr(ingest, "LARGE_RUN_PAGES", large_from)
    started = []
    start = DbtWorker.start
    monkeypatch.setattr(DbtWorker, "start", lambda *args, **kwargs: started.append(start(*args, **kwargs)) or started[-1])

    job = build_definitions().resolve_job_def("layoffs_job")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, partition_key="2024-04-05", raise_on_error=False)
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert result.success
    assert len(started) == workers_started
    assert any("dbt worker waiting since the run started was stopped" in message for message in messages) == (
        workers_started == 2
    )
    with duckdb.connect(str(two_aws_pages), read_only=True) as conn:
        divisions = {row[0] for row in conn.execute("select division from marts.fct_cuts where company = 'Amazon'").fetchall()}
    assert "Physical Stores Technology" in divisions
