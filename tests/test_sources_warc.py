"""`warc` sources: HTML responses in an archive become pages the fetch step can read back."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.sources import DiscoveryOutcome, discover_all, load_sources
from pipelines.sources.warc import WarcRecordError, read_record


def run_sources(tmp_path: Path, sources_yaml: str) -> DiscoveryOutcome:
    """Write a sources file with `sources_yaml`, load it and discover (archives need no network)."""
    path = tmp_path / "sources.yml"
    path.write_text(sources_yaml, encoding="utf-8")
    return discover_all(load_sources(path).sources)


ACME = b"<html><head><title>Acme cuts 500 jobs</title></head><body><p>Acme said on Tuesday...</p></body></html>"
STORE = "<html><head><title>Globex opens a new store &amp; caf\u00e9</title></head><body>Opening day.</body></html>".encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def write_warc(path: Path, records: list[tuple[str, str, str, bytes, dict[str, str]]], compress: bool = True) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for record_type, uri, status, body, headers in records:
            http_headers = StatusAndHeaders(status, list(headers.items()), protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, record_type, payload=io.BytesIO(body), http_headers=http_headers)
            )


def crawl(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crawl-00001.warc.gz"
    write_warc(
        path,
        [
            ("response", "https://news.example.com/acme-cuts?utm_source=newsletter", "200 OK",
             ACME, {"Content-Type": "text/html; charset=utf-8"}),
            ("response", "https://news.example.com/logo.png", "200 OK", PNG, {"Content-Type": "image/png"}),
            # Sent gzip-encoded by the server; the page must come back as the page.
            ("response", "https://news.example.com/globex-store", "200 OK",
             gzip.compress(STORE), {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        ],
    )
    return path


def test_html_responses_become_pages_whose_records_read_back_as_the_bodies(tmp_path):
    archive = crawl(tmp_path / "archives")
    outcome = run_sources(tmp_path, "sources:\n  - {name: crawl, kind: warc, path: archives/crawl-00001.warc.gz}\n")
    assert outcome.problems == []
    assert [(page.url, page.title, page.source_kind) for page in outcome.pages] == [
        ("https://news.example.com/acme-cuts", "Acme cuts 500 jobs", "warc"),
        ("https://news.example.com/globex-store", "Globex opens a new store & caf\u00e9", "warc"),  # warc is not keyword-filtered
    ]
    for page in outcome.pages:
        file_part, _, offset = page.local_path.rpartition("#")
        assert file_part == str(archive.resolve()) and offset.isdigit()
    assert [read_record(page.local_path) for page in outcome.pages] == [ACME, STORE]
    assert read_record(outcome.pages[0].local_path, limit=20) == ACME[:20]


def test_a_glob_reads_every_archive_and_skips_what_is_not_an_article(tmp_path):
    crawl(tmp_path / "archives" / "a")
    (tmp_path / "archives" / "b").mkdir()
    write_warc(
        tmp_path / "archives" / "b" / "more.warc",
        [
            ("response", "https://news.example.com/missing", "404 Not Found", ACME, {"Content-Type": "text/html"}),
            ("response", "https://news.example.com/acme-cuts", "200 OK", ACME, {"Content-Type": "text/html"}),
            ("request", "https://news.example.com/hooli", "200 OK", b"", {}),
            ("response", "ftp://files.example.com/layoffs.html", "200 OK", ACME, {"Content-Type": "text/html"}),
            ("response", "https:///no-host", "200 OK", ACME, {"Content-Type": "text/html"}),
            ("response", "https://news.example.com/hooli", "200 OK", b"<html><title>Hooli</title></html>",
             {"Content-Type": "application/xhtml+xml"}),
        ],
        compress=False,  # plain .warc files work the same way
    )
    outcome = run_sources(tmp_path, "sources:\n  - {name: crawl, kind: warc, path: 'archives/**/*.warc*'}\n")
    assert [page.url for page in outcome.pages] == [
        "https://news.example.com/acme-cuts",  # first seen in a/, its re-crawl in b/ collapses into it
        "https://news.example.com/globex-store",
        "https://news.example.com/hooli",
    ]
    assert read_record(outcome.pages[2].local_path) == b"<html><title>Hooli</title></html>"
    assert [p.error for p in outcome.problems] == ["record URL 'https:///no-host': missing host"]


def test_keywords_can_be_asked_for_and_then_judge_the_page_title(tmp_path):
    crawl(tmp_path / "archives")
    outcome = run_sources(
        tmp_path, "sources:\n  - {name: crawl, kind: warc, path: archives/*.warc.gz, keywords: [cut ... jobs]}\n"
    )
    assert [page.url for page in outcome.pages] == ["https://news.example.com/acme-cuts"]
    assert outcome.skipped == {"crawl": 1}


def test_missing_archives_and_bad_references_are_reported(tmp_path):
    archive = crawl(tmp_path)
    outcome = run_sources(tmp_path, "sources:\n  - {name: crawl, kind: warc, path: 'nothing/*.warc.gz'}\n")
    assert outcome.pages == []
    assert [p.error for p in outcome.problems] == ["no WARC file found"]
    (tmp_path / "broken.warc.gz").write_bytes(b"this is not an archive")
    broken = run_sources(tmp_path, "sources:\n  - {name: crawl, kind: warc, path: broken.warc.gz}\n")
    assert broken.pages == []
    assert [(p.location, p.error) for p in broken.problems] == [
        (str(tmp_path / "broken.warc.gz"), "no HTML response records in this file")
    ]
    for reference in (f"{archive}#7", f"{archive}#x", str(archive)):
        with pytest.raises(WarcRecordError):
            read_record(reference)
    # Both are OSErrors, which the fetch step already records as "unreadable file".
    with pytest.raises(FileNotFoundError):
        read_record(f"{tmp_path / 'gone.warc'}#0")
