"""A figure given as a part of another is linked to its whole (issue 11, item 1).

Each case is an article's text and the facts expected from it: (company, division, low, high,
the division of the whole it is a part of, or None). The whole is found through
`CutFact.part_of_index`; totals then count the whole and not whole + part (see the marts tests).
"""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract import extract_cuts
from pipelines.steps.extract_facts import fact_as_row

PUBLISHED = date(2023, 3, 21)
WHOLE = "(company-wide)"


def facts(text: str, title: str | None = None) -> list[tuple]:
    found = extract_cuts(text, title=title, published_on=PUBLISHED, raise_errors=True)
    for fact in found:
        assert fact.part_of_index is None or 0 <= fact.part_of_index < len(found)

    def whole_of(fact):
        if fact.part_of_index is None:
            return None
        return found[fact.part_of_index].division or WHOLE

    # Company, then the company-wide fact before its units.
    return sorted(((f.company, f.division, f.headcount_low, f.headcount_high, whole_of(f)) for f in found),
                  key=lambda row: (row[0], row[1] or ""))


def test_the_issue_s_example_as_part_of_the_round():
    text = (
        "Amazon said on Monday that it would eliminate 9,000 more positions over the coming weeks. "
        "Twitch, the livestreaming service Amazon bought in 2014, said the same day that about four hundred of its "
        "employees would be let go as part of the round."
    )
    assert facts(text, title="Amazon to cut 9,000 more jobs; Twitch loses about four hundred") == [
        ("Amazon", None, 9000, 9000, None),
        ("Amazon", "Twitch", 400, 400, WHOLE),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Amazon will cut 9,000 jobs, including 400 at Twitch.",
        "Amazon will cut 9,000 jobs, including about 400 jobs at Twitch.",
        "Amazon will cut 9,000 jobs, of which 400 are at Twitch.",
        "Amazon will cut 9,000 jobs, among them 400 at Twitch.",
        "Amazon will cut 9,000 jobs. Twitch will lose 400 roles as part of the cuts.",
        "Amazon will cut 9,000 jobs. About 400 of the 9,000 job cuts will fall on Twitch.",
        "Twitch will cut 400 jobs as part of Amazon's 9,000 job cuts.",
    ],
)
def test_a_part_is_its_unit_s_cut_and_linked_to_the_whole(text):
    assert facts(text) == [("Amazon", None, 9000, 9000, None), ("Amazon", "Twitch", 400, 400, WHOLE)]


@pytest.mark.parametrize(
    "text",
    [
        "Meta will lay off 8,000 employees. Out of the 8,000 layoffs, 1,200 will come from Reality Labs.",
        "Meta will lay off 8,000 employees. Reality Labs will lose 1,200 jobs out of the 8,000.",
    ],
)
def test_out_of_the_8000_names_the_whole_back(text):
    assert facts(text) == [("Meta", None, 8000, 8000, None), ("Meta", "Reality Labs", 1200, 1200, WHOLE)]


def test_a_list_of_parts_each_links_to_the_whole():
    assert facts("Amazon will cut 9,000 jobs, including about 400 jobs at Twitch and 100 at Audible.") == [
        ("Amazon", None, 9000, 9000, None),
        ("Amazon", "Audible", 100, 100, WHOLE),
        ("Amazon", "Twitch", 400, 400, WHOLE),
    ]


def test_a_part_of_a_unit_links_to_the_unit_above_it():
    # No company-wide cut: the whole is the cut of the unit the part sits in (AWS > Physical Stores Technology).
    text = "Amazon will cut 400 jobs at AWS. Physical Stores Technology will lose 100 jobs as part of the AWS cuts."
    assert facts(text) == [("Amazon", "AWS", 400, 400, None), ("Amazon", "Physical Stores Technology", 100, 100, "AWS")]


def test_a_unit_cut_without_a_part_cue_stays_a_cut_of_its_own():
    # No cue, no link: the marts count both (the article does not say one is inside the other).
    assert facts("Amazon will cut 9,000 jobs. Twitch will also cut 400 jobs.") == [
        ("Amazon", None, 9000, 9000, None),
        ("Amazon", "Twitch", 400, 400, None),
    ]


def test_a_company_wide_breakdown_is_no_second_cut():
    # "1,985 in Washington" is a part of the 9,000 with no unit of its own: one fact, the whole.
    assert facts("Amazon will cut 9,000 jobs, including 1,985 in Washington state.") == [("Amazon", None, 9000, 9000, None)]


def test_another_name_s_total_is_no_whole_of_this_company():
    # An industry total before the company is named, or owned by another name, is nobody's whole here.
    found = facts("Big Tech has shed 200,000 jobs this year, including 12,000 at Google.")
    assert not any(row[0] == "Google" and row[2] == 200000 for row in found)
    assert all(row[4] is None for row in found)
    assert facts("Twitch will cut 400 jobs as part of the industry's 200,000 job losses.") == [("Amazon", "Twitch", 400, 400, None)]


def test_a_larger_figure_is_never_a_part_of_a_smaller_one():
    # "as part of" after the whole's own figure: there is nothing larger to be a part of.
    assert facts("Amazon will cut 9,000 jobs as part of its annual planning. Twitch will lose 400 jobs in the round.") == [
        ("Amazon", None, 9000, 9000, None),
        ("Amazon", "Twitch", 400, 400, None),
    ]


def test_the_link_reaches_the_raw_row():
    [whole, part] = sorted(extract_cuts("Amazon will cut 9,000 jobs, of which 400 are at Twitch.", published_on=PUBLISHED),
                           key=lambda f: f.part_of_index is not None)
    row = fact_as_row(part)
    assert row["part_of_index"] is not None and fact_as_row(whole)["part_of_index"] is None
