"""Discovery reads each saved page and each archive once: a later run skips files whose path, size
and modification time are unchanged, and reads again any file that changed."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipelines.sources import load_sources
from pipelines.steps.discover import files_already_read, list_sources, record_listing
from pipelines.warehouse import ensure_raw_schema
from test_sources_warc import crawl

PAGE = '<html><head><link rel="canonical" href="https://news.example.com/{slug}"><title>t</title></head><body>x</body></html>'


def _discover(conn, tmp_path: Path, sources_yaml: str):
    path = tmp_path / "sources.yml"
    path.write_text(sources_yaml, encoding="utf-8")
    files = files_already_read(conn)
    return record_listing(conn, list_sources(load_sources(path), files), files)


def _urls(conn) -> set[str]:
    return {url for (url,) in conn.execute("select url from raw.discovered_urls").fetchall()}


def test_saved_pages_read_once_are_skipped_until_they_change(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for slug in ("acme", "globex", "initech"):
        (folder / f"{slug}.html").write_text(PAGE.format(slug=slug), encoding="utf-8")
    conn = duckdb.connect(str(tmp_path / "work.duckdb"))
    ensure_raw_schema(conn)
    sources = "sources:\n  - {name: saved, kind: html_dir, path: pages}\n"
    first = _discover(conn, tmp_path, sources)
    assert (first.found, first.new, first.listed["saved"]) == (3, 3, 3)

    # Same size, same modification time, different canonical link: a file that is not read again
    # keeps its old URL. (A real folder of saved pages only gains files; this shows the skip.)
    acme = folder / "acme.html"
    stat = acme.stat()
    acme.write_text(PAGE.format(slug="acmx"), encoding="utf-8")
    os.utime(acme, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (folder / "hooli.html").write_text(PAGE.format(slug="hooli"), encoding="utf-8")
    second = _discover(conn, tmp_path, sources)
    # Listed counts every file (the health checks must not see an empty folder), new only hooli.
    assert (second.found, second.new, second.listed["saved"]) == (4, 1, 4)
    assert "https://news.example.com/acmx" not in _urls(conn)

    os.utime(acme, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # now it changed
    third = _discover(conn, tmp_path, sources)
    assert third.new == 1 and "https://news.example.com/acmx" in _urls(conn)
    assert conn.execute("select count(*) from pipeline_state.source_files").fetchone()[0] == 4


def test_an_archive_read_once_is_skipped_and_a_new_one_is_read(tmp_path):
    first_archive = crawl(tmp_path / "archives")
    conn = duckdb.connect(str(tmp_path / "work.duckdb"))
    ensure_raw_schema(conn)
    sources = "sources:\n  - {name: crawl, kind: warc, path: 'archives/*.warc.gz'}\n"
    first = _discover(conn, tmp_path, sources)
    assert (first.new, first.listed["crawl"]) == (2, 2)

    # Damage the first archive in place without changing its size or time: it must not be opened.
    stat = first_archive.stat()
    first_archive.write_bytes(b"\0" * stat.st_size)
    os.utime(first_archive, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = _discover(conn, tmp_path, sources)
    assert second.problems == []
    assert (second.found, second.new, second.listed["crawl"]) == (2, 0, 2)
