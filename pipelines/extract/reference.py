"""Reference data from the dbt seeds: companies, divisions, headcount wording.

The CSV files under dbt_project/seeds are the single source of truth; dbt loads
the same files, so a name added there is known to both the warehouse and the
extractor.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from .lexicon import is_place
from .trie import trie_regex

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
# The seed files the rules read (their hash is part of the extractor version).
SEED_FILES = ("companies.csv", "divisions.csv", "vague_headcounts.csv", "approximation_rules.csv")

# Single capitalised words that are also ordinary English (or name other
# things: weather, ships, a verb). They still count as divisions once the
# company is known, but never identify the company on their own.
_AMBIGUOUS_NAMES = frozenset(
    {
        "Retail", "Search", "Assistant", "Core", "Sky", "Converse", "Messenger",
        "Pixel", "Slack", "Blizzard", "Rockstar", "Respawn", "Peacock", "Fresh", "Android",
        "Azure", "Kuiper", "Bethesda",
    }
)

# Used only when approximation_rules.csv is missing; keep equal to that file.
_DEFAULT_APPROXIMATIONS = {
    "exact": (("about", "around", "roughly", "approximately", "some", "an estimated", "close to"), "1.0", "1.0"),
    "below": (("nearly", "almost", "just under", "fewer than", "less than"), "0.9", "1.0"),
    "above": (("more than", "over", "at least", "upwards of", "north of", "in excess of"), "1.0", "1.1"),
    "ceiling": (("up to", "as many as"), "", "1.0"),
}


@dataclass(frozen=True)
class Company:
    name: str
    aliases: tuple[str, ...]
    parent_company: str | None
    ticker: str | None
    country: str | None
    industry: str | None
    fiscal_year_end_month: int | None
    # One-word names that are also ordinary English ("Target", "Block"): at the start of a sentence
    # they count only where the sentence treats them as a company.
    needs_context: bool = False


@dataclass(frozen=True)
class Division:
    company: str
    name: str
    aliases: tuple[str, ...]
    parent: str | None


@dataclass(frozen=True)
class Approximation:
    kind: str  # exact | below | above | ceiling
    low_factor: Fraction | None  # None: the low end is 1 (only a ceiling was given)
    high_factor: Fraction


@dataclass
class Reference:
    companies: dict[str, Company]
    divisions: dict[tuple[str, str], Division]
    vague_phrases: list[tuple[str, int, int]]  # longest phrase first
    vague_regex: re.Pattern = field(repr=False)
    vague_lookup: dict[str, tuple[int, int]] = field(repr=False)
    approximations: dict[str, Approximation]  # lower-cased qualifier -> rule
    # Names that identify a company without further context: company names and
    # aliases, plus distinctive division names (they imply the parent).
    entity_regex: re.Pattern = field(repr=False)
    entity_lookup: dict[str, tuple[str, str | None]] = field(repr=False)
    context_names: frozenset[str] = field(repr=False)
    # Per company: (regex, lookup by matched text) for exact-case names and
    # (regex, lookup by lower-cased text) for multi-word names in any case.
    division_matchers: dict[str, list[tuple[re.Pattern, dict[str, str], bool]]] = field(repr=False)

    def division_path(self, company: str, division: str | None) -> str | None:
        if division is None:
            return None
        chain = [division]
        seen = {division}
        node = self.divisions.get((company, division))
        while node is not None and node.parent and node.parent not in seen:
            chain.append(node.parent)
            seen.add(node.parent)
            node = self.divisions.get((company, node.parent))
        return " > ".join(reversed(chain))

    def ancestors(self, company: str, division: str) -> list[str]:
        path = self.division_path(company, division) or ""
        return path.split(" > ")[:-1]

    def depth(self, company: str, division: str | None) -> int:
        if division is None:
            return 0
        return len(self.ancestors(company, division)) + 1

    def is_known_company(self, name: str) -> bool:
        return name in self.companies


def _split_aliases(raw: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (raw or "").split("|") if a.strip())


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _read_approximations(path: Path) -> dict[str, Approximation]:
    rows = _read_csv(path)
    table: dict[str, tuple[tuple[str, ...], str, str]] = {}
    for row in rows:
        kind = row.get("qualifier_kind", "")
        if kind not in _DEFAULT_APPROXIMATIONS:
            continue  # "range" is a pattern, not a list of words
        words = tuple(q.strip().lower() for q in row.get("qualifiers", "").split("|") if q.strip() and q.strip() != "(none)")
        table[kind] = (words, row.get("low_factor", ""), row.get("high_factor", ""))
    for kind, default in _DEFAULT_APPROXIMATIONS.items():
        table.setdefault(kind, default)
    rules: dict[str, Approximation] = {}
    for kind, (words, low, high) in table.items():
        rule = Approximation(kind, Fraction(low) if low else None, Fraction(high) if high else Fraction(1))
        for word in words:
            rules[word] = rule
    return rules


def _is_distinctive(alias: str) -> bool:
    if not alias[:1].isupper() or alias in _AMBIGUOUS_NAMES:
        return False
    return True


def build_reference(seeds_dir: Path) -> Reference:
    companies: dict[str, Company] = {}
    for row in _read_csv(seeds_dir / "companies.csv"):
        name = row.get("company", "")
        if not name:
            continue
        companies[name] = Company(
            name=name,
            aliases=_split_aliases(row.get("aliases")),
            parent_company=row.get("parent_company") or None,
            ticker=row.get("ticker") or None,
            country=row.get("country") or None,
            industry=row.get("industry") or None,
            fiscal_year_end_month=_int_or_none(row.get("fiscal_year_end_month", "")),
            needs_context=row.get("needs_context", "").lower() == "true",
        )

    divisions: dict[tuple[str, str], Division] = {}
    for row in _read_csv(seeds_dir / "divisions.csv"):
        company, name = row.get("company", ""), row.get("division", "")
        if company and name:
            divisions[(company, name)] = Division(company, name, _split_aliases(row.get("aliases")), row.get("parent_division") or None)

    vague = []
    for row in _read_csv(seeds_dir / "vague_headcounts.csv"):
        low, high = _int_or_none(row.get("headcount_low", "")), _int_or_none(row.get("headcount_high", ""))
        phrase = row.get("phrase", "").lower()
        if phrase and low is not None and high is not None:
            vague.append((phrase, low, high))
    vague.sort(key=lambda item: -len(item[0]))

    entity_lookup: dict[str, tuple[str, str | None]] = {}
    # A name claimed by two companies (say "Devices and Services") identifies
    # neither, so it is left out of the company-finding index.
    claims: dict[str, set[str]] = {}
    for div in divisions.values():
        for alias in (div.name, *div.aliases):
            claims.setdefault(alias, set()).add(div.company)
    for div in divisions.values():
        names = [div.name] + [a for a in div.aliases if not (a.isupper() and len(a) <= 4)]
        for alias in names:
            if _is_distinctive(alias) and len(claims.get(alias, ())) == 1 and alias not in companies:
                entity_lookup.setdefault(alias, (div.company, div.name))
    # A company is itself even when it has a parent (CNN is reported as CNN, not as Warner Bros.
    # Discovery); units reported as part of their parent are divisions.csv's business.
    context_names: set[str] = set()
    for comp in companies.values():
        for alias in (comp.name, *comp.aliases):
            entity_lookup[alias] = (comp.name, None)
            # "CARS24 asks 600 employees to go", "NESTLE has announced": headline capitals. Short or
            # ambiguous names stay as written ("GAP", "ING" are words in capitals too).
            if not comp.needs_context and len(alias) >= 5 and alias.upper() != alias:
                entity_lookup.setdefault(alias.upper(), (comp.name, None))
        if comp.needs_context:
            context_names.add(comp.name)
        # "Zurich" for Zurich Insurance, "Santander" for the bank: a name that is also a place is
        # the company only where it acts, never "in Zurich".
        context_names.update(alias for alias in comp.aliases if is_place(alias))
    # "Zomato-owned Blinkit": the owner named in a compound is still named.
    entity_regex = re.compile(r"(?<![\w&.-])(?:" + trie_regex(entity_lookup) + r")(?![\w&]|-(?!owned\b)\w)")

    division_matchers: dict[str, list[tuple[re.Pattern, dict[str, str], bool]]] = {}
    by_company: dict[str, list[Division]] = {}
    for div in divisions.values():
        by_company.setdefault(div.company, []).append(div)
    for company, divs in by_company.items():
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for div in divs:
            for alias in (div.name, *div.aliases):
                if " " in alias:
                    for form in _hyphen_forms(alias.lower()):
                        folded.setdefault(form, div.name)
                else:
                    exact.setdefault(alias, div.name)
        matchers = []
        if exact:
            matchers.append((re.compile(r"(?<![\w&-])(?:" + trie_regex(exact) + r")(?![\w&]|-\w)"), exact, False))
        if folded:
            matchers.append((re.compile(r"(?<![\w&-])(?:" + trie_regex(folded) + r")(?![\w&]|-\w)", re.I), folded, True))
        division_matchers[company] = matchers

    # Longest phrase first, so "several hundred" wins over "hundred".
    vague_alternatives = "|".join(re.escape(p) for p, _, _ in vague) or r"(?!x)x"
    return Reference(
        companies=companies,
        divisions=divisions,
        vague_phrases=vague,
        vague_regex=re.compile(rf"(?<![\w-])(?:{vague_alternatives})(?![\w-])", re.I),
        vague_lookup={p: (lo, hi) for p, lo, hi in vague},
        approximations=_read_approximations(seeds_dir / "approximation_rules.csv"),
        entity_regex=entity_regex,
        entity_lookup=entity_lookup,
        context_names=frozenset(context_names),
        division_matchers=division_matchers,
    )


def _hyphen_forms(phrase: str) -> list[str]:
    """"cloud computing unit" as outlets also write it: "cloud-computing unit", "cloud computing-unit"
    (each space may be a hyphen; phrases of up to four words)."""
    words = phrase.split(" ")
    if len(words) > 4:
        return [phrase]
    forms = [words[0]]
    for word in words[1:]:
        forms = [f + sep + word for f in forms for sep in (" ", "-")]
    return forms


@lru_cache(maxsize=8)
def _cached(seeds_dir: str) -> Reference:
    from .lexicon import warm

    warm()  # the word lists the name rules consult load with the reference data, once per process
    return build_reference(Path(seeds_dir))


def load_reference(seeds_dir: Path | None = None) -> Reference:
    return _cached(str(Path(seeds_dir or DEFAULT_SEEDS_DIR).resolve()))
