"""Discovery days: the unit in which URLs are listed and fetched.

A run for day D lists what the sources hold and records new URLs as discovered on D, then fetches
what is pending among URLs discovered on or before D. Backfilling a range of days replays that in
order; rerunning one day retries its transient fetch failures and nothing else. Cleaning,
extraction and the dbt models are not partitioned: they catch up on every stored page, cheaply
and offline, whichever day brought it in.

**What a past day can replay.** A feed or a sitemap lists what it holds *now*: run for a past day,
it would record today's entries as discovered on that day (and, over a backfill of a range, on
the first day of it). So live listings (`feed`, `sitemap`) are read only by runs for today or
yesterday (UTC); runs for earlier days skip them and say so. Archives and fixed lists (`warc`,
`html_dir`, `urls`) are read on any day: what they list does not depend on when they are read,
so the operator chooses the day each batch belongs to (one `warc` source per day's archives,
`layoffs run --sources ... --day D`, or a backfill in the UI over sources that fit its days).

The first day is 2022-01-01 unless `partitions: {start: YYYY-MM-DD}` in sources.yml (or
LAYOFFS_PARTITIONS_START) says otherwise; it is read when the code location loads.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import yaml

from pipelines import settings

DEFAULT_START = date(2022, 1, 1)
START_ENV = "LAYOFFS_PARTITIONS_START"
# Sources that list what they hold at the moment they are read.
LIVE_KINDS = frozenset({"feed", "sitemap"})
# How far back a run's day may be and still read live listings: yesterday's partition, run just
# after midnight UTC, still wants the morning's feeds.
LIVE_DAYS = 1


def configured_start() -> date:
    """LAYOFFS_PARTITIONS_START, else sources.yml's `partitions: start:`, else 2022-01-01."""
    from pipelines.sources.config import read_partitions_start

    explicit = os.environ.get(START_ENV)
    if explicit:
        return date.fromisoformat(explicit.strip())
    try:
        document = yaml.safe_load(settings.sources_path().read_text(encoding="utf-8")) or {}
        start = read_partitions_start(document.get("partitions")) if isinstance(document, dict) else None
    except (OSError, yaml.YAMLError, ValueError):
        start = None  # load_sources reports a bad file in plain words when a run starts
    return start or DEFAULT_START


discovery_days = dg.DailyPartitionsDefinition(
    start_date=configured_start().isoformat(), timezone="UTC", end_offset=1
)


def today_partition() -> str:
    return datetime.now(UTC).date().isoformat()


def partition_day(context: dg.AssetExecutionContext) -> date | None:
    return date.fromisoformat(context.partition_key) if context.has_partition_key else None


def day_problem(day: date) -> str | None:
    """Why `day` is no discovery day a run can use, in plain words; None when it is one."""
    first = date.fromisoformat(discovery_days.get_first_partition_key())
    last = date.fromisoformat(discovery_days.get_last_partition_key())
    if day < first:
        return (
            f"{day} is before the first discovery day, {first}. To backfill older archives, set an "
            f"earlier start in the sources file (partitions: {{start: {day}}}) or {START_ENV}={day}"
        )
    if day > last:
        return f"{day} is in the future: the last discovery day is today, {last} (UTC)"
    return None


def reads_live_listings(day: date | None) -> bool:
    """Whether a run for `day` reads feeds and sitemaps (see the module docstring)."""
    return day is None or day >= datetime.now(UTC).date() - timedelta(days=LIVE_DAYS)


def sources_for_day(config, day: date | None):
    """The sources a run for `day` reads, and the names of the live ones it leaves out."""
    if reads_live_listings(day):
        return config, []
    kept = tuple(spec for spec in config.sources if spec.kind not in LIVE_KINDS)
    left_out = [spec.name for spec in config.sources if spec.kind in LIVE_KINDS]
    return dataclasses.replace(config, sources=kept), left_out
