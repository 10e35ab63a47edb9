"""Which sentences report a new cut, and how one article's mentions combine."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

import pipelines.extract as extract
from pipelines.extract import EXTRACTOR_VERSION, CutFact, extract_cuts

PUB = date(2024, 5, 16)


def facts(text, title=None, published_on=PUB):
    return extract_cuts(text, title=title, published_on=published_on)


def test_public_contract():
    assert EXTRACTOR_VERSION == f"{extract.RULES_VERSION}+seeds.{extract.seeds_digest()}"
    assert set(extract.__all__) >= {"EXTRACTOR_VERSION", "CutFact", "extract_cuts", "load_reference"}
    names = [f.name for f in dataclasses.fields(CutFact)]
    assert names == [
        "company", "division", "division_path", "headcount_low", "headcount_high", "headcount_text", "workforce_pct",
        "announced_on", "quarter", "evidence", "evidence_start", "evidence_end", "confidence", "shared_headcount_group",
        "status", "reason", "location", "announced_precision", "effective_on", "effective_precision", "part_of_index",
    ]
    [fact] = facts("Amazon will cut 90 jobs.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.company = "Google"


# --- not a job cut ------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Amazon plans to hire 5,000 warehouse workers before the holidays.",
        "Google said it would continue to hire engineers for its AI teams.",
        "Tesla cut prices on its Model Y by 10% in the United States.",
        "The Federal Reserve cut interest rates by a quarter point, helping banks.",
        "Analysts cut their price target on Intel to $40 after the earnings call.",
        "Intel cut costs by $3 billion, mostly through lower capital spending.",
        "Ford cut production of its electric pickup and moved 700 workers to other plants.",
        "Boeing machinists went on strike, and 30,000 workers walked off the job.",
        "Microsoft imposed a hiring freeze on its cloud teams.",
        "Meta rehired 120 workers it had laid off last autumn.",
        "Nike cut its revenue forecast for the year.",
        "Salesforce eliminated 1,000 job openings it no longer planned to fill.",
        "Walmart said it had no plans to lay off any store employees.",
        "Union leaders said they would push for early retirement rather than layoffs.",
        "The company fired two dozen staff for misusing expense accounts, a disciplinary matter.",
        "Reports suggested the reduction could reach 30,000 positions.",
    ],
)
def test_non_events_give_nothing(sentence):
    assert facts(sentence) == []


def test_an_article_denying_cuts_gives_nothing():
    text = "A report said the owner planned to cut most of the staff.\nThe general counsel said no such plan existed."
    assert facts(text, title="Pemberton Airways says it has no plans for mass layoffs") == []


# --- background and running totals ----------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Amazon has eliminated about 27,000 corporate positions since late 2022.",
        "Last year it cut 12,000 jobs across the company.",
        "Earlier this year, Google laid off 1,000 people in its hardware teams.",
        "Meta has cut 21,000 roles so far.",
        "The initial wave eliminated roles in devices, Alexa and human resources.",
        "A previous round of layoffs removed 3,000 positions at Salesforce.",
        "The new cuts bring the total to 9,500 jobs eliminated at Cisco.",
        "In 2023, Microsoft laid off 10,000 employees.",
        "Amazon said in January that it would cut 18,000 jobs.",
    ],
)
def test_background_figures_are_not_new_cuts(sentence):
    assert facts(sentence) == []


def test_a_new_cut_beside_a_background_total_keeps_only_the_new_figure():
    [fact] = facts("Amazon is cutting 200 jobs in its Alexa team, following the 27,000 roles it removed since 2022.")
    assert (fact.headcount_low, fact.headcount_high, fact.division) == (200, 200, "Alexa")


def test_the_new_cut_can_sit_in_another_sentence_than_the_total():
    text = (
        "Amazon eliminated more roles in its Alexa team this week.\n"
        "The cuts follow the 27,000 corporate jobs it removed since 2022."
    )
    [fact] = facts(text)
    assert fact.division == "Alexa"
    assert fact.headcount_low is None
    assert not any(f.headcount_low and f.headcount_low <= 27000 <= f.headcount_high for f in facts(text))


def test_a_retrospective_does_not_revive_an_old_cut():
    text = (
        "A year ago this week, Larchmont Bank said it would cut 4,000 jobs.\n"
        "Former employees who were let go in that round describe mixed outcomes.\n"
        "The bank's shares have since doubled."
    )
    assert facts(text, title="One year after cutting 4,000 jobs, Larchmont Bank is thriving") == []


# --- several cuts, one cut several times -------------------------------------------


def test_a_round_up_gives_one_fact_per_company():
    text = (
        "Three employers announced reductions this week.\n"
        "Kestrel Software said on Monday that it would cut 300 jobs.\n"
        "Meanwhile, Intel said on Tuesday it would eliminate about 1,500 positions in its foundry unit.\n"
        "Orchid Pharma followed on Wednesday, laying off 85 researchers."
    )
    found = {f.company: f for f in facts(text)}
    assert set(found) == {"Kestrel Software", "Intel", "Orchid Pharma"}
    assert (found["Kestrel Software"].headcount_low, found["Kestrel Software"].announced_on) == (300, date(2024, 5, 13))
    assert (found["Intel"].division, found["Intel"].headcount_low, found["Intel"].announced_on) == (
        "Intel Foundry", 1500, date(2024, 5, 14))
    assert (found["Orchid Pharma"].headcount_low, found["Orchid Pharma"].announced_on) == (85, date(2024, 5, 15))


def test_two_companies_in_one_sentence():
    found = {f.company: f.headcount_low for f in facts("UPS said it would cut 12,000 jobs, and PayPal said it would cut 2,500.")}
    assert found == {"UPS": 12000, "PayPal": 2500}


def test_the_same_cut_repeated_is_one_fact():
    text = (
        "Kestrel Software will lay off 300 employees, the company said on Monday.\n"
        "The 300 job cuts amount to a sixth of its staff.\n"
        "Kestrel Software said the layoffs would be completed by June."
    )
    [fact] = facts(text, title="Kestrel Software to cut 300 jobs")
    assert (fact.company, fact.headcount_low, fact.announced_on) == ("Kestrel Software", 300, date(2024, 5, 13))


def test_unit_from_one_sentence_and_figure_from_another_are_merged():
    text = (
        "Google is laying off staff in its YouTube unit, the company confirmed on Tuesday.\n"
        "About 100 employees are affected by the cuts, the company said."
    )
    [fact] = facts(text)
    assert (fact.company, fact.division, fact.headcount_low, fact.headcount_high) == ("Google", "YouTube", 100, 100)
    assert fact.announced_on == date(2024, 5, 14)


def test_the_most_exact_figure_wins():
    text = "Kestrel Software is cutting hundreds of jobs.\nThe company said on Monday that 412 employees would be laid off."
    [fact] = facts(text)
    assert (fact.headcount_low, fact.headcount_high, fact.headcount_text) == (412, 412, "412")
    assert fact.evidence.startswith("The company said on Monday")


def test_a_smaller_figure_later_is_part_of_the_headline_cut():
    text = (
        "Redwater Telecom will cut 6,000 jobs worldwide, it said on Tuesday.\n"
        "A state filing shows that 1,985 of those job cuts are in Texas."
    )
    [fact] = facts(text)
    assert (fact.headcount_low, fact.headcount_high) == (6000, 6000)


# --- evidence, confidence and odd input ---------------------------------------------


def test_evidence_offsets_point_into_the_text():
    text = "Analysts expect a weak quarter.\n\nMicrosoft is cutting 650 jobs in its Xbox unit, it said on Thursday."
    [fact] = facts(text)
    assert text[fact.evidence_start : fact.evidence_end] == fact.evidence
    assert fact.evidence.startswith("Microsoft is cutting 650 jobs")


def test_confidence_rewards_known_names_exact_figures_and_units():
    [strong] = facts("Microsoft is cutting 650 jobs in its Xbox unit.")
    [weak] = facts("Bellwether Studio is laying off dozens of employees.")
    assert 0 < weak.confidence < strong.confidence <= 1


@pytest.mark.parametrize("text", ["", "   \n\n  ", "%%%% 12,000 ### laid", "\x00\x01\x02", "." * 10000])
def test_odd_input_gives_nothing(text):
    assert facts(text) == []


def test_wrong_types_give_nothing():
    assert extract_cuts(None) == []  # type: ignore[arg-type]
    assert extract_cuts(12345) == []  # type: ignore[arg-type]
    assert extract_cuts("Amazon will cut 90 jobs.", published_on="yesterday") != []  # type: ignore[arg-type]


def test_huge_text_is_handled():
    filler = "The weather was mild and markets were calm. " * 20000
    found = facts("Amazon said on Thursday it would cut 90 jobs in its Alexa team.\n" + filler)
    assert [(f.company, f.division, f.headcount_low) for f in found] == [("Amazon", "Alexa", 90)]


# --- prose from real news pages that is not about a cut (found by bench/throughput.py) ----------


def test_an_economy_wide_projection_is_not_a_cut():
    text = (
        "Tariffs have weighed on farm exports for two years. "
        "The Trade Policy Institute projected in March that the tariffs imposed so far would reduce GDP by "
        "0.4 percent, while lowering wages and eliminating 180,000 full-time-equivalent jobs."
    )
    assert facts(text, title="A guide to tariffs and who pays for them") == []


def test_a_habit_of_cutting_with_no_figure_is_not_a_cut():
    text = (
        "Harrow Capital owns more than 60 dailies. Harrow papers have been cutting staff at roughly double "
        "the pace of the industry as a whole, former reporters said."
    )
    assert facts(text) == []
    # The same company with a figure and a time is a cut.
    [fact] = facts("Harrow Capital owns 60 dailies. Harrow Capital said on Tuesday it would cut 120 newsroom jobs.")
    assert (fact.company, fact.headcount_low, fact.headcount_high) == ("Harrow Capital", 120, 120)


def test_a_common_noun_opening_a_sentence_is_not_a_company():
    text = (
        "Economists say the tariffs raise prices. "
        "Tariffs have also cost jobs, and Zephyr Motors said on Monday it would cut 300 jobs at its plant."
    )
    assert [(fact.company, fact.headcount_low) for fact in facts(text)] == [("Zephyr Motors", 300)]


def test_losses_over_recent_decades_are_background():
    assert facts("Steel towns saw massive job losses from imports in recent decades, the union leader said.") == []
