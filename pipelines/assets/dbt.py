"""dbt models, seeds and tests as Dagster assets and asset checks."""

import json
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

from pipelines.warehouse import reference_nodes
from pipelines.warehouse.build_state import (
    full_refresh_done,
    full_refresh_reasons,
    history_state,
    incremental_models_signature,
    inputs_fingerprint,
    is_already_published,
    remember_build_inputs,
)


PROJECT_FILES = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]


def current_fingerprint(conn) -> str:
    return inputs_fingerprint(conn, layoffs_dbt_project.manifest_path, PROJECT_FILES)


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


def _reference_asset_keys() -> set[dg.AssetKey]:
    """The assets of the seeds and seed-only models a build may leave out (reference_nodes.py)."""
    manifest = json.loads(Path(layoffs_dbt_project.manifest_path).read_text(encoding="utf-8"))
    return {
        TRANSLATOR.get_asset_spec(manifest, unique_id, layoffs_dbt_project).key
        for unique_id in reference_nodes.reference_nodes(manifest) if not unique_id.startswith("test.")
    }


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
    manifest = json.loads(Path(layoffs_dbt_project.manifest_path).read_text(encoding="utf-8"))
    reference = reference_nodes.reference_nodes(manifest)
    reference_signature = reference_nodes.reference_signature(manifest, PROJECT_FILES, reference)
    started_at = datetime.now(UTC).replace(tzinfo=None)
    leave_out_reference = False
    with work_db.get_connection() as conn:
        fingerprint = current_fingerprint(conn)
        refresh_reasons = full_refresh_reasons(conn, signature)
        # A full refresh asked for (reprocess, --full-refresh) builds even when the inputs look the same.
        unchanged = is_already_published(conn, fingerprint, Path(layout.warehouse_path)) and not refresh_reasons
        if not unchanged:
            # Taken with the fingerprint, before the build: what this build reads, for the next to
            # check. Only when there is a build: it scans every raw table, a cost that grows with history.
            history = history_state(conn)
            remember_build_inputs(conn, context.run.run_id, fingerprint)
            # The seeds and what reads only them, left out when the last passed build ran them on
            # the same definitions today (pipelines/warehouse/reference_nodes.py says why).
            leave_out_reference = (
                not refresh_reasons
                and reference_nodes.last_signature(conn) == reference_signature
                and reference_nodes.tables_present(conn, manifest, reference)
                and not reference_nodes.tests_beside_them(manifest, reference)
            )
            if not leave_out_reference:
                # Until this build passes, the next one runs them too.
                reference_nodes.forget_signature(conn)
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
    if leave_out_reference:
        context.log.info(f"{len(reference)} reference nodes (seeds, models and tests reading only seeds) unchanged "
                         "since the last passed build today: left out of this build")
        args += ["--exclude", *reference_nodes.exclusion_selectors(manifest, reference)]
    with work_db.exclusive():
        yield from dbt.build(context, args, layoffs_dbt_project.manifest_path, TRANSLATOR)
        # Reached only when the build passed (a failing test or error raises): the requests are served.
        with work_db.get_connection() as conn:
            full_refresh_done(conn, signature, started_at, history)
            if not leave_out_reference:
                reference_nodes.remember_signature(conn, reference_signature)


# What the publish step waits for: every dbt asset but the reference ones. A build that leaves
# those out yields no output for them, and Dagster skips a step whose upstream outputs are
# missing; the publish must still run then. It still follows them through the marts built from them.
_REFERENCE_KEYS = _reference_asset_keys()
BUILT_EVERY_BUILD = [key for key in layoffs_dbt_models.keys if key not in _REFERENCE_KEYS]
