"""The Python half of the lineage: discover, fetch, clean, extract. Each writes `raw` tables in
the work database, which dbt then reads as sources (same asset keys, so one lineage graph)."""

from pathlib import Path

import dagster as dg

from pipelines.extract import EXTRACTOR_VERSION
from pipelines.extract.reference import SEED_FILES
from pipelines.partitions import discovery_days, partition_day
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.sources import SourceError, load_sources
from pipelines.steps.clean_pages import clean_new_pages
from pipelines.steps.discover import discover_pages
from pipelines.steps.extract_facts import extract_new_facts
from pipelines.steps.fetch_pages import fetch_new_pages
from pipelines.warehouse import ensure_raw_schema

GROUP = "ingest"
DISCOVERED_URLS = dg.AssetKey(["raw", "discovered_urls"])
PAGES = dg.AssetKey(["raw", "pages"])
FETCH_LOG = dg.AssetKey(["raw", "fetch_log"])
ARTICLES = dg.AssetKey(["raw", "articles"])
CLEANED_PAGES = dg.AssetKey(["raw", "cleaned_pages"])
CUT_MENTIONS = dg.AssetKey(["raw", "cut_mentions"])
EXTRACTION_LOG = dg.AssetKey(["raw", "extraction_log"])

def _load_sources(layout: PipelineLayout):
    try:
        return load_sources(Path(layout.sources_path))
    except SourceError as error:
        raise dg.Failure(description=str(error)) from error

@dg.asset(
    key=DISCOVERED_URLS,
    group_name=GROUP,
    kinds={"python", "duckdb"},
    description="Candidate pages listed by every source in sources.yml, recorded under the day they were first listed.",
    partitions_def=discovery_days,
)
def discovered_urls(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    config = _load_sources(layout)
    with work_db.get_connection() as conn:
        ensure_raw_schema(conn)
        report = discover_pages(conn, config, discovered_on=partition_day(context))
    for problem in report.problems:
        context.log.warning(f"source {problem.source_name}: {problem.location}: {problem.error}")
    return dg.MaterializeResult(
        metadata={
            "found": report.found,
            "new": report.new,
            "problems": len(report.problems),
            "filtered_out": sum(report.skipped.values()),
        }
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
    with work_db.get_connection() as conn:
        ensure_raw_schema(conn)
        report = fetch_new_pages(conn, config.fetch, through=partition_day(context))
    context.log.info(f"fetched {report.wanted} pages: {dict(report.outcomes)}")
    yield dg.MaterializeResult(asset_key=PAGES, metadata={"new_pages": report.stored})
    yield dg.MaterializeResult(
        asset_key=FETCH_LOG, metadata={"attempts": report.wanted, **{k: v for k, v in report.outcomes.items()}}
    )

@dg.multi_asset(
    specs=[
        dg.AssetSpec(ARTICLES, deps=[PAGES], description="Article text and metadata, one trafilatura call per page."),
        dg.AssetSpec(CLEANED_PAGES, deps=[PAGES], description="What cleaning made of each stored page."),
    ],
    group_name=GROUP,
)
def cleaned_articles(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    with work_db.get_connection() as conn:
        ensure_raw_schema(conn)
        report = clean_new_pages(conn, workers=layout.worker_count())
    yield dg.MaterializeResult(asset_key=ARTICLES, metadata={"new_articles": report.outcomes.get("article", 0)})
    yield dg.MaterializeResult(asset_key=CLEANED_PAGES, metadata={"pages": report.pages, **dict(report.outcomes)})

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
    group_name=GROUP,
)
def extracted_cut_facts(context: dg.AssetExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    with work_db.get_connection() as conn:
        ensure_raw_schema(conn)
        report = extract_new_facts(conn, workers=layout.worker_count())
    yield dg.MaterializeResult(
        asset_key=CUT_MENTIONS,
        metadata={"new_facts": report.facts, "extractor_version": EXTRACTOR_VERSION},
    )
    yield dg.MaterializeResult(
        asset_key=EXTRACTION_LOG,
        metadata={"articles_read": report.articles, "articles_with_facts": report.articles_with_facts},
    )
