"""Giving freed memory back to the operating system during long runs.

A large run's processes allocate and free tens of thousands of page-sized buffers (gzipped pages
read from DuckDB, their HTML, the article texts). glibc's allocator keeps what was freed inside its
heaps and, by default, keeps one heap per thread that ever allocated (up to eight per core): the
pipeline process's resident memory only grows, though what it holds at any moment is a few batches.
Capping the heaps and trimming them after each batch returned about 50 MiB of a 20,000-page
cleaning run's peak. Off glibc (macOS, musl) both calls do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

# mallopt's parameter number for the most heaps glibc may create (malloc.h: M_ARENA_MAX).
_M_ARENA_MAX = -8


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018  (musl has no malloc_trim: then this is not glibc)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def limit_allocator_heaps(heaps: int = 2) -> bool:
    """Let glibc create at most `heaps` heaps for this process's threads from now on (it makes one
    per thread by default, each keeping its own freed memory). True when it took effect."""
    libc = _glibc()
    return bool(libc and libc.mallopt(_M_ARENA_MAX, heaps) == 1)


def release_freed_memory() -> bool:
    """Return the free pages of glibc's heaps to the operating system (malloc_trim(0)): a few
    milliseconds, worth it after each batch of pages. True when anything was released."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0) == 1)
