"""Split article text into sentences, keeping character offsets.

Evidence offsets must point into the original article, so sentences are
reported as (start, end) spans rather than rebuilt strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop after these does not end a sentence ("Amazon.com Inc. said",
# "the U.S. unit", "Mr. Jassy").
_ABBREVIATIONS = frozenset(
    {
        "inc", "corp", "co", "ltd", "llc", "plc", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st",
        "no", "vs", "etc", "approx", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "dept",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "bros", "n.v", "s.a", "calif", "wash", "mass",
    }
)

# Real sentences in news prose stay well under this. Longer runs (a scraped list, text without
# punctuation, hostile input) are cut into pieces of this size at spaces, which keeps the work per
# sentence bounded: several rules scan a sentence once per cue they find in it.
MAX_SENTENCE_CHARS = 600

# A line break, or end punctuation before a space and a capital. Written to open with one character
# class (the branch then told apart by a lookbehind) so the regex engine scans for it in C: the same
# matches as r"\n\s*|[.!?]+[\"'”’)\]]*(?=...)" at less than half the cost.
_CANDIDATE = re.compile(r"[\n.!?](?:(?<=\n)\s*|(?<!\n)[.!?]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9$]))")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # A lone capital is an initial ("John D. Smith"), but not the end of "R&D" or "AT&T".
    return len(word) == 1 and text[dot - 1].isupper() and text[dot - 2 : dot - 1] != "&"


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group(0)[0] == ".":
            if _is_abbreviation(text, match.start()):
                continue
        end = match.start() if match.group(0)[0] == "\n" else match.end()
        _append(sentences, text, start, end)
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


# A scraped list flattened into one run ("... forced 1,000 employees to resign Edtech Platform
# Unacademy lays off nearly 600 employees Online learning company Vedantu fires ..."): no stop
# between the items, each item opening with a capital after a lower-case word. Only runs this long
# with hardly any clause punctuation are read as such lists; prose of this length has commas.
_LIST_RUN_CHARS = 250
_DIGIT = re.compile(r"\d")
_CLAUSE_MARK = re.compile(r"[,;:](?=\s)")
_ITEM_START = re.compile(r"(?<=[a-z%0-9’'”])\s+(?=[A-Z][\w’'-]*\s)")
_FUNCTION_WORDS = frozenset(
    "a an the of in at on to by for with from as and or its their our his her across into over under about "
    "than that which who whose while when where said says told".split()
)


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start < _LIST_RUN_CHARS or len(_CLAUSE_MARK.findall(text, start, end)) > (end - start) // 200:
        return [(start, end)]
    cuts = [start]
    for m in _ITEM_START.finditer(text, start, end):
        before = text[cuts[-1] : m.start()].split()
        # an item ends in lower-case words ("... employees to resign"), not in a name ("BYJU's run")
        if len(before) >= 4 and before[-1].lower() not in _FUNCTION_WORDS and _lower(before[-1]) and _lower(before[-2]):
            cuts.append(m.end())
    bounds = cuts + [end]
    items = [(a, b) for a, b in zip(bounds, bounds[1:])]
    # A list of cuts: three items or more, most of them with a figure.
    with_figures = sum(1 for a, b in items if _DIGIT.search(text, a, b))
    if len(items) < 3 or with_figures * 2 < len(items):
        return [(start, end)]
    return items


def _lower(word: str) -> bool:
    return word.strip("'\"‘’“”()")[:1].islower()


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    items = _list_items(text, start, end)
    if len(items) > 1:
        for a, b in items:
            _append_piece(out, text, a, b)
        return
    _append_piece(out, text, start, end)


def _append_piece(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        _append_piece(out, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
