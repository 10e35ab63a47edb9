"""Companies and divisions: aliases, parents, unlisted names, unit patterns."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_cuts, load_reference

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
PUB = date(2024, 9, 12)


def facts(text, title=None):
    return extract_cuts(text, title=title, published_on=PUB)


def one(text, title=None):
    found = facts(text, title)
    assert len(found) == 1, found
    return found[0]


# --- the seeds themselves -------------------------------------------------


def _rows(name):
    with (SEEDS / name).open(newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def test_company_seed_shape():
    header, rows = _rows("companies.csv")
    assert header == ["company", "aliases", "parent_company", "ticker", "country", "industry", "fiscal_year_end_month",
                      "fiscal_year_named_by", "needs_context", "source"]
    assert len(rows) >= 30
    by_name = {r["company"]: r for r in rows}
    expected_fy = {"Microsoft": "6", "Salesforce": "1", "Cisco": "7", "Nike": "5", "Intel": "12", "Amazon": "12"}
    assert {k: by_name[k]["fiscal_year_end_month"] for k in expected_fy} == expected_fy
    assert "Alphabet" in by_name["Google"]["aliases"].split("|")
    assert "Facebook" in by_name["Meta"]["aliases"].split("|")


def test_division_seed_shape_and_parents_exist():
    header, rows = _rows("divisions.csv")
    assert header == ["company", "division", "aliases", "parent_division"]
    assert len(rows) >= 60
    names = {(r["company"], r["division"]) for r in rows}
    companies = {r["company"] for r in _rows("companies.csv")[1]}
    for row in rows:
        assert row["company"] in companies, row
        if row["parent_division"]:
            assert (row["company"], row["parent_division"]) in names, row


def test_division_paths_follow_parents():
    ref = load_reference()
    assert ref.division_path("Amazon", "Physical Stores Technology") == "AWS > Physical Stores Technology"
    assert ref.division_path("Amazon", "Selling Partner Services") == "Retail > Selling Partner Services"
    assert ref.division_path("Microsoft", "Activision Blizzard") == "Xbox > Activision Blizzard"
    assert ref.division_path("Amazon", "Twitch") == "Twitch"


# --- companies --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "company"),
    [
        ("Alphabet said on Thursday it would cut 120 jobs.", "Google"),
        ("Facebook will lay off 300 engineers.", "Meta"),
        ("Meta Platforms Inc. will lay off 300 engineers.", "Meta"),
        ("Amazon.com Inc. is eliminating 90 roles.", "Amazon"),
        ("General Motors said it would cut 1,000 salaried workers.", "GM"),
    ],
)
def test_aliases_resolve_to_the_canonical_company(sentence, company):
    assert one(sentence).company == company


@pytest.mark.parametrize(
    ("sentence", "company", "division"),
    [
        ("AWS cut 400 jobs on Thursday.", "Amazon", "AWS"),
        ("Amazon Web Services cut 400 jobs on Thursday.", "Amazon", "AWS"),
        ("Twitch is laying off 35 employees.", "Amazon", "Twitch"),
        ("Instagram laid off 60 staff on Thursday.", "Meta", "Instagram"),
        ("WhatsApp laid off 60 staff on Thursday.", "Meta", "WhatsApp"),
        ("YouTube will cut 100 roles.", "Google", "YouTube"),
        ("LinkedIn is cutting 200 positions.", "Microsoft", "LinkedIn"),
        ("Activision Blizzard laid off 90 developers.", "Microsoft", "Activision Blizzard"),
    ],
)
def test_a_business_of_a_parent_is_a_division_of_the_parent(sentence, company, division):
    fact = one(sentence)
    assert (fact.company, fact.division) == (company, division)


@pytest.mark.parametrize(
    ("sentence", "company"),
    [
        ("Zephyr Robotics Inc. said it would cut 120 jobs.", "Zephyr Robotics"),
        ("Quillfeather Corp. is laying off 45 workers at its Ohio plant.", "Quillfeather"),
        ("Reuters reported that Bramblewood Foods will eliminate 75 positions.", "Bramblewood Foods"),
        ("Hundreds of Tidewater Systems employees were laid off on Monday.", "Tidewater Systems"),
        ("Layoffs at Marigold Health hit 50 nurses.", "Marigold Health"),
    ],
)
def test_unlisted_companies_come_from_the_subject_of_the_cut(sentence, company):
    assert one(sentence).company == company


def test_the_headline_names_the_company_the_body_calls_it():
    fact = one("The company said the cuts would mostly affect its sales staff.",
               title="Quillfeather Labs to lay off 80 workers")
    assert fact.company == "Quillfeather Labs"
    assert (fact.headcount_low, fact.headcount_high) == (80, 80)


def test_a_descriptive_reference_borrows_the_headline_company():
    text = "The e-commerce giant said on Thursday it would cut 300 jobs in its devices unit."
    fact = one(text, title="Amazon trims hardware teams again")
    assert (fact.company, fact.division) == ("Amazon", "Devices and Services")


def test_a_person_is_not_the_company():
    fact = one("Dana Whitlock said the company would cut 75 roles.", title="Harrow Mills to cut 75 roles")
    assert fact.company == "Harrow Mills"


def test_generic_subjects_name_no_company():
    assert facts("Tech companies have laid off 4,000 workers this week, the tracker said.") == []


# --- divisions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "division"),
    [
        ("Microsoft is cutting 650 jobs in the Xbox unit.", "Xbox"),
        ("Amazon is laying off 90 people on the Alexa team.", "Alexa"),
        ("Meta laid off 140 people in Reality Labs.", "Reality Labs"),
        ("Google cut 100 jobs in its cloud division.", "Google Cloud"),
        ("Amazon cut 100 jobs in its cloud division.", "AWS"),
        ("Tesla dismissed 500 people on its charging team.", "Supercharger"),
        ("Amazon cut 80 jobs in its SPS organization.", "Selling Partner Services"),
        ("Amazon cut 80 jobs in Selling Partner Services.", "Selling Partner Services"),
        ("Amazon cut 80 jobs in its SMGS group.", "Sales, Marketing and Global Services"),
        ("Amazon cut 80 jobs in its Global Sales, Marketing and Services department.", "Sales, Marketing and Global Services"),
        ("Amazon cut 80 jobs in its Physical Store Technology team.", "Physical Stores Technology"),
    ],
)
def test_listed_units_and_their_aliases(sentence, division):
    assert one(sentence).division == division


def test_the_most_specific_unit_wins():
    fact = one("Amazon eliminated 70 roles in its retail division this week, this time in the SPS organization.")
    assert (fact.division, fact.division_path) == ("Selling Partner Services", "Retail > Selling Partner Services")


def test_unlisted_capitalised_units_are_kept_as_written():
    fact = one("Zephyr Robotics will cut 40 roles in its Payments Platform group.")
    assert (fact.company, fact.division, fact.division_path) == ("Zephyr Robotics", "Payments Platform", "Payments Platform")


def test_an_unlisted_team_inside_a_listed_business():
    fact = one("AWS laid off 30 people in its Edge Delivery group.")
    assert (fact.company, fact.division, fact.division_path) == ("Amazon", "Edge Delivery", "AWS > Edge Delivery")


def test_company_wide_cuts_have_no_division():
    fact = one("Meta will cut 10,000 jobs.")
    assert (fact.company, fact.division, fact.division_path) == ("Meta", None, None)


def test_one_figure_shared_by_two_units():
    found = facts("Amazon will lay off hundreds of workers in its Global Sales, Marketing and Services department "
                  "and its Physical Store Technology team.")
    assert sorted(f.division for f in found) == ["Physical Stores Technology", "Sales, Marketing and Global Services"]
    assert {(f.headcount_low, f.headcount_high) for f in found} == {(200, 999)}
    groups = {f.shared_headcount_group for f in found}
    assert len(groups) == 1 and None not in groups
    assert all(f.division_path.startswith("AWS > ") for f in found)


def test_separate_figures_for_separate_units_are_not_shared():
    found = facts("Amazon cut 100 jobs in Alexa and 200 jobs in Twitch on Thursday.")
    assert {f.division: (f.headcount_low, f.shared_headcount_group) for f in found} == {"Alexa": (100, None), "Twitch": (200, None)}


def test_a_unit_described_by_its_products_is_not_split():
    fact = one("Google laid off hundreds of employees in its Platforms and Devices division, the group behind Android and Pixel.")
    assert fact.division == "Platforms and Devices"


def test_ordinary_words_are_not_units_outside_unit_position():
    fact = one("Amazon cut 300 jobs, citing weaker retail sales and slower devices demand.")
    assert fact.division is None
