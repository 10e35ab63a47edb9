"""Each source's health and the warnings an operator needs, read from the work database.

One implementation serves `layoffs status`, the Dagster asset checks of a run and the sensor that
notifies: the raw tables are read as they are now (marts.fct_source_health is the per-day history,
rebuilt with the warehouse; this module needs no dbt build to be current). Warnings:

- listing_failed: the source's last listing could not read it (a dead feed, a missing folder);
- listing_problems: it listed entries, but some of its documents could not be read;
- empty_listing: its last listing listed nothing, without an error (an empty feed or folder);
- stale_source: no new article from a feed or sitemap for `health.stale_after_days`;
- failure_rate: more than `health.max_failure_rate` of its fetches failed over `health.window_days`;
- run_found_nothing: the last run listed nothing from any source;
- source_freshness: a raw table's newest row is older than its dbt `warn_after` (freshness.py),
  judged when some source is expected to keep delivering (a feed or sitemap by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import duckdb

from pipelines.monitoring.freshness import FreshnessRule, TableFreshness, evaluate
from pipelines.monitoring.settings import SourceLimits
from pipelines.sources.config import SourcesConfig

PIPELINE = "pipeline"  # the subject of warnings about the pipeline as a whole


@dataclass(frozen=True)
class HealthWarning:
    code: str
    subject: str  # a source name, a table such as raw.articles, or "pipeline"
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class SourceHealth:
    name: str
    kind: str
    limits: SourceLimits
    first_listed_at: datetime | None = None
    last_listed_at: datetime | None = None
    last_listed: int | None = None
    last_filtered_out: int | None = None
    last_new: int | None = None
    last_problems: int | None = None
    last_error: str | None = None
    new_urls: int = 0  # in the window
    fetch_attempts: int = 0
    fetch_errors: int = 0
    top_failure: str | None = None
    last_article_at: datetime | None = None  # when the newest article's page was first listed
    articles: int = 0
    facts: int = 0
    errors: int = 0
    warnings: list[HealthWarning] = field(default_factory=list)

    @property
    def failure_rate(self) -> float | None:
        return self.fetch_errors / self.fetch_attempts if self.fetch_attempts else None


@dataclass(frozen=True)
class RunListing:
    """What one run's discovery step listed, from raw.discovery_log."""

    run_id: str | None
    day: date
    listed_at: datetime
    sources: int
    listed: int
    new_urls: int
    problems: int


@dataclass
class HealthReport:
    checked_at: datetime
    window_days: int
    sources: list[SourceHealth]
    run: RunListing | None
    freshness: list[TableFreshness]
    warnings: list[HealthWarning]
    # Table freshness is judged only when some source is expected to keep delivering (a feed or a
    # sitemap, or a source given its own stale_after_days): saved pages, URL lists and archives are
    # read once, and their tables go quiet by design.
    freshness_judged: bool = True

    def with_code(self, *codes: str) -> list[HealthWarning]:
        return [warning for warning in self.warnings if warning.code in codes]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def assess(
    conn: duckdb.DuckDBPyConnection,
    config: SourcesConfig,
    *,
    now: datetime | None = None,
    freshness_rules: Sequence[FreshnessRule] = (),
    run_id: str | None = None,
) -> HealthReport:
    """Health of every configured source, and the warnings. `run_id` picks the run whose listing
    is judged for run_found_nothing (default: the latest run that listed sources)."""
    now = now or utc_now()
    settings = config.health
    since = now - timedelta(days=settings.window_days)
    tables = _tables(conn)
    sources = [SourceHealth(spec.name, spec.kind, settings.limits_for(spec.name, spec.kind)) for spec in config.sources]
    by_name = {source.name: source for source in sources}

    if "raw.discovery_log" in tables:
        for row in conn.execute(
            """select source_name, min(listed_at), max(listed_at), arg_max(listed, listed_at),
                      arg_max(filtered_out, listed_at), arg_max(new_urls, listed_at),
                      arg_max(problems, listed_at), arg_max(error, listed_at)
               from raw.discovery_log group by source_name"""
        ).fetchall():
            if (source := by_name.get(row[0])) is not None:
                (source.first_listed_at, source.last_listed_at, source.last_listed, source.last_filtered_out,
                 source.last_new, source.last_problems, source.last_error) = row[1:]
        for name, problems in conn.execute(
            "select source_name, sum(problems) from raw.discovery_log where listed_at >= ? group by 1", [since]
        ).fetchall():
            if name in by_name:
                by_name[name].errors += int(problems or 0)
    if "raw.discovered_urls" in tables:
        for name, first_seen, new_urls in conn.execute(
            "select source_name, min(discovered_at), count(*) filter (where discovered_at >= ?) "
            "from raw.discovered_urls group by 1",
            [since],
        ).fetchall():
            if (source := by_name.get(name)) is not None:
                source.new_urls = new_urls
                # Databases from before raw.discovery_log: the first URL stands in for the first listing.
                source.first_listed_at = source.first_listed_at or first_seen
    if "raw.fetch_log" in tables:
        for name, attempts, errors, top in conn.execute(
            """select source_name, count(*), count(*) filter (where outcome = 'error'),
                      mode(error) filter (where outcome = 'error')
               from raw.fetch_log where fetched_at >= ? group by 1""",
            [since],
        ).fetchall():
            if (source := by_name.get(name)) is not None:
                source.fetch_attempts, source.fetch_errors, source.top_failure = attempts, errors, top
    if {"raw.articles", "raw.discovered_urls"} <= tables:
        for name, last, recent in conn.execute(
            """select d.source_name, max(d.discovered_at), count(*) filter (where d.discovered_at >= ?)
               from raw.articles a join raw.discovered_urls d on d.url = a.page_url group by 1""",
            [since],
        ).fetchall():
            if (source := by_name.get(name)) is not None:
                source.last_article_at, source.articles = last, recent
    if {"raw.cut_mentions", "raw.extraction_log", "raw.articles", "raw.discovered_urls"} <= tables:
        for name, facts in conn.execute(
            """with latest as (
                   select article_url, arg_max(extractor_version, extracted_at) as version
                   from raw.extraction_log group by article_url)
               select d.source_name, count(*)
               from raw.cut_mentions m
               join latest l on l.article_url = m.article_url and l.version = m.extractor_version
               join raw.articles a on a.url = m.article_url
               join raw.discovered_urls d on d.url = a.page_url
               where d.discovered_at >= ? group by 1""",
            [since],
        ).fetchall():
            if name in by_name:
                by_name[name].facts = facts
    if {"raw.cleaned_pages", "raw.pages"} <= tables:
        for name, errors in conn.execute(
            """select p.source_name, count(*) from raw.cleaned_pages c join raw.pages p on p.url = c.page_url
               where c.outcome = 'error' and c.cleaned_at >= ? group by 1""",
            [since],
        ).fetchall():
            if name in by_name:
                by_name[name].errors += errors

    if {"raw.extraction_log", "raw.articles", "raw.discovered_urls"} <= tables and _has_column(conn, "extraction_log", "outcome"):
        for name, errors in conn.execute(
            """select d.source_name, count(*) from raw.extraction_log e
               join raw.articles a on a.url = e.article_url join raw.discovered_urls d on d.url = a.page_url
               where e.outcome = 'error' and e.extracted_at >= ? group by 1""",
            [since],
        ).fetchall():
            if name in by_name:
                by_name[name].errors += errors

    run = _run_listing(conn, run_id) if "raw.discovery_log" in tables else None
    freshness = evaluate(conn, list(freshness_rules), now) if freshness_rules else []

    warnings: list[HealthWarning] = []
    if run is not None and run.listed == 0:
        warnings.append(
            HealthWarning(
                "run_found_nothing",
                PIPELINE,
                f"the run of {run.listed_at:%Y-%m-%d %H:%M} UTC (day {run.day}) listed nothing from any of its "
                f"{run.sources} source(s)" + (f"; {run.problems} could not be read" if run.problems else ""),
            )
        )
    for source in sources:
        source.warnings = _source_warnings(source, now, settings.min_fetches, settings.window_days)
        warnings.extend(source.warnings)
    judged = any(source.limits.stale_after_days is not None for source in sources)
    if judged:
        warnings.extend(
            HealthWarning("source_freshness", table.rule.qualified_name, table.describe())
            for table in freshness
            if not table.passed
        )
    return HealthReport(now, settings.window_days, sources, run, freshness, warnings, judged)


def _source_warnings(source: SourceHealth, now: datetime, min_fetches: int, window_days: int) -> list[HealthWarning]:
    warnings = []
    name = source.name
    if source.last_listed_at is not None:
        when = f"{source.last_listed_at:%Y-%m-%d %H:%M} UTC"
        if source.last_problems and not source.last_listed:
            warnings.append(
                HealthWarning("listing_failed", name, f"{name}: its last listing ({when}) could not read it: {source.last_error}")
            )
        elif source.last_problems:
            warnings.append(
                HealthWarning(
                    "listing_problems",
                    name,
                    f"{name}: its last listing ({when}) listed {source.last_listed} entries, but "
                    f"{source.last_problems} of its documents could not be read: {source.last_error}",
                )
            )
        elif not source.last_listed:
            warnings.append(
                HealthWarning(
                    "empty_listing",
                    name,
                    f"{name}: its last listing ({when}) listed nothing: an empty or dead {source.kind}",
                )
            )
    stale_days = source.limits.stale_after_days
    reference = source.last_article_at or source.first_listed_at
    if stale_days is not None and reference is not None and now - reference > timedelta(days=stale_days):
        days = (now - reference).days
        if source.last_article_at is not None:
            message = f"{name}: no new article for {days} days (the newest was listed {source.last_article_at:%Y-%m-%d})"
        else:
            message = f"{name}: no article at all since it was first listed {days} days ago"
        warnings.append(HealthWarning("stale_source", name, f"{message}; limit {stale_days} days"))
    rate = source.failure_rate
    if rate is not None and source.fetch_attempts >= min_fetches and rate > source.limits.max_failure_rate:
        warnings.append(
            HealthWarning(
                "failure_rate",
                name,
                f"{name}: {source.fetch_errors} of {source.fetch_attempts} fetches failed in the last {window_days} days "
                f"({rate:.0%}, limit {source.limits.max_failure_rate:.0%}); most often: {source.top_failure}",
            )
        )
    return warnings


def _run_listing(conn: duckdb.DuckDBPyConnection, run_id: str | None) -> RunListing | None:
    query = """select run_id, min(discovered_on), min(listed_at), count(*), sum(listed), sum(new_urls), sum(problems)
               from raw.discovery_log {where}
               group by run_id, case when run_id is null then listed_at end
               order by min(listed_at) desc limit 1"""
    if run_id is not None:
        row = conn.execute(query.format(where="where run_id = ?"), [run_id]).fetchone()
    else:
        row = conn.execute(query.format(where="")).fetchone()
    if row is None:
        return None
    return RunListing(row[0], row[1], row[2], row[3], int(row[4] or 0), int(row[5] or 0), int(row[6] or 0))


def recent_run_listings(conn: duckdb.DuckDBPyConnection, limit: int) -> list[RunListing]:
    if "raw.discovery_log" not in _tables(conn):
        return []
    rows = conn.execute(
        """select run_id, min(discovered_on), min(listed_at), count(*), sum(listed), sum(new_urls), sum(problems)
           from raw.discovery_log
           group by run_id, case when run_id is null then listed_at end
           order by min(listed_at) desc limit ?""",
        [limit],
    ).fetchall()
    return [RunListing(r[0], r[1], r[2], r[3], int(r[4] or 0), int(r[5] or 0), int(r[6] or 0)) for r in rows]


def _tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in conn.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
        ).fetchall()
    }


def _has_column(conn: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.columns where table_catalog = current_database() "
            "and table_schema = 'raw' and table_name = ? and column_name = ?",
            [table, column],
        ).fetchone()[0]
    )
