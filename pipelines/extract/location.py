"""Where a cut falls, when the article says so: "in Washington state", "at its Austin, Texas,
plant", "in India", "in Europe", "Seattle-area".

Rules:
- only names on the built-in list in places.py count, written as the article writes them (with
  "the" dropped): "U.S." stays "U.S.", "Austin, Texas" stays "Austin, Texas", and a list of
  places stays a list ("Oregon, Arizona and New Mexico");
- only in a place-like position inside the clause that states the cut: after "in", "at",
  "across", "near", "throughout", "based in" (optionally "its"/"the"), before "-area"/"-based",
  or as the name in front of a site word ("its Seattle headquarters", "its India workforce");
  "state", "area" and "region" directly after the name are kept ("Washington state");
- a clause that calls the cut worldwide or global has no single site, even if it goes on to
  break the figure down ("6,000 positions worldwide, 1,985 of them in Washington");
- nothing found: None. The rule never guesses a site from a company's headquarters;
- a fact takes the site of the sentence that gives its figure, else the headline's (see
  merge.py): other sentences naming a place mostly break the cut down ("2,000 of the cuts are in
  the Seattle area"), and a part's site is not the cut's.
"""

from __future__ import annotations

import re

from .places import PLACES

_NAME = "|".join(re.escape(name) for name in sorted(PLACES, key=len, reverse=True))
# One place, not glued to a longer word ("Indiana" is not "India" + "na"; "U.S.-based" is fine).
_ONE = rf"(?:(?i:the)\s+)?(?:{_NAME})(?![\w])"
_LIST = rf"{_ONE}(?:(?:,\s+and\s+|,\s+or\s+|\s+and\s+|\s+or\s+|,\s+){_ONE})*"
# A capitalised word straight after makes the place part of a name ("North America Stores",
# "New York Times"), not a site.
_SUFFIX = r"(?:\s+(?:state|area|region))?(?![\w])(?!\s+[A-Z])"
_SITE_WORDS = (
    r"(?:headquarters|campus|offices?|plants?|factor(?:y|ies)|sites?|facilit(?:y|ies)|warehouses?|operations|"
    r"workforce|staff|employees|workers|hub|center|centre|studios?|division|unit)"
)

_PATTERNS = (
    re.compile(
        rf"\b(?i:in|at|across|near|throughout|based\s+in|located\s+in)\s+(?i:its\s+|their\s+)?(?P<loc>{_LIST}{_SUFFIX})"
    ),
    re.compile(rf"(?<![\w-])(?P<loc>{_ONE})-(?:area|based)\b"),
    re.compile(rf"\b(?i:its|their|the\s+company's)\s+(?P<loc>{_ONE})\s+{_SITE_WORDS}\b"),
)
_NO_SINGLE_SITE = re.compile(
    r"\b(?:worldwide|global(?:ly)?|around\s+the\s+world|across\s+the\s+globe|every\s+(?:\w+\s+)?region)\b", re.I
)
# A trailing comma belongs to the sentence, not the place ("at its Austin, Texas, plant").
_TRIM = re.compile(r"^(?:[Tt]he\s+)|[\s,]+$")


def find_location(clause: str) -> str | None:
    """The site a cut clause names, as written, or None."""
    if _NO_SINGLE_SITE.search(clause):
        return None
    found: list[tuple[int, str]] = []
    for pattern in _PATTERNS:
        m = pattern.search(clause)
        if m:
            found.append((m.start("loc"), _TRIM.sub("", m.group("loc"))))
    if not found:
        return None
    return min(found)[1]
