"""Acceptance test on the two design articles kept beside the repository.

The texts are read at test time from ../shared/seeds and never copied here.
Each is wrapped in a plain HTML page, cleaned the way the pipeline cleans
pages, and run through the extractor.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_cuts

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _seed_text(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found: the acceptance test needs the two design articles beside the repo")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"../shared/seeds has no {prefix}_*.txt")
    return matches[0].read_text(encoding="utf-8")


def _as_page(text: str, published: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, body = lines[0], lines[1:]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    return (
        "<html><head>"
        f"<title>{html.escape(title)}</title>"
        f'<meta property="article:published_time" content="{published}">'
        f"</head><body><article>{paragraphs}</article></body></html>"
    )


def _clean(page: str, url: str):
    try:
        from pipelines.clean import clean_page
    except ImportError:  # the cleaner is not there yet: clean the same way by hand
        import trafilatura

        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True)
        published = date.fromisoformat(doc.date[:10]) if doc and doc.date else None
        return doc.text, doc.title, published
    article = clean_page(page, url)
    assert article is not None, "the cleaner dropped the page"
    return article.text, article.title, article.published_on


def _facts(prefix: str, published: str):
    page = _as_page(_seed_text(prefix), published)
    text, title, published_on = _clean(page, f"https://example.com/{prefix}")
    assert published_on == date.fromisoformat(published), "the publication date did not survive cleaning"
    return extract_cuts(text, title=title, published_on=published_on)


def _covers(fact, figure: int) -> bool:
    return fact.headcount_low is not None and fact.headcount_low <= figure <= fact.headcount_high


def test_seed_000_selling_partner_services():
    facts = _facts("000", "2024-05-16")
    amazon = [f for f in facts if f.company == "Amazon"]
    assert any(f.division == "Selling Partner Services" and f.quarter == "2024-Q2" for f in amazon), facts
    sps = next(f for f in amazon if f.division == "Selling Partner Services")
    assert sps.division_path == "Retail > Selling Partner Services"
    assert sps.announced_on == date(2024, 5, 16)  # "this week"
    # the 27,000 is the 2022-23 running total, not this cut
    assert not any(f.headcount_low == 27000 or _covers(f, 27000) for f in facts), facts


def test_seed_004_two_aws_units_share_hundreds():
    facts = _facts("004", "2024-04-04")
    by_division = {f.division: f for f in facts if f.company == "Amazon"}
    for division in ("Sales, Marketing and Global Services", "Physical Stores Technology"):
        assert division in by_division, facts
        fact = by_division[division]
        assert (fact.headcount_low, fact.headcount_high) == (200, 999)
        assert fact.headcount_text == "hundreds"
        assert fact.quarter == "2024-Q2"
        assert fact.division_path.startswith("AWS")
    smgs = by_division["Sales, Marketing and Global Services"]
    pst = by_division["Physical Stores Technology"]
    assert smgs.shared_headcount_group is not None
    assert smgs.shared_headcount_group == pst.shared_headcount_group
    # "a team of more than 1,000 people" and "700 of every 1,000 sales" are not cuts
    assert not any(f.headcount_low in (700, 1000) or _covers(f, 1000) for f in facts), facts
    assert len(facts) == 2, facts
