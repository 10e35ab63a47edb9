"""The text the extractor reads for one labelled page.

An `.html` page goes through the pipeline's own cleaning (trafilatura), as a fetched page would.
A `.txt` page is an article's text as a stored copy gives it: the first line is the headline when
it reads like one, and a leading "date YYYY-MM-DD" marker (how stored copies carry the page's
publication date) is page metadata, not article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.clean import clean_page

_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
_MAX_HEADLINE = 200


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None
    published_on: date | None


def read_page_text(path: Path, labelled_date: date | None = None) -> PageText | None:
    raw = path.read_bytes()
    if path.suffix.lower() == ".html":
        article = clean_page(raw.decode("utf-8", errors="replace"))
        if article is None:
            return None
        return PageText(article.text, article.title, article.published_on or labelled_date)
    return text_article(raw.decode("utf-8", errors="replace"), labelled_date)


def text_article(text: str, labelled_date: date | None = None) -> PageText:
    published = labelled_date
    marker = _DATE_MARKER.match(text)
    if marker:
        text = text[marker.end():]
        if published is None:
            try:
                published = date.fromisoformat(marker.group(1))
            except ValueError:
                pass
    text = text.strip()
    first, _, rest = text.partition("\n")
    title = first.strip()
    looks_like_headline = bool(rest.strip()) and 0 < len(title) <= _MAX_HEADLINE and not title.endswith((".", ":", ";"))
    return PageText(text, title if looks_like_headline else None, published)
