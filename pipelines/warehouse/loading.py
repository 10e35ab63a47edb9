"""Bulk loads: one Arrow batch per step and table, one statement, one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.warehouse.raw_tables import RawTable


def insert_new_rows(
    conn: duckdb.DuckDBPyConnection, table: RawTable, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Insert rows whose key is not there yet; returns how many were new.

    Rows already present are left alone, so a step rerun after a crash adds nothing twice.
    """
    unique: dict[tuple, Mapping[str, Any]] = {}
    for row in rows:
        unique.setdefault(tuple(row[k] for k in table.primary_key), row)
    if not unique:
        return 0
    batch = pa.Table.from_pylist(list(unique.values()), schema=table.arrow_schema)
    before = _count(conn, table)
    conn.register("incoming_batch", batch)
    try:
        conn.execute(f"insert or ignore into {table.qualified_name} by name select * from incoming_batch")
    finally:
        conn.unregister("incoming_batch")
    return _count(conn, table) - before


def _count(conn: duckdb.DuckDBPyConnection, table: RawTable) -> int:
    return conn.execute(f"select count(*) from {table.qualified_name}").fetchone()[0]
