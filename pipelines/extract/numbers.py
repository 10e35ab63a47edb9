"""Read numbers written as digits ("1,800", "1.5 million", "14k") or words
("two hundred", "fifteen", "a dozen")."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "dozen": 12}
_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))

# "a"/"an" only count when a scale word follows ("a hundred", "a dozen").
WORD_NUMBER = (
    rf"(?:(?:an?[\s-]+(?=(?:hundred|thousand|million|dozen)\b))?(?:{_WORD})"
    rf"(?:(?:[\s-]+|[\s-]+and[\s-]+)(?:{_WORD}))*)(?![\w-])"
)
DIGIT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?:million|thousand)\b|[kK]\b|m\b)?"
# Not inside a model name ("F-150") nor after a currency sign.
NUMBER = rf"(?<![\w$€£¥.,])(?<![A-Za-z]-)(?:{DIGIT_NUMBER}|{WORD_NUMBER})"

_DIGITS = re.compile(r"([\d,]*\d(?:\.\d+)?)\s?(million|thousand|k|m)?$", re.I)


def parse_number(text: str) -> float | None:
    text = text.strip().lower()
    match = _DIGITS.match(text)
    if match:
        value = float(match.group(1).replace(",", ""))
        scale = (match.group(2) or "").lower()
        if scale in ("million", "m"):
            value *= 1_000_000
        elif scale in ("thousand", "k"):
            value *= 1_000
        return value
    return _parse_words(text)


def _parse_words(text: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        words[0] = "one"
    total = 0
    current = 0
    seen = False
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word == "dozen":
            current = (current or 1) * 12
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in ("thousand", "million"):
            total += (current or 1) * _SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", text.strip()))
