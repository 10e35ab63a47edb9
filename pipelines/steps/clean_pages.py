"""Step 3: turn stored pages into articles (main text and metadata)."""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from pipelines.clean import clean_page
from pipelines.fetch import normalize_url
from pipelines.parallel import map_batches, worker_pool
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import ARTICLES, CLEANED_PAGES

BATCH_SIZE = 256


@dataclass
class CleanReport:
    pages: int = 0
    outcomes: Counter = field(default_factory=Counter)


def clean_new_pages(conn: duckdb.DuckDBPyConnection, workers: int | None = None) -> CleanReport:
    # Listed once, read a batch at a time: stored pages are large, their keys are not.
    pending = conn.execute(
        """
        select p.url from raw.pages p
        where not exists (
            select 1 from raw.cleaned_pages c
            where c.page_url = p.url and c.content_sha256 = p.content_sha256)
        order by p.url
        """
    ).fetchall()
    report = CleanReport(pages=len(pending))
    if not pending:
        return report
    seen_urls = {row[0] for row in conn.execute("select url from raw.articles").fetchall()}
    seen_texts = {row[0] for row in conn.execute("select text_sha256 from raw.articles").fetchall()}
    urls = [url for (url,) in pending]
    batches = (_stored_pages(conn, urls[start : start + BATCH_SIZE]) for start in range(0, len(urls), BATCH_SIZE))
    with worker_pool(len(urls), workers) as pool:
        for batch, cleaned in map_batches(pool, _clean_stored_page, batches):
            _commit_batch(conn, batch, cleaned, seen_urls, seen_texts, report)
    return report


def _stored_pages(conn, urls: list[str]) -> list[tuple]:
    return conn.execute(
        "select url, content_sha256, html_gzip from raw.pages where url in (select unnest(?)) order by url", [urls]
    ).fetchall()


def _clean_stored_page(row: tuple) -> dict | None:
    page_url, _sha, html_gzip = row
    html = gzip.decompress(html_gzip).decode("utf-8", errors="replace")
    article = clean_page(html, url=page_url if page_url.startswith("http") else None)
    if article is None:
        return None
    return {
        "url": normalize_url(article.canonical_url) if article.canonical_url else page_url,
        "title": article.title,
        "site_name": article.site_name,
        "published_on": article.published_on,
        "language": article.language,
        "text": article.text,
        "text_sha256": article.text_sha256,
    }


def _commit_batch(conn, batch, cleaned, seen_urls: set, seen_texts: set, report: CleanReport) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    articles, outcomes = [], []
    for (page_url, sha, _html), article in zip(batch, cleaned, strict=True):
        if article is None:
            outcome, article_url = "no_article", None
        elif article["url"] in seen_urls or article["text_sha256"] in seen_texts:
            # The same story under a second address, or syndicated word for word: one article.
            outcome, article_url = "duplicate", article["url"]
        else:
            outcome, article_url = "article", article["url"]
            seen_urls.add(article["url"])
            seen_texts.add(article["text_sha256"])
            articles.append({**article, "page_url": page_url, "cleaned_at": now})
        report.outcomes[outcome] += 1
        outcomes.append(
            {"page_url": page_url, "content_sha256": sha, "outcome": outcome, "article_url": article_url, "cleaned_at": now}
        )
    conn.begin()
    insert_new_rows(conn, ARTICLES, articles)
    insert_new_rows(conn, CLEANED_PAGES, outcomes)
    conn.commit()
