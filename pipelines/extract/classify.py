"""Decide whether a sentence reports a new job cut.

Three outcomes matter: a new cut (keep), background (a past or cumulative
figure: drop, or the article's totals get counted again), and everything else
(hiring, price or rate cuts, strikes...). A sentence can mix a new cut with
background ("cuts 200 jobs, following the 27,000 removed since 2022"), so
background is removed clause by clause: the text of background clauses is
blanked out (same length, so offsets still hold) and only what is left is
searched for the cut, its figure and its unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import find_dates

# Each pattern below opens with a lookahead for the first letters its words can start with: it
# changes no match, but spares Python's regex engine the whole alternation (and the lookbehinds)
# at every other position, which made these two patterns a third of the extractor's time.
WORKFORCE_NOUN = (
    r"(?:(?=[jrpewshtcmJRPEWSHTCM])(?<!open\s)(?<!unfilled\s)(?<!vacant\s)"
    r"(?:jobs?(?!\s+(?:openings|postings|listings|growth|market|report|data|numbers|seekers|security|fair|creation|gains|boards?|ads|offers?))|"
    r"roles|positions|posts|employees|workers|staff(?:ers)?|staffing|headcount|workforce|personnel|"
    r"(?:staff|team)\s+members|engineers|contractors|managers|recruiters|people|corporate\s+employees))\b"
)
_WORKFORCE_RE = re.compile(WORKFORCE_NOUN, re.I)

# Phrases that are a workforce cut by themselves.
_SELF_TRIGGER = re.compile(
    r"\b(?=[ljrwhspctebaigdfvLJRWHSPCTEBAIGDFV\d])(?:lay(?:s|ing)?[\s-]+off|laid[\s-]+off|layoffs?|lay-offs?|job\s+cuts?|job\s+losses|redundanc(?:y|ies)|"
    r"reductions?\s+in\s+(?:force|workforce|headcount|staff)|RIFs?|workforce\s+reductions?|headcount\s+reductions?|"
    r"staff(?:ing)?\s+cuts|job\s+reductions|job\s+eliminations|(?:role|position)\s+eliminations|"
    r"(?:cut|cuts|cutting|trim|trims|trimmed|trimming|reduce|reduces|reduced|reducing|shrink|shrinks|shrinking|shrank|slash|slashed|slashing|"
    r"lower|lowers|lowered|lowering)\s+"  # "lowering its workforce by 2,800"
    r"(?:its|their|the\s+company's|our)\s+[\"']?(?:\w+\s+)?(?:workforce|headcount|staff|labou?r\s+(?:force|resource))|"
    r"(?:were|was|be|been|being|are|is)\s+let\s+go|(?:let|lets|letting)\s+go\s+of|furlough(?:s|ed|ing)?|"
    # "will entail the loss of 2,935 jobs"
    r"loss(?:es)?\s+of\s+(?:[\w,.-]+\s+){0,3}?(?:jobs|positions|roles|posts)|"
    # "asks around 600 employees to go", "forced more than 1,000 employees to resign"
    r"(?:ask(?:s|ed|ing)?|forc(?:es|ed|ing)?)\s+(?:[\w,-]+\s+){0,4}?(?:employees|workers|staff(?:ers)?|people)\s+"
    r"to\s+(?:go|leave|resign|quit)\b|"
    # "around 750 jobs are at risk" (British usage for a proposed cut)
    r"(?:jobs|posts|roles|positions)\s+(?:(?:are|were|is|was|could\s+be|will\s+be|now|put)\s+)?at\s+risk|"
    # Programmes that cut staff by asking them to go: counted like any cut.
    r"(?:early|voluntary)\s+(?:retirement|redundanc(?:y|ies)|separation|departure|exit)s?(?:\s+(?:program(?:me)?|scheme|plan|offer))?|"
    r"(?:dismiss\w*|eliminat\w+|disband\w*|lay(?:s|ing)?\s+off|laid\s+off|ax(?:e|es|ed|ing)|gut(?:s|ted|ting)?)\s+"
    r"(?:the|its|their|an?\s+entire|the\s+entire)\s+(?:[\w-]+\s+){0,3}?(?:team|group|unit|department|staff|division)|"
    r"(?<![$€£\d.,])\d[\d,.]*(?:\s?(?:million|thousand|k))?\s+"
    r"(?:(?!percent\b|per\b|billion\b|million\b|dollars?\b|euros?\b|pounds?\b)[a-z][a-z-]+\s+)?"  # "19,000 involuntary cuts"
    r"(?:job\s+)?(?:cuts|reductions|eliminations)|"
    r"(?:workforce|headcount|staff)\s+(?:will|would|is\s+(?:set|expected)\s+to|to)\s+(?:shrink|fall|drop|decline)\s+by)\b",
    re.I,
)
# Verbs that need a workforce noun nearby to mean a job cut.
_CUT_VERB = re.compile(
    r"\b(?:cut(?:s|ting)?|cull(?:s|ed|ing)?|eliminat(?:e|es|ed|ing)|slash(?:es|ed|ing)?|shed(?:s|ding)?|ax(?:e|es|ed|ing)|"
    r"trim(?:s|med|ming)?|reduc(?:e|es|ed|ing)|remov(?:e|es|ed|ing)|sack(?:s|ed|ing)?|fir(?:es|ed|ing)|"
    r"let\s+go|lets\s+go|letting\s+go|dismiss(?:es|ed|ing)?|downsiz(?:e|es|ed|ing)|lose|loses|losing|lost|reductions?|"
    r"cuts|eliminations?|(?:get|gets|getting|got)\s+rid\s+of)\b",
    re.I,
)
# What a cut verb acts on when it is not staff.
_OTHER_OBJECT = re.compile(
    r"\s+(?:(?:its|their|the|our|some|back|down|on)\s+)*(?:(?!\d[\d,.]*\s)[\w-]+\s+){0,3}?(?:prices?|rates?|production|output|forecasts?|"
    r"outlook|guidance|costs?|spending|expenses|budgets?|investments?|capex|emissions|stake|dividends?|targets?|"
    r"price\s+targets?|estimates?|ties|losses|fees|deliveries|orders|shifts|hours|pay|salaries|bonuses|wages|"
    r"benefits|perks|waste|inventory|contributions|raises|compensation|matching|spending|capacity|models|lineup|"
    r"shipments|sales|stakes?|exposure|debt|emissions)\b"
    # "cutting 250 investment banking jobs", "cut 300 sales staff": the word names the jobs.
    r"(?!(?:\s+(?!and\b|or\b)[\w-]+){0,2}?\s+(?:jobs|roles|positions|posts|staff|employees|workers|people)\b)",
    re.I,
)

# Words that put a clause in the past or make it a running total.
_SCOPE_MARKER = re.compile(
    r"\b(?:since\s+(?:(?:late|early|mid|the\s+start\s+of|the\s+beginning\s+of|the\s+end\s+of)[\s-]+)?"
    r"(?:(?:19|20)\d\d|last|the\s+pandemic|then|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:19|20)\d\d)|"
    r"so\s+far|to\s+date|cumulative(?:ly)?|(?:a|the)\s+combined|combined\s+total|between\s+them|"
    r"(?:in|over|across)\s+(?:two|three|four|five|several|multiple|successive|\d+)\s+(?:\w+\s+)?rounds|"
    r"the\s+(?:two|three|four|five|several)\s+(?:\w+\s+)?rounds|at\s+the\s+time|"
    r"(?:has|have|had)\s+already|already\s+(?:cut|laid|eliminated|shed|slashed)|"
    r"(?:days|weeks|months|years|(?:a|one|two|three)\s+(?:week|month|year)s?)\s+(?:after|ago|before)|"
    r"recently|in\s+recent\s+(?:weeks|months|years|decades)|over\s+(?:the\s+)?(?:past\s+|last\s+)?decades|earlier\s+(?:this|that|in\s+the)\s+month|"
    r"(?:at|since)\s+the\s+(?:start|beginning)\s+of\s+the\s+(?:month|year)|"
    r"earlier\s+in\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)|"
    r"(?:last|previous|prior|past)\s+year|a\s+year\s+(?:ago|earlier)|years?\s+earlier|months\s+earlier|"
    r"earlier\s+(?:this|that|in\s+the)\s+year|over\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months)|"
    r"in\s+the\s+past\s+(?:\w+\s+)?(?:years?|months)|"
    r"(?:an?|the|its)\s+(?:previous|prior|earlier|initial|first|last)\s+(?:round|wave|batch)|"
    # "Its last major restructuring was in 2016, when ...": an earlier programme named as such
    # ("first" is left out here: "the first layoffs will come in March" is still to come).
    r"(?:the|its|their|[A-Z][\w&.-]*'s)\s+(?:previous|prior|earlier|last)\s+(?:(?:major|big|large|significant)\s+)?"
    r"(?:restructuring|overhaul|reorgani[sz]ation|layoffs|job\s+cuts)|"
    r"(?:initial|first|earlier|previous|prior|later|past|subsequent)\s+(?:rounds?|waves?)|"
    r"previously|largest[\s-]ever|biggest[\s-]ever|brings?\s+(?:the|its)\s+(?:\w+\s+)?total|bringing\s+(?:the|its)\s+(?:\w+\s+)?total|"
    r"brought\s+(?:the|its)\s+(?:\w+\s+)?total|repeated\s+(?:cuts|layoffs|rounds)|rolling\s+(?:layoffs|cuts|workforce)|"
    r"series\s+of\s+(?:layoffs|cuts)|multiple\s+rounds|several\s+rounds|"
    # "had been pushing for a larger target of 3,798 job cuts, but was forced to backtrack": a plan
    # given up for the one announced
    r"had\s+been\s+(?:pushing|seeking|aiming|hoping|planning|targeting|looking)\b|"
    r"had\s+(?:already\s+|previously\s+)?(?:cut|laid\s+off|eliminated|shed|slashed|axed)|"
    r"last\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|spring|summer|fall|autumn|winter))\b",
    re.I,
)
_FUTURE_CUT = re.compile(
    # not "would": "said in January that it would cut" is reported speech about the past
    r"\b(?:will|plans?\s+to|planning\s+to|is\s+to|are\s+to|intends?\s+to|aims?\s+to)\s+(?:\w+\s+)?"
    r"(?:cut|eliminate|lay\s+off|shed|slash|axe|reduce|trim|furlough|shrink|close)\b",
    re.I,
)
# Words that start a trailing clause about something that happened before.
_CONNECTOR = re.compile(
    r"\b(?:follow(?:s|ed|ing)?\b(?!\s+(?:on|suit|with|by|up|through)\b)|"
    # "over the coming months, four months after ..." is a time frame, not "comes after".
    r"(?:come|comes|came|(?<!the\s)coming|landed|lands|arrive[sd]?)\s+(?:[\w$,-]+\s+){0,4}?(?:after|on\s+the\s+heels\s+of)|"
    r"after\s+(?:cutting|laying\s+off|eliminating|shedding|slashing|axing|"
    r"(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,2}?(?:round|wave|cuts|layoffs|reductions|restructuring|cut))|"
    r"on\s+top\s+of|in\s+addition\s+to|adding\s+to|adds?\s+to|added\s+to|builds?\s+on|atop|even\s+after)\b",
    re.I,
)
# Totals words that only mean "running total" next to a perfect tense or a
# second marker; alone they often just size the group being cut ("the
# Supercharger group, some 500 employees in total").
_WEAK_SCOPE = re.compile(r"\b(?:in\s+total|all\s+told|altogether|in\s+all|together)\b", re.I)
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:cut|laid|eliminated|shed|slashed|removed|let|reduced|made|announced)\b", re.I)
_ELABORATION = re.compile(r"^\s*(?:including|among\s+them|of\s+which|with\s+about|with\s+roughly|mostly|mainly)\b", re.I)
# Clauses that continue the one before them and share its time frame.
_CONTINUATION = re.compile(r"^\s*(?:when|which|who|where|in\s+which|during\s+which|as\s+it|and\s+(?:it|then))\b", re.I)

# The sentence as a whole is not about a cut happening.
# The company says no cut is coming.
DENIAL = re.compile(
    r"\b(?:no\s+(?:current\s+)?plans?\s+(?:to|for)|not\s+planning|"
    r"(?:does|did|do|will|would|is|are|was|were|has|have|had)\s*(?:not|n't)\s+"
    r"(?!(?:say|said|disclose|specify|give|provide|comment|reveal|break|detail|confirm|share|elaborate|know)\b)(?:\w+\s+){0,6}?"
    r"(?:cut|cutting|lay|laying|eliminat\w+|reduc\w+|slash\w*|shed\w*|layoffs|job\s+cuts|be\s+(?:cut|laid))|"
    r"won't|ruled\s+out|rules\s+out|rule\s+out|denied|denies|deny)\b",
    re.I,
)
_NON_EVENT = re.compile(
    r"\b(?:rumou?rs?|speculat\w+|considering|weighing|exploring|mulling|contemplating|"
    r"strike|strikes|striking|walkout|walk\s+out|walked\s+off|picket\w*|"
    r"rehir\w+|re-hir\w+|reinstat\w+|recall(?:ed|ing)?\s+(?:\w+\s+)?(?:laid[\s-]off\s+)?workers|"
    r"hiring\s+freeze|freez\w+\s+hiring|avoid(?:ed|ing)?\s+(?:layoffs|job\s+cuts)|without\s+(?:layoffs|job\s+cuts)|"
    r"(?:rather|other)\s+than\s+(?:layoffs|job\s+cuts|cuts)|instead\s+of\s+(?:layoffs|job\s+cuts|cutting)|"
    r"disciplinary|for\s+cause|misconduct|misus\w+|unrelated\s+to|(?:had|originally|previously|once|initially)\s+(?:intended|planned)\s+to|"
    r"(?:could|might|may)\s+(?:\w+\s+)?(?:run|reach|total|climb|rise|top|exceed|affect|eliminate|cut|mean|result|"
    r"lead|see|hit|lay|be\s+(?:cut|eliminated|laid))|as\s+high\s+as|short\s+of\s+(?:layoffs|job\s+cuts)|"
    r"protect\w*\s+(?:jobs|workers)|"
    # A cut told inside a lawsuit, a call-back or a survey is an old or hypothetical one.
    r"lawsuits?|sued|suing|class[\s-]action|severance\s+(?:pay|claims?)|arbitration|"
    r"call(?:ed|s|ing)?\s+back|bring(?:ing|s)?\s+back|brought\s+back|boomerang\w*|"
    r"surveyed|survey\s+(?:of|by|found|shows|showed)|polled|"
    # A plan restated is the old plan, not a new cut.
    r"reiterat\w+|reaffirm\w+|"
    # A legal threshold ("the consultation required when layoffs total more than 100 workers")
    # is a condition, not a count of this cut.
    r"(?:when|if|once|where)\s+(?:the\s+)?(?:layoffs|job\s+cuts|redundancies|dismissals)\s+(?:total|exceed|reach|number|affect)\w*)\b",
    re.I,
)
# Economy-wide projections ("would reduce GDP ... and eliminate 195,600 jobs") name no employer,
# whichever clause the figure sits in.
_MACRO_PROJECTION = re.compile(
    r"\b(?:GDP|gross\s+domestic\s+product|(?:projected|projects|forecast(?:s|ed)?)\b[^.]{0,80}\bwould)\b"
)
# A survey's findings ("The survey, which polled 700 executives, found four in ten have cut
# staff") are about the respondents, whichever clause the cut sits in: read on the whole sentence.
_SURVEY = re.compile(r"\b(?:polled|surveyed|respondents|survey\s+(?:of|by|found|finds|shows|showed))\b", re.I)
_SPLIT = re.compile(r",\s|;\s*|:\s|\s[—–-]\s|—|\(|\)|(?<=[\"”])-(?=\w)|-(?=which\b)")


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int


@dataclass(frozen=True)
class SentenceReading:
    masked: str  # background clauses blanked out
    triggers: tuple[Trigger, ...]
    background: bool  # a cut was mentioned, but only as background
    non_event: bool
    raw_triggers: tuple[Trigger, ...] = ()
    denial: bool = False


def _segments(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SPLIT.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


_BARE_YEAR = re.compile(r"(?<![\w$.,-])((?:19|20)\d\d)(?![\w%-]|,\d)")


# "The gaming giant has 12,900 employees worldwide at the end of March 2022, which means about 775
# employees will be laid off": the date is when the workforce was that size, not when the cut came.
_SIZE_AS_OF = re.compile(
    r"\b(?:has|had|have|employs|employed)\s+(?:about\s+|some\s+|around\s+|roughly\s+|nearly\s+)?\d[\d,.]*\s+"
    r"(?:[a-z]+\s+)?(?:employees|workers|staff|people)\b[^.;]{0,30}?"
    r"(?P<date>\b(?:at\s+the\s+end\s+of|as\s+of|in)\s+(?:[A-Z][a-z]+\s+)?\d{4})"
)


def without_size_dates(text: str) -> str:
    """`text` with the dates that only say when a workforce was counted blanked (same length)."""
    for m in _SIZE_AS_OF.finditer(text):
        text = text[: m.start("date")] + " " * (m.end("date") - m.start("date")) + text[m.end("date") :]
    return text


def _is_old(text: str, published_on: date | None, stale_days: int) -> bool:
    if published_on is None:
        return False
    text = without_size_dates(text)
    for mention in find_dates(text, published_on):
        if (published_on - mention.when).days > stale_days:
            return True
    # "the 27,000 jobs removed across 2022 and 2023", "its 2023 downsizing"
    return any(int(m.group(1)) < published_on.year for m in _BARE_YEAR.finditer(text))


# News reports a cut within days (the labelled samples: at most five days);
# a cut dated more than two weeks back is the context of today's story.
STALE_DAYS = 14


def background_mask(text: str, published_on: date | None, stale_days: int = STALE_DAYS) -> str:
    """`text` with its background clauses replaced by spaces."""
    segments = _segments(text)
    flags = []
    strong = bool(_SCOPE_MARKER.search(text))
    for start, end in segments:
        piece = text[start:end]
        weak = bool(_WEAK_SCOPE.search(piece)) and (strong or bool(_PERFECT.search(piece)))
        # "will cut 3,000 jobs as part of a restructuring announced last month": the old date belongs
        # to the restructuring; a cut still to come is not background.
        # ", down from 99,500 last year": the size before the cut, the other end of a reduction.
        old = _is_old(piece, published_on, stale_days) and not _FUTURE_CUT.search(piece)
        flags.append((bool(_SCOPE_MARKER.search(piece)) or weak or old) and not _DOWN_FROM.match(piece))

    # Leading "Since 2022," / "Last year," govern the clause after them; a
    # trailing ", so far" the clause before; "including ..." elaborates on it.
    for i, (start, end) in enumerate(segments):
        if not flags[i]:
            continue
        piece = text[start:end]
        undated = re.sub(r"\b(?:19|20)\d\d\b|\b\d{1,2}(?:st|nd|rd|th)?\b", "", _SCOPE_MARKER.sub("", piece))
        # Only a short time phrase ("Since 2022,", ", so far") frames its
        # neighbour; a longer clause carries its own time frame.
        bare = not find_triggers(piece) and not re.search(r"\d", undated) and len(piece.split()) <= 5
        if bare and i == 0 and len(segments) > 1:
            # "Last year, ..." / "Since 2022, ..." frames the whole sentence.
            for j in range(1, len(segments)):
                flags[j] = True
        elif bare and i == len(segments) - 1 and i > 0 and not _FUTURE_CUT.search(text, 0, start):
            # ", in October" after "will shrink by 40,000, including 19,000 cuts" says when the
            # coming cut happens; only after a cut told in the past does it date that cut.
            flags[i - 1] = True
        if _ELABORATION.match(piece) and i > 0:
            flags[i - 1] = True
    for i in range(1, len(segments)):
        if flags[i - 1] and not flags[i] and _CONTINUATION.match(text[segments[i][0] : segments[i][1]]):
            flags[i] = True

    chars = list(text)
    for (start, end), flag in zip(segments, flags):
        if flag:
            chars[start:end] = " " * (end - start)
    masked = "".join(chars)

    # A connector blanks everything after it in the sentence; one that opens
    # the sentence ("Following a review, ...") only blanks its own clause.
    m = _CONNECTOR.search(text)
    if m and _THIS_WEEK.match(text, m.end()):
        # "That follows cuts Tuesday by Talisman Energy, which is eliminating 150 to 200 positions":
        # a round earlier in the same week is news of its own, not history.
        m = None
    if m:
        if not text[: m.start()].strip():
            stop = next((end for start, end in segments if end > m.start()), len(masked))
            masked = masked[: m.start()] + " " * (stop - m.start()) + masked[stop:]
        else:
            masked = masked[: m.start()] + " " * (len(masked) - m.start())
    return masked


_DIGIT = re.compile(r"\d")
_DOWN_FROM = re.compile(r"\s*down\s+from\b", re.I)
_THIS_WEEK = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|"
    r"earlier\s+(?:this|in\s+the)\s+week|this\s+week)\b"
)


# Prefilters for _SELF_TRIGGER and _WORKFORCE_RE. Most sentences of an article hold none of the words
# either can match, and an `in` test per word over the lower-cased sentence costs a few
# microseconds where the patterns cost some 35 each (the patterns try their alternation at every
# position). Each key is a substring that every match of its pattern must contain, so the
# prefilter only skips sentences where the pattern could not match: output is unchanged.
# Written out as `or` chains: a generator over a tuple of keys costs more than the tests.
def _may_self_trigger(folded: str) -> bool:
    return bool(
        "lay" in folded or "laid" in folded or "job" in folded or "redundanc" in folded or "reduction" in folded
        or "rif" in folded or "workforce" in folded or "headcount" in folded or "staff" in folded or "labo" in folded
        or "eliminat" in folded or "furlough" in folded or "risk" in folded or "early" in folded
        or "voluntary" in folded or "dismiss" in folded or "disband" in folded or "cuts" in folded
        or "loss of" in folded or " to go" in folded or " to leave" in folded or " to resign" in folded or " to quit" in folded
        or ("let" in folded and _LET_GO.search(folded))  # "were let go", "letting go of"
        # "axed its entire mobile team": "ax" and "gut" only count before a unit word
        or (("ax" in folded or "gut" in folded)
            and ("team" in folded or "group" in folded or "unit" in folded or "department" in folded
                 or "division" in folded))
    )


def _may_name_workforce(folded: str) -> bool:
    return ("job" in folded or "role" in folded or "position" in folded or "post" in folded or "employee" in folded
            or "worker" in folded or "staff" in folded or "headcount" in folded or "workforce" in folded
            or "personnel" in folded or "member" in folded or "engineer" in folded or "contractor" in folded
            or "manager" in folded or "recruiter" in folded or "people" in folded)


_LET_GO = re.compile(r"let(?:s|ting)?\s+go")
# The only non-ASCII characters that re.IGNORECASE matches to ASCII letters; folded first so that
# the prefilters never miss what the patterns would match.
_ODD_CASE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_ODD_CASE).lower()


def find_triggers(text: str) -> list[Trigger]:
    """Spans where `text` speaks of cutting staff."""
    folded = _fold(text)
    found = ([Trigger(m.start(), m.end()) for m in _SELF_TRIGGER.finditer(text) if not _is_adjective(text, m)]
             if _may_self_trigger(folded) else [])
    nouns = ([(m.start(), m.end()) for m in _WORKFORCE_RE.finditer(text)]
             if _may_name_workforce(folded) else [])
    if not nouns and not _DIGIT.search(text):
        found.sort(key=lambda t: t.start)
        return found  # a cut verb needs a workforce noun or a count after it
    for m in _CUT_VERB.finditer(text):
        if _OTHER_OBJECT.match(text, m.end()):
            continue
        # "Unity alone is cutting 1,800.": a bare count after the verb, its noun in another clause
        if any(_near(m.start(), m.end(), s, e, text) for s, e in nouns) or _VERB_COUNT.match(text, m.end()):
            found.append(Trigger(m.start(), m.end()))
    found.sort(key=lambda t: t.start)
    return found


def _is_adjective(text: str, m: re.Match) -> bool:
    # "laid-off workers" describes people, it does not report a cut.
    return bool(re.match(r"laid-off", m.group(0), re.I)) and bool(re.match(r"\s+\w", text[m.end():]))


_PASSIVE_GAP = re.compile(
    r"^(?:\s*|(?:\s+[\w,'-]+){0,6}?\s+(?:will\s+be|would\s+be|to\s+be|are|were|is|was|be|been|being|"
    # "jobs will be at least temporarily eliminated": up to two adverbs between the auxiliary and the verb
    r"had\s+been|have\s+been|has\s+been|get|got|getting)(?:\s+(?:\w+ly|at\s+least|also|now|then|soon)){0,2}\s+|"
    # "100 employees are affected by the cuts"
    r"(?:\s+[\w,'-]+){0,4}?(?:\s+(?:are|were|is|was|will\s+be|would\s+be|being))?\s+(?:affected|impacted|hit)\s+by"
    r"(?:\s+(?:the|these|those|its|this))?(?:\s+\w+)?\s+)$",
    re.I,
)
# A cut verb with a bare count after it: "and PayPal said it would cut 2,500."
_VERB_COUNT = re.compile(
    r"\s+(?:(?:about|around|roughly|nearly|some|more\s+than|up\s+to|another|an\s+additional|a\s+further)\s+)?"
    r"\d(?:[\d,.]*\d)?(?!\d)(?:\s?(?:million|thousand|k))?\s*(?:[,.;](?=\s|$)|$|\s+(?:in|at|on|from|across|this|last|over|during|"
    r"worldwide|globally|more|people)\b)",
    re.I,
)


def _near(vs: int, ve: int, ns: int, ne: int, text: str) -> bool:
    if ns >= ve:  # "cut 650 jobs", "eliminated more roles in ..."
        gap = text[ve:ns]
        return len(gap) <= 70 and not re.search(r"[;:]|\b(?:and|but|while)\s+(?:it|the|they|we)\b", gap)
    gap = text[ne:vs]  # "200 jobs will be cut", "staff reductions"
    return bool(_PASSIVE_GAP.match(gap))


def read_sentence(text: str, published_on: date | None) -> SentenceReading:
    raw_triggers = tuple(find_triggers(text))
    if not raw_triggers:
        return SentenceReading(text, (), False, False)
    masked = background_mask(text, published_on)
    triggers = tuple(find_triggers(masked))
    scope = masked if triggers else text
    if triggers:
        # "cut 17,000 jobs as a strike drags on": the strike is another clause.
        lo, hi = cut_clause(scope, triggers[0].start)
        scope = scope[lo:hi]
    denial = bool(DENIAL.search(scope))
    non_event = (bool(_NON_EVENT.search(scope)) or denial or bool(_MACRO_PROJECTION.search(text))
                 or bool(_SURVEY.search(text)))
    if triggers and _generic_musing(masked, triggers[0]):
        triggers = ()
    return SentenceReading(masked, triggers, background=not triggers and not non_event, non_event=non_event,
                           raw_triggers=raw_triggers, denial=denial)


def non_event_in(text: str) -> bool:
    """The clause speaks of a cut that is denied, rumoured or not a layoff."""
    return bool(_NON_EVENT.search(text)) or bool(DENIAL.search(text))


# Words that mark a cut as a fresh one even without a date.
RECENCY = re.compile(r"\b(?:again|new|latest|another|fresh|this\s+time|additional|second|third|further|now)\b", re.I)


# "as" joining two clauses, not "as many as", "such as", "as part of".
AS_CONJUNCTION = (
    r"(?<!many\s)(?<!much\s)(?<!well\s)(?<!high\s)(?<!soon\s)(?<!long\s)(?<!such\s)(?<!same\s)(?<!far\s)"
    r"\bas\b(?!\s+(?:many|much|well|high|few|little|part|of|a\s+result|long|soon|low|large|recently|early|late|"
    r"in|to|for|with|the\s+(?:head|chief|company's)|its|an?\s+(?:share|percentage|result)))"
)
_CLAUSE_END = re.compile(AS_CONJUNCTION + r"|\b(?:while|whereas|though|although|because|after|before)\b|;|\s-\s", re.I)


def cut_clause(text: str, position: int) -> tuple[int, int]:
    """Span of the clause around `position`, cut at conjunctions that start another clause."""
    start, end = 0, len(text)
    for m in _CLAUSE_END.finditer(text):
        if m.end() <= position:
            start = m.end()
        elif m.start() >= position:
            end = m.start()
            break
    return start, end


_HABITUAL = re.compile(
    r"\b(?:has|have|had)\s+been\s+(?:cutting|shedding|slashing|trimming|eliminating|laying\s+off)\b", re.I
)


def _generic_musing(text: str, trigger: Trigger) -> bool:
    # "Trimming staff there is not a cost play": a gerund opening the sentence
    # talks about cutting in general, not about a cut that happened.
    head = text[: trigger.end].lstrip()
    # "Its papers have been cutting staff faster than rivals": a habit described, not a cut.
    lo, hi = cut_clause(text, trigger.start)
    if _HABITUAL.search(text, lo, hi) and not re.search(r"\d", text[lo:hi]):
        return True
    return bool(re.match(r"(?:Cutting|Trimming|Eliminating|Reducing|Slashing|Shedding|Laying\s+off)\b", head)) and not re.search(
        r"\d", text
    )
