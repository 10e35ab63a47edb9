"""The marts are a public interface, and dbt enforces it: every fct_ and dim_ model has an enforced
contract (each column's name and data type) and public access, so a change that drops or retypes
a column fails `dbt build` instead of breaking an analyst's query."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from docs_site import DocsSite, dbt_executable
from pipelines import settings

pytest_plugins = ["docs_site"]

REPO_ROOT = Path(__file__).resolve().parents[1]


def public_models(manifest: dict) -> dict[str, dict]:
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "layoffs"
        and node["name"].startswith(("fct_", "dim_"))
    }


def test_every_fct_and_dim_model_has_an_enforced_contract(docs_site: DocsSite):
    models = public_models(docs_site.manifest)
    assert {"fct_cuts", "fct_cut_sources", "fct_cuts_by_division_quarter", "fct_cuts_by_company_quarter",
            "dim_companies", "dim_divisions", "dim_quarters"} <= set(models)
    with duckdb.connect(str(docs_site.warehouse), read_only=True) as conn:
        for name, node in models.items():
            assert node["contract"]["enforced"] is True, f"{name}: contract not enforced"
            assert node["access"] == "public", f"{name}: access is {node['access']}"
            declared = [(column, spec.get("data_type")) for column, spec in node["columns"].items()]
            assert all(data_type for _, data_type in declared), f"{name}: a column has no data_type"
            # What the published warehouse holds is what the contract says, in its order.
            built = conn.execute(
                "select column_name, lower(data_type) from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
            assert built == [(column, data_type.lower()) for column, data_type in declared], name


@pytest.mark.timeout(600)
def test_dropping_or_retyping_a_mart_column_fails_the_build(docs_site: DocsSite, tmp_path):
    """A copy of the project in which one mart loses a column and another changes a column's type:
    `dbt run` of the two against a copy of a built warehouse fails on both contracts."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(REPO_ROOT / name, project / name)
    shutil.copytree(REPO_ROOT / "dbt_project", project / "dbt_project")
    marts = project / "dbt_project" / "models" / "marts"

    def wrap(model: str, outer_select: str) -> None:
        path = marts / f"{model}.sql"
        path.write_text(f"with original as (\n{path.read_text(encoding='utf-8')}\n)\n{outer_select}\n", encoding="utf-8")

    wrap("fct_cuts_by_company_quarter", "select * exclude (source_reports) from original")
    wrap("fct_cuts_by_division_quarter", "select * replace (cast(headcount_low as varchar) as headcount_low) from original")

    work_db = tmp_path / "work.duckdb"
    shutil.copyfile(docs_site.warehouse, work_db)
    env = {**os.environ, settings.WORK_DB_ENV: str(work_db), settings.WAREHOUSE_ENV: str(tmp_path / "unused.duckdb")}
    completed = subprocess.run(
        [dbt_executable(), "run", "--target", "pipeline", "--select", "fct_cuts_by_company_quarter",
         "fct_cuts_by_division_quarter", "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=project, env=env, capture_output=True, text=True, timeout=500,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output[-3000:]
    assert output.count("This model has an enforced contract that failed") == 2, output[-3000:]
    assert "source_reports" in output and "missing in definition" in output  # the dropped column
    assert "headcount_low" in output and "data type mismatch" in output  # the retyped one
    # The published tables were left as they were.
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert "source_reports" in {c for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_name = 'fct_cuts_by_company_quarter'"
        ).fetchall()}
