"""The Dagster code location: every asset, the job the schedule runs, and the resources."""

from __future__ import annotations

import dagster as dg

from pipelines import settings
from pipelines.assets.dbt import layoffs_dbt_models
from pipelines.assets.ingest import (
    SEED_FILE_ASSETS,
    cleaned_articles,
    discovered_urls,
    extracted_cut_facts,
    fetched_pages,
)
from pipelines.assets.publish import published_warehouse
from pipelines.monitoring.dagster_defs import build_monitoring_sensors, source_health_checks
from pipelines.resources import build_resources
from pipelines.sensors import build_feed_sensor

layoffs_job = dg.define_asset_job(
    "layoffs_job",
    selection=dg.AssetSelection.all(),
    description="Discover, fetch, clean, extract, build and test the dbt models, publish the warehouse.",
    # dagster.yaml limits runs carrying this tag to one at a time; later ones queue.
    tags={"layoffs/work_db": "exclusive"},
)

# Re-derives everything from the stored pages: no source is listed and nothing is fetched.
reprocess_job = dg.define_asset_job(
    "reprocess_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(discovered_urls, fetched_pages),
    description="Clean, extract, build and publish again from stored pages only (no network).",
    tags={"layoffs/work_db": "exclusive"},
)

daily_refresh = dg.build_schedule_from_partitioned_job(
    layoffs_job,
    name="daily_refresh",
    hour_of_day=6,
    # Running by default in a deployment (LAYOFFS_AUTOMATION=on: `make serve`, deploy/), stopped in
    # `make dev`, whose instance is thrown away, and in tests.
    default_status=(
        dg.DefaultScheduleStatus.RUNNING if settings.automation_on_by_default() else dg.DefaultScheduleStatus.STOPPED
    ),
)



def build_definitions() -> dg.Definitions:
    """Definitions bound to the paths the environment names now (the CLI and tests repoint it)."""
    # dbt runs as a subprocess and finds the work database through the environment.
    settings.point_at()
    return dg.Definitions(
        assets=[
            discovered_urls,
            fetched_pages,
            cleaned_articles,
            extracted_cut_facts,
            layoffs_dbt_models,
            published_warehouse,
            *SEED_FILE_ASSETS,
        ],
        # Health warnings (warn severity) and dbt source freshness on the raw assets (pipelines/monitoring).
        asset_checks=[source_health_checks],
        jobs=[layoffs_job, reprocess_job],
        schedules=[daily_refresh],
        sensors=[build_feed_sensor(layoffs_job), *build_monitoring_sensors([layoffs_job, reprocess_job])],
        resources=build_resources(),
    )


defs = build_definitions()


def layoffs_job_definition() -> dg.JobDefinition:
    """The job, resolved, for executors that rebuild it in other processes (see docs/scaling.md)."""
    return build_definitions().resolve_job_def("layoffs_job")
