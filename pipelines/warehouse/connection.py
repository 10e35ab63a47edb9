"""Opening the work database for writing, with row groups small enough that appends stay cheap.

DuckDB stores a table in row groups of 122,880 rows by default, and a checkpoint rewrites every
row group a transaction appended to. A history of 20,000 stored pages is one row group, so adding
ten pages rewrote all 20,000 gzipped pages (about 770 MB) at the step's close: 2 to 4 s, growing
with the history until the group fills. Attached with a row group of 2,048 rows, an append
rewrites at most one small group: the same ten pages close in 0.02 s. The size is a property of
the attachment, not of the file, so every connection that writes the raw tables opens it here.
A file written before this change needs no migration: new rows start small groups beside its
large one (a later checkpoint may split the large one once).

Every writer must attach it this way: a connection that opens the file with the default size
merges the small row groups back into one at its next checkpoint, rewriting every stored page.
dbt attaches it the same way (profiles.yml, target `pipeline`). The file is attached under the
catalog name `duckdb.connect(path)` would give it, and made the default (`use`), so queries
and `current_database()` read as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

# The smallest size DuckDB accepts (one vector). Scans of the raw tables stay fast at this size:
# the largest is read by dbt's staging models a few row groups at a time, and only the new ones.
WORK_DB_ROW_GROUP_SIZE = 2048


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def catalog_name(path: Path | str) -> str:
    """The catalog DuckDB names a database file by when it is opened directly: the first
    non-empty dot-separated part of its name ("warehouse.duckdb" -> "warehouse"). profiles.yml
    gives dbt's attachment of the work database the same name."""
    return Path(path).name.lstrip(".").split(".")[0]


def connect_work_db(path: Path | str, config: dict | None = None, retries: int = 0) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the work database with small row groups (see the module doc).

    `retries`: how many more times to try, waiting 0.1 s and doubling, while another process
    (a reader such as `layoffs status`) holds the file; the last failure is raised.
    """
    delay = 0.1
    for attempt in range(retries + 1):
        try:
            return _attach(path, config)
        except duckdb.IOException:
            if attempt == retries:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _attach(path: Path | str, config: dict | None) -> duckdb.DuckDBPyConnection:
    # Where DuckDB spills what does not fit its memory limit: beside the file, as it would be for
    # duckdb.connect(path); an in-memory connection would use ".tmp" in the working directory.
    conn = duckdb.connect(":memory:", config={"temp_directory": f"{path}.tmp", **(config or {})})
    try:
        catalog = _quoted(catalog_name(path))
        conn.execute(
            f"attach {_sql_string(str(path))} as {catalog} (row_group_size {WORK_DB_ROW_GROUP_SIZE})"
        )
        conn.execute(f"use {catalog}")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def work_db_connection(path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = connect_work_db(path)
    try:
        yield conn
    finally:
        conn.close()
