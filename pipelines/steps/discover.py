"""Step 1: list candidate pages from every configured source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb

from pipelines.sources import DiscoveryOutcome, DiscoveryProblem, SourcesConfig, discover_all
from pipelines.sources.file_memory import FileMemory, load_file_memory, remember_files
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import DISCOVERED_URLS


@dataclass
class DiscoveryReport:
    found: int = 0
    new: int = 0
    problems: list[DiscoveryProblem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # per source: entries the keyword filter left out
    listed: dict[str, int] = field(default_factory=dict)  # per source: entries listed, before the filter
    new_by_source: dict[str, int] = field(default_factory=dict)  # per source: URLs recorded for the first time


def files_already_read(conn: duckdb.DuckDBPyConnection) -> FileMemory:
    """Saved files (html_dir pages, WARC archives) an earlier run read and that have not changed
    since: their URLs are stored, so discovery does not read them again."""
    return load_file_memory(conn)


def list_sources(config: SourcesConfig, files: FileMemory | None = None) -> DiscoveryOutcome:
    """What every source lists now. This is the network phase (robots.txt, pacing, retries, up to
    dozens of sitemaps), so it runs without the work database: another run, `make docs` or
    `layoffs reprocess` can take the write lock meanwhile."""
    return discover_all(config.sources, config.fetch, files=files)


def record_listing(
    conn: duckdb.DuckDBPyConnection, outcome: DiscoveryOutcome, files: FileMemory | None = None,
    discovered_on: date | None = None,
) -> DiscoveryReport:
    """Record every URL a listing holds, and the saved files it read, in one short transaction;
    `discovered_on` is the run's logical day (its partition).

    A URL keeps the day it was first listed: later runs that list it again change nothing.
    """
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
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        by_source.setdefault(row["source_name"], []).append(row)
    conn.begin()
    new_by_source = {name: insert_new_rows(conn, DISCOVERED_URLS, group) for name, group in by_source.items()}
    if files is not None:
        remember_files(conn, files)
    conn.commit()
    return DiscoveryReport(
        # Counted as before files were remembered: what the sources list, read this time or not.
        found=len(rows) + outcome.already_read,
        new=sum(new_by_source.values()),
        problems=problems,
        skipped=dict(outcome.skipped),
        listed=dict(outcome.listed),
        new_by_source=new_by_source,
    )
