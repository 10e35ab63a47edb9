"""The work database is written with small row groups, so a run's appends leave the history's
stored pages where they are (pipelines/warehouse/connection.py says why this matters)."""

from __future__ import annotations

import gzip
from datetime import datetime

import duckdb
import jinja2
import pytest
import yaml

from conftest import REPO_ROOT
from pipelines.resources import WorkDatabase
from pipelines.warehouse import ensure_raw_schema
from pipelines.warehouse.connection import WORK_DB_ROW_GROUP_SIZE, catalog_name

PAGE_COLUMNS = "url, final_url, source_name, source_kind, content_sha256, content_type, charset, bytes, truncated, html_gzip, fetched_at"


def _store_pages(conn: duckdb.DuckDBPyConnection, first: int, count: int) -> None:
    rows = []
    for index in range(first, first + count):
        html = f"<html><body><p>Page {index} of the history, with some text to compress.</p></body></html>".encode()
        rows.append((f"https://news.example/{index}", None, "saved", "html_dir", f"{index:064x}", "text/html", "utf-8",
                     len(html), False, gzip.compress(html), datetime(2026, 12, 1, 8, 0)))
    conn.executemany(f"insert into raw.pages ({PAGE_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _row_groups(conn: duckdb.DuckDBPyConnection) -> dict[int, tuple[int, int, int]]:
    """row group id -> (rows, block id, block offset) of the stored page bodies."""
    return {
        group: (rows, block, offset)
        for group, rows, block, offset in conn.execute(
            "select row_group_id, sum(count)::int, min(block_id), min(block_offset) from pragma_storage_info('raw.pages') "
            "where column_name = 'html_gzip' and segment_type = 'BLOB' group by 1 order by 1"
        ).fetchall()
    }


def test_appends_start_small_row_groups_and_leave_the_history_unwritten(tmp_path):
    work_db = WorkDatabase(database=str(tmp_path / "warehouse.duckdb"))
    with work_db.get_connection() as conn:
        assert conn.execute("select current_database()").fetchone() == ("warehouse",)
        ensure_raw_schema(conn)
        _store_pages(conn, 0, 5000)
    with work_db.get_connection() as conn:
        history = _row_groups(conn)
    assert [rows for rows, _, _ in history.values()] == [2048, 2048, 904]

    with work_db.get_connection() as conn:
        _store_pages(conn, 5000, 10)
    with work_db.get_connection() as conn:
        after = _row_groups(conn)
        assert conn.execute("select count(*) from raw.pages").fetchone() == (5010,)
    # The two full groups are where they were; only the last, partial one was written again.
    assert after[0] == history[0] and after[1] == history[1]
    assert after[2][0] == 914
    assert WORK_DB_ROW_GROUP_SIZE == 2048


def test_a_plain_connection_would_keep_the_history_in_one_row_group(tmp_path):
    """Why the pipeline does not use duckdb.connect(path) for its writes: DuckDB's default row
    group holds 122,880 rows, so a history of 5,000 pages is one group, rewritten by every append."""
    with duckdb.connect(str(tmp_path / "plain.duckdb")) as conn:
        ensure_raw_schema(conn)
        _store_pages(conn, 0, 5000)
        conn.execute("checkpoint")
        assert [rows for rows, _, _ in _row_groups(conn).values()] == [5000]


def test_a_file_written_with_large_row_groups_is_appended_to_in_new_small_ones(tmp_path):
    """A work database from before this change needs no migration: its large group is kept whole."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        ensure_raw_schema(conn)
        _store_pages(conn, 0, 3000)
    with duckdb.connect(str(path)) as conn:
        old = _row_groups(conn)
    with WorkDatabase(database=str(path)).get_connection() as conn:
        _store_pages(conn, 3000, 10)
    with duckdb.connect(str(path), read_only=True) as conn:
        after = _row_groups(conn)
    assert after[0] == old[0] and after[0][0] == 3000
    assert after[1][0] == 10


def test_a_default_sized_writer_would_merge_the_history_back_into_one_row_group(tmp_path):
    """Why dbt and publish attach the file the same way: any write through a connection with
    DuckDB's default size ends in a checkpoint that rewrites the small groups as one."""
    path = tmp_path / "warehouse.duckdb"
    with WorkDatabase(database=str(path)).get_connection() as conn:
        ensure_raw_schema(conn)
        _store_pages(conn, 0, 5000)
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table unrelated as select 1 as one")
    with duckdb.connect(str(path), read_only=True) as conn:
        assert [rows for rows, _, _ in _row_groups(conn).values()] == [5000]


@pytest.mark.parametrize(
    ("work_db", "catalog"),
    [("data/.work/warehouse.duckdb", "warehouse"), ("/srv/layoffs/work.v2.duckdb", "work"), ("/tmp/.hidden.duckdb", "hidden")],
)
def test_dbt_attaches_the_work_database_as_the_python_steps_do(work_db, catalog):
    profile = _rendered_pipeline_profile(work_db)
    assert profile["path"] == ":memory:"
    assert profile["database"] == catalog == catalog_name(work_db)
    (attachment,) = profile["attach"]
    assert attachment == {"path": work_db, "alias": catalog, "options": {"row_group_size": WORK_DB_ROW_GROUP_SIZE}}


def test_the_catalog_name_is_the_one_duckdb_gives_the_file(tmp_path):
    for name in ("warehouse.duckdb", "work.v2.duckdb", ".hidden.duckdb"):
        path = tmp_path / name
        with duckdb.connect(str(path)) as conn:
            assert conn.execute("select current_database()").fetchone() == (catalog_name(path),)
        with WorkDatabase(database=str(path)).get_connection() as conn:
            assert conn.execute("select current_database()").fetchone() == (catalog_name(path),)


def _rendered_pipeline_profile(work_db: str) -> dict:
    """profiles.yml's `pipeline` target as dbt renders it with LAYOFFS_WORK_DB set (dbt renders
    each string value as a Jinja template; env_var is the one function this file uses)."""
    raw = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text())["layoffs"]["outputs"]["pipeline"]
    environment = jinja2.Environment()

    def env_var(name: str, default: str | None = None) -> str:
        assert name == "LAYOFFS_WORK_DB"
        return work_db

    def render(value):
        if isinstance(value, str):
            return environment.from_string(value).render(env_var=env_var)
        if isinstance(value, list):
            return [render(item) for item in value]
        if isinstance(value, dict):
            return {key: render(item) for key, item in value.items()}
        return value

    return render(raw)
