"""The last step: replace the analysts' warehouse with the freshly built work database."""

from pathlib import Path

import dagster as dg

from pipelines.assets.dbt import current_fingerprint, layoffs_dbt_models
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.warehouse import publish_warehouse
from pipelines.warehouse.build_state import record_publish

@dg.asset(
    key="warehouse",
    deps=[layoffs_dbt_models],
    group_name="publish",
    kinds={"duckdb"},
    description="The analysts' DuckDB warehouse, swapped in whole once dbt has built and tested everything.",
)
def published_warehouse(layout: PipelineLayout, work_db: WorkDatabase) -> dg.MaterializeResult:
    with work_db.exclusive():
        with work_db.get_connection() as conn:
            fingerprint = current_fingerprint(conn)
        target = publish_warehouse(Path(work_db.database), Path(layout.warehouse_path))
        # Recorded only after the swap: a crash in between costs one needless rebuild, never a stale warehouse.
        with work_db.get_connection() as conn:
            record_publish(conn, fingerprint, target)
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size})
