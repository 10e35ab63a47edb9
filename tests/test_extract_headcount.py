"""Headcount figures: which numbers count people, and the range each one means."""

from __future__ import annotations

import csv
import math
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from pipelines.extract import extract_cuts, load_reference
from pipelines.extract.headcount import apply_qualifier, find_figures

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
PUB = date(2024, 6, 14)


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def counts(sentence, ref):
    return [(f.low, f.high) for f in find_figures(sentence, ref) if f.role == "count"]


def only_fact(text, **kwargs):
    facts = extract_cuts(text, published_on=kwargs.pop("published_on", PUB), **kwargs)
    assert len(facts) == 1, facts
    return facts[0]


def test_exact_figure_is_both_ends():
    fact = only_fact("Brightwater Analytics said it will cut 650 jobs in its Forecasting group.")
    assert (fact.headcount_low, fact.headcount_high, fact.headcount_text) == (650, 650, "650")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Pinecrest Media will lay off two hundred employees.", 200),
        ("Pinecrest Media let go fifteen reporters on Tuesday.", 15),
        ("Pinecrest Media is cutting a dozen editors.", 12),
        ("Pinecrest Media will eliminate twenty-five positions.", 25),
        ("Pinecrest Media will eliminate fifteen hundred positions.", 1500),
    ],
)
def test_number_words(sentence, expected, ref):
    assert counts(sentence, ref) == [(expected, expected)]


@pytest.mark.parametrize("qualifier", ["about", "around", "roughly", "approximately", "some", "an estimated", "close to"])
def test_round_figure_qualifiers_keep_the_figure(qualifier, ref):
    figures = find_figures(f"The studio will cut {qualifier} 1,800 workers.", ref)
    assert [(f.low, f.high, f.text) for f in figures] == [(1800, 1800, f"{qualifier} 1,800")]


@pytest.mark.parametrize("qualifier", ["nearly", "almost", "just under", "fewer than"])
def test_below_qualifiers_start_at_ninety_percent_rounded_up(qualifier, ref):
    assert counts(f"The bank will shed {qualifier} 555 roles.", ref) == [(500, 555)]  # ceil(499.5) = 500
    assert counts(f"The bank will shed {qualifier} 1,000 roles.", ref) == [(900, 1000)]


@pytest.mark.parametrize("qualifier", ["more than", "over", "at least", "upwards of"])
def test_above_qualifiers_end_at_hundred_and_ten_percent_rounded_down(qualifier, ref):
    assert counts(f"The carrier will shed {qualifier} 1,005 staff.", ref) == [(1005, 1105)]  # floor(1105.5)


@pytest.mark.parametrize("qualifier", ["up to", "as many as"])
def test_ceiling_qualifiers_run_from_one(qualifier, ref):
    assert counts(f"The airline could trim {qualifier} 500 positions.", ref) == [(1, 500)]


@pytest.mark.parametrize(
    "sentence",
    ["The automaker will cut between 40,000 and 55,000 jobs.", "The automaker will cut 40,000 to 55,000 jobs."],
)
def test_stated_range_gives_its_ends(sentence, ref):
    assert counts(sentence, ref) == [(40000, 55000)]


def test_scaled_figures(ref):
    assert counts("The retailer employs 1.5 million people.", ref) == []  # a workforce size, not a cut
    assert [(f.low, f.role) for f in find_figures("The retailer employs 1.5 million people.", ref)] == [(1500000, "base")]
    assert counts("The group will cut 14k positions.", ref) == [(14000, 14000)]
    assert counts("The ministry will cut 1.2 million jobs.", ref) == [(1200000, 1200000)]


def test_vague_phrases_come_from_the_seed(ref):
    with (SEEDS / "vague_headcounts.csv").open() as handle:
        table = {row["phrase"]: (int(row["headcount_low"]), int(row["headcount_high"])) for row in csv.DictReader(handle)}
    assert table["hundreds"] == (200, 999)  # the documented reading
    for phrase, expected in table.items():
        assert counts(f"The publisher laid off {phrase} of employees.", ref) == [expected], phrase


def test_longest_vague_phrase_wins(ref):
    assert counts("The insurer is laying off several hundred employees.", ref) == [(300, 999)]
    assert counts("The insurer is laying off a few hundred employees.", ref) == [(200, 499)]
    assert counts("The insurer is laying off tens of thousands of employees.", ref) == [(20000, 99999)]


def test_percentage_with_its_base_in_the_same_phrase():
    fact = only_fact("Orchard Logistics will cut 10% of its 12,000 staff, the company said on Friday.")
    assert (fact.headcount_low, fact.headcount_high) == (1200, 1200)
    assert fact.workforce_pct == 10.0
    assert fact.headcount_text == "10% of its 12,000 staff"


def test_percentage_with_its_base_elsewhere_in_the_article():
    text = (
        "Orchard Logistics said on Friday that it would lay off about 5% of its workforce.\n"
        "The company had 72,000 employees at the end of last year."
    )
    fact = only_fact(text)
    assert (fact.headcount_low, fact.headcount_high, fact.workforce_pct) == (3600, 3600, 5.0)


def test_percentage_without_any_base_keeps_only_the_share():
    fact = only_fact("Orchard Logistics said on Friday that it would lay off about 5% of its workforce.")
    assert fact.headcount_low is None and fact.headcount_high is None
    assert fact.workforce_pct == 5.0
    assert fact.headcount_text == "about 5% of its workforce"


def test_count_and_share_in_one_sentence():
    fact = only_fact("Orchard Logistics will cut 1,800 jobs, or roughly 13% of its workforce.")
    assert (fact.headcount_low, fact.headcount_high, fact.workforce_pct) == (1800, 1800, 13.0)


@pytest.mark.parametrize(
    "sentence",
    [
        "The chain will cut $200 million in costs and close 200 stores.",
        "The layoffs of 2024 were deep.",
        "Workers on the Model 3 line were told of the cuts.",
        "The automaker cut F-150 Lightning production again.",
        "Revenue fell 12% to $4.5 billion in the quarter.",
        "The company cut 3 of its 12 regional offices.",
        "Two reductions were announced.",
    ],
)
def test_numbers_that_do_not_count_people(sentence, ref):
    assert counts(sentence, ref) == []


def test_hiring_and_workforce_figures_are_not_cuts(ref):
    roles = {f.text: f.role for f in find_figures("The firm, which employs 9,000 people, plans to hire 300 engineers.", ref)}
    assert roles == {"9,000": "base", "300": "hire"}


def test_approximation_factors_agree_with_the_rules_seed(ref):
    with (SEEDS / "approximation_rules.csv").open() as handle:
        rows = {row["qualifier_kind"]: row for row in csv.DictReader(handle)}
    for kind in ("exact", "below", "above", "ceiling"):
        for qualifier in rows[kind]["qualifiers"].split("|"):
            if qualifier == "(none)":
                continue
            low, high, _ = apply_qualifier(1000, qualifier, ref)
            low_factor = rows[kind]["low_factor"]
            expected_low = 1 if not low_factor else math.ceil(1000 * Fraction(low_factor))
            assert (low, high) == (expected_low, math.floor(1000 * Fraction(rows[kind]["high_factor"]))), qualifier
