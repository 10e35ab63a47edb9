"""Status, reason and location of extracted cuts, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract import extract_cuts
from pipelines.extract.location import find_location
from pipelines.extract.reason import OTHER, REASONS, choose, sentence_cues
from pipelines.extract.status import STATUSES, sentence_status, tells_completion
from pipelines.steps.extract_facts import fact_as_row
from pipelines.warehouse.raw_tables import CUT_MENTIONS

PUBLISHED = date(2024, 5, 16)


def only_fact(text: str, title: str | None = None):
    facts = extract_cuts(text, title=title, published_on=PUBLISHED)
    assert len(facts) == 1, facts
    return facts[0]


# --- status -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Intel said on Tuesday that it is cutting 1,200 jobs.", "announced"),
        ("Intel will cut 500 jobs in its sales organization.", "announced"),
        ("Microsoft is laying off 350 employees, the company said on Wednesday.", "announced"),
        ("Intel plans to cut 500 jobs.", "planned"),
        ("Google expects to eliminate 1,200 positions by the end of the year.", "planned"),
        ("Meta will eliminate 2,000 roles over the next two years.", "planned"),
        ("Tesla laid off 400 workers at its Austin, Texas, plant on Monday.", "completed"),
        ("Microsoft cut 750 jobs last week.", "completed"),
        ("Amazon has eliminated 180 roles in its Alexa unit.", "completed"),
        ("Meta began laying off 600 employees on Tuesday.", "completed"),
    ],
)
def test_status_of_one_sentence(text: str, status: str):
    assert only_fact(text).status == status


def test_notified_staff_in_the_next_sentence_make_the_cut_completed():
    fact = only_fact("Amazon is cutting 250 jobs in its Alexa unit. Affected employees were notified on Wednesday.")
    assert fact.status == "completed"


def test_notices_still_to_come_leave_the_cut_announced():
    fact = only_fact("Amazon is cutting 250 jobs in its Alexa unit. Affected employees will be notified on Friday.")
    assert fact.status == "announced"


def test_a_later_sentence_can_give_the_cut_its_horizon():
    fact = only_fact("Intel said on Thursday it would cut 4,000 jobs. The reductions would take place over the coming months.")
    assert fact.status == "planned"


def test_the_furthest_status_in_one_article_wins():
    fact = only_fact(
        "Intel said on Monday it would cut 900 jobs. Employees were let go the same day.",
        title="Intel plans to cut 900 jobs",
    )
    assert fact.status == "completed"


@pytest.mark.parametrize(
    "clause",
    [
        "Unity, Twitch and Discord cut staff",  # several subjects: the bare form is the present
        "Intel will pay severance to employees whose positions were eliminated",
        "The latest cut affects 6,000 workers",
        "Twitch said about 400 of its employees would be let go",
        "about 400 employees are being laid off",
    ],
)
def test_clauses_that_do_not_report_a_finished_cut(clause: str):
    assert sentence_status(clause) == "announced"


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("Employees in the United States were told by email whether their roles had been eliminated.", True),
        ("Notices started reaching inboxes early in the morning.", True),
        ("Workers who lost their jobs will be offered help finding other roles.", True),
        ("Notifications were to be completed the same day.", False),
        ("Local officials said they had not yet been notified.", False),
        ("Employees were told they could apply for other positions.", False),
    ],
)
def test_sentences_telling_that_staff_were_told(sentence: str, told: bool):
    assert tells_completion(sentence) is told


def test_status_values_are_the_documented_three():
    assert set(STATUSES) == {"announced", "planned", "completed"}


# --- reason -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Salesforce said it would cut 1,000 support jobs because AI agents now handle most customer questions.",
         "artificial intelligence"),
        ("Intel will cut 2,000 jobs as part of a restructuring of its sales organization.", "restructuring"),
        ("Tesla will cut 500 jobs to reduce costs and save about $300 million a year.", "cost-cutting"),
        ("Nike will cut 700 jobs as it closes three distribution centers in Tennessee.", "closing"),
        ("Microsoft will cut 1,000 jobs at the newly acquired studio after the merger.", "merger"),
        ("Intel will cut 3,000 jobs, citing weaker demand for personal computers and a slowing economy.",
         "market conditions"),
        ("Meta will dismiss 3,600 employees it rates as low performers.", "performance-based"),
        ("Amazon will cut 300 jobs in its Alexa unit.", "other"),
    ],
)
def test_reason_from_the_cut_sentence(text: str, reason: str):
    assert only_fact(text).reason == reason


def test_reason_from_the_sentence_after_the_cut():
    fact = only_fact("Intel said on Thursday it would cut 4,000 jobs. The company said the cuts were part of a reorganization.")
    assert fact.reason == "restructuring"


def test_a_negated_cue_gives_no_reason():
    fact = only_fact("Google said it would cut 200 jobs. The company said the cuts were not related to performance.")
    assert fact.reason == "other"


def test_money_moving_toward_ai_is_not_the_reason():
    assert only_fact("Google will cut 400 jobs and shift spending toward artificial intelligence.").reason == "other"


def test_efficiency_alone_is_not_artificial_intelligence():
    assert "artificial intelligence" not in sentence_cues("Meta will cut 1,000 jobs in a push for efficiency.")
    assert "artificial intelligence" in sentence_cues("Salesforce cited efficiency gains from its AI tools.")


def test_a_tie_goes_to_the_more_specific_reason():
    assert choose({"restructuring": 2.0, "closing": 2.0}) == "closing"
    assert choose({"market conditions": 1.0, "cost-cutting": 1.0}) == "market conditions"
    assert choose({}) == OTHER
    assert REASONS[-1] == OTHER


# --- location -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "location"),
    [
        ("Microsoft will cut 200 jobs in Washington state", "Washington state"),
        ("Tesla laid off 300 workers at its Austin, Texas, plant", "Austin, Texas"),
        ("In India, the company will cut 500 jobs", "India"),
        ("Ford will cut up to 3,800 jobs in Europe", "Europe"),
        ("Amazon laid off 120 Seattle-area workers", "Seattle"),
        ("Intel will cut jobs at sites in Oregon, Arizona and New Mexico", "Oregon, Arizona and New Mexico"),
        ("Google will cut staff in the United States and Canada", "United States and Canada"),
        ("Microsoft will cut 6,000 positions worldwide, 1,985 of them in Washington", None),
        ("Amazon is cutting 200 jobs in its North America Stores division", None),
        ("The company will cut 40 jobs in Springfield", None),  # not on the list: never guessed
        ("The Jordan brand will cut 50 jobs", None),
    ],
)
def test_location_of_a_clause(clause: str, location: str | None):
    assert find_location(clause) == location


def test_location_on_the_fact():
    assert only_fact("Intel will cut 200 jobs in India.").location == "India"
    assert only_fact("Intel will cut 200 jobs.").location is None


def test_location_from_the_headline_when_the_body_names_none():
    fact = only_fact("Ford said on Tuesday it would cut up to 3,800 jobs across its operations.",
                     title="Ford to cut 3,800 jobs in Europe")
    assert fact.location == "Europe"


def test_a_breakdown_sentence_does_not_set_the_site():
    fact = only_fact("Microsoft said on Tuesday it would cut 6,000 jobs. Nearly 2,000 of the cuts will hit workers in the Seattle area.")
    assert fact.location is None


# --- plumbing -----------------------------------------------------------------


def test_the_three_fields_reach_the_raw_table():
    fact = only_fact("Tesla laid off 400 workers at its Austin, Texas, plant on Monday to cut costs.")
    row = fact_as_row(fact)
    assert (row["status"], row["reason"], row["location"]) == ("completed", "cost-cutting", "Austin, Texas")
    columns = {column.name for column in CUT_MENTIONS.columns}
    assert {"status", "reason", "location"} <= columns
