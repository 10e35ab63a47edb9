"""`sitemap`: a sitemap, sitemap index or Google News sitemap (`url:`), plain or gzipped.

Indexes are followed breadth-first, newest child first when they say when they changed, at most
`MAX_DEPTH` documents deep and `max_sitemaps` documents in all (default 50): a large news site's
index lists thousands of daily sitemaps, and a hostile one can list itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from pipelines.fetch import FetchSettings, PoliteFetcher, is_fetchable_url, normalize_url
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage, DiscoveryItems, DiscoveryProblem
from pipelines.sources.remote import Unavailable, declares_entities, download, fetcher_for

MAX_DEPTH = 3  # the sitemap named in the source is depth 1
DEFAULT_MAX_SITEMAPS = 50
_CHUNK = 64 * 1024


class SitemapError(Exception):
    """The document is not a sitemap this module can read safely."""


@dataclass(frozen=True)
class UrlEntry:
    loc: str
    title: str | None = None  # news:title
    keywords: str | None = None  # news:keywords
    published: datetime | None = None  # news:publication_date


@dataclass(frozen=True)
class ChildSitemap:
    loc: str
    lastmod: datetime | None = None


def discover(
    spec: SourceSpec, fetch_settings: FetchSettings | None = None, *, fetcher: PoliteFetcher | None = None
) -> DiscoveryItems:
    root = normalize_url(str(spec.options["url"]))
    limit = int(spec.options.get("max_sitemaps", DEFAULT_MAX_SITEMAPS))
    budget = limit
    waiting: deque[tuple[str, int]] = deque([(root, 1)])
    queued = {root}
    with fetcher_for(fetch_settings, fetcher) as client:
        while waiting and budget > 0:
            sitemap_url, depth = waiting.popleft()
            budget -= 1
            children: list[ChildSitemap] = []
            for item in _read_one(spec, client, sitemap_url):
                if isinstance(item, DiscoveryProblem):
                    yield item
                elif isinstance(item, ChildSitemap):
                    children.append(item)
                else:
                    yield _page(spec, item, sitemap_url)
            if children and depth >= MAX_DEPTH:
                deeper = f"not followed: {len(children)} child sitemap(s) deeper than {MAX_DEPTH} levels"
                yield DiscoveryProblem(spec.name, sitemap_url, deeper)
                continue
            for child in _newest_first(children):
                child_url = normalize_url(urljoin(sitemap_url, child.loc))
                if child_url not in queued:
                    queued.add(child_url)
                    waiting.append((child_url, depth + 1))
    if waiting:
        yield DiscoveryProblem(spec.name, root, f"not read: {len(waiting)} more sitemap(s) past max_sitemaps ({limit})")


def listed_pages(spec: SourceSpec, document_url: str, data: bytes) -> tuple[list[DiscoveredPage], int]:
    """The pages one downloaded sitemap lists, and how many child sitemaps it names (an index); no
    network. Entries after a parse error are lost, as in `discover`."""
    pages: list[DiscoveredPage] = []
    children = 0
    try:
        for entry in parse_sitemap(data):
            if isinstance(entry, ChildSitemap):
                children += 1
                continue
            page = _page(spec, entry, document_url)
            if isinstance(page, DiscoveredPage):
                pages.append(page)
    except SitemapError:
        pass
    return pages, children


def _read_one(
    spec: SourceSpec, client: PoliteFetcher, url: str
) -> Iterator[UrlEntry | ChildSitemap | DiscoveryProblem]:
    try:
        document = download(client, url)
    except Unavailable as error:
        yield DiscoveryProblem(spec.name, url, str(error))
        return
    if document.truncated:
        cut = "sitemap is larger than max_bytes; only the entries before the cut were read"
        yield DiscoveryProblem(spec.name, url, cut)
    try:
        yield from parse_sitemap(document.data)
    except SitemapError as error:
        yield DiscoveryProblem(spec.name, url, str(error))


def parse_sitemap(data: bytes) -> Iterator[UrlEntry | ChildSitemap]:
    """Entries in document order; raises SitemapError after the last good one.

    Parsed incrementally so that a sitemap cut at max_bytes still yields what came before the cut,
    and with entity substitution, DTD loading and network access off.
    """
    if declares_entities(data):
        raise SitemapError("refused: the sitemap declares XML entities")
    parser = etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    root_name: str | None = None
    try:
        for start in range(0, len(data), _CHUNK):
            parser.feed(data[start : start + _CHUNK])
            for event, element in parser.read_events():
                name = etree.QName(element).localname if isinstance(element.tag, str) else ""
                if event == "start":
                    if root_name is None:
                        root_name = name
                        if name not in ("urlset", "sitemapindex"):
                            raise SitemapError(f"not a sitemap: the document is a <{name}>")
                    continue
                if name == "url" and root_name == "urlset":
                    entry = _url_entry(element)
                elif name == "sitemap" and root_name == "sitemapindex":
                    entry = _child(element)
                else:
                    continue
                _release(element)
                if entry is not None:
                    yield entry
        parser.close()
    except etree.XMLSyntaxError as error:
        raise SitemapError(f"not well-formed XML: {error}") from error
    if root_name is None:
        raise SitemapError("not a sitemap: no XML elements")


def _url_entry(element: etree._Element) -> UrlEntry | None:
    fields = _children_text(element)
    loc = fields.get("loc")
    if not loc:
        return None
    news = next((child for child in element if _local(child) == "news"), None)
    news_fields = _children_text(news) if news is not None else {}
    return UrlEntry(
        loc=loc,
        title=news_fields.get("title"),
        keywords=news_fields.get("keywords"),
        published=parse_w3c_date(news_fields.get("publication_date")),
    )


def _child(element: etree._Element) -> ChildSitemap | None:
    fields = _children_text(element)
    loc = fields.get("loc")
    return ChildSitemap(loc=loc, lastmod=parse_w3c_date(fields.get("lastmod"))) if loc else None


def _page(spec: SourceSpec, entry: UrlEntry, sitemap_url: str) -> DiscoveredPage | DiscoveryProblem:
    raw = urljoin(sitemap_url, entry.loc)
    fetchable, reason = is_fetchable_url(raw)
    if not fetchable:
        return DiscoveryProblem(spec.name, entry.loc, reason or "not fetchable")
    return DiscoveredPage(
        url=normalize_url(raw),
        source_name=spec.name,
        source_kind=spec.kind,
        title=entry.title,
        summary=entry.keywords,
        published=entry.published,
    )


def _children_text(element: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for child in element:
        text = " ".join("".join(child.itertext()).split()) if isinstance(child.tag, str) else ""
        if text:
            found.setdefault(_local(child), text)
    return found


def _local(element: etree._Element) -> str:
    # Sitemaps in the wild use the 0.9 namespace, Google's older ones, or none at all.
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _release(element: etree._Element) -> None:
    # Entries already read are dropped so a 50,000-entry sitemap is not held as a tree.
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _newest_first(children: list[ChildSitemap]) -> list[ChildSitemap]:
    dated = [c for c in children if c.lastmod is not None]
    undated = [c for c in children if c.lastmod is None]
    # Naive and aware dates cannot be compared; ignoring the offset still orders daily archives.
    dated.sort(key=lambda c: c.lastmod.replace(tzinfo=None), reverse=True)  # type: ignore[union-attr]
    return dated + undated


def parse_w3c_date(value: str | None) -> datetime | None:
    """Sitemap dates are W3C datetimes ("2024-07-02", "2024-07-02T10:00:00+00:00", "...Z")."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None
