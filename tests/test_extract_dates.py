"""When a cut was announced, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract import extract_cuts
from pipelines.extract.dates import announced_on, first_absolute_date, quarter_of

THURSDAY = date(2024, 5, 16)  # a Thursday


def resolved(sentence, published_on=THURSDAY):
    return announced_on(sentence, published_on)[0]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Thursday", date(2024, 5, 16)),  # the publication day itself counts
        ("on Monday", date(2024, 5, 13)),
        ("on Friday", date(2024, 5, 10)),
        ("last Thursday", date(2024, 5, 9)),
        ("Wednesday", date(2024, 5, 15)),
    ],
)
def test_weekdays_are_the_latest_such_day_up_to_publication(phrase, expected):
    assert resolved(f"The retailer said {phrase} that it would cut 90 jobs.") == expected


@pytest.mark.parametrize("phrase", ["this week", "today", "earlier today", "this morning"])
def test_present_time_words_mean_the_publication_date(phrase):
    when, stated = announced_on(f"The retailer said {phrase} that it would cut 90 jobs.", THURSDAY)
    assert (when, stated) == (THURSDAY, True)


def test_no_date_words_fall_back_to_publication_unstated():
    assert announced_on("The retailer will cut 90 jobs.", THURSDAY) == (THURSDAY, False)


def test_relative_days_weeks_and_months():
    assert resolved("The retailer cut 90 jobs yesterday.") == date(2024, 5, 15)
    assert resolved("The retailer cut 90 jobs last week.") == date(2024, 5, 9)
    # "last month": the middle of the previous month, a documented choice
    assert resolved("The retailer cut 90 jobs last month.") == date(2024, 4, 15)
    assert resolved("The retailer cut 90 jobs last month.", date(2024, 1, 3)) == date(2023, 12, 15)


def test_month_names_take_the_publication_year_unless_that_is_later():
    published = date(2024, 4, 4)
    assert resolved("The bank announced the cuts in January.", published) == date(2024, 1, 15)
    assert resolved("The bank announced the cuts in early January.", published) == date(2024, 1, 5)
    assert resolved("The bank announced the cuts in late January.", published) == date(2024, 1, 25)
    assert resolved("The bank announced the cuts in May.", published) == date(2023, 5, 15)
    assert resolved("The bank announced the cuts on March 5.", published) == date(2024, 3, 5)
    assert resolved("The bank announced the cuts on December 5.", published) == date(2023, 12, 5)
    assert resolved("The bank announced the cuts on 5 March.", published) == date(2024, 3, 5)
    # a month mentioned during that month never lands after publication
    assert resolved("The bank announced the cuts in April.", published) == published


def test_full_dates_are_taken_as_written():
    assert resolved("The bank announced the cuts on March 5, 2023.") == date(2023, 3, 5)
    assert resolved("The filing was dated 2023-11-02.") == date(2023, 11, 2)


def test_may_the_verb_is_not_a_month():
    assert announced_on("The bank may cut more jobs later.", THURSDAY) == (THURSDAY, False)


def test_effective_dates_are_not_announcement_dates():
    assert announced_on("The cuts take effect June 1 and affect 90 roles.", THURSDAY) == (THURSDAY, False)
    assert announced_on("Employees will leave starting July 15.", THURSDAY) == (THURSDAY, False)


def test_without_a_publication_date_only_written_dates_resolve():
    assert announced_on("The bank said on Monday it would cut 90 jobs.", None) == (None, False)
    assert announced_on("The bank said on March 5, 2023 it would cut 90 jobs.", None) == (date(2023, 3, 5), True)
    assert first_absolute_date("Updated October 2, 2024. The bank will cut 90 jobs.") == date(2024, 10, 2)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(date(2024, 1, 1), "2024-Q1"), (date(2024, 3, 31), "2024-Q1"), (date(2024, 4, 1), "2024-Q2"),
     (date(2024, 9, 30), "2024-Q3"), (date(2024, 12, 31), "2024-Q4"), (None, None)],
)
def test_calendar_quarters(day, quarter):
    assert quarter_of(day) == quarter


def test_facts_carry_the_resolved_date_and_quarter():
    [fact] = extract_cuts("Larkspur Games said on Monday it would lay off 140 developers.", published_on=date(2024, 4, 3))
    assert fact.announced_on == date(2024, 4, 1)
    assert fact.quarter == "2024-Q2"


def test_a_weekday_can_cross_into_the_previous_quarter():
    [fact] = extract_cuts("Larkspur Games said on Friday it would lay off 140 developers.", published_on=date(2024, 4, 2))
    assert fact.announced_on == date(2024, 3, 29)
    assert fact.quarter == "2024-Q1"


def test_same_day_refers_to_the_last_stated_date():
    text = (
        "Larkspur Games said on Monday it would lay off 140 developers.\n"
        "Its sister studio Quarry Peak said the same day that it would cut 60 jobs."
    )
    facts = {f.company: f for f in extract_cuts(text, published_on=date(2024, 4, 4))}
    assert facts["Quarry Peak"].announced_on == date(2024, 4, 1)


def test_without_publication_date_the_article_dateline_is_used():
    text = "Published March 12, 2024\nLarkspur Games said it would lay off 140 developers."
    [fact] = extract_cuts(text)
    assert (fact.announced_on, fact.quarter) == (date(2024, 3, 12), "2024-Q1")


def test_without_any_date_the_fact_has_none():
    [fact] = extract_cuts("Larkspur Games said on Monday it would lay off 140 developers.")
    assert fact.announced_on is None and fact.quarter is None
