"""Polling feeds between scheduled runs: a run starts as soon as a feed or sitemap lists a URL the
pipeline has not recorded, instead of waiting for the next morning.

The tick stays cheap (pipelines/sources/poll.py): one conditional request per feed or sitemap,
no retries, a time budget inside Dagster's 60 s tick timeout, and a sitemap index is not followed.
What a changed listing holds is compared with `raw.discovered_urls`, read from the work database
(read-only, for a moment). The run does the rest: full discovery, robots, pacing, fetching. The
cursor keeps each source's HTTP validators and a short hash, a few dozen bytes per source.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from pipelines import settings
from pipelines.partitions import today_partition
from pipelines.sources import SourceError, load_sources
from pipelines.sources.poll import POLLED_KINDS, PollOutcome, poll_sources

CURSOR_VERSION = 2


class WorkDatabaseBusy(Exception):
    """A run holds the work database; the sensor looks again next tick."""


def read_cursor(cursor: str | None) -> dict[str, dict[str, str]]:
    """The per-source state in the cursor; an older cursor (a list of URL digests) counts as none."""
    if not cursor:
        return {}
    try:
        document = json.loads(cursor)
    except ValueError:
        return {}
    if isinstance(document, dict) and document.get("v") == CURSOR_VERSION:
        return document.get("sources") or {}
    return {}


def write_cursor(state: dict[str, dict[str, str]]) -> str:
    return json.dumps({"v": CURSOR_VERSION, "sources": state}, separators=(",", ":"), sort_keys=True)


def already_discovered(urls: list[str]) -> set[str]:
    """Which of `urls` the work database has recorded. Raises WorkDatabaseBusy while a run writes."""
    import duckdb

    work_db = settings.work_db_path()
    if not urls or not work_db.exists():
        return set()
    try:
        with duckdb.connect(str(work_db), read_only=True) as conn:
            exists = conn.execute(
                "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'discovered_urls'"
            ).fetchone()[0]
            if not exists:
                return set()
            rows = conn.execute("select url from raw.discovered_urls where url in (select unnest(?))", [urls]).fetchall()
    except duckdb.IOException as error:  # another process has the file open for writing
        raise WorkDatabaseBusy(str(error)) from error
    return {url for (url,) in rows}


def evaluate(previous_cursor: str | None) -> dg.SensorResult | dg.SkipReason:
    """One tick: poll, compare, and say whether a run is due (the sensor below, without Dagster's
    context, so a test can call it directly)."""
    try:
        config = load_sources(settings.sources_path())
    except SourceError as error:
        return dg.SkipReason(f"sources file unusable: {error}")
    polled = [spec for spec in config.sources if spec.kind in POLLED_KINDS]
    if not polled:
        return dg.SkipReason("no feed or sitemap sources to poll")
    outcome = poll_sources(polled, config.fetch, read_cursor(previous_cursor))
    cursor = write_cursor(outcome.state)
    changed = outcome.changed
    notes = _notes(outcome)
    if not changed:
        return dg.SensorResult(skip_reason=f"no listing changed{notes}", cursor=cursor)
    listed = sorted({page.url for source in changed for page in source.pages})
    try:
        known = already_discovered(listed)
    except WorkDatabaseBusy:
        # Keep the old cursor: the changed listings are looked at again once the run is done.
        return dg.SkipReason(f"{len(changed)} listing(s) changed, but a run is writing the work database; next tick")
    fresh = [url for url in listed if url not in known]
    unlisted = [source for source in changed if source.unlisted_children]
    if not fresh and not unlisted:
        return dg.SensorResult(skip_reason=f"{len(listed)} listed URLs, none new{notes}", cursor=cursor)
    what = f"{len(fresh)} new feed entries" + (
        f", {len(unlisted)} changed sitemap index(es)" if unlisted else ""
    )
    key_material = "\n".join(fresh + [f"{source.name}:{outcome.state.get(source.name, {})}" for source in unlisted])
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key="feeds-" + hashlib.sha1(key_material.encode()).hexdigest()[:16],
                partition_key=today_partition(),
                tags={"layoffs/trigger": what},
            )
        ],
        cursor=cursor,
    )


def _notes(outcome: PollOutcome) -> str:
    problems = [f"{source.name}: {source.problem}" for source in outcome.sources if source.problem]
    parts = []
    if problems:
        parts.append("unreadable: " + "; ".join(problems))
    if outcome.not_polled:
        parts.append("not polled this tick (time budget): " + ", ".join(outcome.not_polled))
    return (" (" + "; ".join(parts) + ")") if parts else ""


def build_feed_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_feed_entries",
        job=job,
        minimum_interval_seconds=15 * 60,
        # On in a deployment (LAYOFFS_AUTOMATION=on), stopped under `make dev` (see settings.py).
        default_status=(
            dg.DefaultSensorStatus.RUNNING if settings.automation_on_by_default() else dg.DefaultSensorStatus.STOPPED
        ),
        description=(
            "Polls the feed and sitemap sources with one conditional request each; starts a run when "
            "they list URLs the pipeline has not recorded."
        ),
    )
    def new_feed_entries(context: dg.SensorEvaluationContext):
        return evaluate(context.cursor)

    return new_feed_entries
