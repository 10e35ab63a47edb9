"""The worker's side: parse the project, wait for one dbt command, stream its events, exit.

    python -m pipelines.dbt_worker.process --project-dir D --profiles-dir P --target T --target-path X

Messages to the parent are JSON lines on the stdout it was started with; everything else that
writes to stdout (dbt itself, a stray print) is sent to stderr instead, so it cannot corrupt them.
One message per line:

    {"kind": "parsed", "ok": true, "seconds": 1.2} the project is parsed, ready for a command
    {"kind": "event", "event": {...}}              one dbt event, as dbt's JSON log would write it
    {"kind": "finished", "success": bool, "error": str | null}

The parent sends the command as one JSON line on stdin: {"args": ["build", ...]}. End of input
before a command (the run skipped dbt, or the parent died) ends the worker with nothing done.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import sys
import time

# The events a parent needs: node results become Dagster events, and anything else at info or
# above is what dbt would have printed, less the line announcing each node before it runs. Debug
# events (thousands per build) stay in dbt's log file.
FORWARDED_LEVELS = {"info", "warn", "error"}
RESULT_EVENTS = {"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult", "RunResultError"}
UNFORWARDED_EVENTS = {"LogStartLine"}


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, so a killed run leaves no dbt behind
    holding the work database. Elsewhere the closed stdin ends the worker after its build."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project-dir", required=True)
    parser.add_argument("--profiles-dir", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--target-path", required=True)
    options = parser.parse_args(argv)
    die_with_parent()

    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def send(message: dict) -> None:
        channel.write(json.dumps(message, default=str) + "\n")

    from dbt.cli.main import dbtRunner

    common = [
        "--project-dir", options.project_dir,
        "--profiles-dir", options.profiles_dir,
        "--target", options.target,
        "--target-path", options.target_path,
        "--log-path", options.target_path,
        "--log-level", "none",  # console output: the parent echoes the forwarded events instead
        # dbt.log keeps results, warnings and errors; at debug (dbt's default) it also logs every
        # statement, which costs about a fifth of the build. The SQL of each node is in target/.
        "--log-level-file", "info",
        "--no-send-anonymous-usage-stats",
        "--no-use-colors",
        # manifest.json and run_results.json: the manifest stays in memory here, and every result
        # is in the run's Dagster event log and in dbt.log; the partial-parse cache is still written.
        "--no-write-json",
    ]
    started = time.monotonic()
    parsed = dbtRunner().invoke(["parse", *common])
    # A failed parse is not reported here: the build parses again and reports it through events.
    manifest = parsed.result if parsed.success else None
    send({"kind": "parsed", "ok": bool(parsed.success), "seconds": round(time.monotonic() - started, 2)})

    line = sys.stdin.readline()
    if not line.strip():
        return 0
    command = json.loads(line)["args"]

    def forward(event) -> None:
        name = event.info.name
        if name in RESULT_EVENTS or (event.info.level in FORWARDED_LEVELS and name not in UNFORWARDED_EVENTS):
            send({"kind": "event", "event": event_as_dict(event)})

    outcome = dbtRunner(manifest=manifest, callbacks=[forward]).invoke([*command, *common])
    error = None if outcome.exception is None else f"{type(outcome.exception).__name__}: {outcome.exception}"
    send({"kind": "finished", "success": bool(outcome.success), "error": error})
    return 0


def event_as_dict(event) -> dict:
    """A dbt event as dbt's JSON log writes it, the shape dagster-dbt reads.

    dbt's events are protobuf messages (`EventMsg`), and protobuf's own public `MessageToDict`
    turns them into that JSON with these two options. dbt's `msg_to_dict` does the same and then
    drops an empty `node_info`; it lives in dbt's internals, so the two steps are repeated here
    (tests/test_contracts.py checks the result equals dbt's on real build events).
    """
    from google.protobuf.json_format import MessageToDict

    message = MessageToDict(event, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    node_info = message.get("data", {}).get("node_info")
    if node_info is not None and node_info.get("node_name") == "":
        del message["data"]["node_info"]
    return message


if __name__ == "__main__":
    raise SystemExit(main())
