"""A cheap look at the feed and sitemap sources, for the sensor between scheduled runs.

One conditional GET per source (If-None-Match / If-Modified-Since with the validators the server
gave last time; a server without them is compared by a hash of the body), no retries, a short
timeout, and a time budget for the whole poll well inside Dagster's 60 s sensor tick. Nothing is
fetched beyond the listing itself: a sitemap index is not followed (that, robots-permitting page
fetches and all, is the run's job). What a poll remembers per source is a few dozen bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass, field

from pipelines.fetch import FetchSettings, PoliteFetcher
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage
from pipelines.sources.relevance import filter_for, url_words
from pipelines.sources.remote import Unavailable, download_if_changed

POLLED_KINDS = ("feed", "sitemap")
# Per request: a listing that takes longer than this is looked at again on the next tick.
POLL_TIMEOUT_S = 10.0
# For the whole poll; Dagster gives a sensor tick 60 s.
POLL_BUDGET_S = 40.0


@dataclass
class SourcePoll:
    name: str
    changed: bool = False
    pages: list[DiscoveredPage] = field(default_factory=list)  # listed now (relevant ones), when changed
    unlisted_children: int = 0  # a changed sitemap index: what it lists is only known to a run
    problem: str | None = None


@dataclass
class PollOutcome:
    sources: list[SourcePoll] = field(default_factory=list)
    state: dict[str, dict[str, str]] = field(default_factory=dict)  # per source: etag, modified, sha
    not_polled: list[str] = field(default_factory=list)  # out of time budget this tick

    @property
    def changed(self) -> list[SourcePoll]:
        return [source for source in self.sources if source.changed]


def poll_settings(settings: FetchSettings) -> FetchSettings:
    return dataclasses.replace(settings, retries=0, timeout_s=min(settings.timeout_s, POLL_TIMEOUT_S))


def poll_sources(
    specs: list[SourceSpec], settings: FetchSettings, previous: dict[str, dict[str, str]],
    budget_s: float = POLL_BUDGET_S,
) -> PollOutcome:
    """Which polled sources changed since `previous` (the state a last poll returned), and what
    the changed ones list now. A source that fails keeps its old state and counts as unchanged."""
    outcome = PollOutcome(state={name: dict(state) for name, state in previous.items()})
    started = time.monotonic()
    with PoliteFetcher(poll_settings(settings)) as fetcher:
        for spec in specs:
            if spec.kind not in POLLED_KINDS:
                continue
            if time.monotonic() - started > budget_s:
                outcome.not_polled.append(spec.name)
                continue
            outcome.sources.append(_poll_one(spec, fetcher, outcome.state))
    # Sources no longer in the file are forgotten, so the state stays the size of the file.
    names = {spec.name for spec in specs}
    outcome.state = {name: state for name, state in outcome.state.items() if name in names}
    return outcome


def _poll_one(spec: SourceSpec, fetcher: PoliteFetcher, state: dict[str, dict[str, str]]) -> SourcePoll:
    before = state.get(spec.name, {})
    url = str(spec.options["url"])
    try:
        document = download_if_changed(fetcher, url, before.get("etag"), before.get("modified"))
    except Unavailable as error:
        return SourcePoll(spec.name, problem=str(error))
    if document is None:  # 304 Not Modified
        return SourcePoll(spec.name)
    digest = hashlib.sha256(document.data).hexdigest()[:16]
    state[spec.name] = {
        key: value
        for key, value in (("etag", document.etag), ("modified", document.last_modified), ("sha", digest))
        if value
    }
    if digest == before.get("sha"):  # served again in full, but the same bytes
        return SourcePoll(spec.name)
    poll = SourcePoll(spec.name, changed=True)
    if spec.kind == "feed":
        from pipelines.sources.feed import entries

        poll.pages = [item for item in entries(spec, document) if isinstance(item, DiscoveredPage)]
    else:
        from pipelines.sources.sitemap import listed_pages

        poll.pages, poll.unlisted_children = listed_pages(spec, document.url, document.data)
    relevant = filter_for(spec.kind, spec.options)
    if relevant is not None:
        poll.pages = [page for page in poll.pages if relevant.matches(page.title, page.summary, url_words(page.url))]
    return poll
