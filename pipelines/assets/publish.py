"""The last step: replace the analysts' warehouse with the freshly built work database."""

from pathlib import Path

import dagster as dg

from pipelines.assets.dbt import layoffs_dbt_models
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.warehouse import publish_warehouse

@dg.asset(
    key="warehouse",
    deps=[layoffs_dbt_models],
    group_name="publish",
    kinds={"duckdb"},
    description="The analysts' DuckDB warehouse, swapped in whole once dbt has built and tested everything.",
)
def published_warehouse(layout: PipelineLayout, work_db: WorkDatabase) -> dg.MaterializeResult:
    target = publish_warehouse(Path(work_db.database), Path(layout.warehouse_path))
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size})
