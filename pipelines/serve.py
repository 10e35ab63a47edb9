"""`layoffs serve` (`make serve`): the Dagster webserver and daemon as one long-lived service.

Both run against the deployment's instance folder (pipelines/instance.py), so run history,
schedule and sensor state and sensor cursors survive a restart, and with the schedule and the
feed sensor on by default (`LAYOFFS_AUTOMATION=on`; see pipelines/settings.py). This process
supervises the two: when either exits, the other is stopped too and the exit code says which
failed, so systemd (or a terminal) sees one service. SIGTERM or Ctrl-C stops both cleanly. The
systemd units and docker-compose.yml in deploy/ run the two as separate services instead.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipelines import settings
from pipelines.instance import deployment_home, prepare_home

WORKSPACE = settings.PROJECT_ROOT / "workspace.yaml"
STOP_GRACE_S = 30.0


def service_environment(home: Path) -> dict[str, str]:
    """The environment both services and the runs they launch get."""
    environment = dict(os.environ)
    environment["DAGSTER_HOME"] = str(home)
    # A deployment runs the schedule and the feed sensor unless told otherwise.
    environment.setdefault(settings.AUTOMATION_ENV, "on")
    return environment


def commands(host: str, port: int, log_level: str = "info") -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    return {
        "dagster-webserver": [
            str(bin_dir / "dagster-webserver"), "-w", str(WORKSPACE), "-h", host, "-p", str(port),
            "--log-level", log_level,
        ],
        "dagster-daemon": [str(bin_dir / "dagster-daemon"), "run", "-w", str(WORKSPACE), "--log-level", log_level],
    }


def serve(host: str = "127.0.0.1", port: int = 3000, prepare_only: bool = False, log_level: str = "info") -> int:
    home = deployment_home()
    for note in prepare_home(home):
        print(f"layoffs serve: {note}", file=sys.stderr)
    # Create or migrate the instance's storage here, once: the webserver and the daemon would
    # otherwise both create a new SQLite schema at the same moment, and one of them fail.
    migrate_storage(home)
    if prepare_only:
        print(f"layoffs serve: instance ready in {home}", file=sys.stderr)
        return 0
    environment = service_environment(home)
    print(
        f"layoffs serve: instance {home}; UI on http://{host}:{port}; schedule and sensor "
        f"{'on' if environment[settings.AUTOMATION_ENV] == 'on' else 'as last set'} by default "
        f"({settings.AUTOMATION_ENV}={environment[settings.AUTOMATION_ENV]})",
        file=sys.stderr,
    )
    stop = {"signal": None}

    def request_stop(signum, _frame) -> None:
        stop["signal"] = signum

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands(host, port, log_level).items():
            children[name] = subprocess.Popen(
                command, cwd=settings.PROJECT_ROOT, env=environment, preexec_fn=_die_with_parent
            )
        while stop["signal"] is None:
            ended = {name: child.returncode for name, child in children.items() if child.poll() is not None}
            if ended:
                name, code = next(iter(ended.items()))
                print(f"layoffs serve: {name} exited with code {code}; stopping the other", file=sys.stderr)
                return code or 1
            time.sleep(0.5)
        return 0
    finally:
        _stop_all(children.values())
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def migrate_storage(home: Path) -> None:
    """`dagster instance migrate`: create the storage of a new instance, upgrade an old one's."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.upgrade()


def _stop_all(children) -> None:
    running = [child for child in children if child.poll() is None]
    for child in running:
        child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for child in running:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _die_with_parent() -> None:
    """Linux: SIGTERM the service when `layoffs serve` dies, however it dies (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
