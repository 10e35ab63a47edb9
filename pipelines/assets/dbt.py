"""dbt models, seeds and tests as Dagster assets and asset checks."""

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets

from pipelines.dbt_project import layoffs_dbt_project
from pipelines.dbt_worker.resource import DbtBuildResource
from pipelines.progress import step as progress_step
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.settings import DBT_PROJECT_DIR

from pipelines.warehouse.build_state import (
    full_refresh_done,
    full_refresh_reasons,
    history_state,
    incremental_models_signature,
    inputs_fingerprint,
    is_already_published,
    remember_build_inputs,
)


def current_fingerprint(conn) -> str:
    return inputs_fingerprint(
        conn,
        layoffs_dbt_project.manifest_path,
        [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"],
    )


class LayoffsDbtTranslator(DagsterDbtTranslator):
    """Groups dbt nodes by warehouse layer, so the asset graph reads raw -> staging -> marts."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id) or {}
        if node.get("resource_type") == "source":
            return spec
        layer = "reference" if node.get("resource_type") == "seed" else (node.get("fqn") or ["", "models"])[1]
        return spec.replace_attributes(group_name=layer)


TRANSLATOR = LayoffsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=layoffs_dbt_project.manifest_path,
    project=layoffs_dbt_project,
    dagster_dbt_translator=TRANSLATOR,
    # A transient failure (the work database busy, a dbt worker that died) is tried again; a failing
    # dbt test or a SQL error is not (DbtBuildResource raises those with allow_retries=False).
    retry_policy=dg.RetryPolicy(max_retries=2, delay=15, backoff=dg.Backoff.EXPONENTIAL),
)
def layoffs_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtBuildResource, layout: PipelineLayout, work_db: WorkDatabase
):
    with progress_step("dbt", log=context.log.info) as progress:  # nodes built k/M, tests passed/failed
        yield from _build(context, dbt, layout, work_db, progress)


def _build(context: dg.AssetExecutionContext, dbt: DbtBuildResource, layout: PipelineLayout, work_db: WorkDatabase,
           progress):
    # Fingerprinted once, before the build, and handed to the publish step through the work
    # database: what gets recorded as published is what this build read. A row written later (by a
    # concurrent run, during the build or before the publish) changes the next run's fingerprint,
    # so that run builds again instead of skipping it.
    signature = incremental_models_signature(layoffs_dbt_project.manifest_path)
    started_at = datetime.now(UTC).replace(tzinfo=None)
    with work_db.get_connection() as conn:
        fingerprint = current_fingerprint(conn)
        refresh_reasons = full_refresh_reasons(conn, signature)
        # Taken with the fingerprint, before the build: what this build reads, for the next to check.
        history = history_state(conn)
        # A full refresh asked for (reprocess, --full-refresh) builds even when the inputs look the same.
        unchanged = is_already_published(conn, fingerprint, Path(layout.warehouse_path)) and not refresh_reasons
        if not unchanged:
            remember_build_inputs(conn, context.run.run_id, fingerprint)
    if unchanged:
        # Nothing new since the published build: its models and tests would come out the same.
        # Yielding nothing leaves these assets (and the publish step after them) unmaterialized.
        context.log.info("no new facts and no model changes since the last published build: dbt build skipped")
        progress.say("skipped: nothing new since the last published build")
        return
    # One `dbt build` for the whole graph: models, seeds and tests in dependency order, so a failing
    # test stops the models downstream of it and surfaces as a failed asset check. Unit tests check
    # the SQL, not the data, so they run where the SQL changes (`make test`, a hand-run
    # `dbt build`), not on every scheduled run.
    args = ["build", "--exclude-resource-type", "unit_test"]
    if refresh_reasons:
        # Staging models are incremental (new and rewritten raw rows only); rows deleted from raw, or
        # a changed model, need them rebuilt from all of raw.
        context.log.info(f"dbt build with --full-refresh: {'; '.join(refresh_reasons)}")
        args.append("--full-refresh")
    with work_db.exclusive():
        yield from dbt.build(context, args, layoffs_dbt_project.manifest_path, TRANSLATOR)
        # Reached only when the build passed (a failing test or error raises): the requests are served.
        with work_db.get_connection() as conn:
            full_refresh_done(conn, signature, started_at, history)
