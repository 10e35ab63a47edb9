"""The Python half of the lineage: discover, fetch, clean, extract. Each writes `raw` tables in
the work database, which dbt then reads as sources (same asset keys, so one lineage graph)."""

from pathlib import Path

import dagster as dg

from pipelines.dbt_worker.resource import let_go_of_waiting_dbt_workers
from pipelines.extract import EXTRACTOR_VERSION
from pipelines.extract.reference import SEED_FILES
from pipelines.monitoring.records import record_discovery
from pipelines.partitions import discovery_days, partition_day, sources_for_day
from pipelines.progress import step as progress_step
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.sources import SourceError, load_sources
from pipelines.steps.clean_pages import clean_new_pages
from pipelines.steps.discover import files_already_read, list_sources, record_listing
from pipelines.steps.extract_facts import extract_new_facts
from pipelines.steps.fetch_pages import fetch_new_pages
from pipelines.steps.retries import MAX_ATTEMPTS
from pipelines.warehouse import ensure_raw_schema

# From this many new URLs on, the dbt worker started with the run is better stopped than kept
# waiting: its ~130 MiB would only add to the read and clean steps' peak, which nears 1 GiB in
# runs of several thousand pages. Below it, the worker's head start (dbt imported and the project
# parsed while pages are read and cleaned) saves about 3 s of a 1,000-page run's 16.
LARGE_RUN_PAGES = 2000

GROUP = "ingest"
DISCOVERED_URLS = dg.AssetKey(["raw", "discovered_urls"])
PAGES = dg.AssetKey(["raw", "pages"])
FETCH_LOG = dg.AssetKey(["raw", "fetch_log"])
ARTICLES = dg.AssetKey(["raw", "articles"])
CLEANED_PAGES = dg.AssetKey(["raw", "cleaned_pages"])
CUT_MENTIONS = dg.AssetKey(["raw", "cut_mentions"])
EXTRACTION_LOG = dg.AssetKey(["raw", "extraction_log"])
DISCOVERY_LOG = dg.AssetKey(["raw", "discovery_log"])

def _load_sources(layout: PipelineLayout):
    try:
        return load_sources(Path(layout.sources_path))
    except SourceError as error:
        raise dg.Failure(description=str(error)) from error

@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            DISCOVERED_URLS,
            description="Candidate pages listed by every source in sources.yml, recorded under the day they were first listed.",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            DISCOVERY_LOG,
            description="What each source listed on each run, an empty or failed listing included (see pipelines/monitoring).",
            kinds={"python", "duckdb"},
        ),
    ],
    group_name=GROUP,
    partitions_def=discovery_days,
)
def discovered_urls(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    # A run for a past day does not read feeds and sitemaps: they list what they hold today, not
    # what they held then (pipelines/partitions.py says what a backfill can replay).
    config, left_out = sources_for_day(_load_sources(layout), partition_day(context))
    if left_out:
        context.log.warning(
            f"discovery day {context.partition_key} is in the past: live listings not read "
            f"({', '.join(left_out)}); only archives and fixed lists can be replayed under a past day"
        )
    # Live progress (pipelines/progress.py): sources read and URLs found, then one line with the counts.
    with progress_step("discover", log=context.log.info) as progress:
        # The sources are read before the work database is opened: its write lock is held only
        # for the short transactions that record what they listed.
        with work_db.get_connection() as conn:
            ensure_raw_schema(conn)
            files = files_already_read(conn)
        listing = list_sources(config, files)
        with work_db.get_connection() as conn:
            report = record_listing(conn, listing, files, discovered_on=partition_day(context))
            listings = record_discovery(conn, config, report, run_id=context.run.run_id, discovered_on=partition_day(context))
        progress.set(urls=report.found, new_urls=report.new)
        if report.problems:
            progress.fail("source problem", len(report.problems))
    for problem in report.problems:
        context.log.warning(f"source {problem.source_name}: {problem.location}: {problem.error}")
    if report.new >= LARGE_RUN_PAGES and let_go_of_waiting_dbt_workers():
        context.log.info(
            f"{report.new} new URLs to read and clean: the dbt worker waiting since the run started was stopped"
            " to keep its memory out of their peak; the dbt step starts its own"
        )
    for listing in listings:
        if not listing["listed"]:
            context.log.warning(f"source {listing['source_name']} listed nothing" + (f": {listing['error']}" if listing["error"] else ""))
    yield dg.MaterializeResult(
        asset_key=DISCOVERED_URLS,
        metadata={
            "found": report.found,
            "new": report.new,
            "problems": len(report.problems),
            "filtered_out": sum(report.skipped.values()),
        },
    )
    yield dg.MaterializeResult(
        asset_key=DISCOVERY_LOG,
        metadata={
            "sources": len(listings),
            "listed": sum(listing["listed"] for listing in listings),
            "empty_listings": sum(1 for listing in listings if not listing["listed"]),
        },
    )

@dg.multi_asset(
    specs=[
        dg.AssetSpec(PAGES, deps=[DISCOVERED_URLS], description="Raw pages, stored once so every later step can rerun offline."),
        dg.AssetSpec(FETCH_LOG, deps=[DISCOVERED_URLS], description="Every fetch or file read and its outcome."),
    ],
    group_name=GROUP,
    partitions_def=discovery_days,
)
def fetched_pages(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    config = _load_sources(layout)
    # Not inside one connection: the step opens the work database (and its write lock) only to
    # list what is pending and to commit each batch, never while it waits on the network.
    with progress_step("fetch", log=context.log.info) as progress:  # pages i/N, rate, ETA, failures by kind
        report = fetch_new_pages(work_db.get_connection, config.fetch, through=partition_day(context))
        progress.set(stored=report.stored)
    context.log.info(f"fetched {report.wanted} pages: {dict(report.outcomes)}")
    if report.stored >= LARGE_RUN_PAGES and let_go_of_waiting_dbt_workers():
        # Pages left pending by earlier runs, which discovery did not count as new.
        context.log.info(
            f"{report.stored} pages to clean: the dbt worker waiting since the run started was stopped to keep"
            " its memory out of the cleaning's peak; the dbt step starts its own"
        )
    yield dg.MaterializeResult(asset_key=PAGES, metadata={"new_pages": report.stored})
    yield dg.MaterializeResult(
        asset_key=FETCH_LOG, metadata={"attempts": report.wanted, **{k: v for k, v in report.outcomes.items()}}
    )

# Crashes while cleaning or extracting (an exception, the per-page time limit, a dead worker) are
# recorded as `error` and retried by later runs (pipelines/steps/retries.py). Above this share of
# a run's pages or articles, the error-rate checks below warn: the run still publishes.
ERROR_RATE_WARN_ABOVE = 0.05


def _error_rate_check(
    context: dg.AssetExecutionContext, name: str, asset_key: dg.AssetKey, processed: int,
    errors: list[tuple[str, str]], gave_up: int, what: str,
) -> dg.AssetCheckResult:
    for url, why in errors[:20]:
        context.log.warning(f"{what} failed on {url}: {why}")
    rate = len(errors) / processed if processed else 0.0
    return dg.AssetCheckResult(
        check_name=name,
        asset_key=asset_key,
        passed=rate <= ERROR_RATE_WARN_ABOVE,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(errors)} of {processed} {what} attempts this run failed ({rate:.0%})",
        metadata={
            "errors": len(errors),
            "attempted": processed,
            "error_rate": round(rate, 4),
            "warn_above": ERROR_RATE_WARN_ABOVE,
            "given_up": gave_up,  # errors that used up their retries, all runs
            "first_errors": "\n".join(f"{url}: {why}" for url, why in errors[:5]),
        },
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(ARTICLES, deps=[PAGES], description="Article text and metadata, one trafilatura call per page."),
        dg.AssetSpec(CLEANED_PAGES, deps=[PAGES], description="What cleaning made of each stored page."),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "cleaning_error_rate", asset=CLEANED_PAGES,
            description=f"Warns when cleaning crashed on more than {ERROR_RATE_WARN_ABOVE:.0%} of the pages a run cleaned.",
        )
    ],
    group_name=GROUP,
)
def cleaned_articles(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    with progress_step("clean", log=context.log.info) as progress, work_db.get_connection() as conn:
        ensure_raw_schema(conn)
        report = clean_new_pages(conn, workers=layout.worker_count())
        progress.set(articles=report.outcomes.get("article", 0))
        gave_up = conn.execute(
            "select count(*) from raw.cleaned_pages where outcome = 'error' and coalesce(attempts, 1) >= ?", [MAX_ATTEMPTS]
        ).fetchone()[0]
    yield dg.MaterializeResult(asset_key=ARTICLES, metadata={"new_articles": report.outcomes.get("article", 0)})
    yield dg.MaterializeResult(
        asset_key=CLEANED_PAGES,
        metadata={"pages": report.pages, **dict(report.outcomes), "error": report.outcomes.get("error", 0),
                  "retried": report.retried, "errors_given_up": gave_up},
    )
    yield _error_rate_check(context, "cleaning_error_rate", CLEANED_PAGES, report.pages, report.errors, gave_up, "cleaning")

# The seed files the extraction rules read, as assets of their own: a change to one is a change
# upstream of every fact (and, through the extractor version, re-extracts stored articles).
SEED_FILE_ASSETS = [
    dg.AssetSpec(
        dg.AssetKey(["seed_files", name.removesuffix(".csv")]),
        group_name="reference",
        description=f"dbt_project/seeds/{name}, read by the extractor and loaded by dbt.",
        kinds={"csv"},
    )
    for name in SEED_FILES
]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(CUT_MENTIONS, deps=[ARTICLES, *(spec.key for spec in SEED_FILE_ASSETS)],
                     description="Cut facts found in each article, with evidence.", code_version=EXTRACTOR_VERSION),
        dg.AssetSpec(EXTRACTION_LOG, deps=[ARTICLES], description="Which extractor version read which article.",
                     code_version=EXTRACTOR_VERSION),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "extraction_error_rate", asset=EXTRACTION_LOG,
            description=f"Warns when extraction crashed on more than {ERROR_RATE_WARN_ABOVE:.0%} of the articles a run read.",
        )
    ],
    group_name=GROUP,
)
def extracted_cut_facts(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    with progress_step("extract", log=context.log.info) as progress, work_db.get_connection() as conn:
        ensure_raw_schema(conn)
        report = extract_new_facts(conn, workers=layout.worker_count())
        progress.set(facts=report.facts)
        gave_up = conn.execute(
            "select count(*) from raw.extraction_log where outcome = 'error' and coalesce(attempts, 1) >= ? "
            "and extractor_version = ?",
            [MAX_ATTEMPTS, EXTRACTOR_VERSION],
        ).fetchone()[0]
    yield dg.MaterializeResult(
        asset_key=CUT_MENTIONS,
        metadata={"new_facts": report.facts, "extractor_version": EXTRACTOR_VERSION},
    )
    yield dg.MaterializeResult(
        asset_key=EXTRACTION_LOG,
        metadata={"articles_read": report.articles, "articles_with_facts": report.articles_with_facts,
                  "errors": len(report.errors), "retried": report.retried, "errors_given_up": gave_up},
    )
    yield _error_rate_check(
        context, "extraction_error_rate", EXTRACTION_LOG, report.articles, report.errors, gave_up, "extraction"
    )
