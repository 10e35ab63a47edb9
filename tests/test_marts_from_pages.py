"""Issue 11, items 1 and 5, from page to published row: `layoffs run --html-dir` over saved pages
(the real cleaner, extractor, dbt build and publish step), then the marts.

- A part counted beside its whole: the sample page "Amazon to cut 9,000 more jobs; Twitch loses
  about four hundred" says Twitch's ~400 go "as part of the round". Amazon's 2023-Q1 is 9,000,
  not 9,400, and Twitch's event says which event it is part of.
- Future dates: "Salesforce will cut about 1,000 jobs in 2025", published 2024-12-20, is announced
  2024-12-20 (2024-Q4), to the day, and effective 2025-01-01, a year; not dated 2025-07-01.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT, SAMPLE_DIR
from news_pages import news_page

pytestmark = pytest.mark.timeout(600)

AMAZON_PAGE = "a09_amazon-9000-twitch-400_bytewise.html"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    shutil.copyfile(SAMPLE_DIR / AMAZON_PAGE, folder / AMAZON_PAGE)
    (folder / "salesforce.html").write_text(news_page(
        "https://wire.example.com/salesforce-2025-cuts", "Salesforce to cut about 1,000 jobs in 2025", date(2024, 12, 20),
        "Salesforce will cut about 1,000 jobs in 2025, the company said, as it shifts spending toward its artificial "
        "intelligence products and away from older software lines.",
        "The company did not say which teams would be affected. Analysts said the move had been expected, given "
        "slower growth in its core business, and the company said it would keep hiring in sales for its AI agents.",
        filler=False,
    ), encoding="utf-8")
    published = tmp_path_factory.mktemp("run") / "warehouse.duckdb"
    # The command as a user runs it, in a process of its own (it points the environment at --db).
    env = {name: value for name, value in os.environ.items() if not name.startswith("LAYOFFS_")}
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--html-dir", str(folder), "--db", str(published), "--quiet"],
        cwd=REPO_ROOT, env={**env, "LAYOFFS_WORKERS": "1"}, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return published


def rows(warehouse: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def test_amazon_s_quarter_counts_the_9000_and_not_twitch_s_400_beside_it(warehouse):
    cuts = rows(
        warehouse,
        "select cut_id, division, announced_on::varchar, quarter, headcount_low, headcount_high, part_of_cut_id "
        "from marts.fct_cuts where company = 'Amazon' order by division nulls first",
    )
    assert [row[1:6] for row in cuts] == [
        (None, "2023-03-20", "2023-Q1", 9000, 9000),
        ("Twitch", "2023-03-20", "2023-Q1", 400, 400),
    ]
    (whole_id, *_, whole_of), (_, *_, twitch_of) = cuts
    assert whole_of is None and twitch_of == whole_id

    assert rows(
        warehouse,
        "select quarter, cut_events, part_events, divisions_cut, headcount_low, headcount_high "
        "from marts.fct_cuts_by_company_quarter where company = 'Amazon'",
    ) == [("2023-Q1", 2, 1, 1, 9000, 9000)]
    # Per unit, Twitch's row keeps its own cut and says it is a part of a larger one.
    assert rows(
        warehouse,
        "select division, cut_events, part_events, headcount_low, headcount_high from marts.fct_cuts_by_division_quarter "
        "where company = 'Amazon' order by division nulls first",
    ) == [(None, 1, 0, 9000, 9000), ("Twitch", 1, 1, 400, 400)]
    # The raw facts carry the link the marts use.
    assert rows(
        warehouse,
        "select part.division, whole.division, whole.headcount_low from raw.cut_mentions as part "
        "join raw.cut_mentions as whole on whole.mention_id = part.part_of_mention_id",
    ) == [("Twitch", None, 9000)]


def test_salesforce_s_2025_cut_is_announced_when_published_and_effective_in_2025(warehouse):
    assert rows(
        warehouse,
        "select announced_on::varchar, announced_precision, quarter, fiscal_quarter, effective_on::varchar, "
        "effective_precision, headcount_low, headcount_high from marts.fct_cuts where company = 'Salesforce'",
    ) == [("2024-12-20", "day", "2024-Q4", "FY2025-Q4", "2025-01-01", "year", 1000, 1000)]
    assert rows(
        warehouse, "select quarter, headcount_low from marts.fct_cuts_by_company_quarter where company = 'Salesforce'"
    ) == [("2024-Q4", 1000)]
