"""The last runs: from the Dagster instance when there is one, else from the work database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.monitoring.health import recent_run_listings

PIPELINE_JOBS = ("layoffs_job", "reprocess_job")


@dataclass(frozen=True)
class RunSummary:
    run_id: str | None
    job: str
    status: str  # Dagster's run status (SUCCESS, FAILURE, STARTED, ...) or "listed" from the work database
    day: str | None  # the partition: the discovery day
    started_at: datetime | None  # naive UTC
    ended_at: datetime | None
    detail: str  # what it listed and found, or why it failed


def dagster_home() -> Path | None:
    """The deployment's Dagster instance folder, when there is one: the instance `layoffs run`
    records into (pipelines/instance.py). None means runs leave no record but the work database's."""
    from pipelines.instance import existing_home

    home = existing_home()
    return home if home is not None and home.is_dir() else None


@contextmanager
def open_instance(home: Path) -> Iterator:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance


def runs_from_instance(instance, limit: int) -> list[RunSummary]:
    import dagster as dg

    records = instance.get_run_records(filters=dg.RunsFilter(job_name=None), limit=limit * 4)
    runs = []
    for record in records:
        run = record.dagster_run
        if run.job_name not in PIPELINE_JOBS:
            continue
        detail = ""
        if run.status == dg.DagsterRunStatus.FAILURE:
            detail = failure_detail(instance, run.run_id)
        elif run.tags.get("layoffs/trigger"):
            detail = f"started by the feed sensor: {run.tags['layoffs/trigger']}"
        runs.append(
            RunSummary(
                run.run_id,
                run.job_name,
                run.status.value,
                run.tags.get("dagster/partition"),
                _utc(record.start_time),
                _utc(record.end_time),
                detail,
            )
        )
        if len(runs) == limit:
            break
    return runs


def failure_detail(instance, run_id: str, limit: int = 400, one_line: bool = True) -> str:
    """The failed steps of a run and their errors: in one line for a table, or whole for a notice."""
    import dagster as dg

    records = instance.get_records_for_run(run_id, of_type={dg.DagsterEventType.STEP_FAILURE}).records
    parts = []
    for record in records:
        event = record.event_log_entry.dagster_event
        error = getattr(event.event_specific_data, "error", None)
        message = _without_exception_class(error.message) if error else ""
        parts.append(f"{event.step_key}: {message}")
    if not parts:
        run_failure = instance.get_records_for_run(run_id, of_type={dg.DagsterEventType.RUN_FAILURE}).records
        parts = [record.event_log_entry.dagster_event.message or "" for record in run_failure]
    text = ("; " if one_line else "\n").join(part for part in parts if part)
    text = text or "no step failed (the run worker may have died)"
    if one_line:
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _without_exception_class(message: str) -> str:
    """'dagster._core.definitions.events.Failure: dbt build failed: ...' -> 'dbt build failed: ...'."""
    first, _, rest = message.strip().partition(": ")
    return rest.strip() if rest and "." in first and " " not in first else message.strip()


def runs_from_work_db(conn: duckdb.DuckDBPyConnection, limit: int) -> list[RunSummary]:
    """Runs as the work database recorded them: each run's listing of its sources."""
    runs = []
    for listing in recent_run_listings(conn, limit):
        detail = f"{listing.sources} source(s) listed {listing.listed} entries, {listing.new_urls} new URLs"
        if listing.problems:
            detail += f", {listing.problems} unreadable"
        runs.append(RunSummary(listing.run_id, "layoffs_job", "listed", str(listing.day), listing.listed_at, None, detail))
    return runs


def _utc(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None) if timestamp else None
