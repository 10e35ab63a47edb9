"""Reading and checking `sources.yml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines.fetch import FetchSettings

KNOWN_KINDS = ("html_dir", "urls")


class SourceError(ValueError):
    """A sources file the pipeline cannot use at all; the message says what to fix."""


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")  # relative paths in the file are relative to the file itself

    def path_option(self, key: str) -> Path:
        value = self.options.get(key)
        if not value:
            raise SourceError(f"source {self.name!r} ({self.kind}) needs a {key!r}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.base_dir / path).resolve()


@dataclass(frozen=True)
class SourcesConfig:
    sources: tuple[SourceSpec, ...]
    fetch: FetchSettings


def load_sources(path: Path) -> SourcesConfig:
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"sources file not found: {path}")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SourceError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise SourceError(f"{path} must have a top-level 'sources:' list")
    specs = [_parse_source(entry, index, path.parent.resolve()) for index, entry in enumerate(document["sources"])]
    names = [spec.name for spec in specs]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise SourceError(f"{path}: source names must be unique, repeated: {', '.join(duplicated)}")
    try:
        fetch = FetchSettings.from_mapping(document.get("fetch"))
    except ValueError as error:
        raise SourceError(f"{path}: fetch settings: {error}") from error
    return SourcesConfig(tuple(specs), fetch)


def _parse_source(entry: Any, index: int, base_dir: Path) -> SourceSpec:
    if not isinstance(entry, dict):
        raise SourceError(f"source #{index + 1} must be a mapping with 'name' and 'kind'")
    name, kind = entry.get("name"), entry.get("kind")
    if not name or not isinstance(name, str):
        raise SourceError(f"source #{index + 1} needs a 'name'")
    if kind not in KNOWN_KINDS:
        raise SourceError(f"source {name!r}: kind {kind!r} is not one of {', '.join(KNOWN_KINDS)}")
    options = {key: value for key, value in entry.items() if key not in ("name", "kind")}
    return SourceSpec(name=name, kind=kind, options=options, base_dir=base_dir)
