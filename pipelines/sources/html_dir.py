"""`html_dir`: a folder of saved pages. Each page's URL is its canonical link or og:url."""

from __future__ import annotations

from pipelines.clean import canonical_url_of
from pipelines.fetch import normalize_url
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage, DiscoveryItems, DiscoveryProblem


def discover(spec: SourceSpec) -> DiscoveryItems:
    folder = spec.path_option("path")
    if not folder.is_dir():
        yield DiscoveryProblem(spec.name, str(folder), "folder not found")
        return
    pattern = spec.options.get("glob", "**/*.html")
    for path in sorted(folder.glob(pattern)):
        if not path.is_file():
            continue
        try:
            html = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            yield DiscoveryProblem(spec.name, str(path), f"unreadable: {error}")
            continue
        url = canonical_url_of(html)
        # A saved page that never said where it lived still deserves a stable, unique address.
        yield DiscoveredPage(
            url=normalize_url(url) if url else path.resolve().as_uri(),
            source_name=spec.name,
            source_kind=spec.kind,
            local_path=str(path.resolve()),
        )
