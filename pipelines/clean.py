"""Turn one raw HTML page into article text plus metadata, with a single trafilatura call."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import Document, set_date_params

# Shorter bodies are almost always cookie walls, paywall stubs or index pages, not articles.
MIN_ARTICLE_CHARS = 200

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class CleanArticle:
    url: str
    canonical_url: str | None
    title: str | None
    site_name: str | None
    published_on: date | None
    language: str | None
    text: str
    text_sha256: str


class CleaningFailed(Exception):
    """Cleaning crashed on the page: trafilatura, lxml or htmldate raised. Not the same as a page
    with no article in it: the pipeline records it as an error and tries the page again later."""


def clean_page(html: str, url: str | None = None, *, raise_errors: bool = False) -> CleanArticle | None:
    """Main text and metadata of a page, or None when the page holds no article (empty, too
    short, no main text found).

    When cleaning itself crashes (a parser raised), the default is to return None too, so
    callers that only want an article never see an exception (tests/test_hostile_input.py).
    With `raise_errors=True` the crash is raised as `CleaningFailed` instead, so a caller that
    keeps records (the pipeline's clean step) can tell "not an article" from "crashed".
    """
    if not html or not html.strip():
        return None
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return None
        # Read before extraction: trafilatura prunes the tree it is given.
        language = _declared_language(tree)
        metadata = page_metadata(tree, url)
        # fast=True skips trafilatura's fallback extractors (readability, jusText): on the shared
        # 181-page benchmark the text scores the same (word 4-gram F1 0.955 either way, see
        # bench/extraction_quality.py --experiment) for about three quarters of the CPU time.
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=False, include_comments=False, include_tables=False, fast=True
        )
    except Exception as error:  # trafilatura and lxml raise a zoo of types on broken markup
        if raise_errors:
            raise CleaningFailed(f"{type(error).__name__}: {error}") from error
        return None
    if document is None:
        return None
    text = (document.text or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        return None
    canonical = metadata.url if metadata.url and metadata.url.startswith("http") else None
    return CleanArticle(
        url=canonical or url or "",
        canonical_url=canonical,
        title=(metadata.title or None),
        site_name=(metadata.sitename or None),
        published_on=_parse_iso_date(metadata.date),
        language=language,
        text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def page_metadata(tree, url: str | None = None) -> Document:
    """Title, address, site name and publication date: trafilatura's `extract_metadata` without the
    author, categories, tags and licence, which this pipeline never stores.

    Those four were a third of the cleaning step's CPU time (bench/throughput.py --profile). The
    fields kept come from the same trafilatura and htmldate functions in the same order, so they
    match `extract_metadata` exactly (tests/test_clean.py checks this on the bundled sample).
    """
    metadata = trafilatura_metadata.examine_meta(tree)
    try:
        metadata = trafilatura_metadata.extract_meta_json(tree, metadata)
    except Exception:  # trafilatura's JSON-LD reader trips on odd but harmless markup
        pass
    metadata.title = metadata.title or trafilatura_metadata.extract_title(tree)
    metadata.url = metadata.url or trafilatura_metadata.extract_url(tree, url)
    date_params = set_date_params(extensive=True)  # trafilatura's default (EXTENSIVE_DATE_SEARCH)
    metadata.date = find_date(tree, **{**date_params, "url": metadata.url})
    metadata.sitename = metadata.sitename or trafilatura_metadata.extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        host = trafilatura_metadata.META_URL.match(metadata.url)
        metadata.sitename = host[1] if host else None
    metadata.clean_and_trim()
    return metadata


def canonical_url_of(html: str) -> str | None:
    """The page's own idea of its address: <link rel=canonical>, else og:url."""
    # Both tags belong in the head; parsing only the head spares a full parse of a long page.
    head_end = _HEAD_END.search(html)
    try:
        tree = lxml_html.fromstring(html[: head_end.end()] if head_end else html)
    except Exception:
        return None
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for value in tree.xpath(xpath):
            value = value.strip()
            if value.startswith(("http://", "https://")):
                return value
    return None


def _parse_iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _declared_language(tree) -> str | None:
    # trafilatura only fills `language` when asked to filter by language; <html lang> is a good stand-in.
    if tree is None:
        return None
    lang = (tree.getroottree().getroot().get("lang") or "").strip()
    return lang.split("-")[0].lower() or None
