"""Every resource the assets use, in one place."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.dbt_project import layoffs_dbt_project
from pipelines.dbt_worker.resource import DbtBuildResource
from pipelines.locking import write_access
from pipelines.warehouse.connection import connect_work_db


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
        # Not DuckDBResource's own connection: the file is attached with small row groups
        # (pipelines.warehouse.connection), which keeps each run's appends from rewriting the history.
        with write_access(Path(self.database)):
            conn = connect_work_db(self.database, self.connection_config, retries=10)
            try:
                yield conn
            finally:
                conn.close()

    def exclusive(self):
        """The write lock alone, for work that opens the file itself (dbt, the publish copy)."""
        return write_access(Path(self.database))


def build_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "layout": PipelineLayout(
            sources_path=str(settings.sources_path()),
            warehouse_path=str(settings.warehouse_path()),
        ),
        "work_db": WorkDatabase(
            database=str(settings.work_db_path()),
            connection_config={"memory_limit": settings.work_db_memory_limit(), "threads": settings.WORK_DB_THREADS},
        ),
        "dbt": DbtBuildResource(
            project_dir=str(layoffs_dbt_project.project_dir),
            profiles_dir=str(layoffs_dbt_project.profiles_dir),
            target="pipeline",
            # dagster-dbt would give every invocation a fresh target folder, making dbt parse the
            # whole project each time. Runs never overlap (pipelines.locking), so one folder is safe.
            target_path="target/pipeline",
        ),
    }
