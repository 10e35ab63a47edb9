"""`html_dir`: a folder of saved pages. Each page's URL is its canonical link or og:url."""

from __future__ import annotations

from pipelines.clean import canonical_url_of
from pipelines.fetch import normalize_url
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage, DiscoveryItems, DiscoveryProblem
from pipelines.sources.file_memory import AlreadyRead, FileMemory


def discover(spec: SourceSpec, files: FileMemory | None = None) -> DiscoveryItems:
    """Every saved page under the folder; with `files`, only those not read before unchanged."""
    folder = spec.path_option("path")
    if not folder.is_dir():
        yield DiscoveryProblem(spec.name, str(folder), "folder not found")
        return
    pattern = spec.options.get("glob", "**/*.html")
    for path in sorted(folder.glob(pattern)):
        try:
            stat = path.stat()
            if not path.is_file():
                continue
            if files is not None and (entries := files.entries_if_unchanged(spec.name, path, stat)) is not None:
                yield AlreadyRead(spec.name, str(path), entries)
                continue
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
        if files is not None:
            files.read(spec.name, path, stat, entries=1)
