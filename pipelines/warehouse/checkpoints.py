"""When the work database writes its write-ahead log into the file itself (a checkpoint).

DuckDB checkpoints whenever the last connection to a file closes. A checkpoint after rows were
appended to a table rewrites that table's last row group, which holds up to 122,880 rows: for
the pipeline's raw tables that is every row ever stored, page bodies included. Every step of a
run opens and closes the work database, so a run that added 10 pages rewrote raw.pages and its
neighbours several times over: measured on one table, 0.10 s at 1,000 pages and 0.34 s at
5,000, growing with the history rather than with what the run added.

So the work database is opened with the close-time checkpoint turned off. Commits still go to
the write-ahead log and are synced there, which is what makes them durable (a crash replays the
log on the next open), and a reader opening the file replays the log, so it sees every committed
row either way.

Replaying is not free either: every open replays the whole log (about 0.1 s for the 2 MB a build
with 10 new pages leaves, dbt's rebuilt tables most of it), and a run opens the file some twenty
times. So the log is not left to grow until DuckDB's own threshold (`checkpoint_threshold`,
16 MiB): the dbt step checkpoints once, after a build has passed (`checkpoint_after_build`), the
one point where a run has written most of what it writes. A run that builds pays one rewrite
instead of one per step; a run that skips dbt writes a few small rows and pays none.

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


def checkpoint_after_build(conn: duckdb.DuckDBPyConnection) -> None:
    """Write the log into the file: the publish step and the next run then open it without a replay."""
    conn.execute("checkpoint")
