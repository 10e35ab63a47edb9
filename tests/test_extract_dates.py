"""When a cut was announced, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract import extract_cuts
from pipelines.extract.dates import (Dated, Period, announced_on, announcement, effective_period, first_absolute_date,
                                     period_start, quarter_of)

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


# --- precision, and the period a cut takes effect in (issue 11, item 5) -----------------------------


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("on Monday", date(2024, 5, 13), "day"),
        ("on March 5", date(2024, 3, 5), "day"),
        ("yesterday", date(2024, 5, 15), "day"),
        ("this week", THURSDAY, "week"),
        ("last week", date(2024, 5, 9), "week"),
        ("in January", date(2024, 1, 15), "month"),
        ("last month", date(2024, 4, 15), "month"),
        ("in 2024", THURSDAY, "year"),
        ("in 2023", date(2023, 7, 1), "year"),
    ],
)
def test_each_date_says_how_much_of_it_the_words_gave(phrase, expected, precision):
    assert announcement(f"The retailer said it cut 90 jobs {phrase}.", THURSDAY) == Dated(expected, True, precision)


def test_the_publication_date_standing_in_is_to_the_day():
    assert announcement("The retailer will cut 90 jobs.", THURSDAY) == Dated(THURSDAY, False, "day")
    assert announcement("The retailer will cut 90 jobs.", None) == Dated(None, False, None)


def test_a_date_after_publication_is_not_the_announcement_when_the_sentence_has_another():
    published = date(2024, 12, 20)
    assert announcement("Salesforce said on Monday it will cut about 1,000 jobs in 2025.", published) == Dated(
        date(2024, 12, 16), True, "day")


SALESFORCE_DAY = date(2024, 12, 20)


@pytest.mark.parametrize(
    ("sentence", "start", "precision"),
    [
        ("Salesforce will cut about 1,000 jobs in 2025.", date(2025, 1, 1), "year"),
        ("The company will cut 7,800 jobs by the end of 2025.", date(2025, 1, 1), "year"),
        ("The bank plans to cut 500 jobs next year.", date(2025, 1, 1), "year"),
        ("The bank plans to cut 500 jobs later this year.", date(2024, 1, 1), "year"),
        ("The layoffs will be completed by the end of the first quarter of 2025.", date(2025, 1, 1), "quarter"),
        ("The reductions are expected in Q2 2025.", date(2025, 4, 1), "quarter"),
        # no year: the next such period when the sentence speaks of the future
        ("The layoffs will be completed by the end of the first quarter.", date(2025, 1, 1), "quarter"),
        ("The bank will cut 500 jobs starting in March.", date(2025, 3, 1), "month"),
        ("The bank will cut 500 jobs starting in early March 2025.", date(2025, 3, 1), "month"),
        ("The cuts take effect June 1 and affect 90 roles.", date(2025, 6, 1), "day"),
        ("The bank will cut 500 jobs, effective 2025-02-01.", date(2025, 2, 1), "day"),
    ],
)
def test_effective_periods_are_their_first_day_and_length(sentence, start, precision):
    assert effective_period(sentence, SALESFORCE_DAY) == Period(start, precision)


@pytest.mark.parametrize(
    "sentence",
    [
        "The bank cut 500 jobs this year.",  # the announcement's year, not a period ahead
        "The bank cut 500 jobs in November.",  # a month without a cue is the announcement's
        "The bank will cut 500 jobs in fiscal 2025.",  # the company's year, not the calendar's
        "The bank will cut 500 jobs by FY2026.",
        "The bank will meet its 2025 targets after cutting 500 jobs.",  # a year that names no period of the cut
        "The bank said in March it will cut 500 jobs.",
    ],
)
def test_no_effective_period(sentence):
    assert effective_period(sentence, SALESFORCE_DAY) is None


def test_period_starts():
    day = date(2024, 12, 20)
    assert [period_start(day, p) for p in ("day", "week", "month", "quarter", "year")] == [
        day, date(2024, 12, 16), date(2024, 12, 1), date(2024, 10, 1), date(2024, 1, 1)]


def test_salesforce_2025_is_announced_when_published_and_effective_in_2025():
    # The example: it was dated 2025-07-01 (2025-Q3), a bare year's July 1.
    [fact] = extract_cuts("Salesforce will cut about 1,000 jobs in 2025, the company said.", published_on=SALESFORCE_DAY)
    assert (fact.announced_on, fact.announced_precision, fact.quarter) == (SALESFORCE_DAY, "day", "2024-Q4")
    assert (fact.effective_on, fact.effective_precision) == (date(2025, 1, 1), "year")


def test_a_facts_dates_carry_their_precision():
    [fact] = extract_cuts("Larkspur Games said last week it would lay off 140 developers starting in March.",
                          published_on=date(2024, 4, 3))
    assert (fact.announced_on, fact.announced_precision) == (date(2024, 3, 27), "week")
    # "starting in March" said in April: the next March (the sentence speaks of the future)
    assert (fact.effective_on, fact.effective_precision) == (date(2025, 3, 1), "month")


def test_an_effective_period_before_the_announcement_is_dropped():
    # "effective January 15" in a March article: already past, so no effective period.
    [fact] = extract_cuts("Larkspur Games laid off 140 developers effective January 15, the studio said on Monday.",
                          published_on=date(2024, 3, 6))
    assert fact.announced_on == date(2024, 3, 4)
    assert fact.effective_on is None and fact.effective_precision is None
