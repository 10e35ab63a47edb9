"""`urls`: addresses listed inline (`urls: [...]`) or in a file (`path:`), one per line or as a YAML list."""

from __future__ import annotations

import yaml

from pipelines.fetch import is_fetchable_url, normalize_url
from pipelines.sources.config import SourceSpec
from pipelines.sources.discovery import DiscoveredPage, DiscoveryItems, DiscoveryProblem


def discover(spec: SourceSpec) -> DiscoveryItems:
    listed = list(spec.options.get("urls") or [])
    if spec.options.get("path"):
        listed.extend(_read_list_file(spec))
    if not listed:
        yield DiscoveryProblem(spec.name, "urls", "no 'urls' list and no 'path' to a list file")
        return
    for raw in listed:
        url = str(raw).strip()
        fetchable, reason = is_fetchable_url(url)
        if not fetchable:
            yield DiscoveryProblem(spec.name, url, reason or "not fetchable")
            continue
        yield DiscoveredPage(url=normalize_url(url), source_name=spec.name, source_kind=spec.kind)


def _read_list_file(spec: SourceSpec) -> list[str]:
    path = spec.path_option("path")
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yml", ".yaml"):
        loaded = yaml.safe_load(text) or []
        return [str(item) for item in (loaded.get("urls", []) if isinstance(loaded, dict) else loaded)]
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
