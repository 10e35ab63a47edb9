import os
import threading
from datetime import date, datetime

import duckdb
import pytest

from pipelines.warehouse import ensure_raw_schema, insert_new_rows, publish_warehouse
from pipelines.warehouse.raw_tables import ARTICLES, PAGES


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
        conn.execute("create schema if not exists marts")
        conn.execute("create or replace table marts.probe as select ? as v", [value])


def test_publish_replaces_the_warehouse_while_a_reader_keeps_its_snapshot(tmp_path):
    work, warehouse = tmp_path / "work.duckdb", tmp_path / "warehouse.duckdb"
    _make_db(work, 1)
    publish_warehouse(work, warehouse)
    reader = duckdb.connect(str(warehouse), read_only=True)
    assert reader.execute("select v from marts.probe").fetchone() == (1,)

    _make_db(work, 2)
    publish_warehouse(work, warehouse)  # must not be blocked by the open read-only session
    assert reader.execute("select v from marts.probe").fetchone() == (1,)  # the open session is undisturbed
    reader.close()
    with duckdb.connect(str(warehouse), read_only=True) as fresh:
        assert fresh.execute("select v from marts.probe").fetchone() == (2,)
    assert not list(tmp_path.glob(".*publishing"))


def test_published_warehouse_holds_the_analyst_tables_without_page_bodies_or_article_text(tmp_path):
    work, warehouse = tmp_path / "work.duckdb", tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(work)) as conn:
        ensure_raw_schema(conn)
        insert_new_rows(conn, ARTICLES, [article(f"https://a/{i}", "words " * 2000) for i in range(200)])
        # Random bytes do not compress: the bodies weigh in the file what they weigh here.
        insert_new_rows(conn, PAGES, [
            {"url": f"https://a/{i}", "content_sha256": f"sha{i}", "bytes": 500_000, "html_gzip": os.urandom(500_000),
             "fetched_at": datetime(2024, 4, 4, 12, 0)} | {c.name: None for c in PAGES.columns
                                                        if c.name not in {"url", "content_sha256", "bytes", "html_gzip", "fetched_at"}}
            for i in range(200)
        ])
        conn.execute("create schema staging")
        conn.execute("create table staging.stg_articles as select url, text, text_sha256 from raw.articles")
        conn.execute("create schema reference")
        conn.execute("create table reference.companies as select 'Amazon' as company")
        conn.execute("create schema pipeline_state")
        conn.execute("create table pipeline_state.published_builds as select 'x' as fingerprint")
        conn.execute("create table main.scratch as select 1 as x")
    publish_warehouse(work, warehouse)

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = {f"{s}.{t}" for s, t in conn.execute("select table_schema, table_name from information_schema.tables").fetchall()}
        assert {"raw.pages", "raw.articles", "staging.stg_articles", "reference.companies"} <= tables
        # The pipeline's bookkeeping and stray tables are not the analysts' business.
        assert not {"pipeline_state.published_builds", "main.scratch"} & tables
        page_columns = {c for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = 'pages'").fetchall()}
        assert "html_gzip" not in page_columns and {"url", "content_sha256", "bytes", "fetched_at"} <= page_columns
        article_columns = {c for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = 'articles'").fetchall()}
        assert "text" not in article_columns and "text_sha256" in article_columns
        assert conn.execute("select count(*) from raw.pages").fetchone()[0] == 200
        # The cleaned text is a page body too: its staged copy stays behind, its hash comes along.
        staged_columns = {c for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'staging' and table_name = 'stg_articles'").fetchall()}
        assert staged_columns == {"url", "text_sha256"}
        assert conn.execute("select count(*) from staging.stg_articles").fetchone()[0] == 200
    with duckdb.connect(str(work), read_only=True) as conn:
        assert conn.execute("select count(*) from staging.stg_articles where text like 'words %'").fetchone()[0] == 200
    # 200 incompressible 500 kB pages and 200 12 kB texts stay behind: the work file is about
    # 100 MB, the warehouse only small rows.
    assert work.stat().st_size > 50_000_000
    assert warehouse.stat().st_size < 2_000_000
    assert not list(tmp_path.glob(".*publishing*"))


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
