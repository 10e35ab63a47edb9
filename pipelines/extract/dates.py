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
  cut takes effect, not when it was announced, and are skipped; so is a month (or a month and
  day) without a year that lies ahead of publication this year, after a future verb ("will cut
  19,000 jobs in October" in August is this October, not last October);
- a date after publication is never the announcement: the first date in the sentence that is not
  after publication is taken, else the publication date.

Every resolved date carries its **precision**, from the words that gave it: `day` (a written date,
a weekday, "today", "yesterday", and the publication date itself), `week` ("this week", "last
week"), `month` ("in January", "last month": the 5th/15th/25th stands in for the day) or `year`
("in 2023"). `announcement()` returns it with the date.

The period a cut *takes effect* in is read separately (`effective_period`): a date introduced by
one of those cue words, a stated date after publication ("will cut about 1,000 jobs in 2025" in a
December 2024 article), or "next year", "later this year" and the like. It is returned as the
first day of the period the words name and that period's precision (`day`, `month`, `quarter`,
`year`): "in 2025" is 2025-01-01 (year), "by the end of the first quarter of 2025" 2025-01-01
(quarter), "starting in March" 2025-03-01 (month), "effective June 1" the day. A period written
without its year ("in March", "in the fourth quarter") needs a cue or a future verb before it
("will cut 19,000 jobs in October"), and is the nearest such period to the publication, or the
next one when the sentence speaks of the future ("will", "plans to").
Fiscal periods ("fiscal 2025", "FY2025") are the company's own and are not read as calendar ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY, WEEK, MONTH, QUARTER, YEAR = "day", "week", "month", "quarter", "year"
# Finest first.
PRECISIONS = (DAY, WEEK, MONTH, QUARTER, YEAR)

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


# A verb that puts what follows in the future. Not "would": "said in January that it would cut" is
# reported speech about the past.
_FUTURE_VERB = re.compile(
    r"\b(?:will|shall|plans?\s+to|planning\s+to|is\s+to|are\s+to|intends?\s+to|aims?\s+to|expects?\s+to|"
    r"set\s+to|scheduled\s+to|going\s+to)\b|'ll\b",
    re.I,
)


def _ahead_after_future_verb(kind: str, m: re.Match, text: str, published_on: date | None) -> bool:
    """A month (and day) without a year, later in the publication's year than publication, after
    a future verb: the period the cut takes effect in, not an announcement a year back."""
    groups = m.groupdict()
    if kind not in ("month", "mdy", "dmy") or groups.get("y") or published_on is None:
        return False
    if kind == "month" and re.match(r"(?:last|since)\b", m.group(0), re.I):
        return False
    try:
        this_year = date(published_on.year, MONTHS[groups["mon"].rstrip(".").lower()],
                         1 if kind == "month" else int(groups["d"]))
    except ValueError:
        return False
    return this_year > published_on and bool(_FUTURE_VERB.search(text, 0, m.start()))


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    when: date
    kind: str  # the pattern that found it
    precision: str = DAY  # day | week | month | year: how much of `when` the words gave


@dataclass(frozen=True)
class Dated:
    """When a sentence says a cut was announced: the date, whether the words stated it (rather
    than the publication date standing in), and its precision (None with no date at all)."""

    when: date | None
    stated: bool
    precision: str | None


@dataclass(frozen=True)
class Period:
    """A period a cut takes effect in: its first day and its length (day, month, quarter, year)."""

    start: date
    precision: str


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
            if _FUTURE_CUE.search(text[max(0, m.start() - 40) : m.start()]) or \
                    _ahead_after_future_verb(kind, m, text, published_on):
                taken.append((m.start(), m.end()))
                continue
            when = _resolve(kind, m, published_on)
            taken.append((m.start(), m.end()))
            if when is not None:
                found.append(DateMention(m.start(), m.end(), when, kind, _precision(kind, m)))
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


_WEEK_WORDS = re.compile(r"week", re.I)
_MONTH_WORDS = re.compile(r"month", re.I)


def _precision(kind: str, m: re.Match) -> str:
    if kind == "month":
        return MONTH
    if kind == "year":
        return YEAR
    if kind == "relative":
        rel = m.group("rel")
        if _WEEK_WORDS.search(rel):
            return WEEK
        if _MONTH_WORDS.search(rel):
            return MONTH
    return DAY


def announcement(text: str, published_on: date | None) -> Dated:
    """When one sentence says the cut was announced: its first resolvable date that is not after
    publication (a later one is when the cut takes effect), with that date's precision; else the
    publication date, unstated, to the day. A sentence whose only dates lie after publication
    gives the first of them, stated: the caller puts the announcement at publication and reads
    the date as the effective period (`effective_period`)."""
    mentions = find_dates(text, published_on)
    if mentions:
        usable = [m for m in mentions if published_on is None or m.when <= published_on]
        first = (usable or mentions)[0]
        return Dated(first.when, True, first.precision)
    return Dated(published_on, False, DAY if published_on is not None else None)


def announced_on(text: str, published_on: date | None) -> tuple[date | None, bool]:
    """(date, stated) for one sentence: `announcement` without the precision."""
    found = announcement(text, published_on)
    return found.when, found.stated


def period_start(day: date, precision: str) -> date:
    """First day of the `precision`-long period holding `day` (a week starts on Monday)."""
    if precision == YEAR:
        return date(day.year, 1, 1)
    if precision == QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if precision == MONTH:
        return day.replace(day=1)
    if precision == WEEK:
        return day - timedelta(days=day.weekday())
    return day


def _period_end(start: date, precision: str) -> date:
    if precision == YEAR:
        return date(start.year, 12, 31)
    if precision in (QUARTER, MONTH):
        months = 3 if precision == QUARTER else 1
        year, month = divmod(start.month - 1 + months, 12)
        return date(start.year + year, month + 1, 1) - timedelta(days=1)
    return start


# Effective periods. A cue introduces the period ("effective", "starting", "by the end of", ...;
# the same words that keep a date from being an announcement); a year-bearing period after
# publication, "next year" and "later this year" need none.
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                  "final": 4}
_YEAR_REF = rf"(?P<y>{_YEAR})|(?P<rel_year>this|next)\s+year|the\s+(?P<the_year>year|next\s+year)"
_EFFECTIVE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("mdy", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR})\b)?")),
    ("quarter", re.compile(
        rf"\b(?:the\s+)?(?P<q>first|1st|second|2nd|third|3rd|fourth|4th|final)\s+quarter\b"
        rf"(?:\s+of\s+(?:{_YEAR_REF}))?", re.I)),
    ("quarter", re.compile(rf"\bQ(?P<qn>[1-4])(?:\s+(?:of\s+)?(?P<y>{_YEAR})\b)?")),
    ("quarter", re.compile(rf"\b(?P<y>{_YEAR})\s*-?\s*Q(?P<qn>[1-4])\b")),
    ("month", re.compile(rf"\b(?P<mon>{_MONTH})(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b(?![\s-]*\d)")),
    # A year only after a preposition: "a 2025 target" and "the 2023 layoffs" name no period of the cut.
    ("year", re.compile(
        r"\b(?:in|during|by|until|till|through|throughout|from|starting|beginning|before|within|early|mid-?|late|"
        rf"(?:end|start|beginning|middle|course|spring|summer|fall|autumn|winter)\s+of)\s+(?:calendar\s+)?(?P<y>{_YEAR})\b"
        r"(?![\w%-]|,\d)", re.I)),
    ("relative", re.compile(
        r"(?<!the\s)\b(?P<rel>next\s+(?:year|quarter|month)|later\s+(?:this|in\s+the)\s+(?:year|quarter|month)|"
        r"end\s+of\s+(?:this|the)\s+(?:year|quarter|month)|year[\s-]+end|this\s+(?:year|quarter|month))\b", re.I)),
]
# The words that put a period on when the cut takes effect. Narrower than _FUTURE_CUE (which only
# keeps such dates from being announcement dates): "at the end of March" is a point in time ("had
# 12,900 employees at the end of March"), "by the end of March" a deadline.
_EFFECTIVE_CUE = re.compile(
    r"(?:\beffective(?:\s+(?:from|on|in|as\s+of))?|\bstarting(?:\s+(?:from|in|on))?|\bbeginning(?:\s+(?:from|in|on))?|"
    r"\bbegins?\s+(?:in|on)|\bfrom|\bby|\buntil|\btill|\bthrough|\bbefore|\btakes?\s+effect(?:\s+(?:in|on|from))?|"
    r"\b(?:by|until|till|through|before)\s+the\s+(?:end|close|start|middle)\s+of|"
    r"\bexpected\s+(?:in|by|to\s+\w+\s+(?:in|by))|\bcomplete[d]?\s+(?:in|by)|\bscheduled\s+(?:for|in)|"
    r"\bwill\s+\w+\s+(?:in|on|from)|\bwill\s+(?:in|on)|\blast\s+day\s+(?:is|will\s+be|on))"
    r"\s+(?:(?:early|mid|late|the)[\s-]+)?$",
    re.I,
)
_FISCAL = re.compile(r"\b(?:fiscal|FY|financial\s+year)\s*$", re.I)
# Without a cue, a period is the cut's only after a preposition: "in Q2 2025", "in March 2025";
# "ahead of its Q1 2025 earnings" names a report, not the cut.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|on|during|by|until|till|through|throughout|from|before|within|around|starting|beginning|early|mid|late)"
    r"[\s-]+(?:the\s+)?$", re.I)
_TRAILING_WORDS = re.compile(r"(?:\b(?:in|on|at|during)\s+)?(?:\b(?:early|mid|late)[\s-]+)?$", re.I)
_FUTURE_TENSE = re.compile(
    r"\b(?:will|would|shall|plans?|planning|expects?|expected|intends?|set\s+to|scheduled|due\s+to|going\s+to|"
    r"is\s+to|are\s+to|to\s+be)\b|'ll\b", re.I)


def _cued(text: str, at: int) -> bool:
    """A cue word ("effective", "starting", "by the end of" ...) just before position `at`, perhaps
    followed by "in" / "early" ("starting in early March")."""
    before = text[max(0, at - 50) : at]
    return bool(_EFFECTIVE_CUE.search(before) or _EFFECTIVE_CUE.search(before[: _TRAILING_WORDS.search(before).start()]))


def effective_period(text: str, published_on: date | None) -> Period | None:
    """The period the cut takes effect in, as `text` states it, or None. Of several, the one that
    starts first (the finer one on a tie). See the module docstring for the rules. The caller
    drops a period that ends before the announcement's ("effective January 15" in a March
    article is done, not ahead)."""
    future = bool(_FUTURE_TENSE.search(text))
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _EFFECTIVE_PATTERNS:
        for m in pattern.finditer(text):
            if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            core = m.start("y") if kind == "year" else m.start()
            if _FISCAL.search(text[max(0, core - 20) : core]) or re.match(r"\s*fiscal\b", text[m.end() :], re.I):
                continue  # the company's own year, not the calendar's
            cued = _cued(text, core)
            resolved = _resolve_period(kind, m, published_on, forward=future)
            if resolved is None:
                continue
            start, precision, named = resolved
            if named == "next":
                keep = True
            elif named == "end":
                keep = cued or future
            elif named == "yearless":
                # "will cut 19,000 jobs in October" (in August): ahead, after a future verb
                keep = cued or (published_on is not None and start > published_on
                                and bool(_FUTURE_VERB.search(text, 0, m.start())))
            elif named == "this":
                keep = cued
            else:  # a year is written
                after_preposition = kind == "year" or _PREPOSITION_BEFORE.search(text[max(0, core - 30) : core])
                keep = cued or (after_preposition and published_on is not None and start > published_on)
            if keep:
                found.append(Period(start, precision))
    if not found:
        return None
    order = {p: i for i, p in enumerate(PRECISIONS)}
    return min(found, key=lambda p: (p.start, order[p.precision]))


def _year_of(m: re.Match, published_on: date | None) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    if published_on is None:
        return None
    rel = (groups.get("rel_year") or groups.get("the_year") or "").lower()
    if rel.startswith("next"):
        return published_on.year + 1
    if rel in ("this", "year"):
        return published_on.year
    return None


def _nearest(candidates: list[tuple[date, str]], published_on: date, forward: bool) -> tuple[date, str] | None:
    """Of the same period in neighbouring years, the one nearest to publication; with `forward`,
    the first that has not ended by publication."""
    if forward:
        ahead = [c for c in candidates if _period_end(*c) >= published_on]
        return min(ahead, key=lambda c: c[0]) if ahead else None

    def distance(c: tuple[date, str]) -> int:
        start, end = c[0], _period_end(*c)
        if start <= published_on <= end:
            return 0
        return min(abs((start - published_on).days), abs((end - published_on).days))

    return min(candidates, key=lambda c: (distance(c), c[0] < published_on))


def _resolve_period(kind: str, m: re.Match, published_on: date | None, forward: bool) -> tuple[date, str, str] | None:
    """(first day, precision, how it was named) for one effective mention. How: 'year' (written
    with its year), 'yearless', 'next' ("next year", "later this year"), 'end' ("by the end of the
    year", "year-end": this period) or 'this' ("this year")."""
    groups = m.groupdict()
    if kind == "relative":
        if published_on is None:
            return None
        rel = re.sub(r"[\s-]+", " ", groups["rel"].lower())
        unit = YEAR if "year" in rel else QUARTER if "quarter" in rel else MONTH
        start = period_start(published_on, unit)
        if rel.startswith("next"):
            start = date(start.year + 1, 1, 1) if unit == YEAR else _period_end(start, unit) + timedelta(days=1)
            return start, unit, "next"
        if rel.startswith("later"):
            return start, unit, "next"
        if rel.startswith("end") or rel == "year end":
            return start, unit, "end"
        return start, unit, "this"
    year = _year_of(m, published_on)
    if kind == "iso":
        try:
            return date(year, int(groups["m"]), int(groups["d"])), DAY, "year"
        except (TypeError, ValueError):
            return None
    if kind == "year":
        return date(year, 1, 1), YEAR, "year"
    if kind == "quarter":
        q = int(groups["qn"]) if groups.get("qn") else _QUARTER_WORDS[groups["q"].lower()]

        def make(y: int) -> tuple[date, str] | None:
            return date(y, 3 * (q - 1) + 1, 1), QUARTER
    elif kind == "month":
        month = MONTHS[groups["mon"].rstrip(".").lower()]
        if groups["mon"].rstrip(".") == "May" and year is None:
            return None  # "may" is usually the verb

        def make(y: int) -> tuple[date, str] | None:
            return date(y, month, 1), MONTH
    else:  # mdy, dmy
        month = MONTHS[groups["mon"].rstrip(".").lower()]

        def make(y: int) -> tuple[date, str] | None:
            try:
                return date(y, month, int(groups["d"])), DAY
            except ValueError:
                return None
    if year is not None:
        made = make(year)
        named = "year" if groups.get("y") else "next" if (groups.get("rel_year") or groups.get("the_year") or "").lower().startswith("next") else "this"
        return (*made, named) if made else None
    if published_on is None:
        return None
    options = [c for c in (make(published_on.year + k) for k in (-1, 0, 1)) if c is not None]
    chosen = _nearest(options, published_on, forward)
    return (*chosen, "yearless") if chosen else None


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
