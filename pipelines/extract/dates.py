"""Resolve when a cut was announced, relative to the article's publication date.

Choices (so results are predictable):
- no date words, "today", "this week", "this month": the publication date;
- a weekday ("on Thursday"): the latest such day on or before publication,
  the publication day itself included; "last Thursday" excludes it;
- "yesterday": one day earlier; "last week": seven days earlier;
- "last month" and a bare month ("in January"): the 15th of that month
  ("early January" the 5th, "late January" the 25th), but never later than
  publication (a mid-month point keeps the quarter right without pretending
  to know the day);
- a month and day without a year: the publication year, or the year before
  when that would fall after publication;
- dates introduced by "effective", "starting", "by" and the like are when the
  cut takes effect, not when it was announced, and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

# Month names are matched capitalised only: "may" is usually the verb.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19|20)\d\d"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("mdy", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("month", re.compile(
        rf"\b(?:(?:in|during|since|last|end\s+of|start\s+of)\s+)?(?:(?P<part>early|mid|late)[\s-]+)?"
        rf"(?P<mon>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b(?![\s-]*\d)")),
    ("weekday", re.compile(rf"\b(?:(?P<last>last|this\s+past)\s+)?(?P<wd>{_WEEKDAY})\b")),
    ("relative", re.compile(
        r"\b(?P<rel>today|tonight|this\s+(?:morning|afternoon|evening|week|month)|earlier\s+(?:today|this\s+week|this\s+month)|"
        r"yesterday|last\s+night|last\s+week|last\s+month|a\s+week\s+ago)\b", re.I)),
    ("year", re.compile(rf"\b(?:in|during|since|early|late|mid-?|of)\s+(?P<y>{_YEAR})\b(?![\s-]*\d)")),
]

_FUTURE_CUE = re.compile(
    r"(?:effective|starting|beginning|begin|by|until|through|from|take\s+effect|takes\s+effect|"
    r"end\s+of|ending|expected\s+(?:in|by)|complete[d]?\s+(?:in|by)|scheduled\s+for|will\s+\w+\s+(?:in|on)|will\s+(?:in|on)|"
    r"last\s+day\s+(?:is|will\s+be|on)|through\s+the\s+end\s+of)\s+(?:(?:early|mid|late|the)\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    when: date
    kind: str  # the pattern that found it


def _mid_month(year: int, month: int, published_on: date | None, day_of_month: int = 15) -> date:
    day = date(year, month, day_of_month)
    if published_on is not None and day > published_on and (year, month) == (published_on.year, published_on.month):
        return published_on
    return day


def _fit_year(month: int, day: int, year: int | None, published_on: date | None) -> date | None:
    if year is None:
        if published_on is None:
            return None
        year = published_on.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate > published_on:
            try:
                candidate = date(year - 1, month, day)
            except ValueError:
                return None
        return candidate
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, published_on: date | None) -> list[DateMention]:
    """Date expressions in `text`, resolved; effect dates are left out."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                continue
            if _FUTURE_CUE.search(text[max(0, m.start() - 40) : m.start()]):
                taken.append((m.start(), m.end()))
                continue
            when = _resolve(kind, m, published_on)
            taken.append((m.start(), m.end()))
            if when is not None:
                found.append(DateMention(m.start(), m.end(), when, kind))
    found.sort(key=lambda d: d.start)
    return found


def _resolve(kind: str, m: re.Match, published_on: date | None) -> date | None:
    groups = m.groupdict()
    year = int(groups["y"]) if groups.get("y") else None
    if kind == "iso":
        try:
            return date(year, int(groups["m"]), int(groups["d"]))
        except ValueError:
            return None
    if kind in ("mdy", "dmy"):
        month = MONTHS[groups["mon"].rstrip(".").lower()]
        return _fit_year(month, int(groups["d"]), year, published_on)
    if kind == "month":
        month = MONTHS[groups["mon"].rstrip(".").lower()]
        if groups["mon"].rstrip(".") == "May" and not year and not re.match(r"(?i)in|during|since|last|early|mid|late|end|start", m.group(0)):
            return None  # "May" alone is more often the verb
        if year is None:
            if published_on is None:
                return None
            year = published_on.year
            if date(year, month, 1) > published_on or m.group(0).lower().startswith("last ") and month >= published_on.month:
                year -= 1
        return _mid_month(year, month, published_on, {"early": 5, "late": 25}.get((groups.get("part") or "").lower(), 15))
    if published_on is None:
        return None
    if kind == "weekday":
        target = WEEKDAYS[groups["wd"].lower()]
        back = (published_on.weekday() - target) % 7
        if groups.get("last") and back == 0:
            back = 7
        return published_on - timedelta(days=back)
    if kind == "relative":
        rel = re.sub(r"\s+", " ", groups["rel"].lower())
        if rel in ("yesterday", "last night"):
            return published_on - timedelta(days=1)
        if rel in ("last week", "a week ago"):
            return published_on - timedelta(days=7)
        if rel == "last month":
            first = published_on.replace(day=1)
            previous = first - timedelta(days=1)
            return previous.replace(day=15)
        return published_on
    if kind == "year":
        if year == published_on.year:
            return published_on
        return date(year, 7, 1)
    return None


def announced_on(text: str, published_on: date | None) -> tuple[date | None, bool]:
    """(date, stated) for one sentence: the first resolvable date in it, else
    the publication date with stated=False."""
    mentions = find_dates(text, published_on)
    if mentions:
        return mentions[0].when, True
    return published_on, False


def quarter_of(day: date | None) -> str | None:
    if day is None:
        return None
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


_ABSOLUTE = re.compile(
    rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b|\b(?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d)\b"
)


def first_absolute_date(text: str) -> date | None:
    """A fully written date anywhere in the text, for articles with no
    publication date."""
    for m in _ABSOLUTE.finditer(text[:20000]):
        try:
            if m.group("mon"):
                return date(int(m.group("y")), MONTHS[m.group("mon").rstrip(".").lower()], int(m.group("d")))
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        except ValueError:
            continue
    return None
