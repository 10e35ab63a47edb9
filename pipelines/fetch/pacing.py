"""Keep a minimum gap between two requests to the same host, across threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class HostPacer:
    """Hands out request slots per host.

    A caller books the next free slot under the lock and sleeps outside it,
    so a thread waiting for one host never blocks callers for another host.
    Gaps are measured between request starts.
    """

    def __init__(
        self,
        delay_s: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._default_delay = delay_s
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def delay_for(self, host: str) -> float:
        with self._lock:
            return self._delays.get(host, self._default_delay)

    def raise_delay(self, host: str, delay_s: float) -> None:
        """Lengthen the gap for one host (robots.txt Crawl-delay); never shortens it."""
        with self._lock:
            current = self._delays.get(host, self._default_delay)
            self._delays[host] = max(current, delay_s)

    def wait_turn(self, host: str) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self._delays.get(host, self._default_delay)
        if slot > now:
            self._sleep(slot - now)
