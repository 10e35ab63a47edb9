import multiprocessing
import time

import pytest

from pipelines.locking import RunInProgress, exclusive_run, write_access


def _hold_run_lock(work_db, ready, release):
    with exclusive_run(work_db):
        ready.set()
        release.wait(20)


def _start_holder(work_db):
    """Another process holding the run lock on `work_db` until the returned event is set."""
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_run_lock, args=(work_db, ready, release))
    holder.start()
    assert ready.wait(20), "the lock-holding process never took the lock"
    return holder, release


def test_a_second_run_is_refused_with_the_holders_pid_then_allowed_once_it_ends(tmp_path):
    work_db = tmp_path / "work.duckdb"
    holder, release = _start_holder(work_db)
    with pytest.raises(RunInProgress, match=rf"pid {holder.pid}\).*--wait SECONDS"):
        with exclusive_run(work_db, wait_s=0.3):
            pass
    release.set()
    holder.join(20)
    with exclusive_run(work_db, wait_s=5):
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    work_db = tmp_path / "work.duckdb"
    holder, release = _start_holder(work_db)
    holder.kill()
    holder.join(20)
    started = time.monotonic()
    with exclusive_run(work_db, wait_s=5):
        assert time.monotonic() - started < 2


def test_write_access_is_reentrant_within_a_process(tmp_path):
    work_db = tmp_path / "work.duckdb"
    with write_access(work_db, timeout_s=1):
        with write_access(work_db, timeout_s=1):
            pass
    with write_access(work_db, timeout_s=1):
        pass
