"""Discovery days: the unit in which URLs are listed and fetched.

A run for day D lists what the sources hold and records new URLs as discovered on D, then fetches
what is pending among URLs discovered on or before D. Backfilling a range of days replays that in
order; rerunning one day retries its transient fetch failures and nothing else. Cleaning,
extraction and the dbt models are not partitioned: they catch up on every stored page, cheaply
and offline, whichever day brought it in.
"""

from datetime import UTC, date, datetime

import dagster as dg

discovery_days = dg.DailyPartitionsDefinition(start_date="2022-01-01", timezone="UTC", end_offset=1)


def today_partition() -> str:
    return datetime.now(UTC).date().isoformat()


def partition_day(context: dg.AssetExecutionContext) -> date | None:
    return date.fromisoformat(context.partition_key) if context.has_partition_key else None
