"""Publishing the analysts' warehouse.

DuckDB lets one process write a file, and a reader holding the file blocks writers. So the
pipeline never writes the warehouse in place: every step writes its own work database, and a
finished run builds a new file next to the warehouse and renames it over the warehouse. The rename
is atomic on POSIX filesystems: a new session sees the new warehouse whole, an open session keeps
reading the file it opened (the old inode) until it reconnects, and no one sees a half-built one.

The new file holds what analysts query, not the pipeline's store: the page bodies stay in the work
database, so publishing costs the size of the analyst tables, not of every page ever fetched. A
page body is the page as fetched and the article text cleaned from it: about 4.5 kB per article
that DuckDB stores uncompressed (strings that long are not compressed), so with the text the
analysts' file was 12.7 % of the store at 20,000 pages and grew with every article ever read;
without it, 3.4 %. Analysts read an article's text with `layoffs article URL`.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipelines.warehouse.connection import connect_work_db

# The schemas analysts read: dbt's models and seeds, and the raw tables minus page bodies.
ANALYST_SCHEMAS = ("raw", "staging", "intermediate", "marts", "reference")

# Page bodies: left in the pipeline's store. raw.pages.html_gzip is every page as fetched;
# raw.articles.text and its staged copy staging.stg_articles.text the article cleaned from it
# (text_sha256 stays, to tell articles apart and spot the same one under two addresses).
BODY_COLUMNS = {
    ("raw", "pages"): {"html_gzip"},
    ("raw", "articles"): {"text"},
    ("staging", "stg_articles"): {"text"},
}

_CATALOG = "analyst_warehouse"


def publish_warehouse(work_db: Path, warehouse: Path) -> Path:
    work_db, warehouse = Path(work_db), Path(warehouse)
    if not work_db.exists():
        # connect() would create an empty work database and publish nothing.
        raise duckdb.IOException(f"no work database at {work_db}")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    staging_copy = warehouse.with_name(f".{warehouse.name}.publishing")
    for leftover in (staging_copy, staging_copy.with_name(staging_copy.name + ".wal")):
        # A crash in an earlier publish leaves a half-built file; never append to it.
        leftover.unlink(missing_ok=True)
    # Attached as every writer of the work database attaches it (see pipelines.warehouse.connection).
    with connect_work_db(work_db) as conn:
        conn.execute(f"attach '{_sql_string(staging_copy)}' as {_CATALOG}")
        try:
            copy_analyst_tables(conn, _CATALOG)
            # Everything into the file itself: the rename moves the file, not a write-ahead log beside it.
            conn.execute(f"checkpoint {_CATALOG}")
        finally:
            conn.execute(f"detach {_CATALOG}")
    with open(staging_copy, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(staging_copy, warehouse)
    stale_wal = warehouse.with_name(warehouse.name + ".wal")
    if stale_wal.exists():
        # A WAL left by an old writer of the previous file would be replayed into the new one.
        stale_wal.unlink()
    return warehouse


def copy_analyst_tables(conn: duckdb.DuckDBPyConnection, target_catalog: str) -> list[str]:
    """CREATE TABLE ... AS SELECT every table and view of the analyst schemas into target_catalog
    (views become tables: a view naming the work database's catalog would not resolve in the
    analysts' file). Returns schema.table of what was copied."""
    relations = conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema in (select unnest(?)) order by 1, 2",
        [list(ANALYST_SCHEMAS)],
    ).fetchall()
    copied = []
    conn.begin()
    for schema in sorted({schema for schema, _ in relations}):
        conn.execute(f'create schema if not exists {target_catalog}."{schema}"')
    for schema, name in relations:
        columns = [
            column
            for (column,) in conn.execute(
                "select column_name from information_schema.columns where table_catalog = current_database() "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            if column not in BODY_COLUMNS.get((schema, name), set())
        ]
        listed = ", ".join(f'"{column}"' for column in columns)
        conn.execute(
            f'create table {target_catalog}."{schema}"."{name}" as select {listed} from "{schema}"."{name}"'
        )
        copied.append(f"{schema}.{name}")
    conn.commit()
    return copied


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")
