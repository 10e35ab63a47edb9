"""Writing raw.discovery_log: one row per configured source per discovery run."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import duckdb

from pipelines.sources.config import SourcesConfig
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import DISCOVERY_LOG

MAX_ERROR_CHARS = 1000


def record_discovery(
    conn: duckdb.DuckDBPyConnection,
    config: SourcesConfig,
    report,
    *,
    run_id: str | None,
    discovered_on: date | None,
) -> list[dict]:
    """Record what each source listed in this run, a source that listed nothing included.

    `report` is the discover step's DiscoveryReport (per-source `listed`, `skipped`,
    `new_by_source`, and the problems). Returns the rows written.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    problems: dict[str, list[str]] = {}
    for problem in report.problems:
        problems.setdefault(problem.source_name, []).append(f"{problem.location}: {problem.error}")
    rows = []
    for spec in config.sources:
        messages = problems.get(spec.name, [])
        error = "; ".join(messages)
        rows.append(
            {
                "listing_id": uuid.uuid4().hex,
                "run_id": run_id,
                "source_name": spec.name,
                "source_kind": spec.kind,
                "discovered_on": discovered_on or now.date(),  # as record_listing does
                "listed": int(report.listed.get(spec.name, 0)),
                "filtered_out": int(report.skipped.get(spec.name, 0)),
                "new_urls": int(report.new_by_source.get(spec.name, 0)),
                "problems": len(messages),
                "error": (error[: MAX_ERROR_CHARS - 1] + "…" if len(error) > MAX_ERROR_CHARS else error) or None,
                "listed_at": now,
            }
        )
    conn.begin()
    insert_new_rows(conn, DISCOVERY_LOG, rows)
    conn.commit()
    return rows
