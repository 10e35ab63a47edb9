"""Step 2: get the bytes of every discovered page not stored yet: read saved files, fetch URLs."""

from __future__ import annotations

import gzip
import hashlib
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines.fetch import FetchResult, FetchSettings, PoliteFetcher
from pipelines.fetch.charset import decode_html
from pipelines.progress import current as current_progress
from pipelines.progress import failure_kind
from pipelines.settings import work_db_memory_limit
from pipelines.sources.warc import read_record
from pipelines.warehouse import ensure_raw_schema, insert_new_rows
from pipelines.warehouse.raw_tables import FETCH_LOG, PAGES

# Errors worth another try on a later run; anything else (robots, content type, size) is final.
RETRYABLE_OUTCOME = "error"
MAX_RUNS_PER_URL = 3
COMMIT_EVERY = 50
# While fetching over the network, results are also committed at least this often, so a slow site
# does not keep finished pages waiting (and a crash loses at most this much work).
COMMIT_INTERVAL_S = 5.0
COMPRESSION_THREADS = 2
# DuckDB keeps the pages a connection appended in its buffer pool, pinned until they are
# checkpointed into the file, and the blocks it read back up to its memory limit (by default most
# of the machine's memory): a read of 20,000 pages through one connection held about 70 KB per
# page until the step ended. So the step checkpoints every CHECKPOINT_BYTES of stored pages, which
# unpins them, and caps the pool, which lets DuckDB drop what it no longer needs. The cap must stay
# well above CHECKPOINT_BYTES: pinned blocks cannot be dropped.
CHECKPOINT_BYTES = 32 * 1024 * 1024
# None: the work database connections' own limit (settings.work_db_memory_limit, LAYOFFS_WORK_DB_MEMORY).
READ_MEMORY_LIMIT: str | None = None

Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@dataclass
class FetchReport:
    wanted: int = 0
    stored: int = 0
    outcomes: Counter = field(default_factory=Counter)


def fetch_new_pages(connect: Connect, settings: FetchSettings, through: date | None = None) -> FetchReport:
    """Fetch what is still pending among the URLs discovered on or before `through` (all when None).

    Pending means never stored, never given a final answer (robots, content type, size), and tried
    fewer than MAX_RUNS_PER_URL times: a rerun of a day retries that day's transient failures.

    `connect()` opens the work database (and takes its write lock) for as long as it is open. It is
    held for the list of pending URLs, for reading saved files (fast, local) and for each batch of
    fetched pages, one short transaction at a time, but never while waiting on the network: a
    crawl of slow sites leaves other runs, `make docs` and `layoffs reprocess` free to write.
    """
    with connect() as conn:
        _bound_memory(conn)
        ensure_raw_schema(conn)
        pending = _pending(conn, through)
        report = FetchReport(wanted=len(pending))
        current_progress().set_total(len(pending))
        local = [row for row in pending if row[3]]
        source_of = {url: (source_name, kind) for url, source_name, kind, _ in pending}
        _store(lambda: nullcontext(conn), report, source_of, _read_local(local, settings.max_bytes))
    remote = [row for row in pending if not row[3]]
    if remote:
        with PoliteFetcher(settings) as fetcher:
            results = fetcher.fetch_many(url for url, *_ in remote)
            _store(connect, report, source_of, results, interval_s=COMMIT_INTERVAL_S)
    return report


def _pending(conn, through: date | None) -> list[tuple]:
    return conn.execute(
        """
        select d.url, d.source_name, d.source_kind, d.local_path
        from raw.discovered_urls d
        where not exists (select 1 from raw.pages p where p.url = d.url)
          and not exists (select 1 from raw.fetch_log f where f.url = d.url and f.outcome <> ?)
          and (select count(*) from raw.fetch_log f where f.url = d.url) < ?
          and (cast(? as date) is null or d.discovered_on <= cast(? as date))
        order by d.url
        """,
        [RETRYABLE_OUTCOME, MAX_RUNS_PER_URL, through, through],
    ).fetchall()


def _store(connect: Connect, report: FetchReport, source_of: dict, results: Iterable[FetchResult],
           interval_s: float | None = None) -> None:
    """Commit results in batches of COMMIT_EVERY, and every `interval_s` seconds when given; the
    database is opened (`connect`) only for each commit."""
    # Pages are compressed on threads (zlib lets go of the GIL) while the next ones are read or
    # fetched: compression is half the work of storing a page.
    with ThreadPoolExecutor(max_workers=COMPRESSION_THREADS, thread_name_prefix="compress") as compressor:
        pages, attempts = [], []
        last_commit = time.monotonic()
        unflushed = 0  # bytes of pages stored since the last checkpoint
        progress = current_progress()
        for result in results:
            report.outcomes[result.outcome] += 1
            progress.advance()
            if result.outcome != "ok":
                progress.fail(failure_kind(result.error, result.outcome))
            source_name, kind = source_of.get(result.url, (None, None))
            attempts.append(_attempt_row(result, source_name))
            if result.outcome == "ok" and result.html is not None:
                pages.append(compressor.submit(_page_row, result, source_name, kind))
            due = interval_s is not None and time.monotonic() - last_commit >= interval_s
            if len(attempts) >= COMMIT_EVERY or due:
                rows = [page.result() for page in pages]
                unflushed += sum(len(row["html_gzip"]) for row in rows)
                stored = _commit(connect, rows, attempts, checkpoint=unflushed >= CHECKPOINT_BYTES)
                unflushed = 0 if unflushed >= CHECKPOINT_BYTES else unflushed
                report.stored += stored
                progress.add(stored=stored)
                pages, attempts = [], []
                last_commit = time.monotonic()
        stored = _commit(connect, [page.result() for page in pages], attempts)
        report.stored += stored
        progress.add(stored=stored)


def _commit(connect: Connect, pages: list[dict], attempts: list[dict], checkpoint: bool = False) -> int:
    if not attempts:
        return 0
    with connect() as conn:
        _bound_memory(conn)
        conn.begin()
        stored = insert_new_rows(conn, PAGES, pages)
        insert_new_rows(conn, FETCH_LOG, attempts)
        conn.commit()
        if checkpoint:
            conn.execute("checkpoint")
    return stored


def _bound_memory(conn: duckdb.DuckDBPyConnection) -> None:
    # Set here as well as by the resource: the step is also given plain connections (tests, bench).
    conn.execute(f"set memory_limit = '{READ_MEMORY_LIMIT or work_db_memory_limit()}'")


def _page_row(result: FetchResult, source_name: str | None, kind: str | None) -> dict:
    encoded = result.html_utf8 if result.html_utf8 is not None else result.html.encode("utf-8")
    return {
        "url": result.url,
        "final_url": result.final_url,
        "source_name": source_name,
        "source_kind": kind,
        "content_sha256": result.content_sha256 or hashlib.sha256(encoded).hexdigest(),
        "content_type": result.content_type,
        "charset": result.charset,
        "bytes": len(encoded),
        "truncated": result.truncated,
        "html_gzip": gzip.compress(encoded, compresslevel=3),
        "fetched_at": _naive_utc(result.fetched_at),
    }


def _attempt_row(result: FetchResult, source_name: str | None) -> dict:
    return {
        "attempt_id": uuid.uuid4().hex,
        "url": result.url,
        "source_name": source_name,
        "outcome": result.outcome,
        "status": result.status,
        "error": result.error,
        "final_url": result.final_url,
        "content_type": result.content_type,
        "bytes_read": result.bytes_read,
        "truncated": result.truncated,
        "attempts": result.attempts,
        "elapsed_s": result.elapsed_s,
        "fetched_at": _naive_utc(result.fetched_at),
    }


def _read_local(rows: list[tuple], max_bytes: int) -> Iterator[FetchResult]:
    """Saved pages go through the same record as fetched ones, so later steps see one kind of page."""
    for url, _source, kind, local_path in rows:
        started = datetime.now(UTC)
        try:
            if kind == "warc":
                data = read_record(local_path, limit=max_bytes + 1)
            else:
                with open(local_path, "rb") as handle:
                    data = handle.read(max_bytes + 1)
        except OSError as error:
            yield _local_result(url, started, outcome="error", error=f"unreadable file: {error}")
            continue
        truncated = len(data) > max_bytes
        data = data[:max_bytes]
        if not data.strip():
            yield _local_result(url, started, outcome="skipped", error="empty body")
            continue
        # Saved and archived pages carry no HTTP header: the page's own meta tag or detection decides.
        html, charset = decode_html(data, None, truncated=truncated)
        yield _local_result(
            url,
            started,
            outcome="ok",
            html=html,
            bytes_read=len(data),
            truncated=truncated,
            final_url=Path(local_path.split("#")[0] if kind == "warc" else local_path).as_uri(),
            charset=charset,
        )


def _local_result(url: str, started: datetime, *, outcome: str, error: str | None = None, html: str | None = None,
                  bytes_read: int = 0, truncated: bool = False, final_url: str | None = None,
                  charset: str | None = None) -> FetchResult:
    html_utf8, content_sha256 = FetchResult.encode(html)
    return FetchResult(
        url=url,
        final_url=final_url,
        outcome=outcome,
        status=None,
        content_type="text/html" if html is not None else None,
        charset=charset,
        html=html,
        content_sha256=content_sha256,
        html_utf8=html_utf8,
        bytes_read=bytes_read,
        truncated=truncated,
        attempts=1,
        elapsed_s=(datetime.now(UTC) - started).total_seconds(),
        error=error,
        fetched_at=started,
    )


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
