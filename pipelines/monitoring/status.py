"""`layoffs status`: the last runs, each source's health, table freshness and the warnings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
from tabulate import tabulate

from pipelines.locking import RunInProgress, write_access
from pipelines.monitoring.freshness import rules_from_manifest, span
from pipelines.monitoring.health import PIPELINE, HealthReport, HealthWarning, assess, utc_now
from pipelines.monitoring.runs import RunSummary, dagster_home, open_instance, runs_from_instance, runs_from_work_db
from pipelines.sources.config import SourcesConfig

# Exit codes of `layoffs status`, for cron and monitoring wrappers.
EXIT_HEALTHY = 0
EXIT_WARNINGS = 1
EXIT_CANNOT_CHECK = 2


class NothingToCheck(RuntimeError):
    pass


@dataclass
class Status:
    checked_at: datetime
    database: Path
    database_note: str | None
    runs: list[RunSummary]
    runs_origin: str
    report: HealthReport
    warnings: list[HealthWarning] = field(default_factory=list)


@contextmanager
def open_for_reading(work_db: Path, warehouse: Path, wait_s: float = 5.0) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path, str | None]]:
    """The work database, read-only, taking turns with the pipeline's steps; when a step holds it
    longer than `wait_s` (a long crawl, a dbt build), the published warehouse, which is a copy of
    it as of the last publish. Yields (connection, path read, note on what was read instead)."""
    work_db, warehouse = Path(work_db), Path(warehouse)
    note = None
    if work_db.exists():
        stack = ExitStack()
        try:
            stack.enter_context(write_access(work_db, timeout_s=wait_s))
            conn = stack.enter_context(duckdb.connect(str(work_db), read_only=True))
        except (RunInProgress, duckdb.IOException) as error:
            stack.close()
            note = f"the work database is busy ({_first_line(error)}): read the last published warehouse instead"
        else:
            with stack:
                yield conn, work_db, None
            return
    else:
        note = f"no work database at {work_db}: read the published warehouse"
    if not warehouse.exists():
        raise NothingToCheck(f"no work database at {work_db} and no warehouse at {warehouse}: run `layoffs run` first")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        yield conn, warehouse, note


def collect(
    config: SourcesConfig,
    *,
    work_db: Path,
    warehouse: Path,
    manifest_path: Path | None,
    runs_limit: int = 5,
    wait_s: float = 5.0,
    now: datetime | None = None,
) -> Status:
    now = now or utc_now()
    rules = rules_from_manifest(manifest_path) if manifest_path and Path(manifest_path).exists() else []
    with open_for_reading(work_db, warehouse, wait_s) as (conn, path, note):
        report = assess(conn, config, now=now, freshness_rules=rules)
        runs, origin = _runs(conn, runs_limit)
    warnings = list(report.warnings)
    latest = next((run for run in runs if run.job == "layoffs_job"), None)
    if latest is not None and latest.status == "FAILURE":
        warnings.insert(
            0,
            HealthWarning("last_run_failed", PIPELINE, f"the last run ({latest.run_id}, day {latest.day}) failed: {latest.detail}"),
        )
    return Status(now, path, note, runs, origin, report, warnings)


def _runs(conn: duckdb.DuckDBPyConnection, limit: int) -> tuple[list[RunSummary], str]:
    home = dagster_home()
    if home is not None:
        with open_instance(home) as instance:
            return runs_from_instance(instance, limit), f"the Dagster instance in {home}"
    return runs_from_work_db(conn, limit), "the work database's listings (no Dagster instance: DAGSTER_HOME unset, no .dagster_home/)"


def exit_code(status: Status) -> int:
    return EXIT_WARNINGS if status.warnings else EXIT_HEALTHY


def render_text(status: Status) -> str:
    report = status.report
    out = []
    out.append(f"Last runs (from {status.runs_origin}):")
    if status.runs:
        out.append(
            _indent(
                tabulate(
                    [
                        [
                            (run.run_id or "-")[:8],
                            run.job,
                            run.status,
                            run.day or "-",
                            _when(run.started_at),
                            _when(run.ended_at),
                            run.detail,
                        ]
                        for run in status.runs
                    ],
                    headers=["run", "job", "status", "day", "started (UTC)", "ended (UTC)", "detail"],
                    tablefmt="simple",
                )
            )
        )
    else:
        out.append("  none recorded yet")
    out.append("")
    where = f"{status.database}" + (f"; {status.database_note}" if status.database_note else "")
    out.append(f"Sources (last {report.window_days} days; read from {where}):")
    rows = []
    for source in report.sources:
        rate = source.failure_rate
        rows.append(
            [
                source.name,
                source.kind,
                _when(source.last_listed_at),
                "-" if source.last_listed is None else source.last_listed,
                source.new_urls,
                source.fetch_attempts,
                "-" if rate is None else f"{rate:.0%}",
                _when(source.last_article_at, date_only=True),
                source.articles,
                source.facts,
                source.errors,
                "ok" if not source.warnings else ", ".join(sorted({w.code for w in source.warnings})),
            ]
        )
    out.append(
        _indent(
            tabulate(
                rows,
                headers=["source", "kind", "last listing", "listed", "new URLs", "fetches", "failed",
                         "newest article", "articles", "facts", "errors", "health"],
                tablefmt="simple",
            )
        )
        if rows
        else "  no sources configured"
    )
    if report.freshness:
        out.append("")
        judged = "" if report.freshness_judged else "; not judged: no feed or sitemap is expected to keep delivering"
        out.append(f"Raw tables (dbt source freshness, from _sources.yml{judged}):")
        out.append(
            _indent(
                tabulate(
                    [
                        [
                            table.rule.qualified_name,
                            _when(table.newest),
                            span(table.age) if table.newest else "no rows",
                            span(table.rule.warn_after),
                            span(table.rule.error_after),
                            table.status if report.freshness_judged or table.passed else f"{table.status} (not judged)",
                        ]
                        for table in report.freshness
                    ],
                    headers=["table", "newest row (UTC)", "age", "warn after", "error after", "status"],
                    tablefmt="simple",
                )
            )
        )
    out.append("")
    if status.warnings:
        out.append(f"Warnings ({len(status.warnings)}):")
        out.extend(f"  ! {warning.message}" for warning in status.warnings)
    else:
        out.append("No warnings.")
    return "\n".join(out)


def render_json(status: Status) -> str:
    report = status.report
    document = {
        "checked_at": status.checked_at.isoformat(),
        "database": str(status.database),
        "database_note": status.database_note,
        "runs_from": status.runs_origin,
        "runs": [
            {
                "run_id": run.run_id,
                "job": run.job,
                "status": run.status,
                "day": run.day,
                "started_at": _iso(run.started_at),
                "ended_at": _iso(run.ended_at),
                "detail": run.detail,
            }
            for run in status.runs
        ],
        "window_days": report.window_days,
        "sources": [
            {
                "name": source.name,
                "kind": source.kind,
                "last_listed_at": _iso(source.last_listed_at),
                "last_listed": source.last_listed,
                "last_filtered_out": source.last_filtered_out,
                "last_new_urls": source.last_new,
                "last_listing_error": source.last_error,
                "new_urls": source.new_urls,
                "fetch_attempts": source.fetch_attempts,
                "fetch_errors": source.fetch_errors,
                "failure_rate": None if source.failure_rate is None else round(source.failure_rate, 4),
                "most_common_failure": source.top_failure,
                "newest_article_listed_at": _iso(source.last_article_at),
                "articles": source.articles,
                "facts": source.facts,
                "errors": source.errors,
                "stale_after_days": source.limits.stale_after_days,
                "max_failure_rate": source.limits.max_failure_rate,
                "warnings": [warning.code for warning in source.warnings],
            }
            for source in report.sources
        ],
        "freshness": [
            {
                "table": table.rule.qualified_name,
                "newest": _iso(table.newest),
                "age_hours": None if table.age is None else round(table.age.total_seconds() / 3600, 2),
                "warn_after_hours": _hours(table.rule.warn_after),
                "error_after_hours": _hours(table.rule.error_after),
                "status": table.status,
                "judged": report.freshness_judged,
            }
            for table in report.freshness
        ],
        "warnings": [{"code": w.code, "subject": w.subject, "message": w.message} for w in status.warnings],
    }
    return json.dumps(document, indent=2)


def _when(value: datetime | None, date_only: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:%Y-%m-%d}" if date_only else f"{value:%Y-%m-%d %H:%M}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hours(delta) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 3600, 2)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:160]
