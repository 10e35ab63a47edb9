"""One sentence's worth of cut facts, before the article-level merge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import Period
from .headcount import Figure
from .parts import PartOf


@dataclass(frozen=True)
class Candidate:
    company: str
    company_seeded: bool
    company_explicit: bool  # named in the sentence rather than inherited
    division: str | None
    division_known: bool
    division_path: str | None
    figure: Figure | None
    announced_on: date | None
    date_stated: bool
    sentence_index: int  # -1 for the title
    evidence: str
    evidence_start: int
    evidence_end: int
    share_key: tuple[int, int] | None  # (sentence, figure start) when units split one figure
    status: str = "announced"
    reasons: tuple[tuple[str, float], ...] = ()  # (category, weight) from this mention's sentence and neighbours
    location: str | None = None
    announced_precision: str | None = None  # day | week | month | year, from dates.announcement
    effective: Period | None = None  # the period the sentence says the cut takes effect in
    part_of: PartOf | None = None  # the figure is a part of another ("including 400 at Twitch")

    @property
    def precision(self) -> int:
        if self.figure is None:
            return -1
        return self.figure.precision

    def has_count(self) -> bool:
        return self.figure is not None and self.figure.low is not None

    def overlaps(self, other: "Candidate") -> bool:
        """Figures that could describe the same cut (or at least one is missing)."""
        a, b = self.figure, other.figure
        if a is None or b is None:
            return True
        if a.low is None and b.low is None and a.pct is not None and b.pct is not None:
            # "a third of staff" and "35%" are the same cut.
            return abs(a.pct - b.pct) <= max(5.0, 0.2 * max(a.pct, b.pct))
        if a.low is None or b.low is None:
            return True
        return a.low <= b.high and b.low <= a.high
