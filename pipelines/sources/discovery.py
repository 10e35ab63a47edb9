"""Running every source's discovery and collecting what each one found, skipped or failed on."""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime

from pipelines.fetch import FetchSettings, PoliteFetcher
from pipelines.progress import current as current_progress
from pipelines.sources.config import SourceError, SourceSpec, check_options
from pipelines.sources.file_memory import AlreadyRead, FileMemory
from pipelines.sources.relevance import filter_for, url_words

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DiscoveredPage:
    url: str
    source_name: str
    source_kind: str
    # Set when the page's bytes are already on disk: a file, or "<warc file>#<record offset>".
    local_path: str | None = None
    title: str | None = None
    # Read by the relevance filter and handed to callers, but not stored in raw.discovered_urls.
    summary: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class DiscoveryProblem:
    source_name: str
    location: str
    error: str


DiscoveryItems = Iterator[DiscoveredPage | DiscoveryProblem]

# Imported on first use: the kind modules import this one, and some pull in heavy libraries.
_KIND_MODULES = {
    "feed": "pipelines.sources.feed",
    "sitemap": "pipelines.sources.sitemap",
    "urls": "pipelines.sources.urls",
    "html_dir": "pipelines.sources.html_dir",
    "warc": "pipelines.sources.warc",
}
# These read files on disk and can skip the ones an earlier run read (pipelines/sources/file_memory.py).
FILE_KINDS = frozenset({"html_dir", "warc"})
# These download their listings, so they get the sources file's fetch settings and one shared
# fetcher: two sources on one host then share its robots.txt and its politeness delay.
NETWORK_KINDS = frozenset({"feed", "sitemap"})


@dataclass
class DiscoveryOutcome:
    pages: list[DiscoveredPage] = field(default_factory=list)
    problems: list[DiscoveryProblem] = field(default_factory=list)
    # Per source name: entries the keyword filter left out. Not problems; nothing went wrong.
    skipped: Counter[str] = field(default_factory=Counter)
    # Per source name: every entry it listed, before the keyword filter and de-duplication, so a
    # source that listed nothing (an empty or dead feed) can be told from one whose entries were
    # all filtered out or already listed by another source.
    listed: Counter[str] = field(default_factory=Counter)
    # Entries whose normalised URL an earlier entry (of any source) already had.
    duplicates: int = 0
    # Entries of saved files an earlier run read, unchanged since: not read again, URLs stored.
    already_read: int = 0

    def __iter__(self) -> Iterator[list]:
        # Callers written before the counters existed unpack `pages, problems = discover_all(...)`.
        return iter((self.pages, self.problems))


def discover_all(
    specs: Iterable[SourceSpec], fetch_settings: FetchSettings | None = None, files: FileMemory | None = None
) -> DiscoveryOutcome:
    outcome = DiscoveryOutcome()
    seen: set[str] = set()
    specs = list(specs)
    progress = current_progress()
    progress.set_total(len(specs))
    with ExitStack() as stack:
        fetcher: PoliteFetcher | None = None
        for spec in specs:
            try:
                check_options(spec.name, spec.kind, spec.options)
            except SourceError as error:
                # Specs built in code skip load_sources; they still get its checks, as a problem.
                outcome.problems.append(DiscoveryProblem(spec.name, spec.kind, f"unusable source: {error}"))
                progress.advance()
                continue
            if spec.kind in NETWORK_KINDS and fetcher is None:
                fetcher = stack.enter_context(PoliteFetcher(fetch_settings or FetchSettings()))
            _collect(spec, fetch_settings, fetcher, outcome, seen, files)
            progress.advance()  # one more source read (live progress, pipelines/progress.py)
    return outcome


def _run(spec: SourceSpec, settings: FetchSettings | None, fetcher: PoliteFetcher | None,
         files: FileMemory | None = None) -> DiscoveryItems:
    module = importlib.import_module(_KIND_MODULES[spec.kind])
    if spec.kind in NETWORK_KINDS:
        return module.discover(spec, settings, fetcher=fetcher)
    if spec.kind in FILE_KINDS and files is not None:
        return module.discover(spec, files=files)
    return module.discover(spec)


def _collect(
    spec: SourceSpec,
    settings: FetchSettings | None,
    fetcher: PoliteFetcher | None,
    outcome: DiscoveryOutcome,
    seen: set[str],
    files: FileMemory | None = None,
) -> None:
    relevant = filter_for(spec.kind, spec.options)
    skipped = 0
    outcome.listed[spec.name] += 0  # a source that lists nothing is still counted, as 0
    try:
        for item in _run(spec, settings, fetcher, files):
            if isinstance(item, DiscoveryProblem):
                outcome.problems.append(item)
                continue
            if isinstance(item, AlreadyRead):
                outcome.listed[spec.name] += item.entries
                outcome.already_read += item.entries
                continue
            outcome.listed[spec.name] += 1
            if relevant is not None and not relevant.matches(item.title, item.summary, url_words(item.url)):
                skipped += 1
            elif item.url in seen:
                outcome.duplicates += 1
            else:
                seen.add(item.url)
                outcome.pages.append(item)
                current_progress().add(urls=1)
    except Exception as error:  # one unreadable source must not stop the others
        outcome.problems.append(DiscoveryProblem(spec.name, spec.kind, f"{type(error).__name__}: {error}"))
    if skipped:
        outcome.skipped[spec.name] += skipped
        log.info("source %s: %d entries matched no keyword and were skipped", spec.name, skipped)
