"""Step 1: list candidate pages from every configured source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb

from pipelines.sources import DiscoveryProblem, SourcesConfig, discover_all
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import DISCOVERED_URLS


@dataclass
class DiscoveryReport:
    found: int = 0
    new: int = 0
    problems: list[DiscoveryProblem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # per source: entries the keyword filter left out


def discover_pages(
    conn: duckdb.DuckDBPyConnection, config: SourcesConfig, discovered_on: date | None = None
) -> DiscoveryReport:
    """Record every URL the sources list now; `discovered_on` is the run's logical day (its partition).

    A URL keeps the day it was first listed: later runs that list it again change nothing.
    """
    outcome = discover_all(config.sources, config.fetch)
    pages, problems = outcome.pages, outcome.problems
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "url": page.url,
            "source_name": page.source_name,
            "source_kind": page.source_kind,
            "local_path": page.local_path,
            "title": page.title,
            "discovered_on": discovered_on or now.date(),
            "discovered_at": now,
        }
        for page in pages
    ]
    conn.begin()
    new = insert_new_rows(conn, DISCOVERED_URLS, rows)
    conn.commit()
    return DiscoveryReport(found=len(rows), new=new, problems=problems, skipped=dict(outcome.skipped))
