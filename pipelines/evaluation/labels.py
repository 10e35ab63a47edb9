"""Labelled pages: what a labeller says each page reports.

Two layouts share one label schema (company, division, quarter, headcount range, status, reason):

- the project's own set (`tests/golden/*.yml`): each entry names a page file in the repository;
- a real-news set (`tests/realnews/labels.yaml`): each entry has an `id`, the article's `url` and
  the `query` that finds its stored copy. The text is not ours to publish, so it lives in an
  ignored cache folder (`data/.cache/<set name>/<id>.txt` or `.html`), filled by
  `layoffs eval --fetch` or by hand from stored copies (tests/realnews/README.md).

Names are compared the way an analyst would read them: company names fold through the seeds'
aliases and lose legal suffixes ("Deutsche Bank AG" is "Deutsche Bank"), division names lose the
words that only say "a part of" ("its investment banking unit" is "Investment Banking").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from pipelines.extract import load_reference
from pipelines.extract.names import company_key, plain_name
from pipelines.settings import PROJECT_ROOT

DEFAULT_LABELS = PROJECT_ROOT / "tests" / "golden"
CACHE_ROOT = PROJECT_ROOT / "data" / ".cache"
REALNEWS_LABELS = "labels.yaml"


@dataclass(frozen=True)
class Event:
    company: str
    division: str | None
    quarter: str | None
    headcount: tuple[int, int] | None
    evidence: str | None = None
    status: str | None = None
    reason: str | None = None
    event_key: str | None = None
    announced_on: date | None = None

    @property
    def core(self) -> tuple:
        """The fields the mismatch report compares; status and reason are reported apart."""
        return (self.company, self.division, self.quarter, self.headcount)


@dataclass(frozen=True)
class Background:
    """A cut the page mentions only as history: a prediction of it is neither right nor wrong,
    provided it carries the old cut's own quarter."""

    company: str
    quarter: str | None


@dataclass(frozen=True)
class LabelledPage:
    path: Path | None  # the page file; None until a real-news page's text is found in the cache
    kind: str
    published_on: date | None
    events: tuple[Event, ...]
    background: tuple[Background, ...] = ()
    page_id: str | None = None
    url: str | None = None
    tags: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def name(self) -> str:
        if self.page_id:
            return self.page_id
        if self.path is not None and self.path.is_relative_to(PROJECT_ROOT):
            return str(self.path.relative_to(PROJECT_ROOT))
        return str(self.path)


class NameFolder:
    """Folds company and division names to the form labels and predictions are compared in."""

    _GENERIC = re.compile(
        r"\s+(?:unit|units|division|divisions|business|businesses|arm|team|teams|group|department|segment|"
        r"operations|organi[sz]ation|org|sector|side|wing)$"
    )
    _LEADING = re.compile(r"^(?:the|its|their|his|her)\s+")

    def __init__(self) -> None:
        reference = load_reference()
        self._companies: dict[str, str] = {}
        for company in reference.companies.values():
            for name in (company.name, *company.aliases):
                self._companies.setdefault(company_key(name), company.name)
        self._units = {company_key(name): owner for name, owner in reference.entity_lookup.items()
                       if owner[1] is not None}
        self._divisions: dict[tuple[str, str], str] = {}
        for (company, _), division in reference.divisions.items():
            for name in (division.name, *division.aliases):
                self._divisions.setdefault((company, self._division_key(company, name)), division.name)

    def company(self, name: str) -> str:
        return self._companies.get(company_key(name), plain_name(str(name)))

    def _division_key(self, company: str, name: str) -> str:
        key = " ".join(str(name).replace("\u2019", "'").replace("-", " ").split()).lower()
        key = key.replace("research and development", "r&d")
        key = self._LEADING.sub("", key)
        owner = company.lower()
        for prefix in (owner + "'s ", owner + " "):
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix):]
        previous = None
        while previous != key:
            previous = key
            key = self._GENERIC.sub("", key)
        return key

    def division(self, company: str, name: str | None) -> str | None:
        if name is None:
            return None
        key = self._division_key(company, name)
        return self._divisions.get((company, key), key)

    def event(self, *, company, division, quarter, headcount, evidence=None, status=None, reason=None,
              event_key=None, announced_on=None) -> Event:
        unit = self._units.get(company_key(str(company)))
        if unit is not None and division is None:
            # A label naming Twitch as the employer and a prediction of Amazon / Twitch say the
            # same thing: the seeds list Twitch as a unit of Amazon.
            company, division = unit
        company = self.company(str(company))
        return Event(company, self.division(company, division), str(quarter) if quarter else None, headcount,
                     evidence, str(status) if status else None, str(reason) if reason else None,
                     event_key, announced_on)


def load_labelled_pages(path: Path = DEFAULT_LABELS, cache_dir: Path | None = None) -> list[LabelledPage]:
    """Pages from one labels file, or from every labels file in a folder.

    A folder holding `labels.yaml` is a real-news set: its pages' texts are looked up in
    `cache_dir` (default `data/.cache/<folder name>/`); a page not found there has no `path`.
    """
    path = Path(path)
    if path.is_dir() and (path / REALNEWS_LABELS).exists():
        return _load_realnews(path / REALNEWS_LABELS, cache_dir or default_cache_dir(path))
    if path.is_file() and path.name == REALNEWS_LABELS:
        return _load_realnews(path, cache_dir or default_cache_dir(path.parent))
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    if not files or not files[0].exists():
        raise FileNotFoundError(f"no labels (*.yml or {REALNEWS_LABELS}) in {path}")
    names = NameFolder()
    pages: list[LabelledPage] = []
    for labels_file in files:
        for entry in yaml.safe_load(labels_file.read_text(encoding="utf-8")) or []:
            pages.append(_page(entry, names, _resolve_page(entry["page"], labels_file)))
    return pages


def default_cache_dir(labels_folder: Path) -> Path:
    return CACHE_ROOT / Path(labels_folder).resolve().name


def cached_text_path(cache_dir: Path, page_id: str) -> Path | None:
    for suffix in (".html", ".txt"):
        candidate = cache_dir / f"{page_id}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _load_realnews(labels_file: Path, cache_dir: Path) -> list[LabelledPage]:
    names = NameFolder()
    entries = yaml.safe_load(labels_file.read_text(encoding="utf-8")) or []
    pages = []
    seen: set[str] = set()
    for entry in entries:
        page_id = str(entry["id"])
        if page_id in seen:
            raise KeyError(f"{labels_file}: id {page_id} is used twice")
        seen.add(page_id)
        pages.append(_page(entry, names, cached_text_path(Path(cache_dir), page_id)))
    return pages


def _page(entry: dict, names: NameFolder, path: Path | None) -> LabelledPage:
    events = tuple(
        names.event(
            company=item["company"],
            division=item.get("division"),
            quarter=item.get("quarter"),
            headcount=tuple(item["headcount"]) if item.get("headcount") else None,
            status=item.get("status"),
            reason=item.get("reason"),
            event_key=item.get("event_key"),
            announced_on=item.get("announced_on"),
        )
        for item in entry.get("events") or []
    )
    background = tuple(
        Background(names.company(str(item["company"])), str(item["quarter"]) if item.get("quarter") else None)
        for item in entry.get("background") or []
        if item.get("company")
    )
    tags = {key: entry.get(key) for key in ("sector", "country", "big_us_tech", "trap", "phenomena", "query")}
    return LabelledPage(path, entry.get("kind", "event"), entry.get("published_on"), events, background,
                        str(entry["id"]) if "id" in entry else None, entry.get("url"), tags)


def _resolve_page(page: str, labels_file: Path) -> Path:
    for base in (PROJECT_ROOT, labels_file.parent):
        candidate = (base / page).resolve()
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{labels_file}: labelled page {page} not found")
