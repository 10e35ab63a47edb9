"""A deployment, not a dev server: a persistent instance folder with the project's dagster.yaml,
`make serve` running dagster-webserver and dagster-daemon against it, schedule and sensor state
and run history kept across a restart, `layoffs run` recording into it, and the systemd units and
docker-compose.yml that run the same two services."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest
import yaml

from conftest import REPO_ROOT, SAMPLE_DIR
from pipelines import instance as deployment

LAYOFFS = str(Path(sys.executable).with_name("layoffs"))
QUEUE = {"key": "layoffs/work_db", "limit": 1}


def tag_limits(home: Path) -> list[dict]:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return list(instance.get_concurrency_config().run_queue_config.tag_concurrency_limits or [])


def prepare(home: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DAGSTER_HOME": str(home)}
    return subprocess.run([LAYOFFS, "serve", "--prepare-only"], env=environment, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_a_dagster_home_gets_the_projects_one_run_at_a_time_queue(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    # The fault: with DAGSTER_HOME set, as Dagster advises, the project's dagster.yaml is not read
    # and its queue silently disappears.
    assert QUEUE not in tag_limits(home)

    done = prepare(home)
    assert done.returncode == 0, done.stderr
    assert QUEUE in tag_limits(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.run_monitoring_enabled  # deploy/instance.yaml: dead runs are marked failed
    assert deployment.prepare_home(home) == []  # preparing again changes nothing


def test_an_operators_dagster_yaml_keeps_its_settings_and_gains_the_queue(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "# ours\nconcurrency:\n  runs:\n    max_concurrent_runs: 4\n"
        f"storage:\n  sqlite:\n    base_dir: {tmp_path / 'elsewhere'}\n"
    )
    notes = deployment.prepare_home(home)
    assert notes and "updated" in notes[0]
    written = yaml.safe_load((home / "dagster.yaml").read_text())
    assert written["storage"] == {"sqlite": {"base_dir": str(tmp_path / "elsewhere")}}
    assert written["concurrency"]["runs"]["max_concurrent_runs"] == 4
    assert QUEUE in tag_limits(home)
    assert written["run_monitoring"]["enabled"] is True
    assert deployment.prepare_home(home) == []

    # Postgres, as deploy/dagster.postgres.yaml has it: the storage block stays as it is.
    pg_home = tmp_path / "pg_home"
    pg_home.mkdir()
    shutil.copy(REPO_ROOT / "deploy" / "dagster.postgres.yaml", pg_home / "dagster.yaml")
    deployment.prepare_home(pg_home)
    written = yaml.safe_load((pg_home / "dagster.yaml").read_text())
    assert written["storage"]["postgres"]["postgres_db"]["hostname"] == {"env": "DAGSTER_PG_HOST"}
    assert deployment.queue_limit(written) == 1


def test_a_queue_configured_the_old_way_without_the_limit_is_reported(tmp_path, monkeypatch, capsys):
    from pipelines.cli import main

    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "run_coordinator:\n  module: dagster.core.run_coordinator\n  class: QueuedRunCoordinator\n"
        "  config:\n    max_concurrent_runs: 3\n"
    )
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert main(["serve", "--prepare-only"]) == 1
    assert "tag_concurrency_limits: [{key: layoffs/work_db, limit: 1}]" in capsys.readouterr().err


def test_cli_runs_record_into_the_deployment_instance(tmp_path, warehouse_env, monkeypatch):
    from pipelines.runner import run_pipeline

    home = tmp_path / "dagster_home"
    monkeypatch.setenv("LAYOFFS_DAGSTER_HOME", str(home))
    assert deployment.existing_home() is None  # no instance yet: runs use an ephemeral one
    deployment.prepare_home(home)
    assert deployment.existing_home() == home

    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"name": "two-pages", "kind": "html_dir", "path": str(SAMPLE_DIR), "glob": "a0[12]_*.html"}]}))
    monkeypatch.setenv("LAYOFFS_SOURCES", str(sources))

    # A CLI run killed half-way stays "started" in the instance; with the queue's tag on it, it
    # would keep the daemon from starting any run. The next CLI run marks it failed.
    killed = subprocess.Popen([LAYOFFS, "run", "--quiet"], cwd=REPO_ROOT, env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while True:
            with dg.DagsterInstance.from_config(str(home)) as instance:
                started = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            if started or time.monotonic() > deadline or killed.poll() is not None:
                break
            time.sleep(0.2)
        assert started, "the CLI run never showed as started in the instance"
    finally:
        killed.kill()
        killed.wait()
    abandoned = started[0].run_id

    outcome = run_pipeline()
    assert outcome.success, outcome.message
    with dg.DagsterInstance.from_config(str(home)) as instance:
        record = instance.get_run_by_id(outcome.run_id)
        assert record is not None and record.status == dg.DagsterRunStatus.SUCCESS
        assert record.tags["layoffs/work_db"] == "exclusive"
        assert instance.get_run_by_id(abandoned).status == dg.DagsterRunStatus.FAILURE


# -- make serve: start, change state, stop, start again ------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    assert "errors" not in answer, answer
    return answer["data"]


STATE = """{
  instance { daemonHealth { allDaemonStatuses { daemonType healthy } } }
  repositoriesOrError { ... on RepositoryConnection { nodes {
    schedules { name scheduleState { status } }
    sensors { name jobOriginId sensorState { selectorId status ticks(limit: 5) { status } } } } } }
  runsOrError { ... on Runs { results { runId status tags { key value } } } }
}"""


def _state(port: int) -> dict:
    data = _graphql(port, STATE)
    repository = data["repositoriesOrError"]["nodes"][0]
    return {
        "daemons": {d["daemonType"]: d["healthy"] for d in data["instance"]["daemonHealth"]["allDaemonStatuses"]},
        "schedules": {s["name"]: s["scheduleState"]["status"] for s in repository["schedules"]},
        "sensors": {s["name"]: s for s in repository["sensors"]},
        "runs": {r["runId"]: r["status"] for r in data["runsOrError"]["results"]},
    }


class Served:
    """`make serve` in its own process group, stopped with SIGTERM like systemd or Ctrl-C would."""

    def __init__(self, environment: dict, port: int, log: Path) -> None:
        self.port = port
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"SERVE_PORT={port}"], cwd=REPO_ROOT, env=environment,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_until(self, ready, timeout_s: float = 180.0) -> dict:
        deadline = time.monotonic() + timeout_s
        last = None
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"make serve exited with {self.process.returncode}"
            try:
                last = _state(self.port)
                if ready(last):
                    return last
            except (OSError, AssertionError, KeyError, IndexError, TypeError):
                pass
            time.sleep(2)
        raise AssertionError(f"not ready in {timeout_s} s; last state {last}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


@pytest.mark.timeout(600)
def test_make_serve_keeps_schedule_and_sensor_state_and_run_history_across_a_restart(tmp_path, warehouse_env):
    home = tmp_path / "dagster_home"
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"name": "two-pages", "kind": "html_dir", "path": str(SAMPLE_DIR), "glob": "a0[12]_*.html"}]}))
    environment = {**os.environ, "DAGSTER_HOME": str(home), "LAYOFFS_SOURCES": str(sources)}
    environment.pop("LAYOFFS_AUTOMATION", None)  # the deployment's own default
    port = _free_port()
    log = tmp_path / "serve.log"

    def up(state) -> bool:
        return state["daemons"].get("SCHEDULER") and state["daemons"].get("SENSOR") and bool(state["schedules"])

    served = Served(environment, port, log)
    try:
        first = served.wait_until(lambda s: up(s) and s["sensors"]["new_feed_entries"]["sensorState"]["ticks"])
        # On by default in a deployment, and the sensor has ticked (no feeds here: a skipped tick).
        assert first["schedules"]["daily_refresh"] == "RUNNING"
        sensor = first["sensors"]["new_feed_entries"]
        assert sensor["sensorState"]["status"] == "RUNNING"

        # An operator turns the sensor off in the UI...
        stopped = _graphql(port, """mutation($origin: String!, $selector: String!) {
            stopSensor(jobOriginId: $origin, jobSelectorId: $selector) {
              ... on StopSensorMutationResult { instigationState { status } } } }""",
                           {"origin": sensor["jobOriginId"], "selector": sensor["sensorState"]["selectorId"]})
        assert stopped["stopSensor"]["instigationState"]["status"] == "STOPPED"
        # ...and runs the pipeline from the command line, which records into the same instance.
        ran = subprocess.run([LAYOFFS, "run", "--quiet"], cwd=REPO_ROOT, env=environment,
                             capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, ran.stderr
        run_id = ran.stderr.split()[1]
        assert _state(port)["runs"].get(run_id) == "SUCCESS"
    finally:
        served.stop()
    assert served.process.returncode is not None
    assert (home / "dagster.yaml").is_file() and QUEUE in tag_limits(home)

    served = Served(environment, port, log)
    try:
        again = served.wait_until(up)
    finally:
        served.stop()
    assert again["schedules"]["daily_refresh"] == "RUNNING"
    assert again["sensors"]["new_feed_entries"]["sensorState"]["status"] == "STOPPED"  # not reset to the default
    assert again["sensors"]["new_feed_entries"]["sensorState"]["ticks"]  # its history is still there
    assert again["runs"].get(run_id) == "SUCCESS"


# -- the files a real host or container runtime reads ----------------------------------------------


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def test_systemd_units_run_the_webserver_and_daemon_on_one_instance():
    folder = REPO_ROOT / "deploy" / "systemd"
    units = {path.name: _unit(path) for path in folder.glob("*.service")}
    assert set(units) == {"layoffs-instance.service", "layoffs-webserver.service", "layoffs-daemon.service"}
    starts = {name: unit["Service"]["ExecStart"] for name, unit in units.items()}
    assert starts["layoffs-instance.service"].endswith("/.venv/bin/layoffs serve --prepare-only")
    assert "/.venv/bin/dagster-webserver -w workspace.yaml" in starts["layoffs-webserver.service"]
    assert "/.venv/bin/dagster-daemon run -w workspace.yaml" in starts["layoffs-daemon.service"]
    homes = set()
    for name, unit in units.items():
        assert {"Unit", "Service", "Install"} <= set(unit.sections()), name
        assert unit["Install"]["WantedBy"] == "multi-user.target"
        text = (folder / name).read_text()
        homes |= {line.split("=", 2)[2] for line in text.splitlines() if line.startswith("Environment=DAGSTER_HOME=")}
        assert unit["Service"]["WorkingDirectory"] == "/srv/layoffs-pipeline"
    assert len(homes) == 1  # one instance for all three
    for name in ("layoffs-webserver.service", "layoffs-daemon.service"):
        assert units[name]["Unit"]["Requires"] == "layoffs-instance.service"
        assert "Environment=LAYOFFS_AUTOMATION=on" in (folder / name).read_text()
        assert units[name]["Service"]["Restart"] == "on-failure"
    if shutil.which("systemd-analyze"):
        checked = subprocess.run(["systemd-analyze", "verify", *map(str, folder.glob("*.service"))],
                                 capture_output=True, text=True)
        assert "Unknown key" not in checked.stderr and "Unknown section" not in checked.stderr, checked.stderr


def test_docker_compose_runs_the_same_services_from_one_image():
    folder = REPO_ROOT / "deploy"
    compose = yaml.safe_load((folder / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"instance", "webserver", "daemon", "postgres"} <= set(services)
    base = compose["x-layoffs"]
    assert base["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert services["webserver"]["command"][:3] == ["dagster-webserver", "-w", "workspace.yaml"]
    assert services["daemon"]["command"] == ["dagster-daemon", "run", "-w", "workspace.yaml"]
    assert "layoffs serve --prepare-only" in services["instance"]["command"][-1]
    for name in ("webserver", "daemon"):
        assert services[name]["depends_on"]["instance"]["condition"] == "service_completed_successfully"
    assert "dagster_home:/var/lib/layoffs/dagster_home" in base["volumes"]
    assert base["environment"]["DAGSTER_HOME"] == "/var/lib/layoffs/dagster_home"
    assert base["environment"]["LAYOFFS_AUTOMATION"] == "on"
    assert services["postgres"]["profiles"] == ["postgres"]
    assert set(compose["volumes"]) == {"dagster_home", "warehouse", "postgres"}

    # Every file the Dockerfile copies exists, and the workspace it serves is the project's.
    dockerfile = (folder / "Dockerfile").read_text().splitlines()
    copied = [part for line in dockerfile if line.startswith("COPY ") for part in line.split()[1:-1]]
    assert copied and all((REPO_ROOT / part).exists() for part in copied), copied
    assert "uv sync --frozen --no-dev --extra postgres" in "\n".join(dockerfile)
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'postgres = ["dagster-postgres' in pyproject


def test_the_dg_cli_checks_and_lists_the_definitions():
    dg_cli = str(Path(sys.executable).with_name("dg"))
    # `make validate` runs this and `dg list defs`, which loads the same way.
    checked = subprocess.run([dg_cli, "check", "defs"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "All definitions loaded successfully" in checked.stdout + checked.stderr
