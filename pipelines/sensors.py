"""Polling feeds between scheduled runs: a run starts as soon as a feed or sitemap lists a URL the
sensor has not seen, instead of waiting for the next morning."""

import hashlib
import json

import dagster as dg

from pipelines import settings
from pipelines.partitions import today_partition
from pipelines.sources import SourceError, discover_all, load_sources

POLLED_KINDS = ("feed", "sitemap")
# URL digests kept in the cursor: enough to cover what feeds list between two polls.
REMEMBERED_URLS = 20_000


def _digest(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


def build_feed_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_feed_entries",
        job=job,
        minimum_interval_seconds=15 * 60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Polls the feed and sitemap sources; starts a run when they list new URLs.",
    )
    def new_feed_entries(context: dg.SensorEvaluationContext):
        try:
            config = load_sources(settings.sources_path())
        except SourceError as error:
            return dg.SkipReason(f"sources file unusable: {error}")
        polled = [spec for spec in config.sources if spec.kind in POLLED_KINDS]
        if not polled:
            return dg.SkipReason("no feed or sitemap sources to poll")
        pages = discover_all(polled, config.fetch).pages
        remembered = json.loads(context.cursor) if context.cursor else []
        known = set(remembered)
        fresh = [digest for digest in dict.fromkeys(_digest(page.url) for page in pages) if digest not in known]
        if not fresh:
            return dg.SkipReason(f"{len(pages)} listed URLs, none new")
        context.update_cursor(json.dumps((remembered + fresh)[-REMEMBERED_URLS:]))
        return dg.RunRequest(
            run_key="feeds-" + hashlib.sha1("".join(fresh).encode()).hexdigest()[:16],
            partition_key=today_partition(),
            tags={"layoffs/trigger": f"{len(fresh)} new feed entries"},
        )

    return new_feed_entries
