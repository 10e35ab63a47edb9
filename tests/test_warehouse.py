import threading
from datetime import date, datetime

import duckdb
import pytest

from pipelines.warehouse import ensure_raw_schema, insert_new_rows, publish_warehouse
from pipelines.warehouse.raw_tables import ARTICLES


def article(url: str, text: str = "body") -> dict:
    return {
        "url": url,
        "page_url": url,
        "title": "t",
        "site_name": "s",
        "published_on": date(2024, 4, 4),
        "language": "en",
        "text": text,
        "text_sha256": url,
        "cleaned_at": datetime(2024, 4, 4, 12, 0),
    }


def test_insert_new_rows_adds_each_key_once(tmp_path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_raw_schema(conn)
    assert insert_new_rows(conn, ARTICLES, [article("https://a/1"), article("https://a/2"), article("https://a/1")]) == 2
    # A rerun after a crash offers the same rows again: nothing is added or changed.
    assert insert_new_rows(conn, ARTICLES, [article("https://a/1", "changed"), article("https://a/3")]) == 1
    rows = conn.execute("select url, text from raw.articles order by url").fetchall()
    assert rows == [("https://a/1", "body"), ("https://a/2", "body"), ("https://a/3", "body")]
    assert conn.execute("select published_on from raw.articles limit 1").fetchone()[0] == date(2024, 4, 4)


def test_ensure_raw_schema_is_idempotent(tmp_path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_raw_schema(conn)
    ensure_raw_schema(conn)
    tables = {row[0] for row in conn.execute("select table_name from information_schema.tables where table_schema='raw'").fetchall()}
    assert {"discovered_urls", "fetch_log", "pages", "articles", "cut_mentions", "extraction_log"} <= tables


def _make_db(path, value: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create or replace table marts_probe as select ? as v", [value])


def test_publish_replaces_the_warehouse_while_a_reader_keeps_its_snapshot(tmp_path):
    work, warehouse = tmp_path / "work.duckdb", tmp_path / "warehouse.duckdb"
    _make_db(work, 1)
    publish_warehouse(work, warehouse)
    reader = duckdb.connect(str(warehouse), read_only=True)
    assert reader.execute("select v from marts_probe").fetchone() == (1,)

    _make_db(work, 2)
    publish_warehouse(work, warehouse)  # must not be blocked by the open read-only session
    assert reader.execute("select v from marts_probe").fetchone() == (1,)  # the open session is undisturbed
    reader.close()
    with duckdb.connect(str(warehouse), read_only=True) as fresh:
        assert fresh.execute("select v from marts_probe").fetchone() == (2,)
    assert not list(tmp_path.glob(".*publishing"))


def test_publish_fails_loudly_when_the_work_database_is_missing(tmp_path):
    with pytest.raises(duckdb.Error):
        publish_warehouse(tmp_path / "missing" / "work.duckdb", tmp_path / "warehouse.duckdb")


def test_ensure_raw_schema_adds_columns_a_newer_version_declares(tmp_path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    conn.execute("create schema raw")
    conn.execute("create table raw.articles (url varchar primary key, text varchar)")
    conn.execute("insert into raw.articles values ('https://a/1', 'kept')")
    ensure_raw_schema(conn)
    columns = [row[0] for row in conn.execute("select column_name from information_schema.columns where table_name = 'articles'").fetchall()]
    assert {"title", "published_on", "text_sha256"} <= set(columns)
    assert conn.execute("select text from raw.articles").fetchall() == [("kept",)]
