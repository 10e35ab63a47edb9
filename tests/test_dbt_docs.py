"""The warehouse documentation: `dbt docs generate` over a real run, and the analyst guide's queries.

The docs site comes from a real pipeline run on the bundled sample (see docs_site.py), so the
catalog lists the columns the models really have, not only the ones the YAML files mention.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from docs_site import REPO_ROOT, DocsSite, layer_of

pytest_plugins = ["docs_site"]

pytestmark = pytest.mark.timeout(600)

LAYERS = ("staging", "intermediate", "marts")
MARTS = (
    "fct_cuts",
    "fct_cut_sources",
    "fct_cuts_by_division_quarter",
    "fct_cuts_by_company_quarter",
    "dim_companies",
    "dim_divisions",
    "dim_quarters",
)
GUIDE = REPO_ROOT / "docs" / "analysts.md"
ANALYSES = REPO_ROOT / "dbt_project" / "analyses"


def test_every_model_has_a_description(docs_site: DocsSite):
    models = docs_site.models(*LAYERS)
    assert {layer_of(node) for node in models.values()} == set(LAYERS)
    assert {f"model.layoffs.{name}" for name in MARTS} <= set(models)
    undescribed = sorted(unique_id for unique_id, node in models.items() if not node["description"].strip())
    assert not undescribed, f"models without a description: {undescribed}"


def test_every_column_in_the_warehouse_has_a_description(docs_site: DocsSite):
    """Columns as the catalog found them in the warehouse, so a column added in SQL but not in YAML fails."""
    missing = []
    for unique_id, node in docs_site.models("staging", "marts").items():
        table = docs_site.catalog["nodes"].get(unique_id)
        assert table is not None, f"{unique_id} is not in the catalog: was it built?"
        documented = {name.lower(): column for name, column in node["columns"].items()}
        for name in table["columns"]:
            column = documented.get(name.lower())
            if column is None or not column["description"].strip():
                missing.append(f"{node['name']}.{name}")
    assert not missing, f"columns without a description: {sorted(missing)}"


def test_documented_columns_exist(docs_site: DocsSite):
    """A description of a column the model no longer has is out of date."""
    stale = []
    for unique_id, node in docs_site.models("staging", "marts").items():
        actual = {name.lower() for name in docs_site.catalog["nodes"][unique_id]["columns"]}
        stale += [f"{node['name']}.{name}" for name in node["columns"] if name.lower() not in actual]
    assert not stale, f"documented columns the warehouse does not have: {sorted(stale)}"


def test_doc_blocks_are_resolved(docs_site: DocsSite):
    """Shared definitions come from dbt_project/docs/*.md and render into the descriptions."""
    docs = docs_site.manifest["docs"]
    for name in ("cut_event", "headcount_range", "headcount_consensus", "quarter", "announced_on", "__overview__"):
        assert f"doc.layoffs.{name}" in docs, f"doc block {name} is missing"
    fct_cuts = docs_site.manifest["nodes"]["model.layoffs.fct_cuts"]
    assert docs["doc.layoffs.cut_event"]["block_contents"].strip()[:60] in fct_cuts["description"]
    assert "YYYY-Qn" in fct_cuts["columns"]["quarter"]["description"]
    for unique_id, node in docs_site.models(*LAYERS).items():
        texts = [node["description"]] + [column["description"] for column in node["columns"].values()]
        assert not any("{{" in text or "doc(" in text for text in texts), f"{unique_id} has an unrendered doc() call"


def test_exposures(docs_site: DocsSite):
    exposures = docs_site.manifest["exposures"]
    guide = exposures.get("exposure.layoffs.analyst_guide")
    report = exposures.get("exposure.layoffs.layoffs_report_command")
    assert guide is not None and report is not None, f"exposures found: {sorted(exposures)}"

    assert guide["type"] in ("analysis", "dashboard")
    assert set(guide["depends_on"]["nodes"]) == {f"model.layoffs.{name}" for name in MARTS}
    assert report["type"] == "application"
    assert report["depends_on"]["nodes"] == ["model.layoffs.fct_cuts_by_division_quarter"]
    for exposure in (guide, report):
        assert exposure["description"].strip()
        assert exposure["owner"]["name"] and exposure["owner"]["email"]


def test_tests_are_in_the_manifest(docs_site: DocsSite):
    data_tests = [node for node in docs_site.manifest["nodes"].values() if node["resource_type"] == "test"]
    assert len(data_tests) >= 25, f"only {len(data_tests)} data tests"
    assert len(docs_site.manifest["unit_tests"]) >= 3, f"only {len(docs_site.manifest['unit_tests'])} unit tests"


def test_a_hand_run_dbt_build_passes_every_data_and_unit_test(docs_site: DocsSite, tmp_path):
    """`uv run dbt build` from the root, as the README tells analysts. Scheduled runs leave unit
    tests out (see pipelines/assets/dbt.py), so this is where the SQL logic is checked.

    It builds in a development copy made from the published warehouse (profiles.yml's `dev`
    target), with an analyst's session open on the warehouse all along, and leaves that file as
    it was: it used to rebuild the analysts' file in place, and fail while anyone had it open."""
    import json
    import os
    import shutil
    import subprocess

    from docs_site import dbt_executable
    from pipelines import settings

    import hashlib

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(docs_site.warehouse, warehouse)
    published = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    development = tmp_path / "dev.duckdb"
    analyst = duckdb.connect(str(warehouse), read_only=True)
    try:
        completed = subprocess.run(
            [dbt_executable(), "build", "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
            cwd=REPO_ROOT,
            env={**os.environ, settings.WAREHOUSE_ENV: str(warehouse), "LAYOFFS_DEV_DB": str(development)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        analyst.close()
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "development copy" in completed.stdout
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == published  # the analysts' file, untouched
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    by_kind: dict[str, list[str]] = {}
    for result in results:
        by_kind.setdefault(result["unique_id"].split(".")[0], []).append(result["status"])
    assert len(by_kind["unit_test"]) == len(docs_site.manifest["unit_tests"]) >= 3
    assert len(by_kind["test"]) >= 25
    assert {status for statuses in by_kind.values() for status in statuses} <= {"pass", "success", "no-op"}
    with duckdb.connect(str(development), read_only=True) as conn:
        assert conn.execute(
            "select headcount_low, headcount_high from marts.fct_cuts_by_division_quarter "
            "where company = 'Amazon' and division = 'Physical Stores Technology' and quarter = '2024-Q2'"
        ).fetchall() == [(200, 999)]


# --- the analyst guide --------------------------------------------------------------------------


def fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def rendered_for_duckdb(analysis_sql: str) -> str:
    """An analysis as the guide prints it: `{{ ref('x') }}` becomes the schema-qualified marts.x."""
    rendered = re.sub(r"\{\{\s*ref\(\s*['\"](\w+)['\"]\s*\)\s*\}\}", r"marts.\1", analysis_sql)
    assert "{{" not in rendered, "the analysis uses Jinja beyond ref(): render it by hand in the guide"
    return rendered.strip()


def test_guide_inlines_every_analysis():
    guide = [block.strip() for block in fenced_blocks(GUIDE.read_text(encoding="utf-8"), "sql")]
    analyses = sorted(ANALYSES.glob("*.sql"))
    assert analyses
    for path in analyses:
        assert rendered_for_duckdb(path.read_text(encoding="utf-8")) in guide, (
            f"docs/analysts.md does not inline {path.name} as it is now (render ref() as marts.<model>)"
        )


def test_guide_queries_run_against_the_warehouse(docs_site: DocsSite):
    text = GUIDE.read_text(encoding="utf-8")
    queries = fenced_blocks(text, "sql")
    assert len(queries) >= len(list(ANALYSES.glob("*.sql")))
    warehouse = str(docs_site.warehouse)
    for query in queries:
        if "ATTACH 'data/warehouse.duckdb'" in query:
            # The "your own tables" example: run it in a database of its own, as the guide says.
            with duckdb.connect() as own:
                own.execute(query.replace("'data/warehouse.duckdb'", f"'{warehouse}'"))
                assert own.execute("select count(*) from big_cuts").fetchone()[0] >= 0
            continue
        with duckdb.connect(warehouse, read_only=True) as conn:
            columns = conn.execute(query).description
            assert columns, f"no result columns from:\n{query}"

    for snippet in fenced_blocks(text, "python"):
        code = snippet.replace('"data/warehouse.duckdb"', repr(warehouse))
        exec(compile(code, str(GUIDE), "exec"), {})  # noqa: S102 - our own documentation's example


def test_guide_queries_answer_on_the_sample(docs_site: DocsSite):
    """On the bundled sample, the inlined analyses all return rows (an empty answer would hide a broken join)."""
    with duckdb.connect(str(docs_site.warehouse), read_only=True) as conn:
        for path in sorted(ANALYSES.glob("*.sql")):
            rows = conn.execute(rendered_for_duckdb(path.read_text(encoding="utf-8"))).fetchall()
            assert rows, f"{path.name} returned no rows on the sample warehouse"


def test_guide_mentions_each_mart_and_make_docs():
    text = GUIDE.read_text(encoding="utf-8")
    for name in MARTS:
        assert f"marts.{name}" in text
    assert "make docs" in text and "http://127.0.0.1:8080" in text
    assert "read_only=True" in text and "duckdb -readonly data/warehouse.duckdb" in text
    assert Path(REPO_ROOT / "Makefile").read_text(encoding="utf-8").count("\ndocs:") == 1
