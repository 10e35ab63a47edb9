"""Filling a real-news set's text cache: each labelled URL fetched through the pipeline's own
polite fetcher (robots.txt, per-host pacing, retries, size caps) and kept as `<id>.html`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.fetch import PoliteFetcher
from pipelines.fetch.result import OK
from pipelines.fetch.settings import FetchSettings

from .labels import LabelledPage


@dataclass
class CacheFill:
    fetched: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already in the cache
    failed: dict[str, str] = field(default_factory=dict)  # id -> why


def fill_cache(pages: list[LabelledPage], cache_dir: Path, settings: FetchSettings | None = None) -> CacheFill:
    cache_dir.mkdir(parents=True, exist_ok=True)
    outcome = CacheFill()
    wanted: dict[str, str] = {}
    for page in pages:
        if page.path is not None:
            outcome.kept.append(page.page_id)
        elif page.url:
            wanted[page.page_id] = page.url
        else:
            outcome.failed[page.page_id] = "no url in its label"
    if not wanted:
        return outcome
    with PoliteFetcher(settings) as fetcher:
        for page_id, url in wanted.items():
            result = fetcher.fetch(url)
            if result.outcome == OK and result.html:
                target = cache_dir / f"{page_id}.html"
                partial = target.with_suffix(".html.part")
                partial.write_text(result.html, encoding="utf-8")
                partial.replace(target)  # never leave half a page where eval would read it
                outcome.fetched.append(page_id)
            else:
                outcome.failed[page_id] = f"{result.outcome}: {result.error or result.status}"
    return outcome
