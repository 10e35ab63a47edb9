"""Running the scheduled job in this process, for the CLI and the tests."""

from __future__ import annotations

import contextlib
import logging
import io
import os
from pathlib import Path
from dataclasses import dataclass

import dagster as dg

from pipelines import progress, settings
from pipelines.dbt_project import ensure_manifest
from pipelines.instance import cli_run_tags, fail_abandoned_cli_runs, instance_for_cli_run
from pipelines.locking import RunInProgress, exclusive_run
from pipelines.partitions import today_partition


@dataclass(frozen=True)
class RunOutcome:
    success: bool
    message: str
    run_id: str | None = None


def reprocess_stored_pages(verbose: bool = False, wait_s: float = 0.0, display: str = "off") -> RunOutcome:
    """Forget every cleaning and extraction result and derive them again from the stored pages.

    For a cleaner upgrade or changed cleaning settings; a new extractor version needs none of this,
    since the next run re-reads every article it has not read yet.
    """
    try:
        with exclusive_run(settings.work_db_path(), wait_s=wait_s):
            forget_derived_tables(settings.work_db_path())
            return _run_job(verbose, None, job_name="reprocess_job", display=display)
    except RunInProgress as busy:
        return RunOutcome(False, str(busy))


def forget_derived_tables(work_db) -> None:
    from pipelines.warehouse import ensure_raw_schema
    from pipelines.warehouse.build_state import request_full_refresh
    from pipelines.warehouse.connection import work_db_connection

    with work_db_connection(work_db) as conn:
        ensure_raw_schema(conn)
        conn.begin()
        for table in ("raw.extraction_log", "raw.cut_mentions", "raw.articles", "raw.cleaned_pages"):
            conn.execute(f"delete from {table}")
        # Incremental dbt models never see deleted rows: the next build rebuilds them from all of raw.
        request_full_refresh(conn, "reprocess")
        conn.commit()


def _ask_for_full_refresh(work_db) -> None:
    from pipelines.warehouse.build_state import request_full_refresh
    from pipelines.warehouse.connection import work_db_connection

    Path(work_db).parent.mkdir(parents=True, exist_ok=True)
    with work_db_connection(work_db) as conn:
        request_full_refresh(conn, "--full-refresh")


def run_pipeline(
    verbose: bool = False, wait_s: float = 0.0, partition_key: str | None = None, display: str = "off",
    full_refresh: bool = False,
) -> RunOutcome:
    """Materialize every asset through the same job the schedule runs, one run at a time.

    `partition_key` is the discovery day (YYYY-MM-DD); today (UTC) by default. `display` shows
    the steps' progress on stderr: 'terminal' (live bars), 'plain' (lines) or 'off'
    (pipelines/progress.py). `full_refresh` rebuilds dbt's incremental models from all of raw.
    """
    try:
        with exclusive_run(settings.work_db_path(), wait_s=wait_s):
            if full_refresh:
                _ask_for_full_refresh(settings.work_db_path())
            return _run_job(verbose, partition_key, display=display)
    except RunInProgress as busy:
        return RunOutcome(False, str(busy))


def _run_job(verbose: bool, partition_key: str | None, job_name: str = "layoffs_job", display: str = "off") -> RunOutcome:
    from pipelines.memory import limit_allocator_heaps

    limit_allocator_heaps()  # before the steps' threads start (pipelines/memory.py)
    ensure_manifest()
    from pipelines.definitions import build_definitions  # after the manifest exists: dagster-dbt reads it
    from pipelines.parallel import start_worker_server

    job = build_definitions().resolve_job_def(job_name)
    # Every step runs in this process (execute_in_process): the clean and extract steps' worker
    # server can get ready while discovery and fetching run. (Under the daemon's multiprocess
    # executor each step has its own process, and the clean step's starts its own server.)
    start_worker_server()
    # Step-level warnings (a skipped page, a dbt check with no result on a skipped build) are in the
    # run summary below and in raw.fetch_log; the console shows them with --verbose.
    log_level = "INFO" if verbose else "ERROR"
    if not verbose:
        # On a skipped dbt build Dagster notes, once per check, that the checks gave no result.
        logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    # Recorded in the deployment's instance when there is one (DAGSTER_HOME, or the project's
    # .dagster_home/ that `make serve` keeps), so CLI runs show in its UI; else an ephemeral one.
    # dagster-dbt echoes every dbt log line to stdout; keep it for --verbose, where it helps.
    dbt_echo = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
    # The display is opened before stdout is redirected: it writes to the real stderr.
    with progress.watch(display), instance_for_cli_run() as instance, dbt_echo:
        fail_abandoned_cli_runs(instance)
        result = job.execute_in_process(
            instance=instance,
            tags=cli_run_tags(),
            partition_key=(partition_key or today_partition()) if job.partitions_def else None,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            raise_on_error=False,
        )
    if result.success:
        return RunOutcome(True, f"run {result.run_id} succeeded: {_summary(result)}", result.run_id)
    failed = [event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
    errors = [
        event.event_specific_data.error.message.strip()
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE" and event.event_specific_data and event.event_specific_data.error
    ]
    detail = "; ".join(errors)[:2000]
    return RunOutcome(False, f"run {result.run_id} failed in {', '.join(failed) or 'setup'}: {detail}", result.run_id)


def _summary(result) -> str:
    """One line from the Python steps' materialization metadata: what this run found and did."""
    facts: dict[str, object] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        for key, value in materialization.metadata.items():
            facts[f"{materialization.asset_key.path[-1]}.{key}"] = getattr(value, "value", value)
    wanted = [
        ("discovered_urls.new", "new URLs"),
        ("pages.new_pages", "pages stored"),
        ("fetch_log.error", "fetch errors"),
        ("fetch_log.skipped", "pages skipped"),
        ("articles.new_articles", "new articles"),
        ("cut_mentions.new_facts", "new cut facts"),
    ]
    parts = [f"{facts[key]} {label}" for key, label in wanted if key in facts]
    # Said only when there is something to say: crashes (recorded as errors, retried on later
    # runs) and facts held back from the marts (marts.quarantined_cut_mentions).
    noteworthy = [
        ("cleaned_pages.error", "pages failed to clean (raw.cleaned_pages, retried next run)"),
        ("extraction_log.errors", "articles failed extraction (raw.extraction_log, retried next run)"),
        ("warehouse.held_back_facts", "facts held back (marts.quarantined_cut_mentions)"),
    ]
    parts += [f"{facts[key]} {label}" for key, label in noteworthy if facts.get(key)]
    parts.append("warehouse published" if "warehouse.path" in facts else "warehouse unchanged (same inputs as the last published build)")
    return ", ".join(parts)
