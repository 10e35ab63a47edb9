"""dbt's staging models are incremental: a run builds the raw rows that are new since the last
build, and `layoffs run --full-refresh` rebuilds everything from raw with the same marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import SAMPLE_DIR
from pipelines import settings
from pipelines.runner import run_pipeline

# Everything a run rebuilds from the whole history; fct_source_health counts listings per run,
# so one more run (the full refresh) changes it by design.
MARTS_COMPARED_EXCEPT = {"fct_source_health"}


@pytest.fixture
def pages(tmp_path, warehouse_env, monkeypatch) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "saved", "kind": "html_dir", "path": str(folder)}]}))
    monkeypatch.setenv(settings.SOURCES_ENV, str(sources))
    return folder


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = [name for (name,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {name: conn.execute(f'select * from marts."{name}" order by all').fetchall()
                for name in tables if name not in MARTS_COMPARED_EXCEPT}


def test_two_incremental_runs_then_a_full_refresh_give_the_same_marts(pages, warehouse_env):
    sample = sorted(SAMPLE_DIR.glob("*.html"))
    for page in sample[:25]:
        shutil.copy(page, pages / page.name)
    assert run_pipeline().success

    # A mark only a rebuild from raw would wipe: the next run must build just the new rows.
    work_db = settings.work_db_path()
    with duckdb.connect(str(work_db)) as conn:
        marked = conn.execute("select min(url) from staging.stg_pages").fetchone()[0]
        conn.execute("update staging.stg_pages set charset = 'left by the first run' where url = ?", [marked])

    for page in sample[25:]:
        shutil.copy(page, pages / page.name)
    outcome = run_pipeline()
    assert outcome.success, outcome.message
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert conn.execute("select count(*) from staging.stg_pages").fetchone()[0] == 50
        assert conn.execute("select charset from staging.stg_pages where url = ?", [marked]).fetchone()[0] == (
            "left by the first run"
        )
        assert conn.execute("select count(*) from staging.stg_articles").fetchone()[0] == conn.execute(
            "select count(*) from raw.articles").fetchone()[0]
    incremental = _marts(warehouse_env)
    assert len(incremental["fct_cuts"]) > 20

    outcome = run_pipeline(full_refresh=True)
    assert outcome.success, outcome.message
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert conn.execute("select charset from staging.stg_pages where url = ?", [marked]).fetchone()[0] != (
            "left by the first run"
        )
        # The request is served: the next run is incremental again.
        assert conn.execute("select count(*) from pipeline_state.full_refresh_requests").fetchone()[0] == 0
    assert _marts(warehouse_env) == incremental


def test_a_newer_extractor_reading_replaces_the_built_facts_of_the_one_before(pages, warehouse_env):
    page = next(p for p in sorted(SAMPLE_DIR.glob("*.html")) if "tesla" in p.name.lower())
    shutil.copy(page, pages / page.name)
    assert run_pipeline().success
    work_db = settings.work_db_path()
    with duckdb.connect(str(work_db)) as conn:
        article, old_version, old_mentions = conn.execute(
            "select article_url, any_value(extractor_version), count(*) from staging.stg_cut_mentions group by 1"
        ).fetchone()
        assert old_mentions >= 1
        # What an upgraded extractor writes when it reads the stored article again: a log row and
        # its facts under the new version, here one fact with another figure.
        conn.execute(
            "insert into raw.extraction_log (article_url, extractor_version, facts, extracted_at, outcome, attempts) "
            "values (?, 'zz-next', 1, now()::timestamp, 'ok', 1)", [article])
        conn.execute(
            "insert into raw.cut_mentions select * replace ('zz-next-0' as mention_id, 'zz-next' as extractor_version, "
            "777 as headcount_low, 777 as headcount_high, now()::timestamp as extracted_at) "
            "from raw.cut_mentions where article_url = ? and extractor_version = ? and mention_index = 0",
            [article, old_version])

    outcome = run_pipeline()
    assert outcome.success, outcome.message
    with duckdb.connect(str(work_db), read_only=True) as conn:
        # Built incrementally (no full refresh was asked for), and still only the newest reading.
        assert conn.execute("select count(*) from pipeline_state.full_refresh_requests").fetchone()[0] == 0
        assert conn.execute(
            "select extractor_version, headcount_low from staging.stg_cut_mentions where article_url = ?", [article]
        ).fetchall() == [("zz-next", 777)]
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        assert conn.execute("select company, headcount_low, headcount_high from marts.fct_cuts").fetchall() == [
            ("Tesla", 777, 777)
        ]
