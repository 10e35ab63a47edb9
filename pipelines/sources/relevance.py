"""The keyword filter that keeps a source's obviously unrelated entries from being fetched at all.

A feed of a business desk carries a hundred stories a day, and a sitemap thousands; fetching each
to find the few about job cuts would waste the sites' bandwidth and ours. Entries are judged on
what discovery already knows: the title, the summary, and the words of the URL path (news sites
put the headline in the slug, and plain sitemaps have nothing else to go on).

Phrase syntax, chosen so that one short list covers the usual inflections:

* matching ignores case, punctuation and thousands separators ("14,000" reads as "14000");
* every word matches any word it begins: ``layoff`` matches "layoffs", ``redundanc`` matches
  "redundancies", ``cut`` matches "cuts" and "cutting";
* ``...`` between two words allows up to four words in between, so ``cut ... jobs`` matches
  "cuts 500 jobs" and "cutting about 1800 corporate jobs".

The filter favours recall: a false positive costs one fetch, a false negative loses a story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

GAP = "..."
_GAP_WORDS = 4
_KINDS_FILTERED_BY_DEFAULT = frozenset({"feed", "sitemap"})

DEFAULT_KEYWORDS: tuple[str, ...] = (
    "layoff",
    "lay off",  # also "lays off", "laying off"
    "laid off",
    "cut ... job",
    "cut ... role",
    "cut ... position",
    "cut ... staff",
    "cut ... employee",
    "cut ... worker",
    "cut ... workforce",
    "cut ... headcount",
    "slash ... job",
    "slash ... role",
    "slash ... workforce",
    "eliminat ... job",
    "eliminat ... role",
    "eliminat ... position",
    # The passive voice puts the noun first: "1,800 roles would be eliminated".
    "job ... eliminat",
    "role ... eliminat",
    "position ... eliminat",
    "job ... cut",
    "role ... cut",
    "position ... cut",
    "shed ... job",
    "shed ... role",
    "ax ... job",  # "axe", "axes", "axed", "axing"
    "ax ... role",
    "reduc ... workforce",
    "reduc ... headcount",
    "reduc ... staff",
    "workforce reduction",
    "headcount reduction",
    "reduction in force",
    "redundanc",
    "restructur",
    "downsiz",
    "job loss",
    "furlough",
    "voluntary exit",
)

_THOUSANDS = re.compile(r"(?<=\d)[,.'\u2019](?=\d{3})")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower-cased words separated by single spaces, padded with one space at each end."""
    text = _THOUSANDS.sub("", text.casefold())
    return f" {_NON_WORD.sub(' ', text).strip()} "


def compile_keyword(phrase: str) -> re.Pattern[str]:
    """One keyword phrase as a pattern over `normalise`d text; ValueError when it has no words."""
    parts: list[str] = []
    pending_gap = False
    for token in phrase.replace("\u2026", f" {GAP} ").split():
        if token == GAP:
            pending_gap = bool(parts)
            continue
        words = normalise(token).split()
        for word in words:
            if parts:
                parts.append(rf" (?:\w+ ){{0,{_GAP_WORDS}}}" if pending_gap else " ")
            parts.append(re.escape(word) + r"\w*")
            pending_gap = False
    if not parts:
        raise ValueError(f"keyword {phrase!r} has no letters or digits to match")
    return re.compile(" " + "".join(parts) + " ")


@dataclass(frozen=True)
class KeywordFilter:
    keywords: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, keywords: Iterable[str]) -> KeywordFilter:
        kept = tuple(keywords)
        return cls(kept, tuple(compile_keyword(k) for k in kept))

    def matches(self, *texts: str | None) -> bool:
        haystack = normalise(" ".join(t for t in texts if t))
        return any(pattern.search(haystack) for pattern in self.patterns)


def url_words(url: str) -> str:
    """The decoded path of a URL, whose slug `normalise` turns into words ("acme-cuts-500-jobs")."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return unquote(path)


def filter_for(kind: str, options: dict) -> KeywordFilter | None:
    """The filter a source asks for, or None when its entries are all wanted.

    `keywords: []` turns the filter off; no `keywords` key means the default list for the kinds
    that list other people's whole output (feeds, sitemaps), and no filter for the kinds a user
    fills by hand (urls, html_dir) or by a crawl they chose (warc).
    """
    keywords: Sequence[str] | None = options.get("keywords")
    if keywords is None:
        return _compiled(DEFAULT_KEYWORDS) if kind in _KINDS_FILTERED_BY_DEFAULT else None
    return _compiled(tuple(keywords)) if keywords else None


@lru_cache(maxsize=64)
def _compiled(keywords: tuple[str, ...]) -> KeywordFilter:
    return KeywordFilter.of(keywords)
