"""Measuring the extractor against labelled pages: `layoffs eval`.

Each labelled page goes through the same cleaning and extraction the pipeline runs. Predicted
and labelled events of one page are paired when they name the same company; among several
candidates the pairing prefers the same division, then the same quarter, then the same range.
Precision, recall and F1 count paired events; division, headcount and quarter accuracy are
measured on the pairs, so a right event with a wrong range counts once as found and once as a
headcount error. Status and reason accuracy are measured on the pairs whose labelled event carries
that label: labellers leave them out where the article does not make them clear, and an event
without the label neither helps nor hurts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from pipelines.clean import clean_page
from pipelines.extract import CutFact, extract_cuts, load_reference
from pipelines.settings import PROJECT_ROOT

DEFAULT_LABELS = PROJECT_ROOT / "tests" / "golden"


@dataclass(frozen=True)
class Event:
    company: str
    division: str | None
    quarter: str | None
    headcount: tuple[int, int] | None
    evidence: str | None = None
    status: str | None = None
    reason: str | None = None

    @property
    def core(self) -> tuple:
        """The fields the mismatch report compares; status and reason are reported apart."""
        return (self.company, self.division, self.quarter, self.headcount)


@dataclass(frozen=True)
class LabelledPage:
    path: Path
    kind: str
    published_on: date | None
    events: tuple[Event, ...]


@dataclass
class PageResult:
    page: LabelledPage
    predicted: list[Event]
    pairs: list[tuple[Event, Event]] = field(default_factory=list)  # (labelled, predicted)
    missed: list[Event] = field(default_factory=list)
    spurious: list[Event] = field(default_factory=list)


@dataclass
class EvalReport:
    pages: list[PageResult]

    def _sum(self, attribute: str) -> int:
        return sum(len(getattr(result, attribute)) for result in self.pages)

    @property
    def true_positives(self) -> int:
        return self._sum("pairs")

    @property
    def false_positives(self) -> int:
        return self._sum("spurious")

    @property
    def false_negatives(self) -> int:
        return self._sum("missed")

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def _pair_accuracy(self, same) -> float:
        pairs = [pair for result in self.pages for pair in result.pairs]
        return sum(1 for labelled, predicted in pairs if same(labelled, predicted)) / len(pairs) if pairs else 1.0

    @property
    def division_accuracy(self) -> float:
        return self._pair_accuracy(lambda a, b: a.division == b.division)

    @property
    def headcount_accuracy(self) -> float:
        return self._pair_accuracy(lambda a, b: a.headcount == b.headcount)

    @property
    def quarter_accuracy(self) -> float:
        return self._pair_accuracy(lambda a, b: a.quarter == b.quarter)

    def _labelled_accuracy(self, attribute: str) -> float:
        pairs = [(a, b) for result in self.pages for a, b in result.pairs if getattr(a, attribute) is not None]
        return sum(1 for a, b in pairs if getattr(a, attribute) == getattr(b, attribute)) / len(pairs) if pairs else 1.0

    def _labelled_count(self, attribute: str) -> int:
        return sum(1 for result in self.pages for a, _ in result.pairs if getattr(a, attribute) is not None)

    @property
    def status_accuracy(self) -> float:
        return self._labelled_accuracy("status")

    @property
    def reason_accuracy(self) -> float:
        return self._labelled_accuracy("reason")

    @property
    def negative_pages(self) -> list[PageResult]:
        return [result for result in self.pages if not result.page.events]

    @property
    def negative_pages_with_events(self) -> list[PageResult]:
        return [result for result in self.negative_pages if result.predicted]

    def figures(self) -> dict[str, float | int]:
        return {
            "pages": len(self.pages),
            "negative_pages": len(self.negative_pages),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "division_accuracy": round(self.division_accuracy, 4),
            "headcount_accuracy": round(self.headcount_accuracy, 4),
            "quarter_accuracy": round(self.quarter_accuracy, 4),
            "status_accuracy": round(self.status_accuracy, 4),
            "status_labelled": self._labelled_count("status"),
            "reason_accuracy": round(self.reason_accuracy, 4),
            "reason_labelled": self._labelled_count("reason"),
            "negative_pages_with_events": len(self.negative_pages_with_events),
        }


def load_labelled_pages(path: Path = DEFAULT_LABELS) -> list[LabelledPage]:
    """Pages from one labels file, or from every labels file in a folder."""
    path = Path(path)
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"no labels (*.yml) in {path}")
    names = _NameFolder()
    pages: list[LabelledPage] = []
    for labels_file in files:
        for entry in yaml.safe_load(labels_file.read_text(encoding="utf-8")) or []:
            page_path = _resolve_page(entry["page"], labels_file)
            events = tuple(
                names.event(
                    company=item["company"],
                    division=item.get("division"),
                    quarter=item.get("quarter"),
                    headcount=tuple(item["headcount"]) if item.get("headcount") else None,
                    status=item.get("status"),
                    reason=item.get("reason"),
                )
                for item in entry.get("events") or []
            )
            published = entry.get("published_on")
            pages.append(LabelledPage(page_path, entry.get("kind", "event"), published, events))
    return pages


def evaluate(pages: list[LabelledPage]) -> EvalReport:
    names = _NameFolder()
    results = []
    for page in pages:
        html = page.path.read_text(encoding="utf-8", errors="replace")
        article = clean_page(html)
        facts: list[CutFact] = []
        if article is not None:
            facts = extract_cuts(article.text, title=article.title, published_on=article.published_on)
        predicted = [
            names.event(
                company=fact.company,
                division=fact.division,
                quarter=fact.quarter,
                headcount=(fact.headcount_low, fact.headcount_high) if fact.headcount_low is not None else None,
                evidence=fact.evidence,
                status=fact.status,
                reason=fact.reason,
            )
            for fact in facts
        ]
        results.append(_pair_up(page, predicted))
    return EvalReport(results)


def _pair_up(page: LabelledPage, predicted: list[Event]) -> PageResult:
    result = PageResult(page, predicted)
    unpaired = list(predicted)
    for labelled in page.events:
        candidates = [event for event in unpaired if event.company == labelled.company]
        if not candidates:
            result.missed.append(labelled)
            continue
        best = max(
            candidates,
            key=lambda event: (
                event.division == labelled.division,
                event.quarter == labelled.quarter,
                event.headcount == labelled.headcount,
            ),
        )
        unpaired.remove(best)
        result.pairs.append((labelled, best))
    result.spurious = unpaired
    return result


class _NameFolder:
    """Folds company and division names through the seeds' aliases, so 'SPS' and
    'Selling Partner Services' compare equal in labels and predictions alike."""

    def __init__(self) -> None:
        reference = load_reference()
        self._companies: dict[str, str] = {}
        for company in reference.companies.values():
            for name in (company.name, *company.aliases):
                self._companies.setdefault(name.lower(), company.name)
        self._divisions: dict[tuple[str, str], str] = {}
        for (company, _), division in reference.divisions.items():
            for name in (division.name, *division.aliases):
                self._divisions.setdefault((company, name.lower()), division.name)

    def event(self, *, company, division, quarter, headcount, evidence=None, status=None, reason=None) -> Event:
        company = self._companies.get(str(company).lower(), str(company))
        if division is not None:
            division = self._divisions.get((company, str(division).lower()), str(division))
        return Event(company, division, str(quarter) if quarter else None, headcount, evidence,
                     str(status) if status else None, str(reason) if reason else None)


def _resolve_page(page: str, labels_file: Path) -> Path:
    for base in (PROJECT_ROOT, labels_file.parent):
        candidate = (base / page).resolve()
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{labels_file}: labelled page {page} not found")


def format_report(report: EvalReport, source: Path, show_errors: bool = True) -> str:
    f = report.figures()
    lines = [
        f"labelled set: {source} ({f['pages']} pages, {f['negative_pages']} without a cut)",
        f"events   precision {f['precision']:.3f}  recall {f['recall']:.3f}  F1 {f['f1']:.3f}"
        f"   (matched {f['true_positives']}, false positives {f['false_positives']}, missed {f['false_negatives']})",
        f"matched  division {f['division_accuracy']:.3f}  headcount range {f['headcount_accuracy']:.3f}"
        f"  quarter {f['quarter_accuracy']:.3f}",
        f"matched  status {f['status_accuracy']:.3f} (of {f['status_labelled']} labelled)"
        f"  reason {f['reason_accuracy']:.3f} (of {f['reason_labelled']} labelled)",
        f"negative pages with an event: {f['negative_pages_with_events']} of {f['negative_pages']}",
    ]
    if not show_errors:
        return "\n".join(lines)
    root = PROJECT_ROOT
    for result in report.pages:
        name = result.page.path.relative_to(root) if result.page.path.is_relative_to(root) else result.page.path
        problems = []
        problems += [f"  missed     {_describe(event)}" for event in result.missed]
        problems += [f"  spurious   {_describe(event)}  <- {(event.evidence or '')[:110]}" for event in result.spurious]
        problems += [
            f"  mismatch   {_describe(labelled)}  got  {_describe(predicted)}"
            for labelled, predicted in result.pairs
            if labelled.core != predicted.core
        ]
        for labelled, predicted in result.pairs:
            for attribute in ("status", "reason"):
                wanted, got = getattr(labelled, attribute), getattr(predicted, attribute)
                if wanted is not None and wanted != got:
                    problems.append(f"  {attribute:<10} {_describe(labelled)}  labelled {wanted}, got {got}")
        if problems:
            lines.append(str(name))
            lines.extend(problems)
    return "\n".join(lines)


def _describe(event: Event) -> str:
    headcount = f"{event.headcount[0]}-{event.headcount[1]}" if event.headcount else "no figure"
    return f"{event.company} / {event.division or '(company-wide)'} / {event.quarter} / {headcount}"
