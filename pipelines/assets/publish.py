"""The last step: replace the analysts' warehouse with the freshly built work database."""

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.assets.dbt import BUILT_EVERY_BUILD
from pipelines.progress import step as progress_step
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.warehouse import publish_warehouse
from pipelines.warehouse.build_state import built_from, forget_build_inputs, record_publish

@dg.asset(
    key="warehouse",
    # Not the seeds and seed-only models an incremental build may leave out (pipelines/assets/dbt.py).
    deps=BUILT_EVERY_BUILD,
    group_name="publish",
    kinds={"duckdb"},
    description="The analysts' DuckDB warehouse, swapped in whole once dbt has built and tested everything.",
    # The copy and rename can meet a full disk or a slow network filesystem; the swap is atomic, so
    # trying again is safe.
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
)
def published_warehouse(
    context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase
) -> dg.MaterializeResult:
    with progress_step("publish", log=context.log.info) as progress, work_db.exclusive():
        with work_db.get_connection() as conn:
            # The inputs this run's dbt build read (pipelines/assets/dbt.py), not today's: rows
            # written since are not in the marts and must not count as published.
            fingerprint = built_from(conn, context.run.run_id)
            held_back = _held_back_facts(conn)
        target = publish_warehouse(Path(work_db.database), Path(layout.warehouse_path))
        # Recorded only after the swap: a crash in between costs one needless rebuild, never a stale warehouse.
        with work_db.get_connection() as conn:
            if fingerprint is not None:
                record_publish(conn, fingerprint, target)
                forget_build_inputs(conn, context.run.run_id)
            else:
                context.log.warning("no dbt build in this run: published, but the next run will build again")
        progress.say(f"warehouse published to {target}")
    if held_back:
        context.log.warning(f"{held_back} cut facts held back from the marts: see marts.quarantined_cut_mentions")
    return dg.MaterializeResult(
        metadata={"path": str(target), "bytes": target.stat().st_size, "held_back_facts": held_back}
    )


def _held_back_facts(conn) -> int:
    """Facts the marts leave out for their date (dated after today, or undated)."""
    try:
        return conn.execute("select count(*) from marts.quarantined_cut_mentions").fetchone()[0]
    except duckdb.CatalogException:  # a build from before the model existed
        return 0
