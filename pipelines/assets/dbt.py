"""dbt models, seeds and tests as Dagster assets and asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.dbt_project import layoffs_dbt_project

class LayoffsDbtTranslator(DagsterDbtTranslator):
    """Groups dbt nodes by warehouse layer, so the asset graph reads raw -> staging -> marts."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id) or {}
        if node.get("resource_type") == "source":
            return spec
        layer = "reference" if node.get("resource_type") == "seed" else (node.get("fqn") or ["", "models"])[1]
        return spec.replace_attributes(group_name=layer)

@dbt_assets(
    manifest=layoffs_dbt_project.manifest_path,
    project=layoffs_dbt_project,
    dagster_dbt_translator=LayoffsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def layoffs_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # One `dbt build` for the whole graph: models, seeds and tests in dependency order, so a failing
    # test stops the models downstream of it and surfaces as a failed asset check.
    yield from dbt.cli(["build"], context=context).stream()
