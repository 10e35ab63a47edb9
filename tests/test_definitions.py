import dagster as dg


def test_definitions_load_with_python_and_dbt_assets_in_one_graph():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw/discovered_urls", "raw/pages", "raw/articles", "raw/cut_mentions", "warehouse"} <= keys
    # dbt assets are keyed by warehouse schema and table, as analysts name them.
    assert {
        "staging/stg_articles",
        "intermediate/int_cut_events",
        "marts/fct_cuts",
        "marts/fct_cuts_by_division_quarter",
        "marts/dim_companies",
        "reference/companies",
    } <= keys

    # dbt's source raw.articles is the very asset the cleaning step materializes.
    stg_articles = graph.get(dg.AssetKey(["staging", "stg_articles"]))
    assert dg.AssetKey(["raw", "articles"]) in stg_articles.parent_keys
    assert dg.AssetKey(["raw", "pages"]) in graph.get(dg.AssetKey(["raw", "articles"])).parent_keys
    assert dg.AssetKey(["marts", "fct_cuts"]) in graph.get(dg.AssetKey("warehouse")).parent_keys

    # dbt tests surface as asset checks.
    check_names = {check.name for check in graph.asset_check_keys}
    assert "unique_fct_cuts_cut_id" in check_names

    job = defs.resolve_job_def("layoffs_job")
    assert job is not None
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 6 * * *"
    assert job.partitions_def is not None  # discovery days
    assert defs.resolve_sensor_def("new_feed_entries").job_name == "layoffs_job"
    assert defs.resolve_job_def("reprocess_job").partitions_def is None
    assert schedule.job_name == "layoffs_job"


def test_dbt_assets_are_grouped_by_layer():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["staging", "stg_articles"])).group_name == "staging"
    assert graph.get(dg.AssetKey(["intermediate", "int_cut_events"])).group_name == "intermediate"
    assert graph.get(dg.AssetKey(["marts", "fct_cuts"])).group_name == "marts"
    assert graph.get(dg.AssetKey(["reference", "companies"])).group_name == "reference"
    assert graph.get(dg.AssetKey(["raw", "articles"])).group_name == "ingest"


def test_dagster_cli_validates_the_workspace_and_lists_python_and_dbt_assets():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    dagster = str(Path(sys.executable).with_name("dagster"))
    validate = subprocess.run([dagster, "definitions", "validate", "-w", "workspace.yaml"], cwd=root, capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "Validation successful for code location layoffs" in validate.stdout + validate.stderr
    listed = subprocess.run([dagster, "asset", "list", "-m", "pipelines.definitions"], cwd=root, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assets = set(listed.stdout.split())
    assert {"raw/articles", "raw/cut_mentions", "marts/fct_cuts_by_division_quarter", "warehouse"} <= assets
