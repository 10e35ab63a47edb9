"""The dbt project as Dagster sees it, and making sure its manifest exists before anyone loads it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR

layoffs_dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    # Scheduled runs build the work database; the warehouse is replaced only when the build passed.
    target="pipeline",
)
# Under `dagster dev` this re-parses the project on every reload, so model edits show up at once.
layoffs_dbt_project.prepare_if_dev()


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    inputs = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    inputs += [path for path in (project_dir / "dbt_project").rglob("*") if path.is_file()]
    return any(path.stat().st_mtime > built for path in inputs if path.exists())


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> None:
    """Run `dbt parse` when the manifest is missing or older than the project's files.

    Dagster reads the manifest when the definitions are imported, so this must run first.
    """
    if not manifest_is_stale(project_dir):
        return
    dbt = Path(sys.executable).with_name("dbt")
    completed = subprocess.run(
        [str(dbt) if dbt.exists() else "dbt", "parse", "--quiet"],
        cwd=project_dir,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{completed.stdout}\n{completed.stderr}")
