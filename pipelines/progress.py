"""Live progress of a run's steps, for the person watching `layoffs run` and for the step logs.

Each step (discover, fetch, clean, extract, dbt, publish) runs inside `step(...)`, which makes a
`StepProgress` the current one; the step's work calls `current()` and counts on it as it goes
(`set_total`, `advance`, `add`, `fail`). Nobody watching costs nothing: `current()` is then a
tracker that ignores everything.

Who watches:

- the Dagster step log (`step(..., log=context.log.info)`): a line at most every
  `interval_s()` seconds while the step advances, and one when it finishes, so the run's page
  in the Dagster UI shows where a step was;
- the `layoffs` CLI (`watch(...)`, around the in-process run): on a terminal, a live bar per
  step drawn with rich (`TerminalDisplay`); otherwise (cron, CI, `| tee`) a plain line every
  `interval_s()` seconds and one per finished step (`PlainDisplay`).

The job runs in the CLI's own process (`execute_in_process`), so the steps and the display share
this module's state; the work done in other processes (cleaning workers, the dbt worker) is
counted where its results come back.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TextIO

# How often the plain display and the step log write a line while a step runs.
DEFAULT_INTERVAL_S = 10.0
INTERVAL_ENV = "LAYOFFS_PROGRESS_INTERVAL_S"


def interval_s() -> float:
    try:
        return max(0.05, float(os.environ.get(INTERVAL_ENV, DEFAULT_INTERVAL_S)))
    except ValueError:
        return DEFAULT_INTERVAL_S


# What each step counts: the unit of its `done/total`, and the words for its named counters, in
# the order they are shown. A counter not listed here is shown under its own name.
STEP_UNITS = {
    "discover": "sources read",
    "fetch": "pages fetched",
    "clean": "pages cleaned",
    "extract": "articles read",
    "dbt": "dbt nodes built",
    "publish": "",
}
COUNTER_LABELS = {
    "urls": "URLs found",
    "new_urls": "new",
    "stored": "pages stored",
    "articles": "articles kept",
    "duplicates": "duplicates",
    "facts": "facts extracted",
    "models": "models built",
    "seeds": "seeds loaded",
    "tests_passed": "tests passed",
    "tests_warned": "tests warned",
    "tests_failed": "tests failed",
}
# The same words for a count of one.
SINGULAR = {
    "sources read": "source read", "pages fetched": "page fetched", "pages cleaned": "page cleaned",
    "articles read": "article read", "dbt nodes built": "dbt node built", "URLs found": "URL found",
    "pages stored": "page stored", "articles kept": "article kept", "facts extracted": "fact extracted",
    "models built": "model built", "seeds loaded": "seed loaded", "tests passed": "test passed",
    "tests warned": "test warned", "tests failed": "test failed",
}


def words(count: int, label: str) -> str:
    return f"{count} {SINGULAR.get(label, label) if count == 1 else label}"


@dataclass
class StepProgress:
    """One step's counts. Written by the step's thread, read by the displays' threads."""

    name: str
    total: int | None = None
    done: int = 0
    counters: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # failed items by kind ("timeout", "HTTP 404")
    note: str | None = None  # said instead of the counts: "skipped: nothing new since the last build"
    started: float = field(default_factory=time.monotonic)
    work_started: float | None = None  # when the total became known: the rate and ETA count from here
    finished: float | None = None
    error: str | None = None  # the step raised
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # The step's side -------------------------------------------------------------------------
    def set_total(self, total: int) -> None:
        with self._lock:
            self.total = total
            if self.work_started is None:
                self.work_started = time.monotonic()
        _notify("updated", self)

    def advance(self, n: int = 1, **counts: int) -> None:
        """`n` more items done, and `counts` added to the named counters."""
        with self._lock:
            self.done += n
            self.counters.update({key: value for key, value in counts.items() if value})
        _notify("updated", self)

    def add(self, **counts: int) -> None:
        self.advance(0, **counts)

    def set(self, **values: int) -> None:
        with self._lock:
            for key, value in values.items():
                self.counters[key] = value
        _notify("updated", self)

    def fail(self, kind: str, n: int = 1) -> None:
        with self._lock:
            self.failures[kind] += n
        _notify("updated", self)

    def say(self, note: str | None) -> None:
        with self._lock:
            self.note = note
        _notify("updated", self)

    # The displays' side ----------------------------------------------------------------------
    def snapshot(self) -> StepProgress:
        with self._lock:
            return StepProgress(
                self.name, self.total, self.done, Counter(self.counters), Counter(self.failures), self.note,
                self.started, self.work_started, self.finished, self.error,
            )

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def rate(self) -> float | None:
        """Items per second since the total became known (or since the step started)."""
        seconds = (self.finished or time.monotonic()) - (self.work_started or self.started)
        return self.done / seconds if self.done and seconds > 0 else None

    @property
    def eta_s(self) -> float | None:
        rate = self.rate
        if self.total is None or not rate or self.done >= self.total:
            return None
        return (self.total - self.done) / rate

    def counts_text(self) -> str:
        """'50 URLs found, 50 new' and the failures by kind: '3 failed (2 timeout, 1 HTTP 404)'."""
        parts = []
        for key in list(COUNTER_LABELS) + sorted(set(self.counters) - set(COUNTER_LABELS)):
            if key in self.counters:
                parts.append(words(self.counters[key], COUNTER_LABELS.get(key, key.replace("_", " "))))
        failed = sum(self.failures.values())
        if failed:
            kinds = ", ".join(f"{count} {kind}" for kind, count in self.failures.most_common(4))
            more = len(self.failures) - 4
            parts.append(f"{failed} failed ({kinds}{f', {more} more kinds' if more > 0 else ''})")
        return ", ".join(parts)

    def done_text(self) -> str:
        unit = STEP_UNITS.get(self.name, "done")
        if not unit:
            return ""
        return f"{self.done}/{self.total} {unit}" if self.total is not None else words(self.done, unit)

    def running_line(self) -> str:
        """What a log line says while the step runs: counts, rate and time left."""
        if self.note:
            return f"{self.name}: {self.note}"
        parts = [text for text in (self.done_text(),) if text]
        rate = self.rate
        if rate is not None and self.total is not None:
            parts.append(f"{rate:.1f}/s")
        eta = self.eta_s
        if eta is not None:
            parts.append(f"ETA {clock(eta)}")
        counts = self.counts_text()
        if counts:
            parts.append(counts)
        return f"{self.name}: " + (", ".join(parts) or "started")

    def finished_line(self) -> str:
        """The step's one line when it ends: its counts and its seconds."""
        if self.error:
            return f"{self.name} failed after {self.seconds:.1f} s: {self.error}"
        if self.note and self.note.startswith("skipped"):
            return f"{self.name} {self.note} ({self.seconds:.1f} s)"
        if self.note:
            return f"{self.name} finished in {self.seconds:.1f} s: {self.note}"
        unit = STEP_UNITS.get(self.name, "done")
        parts = [text for text in (words(self.done, unit) if unit else "", self.counts_text()) if text]
        return f"{self.name} finished in {self.seconds:.1f} s" + (f": {', '.join(parts)}" if parts else "")


def clock(seconds: float) -> str:
    """0:07, 12:03, 1:02:03."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def failure_kind(error: str | None, outcome: str = "error") -> str:
    """A short, countable kind for a failed fetch: 'HTTP 404', 'timeout', 'robots.txt', ..."""
    text = (error or outcome or "error").strip()
    lowered = text.lower()
    if lowered.startswith("http "):
        return " ".join(text.split()[:2])
    if "robots.txt" in lowered:
        return "robots.txt"
    if "address" in lowered and "refused" in lowered:
        return "address refused"
    if "timeout" in lowered or "timed out" in lowered:
        return "timeout"
    head = re.split(r"[:(]", text, maxsplit=1)[0].strip()
    return head[:40] or outcome


# The current step and the displays ---------------------------------------------------------------


class Watcher(Protocol):
    def started(self, step: StepProgress) -> None: ...
    def updated(self, step: StepProgress) -> None: ...
    def finished(self, step: StepProgress) -> None: ...


class _Ignored:
    """The tracker steps get when no step is being watched: every call does nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


_IGNORED = _Ignored()
_current: StepProgress | None = None
_watchers: list[Watcher] = []
_watchers_lock = threading.Lock()


def current() -> StepProgress | _Ignored:
    """The running step's tracker, or one that ignores everything."""
    return _current if _current is not None else _IGNORED


def _notify(what: str, step: StepProgress) -> None:
    with _watchers_lock:
        watchers = list(_watchers)
    for watcher in watchers:
        try:
            getattr(watcher, what)(step)
        except Exception:  # a display must never break a run
            pass


@contextlib.contextmanager
def step(name: str, log: Callable[[str], None] | None = None) -> Iterator[StepProgress]:
    """Run a step as the current one. `log` (e.g. `context.log.info`) gets a line at most every
    `interval_s()` seconds as the step advances, and one when it ends."""
    global _current
    tracker = StepProgress(name)
    logger = _StepLog(log) if log is not None else None
    if logger is not None:
        with _watchers_lock:
            _watchers.append(logger)
    outer, _current = _current, tracker
    _notify("started", tracker)
    try:
        yield tracker
    except BaseException as error:
        tracker.error = _one_line(error)
        raise
    finally:
        tracker.finished = time.monotonic()
        _current = outer
        _notify("finished", tracker)
        if logger is not None:
            with _watchers_lock:
                _watchers.remove(logger)


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "description", None) or error or type(error).__name__).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    return first[:200]


class _StepLog:
    """Writes a step's progress into its Dagster log, from the step's own thread."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self._log = log
        self._last = time.monotonic()
        self._interval = interval_s()

    def started(self, step: StepProgress) -> None:
        pass

    def updated(self, step: StepProgress) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._log(step.snapshot().running_line())

    def finished(self, step: StepProgress) -> None:
        self._log(step.snapshot().finished_line())


@contextlib.contextmanager
def watch(mode: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show the steps run inside this block: `mode` is 'terminal', 'plain' or 'off' (see `display_mode`)."""
    if mode == "off":
        yield
        return
    stream = stream or sys.stderr
    display = TerminalDisplay(stream) if mode == "terminal" else PlainDisplay(stream)
    with _watchers_lock:
        _watchers.append(display)
    display.open()
    try:
        yield
    finally:
        with _watchers_lock:
            _watchers.remove(display)
        display.close()


def display_mode(quiet: bool = False, verbose: bool = False) -> str:
    """'off' with --quiet, and with --verbose, where Dagster's step logs (which carry the same
    lines) are printed; 'plain' when stdout or stderr is no terminal (cron, CI, `| tee`); else
    'terminal'."""
    if quiet or verbose:
        return "off"
    if os.environ.get("TERM") == "dumb":
        return "plain"
    try:
        both_terminals = sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        both_terminals = False
    return "terminal" if both_terminals else "plain"


class PlainDisplay:
    """No bars: a line for the running step every `interval_s()` seconds, one per finished step.
    Every line starts with the time since the run started, so a log shows where a run was."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._interval = interval_s()
        self._started = time.monotonic()
        self._running: StepProgress | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._ticker = threading.Thread(target=self._tick, name="progress-ticker", daemon=True)

    def open(self) -> None:
        self._ticker.start()

    def close(self) -> None:
        self._stop.set()
        self._ticker.join(timeout=5)

    def started(self, step: StepProgress) -> None:
        self._running = step

    def updated(self, step: StepProgress) -> None:
        pass

    def finished(self, step: StepProgress) -> None:
        if self._running is step:
            self._running = None
        self._write(step.snapshot().finished_line())

    def _tick(self) -> None:
        while not self._stop.wait(self._interval):
            running = self._running
            if running is not None:
                self._write(running.snapshot().running_line())

    def _write(self, line: str) -> None:
        with self._lock:
            try:
                self._stream.write(f"[{clock(time.monotonic() - self._started)}] {line}\n")
                self._stream.flush()
            except (OSError, ValueError):  # a closed pipe must not fail the run
                pass


class TerminalDisplay:
    """A live rich progress bar per running step; a line printed above the bars as each ends."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self._console = Console(file=stream, stderr=stream is sys.stderr)
        self._progress = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("[bold]{task.fields[step]:<8}[/]"),
            BarColumn(bar_width=28),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}", markup=False),
            TextColumn("[cyan]{task.fields[rate]}[/]"),
            TimeRemainingColumn(compact=True),
            TextColumn("{task.fields[counts]}", markup=False),
            console=self._console,
            transient=True,
            # Library warnings and Dagster's error lines printed to stderr go above the bars.
            redirect_stderr=True,
            redirect_stdout=False,
            refresh_per_second=8,
        )
        self._tasks: dict[int, object] = {}

    def open(self) -> None:
        self._progress.start()

    def close(self) -> None:
        self._progress.stop()

    def started(self, step: StepProgress) -> None:
        self._tasks[id(step)] = self._progress.add_task(
            step.name, total=None, step=step.name, unit=STEP_UNITS.get(step.name, ""), rate="", counts=""
        )

    def updated(self, step: StepProgress) -> None:
        task = self._tasks.get(id(step))
        if task is None:
            return
        seen = step.snapshot()
        rate = seen.rate
        self._progress.update(
            task,
            completed=seen.done,
            total=seen.total,
            rate=f"{rate:.1f}/s" if rate is not None and seen.total is not None and seen.done else "",
            counts=seen.note or seen.counts_text(),
        )

    def finished(self, step: StepProgress) -> None:
        from rich.markup import escape

        task = self._tasks.pop(id(step), None)
        if task is not None:
            self._progress.remove_task(task)
        seen = step.snapshot()
        mark = "[red]✗[/]" if seen.error else "[green]✓[/]"
        # soft_wrap: a long line (a path) is left to the terminal to wrap, so a copied line stays whole.
        self._progress.console.print(f"{mark} {escape(seen.finished_line())}", highlight=False, soft_wrap=True)


# dbt's result events, as the dbt worker streams them (pipelines/dbt_worker/process.py).
_DBT_BUILT = {"LogModelResult": "models", "LogSeedResult": "seeds", "LogSnapshotResult": "models"}
_DBT_TEST_STATUS = {"pass": "tests_passed", "warn": "tests_warned", "fail": "tests_failed", "error": "tests_failed"}


def count_dbt_event(tracker: StepProgress | _Ignored, event: dict) -> None:
    """Count one dbt event: a node built (k of M) and each test's outcome."""
    name = (event.get("info") or {}).get("name")
    data = event.get("data") or {}
    if name == "LogNodeNoOpResult":  # a node with nothing to run (an ephemeral model, for one)
        tracker.advance(1)
        return
    if name in _DBT_BUILT or name == "LogTestResult":
        total = data.get("total") or data.get("num_models")
        if total and getattr(tracker, "total", None) != int(total):
            tracker.say(None)
            tracker.set_total(int(total))
        counter = _DBT_BUILT.get(name) or _DBT_TEST_STATUS.get(data.get("status"), "tests_failed")
        if name in _DBT_BUILT and data.get("status") == "error":
            tracker.advance(1)
            tracker.fail("model error")
        else:
            tracker.advance(1, **{counter: 1})
