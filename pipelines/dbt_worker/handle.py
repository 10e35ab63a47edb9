"""The run's side of the dbt worker: start it, give it one command, read what it reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class DbtWorkerError(RuntimeError):
    """The worker ended without reporting how its command finished (it crashed or was killed)."""


@dataclass(frozen=True)
class DbtBuildOutcome:
    success: bool
    error: str | None
    error_messages: tuple[str, ...]  # dbt's own error lines, for the failure message


class DbtWorker:
    """One worker process, good for one dbt command.

    Start it early (`DbtWorker.start`), call `run` once when the command is due, and `close` it
    whatever happened. A worker never asked to run anything is stopped at `close`.
    """

    def __init__(self, process: subprocess.Popen, stderr_file) -> None:
        self._process = process
        self._stderr = stderr_file
        self.outcome: DbtBuildOutcome | None = None
        self._used = False
        self._stderr_at_close = ""
        self.started_at = time.monotonic()
        # Filled in by `run`: how long after its start the worker was asked to build, how long its
        # parse took, and how long the build waited for that parse (0 when it was done in time).
        self.asked_after_s: float | None = None
        self.parse_s: float | None = None
        self.waited_for_parse_s: float | None = None

    @classmethod
    def start(cls, project_dir: Path, profiles_dir: Path, target: str, target_path: Path) -> DbtWorker:
        # A file, not a pipe: nobody reads stderr while the build runs, and a full pipe would stall dbt.
        stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        command = [
            sys.executable, "-m", "pipelines.dbt_worker.process",
            "--project-dir", str(project_dir),
            "--profiles-dir", str(profiles_dir),
            "--target", target,
            "--target-path", str(target_path),
        ]
        environment = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            command,
            cwd=project_dir,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            text=True,
            encoding="utf-8",
        )
        return cls(process, stderr_file)

    def run(self, args: list[str]) -> Iterator[dict]:
        """Send one dbt command and yield its events (dbt's structured log records) as they come.

        Afterwards `outcome` says whether dbt succeeded. Raises DbtWorkerError when the worker
        ends without saying.
        """
        if self._used:
            raise RuntimeError("a dbt worker runs one command; start another for the next")
        self._used = True
        try:
            self._process.stdin.write(json.dumps({"args": list(args)}) + "\n")
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # it died already; reading its output below reports why
        errors: list[str] = []
        asked_at = time.monotonic()
        self.asked_after_s = round(asked_at - self.started_at, 2)
        for line in self._process.stdout:
            message = json.loads(line)
            kind = message.get("kind")
            if kind == "event":
                event = message["event"]
                if event.get("info", {}).get("level") == "error" and event["info"].get("msg"):
                    errors.append(event["info"]["msg"])
                yield event
            elif kind == "parsed":
                self.waited_for_parse_s = round(time.monotonic() - asked_at, 2)
                self.parse_s = message.get("seconds")
            elif kind == "finished":
                self.outcome = DbtBuildOutcome(message["success"], message.get("error"), tuple(errors))
        self._process.wait()
        if self.outcome is None:
            raise DbtWorkerError(
                f"the dbt worker exited with code {self._process.returncode} before finishing;"
                f" its last output:\n{self.stderr_tail()}"
            )

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def exit_code(self) -> int | None:
        return self._process.poll()

    def stderr_tail(self, limit: int = 4000) -> str:
        """The end of what the worker wrote to stderr (tracebacks, warnings), also after `close`."""
        if self._stderr.closed:
            return self._stderr_at_close[-limit:]
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()[-limit:]

    def close(self, timeout_s: float = 10.0) -> None:
        """End the worker: at once if it never ran a command, else after it has finished."""
        process = self._process
        if process.poll() is None:
            if not self._used:
                # Nothing left for it in this run (dbt had nothing to build), and its parse may
                # still be going. Stopping it mid-write of dbt's partial-parse cache is harmless:
                # dbt discards an unreadable cache and parses in full next time. SIGKILL, not
                # SIGTERM: there is nothing to let it tidy, and a SIGTERM waits while the process
                # is stopped (once in the full suite it sat out close's whole 10 s timeout).
                process.kill()
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout:
            process.stdout.close()
        self._stderr_at_close = self.stderr_tail()
        self._stderr.close()
