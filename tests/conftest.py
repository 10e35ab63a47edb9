"""Shared fixtures: a parsed dbt project, isolated warehouse paths, a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from pipelines import settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """dagster-dbt reads the manifest at import time, so parse once before any test imports definitions."""
    from pipelines.dbt_project import ensure_manifest

    ensure_manifest()
    return REPO_ROOT / "target" / "manifest.json"


@pytest.fixture(autouse=True)
def no_deployment_instance(tmp_path_factory, monkeypatch) -> None:
    """Runs in tests record into an ephemeral Dagster instance, never into a deployment's (a
    DAGSTER_HOME in the shell, or the .dagster_home/ that `make serve` keeps); a test that wants
    one sets it. The schedule and sensor keep their development default (stopped)."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("LAYOFFS_AUTOMATION", raising=False)
    monkeypatch.setenv("LAYOFFS_DAGSTER_HOME", str(tmp_path_factory.getbasetemp() / "no-deployment-instance"))


@pytest.fixture
def warehouse_env(tmp_path, monkeypatch) -> Path:
    """Point the pipeline at a warehouse in a temporary folder; returns the warehouse path."""
    for name in (settings.SOURCES_ENV, settings.WAREHOUSE_ENV, settings.WORK_DB_ENV):
        monkeypatch.delenv(name, raising=False)
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    monkeypatch.setenv(settings.WORK_DB_ENV, str(tmp_path / ".work" / "warehouse.duckdb"))
    monkeypatch.setenv("LAYOFFS_WORKERS", "2")
    return warehouse


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture
def serve_folder():
    """Serve a folder over real HTTP on 127.0.0.1; returns a function folder -> base URL."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
