"""Spreading CPU-bound per-page work over the machine's cores, safe from poison pages.

Every item runs in a worker process, never in the step's own process, so one page cannot take
the step down with it:

- an item that raises gives a `TaskFailed` in its place, with the exception's message;
- an item that runs longer than the time limit (`LAYOFFS_ITEM_TIMEOUT_S`, 60 s by default) has
  its worker killed and gives a `TaskFailed` ("timeout"); a fresh worker takes the rest;
- an item whose worker dies (a segfault in a C extension, the OOM killer, `os._exit`) gives a
  `TaskFailed` ("crashed"); the items after it in the same chunk run on a fresh worker.

Workers report each item as it finishes, so the pool always knows which item a worker is on and
blames exactly that one. The steps record a `TaskFailed` as the page's `error` outcome, which
later runs retry a bounded number of times (pipelines/steps/).

The pool's size is the CPUs this process may really use: its CPU affinity and its cgroup's CPU
quota (a container limited to 2 CPUs on a 64-core host gets 2 workers, not 64).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

from pipelines.memory import release_freed_memory

In = TypeVar("In")
Out = TypeVar("Out")

DEFAULT_ITEM_TIMEOUT_S = 60.0
TIMEOUT_ENV = "LAYOFFS_ITEM_TIMEOUT_S"
WORKERS_ENV = "LAYOFFS_WORKERS"
# Environment variables handed to every worker when it starts. Workers are forked from a
# forkserver started once per process, which keeps the environment it was started with.
FORWARDED_ENV_PREFIX = "LAYOFFS_"
# What the forkserver imports before it forks any worker: the cleaner, and the extractor with its
# reference data already built (pipelines/steps/warm_workers.py). "__main__" too, as Python's
# default does: without it every worker re-runs the main script's imports (under `dagster api
# execute_step`, all of Dagster's) before its first page.
WORKER_PRELOAD = ["__main__", "pipelines.clean", "pipelines.extract", "pipelines.steps.warm_workers"]
# A worker that dies before it could even take its task this many times in a row means the
# machine, not a page, is the problem: the step fails instead of blaming pages.
MAX_STARTUP_DEATHS = 3
# How long a new worker may take to import its modules and say it is ready.
STARTUP_TIMEOUT_S = 120.0
# Items a worker handles before it is replaced by a fresh fork of the forkserver. A worker's memory
# only grows (lxml and the allocator keep what the largest pages needed): on a 20,000-page run
# each grew from about 130 to 165 MiB. A fresh fork shares the forkserver's preloaded modules
# and costs a few milliseconds, against about 1.5 s of cleaning for this many pages.
ITEMS_PER_WORKER = 1000


@dataclass(frozen=True)
class TaskFailed:
    """In place of an item's result: it raised ("error"), ran out of time ("timeout"), or its
    worker process died ("crashed")."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class PoolBroken(RuntimeError):
    """Workers cannot be kept alive at all (they die before taking any work)."""


# --- how many workers ------------------------------------------------------------------------


def start_worker_server() -> None:
    """Start the forkserver the pools fork their workers from, in the background, now.

    Its preload (the cleaner, and the extractor's reference data) takes about 1.5 s; started when
    the run starts, that overlaps discovery and fetching instead of holding up the first page the
    clean step hands a worker. Safe to call more than once: multiprocessing starts one forkserver
    per process, under a lock, and a pool created meanwhile waits for the same one."""
    import multiprocessing.forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(WORKER_PRELOAD))
    threading.Thread(target=multiprocessing.forkserver.ensure_running, name="start-worker-server", daemon=True).start()


def default_workers() -> int:
    configured = os.environ.get(WORKERS_ENV)
    if configured:
        return max(1, int(configured))
    return available_cpus()


def available_cpus(cgroup_root: Path = Path("/sys/fs/cgroup"), proc_cgroup: Path = Path("/proc/self/cgroup")) -> int:
    """CPUs this process may use: its affinity, capped by its cgroup's CPU quota (rounded up)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = cgroup_cpu_quota(cgroup_root, proc_cgroup)
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return max(1, cpus)


def cgroup_cpu_quota(cgroup_root: Path = Path("/sys/fs/cgroup"), proc_cgroup: Path = Path("/proc/self/cgroup")) -> float | None:
    """The CPU quota (in CPUs) of this process's cgroup and its ancestors, the tightest of them;
    None when there is none. Reads cgroup v2 (`cpu.max`) and v1 (`cpu.cfs_quota_us`)."""
    quotas = [q for q in (*_v2_quotas(cgroup_root, proc_cgroup), *_v1_quotas(cgroup_root, proc_cgroup)) if q]
    return min(quotas) if quotas else None


def _cgroup_paths(proc_cgroup: Path) -> dict[str, str]:
    """Controller (or "" for the v2 unified hierarchy) -> this process's path in it."""
    paths: dict[str, str] = {}
    try:
        lines = proc_cgroup.read_text(encoding="ascii").splitlines()
    except OSError:
        return paths
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _ancestors(base: Path, path: str) -> list[Path]:
    """base/path and each folder above it up to base. In a container the process's own path is
    often not visible (its cgroup is mounted as the root), so base itself is always included."""
    folders = [base]
    relative = Path(path.lstrip("/")) if path else Path()
    for depth in range(1, len(relative.parts) + 1):
        folders.append(base.joinpath(*relative.parts[:depth]))
    return folders


def _v2_quotas(root: Path, proc_cgroup: Path) -> list[float | None]:
    path = _cgroup_paths(proc_cgroup).get("", "")
    return [_read_cpu_max(folder / "cpu.max") for folder in _ancestors(root, path)]


def _v1_quotas(root: Path, proc_cgroup: Path) -> list[float | None]:
    paths = _cgroup_paths(proc_cgroup)
    path = paths.get("cpu", paths.get("cpuacct", ""))
    quotas = []
    for mount in (root / "cpu", root / "cpu,cpuacct"):
        if mount.is_dir():
            for folder in _ancestors(mount, path):
                quotas.append(_read_cfs(folder))
    return quotas


def _read_cpu_max(path: Path) -> float | None:
    try:
        quota, period = path.read_text(encoding="ascii").split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return int(quota) / int(period) if int(period) > 0 else None


def _read_cfs(folder: Path) -> float | None:
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="ascii"))
        period = int((folder / "cpu.cfs_period_us").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    return quota / period if quota > 0 and period > 0 else None


def item_time_limit() -> float:
    configured = os.environ.get(TIMEOUT_ENV)
    return float(configured) if configured else DEFAULT_ITEM_TIMEOUT_S


# --- the pool ----------------------------------------------------------------------------------


@dataclass
class _Batch:
    results: list
    remaining: int
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Task:
    batch: _Batch
    function: Callable
    items: list[tuple[int, Any]]  # (position in the batch, item)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    started: float
    ready: bool = False  # it has said hello: imports done, waiting for work
    task: _Task | None = None
    next_item: int = 0  # index into task.items of the item being worked on
    item_started: float = 0.0
    items_done: int = 0


_HELLO = -1  # the position a worker reports when it is ready for work


class WorkerPool:
    """Processes that run `function(item)` for each item, in chunks, with a per-item time limit.

    `submit` queues a batch and returns at once; `results` waits for it. A thread of this process
    hands chunks to idle workers and watches them, so workers keep going while the caller stores
    the previous batch.
    """

    def __init__(
        self,
        workers: int,
        time_limit_s: float | None = None,
        preload: Iterable[str] = (),
        items_per_worker: int = ITEMS_PER_WORKER,
    ) -> None:
        self.max_workers = max(1, workers)
        self.time_limit_s = time_limit_s if time_limit_s is not None else item_time_limit()
        self.items_per_worker = max(1, items_per_worker)
        # forkserver: forking a process that runs Dagster's threads can deadlock; spawn is slow to start.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(preload))
        self._env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV_PREFIX)}
        self._lock = threading.Lock()
        self._queue: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._closing = False
        self._failure: BaseException | None = None
        self._startup_deaths = 0
        self._wake_read, self._wake_write = multiprocessing.Pipe(duplex=False)
        self.stats = {"timeouts": 0, "crashes": 0, "workers_started": 0, "workers_retired": 0}
        self._thread = threading.Thread(target=self._run, name="worker-pool", daemon=True)
        self._thread.start()

    # the caller's side

    def submit(self, function: Callable[[In], Out], items: list[In], chunksize: int = 8) -> _Batch:
        batch = _Batch(results=[None] * len(items), remaining=len(items))
        if not items:
            batch.done.set()
            return batch
        indexed = list(enumerate(items))
        with self._lock:
            if self._failure is not None:
                raise PoolBroken(f"the worker pool failed: {self._failure}") from self._failure
            for start in range(0, len(indexed), max(1, chunksize)):
                self._queue.append(_Task(batch, function, indexed[start : start + chunksize]))
        self._wake()
        return batch

    def results(self, batch: _Batch) -> list:
        while not batch.done.wait(0.5):
            if self._failure is not None:
                break
        if self._failure is not None and batch.remaining:
            raise PoolBroken(f"the worker pool failed: {self._failure}") from self._failure
        return batch.results

    def warm_up(self, timeout_s: float = 120.0) -> None:
        """Start every worker now and wait until each is ready (benchmarks bill start-up apart)."""
        with self._lock:
            while len(self._workers) < self.max_workers:
                self._workers.append(self._start_worker())
        self._wake()
        deadline = time.monotonic() + timeout_s
        while not all(w.ready for w in list(self._workers)) and time.monotonic() < deadline:
            if self._failure is not None:
                raise PoolBroken(f"the worker pool failed: {self._failure}") from self._failure
            time.sleep(0.01)

    def close(self) -> None:
        self._closing = True
        self._wake()
        self._thread.join(timeout=30)
        for worker in list(self._workers):
            self._stop(worker, graceful=worker.task is None)
        self._workers.clear()
        self._wake_read.close()
        self._wake_write.close()

    # the pool thread's side

    def _wake(self) -> None:
        try:
            self._wake_write.send_bytes(b"x")
        except OSError:
            pass

    def _run(self) -> None:
        try:
            while not self._closing:
                self._assign()
                watched = list(self._workers)
                waitables: list = [self._wake_read]
                for worker in watched:
                    waitables += [worker.conn, worker.process.sentinel]
                ready = wait(waitables, timeout=self._next_deadline(watched))
                if self._wake_read in ready:
                    while self._wake_read.poll():
                        self._wake_read.recv_bytes()
                for worker in watched:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        self._collect(worker)
                self._enforce_time_limits()
        except BaseException as error:  # a bug here must not leave the caller waiting forever
            self._failure = error
            with self._lock:
                for task in self._queue:
                    task.batch.done.set()
                for worker in self._workers:
                    if worker.task is not None:
                        worker.task.batch.done.set()

    def _assign(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    return
                worker = next((w for w in self._workers if w.ready and w.task is None), None)
                if worker is None:
                    # More workers while there are more chunks than workers on their way up.
                    starting = sum(1 for w in self._workers if not w.ready)
                    while len(self._workers) < self.max_workers and starting < len(self._queue):
                        self._workers.append(self._start_worker())
                        starting += 1
                    return
                task = self._queue.popleft()
            worker.task, worker.next_item, worker.item_started = task, 0, time.monotonic()
            try:
                worker.conn.send((task.function, task.items))
            except (OSError, EOFError):
                # It died while idle, before taking the task: no item is to blame.
                self._replace(worker, requeue=True)
                self._count_startup_death()

    def _start_worker(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_worker_main, args=(child_end, self._env), daemon=True)
        process.start()
        child_end.close()
        self.stats["workers_started"] += 1
        return _Worker(process=process, conn=parent_end, started=time.monotonic())

    def _count_startup_death(self) -> None:
        self._startup_deaths += 1
        if self._startup_deaths >= MAX_STARTUP_DEATHS:
            raise PoolBroken(f"{self._startup_deaths} workers in a row died before taking any work")

    def _drain(self, worker: _Worker) -> bool:
        """Record every message waiting in the worker's pipe; False when the pipe is closed."""
        while True:
            try:
                if not worker.conn.poll():
                    return True
                position, outcome = worker.conn.recv()
            except (EOFError, OSError):
                return False
            self._record(worker, position, outcome)
            if worker not in self._workers:  # retired after its last item
                return True

    def _collect(self, worker: _Worker) -> None:
        """Read what the worker has sent; if it is gone, blame the item it was on."""
        if worker not in self._workers:
            return
        open_pipe = self._drain(worker)
        if worker not in self._workers:  # retired
            return
        if open_pipe and worker.process.is_alive():
            return
        self._drain(worker)  # results it sent just before it died
        if not worker.ready:
            self._replace(worker, requeue=False)
            self._count_startup_death()
        elif worker.task is None:
            self._replace(worker, requeue=False)
        else:
            worker.process.join(timeout=5)
            self.stats["crashes"] += 1
            self._fail_current(
                worker, TaskFailed("crashed", f"the worker process died ({_describe_exit(worker.process.exitcode)}) on this item")
            )
            self._replace(worker, requeue=True)

    def _record(self, worker: _Worker, position: int, outcome: tuple[str, Any]) -> None:
        if position == _HELLO:
            worker.ready = True
            return
        status, value = outcome
        task = worker.task
        task.batch.results[position] = value if status == "ok" else TaskFailed("error", value)
        worker.next_item += 1
        worker.items_done += 1
        worker.item_started = time.monotonic()
        self._startup_deaths = 0
        self._settle(task.batch)
        if worker.next_item >= len(task.items):
            worker.task = None
            if worker.items_done >= self.items_per_worker:
                self._retire(worker)

    def _retire(self, worker: _Worker) -> None:
        """Stop an idle worker that has done its share; `_assign` forks a fresh one when work comes."""
        self.stats["workers_retired"] += 1
        with self._lock:
            self._workers.remove(worker)
        self._stop(worker, graceful=True)

    def _fail_current(self, worker: _Worker, failure: TaskFailed) -> None:
        task = worker.task
        position, _item = task.items[worker.next_item]
        task.batch.results[position] = failure
        worker.next_item += 1
        self._settle(task.batch)

    @staticmethod
    def _settle(batch: _Batch) -> None:
        batch.remaining -= 1
        if batch.remaining == 0:
            batch.done.set()

    def _replace(self, worker: _Worker, requeue: bool) -> None:
        """Drop a dead or killed worker; put the rest of its chunk back at the head of the queue.
        (A new worker is started by `_assign` when there is work for it.)"""
        task, rest = worker.task, []
        if requeue and task is not None:
            rest = task.items[worker.next_item :]
        worker.task = None
        self._stop(worker, graceful=False)
        with self._lock:
            self._workers.remove(worker)
            if rest:
                self._queue.appendleft(_Task(task.batch, task.function, rest))

    def _deadline(self, worker: _Worker) -> float | None:
        if not worker.ready:
            return worker.started + max(STARTUP_TIMEOUT_S, self.time_limit_s)
        if worker.task is None or self.time_limit_s <= 0:
            return None
        return worker.item_started + self.time_limit_s

    def _next_deadline(self, workers: list[_Worker]) -> float | None:
        deadlines = [d for d in map(self._deadline, workers) if d is not None]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic()) + 0.01

    def _enforce_time_limits(self) -> None:
        for worker in list(self._workers):
            deadline = self._deadline(worker)
            if deadline is None or time.monotonic() <= deadline:
                continue
            self._drain(worker)  # it may have finished just now
            if worker not in self._workers:
                continue
            deadline = self._deadline(worker)
            if deadline is None or time.monotonic() <= deadline:
                continue
            if not worker.ready:
                self._replace(worker, requeue=False)
                self._count_startup_death()
                continue
            self.stats["timeouts"] += 1
            self._fail_current(
                worker, TaskFailed("timeout", f"no result after {self.time_limit_s:g} s; the worker was killed")
            )
            self._replace(worker, requeue=True)

    @staticmethod
    def _stop(worker: _Worker, graceful: bool) -> None:
        process = worker.process
        if graceful and process.is_alive():
            try:
                worker.conn.send(None)
            except (OSError, EOFError):
                pass
            process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        worker.conn.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _worker_main(conn: Connection, env: dict[str, str]) -> None:
    os.environ.update(env)
    _die_with_parent()
    try:
        conn.send((_HELLO, ("ready", os.getpid())))
    except (EOFError, OSError):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, items = task
        for position, item in items:
            try:
                outcome = ("ok", function(item))
            except Exception as error:  # recorded against the item; the worker carries on
                outcome = ("error", f"{type(error).__name__}: {error}"[:2000])
            try:
                conn.send((position, outcome))
            except (EOFError, OSError, BrokenPipeError):
                return
            except Exception as error:  # the result could not be pickled
                conn.send((position, ("error", f"unsendable result: {type(error).__name__}: {error}"[:2000])))


def _die_with_parent() -> None:
    """Workers are children of the forkserver, which exits with the run's process: ask Linux to
    kill a worker then too, so a killed run leaves none behind busy on a page."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


# --- what the steps use ------------------------------------------------------------------------


@contextmanager
def worker_pool(expected_items: int, workers: int | None = None, time_limit_s: float | None = None) -> Iterator[WorkerPool | None]:
    """A pool of worker processes for the items, or None when there are none.

    Workers start as chunks need them, so a handful of items costs one worker, not one per core.
    """
    if expected_items <= 0:
        yield None
        return
    pool = WorkerPool(workers or default_workers(), time_limit_s, preload=WORKER_PRELOAD)
    try:
        yield pool
    finally:
        pool.close()


def map_batches(
    pool: WorkerPool | None, function: Callable[[In], Out], batches: Iterable[list[In]], chunksize: int = 8
) -> Iterator[tuple[list[In], list[Out | TaskFailed]]]:
    """(batch, results) for each batch in order, with the next batch already queued in the pool.

    While the caller stores one batch's results the workers start on the next one, so they never
    wait for the caller's writes (or for the next batch to be read). A result is a `TaskFailed`
    where the item raised, timed out or killed its worker. Without a pool (no items), items run
    here, exceptions still turned into `TaskFailed`.
    """
    if pool is None:
        for batch in batches:
            yield batch, [_run_inline(function, item) for item in batch]
        return
    in_flight: deque = deque()
    for batch in batches:
        in_flight.append((batch, pool.submit(function, batch, chunksize)))
        if len(in_flight) > 1:
            done, handle = in_flight.popleft()
            yield done, pool.results(handle)
            del done, handle
            release_freed_memory()  # the batch the caller has just stored (pipelines/memory.py)
    while in_flight:
        done, handle = in_flight.popleft()
        yield done, pool.results(handle)


def _run_inline(function: Callable, item: Any) -> Any:
    try:
        return function(item)
    except Exception as error:
        return TaskFailed("error", f"{type(error).__name__}: {error}"[:2000])
