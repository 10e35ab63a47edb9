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
