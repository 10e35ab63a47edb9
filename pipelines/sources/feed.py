"""`feed`: an RSS or Atom feed (`url:`). Each entry's link becomes a page, titled by the entry."""

from __future__ import annotations

import calendar
import html
import io
import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from pipelines.fetch import FetchSettings, PoliteFetcher, is_fetchable_url, normalize_url
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage, DiscoveryItems, DiscoveryProblem
from pipelines.sources.remote import Document, Unavailable, declares_entities, download, fetcher_for

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def discover(
    spec: SourceSpec, fetch_settings: FetchSettings | None = None, *, fetcher: PoliteFetcher | None = None
) -> DiscoveryItems:
    feed_url = str(spec.options["url"])
    with fetcher_for(fetch_settings, fetcher) as client:
        try:
            document = download(client, feed_url)
        except Unavailable as error:
            yield DiscoveryProblem(spec.name, feed_url, str(error))
            return
    yield from entries(spec, document)


def entries(spec: SourceSpec, document: Document) -> DiscoveryItems:
    """The pages a downloaded feed lists (and what is wrong with it); no network."""
    feed_url = str(spec.options["url"])
    if document.truncated:
        yield DiscoveryProblem(spec.name, feed_url, "feed is larger than max_bytes; only its start was read")
    if declares_entities(document.data):
        yield DiscoveryProblem(spec.name, feed_url, "refused: the feed declares XML entities")
        return
    parsed = feedparser.parse(
        # A bytes argument would be tried as a file name (and a str as a URL) before being parsed
        # as a document; a stream is only ever read.
        io.BytesIO(document.data),
        response_headers={"content-location": document.url, "content-type": document.content_type or ""},
    )
    if not parsed.entries:
        if parsed.get("bozo"):
            yield DiscoveryProblem(spec.name, feed_url, f"not a readable feed: {parsed.get('bozo_exception')}")
        return
    for entry in parsed.entries:
        title = plain_text(entry.get("title"))
        link = _link_of(entry)
        if not link:
            yield DiscoveryProblem(spec.name, f"{feed_url} entry {title or '(untitled)'!r}", "entry has no link")
            continue
        fetchable, reason = is_fetchable_url(link)
        if not fetchable:
            yield DiscoveryProblem(spec.name, link, reason or "not fetchable")
            continue
        yield DiscoveredPage(
            url=normalize_url(link),
            source_name=spec.name,
            source_kind=spec.kind,
            title=title,
            summary=plain_text(entry.get("summary")),
            published=_published(entry),
        )


def _link_of(entry: Any) -> str | None:
    link = (entry.get("link") or "").strip()
    if link:
        return link
    # An RSS <guid isPermaLink="true"> or an Atom id may be the only address an entry has.
    identifier = (entry.get("id") or "").strip()
    return identifier if identifier.lower().startswith(("http://", "https://")) else None


def plain_text(value: str | None) -> str | None:
    """Feed titles and summaries may carry (sanitised) HTML; the filter and the table want text."""
    if not value:
        return None
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()
    return text or None


def _published(entry: Any) -> datetime | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return None
    # feedparser gives UTC struct_time; timegm reads it as UTC where mktime would use local time.
    return datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)
