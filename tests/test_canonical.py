"""A page's canonical link names the article only on the registrable domain the page came from.

Otherwise any page can claim another outlet's address: cleaned first, it takes that address, and
the outlet's real page is then set aside as a duplicate of it.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime

import duckdb
import pytest

from pipelines.fetch.urls import accepted_canonical, registrable_domain, same_site
from pipelines.steps.clean_pages import clean_new_pages
from pipelines.warehouse import ensure_raw_schema, insert_new_rows
from pipelines.warehouse.raw_tables import PAGES

BODY = (
    "Northwind Bank said on Tuesday it would cut 300 jobs in its mortgage unit as lending slows. "
    "The bank employs about 9,000 people and said the cuts would be completed by the end of the "
    "quarter. Executives said the savings would be reinvested in digital services. {extra}"
)


def page(canonical: str, extra: str) -> str:
    return (
        f'<html><head><title>Northwind Bank cuts 300 jobs</title><link rel="canonical" href="{canonical}"></head>'
        f"<body><article><h1>Northwind Bank cuts 300 jobs</h1><p>{BODY.format(extra=extra)}</p>"
        f"<p>{BODY.format(extra=extra)}</p></article></body></html>"
    )


def page_row(url: str, html: str, final_url: str | None = None) -> dict:
    data = html.encode("utf-8")
    return {
        "url": url, "final_url": final_url or url, "source_name": "test", "source_kind": "urls",
        "content_sha256": hashlib.sha256(data).hexdigest(), "content_type": "text/html", "charset": "utf-8",
        "bytes": len(data), "truncated": False, "html_gzip": gzip.compress(data), "fetched_at": datetime(2026, 1, 1),
    }


def test_a_spoofed_canonical_link_does_not_take_the_real_pages_identity(tmp_path):
    real_url = "https://www.realnews.com/business/northwind-cuts"
    with duckdb.connect(str(tmp_path / "work.duckdb")) as conn:
        ensure_raw_schema(conn)
        conn.begin()
        insert_new_rows(conn, PAGES, [
            # Sorted first, so it is cleaned first: a copy elsewhere claiming the outlet's address.
            page_row("https://copycat.net/northwind", page(real_url, "Copied without credit.")),
            page_row(real_url, page("https://realnews.com/business/northwind-cuts", "Reporting by our staff.")),
            # A redirect: the page came from the outlet in the end, so its canonical link counts.
            page_row("https://news.aggregator.org/r/123", page("https://www.realnews.com/story-2", "Second story."),
                     final_url="https://www.realnews.com/story-2"),
        ])
        conn.commit()
        report = clean_new_pages(conn, workers=1)
        cleaned = dict(conn.execute("select page_url, outcome from raw.cleaned_pages").fetchall())
        articles = dict(conn.execute("select page_url, url from raw.articles").fetchall())
    assert report.outcomes["article"] == 3, cleaned
    assert articles == {
        "https://copycat.net/northwind": "https://copycat.net/northwind",
        real_url: "https://realnews.com/business/northwind-cuts",
        "https://news.aggregator.org/r/123": "https://www.realnews.com/story-2",
    }


@pytest.mark.parametrize(
    ("canonical", "fetched", "kept"),
    [
        ("https://bbc.co.uk/news/1", "https://www.bbc.co.uk/news/1", True),
        ("https://www.bbc.co.uk/news/1", "https://amp.bbc.co.uk/news/1", True),
        ("https://evil.co.uk/news/1", "https://www.bbc.co.uk/news/1", False),  # co.uk is a public suffix
        ("https://bbc.co.uk.evil.com/news/1", "https://www.bbc.co.uk/news/1", False),
        ("https://alice.blogspot.com/p", "https://bob.blogspot.com/p", False),  # a private suffix too
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/a", True),  # no domain: the host must match
        ("http://127.0.0.2/a", "http://127.0.0.1/a", False),
        ("https://www.realnews.com/a", "file:///srv/saved/a.html", True),  # a saved page: nothing to compare with
        ("https://www.realnews.com/a", None, True),
        (None, "https://www.realnews.com/a", False),
    ],
)
def test_accepted_canonical(canonical, fetched, kept):
    assert accepted_canonical(canonical, fetched) == (canonical if kept else None)


def test_registrable_domains_come_from_the_public_suffix_list():
    assert registrable_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert registrable_domain("http://127.0.0.1:8000/x") is None
    assert same_site("https://WWW.Example.COM/a", "https://example.com/b")
