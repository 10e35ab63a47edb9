"""Publishing the analysts' warehouse.

DuckDB lets one process write a file, and a reader holding the file blocks writers. So the
pipeline never writes the warehouse in place: every step writes its own work database, and a
finished run copies that file next to the warehouse and renames it over the warehouse. The rename
is atomic on POSIX filesystems: a new session sees the new warehouse whole, an open session keeps
reading the file it opened (the old inode) until it reconnects, and no one sees a half-built one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def publish_warehouse(work_db: Path, warehouse: Path) -> Path:
    work_db, warehouse = Path(work_db), Path(warehouse)
    # Fold the write-ahead log into the file so a plain byte copy holds every committed change.
    with duckdb.connect(str(work_db)) as conn:
        conn.execute("checkpoint")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    staging_copy = warehouse.with_name(f".{warehouse.name}.publishing")
    shutil.copyfile(work_db, staging_copy)
    with open(staging_copy, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(staging_copy, warehouse)
    stale_wal = warehouse.with_name(warehouse.name + ".wal")
    if stale_wal.exists():
        # A WAL left by an old writer of the previous file would be replayed into the new one.
        stale_wal.unlink()
    return warehouse
