"""Running the scheduled job in this process, for the CLI and the tests."""

from __future__ import annotations

import contextlib
import logging
import io
import os
from dataclasses import dataclass

import dagster as dg

from pipelines import settings
from pipelines.dbt_project import ensure_manifest
from pipelines.locking import RunInProgress, exclusive_run
from pipelines.partitions import today_partition


@dataclass(frozen=True)
class RunOutcome:
    success: bool
    message: str
    run_id: str | None = None


def reprocess_stored_pages(verbose: bool = False, wait_s: float = 0.0) -> RunOutcome:
    """Forget every cleaning and extraction result and derive them again from the stored pages.

    For a cleaner upgrade or changed cleaning settings; a new extractor version needs none of this,
    since the next run re-reads every article it has not read yet.
    """
    try:
        with exclusive_run(settings.work_db_path(), wait_s=wait_s):
            forget_derived_tables(settings.work_db_path())
            return _run_job(verbose, None, job_name="reprocess_job")
    except RunInProgress as busy:
        return RunOutcome(False, str(busy))


def forget_derived_tables(work_db) -> None:
    import duckdb

    from pipelines.warehouse import ensure_raw_schema

    with duckdb.connect(str(work_db)) as conn:
        ensure_raw_schema(conn)
        conn.begin()
        for table in ("raw.extraction_log", "raw.cut_mentions", "raw.articles", "raw.cleaned_pages"):
            conn.execute(f"delete from {table}")
        conn.commit()


def run_pipeline(verbose: bool = False, wait_s: float = 0.0, partition_key: str | None = None) -> RunOutcome:
    """Materialize every asset through the same job the schedule runs, one run at a time.

    `partition_key` is the discovery day (YYYY-MM-DD); today (UTC) by default.
    """
    try:
        with exclusive_run(settings.work_db_path(), wait_s=wait_s):
            return _run_job(verbose, partition_key)
    except RunInProgress as busy:
        return RunOutcome(False, str(busy))


def _run_job(verbose: bool, partition_key: str | None, job_name: str = "layoffs_job") -> RunOutcome:
    ensure_manifest()
    from pipelines.definitions import build_definitions  # after the manifest exists: dagster-dbt reads it

    job = build_definitions().resolve_job_def(job_name)
    # Step-level warnings (a skipped page, a dbt check with no result on a skipped build) are in the
    # run summary below and in raw.fetch_log; the console shows them with --verbose.
    log_level = "INFO" if verbose else "ERROR"
    if not verbose:
        # On a skipped dbt build Dagster notes, once per check, that the checks gave no result.
        logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    # dagster-dbt echoes every dbt log line to stdout; keep it for --verbose, where it helps.
    dbt_echo = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
    with instance, dbt_echo:
        result = job.execute_in_process(
            instance=instance,
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
    parts.append("warehouse published" if "warehouse.path" in facts else "warehouse unchanged (same inputs as the last published build)")
    return ", ".join(parts)
