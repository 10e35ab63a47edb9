"""Find figures that count people in a sentence and turn them into ranges.

Only numbers attached to a people noun ("650 jobs", "hundreds of workers",
"10% of its staff") are read; money, stores, years and model numbers never
are, because nothing here looks at a number without its noun.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction

from .numbers import NUMBER, is_year, parse_number
from .reference import Reference

PEOPLE = (
    r"(?:jobs?|roles?|positions?|posts|employees?|workers?|staff(?:ers?)?|people|persons|personnel|"
    r"(?:staff|team|crew)\s+members|headcount|workforce|engineers?|contractors?|managers?|executives?|"
    r"associates?|colleagues?|salespeople|journalists?|reporters?|developers?|designers?|recruiters?|"
    r"programmers?|technicians?|researchers?|drivers?|editors?|producers?|artists?|individuals|nurses|teachers|"
    r"pilots|agents|analysts|scientists|testers|moderators|cashiers|clerks|machinists|mechanics|"
    r"white-collar\s+workers|corporate\s+employees|members\s+of\s+(?:staff|the\s+team|its\s+team))"
)
# Counted cuts named by the cut itself ("1,000 layoffs").
CUT_NOUNS = r"(?:layoffs?|lay-offs?|(?:job\s+)?cuts|job\s+losses|redundancies|(?:job\s+)?reductions|(?:job\s+)?eliminations)"

# Words that may sit between a number and its noun ("650 Xbox employees",
# "1,800 full-time corporate workers") but never these: they mean the number
# counts something else or the phrase has moved on.
_GAP_STOP = (
    r"(?:stores?|locations?|sites?|offices?|plants?|factories|branches|dollars|shares|percent|years?|"
    # "500 products" are not people, but "3,800 product development and administration jobs" are
    r"months?|weeks?|days?|hours?|vehicles?|cars?|units?|"
    r"products?(?!\s+(?:development|design|management|engineering|marketing|support|teams?)\b)|customers?|users?|subscribers?|"
    r"sellers?|merchants?|stations?|warehouses?|facilities|flights?|aircraft|planes?|games?|titles?|apps?|"
    r"countries|cities|markets?|accounts?|orders?|billion|open|unfilled|vacant|new|in|at|to|from|across|for|with|than|by|on|"
    r"will|would|were|was|are|is|be|been|had|has|have|who|which|that|or|but|while|as|per|said|says|"
    r"its|their|the|a|an|of)"
)
_GAP = rf"(?:\s+(?!{_GAP_STOP}\b)[A-Za-z][\w&.'-]*){{0,4}}?"
_OF = r"(?:\s+of(?:\s+(?:its|their|the|our|his|her|this|that|these|those|[A-Z][\w&.-]*'s|company's|firm's|group's)){0,2})?"
_FOLLOWS_PEOPLE = re.compile(rf"{_OF}{_GAP}\s+(?:(?P<people>{PEOPLE})|(?P<cuts>{CUT_NOUNS}))\b", re.I)
# Workforce size: "a 72,000-person workforce", "an 18,000-strong staff".
_FOLLOWS_SIZE_ADJ = re.compile(r"[\s-]*(?:person|people|employee|member|strong)\b", re.I)

_QUAL_WORDS = (
    r"(?:(?:about|around|roughly|nearly|near|almost|more\s+than|over|some|approximately|an\s+estimated|close\s+to|"
    r"just\s+over|just\s+under|fewer\s+than|less\s+than|at\s+least|upwards\s+of|north\s+of|in\s+excess\s+of)\s+)?"
)
_NUM_RE = re.compile(NUMBER, re.I)
_RANGE_RE = re.compile(
    rf"\bbetween\s+(?P<a>{NUMBER})\s+and\s+(?P<b>{NUMBER})|(?P<c>{NUMBER})\s*(?:-|–|\bto\b)\s*(?P<d>{NUMBER})",
    re.I,
)
_PCT_RE = re.compile(rf"(?P<num>{NUMBER})\s*(?:%|percent\b|per\s+cent\b)", re.I)
_FRACTION_WORDS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "one-third": 100 / 3,
    "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0, "one-quarter": 25.0,
    "a fifth": 20.0, "one fifth": 20.0, "one-fifth": 20.0, "a tenth": 10.0, "one tenth": 10.0, "one-tenth": 10.0,
}
_FRACTION_RE = re.compile(
    r"(?<![\w-])(?P<num>" + "|".join(sorted((re.escape(k) for k in _FRACTION_WORDS), key=len, reverse=True)) + r")(?=\s+of\b)",
    re.I,
)
_OF_WORKFORCE = re.compile(
    rf"\s+of\s+(?:(?:its|their|the|our|his|her|[A-Z][\w&.-]*'s|company's|firm's)\s+){{0,2}}"
    rf"(?:{_QUAL_WORDS}(?P<base>{NUMBER})[\s-]+(?:(?:strong|person|member)\s+)?)?"
    rf"(?:[a-z][\w-]*\s+){{0,2}}?(?:{PEOPLE})\b",
    re.I,
)
_WORKFORCE_BY = re.compile(
    r"(?:workforce|headcount|staff|staffing|employees|workers|payroll|jobs|employee\s+base|employee\s+count|"
    r"head\s+count|labor\s+force)\s+(?:by\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
_PCT_REDUCTION = re.compile(
    r"\s*(?:(?:of\s+)?(?:workforce|headcount|staff|job|jobs|employee|staffing)\s+(?:reductions?|cuts?)\b|"
    r"\s+(?:reduction|cut|decrease|drop)\s+(?:in|to|of)\s+(?:(?:its|the|their|our|global|total|overall|corporate)\s+){0,2}"
    r"(?:workforce|headcount|staff|employees|jobs|staffing)\b)",
    re.I,
)
# "cut 200 of its 1,000 employees"
_N_OF_M = re.compile(rf"\s+of\s+(?:(?:its|their|the|our|[A-Z][\w&.-]*'s)\s+)?(?P<base>{NUMBER})\s+(?:[a-z][\w-]*\s+){{0,2}}?{PEOPLE}\b", re.I)

# A figure right after these is the size of the workforce, not a cut.
_BASE_BEFORE = re.compile(
    r"(?:\bemploys|\bemployed|\bemploying|\bemploy|\bhad|\bhas|\bhave|\bhaving|\bwith|\bworkforce\s+of|"
    r"\bheadcount\s+of|\bstaff\s+of|\bteam\s+of|\bpayroll\s+of|\btotal\s+of|\bnumbered|\bnumbers|\bgrew\s+to|"
    r"\bstood\s+at|\bstands\s+at|\btotal(?:l?ed|s)|\bits|\btheir|\bthe\s+company's|\bthe\s+firm's)\s+" + _QUAL_WORDS + r"$",
    re.I,
)
# "laying off a total of 4,800 employees": a total of those cut, not the workforce.
_CUT_TOTAL = re.compile(
    r"\b(?:off|cut|cutting|cuts|eliminat\w+|shed\w*|ax\w+|slash\w*|los\w+)\s+(?:a\s+)?total\s+of\s+" + _QUAL_WORDS + r"$", re.I
)
_SIZE_OF = re.compile(r"\b(?:workforce|headcount|staff|payroll|employee\s+count|employee\s+base)\s+(?:of|at|to)\s+" + _QUAL_WORDS + r"$", re.I)
# ...and after these it is a hiring figure.
_HIRE_BEFORE = re.compile(
    r"\b(?:hire|hires|hiring|hired|add|adds|adding|added|create|creates|creating|created|recruit|recruits|"
    r"recruiting|recruited|rehire|rehiring|rehired|onboard|onboarding|bring\s+on|bringing\s+on|keep|keeping|"
    r"retain|retaining|reassign|reassigning|redeploy|redeploying|move|moving|transfer|transferring)"
    r"\s+(?:(?:another|an\s+additional|a\s+further|about|around|roughly|nearly|some|more\s+than|over|up\s+to)\s+)?$",
    re.I,
)
# A bare number right after a cut verb counts people ("laid off 200 on Monday").
_CUT_VERB_BEFORE = re.compile(
    r"\b(?:lay(?:s|ing)?\s+off|laid\s+off|cut(?:s|ting)?|eliminat(?:e|es|ed|ing)|shed(?:s|ding)?|ax(?:e|es|ed|ing)?|"
    r"slash(?:es|ed|ing)?|trim(?:s|med|ming)?|affect(?:s|ed|ing)?|impact(?:s|ed|ing)?|totall?ing|dismiss(?:es|ed|ing)?|"
    r"(?:get|gets|getting|got)\s+rid\s+of)"
    r"\s+(?:(?:another|an\s+additional|a\s+further)\s+)?(?:\w+(?:\s+\w+)?\s+)?$|"
    # "cut its workforce by 11,000", "reduce headcount by about 2,000"
    r"\b(?:cut(?:s|ting)?|reduc(?:e|es|ed|ing)|shrink(?:s|ing)?|shrank|trim(?:s|med|ming)?|slash(?:es|ed|ing)?|"
    r"lower(?:s|ed|ing)?)\s+"
    r"(?:(?:its|their|the|our|global|total|overall|corporate)\s+){0,2}"
    r"(?:workforce|headcount|staff|staffing|payroll|employee\s+base|head\s+count)\s+by\s+"
    r"(?:(?:about|around|roughly|some|nearly|almost|more\s+than|over|up\s+to|as\s+many\s+as|at\s+least|approximately)\s+)?$",
    re.I,
)
_NOT_A_COUNT_AFTER = re.compile(
    r"\s*(?:%|percent|per\s+cent|\$|dollars|billion|million\s+dollars|[a-z]+\s+(?:stores|sites|offices)|"
    r"stores?|sites?|offices?|years?|months?|weeks?|days?|hours?|times|a\.m\.|p\.m\.|am\b|pm\b|[,.]\d)",
    re.I,
)
# A bare count ends its phrase: "laid off 200 on Monday", "cut 1,400."
_BARE_END = re.compile(
    r"\s*(?:[,.;:)]|$|\b(?:in|at|on|from|across|this|last|over|during|worldwide|globally|earlier|since|as|and|but|after|"
    r"before|when|while|according|including|more|total|overall|by)\b)",  # "by 2,800 by 2025"
    re.I,
)
_CAP_WORD_BEFORE = re.compile(r"([A-Z][\w&'-]*)\s+$")


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    low: int | None
    high: int | None
    text: str
    pct: float | None = None
    # 4 exact, 3 approximate around a figure, 2 bounded on one side or a range,
    # 1 a vague phrase or only a ceiling, 0 a percentage with no known base.
    precision: int = 4
    role: str = "count"  # count | base | hire
    base: int | None = None  # workforce size stated inside the figure itself
    derived: bool = False  # worked out from a percentage, not stated as a count


def _qualifier_at_end(prefix: str, ref: Reference) -> tuple[str | None, int]:
    """The approximation word that ends `prefix`, and where it starts."""
    stripped = prefix.rstrip()
    tail = stripped[-30:].lower()
    best = None
    for qualifier in ref.approximations:
        if tail.endswith(qualifier) and (len(tail) == len(qualifier) or not tail[-len(qualifier) - 1].isalnum()):
            if best is None or len(qualifier) > len(best):
                best = qualifier
    if best is None:
        return None, 0
    return best, len(stripped) - len(best)


def apply_qualifier(value: int, qualifier: str | None, ref: Reference) -> tuple[int, int, int]:
    """(low, high, precision) for a single stated figure and its qualifier."""
    if qualifier is None:
        return value, value, 4
    rule = ref.approximations.get(qualifier)
    if rule is None or rule.kind == "exact":
        return value, value, 3
    if rule.kind == "ceiling":
        return 1, value, 1
    low = value if rule.low_factor is None else math.ceil(Fraction(value) * rule.low_factor)
    high = math.floor(Fraction(value) * rule.high_factor)
    return low, high, 2


def _as_int(text: str) -> int | None:
    value = parse_number(text)
    if value is None or value < 1:
        return None
    return int(round(value))


def find_figures(sentence: str, ref: Reference) -> list[Figure]:
    """Every people-counting figure in the sentence, in text order."""
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(fig: Figure, span_start: int, span_end: int) -> None:
        figures.append(fig)
        taken.append((span_start, span_end))

    # "reduce its headcount from 130,000 to around 80,000": the cut is the difference, and neither
    # number is a count of people cut.
    for m in _FROM_TO.finditer(sentence):
        fig = _reduction_figure(m, ref)
        if fig:
            add(fig, m.start(), m.end())
    for m in _DOWN_FROM.finditer(sentence):
        fig = _reduction_figure(m, ref)
        if fig and free(m.start(), m.end()):
            add(replace(fig, start=m.start("after"), text=sentence[m.start("after") : m.end()]), m.start(), m.end())

    # Ranges first, so their two ends are not read as separate figures.
    for m in _RANGE_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        a_text, b_text = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        a_value, b_value = parse_number(a_text), parse_number(b_text)
        if a_value is None or b_value is None or is_year(a_text) or is_year(b_text):
            continue
        if re.search(r"million|thousand|k\b", b_text, re.I) and not re.search(r"million|thousand|k\b", a_text, re.I):
            scale = parse_number(b_text) / parse_number(re.sub(r"\s*(million|thousand|k)\b.*", "", b_text, flags=re.I) or "1")
            a_value *= scale
        if not (1 <= a_value < b_value):
            continue
        if not _FOLLOWS_PEOPLE.match(sentence, m.end()):
            continue
        text = m.group(0)
        add(Figure(m.start(), m.end(), int(round(a_value)), int(round(b_value)), text, precision=2), m.start(), m.end())

    for m in _PCT_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        fig = _percent_figure(sentence, m.start(), m.end(), parse_number(m.group("num")), ref)
        if fig:
            add(fig, fig.start, fig.end)
    for m in _FRACTION_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        fig = _percent_figure(sentence, m.start(), m.end(), _FRACTION_WORDS[m.group("num").lower()], ref)
        if fig:
            add(fig, fig.start, fig.end)

    if ref.vague_phrases:
        for m in ref.vague_regex.finditer(sentence):
            # '"dozens" of lay-offs': a quoted vague word is still one
            after = m.end() + 1 if sentence[m.end() : m.end() + 1] in "\"'”’" and m.end() < len(sentence) else m.end()
            if not free(m.start(), m.end()) or not _FOLLOWS_PEOPLE.match(sentence, after):
                continue
            low, high = ref.vague_lookup[m.group(0).lower()]
            add(Figure(m.start(), m.end(), low, high, m.group(0), precision=1), m.start(), m.end())

    for m in _NUM_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        if m.group(0).lower() in _SCALE_WORDS and _SCALE_OF.search(sentence, 0, m.start()):
            # "a couple of thousand jobs" is about 2,000, not 1,000; the vague-phrase table does not
            # list it, so it stays without a figure rather than take a wrong one.
            continue
        fig = _count_figure(sentence, m, ref)
        if fig:
            add(fig, fig.start, fig.end)

    figures.sort(key=lambda f: f.start)
    return figures


_SCALE_WORDS = frozenset({"hundred", "thousand"})
_SCALE_OF = re.compile(r"\b(?:couple|lot|lots|number|handful|bunch)\s+of\s+$", re.I)
_FROM_TO = re.compile(
    rf"\b(?:headcount|workforce|staff|employees|jobs|positions|payroll|people|workers|labou?r\s+(?:force|resource))\b"
    rf"[^.;]{{0,40}}?\bfrom\s+"
    rf"(?:about\s+|around\s+|roughly\s+|some\s+)?(?P<before>{NUMBER})(?:\s+(?:{PEOPLE}))?\s+to\s+"
    rf"(?:(?P<qual>about|around|roughly|some|approximately|between)\s+)?(?P<after>{NUMBER})"
    rf"(?:(?:\s+(?:and|to)\s+|\s*[-\u2013]\s*)(?P<after_high>{NUMBER}))?",
    re.I,
)


# "finish the year with 75,000 core employees, excluding subsidiaries, down from 99,500 last year":
# the same reduction told the other way round.
_DOWN_FROM = re.compile(
    rf"(?:\bwith|\bto)\s+(?:about\s+|around\s+|roughly\s+|some\s+)?(?P<after>{NUMBER})\s+(?:[a-z][\w-]*\s+)?(?:{PEOPLE})\b"
    rf"[^.;]{{0,40}}?\bdown\s+from\s+(?:about\s+|around\s+|roughly\s+|some\s+)?(?P<before>{NUMBER})",
    re.I,
)


def _reduction_figure(m: re.Match, ref: Reference) -> Figure | None:
    before, after = parse_number(m.group("before")), parse_number(m.group("after"))
    if before is None or after is None or is_year(m.group("before")) or is_year(m.group("after")):
        return None
    high_after = parse_number(m.group("after_high")) if m.groupdict().get("after_high") else after
    if high_after is not None and after * 1000 <= high_after:
        after *= 1000  # "to 75-90,000": the thousands are written once, on the second number
    if high_after is None or not (0 < after <= high_after < before):
        return None
    low, high = int(round(before - high_after)), int(round(before - after))
    return Figure(m.start("before"), m.end(), low, high, m.group(0)[m.start("before") - m.start():],
                  precision=2, base=int(round(before)))


def _count_figure(sentence: str, m: re.Match, ref: Reference) -> Figure | None:
    raw = m.group(0)
    value = _as_int(raw)
    if value is None:
        return None
    if not raw[0].isdigit() and value < 2:
        return None  # "one of the teams"
    if value < 10 and re.match(r"\s+of\s+(?:the|its|their)\b", sentence[m.end():]):
        return None  # "two of the UK's largest asset managers" counts companies, not people
    prefix = sentence[: m.start()]
    cap = _CAP_WORD_BEFORE.search(prefix[-25:])
    if cap and cap.group(1).lower() not in ref.approximations and len(prefix.rstrip()) > len(cap.group(1)):
        # "Model 3 workers", "737 Max", "March 5": a name owns the number.
        if not re.match(r"(?i)(?:about|around|some|nearly|almost|over|roughly|approximately|another|only|just|all)$", cap.group(1)):
            return None
    qualifier, qual_start = _qualifier_at_end(prefix, ref)
    start = qual_start if qualifier else m.start()

    n_of_m = _N_OF_M.match(sentence, m.end())
    people = n_of_m or _FOLLOWS_PEOPLE.match(sentence, m.end())
    if people:
        if people.groupdict().get("cuts") and (is_year(raw) or value < 10):
            return None  # "2024 layoffs" names a year; "two reductions" counts rounds
        low, high, precision = apply_qualifier(value, qualifier, ref)
        pct = base = None
        if n_of_m:
            base = _as_int(n_of_m.group("base"))
            if base and base > value:
                pct = round(100.0 * value / base, 1)
        role = _role(sentence[:start], sentence, m.end())
        if role == "base" and (n_of_m or people.groupdict().get("cuts")):
            # "with 12,000 cuts" counts cuts, not staff; "with 39 of 244 employees being laid off"
            # counts the part, the 244 being the whole.
            role = "count"
        # The span covers "of its 1,000 employees" too, so that base figure is
        # not read again as a cut of its own.
        return Figure(start, people.end() if n_of_m else m.end(), low, high, sentence[start : m.end()].strip(),
                      pct=pct, precision=precision, role=role, base=base)

    size = _FOLLOWS_SIZE_ADJ.match(sentence, m.end()) or _SIZE_OF.search(sentence[:start][-60:])
    if size and not is_year(raw):
        if _FOLLOWS_SIZE_ADJ.match(sentence, m.end()) and _CUT_VERB_BEFORE.search(sentence[:start][-60:]):
            # "dismissed the roughly 500-person team": the team is the cut
            low, high, precision = apply_qualifier(value, qualifier, ref)
            return Figure(start, m.end(), low, high, sentence[start : m.end()].strip(), precision=precision)
        return Figure(start, m.end(), value, value, sentence[start : m.end()].strip(), precision=4, role="base")

    # "lay off 1,941 of them": the people were named before the number.
    if re.match(r"\s+of\s+(?:them|those|these|whom)\b", sentence[m.end():]) and _CUT_VERB_BEFORE.search(sentence[:start][-60:]):
        low, high, precision = apply_qualifier(value, qualifier, ref)
        return Figure(start, m.end(), low, high, sentence[start : m.end()].strip(), precision=precision)

    # No noun: accept only right after a cut verb, and only if what follows
    # does not make it something else (a share, a year, a price).
    if is_year(raw) or _NOT_A_COUNT_AFTER.match(sentence, m.end()) or not _BARE_END.match(sentence, m.end()):
        return None
    if _CUT_VERB_BEFORE.search(sentence[:start][-60:]):
        low, high, precision = apply_qualifier(value, qualifier, ref)
        return Figure(start, m.end(), low, high, sentence[start : m.end()].strip(), precision=precision)
    return None


def _role(prefix: str, sentence: str, end: int) -> str:
    tail = prefix[-45:]
    if _HIRE_BEFORE.search(tail):
        return "hire"
    if _BASE_BEFORE.search(tail) and not _CUT_TOTAL.search(tail):
        return "base"
    if re.match(r"\s+(?:worldwide|globally|in\s+total)\b", sentence[end:], re.I) and not _CUT_VERB_BEFORE.search(tail):
        return "base"
    return "count"


def _percent_figure(sentence: str, start: int, end: int, pct: float | None, ref: Reference) -> Figure | None:
    if pct is None or not (0 < pct <= 100):
        return None
    prefix = sentence[:start]
    qualifier, qual_start = _qualifier_at_end(prefix, ref)
    text_start = qual_start if qualifier else start
    of = _OF_WORKFORCE.match(sentence, end)
    text_end = None
    base = None
    if of:
        text_end = of.end()
        if of.group("base"):
            base = _as_int(of.group("base"))
    elif _WORKFORCE_BY.search(prefix[:text_start][-60:]):
        text_end = end
    else:
        red = _PCT_REDUCTION.match(sentence, end)
        if red:
            text_end = red.end()
    if text_end is None:
        return None
    text = sentence[text_start:text_end].strip()
    if base:
        count = int(round(base * pct / 100.0))
        low, high, precision = apply_qualifier(count, qualifier, ref)
        return Figure(text_start, text_end, low, high, text, pct=float(pct), precision=min(precision, 3) if qualifier else 4,
                      base=base, derived=True)
    return Figure(text_start, text_end, None, None, text, pct=float(pct), precision=0, derived=True)


def with_base(fig: Figure, base: int, ref: Reference) -> Figure:
    """Resolve a bare percentage against the workforce size stated elsewhere."""
    if fig.pct is None or fig.low is not None:
        return fig
    count = int(round(base * fig.pct / 100.0))
    qualifier = next((q for q in sorted(ref.approximations, key=len, reverse=True) if fig.text.lower().startswith(q + " ")), None)
    low, high, precision = apply_qualifier(count, qualifier, ref)
    return Figure(fig.start, fig.end, low, high, fig.text, pct=fig.pct, precision=min(precision, 3), role=fig.role, base=base,
                  derived=True)


# "Those who applied numbered 2,378.", "1,200 employees accepted the offer": how many took up a
# voluntary-retirement or early-exit scheme the sentence before offered.
_APPLICANTS = re.compile(
    rf"(?:\b(?:those|employees|workers|people|staff)\s+who\s+(?:applied|accepted|signed\s+up)|\bapplicants)\b"
    rf"[^.;]{{0,30}}?\b(?:numbered|totall?ed|reached|came\s+to|stood\s+at|was|were)\s+"
    rf"(?:(?:about|around|some|roughly|approximately)\s+)?(?P<n>{NUMBER})"
    rf"|(?P<m>{NUMBER})\s+(?:employees|workers|people|staff)\s+(?:applied|accepted|signed\s+up|took\s+(?:up\s+)?the\s+offer)\b",
    re.I,
)


def applicants_figure(sentence: str) -> Figure | None:
    """The count of takers a follow-up sentence gives for a voluntary scheme, or None."""
    m = _APPLICANTS.search(sentence)
    if m is None or "expected" in sentence[: m.end()].lower():
        return None  # "expected to reach some 4,700": a forecast, not a count
    raw = m.group("n") or m.group("m")
    value = parse_number(raw)
    if value is None or is_year(raw) or value < 1:
        return None
    start = m.start("n") if m.group("n") else m.start("m")
    return Figure(start, start + len(raw), int(value), int(value), raw, precision=4)
