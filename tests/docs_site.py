"""The dbt documentation site of a freshly built warehouse, shared by the docs tests.

Loaded as a plugin (`pytest_plugins = ["docs_site"]` in the test modules that use it), so its
session-scoped fixture is defined once and the pipeline runs once however many docs tests run.
It cannot build on `warehouse_env` from conftest.py, which is function-scoped, so it sets the same
environment itself, only for as long as the build takes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines import settings

REPO_ROOT = Path(__file__).resolve().parents[1]
# What the documentation site needs; everything else in a target folder is for dbt itself.
SITE_FILES = ("index.html", "manifest.json", "catalog.json")


@dataclass(frozen=True)
class DocsSite:
    warehouse: Path  # the published warehouse the docs were generated against
    target: Path  # dbt's --target-path: index.html, manifest.json, catalog.json and the rest
    manifest: dict
    catalog: dict

    def models(self, *layers: str) -> dict[str, dict]:
        """Manifest nodes of this project's models in the given layers (the folders under models/)."""
        return {
            unique_id: node
            for unique_id, node in self.manifest["nodes"].items()
            if node["resource_type"] == "model" and node["package_name"] == "layoffs" and layer_of(node) in layers
        }


def layer_of(node: dict) -> str:
    """'staging', 'intermediate' or 'marts': the first folder of the model's path under models/."""
    return Path(node["original_file_path"]).relative_to("dbt_project/models").parts[0]


def dbt_executable() -> str:
    dbt = Path(sys.executable).with_name("dbt")
    return str(dbt) if dbt.exists() else "dbt"


def generate_docs(warehouse: Path, target: Path, logs: Path) -> subprocess.CompletedProcess:
    """`dbt docs generate` as `make docs` runs it: the `pipeline` target, whose work database
    (beside `warehouse`, in .work/) is the file the warehouse was published from.

    The target and log folders are the caller's, so the project's own target/ (which Dagster reads)
    and logs/ are left alone.
    """
    env = {
        **os.environ,
        settings.WAREHOUSE_ENV: str(warehouse),
        settings.WORK_DB_ENV: str(warehouse.parent / ".work" / warehouse.name),
    }
    return subprocess.run(
        [dbt_executable(), "docs", "generate", "--target", "pipeline", "--target-path", str(target),
         "--log-path", str(logs)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build_sample_warehouse(root: Path) -> Path:
    """Run the real pipeline on the bundled sample with everything under `root`; the published warehouse."""
    from pipelines.runner import run_pipeline

    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as env:
        # The same isolation as conftest.warehouse_env: default sources, everything under `root`.
        for name in (settings.SOURCES_ENV, settings.WAREHOUSE_ENV, settings.WORK_DB_ENV):
            env.delenv(name, raising=False)
        env.setenv(settings.WAREHOUSE_ENV, str(warehouse))
        env.setenv(settings.WORK_DB_ENV, str(root / ".work" / "warehouse.duckdb"))
        env.setenv("LAYOFFS_WORKERS", "2")
        outcome = run_pipeline()
    assert outcome.success, outcome.message
    assert warehouse.exists(), "the run succeeded but published no warehouse"
    return warehouse


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory, dbt_manifest) -> DocsSite:
    """Run the real pipeline on the bundled sample into a temporary warehouse, then generate its docs."""
    root = tmp_path_factory.mktemp("docs_site")
    warehouse = build_sample_warehouse(root)

    target = root / "target"
    completed = generate_docs(warehouse, target, root / "logs")
    assert completed.returncode == 0, f"dbt docs generate failed:\n{completed.stdout}\n{completed.stderr}"
    for name in SITE_FILES:
        assert (target / name).is_file(), f"dbt docs generate wrote no {name}"

    return DocsSite(
        warehouse=warehouse,
        target=target,
        manifest=json.loads((target / "manifest.json").read_text(encoding="utf-8")),
        catalog=json.loads((target / "catalog.json").read_text(encoding="utf-8")),
    )
