"""Downloading feeds and sitemaps through the polite fetcher, and the checks their bytes need.

`PoliteFetcher.fetch` is built for article pages: it refuses anything whose Content-Type is not
HTML and hands back decoded text. Feeds and sitemaps are XML (or gzip), and their parsers want the
bytes. So this module drives the fetcher's navigator itself, with the fetcher's own per-hop check
(scheme, private-address guard, robots.txt, crawl delay) and its pacing, retries, redirects,
timeouts and byte cap; only the content-type rule and the decoding differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from pipelines.fetch import FetchSettings, PoliteFetcher, is_fetchable_url, normalize_url
from pipelines.fetch.content import parse_content_type
from pipelines.fetch.decompress import CorruptBody, decoder_for
from pipelines.fetch.navigate import Failed, Refused, Trace

_GZIP_MAGIC = b"\x1f\x8b"

# Media types a feed or sitemap is served with in practice, including the careless ones.
_WANTED_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/gzip",
        "application/x-gzip",
        "application/json",
        "application/feed+json",
    }
)


class Unavailable(Exception):
    """The document could not be had; the message is what a DiscoveryProblem should say."""


@dataclass(frozen=True)
class Document:
    url: str  # where it was finally read from, after redirects
    data: bytes  # gzip already undone
    content_type: str | None
    truncated: bool  # cut at max_bytes; the start may still be usable
    # The server's validators, for a conditional request next time (the feed sensor keeps them).
    etag: str | None = None
    last_modified: str | None = None


@contextmanager
def fetcher_for(settings: FetchSettings | None, fetcher: PoliteFetcher | None) -> Iterator[PoliteFetcher]:
    """The shared fetcher when discover_all passed one, else one of our own for this source."""
    if fetcher is not None:
        yield fetcher
        return
    with PoliteFetcher(settings or FetchSettings()) as own:
        yield own


def download(fetcher: PoliteFetcher, url: str) -> Document:
    document = download_if_changed(fetcher, url)
    assert document is not None  # only a conditional request can come back unchanged
    return document


def download_if_changed(
    fetcher: PoliteFetcher, url: str, etag: str | None = None, last_modified: str | None = None
) -> Document | None:
    """The document, or None when the server says it has not changed since the validators it gave
    last time (a conditional GET: If-None-Match, If-Modified-Since; 304 Not Modified)."""
    url = normalize_url(url)
    fetchable, reason = is_fetchable_url(url)
    if not fetchable:
        raise Unavailable(reason or "not fetchable")
    conditions = {"If-None-Match": etag} if etag else {}
    if last_modified:
        conditions["If-Modified-Since"] = last_modified
    trace = Trace(retries_left=fetcher.settings.retries)
    try:
        # The private members are the fetcher's own checks and transport; see the module docstring.
        reply = fetcher._navigator.get(  # noqa: SLF001
            url, trace, vet=fetcher._vet_page, refuse=_refuse_unwanted, headers=conditions or None  # noqa: SLF001
        )
    except Refused as error:
        raise Unavailable(f"refused: {error}") from error
    except Failed as error:
        raise Unavailable(str(error)) from error
    if reply.status == 304 and conditions:
        return None
    content_type = reply.headers.get("content-type")
    if reply.refusal is not None:
        raise Unavailable(reply.refusal)
    if reply.body is None:
        raise Unavailable(f"HTTP {reply.status}")
    data, truncated = reply.body.data, reply.body.truncated
    if data.startswith(_GZIP_MAGIC):
        # A .xml.gz file is gzip inside the HTTP body, not a Content-Encoding the fetcher undid.
        data, inflated_truncated = inflate(data, fetcher.settings.max_bytes)
        truncated = truncated or inflated_truncated
    if not data.strip():
        raise Unavailable("empty body")
    return Document(
        url=trace.last_url or url, data=data, content_type=content_type, truncated=truncated,
        etag=reply.headers.get("etag"), last_modified=reply.headers.get("last-modified"),
    )


def inflate(data: bytes, limit: int) -> tuple[bytes, bool]:
    """Gunzip at most `limit` bytes, so a small bomb cannot become gigabytes; (bytes, truncated)."""
    try:
        out = decoder_for("gzip").decode(data, limit + 1)
    except CorruptBody as error:
        raise Unavailable(f"gzip data does not decompress: {error}") from error
    return out[:limit], len(out) > limit


_FIRST_ELEMENT = re.compile(r"<[A-Za-z_:]")


def declares_entities(data: bytes) -> bool:
    """True when the prolog declares XML entities.

    Neither feeds nor sitemaps need them, and they are how "billion laughs" documents inflate a
    few hundred bytes into gigabytes and how XXE reads local files. Only the prolog is looked at:
    an article inside a feed may well quote "<!ENTITY" in its text.
    """
    text = _as_text(data)
    first = _FIRST_ELEMENT.search(text)
    prolog = text[: first.start()] if first else text
    return "<!ENTITY" in prolog.upper()


def _as_text(data: bytes) -> str:
    # Only ASCII markup matters here. Dropping NUL bytes turns UTF-16 and UTF-32 markup into the
    # same ASCII text as UTF-8 would give, so "<!ENTITY" cannot hide in a wider encoding.
    return data.replace(b"\x00", b"").decode("latin-1")


def _refuse_unwanted(headers: httpx.Headers) -> str | None:
    media_type, _ = parse_content_type(headers.get("content-type"))
    if media_type is None or media_type in _WANTED_TYPES:
        return None
    if media_type.startswith("text/") or media_type.endswith("xml"):
        return None  # text/xml, application/rss+xml, application/atom+xml, text/html from a misconfigured server
    return f"content-type {media_type} is not a feed or sitemap"
