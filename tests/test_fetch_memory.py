"""The read step's memory does not grow with the size of the run: DuckDB keeps appended pages
pinned until a checkpoint and read blocks up to its memory limit (by default most of the machine's
memory), so the read step checkpoints every CHECKPOINT_BYTES and caps the pool."""

from __future__ import annotations

import base64
import os
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb

from pipelines.fetch import FetchSettings
from pipelines.steps import fetch_pages
from pipelines.warehouse import ensure_raw_schema, insert_new_rows
from pipelines.warehouse.raw_tables import DISCOVERED_URLS

PAGES = 2500
# Random text: gzip leaves about 46 kB of each 60 kB page, so 2,500 pages are about 115 MB stored.
PAGE_TEXT_BYTES = 60_000


def test_reading_saved_pages_holds_at_most_one_connections_worth_of_pages(tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    folder.mkdir()
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for index in range(PAGES):
        path = folder / f"{index:05d}.html"
        body = base64.b64encode(os.urandom(PAGE_TEXT_BYTES * 3 // 4)).decode()
        path.write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
        rows.append({"url": f"https://news.example.com/{index}", "source_name": "saved", "source_kind": "html_dir",
                     "local_path": str(path), "title": None, "discovered_on": now.date(), "discovered_at": now})
    database = tmp_path / "work.duckdb"
    with duckdb.connect(str(database)) as conn:
        ensure_raw_schema(conn)
        insert_new_rows(conn, DISCOVERED_URLS, rows)

    # The step's settings scaled down with the test: a 64 MB cap against 115 MB of pages.
    monkeypatch.setattr(fetch_pages, "READ_MEMORY_LIMIT", "64MB")
    monkeypatch.setattr(fetch_pages, "CHECKPOINT_BYTES", 8 * 1024 * 1024)
    held_at_close: list[int] = []

    @contextmanager
    def connect():
        conn = duckdb.connect(str(database))
        try:
            yield conn
            # What DuckDB holds in memory for this connection just before it lets go of it.
            held_at_close.append(conn.execute("select sum(memory_usage_bytes) from duckdb_memory()").fetchone()[0])
        finally:
            conn.close()

    report = fetch_pages.fetch_new_pages(connect, FetchSettings())
    assert report.stored == PAGES
    with duckdb.connect(str(database), read_only=True) as conn:
        stored_bytes = conn.execute("select sum(octet_length(html_gzip)) from raw.pages").fetchone()[0]
    assert stored_bytes > 100_000_000
    # Without the cap the connection held at least all 115 MB it stored when it closed.
    assert max(held_at_close) <= 64 * 1024 * 1024, (held_at_close, stored_bytes)
