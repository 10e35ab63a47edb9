"""Step 3: turn stored pages into articles (main text and metadata)."""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from pipelines.clean import clean_page
from pipelines.fault_injection import poison_check
from pipelines.fetch import normalize_url
from pipelines.fetch.urls import accepted_canonical
from pipelines.parallel import TaskFailed, map_batches, worker_pool
from pipelines.progress import current as current_progress
from pipelines.steps.retries import MAX_ATTEMPTS, failure_message
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import ARTICLES, CLEANED_PAGES

BATCH_SIZE = 256


@dataclass
class CleanReport:
    pages: int = 0
    outcomes: Counter = field(default_factory=Counter)
    retried: int = 0  # pages tried again after an earlier error
    errors: list[tuple[str, str]] = field(default_factory=list)  # (page URL, why) for this run's errors


def clean_new_pages(conn: duckdb.DuckDBPyConnection, workers: int | None = None) -> CleanReport:
    # Listed once, read a batch at a time: stored pages are large, their keys are not.
    # A page is pending when this version of it was never cleaned, or when cleaning crashed on it
    # fewer than MAX_ATTEMPTS times (pipelines/steps/retries.py).
    pending = conn.execute(
        """
        select p.url, coalesce(c.attempts, 1) as attempts, c.outcome = 'error' as retry
        from raw.pages p
        left join raw.cleaned_pages c
            on c.page_url = p.url and c.content_sha256 = p.content_sha256
        where c.page_url is null or (c.outcome = 'error' and coalesce(c.attempts, 1) < ?)
        order by p.url
        """,
        [MAX_ATTEMPTS],
    ).fetchall()
    report = CleanReport(pages=len(pending))
    progress = current_progress()
    progress.set_total(len(pending))
    if not pending:
        return report
    earlier_attempts = {url: attempts for url, attempts, retry in pending if retry}
    report.retried = len(earlier_attempts)
    seen_urls = {row[0] for row in conn.execute("select url from raw.articles").fetchall()}
    seen_texts = {row[0] for row in conn.execute("select text_sha256 from raw.articles").fetchall()}
    urls = [url for url, _attempts, _retry in pending]
    batches = (_stored_pages(conn, urls[start : start + BATCH_SIZE]) for start in range(0, len(urls), BATCH_SIZE))
    with worker_pool(len(urls), workers) as pool:
        for batch, cleaned in map_batches(pool, _clean_stored_page, batches):
            errors_before = len(report.errors)
            _commit_batch(conn, batch, cleaned, seen_urls, seen_texts, report, earlier_attempts)
            progress.advance(len(batch))
            progress.set(articles=report.outcomes.get("article", 0))
            if len(report.errors) > errors_before:
                progress.fail("cleaning error", len(report.errors) - errors_before)
    return report


def _stored_pages(conn, urls: list[str]) -> list[tuple]:
    return conn.execute(
        # The address the page was fetched from last (after redirects) judges its canonical link.
        "select url, content_sha256, html_gzip, final_url from raw.pages where url in (select unnest(?)) order by url",
        [urls],
    ).fetchall()


def _clean_stored_page(row: tuple) -> dict | None:
    page_url, _sha, html_gzip, final_url = row
    html = gzip.decompress(html_gzip).decode("utf-8", errors="replace")
    poison_check("clean", html)  # test-only fault injection; does nothing unless a test asks
    # A crash raises (CleaningFailed, or anything else) and is recorded as the page's `error`;
    # None means the page was read and holds no article.
    article = clean_page(html, url=page_url if page_url.startswith("http") else None, raise_errors=True)
    if article is None:
        return None
    fetched_from = final_url if (final_url or "").startswith("http") else page_url
    canonical = accepted_canonical(article.canonical_url, fetched_from)
    return {
        "url": normalize_url(canonical) if canonical else page_url,
        "title": article.title,
        "site_name": article.site_name,
        "published_on": article.published_on,
        "language": article.language,
        "text": article.text,
        "text_sha256": article.text_sha256,
    }


def _commit_batch(
    conn, batch, cleaned, seen_urls: set, seen_texts: set, report: CleanReport, earlier_attempts: dict[str, int]
) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    articles, outcomes = [], []
    for (page_url, sha, _html, _final_url), article in zip(batch, cleaned, strict=True):
        error = None
        if isinstance(article, TaskFailed):
            outcome, article_url, error = "error", None, failure_message(article)
            report.errors.append((page_url, error))
        elif article is None:
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
            {"page_url": page_url, "content_sha256": sha, "outcome": outcome, "article_url": article_url,
             "cleaned_at": now, "error": error, "attempts": earlier_attempts.get(page_url, 0) + 1}
        )
    conn.begin()
    # A retried page's earlier error row gives way to this attempt's outcome, in the same transaction.
    retried = [(row["page_url"], row["content_sha256"]) for row in outcomes if row["page_url"] in earlier_attempts]
    if retried:
        conn.execute(
            "delete from raw.cleaned_pages c using (select unnest(?) as page_url, unnest(?) as sha) r "
            "where c.page_url = r.page_url and c.content_sha256 = r.sha and c.outcome = 'error'",
            [[url for url, _ in retried], [sha for _, sha in retried]],
        )
    insert_new_rows(conn, ARTICLES, articles)
    insert_new_rows(conn, CLEANED_PAGES, outcomes)
    conn.commit()
