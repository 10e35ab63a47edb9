"""The published numbers for concrete inputs: raw facts (company, division, date, headcount) are
loaded into a real DuckDB work database, the real `dbt build` runs on it (seeds, models and data
tests, as a scheduled run does), and the marts must hold exactly the expected rows.

Covered: event boundaries (the window counts from an event's first report; a different exact
figure is a new cut), company and division totals, parts of a whole counted once (in the whole),
fiscal quarters for seven companies whose fiscal years differ, announcement and effective dates
with their precision, and cut ids that stay put across builds, with retired ids mapped to the
surviving one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT
from pipelines import settings
from pipelines.warehouse import ensure_raw_schema, insert_new_rows
from pipelines.warehouse.raw_tables import ARTICLES, CUT_MENTIONS, EXTRACTION_LOG, PAGES

pytestmark = pytest.mark.timeout(600)

EXTRACTOR_VERSION = "test-numbers"
WINDOW_DAYS = 60  # event_window_days in dbt_project.yml


def dbt_executable() -> str:
    dbt = Path(sys.executable).with_name("dbt")
    return str(dbt) if dbt.exists() else "dbt"


class WorkDatabase:
    """A pipeline work database holding only the raw facts a test gives it, and dbt run on it."""

    def __init__(self, folder: Path):
        # The pipeline's file name (the DuckDB catalog is named after it); dbt's target folder
        # beside it keeps the partial parse between the builds of one database.
        self.path = folder / "work" / "warehouse.duckdb"
        self.target = folder / "target"
        self.logs = folder / "logs"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(self.path)) as conn:
            ensure_raw_schema(conn)
        self._reports = 0
        self._mentions: dict[str, int] = {}  # facts per article URL

    def report(
        self,
        company: str,
        on: str,
        low: int | None,
        high: int | None = None,
        division: str | None = None,
        outlet: str = "example",
        published: str | None = None,
        effective: tuple[str, str] | None = None,
    ) -> str:
        """One article reporting one cut; returns the article's URL. `published` defaults to the
        day of the cut; `effective` is (effective_on, effective_precision)."""
        self._reports += 1
        high = low if high is None else high
        url = f"https://{outlet}.test/{company.lower()}/{on}/{self._reports}"
        announced = date.fromisoformat(on)
        now = datetime.now(UTC).replace(tzinfo=None)
        unit = f"{division} at {company}" if division else company
        sentence = f"{unit} will cut {low if low == high else f'{low} to {high}'} jobs."
        html = f"<html><head><title>{sentence}</title></head><body><p>{sentence}</p></body></html>"
        published_on = date.fromisoformat(published) if published else announced
        with duckdb.connect(str(self.path)) as conn:
            insert_new_rows(conn, PAGES, [{
                "url": url, "final_url": url, "source_name": "test", "source_kind": "urls",
                "content_sha256": hashlib.sha256(html.encode()).hexdigest(), "content_type": "text/html",
                "charset": "utf-8", "bytes": len(html), "truncated": False, "html_gzip": gzip.compress(html.encode()),
                "fetched_at": now,
            }])
            insert_new_rows(conn, ARTICLES, [{
                "url": url, "page_url": url, "title": sentence, "site_name": outlet, "published_on": published_on,
                "language": "en", "text": sentence, "text_sha256": hashlib.sha256(url.encode()).hexdigest(),
                "cleaned_at": now,
            }])
        self.fact(url, company, on, low, high, division, effective=effective)
        with duckdb.connect(str(self.path)) as conn:
            insert_new_rows(conn, EXTRACTION_LOG, [
                {"article_url": url, "extractor_version": EXTRACTOR_VERSION, "facts": 1, "extracted_at": now}
            ])
        return url

    @staticmethod
    def mention_id(url: str, index: int) -> str:
        return hashlib.sha1(f"{url}|{EXTRACTOR_VERSION}|{index}".encode()).hexdigest()[:20]

    def fact(
        self,
        url: str,
        company: str,
        on: str,
        low: int | None,
        high: int | None = None,
        division: str | None = None,
        part_of: int | None = None,
        effective: tuple[str, str] | None = None,
    ) -> int:
        """One more fact of the article at `url` (its `part_of`-th fact is the whole this one is a
        part of, as the extractor links them); returns the fact's index in the article."""
        index = self._mentions.get(url, 0)
        self._mentions[url] = index + 1
        high = low if high is None else high
        unit = f"{division} at {company}" if division else company
        sentence = f"{unit} will cut {low if low == high else f'{low} to {high}'} jobs."
        with duckdb.connect(str(self.path)) as conn:
            insert_new_rows(conn, CUT_MENTIONS, [{
                "mention_id": self.mention_id(url, index),
                "article_url": url, "extractor_version": EXTRACTOR_VERSION, "mention_index": index,
                "company": company, "division": division, "division_path": division,
                "headcount_low": low, "headcount_high": high, "headcount_text": str(low),
                "announced_on": date.fromisoformat(on), "announced_precision": "day",
                "effective_on": date.fromisoformat(effective[0]) if effective else None,
                "effective_precision": effective[1] if effective else None,
                "part_of_mention_id": self.mention_id(url, part_of) if part_of is not None else None,
                "evidence": sentence, "evidence_start": 0, "evidence_end": len(sentence), "confidence": 0.9,
                "status": "announced", "reason": "cost-cutting", "extracted_at": datetime.now(UTC).replace(tzinfo=None),
            }])
        return index

    def reextract(self, version: str) -> None:
        """A new extractor version reads every article again and finds the same facts, under new mention ids."""
        with duckdb.connect(str(self.path)) as conn:
            conn.execute(
                """insert into raw.cut_mentions by name
                   select m.* replace (substr(sha1(m.article_url || '|' || ? || '|' || m.mention_index), 1, 20) as mention_id,
                                       ? as extractor_version,
                                       substr(sha1(m.article_url || '|' || ? || '|' || whole.mention_index), 1, 20)
                                           as part_of_mention_id)
                   from raw.cut_mentions as m
                   left join raw.cut_mentions as whole on whole.mention_id = m.part_of_mention_id
                   where m.extractor_version = ?""",
                [version, version, version, EXTRACTOR_VERSION],
            )
            conn.execute(
                """insert into raw.extraction_log by name
                   select * replace (? as extractor_version, now()::timestamp as extracted_at)
                   from raw.extraction_log where extractor_version = ?""",
                [version, EXTRACTOR_VERSION],
            )

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, settings.WORK_DB_ENV: str(self.path)}
        return subprocess.run(
            [dbt_executable(), *args, "--target", "pipeline", "--target-path", str(self.target), "--log-path", str(self.logs)],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600,
        )

    def build(self) -> dict[str, str]:
        """The scheduled run's `dbt build` (unit tests are for hand-run builds); returns each node's status."""
        completed = self.dbt("build", "--exclude-resource-type", "unit_test")
        assert completed.returncode == 0, completed.stdout[-4000:]
        results = json.loads((self.target / "run_results.json").read_text(encoding="utf-8"))["results"]
        return {result["unique_id"]: result["status"] for result in results}

    def rows(self, sql: str, *params) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as conn:
            return conn.execute(sql, list(params)).fetchall()

    def cuts(self, company: str) -> list[tuple]:
        return self.rows(
            """select division, announced_on::varchar, last_reported_on::varchar, quarter, fiscal_quarter,
                      headcount_low, headcount_high, source_count
               from marts.fct_cuts where company = ? order by announced_on, division nulls first""",
            company,
        )

    def cut_id(self, company: str, announced_on: str, division: str | None = None) -> str:
        (found,) = self.rows(
            "select cut_id from marts.fct_cuts where company = ? and division is not distinct from ? and announced_on = ?",
            company, division, announced_on,
        )
        return found[0]


@dataclass
class Built:
    db: WorkDatabase
    statuses: dict[str, str]  # dbt node -> status of the first build
    first_ids: dict[str, str]  # the ids the first build gave, by event


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """One work database with every scenario's first facts, built once (a build takes 10-20 s)."""
    db = WorkDatabase(tmp_path_factory.mktemp("marts_numbers"))

    # Steady coverage: company-wide coverage of one 18,000 cut for eight weeks, then a 9,000 cut.
    for day in ("2023-01-04", "2023-01-20", "2023-02-08", "2023-02-27"):
        db.report("Amazon", day, 18000)
    march = db.report("Amazon", "2023-03-20", 9000)
    # The article of the 9,000 also says "about 400 Twitch jobs go as part of the round": Twitch's
    # cut, and a part of the 9,000 (the extractor links the part to the whole, fact 0).
    db.fact(march, "Amazon", "2023-03-20", 400, division="Twitch", part_of=0)
    # "Hundreds" at Twitch every 20 days: each report is near the previous one, but the window
    # counts from the first report (Jan 10 + 60 days = Mar 10), so Mar 30 opens a new event.
    for day in ("2024-01-10", "2024-01-30", "2024-02-19", "2024-03-10", "2024-03-30"):
        db.report("Amazon", day, 200, 999, division="Twitch")

    # Fiscal calendars: one cut each (dates as reported, or illustrative where marked). How each
    # company names its fiscal year, checked against its published calendar:
    db.report("Cisco", "2024-02-14", 4000)      # FY ends late July, named by the end year: FY2024 = Aug 2023-Jul 2024; Feb-Apr is Q3
    db.report("Target", "2025-10-23", 1800)     # FY ends ~Jan 31, named by the START year: fiscal 2025 = Feb 2025-Jan 2026; Aug-Oct is Q3
    db.report("Target", "2025-01-21", 500)      # illustrative: January 2025 closes Target's fiscal 2024 (Q4)
    db.report("Walmart", "2025-01-21", 1000)    # illustrative: FY ends Jan 31, named by the end year: January 2025 closes FY2025 (Q4)
    db.report("Walmart", "2024-05-14", 1500)    # illustrative figure: FY2025 = Feb 2024-Jan 2025; May-Jul is Q2
    db.report("Nike", "2024-02-15", 1600)       # FY ends May 31, named by the end year: FY2024 = Jun 2023-May 2024; Dec-Feb is Q3
    db.report("Oracle", "2025-08-13", 3000)     # illustrative figure: FY ends May 31, end year: FY2026 = Jun 2025-May 2026; Jun-Aug is Q1
    db.report("Microsoft", "2025-07-02", 9000)  # FY ends June 30, named by the end year: FY2026 = Jul 2025-Jun 2026; Jul-Sep is Q1
    db.report("Apple", "2024-04-04", 600)       # FY ends late September, end year: FY2024 = Oct 2023-Sep 2024; Apr-Jun is Q3

    # Parts of a whole. Intel's 15,000 with 2,000 at Intel Foundry "as part of" it, in one article;
    # a second outlet reports the Foundry cut alone the next day: one Foundry event (two sources),
    # a part of Intel's. Dell: ISG's 1,000 reported alone on June 25 (2024-Q2), then on July 5 as
    # part of Dell's 12,500 (2024-Q3): the ISG event starts in Q2, its whole in Q3, and the 1,000
    # is counted once, in the 12,500, so Dell's 2024-Q2 has a cut event and no headcount.
    intel = db.report("Intel", "2024-08-01", 15000)
    db.fact(intel, "Intel", "2024-08-01", 2000, division="Intel Foundry", part_of=0)
    db.report("Intel", "2024-08-02", 2000, division="Intel Foundry", outlet="second")
    db.report("Dell", "2024-06-25", 1000, division="ISG", outlet="early")
    dell = db.report("Dell", "2024-07-05", 12500)
    db.fact(dell, "Dell", "2024-07-05", 1000, division="ISG", part_of=0)

    # Future dates: "Salesforce will cut about 1,000 jobs in 2025", published 2024-12-20, is
    # announced that day (2024-Q4) and effective in 2025 (the extractor's reading; the text-to-row
    # test is in test_extract_dates.py and test_marts_from_pages.py).
    db.report("Salesforce", "2024-12-20", 1000, effective=("2025-01-01", "year"))

    # Cut ids, first build: Meta's cut reported on Jan 20 and Feb 8; Google's two figures 11 days
    # apart, 1,000 and then 500, are two cuts.
    db.report("Meta", "2025-01-20", 3600)
    db.report("Meta", "2025-02-08", 3600)
    db.report("Google", "2024-03-01", 1000)
    db.report("Google", "2024-03-12", 500)

    statuses = db.build()
    first_ids = {
        "meta": db.cut_id("Meta", "2025-01-20"),
        "google_first": db.cut_id("Google", "2024-03-01"),
        "google_second": db.cut_id("Google", "2024-03-12"),
    }
    return Built(db, statuses, first_ids)


FISCAL_COMPANIES = ("Apple", "Cisco", "Microsoft", "Nike", "Oracle", "Target", "Walmart")


def test_steady_coverage_is_one_cut_and_a_different_figure_is_another(built):
    db = built.db
    # The old rule chained all five company-wide reports into one event of 9,000-18,000, and all
    # five Twitch reports into one event spanning 80 days.
    assert db.cuts("Amazon") == [
        # division, announced_on, last report, quarter, fiscal quarter, low, high, sources
        (None, "2023-01-04", "2023-02-27", "2023-Q1", "FY2023-Q1", 18000, 18000, 4),
        (None, "2023-03-20", "2023-03-20", "2023-Q1", "FY2023-Q1", 9000, 9000, 1),
        ("Twitch", "2023-03-20", "2023-03-20", "2023-Q1", "FY2023-Q1", 400, 400, 1),
        ("Twitch", "2024-01-10", "2024-03-10", "2024-Q1", "FY2024-Q1", 200, 999, 4),
        ("Twitch", "2024-03-30", "2024-03-30", "2024-Q1", "FY2024-Q1", 200, 999, 1),
    ]
    # 18,000 + 9,000: Twitch's 400 is inside the 9,000, so not 27,400.
    assert db.rows(
        "select quarter, cut_events, part_events, divisions_cut, has_company_wide_cut, headcount_low, headcount_high, "
        "source_reports from marts.fct_cuts_by_company_quarter where company = 'Amazon' order by quarter"
    ) == [("2023-Q1", 3, 1, 1, True, 27000, 27000, 6), ("2024-Q1", 2, 0, 1, False, 400, 1998, 5)]
    assert db.rows(
        "select division, quarter, cut_events, headcount_low, headcount_high, source_count, part_events "
        "from marts.fct_cuts_by_division_quarter where company = 'Amazon' order by quarter, division nulls first"
    ) == [(None, "2023-Q1", 2, 27000, 27000, 5, 0), ("Twitch", "2023-Q1", 1, 400, 400, 1, 1),
          ("Twitch", "2024-Q1", 2, 400, 1998, 5, 0)]

    # No event spans more than the window, and the dbt tests that say so (and that the totals add
    # up to the events) ran and passed.
    spans = db.rows("select max(announced_on) - min(announced_on) from intermediate.int_cut_events group by cut_id")
    assert max(span for (span,) in spans) <= WINDOW_DAYS
    for test in ("assert_event_span_within_window", "assert_company_quarter_totals_match_events",
                 "assert_division_quarter_totals_match_events", "assert_parts_point_at_another_cut_of_the_company",
                 "assert_effective_period_not_before_announcement", "assert_announced_not_after_publication"):
        assert built.statuses[f"test.layoffs.{test}"] == "pass"


def test_a_part_counts_in_its_whole_not_beside_it(built):
    db = built.db
    whole = db.cut_id("Amazon", "2023-03-20")
    twitch = db.cut_id("Amazon", "2023-03-20", "Twitch")
    assert db.rows("select part_of_cut_id from marts.fct_cuts where cut_id = ?", twitch) == [(whole,)]
    assert db.rows("select part_of_cut_id from marts.fct_cuts where cut_id = ?", whole) == [(None,)]

    # Intel: the Foundry event (the part, and a second outlet's report of it alone) is one event,
    # a part of the 15,000; the company's quarter is 15,000, the Foundry row keeps its 2,000.
    intel = db.cut_id("Intel", "2024-08-01")
    assert db.rows(
        "select division, quarter, headcount_low, headcount_high, source_count, part_of_cut_id = ? "
        "from marts.fct_cuts where company = 'Intel' order by division nulls first", intel
    ) == [(None, "2024-Q3", 15000, 15000, 1, None), ("Intel Foundry", "2024-Q3", 2000, 2000, 2, True)]
    assert db.rows(
        "select quarter, cut_events, part_events, headcount_low, headcount_high "
        "from marts.fct_cuts_by_company_quarter where company = 'Intel'"
    ) == [("2024-Q3", 2, 1, 15000, 15000)]
    assert db.rows(
        "select division, cut_events, part_events, headcount_low from marts.fct_cuts_by_division_quarter "
        "where company = 'Intel' order by division nulls first"
    ) == [(None, 1, 0, 15000), ("Intel Foundry", 1, 1, 2000)]

    # Dell: the part's event starts a quarter before its whole; the 1,000 counts in the whole's
    # 12,500 and not again in 2024-Q2.
    assert db.rows(
        "select division, announced_on::varchar, quarter, fiscal_quarter, headcount_low, part_of_cut_id = ? "
        "from marts.fct_cuts where company = 'Dell' order by announced_on", db.cut_id("Dell", "2024-07-05")
    ) == [("ISG", "2024-06-25", "2024-Q2", "FY2025-Q2", 1000, True), (None, "2024-07-05", "2024-Q3", "FY2025-Q2", 12500, None)]
    assert db.rows(
        "select quarter, cut_events, part_events, headcount_low, headcount_high "
        "from marts.fct_cuts_by_company_quarter where company = 'Dell' order by quarter"
    ) == [("2024-Q2", 1, 1, None, None), ("2024-Q3", 1, 0, 12500, 12500)]


def test_announcement_and_effective_dates_keep_their_precision(built):
    assert built.db.rows(
        "select announced_on::varchar, announced_precision, quarter, fiscal_quarter, effective_on::varchar, "
        "effective_precision, headcount_low from marts.fct_cuts where company = 'Salesforce'"
    ) == [("2024-12-20", "day", "2024-Q4", "FY2025-Q4", "2025-01-01", "year", 1000)]
    assert built.db.rows(
        "select announced_precision, effective_on::varchar, effective_precision from marts.fct_cut_sources "
        "where cut_id = ?", built.db.cut_id("Salesforce", "2024-12-20")
    ) == [("day", "2025-01-01", "year")]


def test_fiscal_quarters_follow_each_company_s_own_fiscal_year(built):
    db = built.db
    assert db.rows(
        "select company, announced_on::varchar, quarter, fiscal_quarter, headcount_low from marts.fct_cuts "
        "where company in (select unnest(?)) order by company, announced_on",
        list(FISCAL_COMPANIES),
    ) == [
        ("Apple", "2024-04-04", "2024-Q2", "FY2024-Q3", 600),
        ("Cisco", "2024-02-14", "2024-Q1", "FY2024-Q3", 4000),
        ("Microsoft", "2025-07-02", "2025-Q3", "FY2026-Q1", 9000),
        ("Nike", "2024-02-15", "2024-Q1", "FY2024-Q3", 1600),
        ("Oracle", "2025-08-13", "2025-Q3", "FY2026-Q1", 3000),
        ("Target", "2025-01-21", "2025-Q1", "FY2024-Q4", 500),
        ("Target", "2025-10-23", "2025-Q4", "FY2025-Q3", 1800),
        ("Walmart", "2024-05-14", "2024-Q2", "FY2025-Q2", 1500),
        ("Walmart", "2025-01-21", "2025-Q1", "FY2025-Q4", 1000),
    ]
    assert db.rows(
        "select company, fiscal_year_end_month, fiscal_year_named_by, fiscal_quarters_align_with_calendar "
        "from marts.dim_companies where company in ('Target', 'Walmart', 'Cisco', 'Microsoft') order by company"
    ) == [("Cisco", 7, "end", False), ("Microsoft", 6, "end", True), ("Target", 1, "start", False), ("Walmart", 1, "end", False)]

    # Calendar quarter -> fiscal quarter only where that is one fiscal quarter: Microsoft and Apple
    # (June and September year ends). Cisco's January-March 2024 is one month of FY2024-Q2 and two
    # of FY2024-Q3, so Cisco, Target, Walmart, Nike and Oracle have no rows; by month, they do.
    assert db.rows(
        "select company, quarter, fiscal_quarter from marts.dim_fiscal_quarters "
        "where quarter in ('2024-Q1', '2024-Q2', '2025-Q3') and company in (select unnest(?)) order by all",
        list(FISCAL_COMPANIES),
    ) == [
        ("Apple", "2024-Q1", "FY2024-Q2"), ("Apple", "2024-Q2", "FY2024-Q3"), ("Apple", "2025-Q3", "FY2025-Q4"),
        ("Microsoft", "2024-Q1", "FY2024-Q3"), ("Microsoft", "2024-Q2", "FY2024-Q4"), ("Microsoft", "2025-Q3", "FY2026-Q1"),
    ]
    assert db.rows(
        "select month_start::varchar, fiscal_quarter from marts.dim_fiscal_calendar "
        "where company = 'Cisco' and month_start between '2024-01-01' and '2024-03-01' order by month_start"
    ) == [("2024-01-01", "FY2024-Q2"), ("2024-02-01", "FY2024-Q3"), ("2024-03-01", "FY2024-Q3")]


def test_the_dbt_checks_catch_a_total_that_does_not_add_up_and_an_event_too_long(built, tmp_path):
    # On a copy, so the other tests keep the real numbers.
    db = WorkDatabase(tmp_path)
    shutil.copyfile(built.db.path, db.path)
    with duckdb.connect(str(db.path)) as conn:
        # The old double count: Amazon's 9,000 + 400 for Twitch as a part of it.
        conn.execute("update marts.fct_cuts_by_company_quarter set headcount_low = headcount_low + 400 "
                     "where company = 'Amazon' and quarter = '2023-Q1'")
        # An effective period that starts before the announcement's (2024-12-20, by year: 2024-01-01).
        conn.execute("update marts.fct_cuts set effective_on = date '2023-01-01' where company = 'Salesforce'")
        # An event stretched beyond the window.
        conn.execute("update intermediate.int_cut_events set announced_on = announced_on + 90 "
                     "where company = 'Amazon' and announced_on = date '2023-02-27'")
    completed = db.dbt("test", "--select", "assert_company_quarter_totals_match_events", "assert_event_span_within_window",
                       "assert_effective_period_not_before_announcement")
    assert completed.returncode != 0
    assert "FAIL 1 assert_company_quarter_totals_match_events" in completed.stdout
    assert "FAIL 1 assert_event_span_within_window" in completed.stdout
    assert "FAIL 1 assert_effective_period_not_before_announcement" in completed.stdout

    # Intel's whole made a part of its own part: a loop, which would drop both figures from totals.
    with duckdb.connect(str(db.path)) as conn:
        conn.execute("update marts.fct_cuts set part_of_cut_id = (select cut_id from marts.fct_cuts where company = 'Intel' "
                     "and division is not null) where company = 'Intel' and division is null")
    completed = db.dbt("test", "--select", "assert_parts_point_at_another_cut_of_the_company")
    assert "FAIL 2 assert_parts_point_at_another_cut_of_the_company" in completed.stdout  # the loop, from each end


def test_cut_ids_stay_put_when_an_earlier_report_arrives_and_a_merged_id_is_mapped(built):
    db, ids = built.db, built.first_ids
    assert len(set(ids.values())) == 3
    assert db.rows("select * from marts.dim_cut_id_aliases") == []

    # Second build: an earlier Meta report (Jan 4) is found, and a second outlet gave Google's 500
    # on Mar 1 already, so Google's two events are one announcement (500-1,000).
    earlier = db.report("Meta", "2025-01-04", 3600, outlet="earlier")
    db.report("Google", "2024-03-01", 500, outlet="second")
    db.build()
    assert db.cuts("Meta") == [(None, "2025-01-04", "2025-02-08", "2025-Q1", "FY2025-Q1", 3600, 3600, 3)]
    assert db.cut_id("Meta", "2025-01-04") == ids["meta"]  # the date moved, the id did not
    assert db.rows(
        "select is_first_report from marts.fct_cut_sources where cut_id = ? and article_url = ?", ids["meta"], earlier
    ) == [(True,)]
    assert db.cuts("Google") == [(None, "2024-03-01", "2024-03-12", "2024-Q1", "FY2024-Q1", 500, 1000, 3)]
    assert db.cut_id("Google", "2024-03-01") == ids["google_first"]  # the older id survives the merge
    assert db.rows("select retired_cut_id, cut_id, company, reports_moved from marts.dim_cut_id_aliases") == [
        (ids["google_second"], ids["google_first"], "Google", 1)
    ]
    assert db.rows("select count(*) from marts.fct_cuts where cut_id = ?", ids["google_second"]) == [(0,)]

    # Third build: a new extractor version (a code or seed change) re-reads every article and
    # finds the same facts under new mention ids. Same events, same ids, same mapping.
    before = db.rows("select * from marts.fct_cuts order by cut_id")
    mentions_before = db.rows("select mention_id from staging.stg_cut_mentions order by all")
    db.reextract("test-numbers-2")
    db.build()
    assert db.rows("select mention_id from staging.stg_cut_mentions order by all") != mentions_before
    assert db.rows("select * from marts.fct_cuts order by cut_id") == before
    assert db.rows("select retired_cut_id, cut_id from marts.dim_cut_id_aliases") == [
        (ids["google_second"], ids["google_first"])
    ]
    assert db.rows(
        "select first_seen_build, last_seen_build from intermediate.int_cut_id_history "
        "where cut_id = ? order by announced_on", ids["meta"]
    ) == [(2, 3), (1, 3), (1, 3)]
