"""Scoring the extractor against labelled pages.

Each labelled page goes through the same cleaning and extraction the pipeline runs. Predicted
and labelled events of one page are paired when they name the same company; among several
candidates the pairing prefers the same division, then the same quarter, then the same range.
Precision, recall and F1 count paired events; division, headcount and quarter accuracy are
measured on the pairs, so a right event with a wrong range counts once as found and once as a
headcount error. Status and reason accuracy are measured on the pairs whose labelled event carries
that label: labellers leave them out where the article does not make them clear.

A prediction left over that matches a cut the labels list as background (same company and the
old cut's own quarter; a background label without a quarter excuses nothing) is set aside: telling an old round with its own
date is not an error, dating it today is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

import yaml

from pipelines.extract import CutFact, extract_cuts
from pipelines.settings import PROJECT_ROOT

from .labels import Event, LabelledPage, NameFolder
from .texts import read_page_text

def _dbt_vars() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


# The warehouse's own window (dbt var `event_window_days`): reports of one cut join one event when
# they fall this many days from its first report; the split count below uses the same rule.
EVENT_WINDOW_DAYS = int(_dbt_vars()["event_window_days"])


@dataclass
class PageResult:
    page: LabelledPage
    predicted: list[Event]
    pairs: list[tuple[Event, Event]] = field(default_factory=list)  # (labelled, predicted)
    missed: list[Event] = field(default_factory=list)
    spurious: list[Event] = field(default_factory=list)
    background: list[Event] = field(default_factory=list)  # predictions of labelled background cuts


@dataclass
class EvalReport:
    pages: list[PageResult]
    missing: list[LabelledPage] = field(default_factory=list)  # labelled, but no text to read
    crashed: list[tuple[LabelledPage, str]] = field(default_factory=list)  # the extractor raised

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
        return [result for result in self.negative_pages if result.spurious]

    @property
    def pages_with_false_event(self) -> list[PageResult]:
        return [result for result in self.pages if result.spurious]

    def subset(self, keep) -> EvalReport:
        """The same scoring over the pages `keep(page)` accepts (say, those outside US tech)."""
        return EvalReport([result for result in self.pages if keep(result.page)])

    def split_events(self) -> tuple[int, int]:
        """Cuts that several labelled pages report (one `event_key`): how many there are, and how
        many the warehouse would show as more than one event, by its own grouping rule (company,
        division, first report plus the window) applied to the predictions paired with them."""
        found: dict[str, list[Event]] = defaultdict(list)
        pages_of: dict[str, set[str]] = defaultdict(set)
        for result in self.pages:
            for labelled in result.page.events:
                if labelled.event_key:
                    pages_of[labelled.event_key].add(result.page.name)
            for labelled, predicted in result.pairs:
                if labelled.event_key:
                    found[labelled.event_key].append(predicted)
        shared = [key for key, pages in pages_of.items() if len(pages) > 1]
        split = sum(1 for key in shared if _groups(found.get(key, [])) > 1)
        return len(shared), split

    def figures(self) -> dict[str, float | int]:
        shared, split = self.split_events()
        return {
            "pages": len(self.pages),
            "pages_without_text": len(self.missing),
            "pages_where_extraction_crashed": len(self.crashed),
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
            "pages_with_false_event": len(self.pages_with_false_event),
            "background_predictions": self._sum("background"),
            "events_reported_by_several_pages": shared,
            "events_split_across_reports": split,
        }


def _groups(events: list[Event]) -> int:
    """How many warehouse events these reports make: per company and division (unlisted names
    joined as int_division_keys joins them), a new event each time a report falls more than the
    window after the current event's first report."""
    count = 0
    by_unit: dict[tuple, list[date]] = defaultdict(list)
    keys = _grouping_keys({(event.company, event.division) for event in events if event.division})
    for event in events:
        if event.announced_on is None:
            continue  # an undated report joins no event in the warehouse either
        unit = keys.get((event.company, event.division), event.division)
        by_unit[(event.company, unit)].append(event.announced_on)
    for dates in by_unit.values():
        dates.sort()
        first = None
        for day in dates:
            if first is None or (day - first).days > EVENT_WINDOW_DAYS:
                count += 1
                first = day
    return count


def _grouping_keys(names: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The warehouse's own joining rule (int_division_keys), computed with the same DuckDB
    similarity function: a name joins a shorter one of its company that it extends ("X and Y")
    or that differs only by a slip of spelling."""
    if len(names) < 2:
        return {}
    import duckdb

    threshold = float(_dbt_vars()["division_name_similarity"])
    joined: dict[tuple[str, str], str] = {}
    for company, name in names:
        others = sorted((other for c, other in names if c == company and other != name), key=lambda o: (len(o), o))
        for other in others:
            if (len(other), other) >= (len(name), name):
                continue
            similar = duckdb.sql("select jaro_winkler_similarity($a, $b)", params={"a": name, "b": other}).fetchone()[0]
            if similar >= threshold or name.startswith(other + " and "):
                joined[(company, name)] = other
                break
    return joined


def evaluate(pages: list[LabelledPage]) -> EvalReport:
    names = NameFolder()
    results, missing = [], []
    crashed: list[tuple[LabelledPage, str]] = []
    for page in pages:
        if page.path is None:
            missing.append(page)
            continue
        article = read_page_text(page.path, page.published_on)
        facts: list[CutFact] = []
        if article is not None:
            try:
                facts = extract_cuts(article.text, title=article.title, published_on=article.published_on,
                                     raise_errors=True)
            except Exception as error:  # counted and shown, and the page scores as finding nothing
                crashed.append((page, f"{type(error).__name__}: {error}"))
        predicted = [
            names.event(
                company=fact.company,
                division=fact.division,
                quarter=fact.quarter,
                headcount=(fact.headcount_low, fact.headcount_high) if fact.headcount_low is not None else None,
                evidence=fact.evidence,
                status=fact.status,
                reason=fact.reason,
                announced_on=fact.announced_on,
            )
            for fact in facts
        ]
        results.append(_pair_up(page, predicted))
    return EvalReport(results, missing, crashed)


def _pair_up(page: LabelledPage, predicted: list[Event]) -> PageResult:
    result = PageResult(page, predicted)
    unpaired = list(predicted)
    # Labels whose exact unit was predicted pair first, so a unit named both ways is not taken by a
    # sibling label that was merely listed before it.
    exact = [labelled for labelled in page.events
             if any(e.company == labelled.company and e.division == labelled.division for e in predicted)]
    for labelled in exact + [labelled for labelled in page.events if labelled not in exact]:
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
        # The paired prediction carries the labelled cut's key, so reports of one cut can be
        # followed across pages.
        result.pairs.append((labelled, _with_key(best, labelled.event_key)))
    for event in unpaired:
        told_before = any(
            old.company == event.company and old.quarter is not None and old.quarter == event.quarter
            for old in page.background
        )
        (result.background if told_before else result.spurious).append(event)
    return result


def _with_key(event: Event, key: str | None) -> Event:
    return replace(event, event_key=key)
