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
    # A lone capital is an initial ("John D. Smith").
    return len(word) == 1 and text[dot - 1].isupper()


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


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        _append(out, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
