"""When the work database writes its write-ahead log into the file itself (a checkpoint).

DuckDB checkpoints whenever the last connection to a file closes. A checkpoint after rows were
appended to a table rewrites that table's last row group, which holds up to 122,880 rows: for
the pipeline's raw tables that is every row ever stored, page bodies included. Every step of a
run opens and closes the work database, so a run that added 10 pages rewrote raw.pages and its
neighbours several times over: measured on one table, 0.10 s at 1,000 pages and 0.34 s at
5,000, growing with the history rather than with what the run added.

So the work database is opened with the close-time checkpoint turned off. Commits still go to
the write-ahead log and are synced there, which is what makes them durable (a crash replays the
log on the next open), and DuckDB still checkpoints on its own once the log outgrows
`checkpoint_threshold` (16 MiB by default, a few hundred new pages): the rewrite is paid once
per many runs instead of several times per run. A reader opening the file replays the log, so
it sees every committed row either way.

The analysts' warehouse is not opened this way: it is built as a fresh file and checkpointed
before its rename (pipelines/warehouse/publish.py), so it never has a log beside it.
"""

from __future__ import annotations

import duckdb


def without_close_checkpoint(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Turn off the close-time checkpoint of the database this connection writes (the setting
    belongs to the open database, shared by every connection to it in this process)."""
    conn.execute("pragma disable_checkpoint_on_shutdown")
    return conn


def connect_work_db(path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the work database that leaves its log in place on close."""
    return without_close_checkpoint(duckdb.connect(str(path)))
