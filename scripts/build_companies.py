"""Rebuild dbt_project/seeds/companies.csv from its three inputs.

    uv run python scripts/build_companies.py          # writes the seed, prints counts
    uv run python scripts/build_companies.py --check  # exits 1 when the seed is out of date

Inputs, in order of authority (an earlier one wins when two name the same company):
1. the hand-kept rows already in companies.csv whose `source` is `curated` (fiscal calendars,
   parents, the aliases the press uses);
2. scripts/reference/news_employers.csv: employers that recur in layoff news but sit in no stock
   index (private firms, start-ups, newspapers, airlines ...), kept by hand;
3. the constituents of twenty stock indices (S&P 500/600/100, Nasdaq 100, Dow, DAX/MDAX/SDAX/TecDAX,
   CAC 40/Mid 60, FTSE 100, Euro Stoxx 50, AEX, BEL 20, IBEX 35, OMX Helsinki 25 and Stockholm 30,
   SMI, Nikkei 225) as the `pytickersymbols` package ships them.

Legal suffixes come off through `cleanco`; the country is the ISIN's (the packaged `country` field
is sometimes a city or plainly wrong). `needs_context` marks one-word names that are also common
English words (the extractor's own test, pipelines/extract/lexicon.py: target, block, shell,
delta): at the start of a sentence the extractor takes those for the company only where the
sentence treats them as one ("Target said", "Target's"), since there they may be the plain word.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

from cleanco import basename
from pytickersymbols import PyTickerSymbols

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipelines.extract.lexicon import is_common_word  # noqa: E402  the extractor's own test

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "dbt_project" / "seeds" / "companies.csv"
NEWS_EMPLOYERS = ROOT / "scripts" / "reference" / "news_employers.csv"
COLUMNS = ["company", "aliases", "parent_company", "ticker", "country", "industry", "fiscal_year_end_month",
           "fiscal_year_named_by", "needs_context", "source"]
# Share-class and listing words that are not part of a company's name.
_LISTING_NOISE = re.compile(r"\s+(?:Class\s+[A-C]|Reg\.?|Registered|Shs|Ord|ADR|Vz|St)\b\.?$", re.I)
_TRAILING_WORDS = re.compile(r"\s+(?:Company|Corporation|Incorporated|Group|Holdings?|Co)\.?$", re.I)


def plain(name: str) -> str:
    name = " ".join(name.replace("\u2019", "'").split())
    name = re.sub(r"\s*\(The\)$", "", name)
    name = _LISTING_NOISE.sub("", name)
    try:
        name = basename(name).strip(" ,") or name
    except Exception:
        pass
    return re.sub(r"^The\s+", "", name).strip()


def key(name: str) -> str:
    return plain(name).lower()


def needs_context(name: str) -> bool:
    return " " not in name and is_common_word(name)


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _index_rows() -> list[dict[str, str]]:
    rows = []
    for stock in PyTickerSymbols().get_all_stocks():
        full = " ".join(str(stock.get("name") or "").split())
        if not full:
            continue
        name = plain(full)
        shorter = _TRAILING_WORDS.sub("", name)
        # "Tokyo Electric Power Company" is "Tokyo Electric Power" in the press; a one-word leftover
        # ("Universal" from "Universal Corporation") is too ambiguous to be the name.
        if shorter != name and len(shorter.split()) >= 2:
            name = shorter
        if needs_context(name):
            # An index constituent whose short name is an ordinary word ("Southern", "Next", "News")
            # keeps its full name: news about it says "Southern Co." or "News Corp".
            name = full
        aliases = [a for a in dict.fromkeys([full, plain(full)]) if a != name]
        isins = stock.get("isins") or []
        country = isins[0][:2] if isins and re.fullmatch(r"[A-Z]{2}", isins[0][:2]) else ""
        industries = [i for i in (stock.get("industries") or []) if i and len(i) <= 40]
        rows.append({
            "company": name,
            "aliases": "|".join(aliases),
            "parent_company": "",
            "ticker": str(stock.get("symbol") or ""),
            "country": country,
            "industry": industries[0] if industries else "",
            "fiscal_year_end_month": "",
            "fiscal_year_named_by": "",
            "source": "pytickersymbols",
        })
    return rows


def _division_names() -> set[str]:
    """Names divisions.csv gives to units of listed companies ("Twitch", "Instagram"): the
    extractor reads those as a unit of the parent, so they must not also be companies."""
    names = set()
    for row in _read(SEED.parent / "divisions.csv"):
        names.update(key(n) for n in [row["division"], *row.get("aliases", "").split("|")] if n)
    return names


def build() -> list[dict[str, str]]:
    existing = _read(SEED)
    units = _division_names()
    curated = [r for r in existing if r.get("source", "curated") in ("", "curated")]
    for row in curated:
        row["source"] = "curated"
    news = [dict(r, source="news_employers") for r in _read(NEWS_EMPLOYERS)]
    merged: list[dict[str, str]] = []
    claimed: dict[str, str] = {}  # comparison key of every name and alias -> company

    def add(row: dict[str, str]) -> None:
        names = [row["company"], *[a for a in row.get("aliases", "").split("|") if a]]
        keys = [key(n) for n in names]
        owner = next((claimed[k] for k in keys if k in claimed), None)
        if owner is not None:
            return  # known already, under its first source's name
        if row.get("source") != "curated" and key(row["company"]) in units:
            return
        aliases = []
        for alias in names[1:]:
            if key(alias) not in claimed and alias not in aliases and alias != row["company"]:
                aliases.append(alias)
        for k in keys:
            claimed.setdefault(k, row["company"])
        complete = {column: row.get(column, "") for column in COLUMNS}
        complete["aliases"] = "|".join(aliases)
        complete["needs_context"] = "true" if needs_context(row["company"]) else "false"
        merged.append(complete)

    for row in curated + news:
        add(row)
    for row in _index_rows():
        row["aliases"] = "|".join(a for a in row["aliases"].split("|") if a and not needs_context(a))
        add(row)
    for row in merged:  # a parent is named the way its own row names it ("Alphabet" is Google)
        parent = row["parent_company"]
        if parent:
            row["parent_company"] = claimed.get(key(parent), parent)
    return merged


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the seed differs from a rebuild")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        same = SEED.read_text(encoding="utf-8") == text
        print("companies.csv is up to date" if same else "companies.csv is out of date: run scripts/build_companies.py")
        return 0 if same else 1
    SEED.write_text(text, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_source: dict[str, int] = {}
    for row in rows:
        by_source[row["source"]] = by_source.get(row["source"], 0) + 1
    print(f"wrote {SEED.relative_to(ROOT)}: {len(rows)} companies " + ", ".join(f"{k} {v}" for k, v in by_source.items())
          + f"; {sum(r['needs_context'] == 'true' for r in rows)} need context")
    return 0


if __name__ == "__main__":
    sys.exit(main())
