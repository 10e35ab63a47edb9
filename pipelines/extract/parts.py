"""Figures given as a part of another figure, within one sentence.

"Amazon will eliminate 9,000 more positions ... about 400 Twitch jobs go as part of the round":
the 400 are Twitch's cut, and also inside the 9,000. A company's total must count the whole, not
whole + part, so each part is linked to its whole (`CutFact.part_of_index`, then
`part_of_mention_id` in raw.cut_mentions and `part_of_cut_id` in marts.fct_cuts).

The cue words, and which figure is the part:

- the part follows the cue: "9,000 jobs, **including** 400 at Twitch", "**of which** 400 are at
  Twitch", "**among them** 1,900 at Xbox", "**of those**, 300 in Seattle", "the layoffs
  **include** 100 people at Respawn", "**among the planned reductions are** 600 jobs in R&D"; the
  whole is the figure before the cue in the sentence, if any;
- the part comes first: "400 jobs at Twitch **as part of** the round / Amazon's 9,000 cuts",
  "400 ... **are part of** the reduction", "... **are among** the 9,000"; the whole is the figure
  after the cue, if the sentence gives one;
- the whole is named back: "400 **of the 9,000** jobs", "**Of the 8,000** layoffs, 1,200 will hit
  Reality Labs", "1,200 **out of the 8,000**": the whole is that figure (or, when the sentence
  gives no figure of its own for it, its value, which the merge looks up among the article's
  cuts). "Of its 12,000 staff" is a workforce, not a whole: only "the", "those" and "these" refer
  back to a cut.

A whole that is not in the sentence ("as part of the round") is the article's larger cut of the
same company: merge.py picks the company-wide one first, then a unit above the part's. A part is
linked only to a whole whose figure is larger than its own, so nothing is ever a part of itself
and no chain of parts can loop. A number after a cue counts people even without a noun
("including 400 at Twitch"), because the cue says it is a share of a headcount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .headcount import Figure, apply_qualifier
from .numbers import NUMBER, is_year, parse_number
from .reference import Reference


@dataclass(frozen=True)
class PartOf:
    """What a figure is a part of. With neither field set, the whole is elsewhere in the article."""

    whole_start: int | None = None  # start of the whole's figure in the same sentence
    whole_value: int | None = None  # the whole's size, when the sentence only names it ("of the 9,000")


_QUALIFIER = (
    r"(?:(?:some|about|around|roughly|nearly|almost|approximately|an\s+estimated|more\s+than|over|"
    r"up\s+to|as\s+many\s+as|at\s+least|just\s+over|just\s+under|close\s+to)\s+)?"
)
_DETERMINER_BACK = r"(?:the|those|these)"
# Before a part: "including", "of which", "among them (are)", "of those,", "Of the 9,000 (cuts),".
_CUE_BEFORE = re.compile(
    r"(?:\b(?:including|includ(?:e|es|ed)|of\s+which|of\s+whom|among\s+(?:them|those|these|whom)|"
    r"among\s+the\s+(?:\w+\s+){0,2}?(?:reductions|cuts|layoffs|lay-offs|job\s+losses|redundancies|positions|roles|jobs)|"
    r"of\s+(?:them|those|these)(?=\s*,))"
    r"(?:\s+(?:are|were|is|was|will\s+be|would\s+be))?"
    rf"|\b(?:out\s+of|of)\s+{_DETERMINER_BACK}\s+(?:\w+\s+)?(?P<back>{NUMBER})(?:\s+[\w-]+){{0,2}}?\s*,)"
    rf"[\s,:]*{_QUALIFIER}$",
    re.I,
)
# After a part: "as part of", "are part of", "are among", "are included in".
_CUE_AFTER = re.compile(
    r"[^.;:]{0,90}?\b(?:(?:as|is|are|was|were|will\s+be|would\s+be|come|comes|came|forms?)\s+(?:a\s+)?part\s+of|"
    r"(?:are|were|is|was)\s+(?:among|included\s+in))\s+",
    re.I,
)
# "N of the M", "N (jobs) out of the M": M is the whole, named back.
_OF_THE = re.compile(
    r"\s*(?:(?:jobs?|roles?|positions?|posts|employees|workers|staff|people|layoffs?|cuts|redundancies)\s+)?"
    rf"(?:out\s+of|of)\s+{_DETERMINER_BACK}\s+(?:\w+\s+)?(?P<back>{NUMBER})",
    re.I,
)
# What a whole after "part of" may start with: a determiner, its own company's possessive, or a
# size word. "as part of the industry's 200,000 job losses" is no whole of this company's.
_OWNER = re.compile(r"(?P<owner>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})'s\s+")
_WHOLE_LEAD = re.compile(
    r"(?:(?:the|its|their|this|that|a|an|(?:the\s+)?(?:company|group|firm|parent(?:\s+company)?)'s)\s+)?"
    r"(?:(?:planned|announced|previously\s+announced|total|overall|wider|broader|larger|latest|new|"
    r"global|company-wide|companywide|first|second|third|same|earlier|recent)\s+){0,3}"
    rf"{_QUALIFIER}",
    re.I,
)
# A bare number after a cue is a headcount unless what follows makes it something else.
_BARE_END = re.compile(
    r"\s*(?:[,.;:)]|$|\b(?:are|were|is|was|will|would|at|in|from|across|within|on|of|based|employed|working|"
    r"and|or)\b)",
    re.I,
)
_NOT_PEOPLE = re.compile(r"\s*(?:%|percent|per\s+cent|\$|dollars|billion|million\s+(?:dollars|euros|pounds)|"
                         r"stores?|sites?|offices?|plants?|branches|years?|months?|weeks?|days?)\b", re.I)
_NUMBER_RE = re.compile(NUMBER, re.I)
# A whole written after "part of" whose number a name owns ("as part of Amazon's 9,000 job cuts":
# headcount.py leaves a number after a capitalised word alone).
_PART_OF_OWNED = re.compile(r"\bpart\s+of\s+[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2}'s\s+" + _WHOLE_LEAD.pattern + "$", re.I)
_COUNTED = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:jobs?|roles?|positions?|posts|employees|workers|staff|people|layoffs?|lay-offs|cuts|"
    r"redundancies|job\s+losses)\b", re.I)
# "... including 400 at Twitch and 100 at Audible": the next number of one list.
_LIST_NEXT = re.compile(rf"^[^.;:]{{0,60}}?(?:,|\band\b)\s*{_QUALIFIER}$", re.I)


@dataclass
class Parts:
    """A sentence's figures (bare numbers after a cue added) and which of them are parts."""

    figures: list[Figure]
    links: dict[int, PartOf] = field(default_factory=dict)  # by figure start
    wholes: set[int] = field(default_factory=set)  # starts of figures that are a part's whole here

    def part_of(self, figure: Figure | None) -> PartOf | None:
        return None if figure is None else self.links.get(figure.start)

    def for_pairing(self, has_units: bool) -> list[Figure]:
        """The figures to pair with the clause's units. With no unit named, the clause's cut is its
        whole ("Amazon will cut 9,000 jobs, including 1,985 in Washington" is 9,000), so parts
        are left out unless nothing else is left."""
        if has_units:
            return self.figures
        return [f for f in self.figures if f.start not in self.links] or self.figures

    def with_wholes(self, pairs: list[tuple]) -> list[tuple]:
        """`pairs` (unit, figure), plus the company-wide cut for a whole no unit took: "Amazon will
        cut 9,000 jobs, including 400 at Twitch" is Twitch's 400 and Amazon's 9,000."""
        paired = {id(fig) for _, fig in pairs if fig is not None}
        extra = [(None, f) for f in self.figures if f.start in self.wholes and id(f) not in paired]
        return pairs + extra


def read_parts(text: str, figures: list[Figure], ref: Reference, company: str, subject_start: int = -1) -> Parts:
    """Which of `figures` (the count figures of one clause, in text order) are parts, and of what.

    `company` is the clause's company and `subject_start` where the clause names it (-1 when it is
    inherited): a whole that comes before the company is named ("Big Tech has shed 200,000 jobs,
    including 12,000 at Google") is somebody else's total, and so is one owned by another name
    ("as part of the industry's 200,000 job losses")."""
    figures = _with_bare_parts(text, sorted(figures, key=lambda f: f.start), ref)
    parts = Parts(figures)
    for i, fig in enumerate(figures):
        link = (_link_before(text, figures, i) or _link_after(text, figures, i, company, ref)
                or _link_named_back(text, figures, i))
        if link is None:
            continue
        if link.whole_start is not None:
            whole = next(f for f in figures if f.start == link.whole_start)
            if not _larger(whole, fig):
                continue  # a "whole" no larger than its part is a misreading
            if 0 <= subject_start and whole.start < subject_start:
                link = PartOf()  # not this company's figure; its whole may be elsewhere in the article
            else:
                parts.wholes.add(whole.start)
        parts.links[fig.start] = link
    # A whole is never itself a part of another figure of the same sentence.
    for start in parts.wholes:
        link = parts.links.get(start)
        if link is not None and link.whole_start is not None:
            del parts.links[start]
    return parts


def _larger(whole: Figure, part: Figure) -> bool:
    if whole.high is None or part.high is None:
        return False
    return whole.high > part.high


def _link_before(text: str, figures: list[Figure], i: int) -> PartOf | None:
    fig = figures[i]
    base = max(0, fig.start - 120)
    cue = _CUE_BEFORE.search(text[base : fig.start])
    if cue is None:
        # The next part of a list a cue opened ("including 400 at Twitch and 100 at Audible").
        if i > 0 and _LIST_NEXT.match(text[figures[i - 1].end : fig.start]):
            return _link_before(text, figures, i - 1)
        return None
    if cue.group("back"):
        return _named_back(cue.group("back"), figures, base + cue.start("back"))
    before = [f for f in figures if f.end <= base + cue.start()]
    return PartOf(whole_start=before[-1].start) if before else PartOf()


def _link_after(text: str, figures: list[Figure], i: int, company: str, ref: Reference) -> PartOf | None:
    fig = figures[i]
    later = figures[i + 1 :]
    cue = _CUE_AFTER.match(text, fig.end)
    if cue is None:
        return None
    if later and later[0].start < cue.start():
        return None  # another figure between this one and the cue: the cue is that figure's
    at = cue.end()
    owner = _OWNER.match(text, at)
    if owner is not None:
        owned_by = ref.entity_lookup.get(owner.group("owner"))
        if owned_by is None or owned_by[0] != company:
            return None  # "as part of the industry's 200,000 job losses"
        at = owner.end()
    lead = _WHOLE_LEAD.match(text, at)
    at = lead.end() if lead else at
    whole = next((f for f in later if f.start <= at < f.end), None)
    if whole is not None:
        return PartOf(whole_start=whole.start)
    number = _NUMBER_RE.match(text, at)
    if number is not None and not is_year(number.group(0)):
        value = parse_number(number.group(0))
        if value:
            return PartOf(whole_value=int(round(value)))
    return PartOf()


def _link_named_back(text: str, figures: list[Figure], i: int) -> PartOf | None:
    """"400 of the 9,000 jobs" (the whole inside the part's own figure, as its base) or "1,200 jobs
    out of the 8,000" (just after it)."""
    fig = figures[i]
    if fig.base is not None:
        inside = _OF_THE.search(text, fig.start, fig.end)
        if inside is not None:
            return _named_back(inside.group("back"), figures, None)
    after = _OF_THE.match(text, fig.end)
    if after is not None:
        return _named_back(after.group("back"), figures, after.start("back"))
    return None


def _named_back(number: str, figures: list[Figure], at: int | None) -> PartOf | None:
    if is_year(number):
        return None
    if at is not None:
        whole = next((f for f in figures if f.start <= at < f.end), None)
        if whole is not None:
            return PartOf(whole_start=whole.start)
    value = parse_number(number)
    return PartOf(whole_value=int(round(value))) if value else None


def _with_bare_parts(text: str, figures: list[Figure], ref: Reference) -> list[Figure]:
    """`figures` plus numbers without a noun that a part cue introduces ("including 400 at
    Twitch", "of which 400 are in Seattle", "Of the 8,000 layoffs, 1,200 will hit ...")."""
    taken = [(f.start, f.end) for f in figures]
    added: list[Figure] = []
    for m in _NUMBER_RE.finditer(text):
        if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
            continue
        raw = m.group(0)
        if is_year(raw) or not raw[0].isdigit() and (parse_number(raw) or 0) < 2:
            continue
        if _NOT_PEOPLE.match(text, m.end()):
            continue
        if not _BARE_END.match(text, m.end()) and not _COUNTED.match(text, m.end()):
            continue
        prefix = text[max(0, m.start() - 120) : m.start()]
        after_cue = _CUE_BEFORE.search(prefix) is not None
        owned_whole = _PART_OF_OWNED.search(prefix) is not None and _COUNTED.match(text, m.end()) is not None
        if not after_cue and not owned_whole:
            previous = [f for f in figures + added if f.end <= m.start()]
            last = previous[-1] if previous else None
            opened = last is not None and (last in added or _CUE_BEFORE.search(text[max(0, last.start - 120) : last.start]))
            if not (opened and _LIST_NEXT.match(text[last.end : m.start()])):
                continue
        value = parse_number(raw)
        if not value or value < 1:
            continue
        qualifier = _qualifier(prefix, ref)
        start = m.start() - len(qualifier) if qualifier else m.start()
        low, high, precision = apply_qualifier(int(round(value)), qualifier.strip().lower() if qualifier else None, ref)
        figure = Figure(start, m.end(), low, high, text[start : m.end()].strip(), precision=precision)
        added.append(figure)
        taken.append((figure.start, figure.end))
    return sorted(figures + added, key=lambda f: f.start)


def _qualifier(prefix: str, ref: Reference) -> str | None:
    """The approximation word ("about", "nearly") that ends `prefix`, with the space after it."""
    lowered = prefix.lower()
    best = None
    for qualifier in ref.approximations:
        tail = qualifier + " "
        if lowered.endswith(tail) and (len(lowered) == len(tail) or not lowered[-len(tail) - 1].isalnum()):
            if best is None or len(qualifier) > len(best.strip()):
                best = prefix[-len(tail) :]
    return best
