"""Step 4: extract cut facts from every article the current extractor has not read yet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from pipelines.extract import EXTRACTOR_VERSION, extract_cuts
from pipelines.parallel import map_batches, worker_pool
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import CUT_MENTIONS, EXTRACTION_LOG

BATCH_SIZE = 256


@dataclass
class ExtractReport:
    articles: int = 0
    facts: int = 0
    articles_with_facts: int = 0


def extract_new_facts(conn: duckdb.DuckDBPyConnection, workers: int | None = None) -> ExtractReport:
    pending = conn.execute(
        """
        select a.url from raw.articles a
        where not exists (
            select 1 from raw.extraction_log e
            where e.article_url = a.url and e.extractor_version = ?)
        order by a.url
        """,
        [EXTRACTOR_VERSION],
    ).fetchall()
    report = ExtractReport(articles=len(pending))
    if not pending:
        return report
    urls = [url for (url,) in pending]
    batches = (_articles(conn, urls[start : start + BATCH_SIZE]) for start in range(0, len(urls), BATCH_SIZE))
    with worker_pool(len(urls), workers) as pool:
        for batch, results in map_batches(pool, _extract_article, batches, chunksize=8):
            _commit_batch(conn, batch, results, report)
    return report


def _articles(conn, urls: list[str]) -> list[tuple]:
    return conn.execute(
        "select url, title, published_on, text from raw.articles where url in (select unnest(?)) order by url", [urls]
    ).fetchall()


def _extract_article(row: tuple) -> list[dict]:
    _url, title, published_on, text = row
    return [fact_as_row(fact) for fact in extract_cuts(text, title=title, published_on=published_on)]


def fact_as_row(fact) -> dict:
    return {
        "company": fact.company,
        "division": fact.division,
        "division_path": fact.division_path,
        "headcount_low": fact.headcount_low,
        "headcount_high": fact.headcount_high,
        "headcount_text": fact.headcount_text,
        "workforce_pct": fact.workforce_pct,
        "announced_on": fact.announced_on,
        "quarter": fact.quarter,
        "evidence": fact.evidence,
        "evidence_start": fact.evidence_start,
        "evidence_end": fact.evidence_end,
        "confidence": fact.confidence,
        "shared_headcount_group": fact.shared_headcount_group,
        "status": fact.status,
        "reason": fact.reason,
        "location": fact.location,
    }


def _commit_batch(conn, batch, results, report: ExtractReport) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    mentions, log = [], []
    for (url, *_), facts in zip(batch, results, strict=True):
        for index, fact in enumerate(facts):
            mention_key = f"{url}|{EXTRACTOR_VERSION}|{index}"
            mentions.append(
                {
                    **fact,
                    "mention_id": hashlib.sha1(mention_key.encode("utf-8")).hexdigest()[:20],
                    "article_url": url,
                    "extractor_version": EXTRACTOR_VERSION,
                    "mention_index": index,
                    "extracted_at": now,
                }
            )
        log.append({"article_url": url, "extractor_version": EXTRACTOR_VERSION, "facts": len(facts), "extracted_at": now})
        report.facts += len(facts)
        report.articles_with_facts += bool(facts)
    conn.begin()
    insert_new_rows(conn, CUT_MENTIONS, mentions)
    insert_new_rows(conn, EXTRACTION_LOG, log)
    conn.commit()
