"""The record the extractor hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CutFact:
    company: str
    division: str | None
    division_path: str | None
    headcount_low: int | None
    headcount_high: int | None
    headcount_text: str | None
    workforce_pct: float | None
    announced_on: date | None
    quarter: str | None
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float
    # Facts that split one stated figure between units carry the same id, so
    # that sums over facts can count the figure once.
    shared_headcount_group: int | None = None
    # Where the cut stands (announced, planned, completed), why it is made (Challenger-style
    # categories) and the site it falls on when the article names one; see status.py,
    # reason.py and location.py for the rules.
    status: str = "announced"
    reason: str = "other"
    location: str | None = None
    # How much of `announced_on` the article gave: day (a written date, a weekday, or the
    # publication date standing in), week ("last week"), month ("in January") or year ("in 2023").
    announced_precision: str | None = None
    # The period the article says the cut takes effect in ("will cut 1,000 jobs in 2025"): its
    # first day and its length (day, month, quarter, year). Never before the announcement's period.
    effective_on: date | None = None
    effective_precision: str | None = None
    # A part of another fact of the same article ("about 400 Twitch jobs go as part of the
    # round" beside Amazon's 9,000): the index of that whole in the list extract_cuts returns.
    # Totals count the whole, not whole + part.
    part_of_index: int | None = None
