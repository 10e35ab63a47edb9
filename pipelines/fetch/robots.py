"""robots.txt rules, downloaded once per origin and shared by all threads.

Status handling follows RFC 9309 where it is clear: 2xx is parsed, any 4xx
means no rules (Python's RobotFileParser would instead treat 401/403 as
"disallow everything"). For 5xx and unreachable files the RFC says to assume
"disallow all"; this pipeline deliberately assumes "allow all" instead so
one flaky server does not silently drop a source, and records a note so the
choice is visible.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from pipelines.fetch.urls import origin_of

log = logging.getLogger(__name__)

# Cap on the body read for robots.txt; RFC 9309 asks crawlers to parse at least 500 KiB.
ROBOTS_MAX_BYTES = 512 * 1024
# A Crawl-delay of an hour would park a worker thread for the whole run.
MAX_CRAWL_DELAY_S = 60.0


@dataclass(frozen=True)
class RobotsDownload:
    """What fetching /robots.txt produced: a status and body, or a problem."""

    status: int | None = None
    text: str = ""
    problem: str | None = None


@dataclass
class _Slot:
    lock: threading.Lock
    rules: RobotFileParser | None = None


class RobotsCache:
    def __init__(self, user_agent: str, download: Callable[[str], RobotsDownload]) -> None:
        self._user_agent = user_agent
        self._download = download
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}
        self._notes: dict[str, str] = {}

    @property
    def notes(self) -> dict[str, str]:
        """Origins whose robots.txt could not be read, with the reason."""
        with self._lock:
            return dict(self._notes)

    def allows(self, url: str) -> bool:
        return self._rules(origin_of(url)).can_fetch(self._user_agent, url)

    def crawl_delay_s(self, url: str) -> float | None:
        delay = self._rules(origin_of(url)).crawl_delay(self._user_agent)
        if delay is None:
            return None
        return min(float(delay), MAX_CRAWL_DELAY_S)

    def _rules(self, origin: str) -> RobotFileParser:
        with self._lock:
            slot = self._slots.setdefault(origin, _Slot(threading.Lock()))
        # Per-origin lock: concurrent first visits to one origin wait for a
        # single download instead of each fetching robots.txt.
        with slot.lock:
            if slot.rules is None:
                slot.rules = self._load(origin)
            return slot.rules

    def _load(self, origin: str) -> RobotFileParser:
        answer = self._download(f"{origin}/robots.txt")
        rules = RobotFileParser()
        if answer.problem is not None:
            self._note(origin, f"robots.txt unreachable ({answer.problem}); treated as allow-all")
            rules.allow_all = True
        elif answer.status is not None and 200 <= answer.status < 300:
            rules.parse(answer.text.splitlines())
        elif answer.status is not None and 400 <= answer.status < 500:
            rules.allow_all = True
        else:
            self._note(origin, f"robots.txt HTTP {answer.status}; treated as allow-all")
            rules.allow_all = True
        return rules

    def _note(self, origin: str, message: str) -> None:
        log.warning("%s: %s", origin, message)
        with self._lock:
            self._notes[origin] = message
