"""An incremental build leaves out the dbt nodes that read only seeds when nothing they depend on
changed since the last passed build that day (pipelines/warehouse/reference_nodes.py); every other
test still runs, and a full refresh runs them all."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import SAMPLE_DIR
from pipelines import settings
from pipelines.runner import run_pipeline
from pipelines.warehouse import reference_nodes

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
DBT_LOG = settings.DBT_PROJECT_DIR / "target" / "pipeline" / "dbt.log"


def _manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def test_reference_nodes_are_the_seeds_and_what_reads_only_them():
    manifest = _manifest()
    ids = reference_nodes.reference_nodes(manifest)
    nodes = manifest["nodes"]
    assert {i for i in ids if nodes[i]["resource_type"] == "seed"} == {
        i for i, node in nodes.items() if node["resource_type"] == "seed"}
    assert "model.layoffs.int_company_names" in ids
    # A model reading a seed and a raw table is not one, nor are its tests.
    assert "model.layoffs.dim_companies" not in ids
    assert not any(i.startswith("model.") and nodes[i]["name"].startswith(("stg_", "fct_")) for i in ids)
    for unique_id in ids:
        parents = nodes[unique_id].get("depends_on", {}).get("nodes", [])
        assert not any(parent.startswith("source.") for parent in parents)
    # Excluding them cannot drop a test that reads anything else.
    assert reference_nodes.tests_beside_them(manifest, ids) == []


def test_a_test_reading_a_seed_and_a_mart_keeps_the_seeds_in():
    manifest = _manifest()
    manifest["nodes"]["test.layoffs.made_up"] = {
        "resource_type": "test", "fqn": ["layoffs", "made_up"],
        "depends_on": {"nodes": ["seed.layoffs.companies", "model.layoffs.fct_cuts"]},
    }
    ids = reference_nodes.reference_nodes(manifest)
    assert reference_nodes.tests_beside_them(manifest, ids) == ["test.layoffs.made_up"]


def _last_build_nodes() -> int:
    done = [line for line in DBT_LOG.read_text(encoding="utf-8").splitlines() if "Done. PASS=" in line]
    return int(re.search(r"TOTAL=(\d+)", done[-1]).group(1))


@pytest.fixture
def pages(tmp_path, warehouse_env, monkeypatch) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "saved", "kind": "html_dir", "path": str(folder)}]}))
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    return folder


def test_a_second_build_leaves_them_out_and_a_full_refresh_runs_them(pages, warehouse_env):
    sample = sorted(SAMPLE_DIR.glob("*.html"))
    for page in sample[:5]:
        shutil.copy(page, pages / page.name)
    assert run_pipeline().success
    everything = _last_build_nodes()
    left_out = len(reference_nodes.reference_nodes(_manifest()))

    # A mark only a reload of the seed would wipe.
    work_db = settings.work_db_path()
    with duckdb.connect(str(work_db)) as conn:
        conn.execute("update reference.vague_headcounts set phrase = phrase || ' (kept)' where phrase = "
                     "(select min(phrase) from reference.vague_headcounts)")

    for page in sample[5:10]:
        shutil.copy(page, pages / page.name)
    outcome = run_pipeline()
    assert outcome.success, outcome.message
    # The publish step still runs (it waits for every dbt asset but the ones left out).
    assert "warehouse published" in outcome.message
    # Every node but the reference ones ran.
    assert _last_build_nodes() == everything - left_out
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert conn.execute("select count(*) from reference.vague_headcounts where phrase like '% (kept)'").fetchone()[0] == 1

    outcome = run_pipeline(full_refresh=True)
    assert outcome.success, outcome.message
    assert _last_build_nodes() == everything
    assert "warehouse published" in outcome.message
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert conn.execute("select count(*) from reference.vague_headcounts where phrase like '% (kept)'").fetchone()[0] == 0
