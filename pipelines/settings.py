"""Where things live. Environment variables are the one configuration channel shared by
`dagster dev`, the `layoffs` CLI and a hand-run `dbt build`, so the three always agree."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT  # dbt_project.yml sits at the root and points into dbt_project/
SEEDS_DIR = PROJECT_ROOT / "dbt_project" / "seeds"

SOURCES_ENV = "LAYOFFS_SOURCES"
WAREHOUSE_ENV = "LAYOFFS_DB"
WORK_DB_ENV = "LAYOFFS_WORK_DB"
WORK_DB_MEMORY_ENV = "LAYOFFS_WORK_DB_MEMORY"

# "on": the schedule and the feed sensor start running in a fresh instance (a deployment: `make
# serve`, deploy/); anything else, stopped (`make dev`, tests). A state set in the UI or with
# `dagster schedule start/stop` is kept by the instance and beats this default either way.
AUTOMATION_ENV = "LAYOFFS_AUTOMATION"

DEFAULT_SOURCES = PROJECT_ROOT / "data" / "sources.yml"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse.duckdb"


def sources_path() -> Path:
    return Path(os.environ.get(SOURCES_ENV) or DEFAULT_SOURCES).resolve()


def warehouse_path() -> Path:
    """The analysts' database: replaced whole at the end of each run, never written in place."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()


def work_db_path() -> Path:
    """The pipeline's own database, where every step writes; published to the warehouse by a swap.

    It keeps the warehouse's file name so that the DuckDB catalog name (the file stem) is the same
    in both files, and anything dbt wrote that names the catalog still resolves after the copy.
    """
    explicit = os.environ.get(WORK_DB_ENV)
    if explicit:
        return Path(explicit).resolve()
    warehouse = warehouse_path()
    return warehouse.parent / ".work" / warehouse.name


def work_db_memory_limit() -> str:
    """DuckDB's memory limit in the Python steps' connections to the work database (a DuckDB size:
    "192MB", "1GB"). It bounds the stored pages DuckDB keeps cached while cleaning reads through
    a large run (without a limit DuckDB may cache up to 80 % of the machine's memory). What cannot
    be evicted must fit: the rows not yet checkpointed, the primary-key indexes, and the stored
    pages of the row group being read (2,048 pages, about 80 MB of gzipped HTML on the benchmark's
    real pages) for each of DuckDB's threads, which is why these connections use one thread
    (`work_db_threads`). Cleaning 20,000 pages failed at 96MB with one thread and at 160MB with two.
    Raise it for heavier pages: about 2,048 times the mean gzipped page, plus 100MB."""
    return os.environ.get(WORK_DB_MEMORY_ENV) or "192MB"


# DuckDB threads of the Python steps' connections to the work database. Their queries are small
# (a batch of pages by key, inserts); the CPU work is in the worker processes. Each DuckDB thread
# reading stored pages holds a row group of them, so one thread halves what must fit the limit.
WORK_DB_THREADS = 1


def automation_on_by_default() -> bool:
    return os.environ.get(AUTOMATION_ENV, "").strip().lower() in ("on", "1", "true", "yes")


def point_at(*, warehouse: Path | None = None, sources: Path | None = None) -> None:
    """Set the environment for this process and the dbt subprocesses it starts."""
    if sources is not None:
        os.environ[SOURCES_ENV] = str(Path(sources).resolve())
    if warehouse is not None:
        os.environ[WAREHOUSE_ENV] = str(Path(warehouse).resolve())
        os.environ.pop(WORK_DB_ENV, None)
    # dbt reads the work database path from the environment (see profiles.yml).
    os.environ[WORK_DB_ENV] = str(work_db_path())
