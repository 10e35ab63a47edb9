"""Running every source's discovery and collecting what each one found or failed on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipelines.sources.config import SourceSpec


@dataclass(frozen=True)
class DiscoveredPage:
    url: str
    source_name: str
    source_kind: str
    local_path: str | None = None  # set when the page's bytes are already on disk
    title: str | None = None


@dataclass(frozen=True)
class DiscoveryProblem:
    source_name: str
    location: str
    error: str


def discover_all(specs: Iterable[SourceSpec]) -> tuple[list[DiscoveredPage], list[DiscoveryProblem]]:
    from pipelines.sources import html_dir, urls  # noqa: PLC0415 - kinds register lazily

    kinds = {"html_dir": html_dir.discover, "urls": urls.discover}
    pages: list[DiscoveredPage] = []
    problems: list[DiscoveryProblem] = []
    for spec in specs:
        try:
            for item in kinds[spec.kind](spec):
                (problems if isinstance(item, DiscoveryProblem) else pages).append(item)
        except Exception as error:  # one unreadable source must not stop the others
            problems.append(DiscoveryProblem(spec.name, spec.kind, f"{type(error).__name__}: {error}"))
    return pages, problems


DiscoveryItems = Iterator[DiscoveredPage | DiscoveryProblem]
