"""The Dagster instance a deployment keeps: run history, schedule and sensor state, sensor cursors.

`dagster dev` (`make dev`) makes a throwaway instance each time it starts. A deployment (`make
serve`, the systemd units and docker-compose.yml in deploy/) keeps one in a folder instead:
`DAGSTER_HOME` when it is set, else `.dagster_home/` in the project (`LAYOFFS_DAGSTER_HOME`
moves that default). Its `dagster.yaml` is made from the project's own `dagster.yaml` (the
one-run-at-a-time queue for the work database) plus `deploy/instance.yaml` (what only a
long-lived instance needs). Dagster reads only `$DAGSTER_HOME/dagster.yaml` once DAGSTER_HOME is
set, so `prepare_home` also adds the project's settings to a dagster.yaml an operator wrote
(Postgres storage, say) without touching what is already there.

`layoffs run` records its runs in that instance when there is one, so they show in the UI.
"""

from __future__ import annotations

import contextlib
import copy
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from pipelines.settings import PROJECT_ROOT

HOME_ENV = "LAYOFFS_DAGSTER_HOME"
DEFAULT_HOME = PROJECT_ROOT / ".dagster_home"
PROJECT_INSTANCE_YAML = PROJECT_ROOT / "dagster.yaml"
DEPLOY_INSTANCE_YAML = PROJECT_ROOT / "deploy" / "instance.yaml"

# dagster.yaml queues runs carrying this tag one at a time (see pipelines/definitions.py).
QUEUE_TAG = "layoffs/work_db"

_HEADER = """\
# Dagster instance settings for this deployment, made by `layoffs serve --prepare-only` from the
# project's dagster.yaml and deploy/instance.yaml. Edit freely: preparing again only adds settings
# that are missing (storage is SQLite in this folder unless a `storage:` block says otherwise;
# deploy/dagster.postgres.yaml shows Postgres).
"""


class InstanceConfigError(RuntimeError):
    """The instance's dagster.yaml cannot be given the project's settings; the message says why."""


def deployment_home() -> Path:
    """Where the deployment's instance lives: DAGSTER_HOME, else the project's `.dagster_home/`."""
    explicit = os.environ.get("DAGSTER_HOME") or os.environ.get(HOME_ENV)
    return Path(explicit).expanduser().resolve() if explicit else DEFAULT_HOME


def existing_home() -> Path | None:
    """The instance `layoffs run` records into: DAGSTER_HOME when set, else the project's instance
    folder once `make serve` (or `layoffs serve --prepare-only`) has made it; None for neither."""
    if os.environ.get("DAGSTER_HOME"):
        return Path(os.environ["DAGSTER_HOME"]).expanduser().resolve()
    home = deployment_home()
    return home if (home / "dagster.yaml").is_file() else None


@contextlib.contextmanager
def instance_for_cli_run() -> Iterator[Any]:
    """The deployment's instance when there is one (runs then show in its UI), else an ephemeral one."""
    import dagster as dg

    home = existing_home()
    if home is None:
        with dg.DagsterInstance.ephemeral() as instance:
            yield instance
        return
    home.mkdir(parents=True, exist_ok=True)
    if queue_limit(_read_yaml(home / "dagster.yaml")) is None:
        print(
            f"layoffs: warning: {home / 'dagster.yaml'} does not queue this pipeline's runs one at a time, so the "
            "daemon may start runs that overlap; `uv run layoffs serve --prepare-only` adds the project's settings",
            file=sys.stderr,
        )
    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, yaml.YAMLError):
        return {}
    return document if isinstance(document, dict) else {}


# Which process and machine a `layoffs run` in the instance belongs to, so a run whose process was
# killed can be told from one still going.
CLI_PID_TAG = "layoffs/cli_pid"
CLI_HOST_TAG = "layoffs/cli_host"


def cli_run_tags() -> dict[str, str]:
    return {CLI_PID_TAG: str(os.getpid()), CLI_HOST_TAG: socket.gethostname()}


def fail_abandoned_cli_runs(instance) -> list[str]:
    """Mark failed the runs of `layoffs run` on this machine whose process is gone.

    A CLI run executes in its own process, which nothing monitors: killed (SIGKILL, a reboot), it
    stays "started" in the instance for ever, and since it carries the queue's tag, the daemon
    would never start another run. The next CLI run calls this first; returns the run ids failed.
    """
    import dagster as dg

    failed = []
    in_progress = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=in_progress, tags={CLI_HOST_TAG: socket.gethostname()}))
    for run in runs:
        pid = run.tags.get(CLI_PID_TAG, "")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            instance.report_run_failed(run, f"the `layoffs run` process (pid {pid}) ended without finishing the run")
            failed.append(run.run_id)
    return failed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wanted_settings() -> dict[str, Any]:
    """What every instance of this project needs: the project's dagster.yaml and deploy/instance.yaml."""
    wanted: dict[str, Any] = {}
    for path in (PROJECT_INSTANCE_YAML, DEPLOY_INSTANCE_YAML):
        if path.is_file():
            wanted = _fill_missing(wanted, yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return wanted


def prepare_home(home: Path) -> list[str]:
    """Make `home` an instance folder with this project's settings; returns what was changed.

    A missing dagster.yaml is written whole. An existing one keeps every value it has and gains
    the settings it lacks; the run queue's limit for this project's tag is added to a `concurrency`
    block that has other limits. A queue configured the old way (`run_coordinator`, `run_queue`)
    without that limit is reported, not rewritten.
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    wanted = wanted_settings()
    if not target.is_file():
        parts = [path for path in (PROJECT_INSTANCE_YAML, DEPLOY_INSTANCE_YAML) if path.is_file()]
        keys = [set(yaml.safe_load(path.read_text(encoding="utf-8")) or {}) for path in parts]
        if len(keys) == 2 and keys[0] & keys[1]:  # a key in both: one merged mapping, comments lost
            body = yaml.safe_dump(wanted, sort_keys=False)
        else:  # the two files as they are, comments included
            body = "\n".join(path.read_text(encoding="utf-8").rstrip() + "\n" for path in parts)
        target.write_text(_HEADER + "\n" + body, encoding="utf-8")
        return [f"wrote {target}"]

    current = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    if not isinstance(current, dict):
        raise InstanceConfigError(f"{target} is not a YAML mapping")
    legacy = _check_legacy_queue(current, target)
    if legacy:  # Dagster refuses a `concurrency` block beside the old way of configuring the queue
        wanted.pop("concurrency", None)
    merged = _fill_missing(current, wanted)
    if not legacy:
        runs = merged.setdefault("concurrency", {}).setdefault("runs", {})
        limits = runs.setdefault("tag_concurrency_limits", [])
        if not any(isinstance(limit, dict) and limit.get("key") == QUEUE_TAG for limit in limits):
            limits.append({"key": QUEUE_TAG, "limit": 1})
    if merged == current:
        return []
    added = sorted(key for key in merged if key not in current)
    target.write_text(_HEADER + "\n" + yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    return [f"updated {target}" + (f": added {', '.join(added)}" if added else ": added the run queue limit")]


def queue_limit(config: dict[str, Any]) -> int | None:
    """The one-at-a-time limit for this project's runs in a dagster.yaml mapping, if it has one."""
    places = [
        ((config.get("concurrency") or {}).get("runs") or {}).get("tag_concurrency_limits"),
        (config.get("run_queue") or {}).get("tag_concurrency_limits"),
        ((config.get("run_coordinator") or {}).get("config") or {}).get("tag_concurrency_limits"),
    ]
    for limits in places:
        for limit in limits or []:
            if isinstance(limit, dict) and limit.get("key") == QUEUE_TAG:
                return limit.get("limit")
    return None


def _check_legacy_queue(current: dict[str, Any], target: Path) -> bool:
    """True when the queue is configured the old way; raises when that way lacks our limit."""
    legacy = "run_coordinator" in current or "run_queue" in current
    if legacy and queue_limit(current) is None:
        raise InstanceConfigError(
            f"{target} configures its run queue with `run_coordinator`/`run_queue` and has no limit for "
            f"this project's runs; add `tag_concurrency_limits: [{{key: {QUEUE_TAG}, limit: 1}}]` to it "
            "(every run of the pipeline writes one work database, and they must not overlap)"
        )
    return legacy


def _fill_missing(current: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """A copy of `current` with the keys of `wanted` it lacks, at any depth; its own values stay."""
    merged = copy.deepcopy(current)
    for key, value in wanted.items():
        if key not in merged:
            merged[key] = copy.deepcopy(value)
        elif isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = _fill_missing(merged[key], value)
    return merged
