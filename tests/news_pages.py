"""Small news pages written by tests: enough article text for the cleaner, a canonical URL and a
publication date in the page's metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

FILLER = (
    "The company did not say which offices would be affected. Analysts said the move had been "
    "expected for some time, given slowing demand and rising costs across the industry. "
    "Employees were told of the decision in a meeting on the same day, according to people "
    "familiar with the matter, and the company said it would offer severance and support."
)


def news_page(url: str, title: str, published: date, *paragraphs: str, filler: bool = True) -> str:
    """`filler`: a paragraph that names no company and no figure, so a short page still reads as an article."""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in (*paragraphs, *((FILLER,) if filler else ())))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="Test Wire">
<meta property="article:published_time" content="{published.isoformat()}T09:00:00+00:00">
</head><body><article><h1>{title}</h1>
{body}
</article></body></html>"""


def write_page(folder: Path, name: str, url: str, title: str, published: date, *paragraphs: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(news_page(url, title, published, *paragraphs), encoding="utf-8")
    return path
