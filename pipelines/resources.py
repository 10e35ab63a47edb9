"""Every resource the assets use, in one place."""

from __future__ import annotations

import importlib.metadata
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from pipelines import settings
from pipelines.dbt_project import layoffs_dbt_project
from pipelines.locking import write_access


class PipelineLayout(dg.ConfigurableResource):
    """Where the run reads its sources from and publishes the warehouse to."""

    sources_path: str
    warehouse_path: str
    workers: int = 0  # processes for cleaning and extraction; 0 means one per core

    def worker_count(self) -> int | None:
        return self.workers or None


class WorkDatabase(DuckDBResource):
    """The pipeline's own DuckDB file (see pipelines.warehouse.publish for why it is separate).

    Every connection holds the work database's write lock while it is open, so steps of
    overlapping runs take turns instead of failing on DuckDB's one-writer rule.
    """

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def get_connection(self):
        with write_access(Path(self.database)), super().get_connection() as conn:
            yield conn

    def exclusive(self):
        """The write lock alone, for work that opens the file itself (dbt, the publish copy)."""
        return write_access(Path(self.database))


class DbtBuildResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two start-up costs this pipeline never uses.

    Before every invocation dagster-dbt spawns `dbt --version` (to tell dbt Core from the Fusion
    engine) and builds a dbt adapter inside this process (used only by `fetch_row_counts` and
    `fetch_column_metadata`, which these assets do not call). Together they were about 5.5 s of
    a 16 s dbt step (bench/throughput.py). dbt-core is a locked dependency of this very
    environment, so its version is known without starting a process.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def build_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "layout": PipelineLayout(
            sources_path=str(settings.sources_path()),
            warehouse_path=str(settings.warehouse_path()),
        ),
        "work_db": WorkDatabase(database=str(settings.work_db_path())),
        "dbt": DbtBuildResource(project_dir=layoffs_dbt_project, target="pipeline"),
    }
