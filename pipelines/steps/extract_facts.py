"""Step 4: extract cut facts from every article the current extractor has not read yet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from pipelines.extract import EXTRACTOR_VERSION, extract_cuts
from pipelines.fault_injection import poison_check
from pipelines.parallel import TaskFailed, map_batches, worker_pool
from pipelines.progress import current as current_progress
from pipelines.steps.retries import MAX_ATTEMPTS, failure_message
from pipelines.warehouse import insert_new_rows
from pipelines.warehouse.raw_tables import CUT_MENTIONS, EXTRACTION_LOG

BATCH_SIZE = 256


@dataclass
class ExtractReport:
    articles: int = 0
    facts: int = 0
    articles_with_facts: int = 0
    retried: int = 0  # articles read again after an earlier error
    errors: list[tuple[str, str]] = field(default_factory=list)  # (article URL, why) for this run's errors


def extract_new_facts(conn: duckdb.DuckDBPyConnection, workers: int | None = None) -> ExtractReport:
    # Pending: articles this extractor version has not read, or whose reading crashed fewer than
    # MAX_ATTEMPTS times (pipelines/steps/retries.py).
    pending = conn.execute(
        """
        select a.url, coalesce(e.attempts, 1) as attempts, e.outcome = 'error' as retry
        from raw.articles a
        left join raw.extraction_log e
            on e.article_url = a.url and e.extractor_version = ?
        where e.article_url is null or (e.outcome = 'error' and coalesce(e.attempts, 1) < ?)
        order by a.url
        """,
        [EXTRACTOR_VERSION, MAX_ATTEMPTS],
    ).fetchall()
    report = ExtractReport(articles=len(pending))
    progress = current_progress()
    progress.set_total(len(pending))
    if not pending:
        return report
    earlier_attempts = {url: attempts for url, attempts, retry in pending if retry}
    report.retried = len(earlier_attempts)
    urls = [url for url, _attempts, _retry in pending]
    batches = (_articles(conn, urls[start : start + BATCH_SIZE]) for start in range(0, len(urls), BATCH_SIZE))
    with worker_pool(len(urls), workers) as pool:
        for batch, results in map_batches(pool, _extract_article, batches, chunksize=8):
            errors_before = len(report.errors)
            _commit_batch(conn, batch, results, report, earlier_attempts)
            progress.advance(len(batch))
            progress.set(facts=report.facts)
            if len(report.errors) > errors_before:
                progress.fail("extraction error", len(report.errors) - errors_before)
    return report


def _articles(conn, urls: list[str]) -> list[tuple]:
    return conn.execute(
        "select url, title, published_on, text from raw.articles where url in (select unnest(?)) order by url", [urls]
    ).fetchall()


def _extract_article(row: tuple) -> list[dict]:
    _url, title, published_on, text = row
    poison_check("extract", text)  # test-only fault injection; does nothing unless a test asks
    # raise_errors: a crash is recorded as the article's `error` (and retried), not as "no facts".
    facts = extract_cuts(text, title=title, published_on=published_on, raise_errors=True)
    return [fact_as_row(fact) for fact in facts]


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
        "announced_precision": fact.announced_precision,
        "effective_on": fact.effective_on,
        "effective_precision": fact.effective_precision,
        "part_of_index": fact.part_of_index,
    }


def mention_id(url: str, index: int, version: str = EXTRACTOR_VERSION) -> str:
    """The id of the article's `index`-th fact under extractor `version`."""
    return hashlib.sha1(f"{url}|{version}|{index}".encode()).hexdigest()[:20]


def _commit_batch(conn, batch, results, report: ExtractReport, earlier_attempts: dict[str, int] | None = None) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    earlier_attempts = earlier_attempts or {}
    mentions, log = [], []
    for (url, *_), facts in zip(batch, results, strict=True):
        attempts = earlier_attempts.get(url, 0) + 1
        if isinstance(facts, TaskFailed):
            error = failure_message(facts)
            report.errors.append((url, error))
            log.append({"article_url": url, "extractor_version": EXTRACTOR_VERSION, "facts": None, "extracted_at": now,
                        "outcome": "error", "error": error, "attempts": attempts})
            continue
        for index, fact in enumerate(facts):
            whole = fact.get("part_of_index")
            mentions.append(
                {
                    **fact,
                    "mention_id": mention_id(url, index),
                    # A part names its whole by the whole's mention id (same article, same version).
                    "part_of_mention_id": mention_id(url, whole) if whole is not None else None,
                    "article_url": url,
                    "extractor_version": EXTRACTOR_VERSION,
                    "mention_index": index,
                    "extracted_at": now,
                }
            )
        log.append({"article_url": url, "extractor_version": EXTRACTOR_VERSION, "facts": len(facts), "extracted_at": now,
                    "outcome": "ok", "error": None, "attempts": attempts})
        report.facts += len(facts)
        report.articles_with_facts += bool(facts)
    conn.begin()
    # A retried article's earlier error row gives way to this attempt's, in the same transaction.
    retried = [row["article_url"] for row in log if row["article_url"] in earlier_attempts]
    if retried:
        conn.execute(
            "delete from raw.extraction_log where outcome = 'error' and extractor_version = ? "
            "and article_url in (select unnest(?))",
            [EXTRACTOR_VERSION, retried],
        )
    insert_new_rows(conn, CUT_MENTIONS, mentions)
    insert_new_rows(conn, EXTRACTION_LOG, log)
    conn.commit()
