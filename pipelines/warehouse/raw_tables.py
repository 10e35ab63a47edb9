"""The `raw` schema: what the Python steps write and dbt reads as sources.

Each table is declared once here; the DDL and the Arrow schema used for bulk loads both come
from the declaration, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    arrow_type: pa.DataType


@dataclass(frozen=True)
class RawTable:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        return f"raw.{self.name}"

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(c.name, c.arrow_type) for c in self.columns])

    def ddl(self) -> str:
        columns = ",\n    ".join(f"{c.name} {c.sql_type}" for c in self.columns)
        key = ", ".join(self.primary_key)
        return f"create table if not exists {self.qualified_name} (\n    {columns},\n    primary key ({key})\n)"


def _c(name: str, sql_type: str) -> Column:
    arrow = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "BLOB": pa.binary(),
    }[sql_type]
    return Column(name, sql_type, arrow)


DISCOVERED_URLS = RawTable(
    "discovered_urls",
    (
        _c("url", "VARCHAR"),
        _c("source_name", "VARCHAR"),
        _c("source_kind", "VARCHAR"),
        _c("local_path", "VARCHAR"),  # saved pages and archives: where the bytes already are
        _c("title", "VARCHAR"),  # from a feed or sitemap entry, when it had one
        _c("discovered_on", "DATE"),
        _c("discovered_at", "TIMESTAMP"),
    ),
    ("url",),
)

FETCH_LOG = RawTable(
    "fetch_log",
    (
        _c("attempt_id", "VARCHAR"),
        _c("url", "VARCHAR"),
        _c("source_name", "VARCHAR"),
        _c("outcome", "VARCHAR"),  # ok | skipped | error
        _c("status", "INTEGER"),
        _c("error", "VARCHAR"),
        _c("final_url", "VARCHAR"),
        _c("content_type", "VARCHAR"),
        _c("bytes_read", "BIGINT"),
        _c("truncated", "BOOLEAN"),
        _c("attempts", "INTEGER"),
        _c("elapsed_s", "DOUBLE"),
        _c("fetched_at", "TIMESTAMP"),
    ),
    ("attempt_id",),
)

PAGES = RawTable(
    "pages",
    (
        _c("url", "VARCHAR"),
        _c("final_url", "VARCHAR"),
        _c("source_name", "VARCHAR"),
        _c("source_kind", "VARCHAR"),
        _c("content_sha256", "VARCHAR"),
        _c("content_type", "VARCHAR"),
        _c("charset", "VARCHAR"),
        _c("bytes", "BIGINT"),
        _c("truncated", "BOOLEAN"),
        # gzip keeps the stored pages about five times smaller; they are read back only to re-clean.
        _c("html_gzip", "BLOB"),
        _c("fetched_at", "TIMESTAMP"),
    ),
    ("url",),
)

CLEANED_PAGES = RawTable(
    "cleaned_pages",
    (
        _c("page_url", "VARCHAR"),
        _c("content_sha256", "VARCHAR"),
        _c("outcome", "VARCHAR"),  # article | no_article | duplicate | error (cleaning crashed)
        _c("article_url", "VARCHAR"),
        _c("cleaned_at", "TIMESTAMP"),
        _c("error", "VARCHAR"),  # why cleaning failed (outcome error): exception, timeout, dead worker
        _c("attempts", "INTEGER"),  # cleanings of this page version so far; errors retry up to a limit
    ),
    ("page_url", "content_sha256"),
)

ARTICLES = RawTable(
    "articles",
    (
        _c("url", "VARCHAR"),  # canonical URL when the page declares one, else the fetched URL
        _c("page_url", "VARCHAR"),
        _c("title", "VARCHAR"),
        _c("site_name", "VARCHAR"),
        _c("published_on", "DATE"),
        _c("language", "VARCHAR"),
        _c("text", "VARCHAR"),
        _c("text_sha256", "VARCHAR"),
        _c("cleaned_at", "TIMESTAMP"),
    ),
    ("url",),
)

CUT_MENTIONS = RawTable(
    "cut_mentions",
    (
        _c("mention_id", "VARCHAR"),
        _c("article_url", "VARCHAR"),
        _c("extractor_version", "VARCHAR"),
        _c("mention_index", "INTEGER"),
        _c("company", "VARCHAR"),
        _c("division", "VARCHAR"),
        _c("division_path", "VARCHAR"),
        _c("headcount_low", "INTEGER"),
        _c("headcount_high", "INTEGER"),
        _c("headcount_text", "VARCHAR"),
        _c("workforce_pct", "DOUBLE"),
        _c("announced_on", "DATE"),
        _c("quarter", "VARCHAR"),
        _c("evidence", "VARCHAR"),
        _c("evidence_start", "INTEGER"),
        _c("evidence_end", "INTEGER"),
        _c("confidence", "DOUBLE"),
        _c("shared_headcount_group", "INTEGER"),
        _c("status", "VARCHAR"),  # announced | planned | completed
        _c("reason", "VARCHAR"),  # Challenger-style category, 'other' when no cue
        _c("location", "VARCHAR"),  # the site as the article wrote it, when it names one
        # day | week | month | year: how much of announced_on the article gave
        _c("announced_precision", "VARCHAR"),
        # The period the cut takes effect in, as stated: its first day and day | month | quarter | year.
        _c("effective_on", "DATE"),
        _c("effective_precision", "VARCHAR"),
        # The fact of the same article (and extractor version) this fact's figure is a part of.
        _c("part_of_mention_id", "VARCHAR"),
        _c("extracted_at", "TIMESTAMP"),
    ),
    ("mention_id",),
)

# One row per source per discovery run, empty listings and failed ones included: the record that
# lets `layoffs status` and marts.fct_source_health tell a dead or empty feed from a quiet day.
DISCOVERY_LOG = RawTable(
    "discovery_log",
    (
        _c("listing_id", "VARCHAR"),
        _c("run_id", "VARCHAR"),  # the Dagster run that listed it (NULL outside Dagster)
        _c("source_name", "VARCHAR"),
        _c("source_kind", "VARCHAR"),
        _c("discovered_on", "DATE"),  # the run's discovery day (its partition)
        _c("listed", "INTEGER"),  # entries the source listed, before the keyword filter
        _c("filtered_out", "INTEGER"),  # of those, left out by the keyword filter
        _c("new_urls", "INTEGER"),  # URLs recorded in raw.discovered_urls for the first time
        _c("problems", "INTEGER"),  # documents of the source that could not be read
        _c("error", "VARCHAR"),  # the first problems' messages
        _c("listed_at", "TIMESTAMP"),
    ),
    ("listing_id",),
)

EXTRACTION_LOG = RawTable(
    "extraction_log",
    (
        _c("article_url", "VARCHAR"),
        _c("extractor_version", "VARCHAR"),
        _c("facts", "INTEGER"),
        _c("extracted_at", "TIMESTAMP"),
        _c("outcome", "VARCHAR"),  # ok | error (extraction crashed; NULL in rows older than this column: ok)
        _c("error", "VARCHAR"),  # why extraction failed: exception, timeout, dead worker
        _c("attempts", "INTEGER"),  # readings by this version so far; errors retry up to a limit
    ),
    ("article_url", "extractor_version"),
)

RAW_TABLES = (DISCOVERED_URLS, FETCH_LOG, PAGES, CLEANED_PAGES, ARTICLES, CUT_MENTIONS, EXTRACTION_LOG, DISCOVERY_LOG)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables, and add any column a newer version declares to an older database."""
    conn.execute("create schema if not exists raw")
    for table in RAW_TABLES:
        conn.execute(table.ddl())
        for column in table.columns:
            conn.execute(f"alter table {table.qualified_name} add column if not exists {column.name} {column.sql_type}")
