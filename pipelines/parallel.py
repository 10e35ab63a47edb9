"""Spreading CPU-bound per-page work over the machine's cores."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

# Below this many items a pool costs more to start than it saves.
MIN_ITEMS_FOR_POOL = 64


def default_workers() -> int:
    configured = os.environ.get("LAYOFFS_WORKERS")
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def worker_pool(expected_items: int, workers: int | None = None) -> Iterator[Executor | None]:
    """A process pool when the work is big enough to pay for one, else None (run inline)."""
    workers = workers or default_workers()
    if workers <= 1 or expected_items < MIN_ITEMS_FOR_POOL:
        yield None
        return
    # forkserver: forking a process that runs Dagster's threads can deadlock; spawn is slow to start.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipelines.clean", "pipelines.extract"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def map_batches(
    pool: Executor | None, function: Callable[[In], Out], batches: Iterable[list[In]], chunksize: int = 8
) -> Iterator[tuple[list[In], list[Out]]]:
    """(batch, results) for each batch in order, with the next batch already queued in the pool.

    While the caller stores one batch's results the workers start on the next one, so they never
    wait for the caller's writes (or for the next batch to be read).
    """
    if pool is None:
        for batch in batches:
            yield batch, [function(item) for item in batch]
        return
    in_flight: deque = deque()
    for batch in batches:
        in_flight.append((batch, pool.map(function, batch, chunksize=chunksize)))
        if len(in_flight) > 1:
            done, results = in_flight.popleft()
            yield done, list(results)
    while in_flight:
        done, results = in_flight.popleft()
        yield done, list(results)
