"""Remembering what the published warehouse was built from, so a run with nothing new can skip
dbt and the publish step (dbt's fixed cost dominates a run that found no new articles)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

# Large columns whose contents another column of the same row already stands for (a SHA-256 of
# them, written in the same statement), so the fingerprint need not read them.
CONTENT_STAND_INS = {
    "raw.pages": {"html_gzip": "content_sha256"},
    "raw.articles": {"text": "text_sha256"},
}


def inputs_fingerprint(conn: duckdb.DuckDBPyConnection, manifest_path: Path, project_files: list[Path]) -> str:
    """A digest of everything a dbt build reads: the contents of every table dbt declares as a
    source (each row's every column, not just the keys: `layoffs reprocess` rewrites figures
    under the same keys), the models, seeds and macros, the project files and today's date."""
    digest = hashlib.sha256()
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    for table in source_tables(manifest):
        digest.update(f"{table}:{table_fingerprint(conn, table)};".encode())
    # Node checksums change with model SQL and seed contents, not with parse times.
    for section in ("nodes", "sources", "macros", "exposures", "unit_tests"):
        for unique_id, node in sorted((manifest.get(section) or {}).items()):
            digest.update(f"{unique_id}:{_signature(node)};".encode())
    for path in project_files:
        digest.update(Path(path).read_bytes())
    # A test such as "not in the future" depends on the day it runs.
    digest.update(datetime.now(UTC).date().isoformat().encode())
    return digest.hexdigest()


def source_tables(manifest: dict) -> list[str]:
    """schema.table of every dbt source, so a raw table added to _sources.yml is fingerprinted too.

    Except a source marked `meta: {fingerprint: false}`: raw.discovery_log gains a row on every
    run, found anything or not, and must not turn a run that found nothing into a rebuild."""
    tables = {
        f"{node.get('schema')}.{node.get('identifier') or node.get('name')}"
        for node in (manifest.get("sources") or {}).values()
        if ((node.get("config") or {}).get("meta") or node.get("meta") or {}).get("fingerprint", True) is not False
    }
    return sorted(tables)


def table_fingerprint(conn: duckdb.DuckDBPyConnection, table: str) -> str:
    """Row count and the sum of every row's hash over all its columns: order-free, and any changed
    value changes it. A table that does not exist yet is "missing"."""
    schema, name = table.split(".", 1)
    columns = [
        column
        for (column,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, name],
        ).fetchall()
        if column not in CONTENT_STAND_INS.get(table, {})
    ]
    if not columns:
        return "missing"
    quoted = ", ".join(f'"{column}"' for column in columns)
    count, row_hashes = conn.execute(
        f'select count(*), coalesce(sum(hash({quoted})), 0) from "{schema}"."{name}"'
    ).fetchone()
    return f"{count}:{row_hashes}"


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


def _ensure_pending(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists pipeline_state")
    conn.execute(
        """create table if not exists pipeline_state.pending_builds (
            run_id varchar primary key, fingerprint varchar, computed_at timestamp)"""
    )


def remember_build_inputs(conn: duckdb.DuckDBPyConnection, run_id: str, fingerprint: str) -> None:
    """The fingerprint of the inputs a run's dbt build starts from, for its publish step to record.

    Recomputing it at publish time would count rows written after the build (by a concurrent run,
    a hand-run step) as published, and the next run would skip a build that never included them.
    """
    _ensure_pending(conn)
    conn.execute("insert or replace into pipeline_state.pending_builds values (?, ?, ?)",
                 [run_id, fingerprint, datetime.now(UTC).replace(tzinfo=None)])


def built_from(conn: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The fingerprint `remember_build_inputs` kept for this run, or None (no build in this run)."""
    _ensure_pending(conn)
    row = conn.execute("select fingerprint from pipeline_state.pending_builds where run_id = ?", [run_id]).fetchone()
    return row[0] if row else None


def forget_build_inputs(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    _ensure_pending(conn)
    # This run's, and any a killed run left behind more than a day ago.
    conn.execute(
        "delete from pipeline_state.pending_builds where run_id = ? or computed_at < ?",
        [run_id, datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1)],
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


# Full refreshes of dbt's incremental models. Incremental staging models pick up rows added or
# rewritten in raw, not rows deleted from it; `layoffs reprocess` deletes and re-derives, and a
# changed incremental model must rebuild what it built before. Both ask here; the dbt step then
# passes --full-refresh and, once the build has passed, forgets the requests made before it began.

def _ensure_refresh(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists pipeline_state")
    conn.execute("create table if not exists pipeline_state.full_refresh_requests (requested_at timestamp, reason varchar)")
    conn.execute("create table if not exists pipeline_state.incremental_models (signature varchar, built_at timestamp)")
    # What each raw table held at the last build, up to its newest timestamp then (JSON).
    conn.execute("alter table pipeline_state.incremental_models add column if not exists history varchar")


# The column each raw table's rows are stamped with when written: the incremental staging models'
# watermark (dbt_project/macros/incremental_rows.sql).
WRITTEN_AT = {
    "raw.discovered_urls": "discovered_at", "raw.discovery_log": "listed_at", "raw.fetch_log": "fetched_at",
    "raw.pages": "fetched_at", "raw.cleaned_pages": "cleaned_at", "raw.articles": "cleaned_at",
    "raw.cut_mentions": "extracted_at", "raw.extraction_log": "extracted_at",
}


def history_state(conn: duckdb.DuckDBPyConnection, watermarks: dict[str, str] | None = None) -> dict[str, list]:
    """Per raw table: its newest write time, and the count and hash sum of the rows written up to
    it (up to `watermarks[table]` when given). Rows only ever added leave the part up to an old
    watermark as it was; a row rewritten in place, deleted, or written late with an older time
    changes it, and then an incremental build would miss it."""
    state = {}
    for table, column in WRITTEN_AT.items():
        schema, name = table.split(".")
        columns = [
            c for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "order by ordinal_position", [schema, name]).fetchall()
            if c not in CONTENT_STAND_INS.get(table, {})
        ]
        if column not in columns:
            continue
        if watermarks is None:
            mark = conn.execute(f'select cast(max("{column}") as varchar) from {table}').fetchone()[0]
        else:
            mark = watermarks.get(table)
        quoted = ", ".join(f'"{c}"' for c in columns)
        count, hashes = conn.execute(
            f'select count(*), coalesce(sum(hash({quoted})), 0) from {table} where "{column}" <= cast(? as timestamp)',
            [mark],
        ).fetchone()
        state[table] = [mark, count, str(hashes)]
    return state


def rewritten_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Raw tables whose rows up to the last build's watermark are not what that build read."""
    _ensure_refresh(conn)
    last = conn.execute(
        "select history from pipeline_state.incremental_models order by built_at desc limit 1").fetchone()
    if last is None or not last[0]:
        return []
    before = json.loads(last[0])
    now = history_state(conn, {table: values[0] for table, values in before.items()})
    return sorted(table for table, values in before.items() if now.get(table) != values)


def request_full_refresh(conn: duckdb.DuckDBPyConnection, reason: str) -> None:
    """Ask the next dbt build for --full-refresh. Call it in the transaction that deletes from raw,
    so a crash cannot leave the deletion without the request."""
    _ensure_refresh(conn)
    conn.execute("insert into pipeline_state.full_refresh_requests values (?, ?)",
                 [datetime.now(UTC).replace(tzinfo=None), reason])


def incremental_models_signature(manifest_path: Path) -> str:
    """The checksums of the incremental models' SQL and config: a change means the tables they
    built earlier are not what the new SQL would build."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for unique_id, node in sorted((manifest.get("nodes") or {}).items()):
        config = node.get("config") or {}
        if node.get("resource_type") == "model" and config.get("materialized") == "incremental":
            digest.update(f"{unique_id}:{_signature(node)}:{json.dumps(config, sort_keys=True, default=str)};".encode())
    return digest.hexdigest()


def full_refresh_reasons(conn: duckdb.DuckDBPyConnection, signature: str) -> list[str]:
    """Why the next build must be a full refresh; empty when it can be incremental."""
    _ensure_refresh(conn)
    reasons = [reason for (reason,) in conn.execute(
        "select distinct reason from pipeline_state.full_refresh_requests order by 1").fetchall()]
    last = conn.execute(
        "select signature from pipeline_state.incremental_models order by built_at desc limit 1").fetchone()
    if last is None or last[0] != signature:
        reasons.append("incremental models changed or never built")
    rewritten = rewritten_tables(conn)
    if rewritten:
        reasons.append(f"rows rewritten or deleted in {', '.join(rewritten)}")
    return reasons


def full_refresh_done(conn: duckdb.DuckDBPyConnection, signature: str, started_at: datetime,
                      history: dict[str, list]) -> None:
    """After a build that passed: requests made before it began are served, and `history` (taken
    before the build, history_state) is what the next build checks raw against."""
    _ensure_refresh(conn)
    conn.begin()
    conn.execute("delete from pipeline_state.full_refresh_requests where requested_at <= ?", [started_at])
    conn.execute("delete from pipeline_state.incremental_models")
    conn.execute("insert into pipeline_state.incremental_models (signature, built_at, history) values (?, ?, ?)",
                 [signature, datetime.now(UTC).replace(tzinfo=None), json.dumps(history)])
    conn.commit()
