"""One pipeline run at a time per work database.

An advisory lock on a file beside the work database: the kernel drops it when its holder exits,
however it exits (SIGKILL included), so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(RuntimeError):
    pass


def _lock_within(handle, wait_s: float) -> bool:
    """Take an exclusive lock on an open file, polling for up to `wait_s` seconds."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


@contextmanager
def exclusive_run(work_db: Path, wait_s: float = 0.0) -> Iterator[None]:
    lock_path = Path(work_db).with_name(Path(work_db).name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+", encoding="utf-8") as handle:
        if not _lock_within(handle, wait_s):
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(
                f"another run (pid {holder}) is using {work_db}; try again when it finishes, "
                "or pass --wait SECONDS to queue behind it"
            )
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


_held_write_locks: dict[str, list] = {}


@contextmanager
def write_access(work_db: Path, timeout_s: float = 1800.0) -> Iterator[None]:
    """Hold the work database for writing; other processes wait their turn.

    DuckDB lets one process at a time open a file for writing and fails the others at once. Steps
    of runs that overlap (two partitions at once on the multiprocess executor, a CLI run beside a
    `dagster dev` run) take turns here instead, a step at a time. Re-entrant within a process, so a
    step may open the database again while it holds it.
    """
    key = str(Path(work_db).resolve())
    held = _held_write_locks.get(key)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    lock_path = Path(key + ".write.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - closed in finally
    try:
        if not _lock_within(handle, timeout_s):
            raise RunInProgress(f"waited {timeout_s:.0f} s for write access to {work_db}")
        _held_write_locks[key] = [handle, 1]
        try:
            yield
        finally:
            del _held_write_locks[key]
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
