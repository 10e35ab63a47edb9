"""Live progress of `layoffs run` (pipelines/progress.py).

Without a terminal (a pipe, as under cron, CI or `| tee`) a run prints plain lines: one for the
running step every few seconds and one per finished step with its counts and seconds. On a
terminal (a pseudo-terminal here) it draws rich's live bars and leaves one line per step.
"""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import REPO_ROOT, SAMPLE_DIR
from pipelines import progress, settings

STEPS = ("discover", "fetch", "clean", "extract", "dbt", "publish")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# "[0:12] fetch finished in 0.4 s: 51 pages fetched, ..." and "[0:05] clean: 0/50 pages cleaned"
FINISHED = re.compile(r"^\[\d+:\d\d(?::\d\d)?\] (\w+) finished in (\d+\.\d) s(?:: (.*))?$")
RUNNING = re.compile(r"^\[\d+:\d\d(?::\d\d)?\] (\w+): (.*)$")


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "LAYOFFS_WORKERS": "2", **extra}
    for name in (settings.SOURCES_ENV, settings.WORK_DB_ENV, settings.WAREHOUSE_ENV):
        env.pop(name, None)
    return env


def layoffs(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The CLI in a child process whose stdout and stderr are pipes, not a terminal."""
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


# The tracker and its lines, without a run ---------------------------------------------------------


def test_lines_say_counts_rate_eta_and_failures_by_kind():
    step = progress.StepProgress("fetch")
    step.set_total(200)
    step.work_started = step.started = time.monotonic() - 10
    step.advance(50, stored=48)
    step.fail("timeout")
    step.fail("HTTP 404", 2)
    line = step.running_line()
    assert line.startswith("fetch: 50/200 pages fetched, 5.0/s, ETA 0:30, 48 pages stored, 3 failed (")
    assert "2 HTTP 404" in line and "1 timeout" in line
    step.finished = step.started + 12.34
    assert step.finished_line() == "fetch finished in 12.3 s: 50 pages fetched, 48 pages stored, 3 failed (2 HTTP 404, 1 timeout)"

    one = progress.StepProgress("discover")
    one.advance(1, urls=1)
    one.finished = one.started + 0.5
    assert one.finished_line() == "discover finished in 0.5 s: 1 source read, 1 URL found"
    skipped = progress.StepProgress("dbt")
    skipped.say("skipped: nothing new since the last published build")
    skipped.finished = skipped.started + 0.1
    assert skipped.finished_line() == "dbt skipped: nothing new since the last published build (0.1 s)"


@pytest.mark.parametrize(
    ("error", "outcome", "kind"),
    [
        ("HTTP 503", "error", "HTTP 503"),
        ("timeout", "error", "timeout"),
        ("robots.txt disallows", "skipped", "robots.txt"),
        ("connection failed: [Errno 111] Connection refused", "error", "connection failed"),
        ("loopback address 127.0.0.1 refused", "skipped", "address refused"),
        ("empty body", "skipped", "empty body"),
        (None, "error", "error"),
    ],
)
def test_fetch_failures_are_counted_by_kind(error, outcome, kind):
    assert progress.failure_kind(error, outcome) == kind


def test_dbt_events_count_nodes_and_tests():
    step = progress.StepProgress("dbt")
    events = [
        {"info": {"name": "LogSeedResult"}, "data": {"index": 1, "total": 5, "status": "success"}},
        {"info": {"name": "LogModelResult"}, "data": {"index": 2, "total": 5, "status": "OK"}},
        {"info": {"name": "LogNodeNoOpResult"}, "data": {"index": 3}},
        {"info": {"name": "LogTestResult"}, "data": {"index": 4, "num_models": 5, "status": "pass"}},
        {"info": {"name": "LogTestResult"}, "data": {"index": 5, "num_models": 5, "status": "fail"}},
        {"info": {"name": "MainReportVersion"}, "data": {}},
    ]
    for event in events:
        progress.count_dbt_event(step, event)
    assert (step.done, step.total) == (5, 5)
    assert step.counts_text() == "1 model built, 1 seed loaded, 1 test passed, 1 test failed"


def test_steps_outside_a_watched_run_cost_nothing():
    tracker = progress.current()
    tracker.set_total(3)
    tracker.advance(1, facts=2)  # ignored: no step is running
    with progress.step("extract") as step:
        assert progress.current() is step
        progress.current().advance(2, facts=5)
    assert progress.current() is not step
    assert (step.done, step.counters["facts"]) == (2, 5)


def test_plain_display_writes_a_line_every_interval_and_one_per_step(monkeypatch):
    monkeypatch.setenv(progress.INTERVAL_ENV, "0.1")
    out = io.StringIO()
    log: list[str] = []
    with progress.watch("plain", stream=out):
        with progress.step("clean", log=log.append) as step:
            step.set_total(4)
            for _ in range(4):
                time.sleep(0.12)
                step.advance(1, articles=1)
    lines = out.getvalue().splitlines()
    running = [line for line in lines if RUNNING.match(line) and " finished in " not in line]
    assert running, lines
    assert all("/4 pages cleaned" in line for line in running)
    assert FINISHED.match(lines[-1]).group(1, 3) == ("clean", "4 pages cleaned, 4 articles kept")
    # The Dagster step log gets the same lines, from the step's own thread.
    assert log[-1].startswith("clean finished in ") and any(line.startswith("clean: ") for line in log[:-1])


def test_display_mode(monkeypatch):
    assert progress.display_mode(quiet=True) == "off"
    assert progress.display_mode(verbose=True) == "off"  # Dagster's step logs carry the lines
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert progress.display_mode() == "plain"


# Whole runs -----------------------------------------------------------------------------------------


@pytest.mark.timeout(900)
def test_run_without_a_terminal_prints_periodic_and_per_step_lines(tmp_path, serve_folder):
    """The sample served on 127.0.0.1 plus one missing page, `layoffs run` into pipes."""
    base = serve_folder(SAMPLE_DIR)
    pages = sorted(SAMPLE_DIR.glob("*.html"))
    urls = [f"{base}/{page.name}" for page in pages] + [f"{base}/no-such-page.html"]
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({
        "sources": [{"name": "local-http", "kind": "urls", "urls": urls}],
        "fetch": {"allow_private_networks": True, "per_host_delay_s": 0.0, "timeout_s": 10, "retries": 1},
    }), encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    env = cli_env(**{progress.INTERVAL_ENV: "0.5"})

    completed = layoffs("run", "--sources", str(sources), "--db", str(warehouse), env=env)
    assert completed.returncode == 0, completed.stderr
    assert not ANSI.search(completed.stderr), "no bars or colours without a terminal"
    lines = completed.stderr.splitlines()
    finished = {m.group(1): m.group(3) or "" for m in map(FINISHED.match, lines) if m}
    assert list(finished) == list(STEPS), lines

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        facts = conn.execute("select count(*) from raw.cut_mentions").fetchone()[0]
        attempts = conn.execute("select count(*) from raw.fetch_log").fetchone()[0]
    assert attempts == len(urls)
    assert finished["discover"] == f"1 source read, {len(urls)} URLs found, {len(urls)} new"
    assert finished["fetch"] == f"{len(urls)} pages fetched, {len(pages)} pages stored, 1 failed (1 HTTP 404)"
    assert finished["clean"] == f"{len(pages)} pages cleaned, {len(pages)} articles kept"
    assert finished["extract"] == f"{len(pages)} articles read, {facts} facts extracted"
    built = re.fullmatch(r"(\d+) dbt nodes built, (\d+) models built, (\d+) seeds loaded, (\d+) tests passed(.*)", finished["dbt"])
    assert built, finished["dbt"]
    # Every node counted: models, seeds and tests, and nodes with nothing to run (no counter of their own).
    assert int(built[1]) >= int(built[2]) + int(built[3]) + int(built[4])
    assert int(built[2]) >= 15 and int(built[4]) >= 50 and "failed" not in built[5]
    assert finished["publish"] == f"warehouse published to {warehouse.resolve()}"
    # Lines while steps run: the count so far of the step's total.
    running = [m for m in map(RUNNING.match, lines) if m and " finished in " not in m.group(0)]
    assert running, f"no periodic line in:\n{completed.stderr}"
    assert all(m.group(1) in STEPS for m in running)
    # The summary line and the table are as before.
    assert re.search(r"^run \S+ succeeded: 51 new URLs, 50 pages stored", completed.stderr, re.M)
    assert completed.stdout.splitlines()[0].split() == ["company", "division", "quarter", "cut_events", "headcount_low",
                                                        "headcount_high", "source_count"]

    # --quiet: the summary line and nothing else (a second run: nothing new, dbt skipped).
    quiet = layoffs("run", "--sources", str(sources), "--db", str(warehouse), "--quiet", env=env)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""
    said = [line for line in quiet.stderr.splitlines() if line.strip()]
    assert all(line.startswith(("run ", "layoffs: ")) for line in said), said  # errors and warnings say "layoffs:"
    assert re.search(r"^run \S+ succeeded: 0 new URLs", quiet.stderr, re.M)


@pytest.mark.timeout(900)
def test_run_on_a_terminal_draws_bars_and_a_line_per_step(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    env = cli_env(TERM="xterm-256color", COLUMNS="120", LINES="40")
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout and stderr are the pseudo-terminal
        os.chdir(REPO_ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "pipelines.cli", "run", "--html-dir", str(SAMPLE_DIR),
                                   "--db", str(warehouse)], env)
    output = bytearray()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode("utf-8", errors="replace")
    artifacts = REPO_ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "run-on-a-terminal.txt").write_text(text, encoding="utf-8")
    assert os.waitstatus_to_exitcode(status) == 0, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    assert ANSI.search(text) and "━" in text, "rich drew no bars"
    # What is left on the screen once the bars are gone: a line per step, the summary, the table.
    screen = [line.split("\r")[-1] for line in ANSI.sub("", text).split("\r\n")]
    for name in STEPS:
        assert any(line.startswith(f"✓ {name} finished in ") for line in screen), f"no line for {name}:\n{screen}"
    assert any(re.match(r"run \S+ succeeded: 50 new URLs", line) for line in screen)
    assert any(line.startswith("Amazon ") and "Twitch" in line for line in screen)
