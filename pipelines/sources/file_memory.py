"""Which saved files (html_dir pages, WARC archives) discovery has already read.

A folder or an archive set only grows, and reading every file again on each run made a run that
found nothing cost time in proportion to all history (10,000 saved pages: most of a 10 s no-op
run). A file is known by its path, size and modification time at first read; one that changed in
any of them is read again. The record lives in the work database (pipeline_state.source_files)
and is written in the same transaction as the URLs the file gave, so a run killed in between
reads the file again next time rather than losing its pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class AlreadyRead:
    """A file discovery skipped: unchanged since it was read. Counted as `entries` listed, so a
    source that has nothing new is not mistaken for an empty one by the health checks."""

    source_name: str
    path: str
    entries: int


@dataclass
class FileMemory:
    known: dict[tuple[str, str], tuple[int, int, int]] = field(default_factory=dict)
    newly_read: list[dict] = field(default_factory=list)

    def entries_if_unchanged(self, source_name: str, path: Path, stat: os.stat_result) -> int | None:
        """How many entries the file listed when read, or None when it is new or changed."""
        seen = self.known.get((source_name, str(path)))
        if seen is None or seen[:2] != (stat.st_size, stat.st_mtime_ns):
            return None
        return seen[2]

    def read(self, source_name: str, path: Path, stat: os.stat_result, entries: int) -> None:
        self.newly_read.append({"source_name": source_name, "path": str(path), "size": stat.st_size,
                                "mtime_ns": stat.st_mtime_ns, "entries": entries})


def _ensure(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists pipeline_state")
    conn.execute(
        """create table if not exists pipeline_state.source_files (
            source_name varchar, path varchar, size bigint, mtime_ns bigint, entries integer,
            read_at timestamp, primary key (source_name, path))"""
    )


def load_file_memory(conn: duckdb.DuckDBPyConnection) -> FileMemory:
    _ensure(conn)
    rows = conn.execute("select source_name, path, size, mtime_ns, entries from pipeline_state.source_files").fetchall()
    return FileMemory({(name, path): (size, mtime, entries) for name, path, size, mtime, entries in rows})


def remember_files(conn: duckdb.DuckDBPyConnection, memory: FileMemory) -> None:
    """Record the files this discovery read; call inside the transaction that stores their URLs."""
    _ensure(conn)
    if not memory.newly_read:
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    # One statement for all the files: an upsert per file cost a statement's overhead and an undo
    # record each (18 s and about 900 MiB for a first run over 4,000 saved pages).
    latest = {(row["source_name"], row["path"]): row for row in memory.newly_read}
    batch = pa.table({
        "source_name": [key[0] for key in latest], "path": [key[1] for key in latest],
        "size": pa.array([row["size"] for row in latest.values()], pa.int64()),
        "mtime_ns": pa.array([row["mtime_ns"] for row in latest.values()], pa.int64()),
        "entries": pa.array([row["entries"] for row in latest.values()], pa.int32()),
        "read_at": pa.array([now] * len(latest), pa.timestamp("us")),
    })
    conn.register("files_read", batch)
    try:
        conn.execute("insert or replace into pipeline_state.source_files select * from files_read")
    finally:
        conn.unregister("files_read")
