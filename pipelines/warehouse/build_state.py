"""Remembering what the published warehouse was built from, so a run with nothing new can skip
dbt and the publish step (dbt's fixed cost dominates a run that found no new articles)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

# The tables dbt reads, each with the key that identifies a row.
DBT_INPUTS = {
    "raw.pages": "url",
    "raw.fetch_log": "attempt_id",
    "raw.articles": "url",
    "raw.cut_mentions": "mention_id",
    "raw.extraction_log": "article_url || extractor_version",
}


def inputs_fingerprint(conn: duckdb.DuckDBPyConnection, manifest_path: Path, project_files: list[Path]) -> str:
    digest = hashlib.sha256()
    for table, key in DBT_INPUTS.items():
        count, key_hash = conn.execute(f"select count(*), coalesce(sum(hash({key})), 0) from {table}").fetchone()
        digest.update(f"{table}:{count}:{key_hash};".encode())
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    # Node checksums change with model SQL and seed contents, not with parse times.
    for section in ("nodes", "sources", "macros", "exposures", "unit_tests"):
        for unique_id, node in sorted((manifest.get(section) or {}).items()):
            digest.update(f"{unique_id}:{_signature(node)};".encode())
    for path in project_files:
        digest.update(Path(path).read_bytes())
    # A test such as "not in the future" depends on the day it runs.
    digest.update(datetime.now(UTC).date().isoformat().encode())
    return digest.hexdigest()


def _signature(node: dict) -> str:
    checksum = node.get("checksum")
    if isinstance(checksum, dict) and checksum.get("checksum"):
        return checksum["checksum"]
    stable = {key: value for key, value in node.items() if key != "created_at"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()


def _ensure(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists pipeline_state")
    conn.execute(
        """create table if not exists pipeline_state.published_builds (
            fingerprint varchar, warehouse_path varchar, warehouse_bytes bigint, published_at timestamp)"""
    )


def record_publish(conn: duckdb.DuckDBPyConnection, fingerprint: str, warehouse: Path) -> None:
    _ensure(conn)
    conn.execute(
        "insert into pipeline_state.published_builds values (?, ?, ?, ?)",
        [fingerprint, str(warehouse), Path(warehouse).stat().st_size, datetime.now(UTC).replace(tzinfo=None)],
    )


def is_already_published(conn: duckdb.DuckDBPyConnection, fingerprint: str, warehouse: Path) -> bool:
    """True when the warehouse on disk is the one built from exactly these inputs."""
    _ensure(conn)
    warehouse = Path(warehouse)
    if not warehouse.exists():
        return False
    last = conn.execute(
        "select fingerprint, warehouse_path, warehouse_bytes from pipeline_state.published_builds "
        "order by published_at desc limit 1"
    ).fetchone()
    return last == (fingerprint, str(warehouse), warehouse.stat().st_size)
