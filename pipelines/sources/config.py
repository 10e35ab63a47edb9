"""Reading and checking `sources.yml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from pipelines.fetch import FetchSettings, is_fetchable_url
from pipelines.monitoring.settings import HealthSettings, NotifySettings
from pipelines.sources.relevance import compile_keyword

KNOWN_KINDS = ("feed", "sitemap", "urls", "html_dir", "warc")

# Options every kind understands: the relevance filter (see relevance.py).
_COMMON_OPTIONS = ("keywords",)

# Per kind: the options it understands. An unknown key is refused rather than ignored, because a
# misspelt `keyword:` that silently did nothing would let a whole feed through unfiltered.
_KIND_OPTIONS: dict[str, tuple[str, ...]] = {
    "feed": ("url",),
    "sitemap": ("url", "max_sitemaps"),
    "urls": ("urls", "path"),
    "html_dir": ("path", "glob"),
    "warc": ("path",),
}


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
    # Thresholds of the health warnings and where warnings and failed runs go (pipelines/monitoring).
    health: HealthSettings = field(default_factory=HealthSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)


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
        read_partitions_start(document.get("partitions"))
    except ValueError as error:
        raise SourceError(f"{path}: partitions: {error}") from error
    try:
        fetch = FetchSettings.from_mapping(document.get("fetch"))
    except ValueError as error:
        raise SourceError(f"{path}: fetch settings: {error}") from error
    try:
        health = HealthSettings.from_mapping(document.get("health"), names)
    except ValueError as error:
        raise SourceError(f"{path}: health thresholds: {error}") from error
    try:
        notify = NotifySettings.from_mapping(document.get("notify"))
    except ValueError as error:
        raise SourceError(f"{path}: notify settings: {error}") from error
    return SourcesConfig(tuple(specs), fetch, health, notify)


def _parse_source(entry: Any, index: int, base_dir: Path) -> SourceSpec:
    if not isinstance(entry, dict):
        raise SourceError(f"source #{index + 1} must be a mapping with 'name' and 'kind'")
    name, kind = entry.get("name"), entry.get("kind")
    if not name or not isinstance(name, str):
        raise SourceError(f"source #{index + 1} needs a 'name'")
    if kind not in KNOWN_KINDS:
        raise SourceError(f"source {name!r}: kind {kind!r} is not one of {', '.join(KNOWN_KINDS)}")
    options = {key: value for key, value in entry.items() if key not in ("name", "kind")}
    check_options(name, kind, options)
    return SourceSpec(name=name, kind=kind, options=options, base_dir=base_dir)


def check_options(name: str, kind: str, options: dict[str, Any]) -> None:
    """Raise SourceError naming the first option of this source that cannot work."""
    if kind not in KNOWN_KINDS:
        raise SourceError(f"source {name!r}: kind {kind!r} is not one of {', '.join(KNOWN_KINDS)}")
    where = f"source {name!r} ({kind})"
    allowed = _KIND_OPTIONS[kind] + _COMMON_OPTIONS
    unknown = sorted(str(key) for key in options if key not in allowed)
    if unknown:
        raise SourceError(f"{where}: unknown option(s) {', '.join(unknown)}; {kind} sources take {', '.join(allowed)}")

    if kind in ("feed", "sitemap"):
        url = options.get("url")
        if not url:
            raise SourceError(f"{where} needs a 'url' (the address of the {kind})")
        fetchable, reason = is_fetchable_url(str(url)) if isinstance(url, str) else (False, "not a string")
        if not fetchable:
            raise SourceError(f"{where}: 'url' must be an http(s) address, got {url!r} ({reason})")
    elif kind == "urls":
        if "urls" not in options and "path" not in options:
            raise SourceError(f"{where} needs 'urls' (a list of addresses) or 'path' (a file listing them)")
        if "urls" in options and not isinstance(options["urls"], list):
            raise SourceError(f"{where}: 'urls' must be a list of addresses")
    elif kind in ("html_dir", "warc"):
        if not options.get("path") or not isinstance(options["path"], str):
            what = "a folder of saved pages" if kind == "html_dir" else "a WARC file or a glob such as crawl/*.warc.gz"
            raise SourceError(f"{where} needs a 'path' ({what})")

    if "path" in options and not isinstance(options["path"], str):
        raise SourceError(f"{where}: 'path' must be a string")
    if "max_sitemaps" in options:
        limit = options["max_sitemaps"]
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise SourceError(f"{where}: 'max_sitemaps' must be a whole number of at least 1, got {limit!r}")
    if "keywords" in options:
        keywords = options["keywords"]
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
            raise SourceError(
                f"{where}: 'keywords' must be a list of non-empty phrases (or [] to turn the filter off), "
                f"got {keywords!r}"
            )
        for keyword in keywords:
            try:
                compile_keyword(keyword)
            except ValueError as error:
                raise SourceError(f"{where}: {error}") from error


def read_partitions_start(block: Any) -> date | None:
    """`partitions: {start: YYYY-MM-DD}`: the first discovery day runs and backfills may use
    (pipelines/partitions.py); None when the file does not say."""
    if block is None:
        return None
    if not isinstance(block, dict) or set(block) - {"start"}:
        raise ValueError("expected a mapping with one key, start (a date such as 2015-01-01)")
    value = block.get("start")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"start {value!r} is not a date such as 2015-01-01") from error
    if not isinstance(value, date):
        raise ValueError(f"start must be a date such as 2015-01-01, got {value!r}")
    return value
