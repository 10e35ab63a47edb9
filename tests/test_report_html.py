"""`layoffs report --format html`: the report of the bundled sample, opened in headless Chromium.

The pipeline runs once on the sample into a temporary warehouse; the report is written from it by
the CLI and loaded from disk (file://) with networking off, so anything it fetched from elsewhere
would be missing. The DOM must hold the four charts (inline SVG), the named events of the sample
and a link to every source; a screenshot is left in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT
from docs_site import build_sample_warehouse
from pipelines.cli import main
from test_docs_browser import RenderedText, find_chromium, install_chromium, run_chromium

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory, dbt_manifest) -> Path:
    return build_sample_warehouse(tmp_path_factory.mktemp("report_html"))


@pytest.fixture(scope="module")
def chromium() -> str:
    return find_chromium() or install_chromium()


def write_report(warehouse: Path, out: Path, capsys, *options: str) -> str:
    assert main(["report", "--db", str(warehouse), "--format", "html", "--out", str(out), *options]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == str(out.resolve()), "the command prints the report's path"
    return out.read_text(encoding="utf-8")


def offline(chromium: str, profile: Path, *arguments: str):
    # No network at all: a report that needed a CDN would render without its charts.
    return run_chromium(chromium, profile, "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", *arguments)


def test_the_report_is_one_file_that_needs_nothing_else(sample_warehouse, tmp_path, capsys):
    page = write_report(sample_warehouse, tmp_path / "report.html", capsys)
    # No script, stylesheet, image or font from anywhere: links to the sources are the only addresses.
    assert "<script" not in page and "<link" not in page and "@import" not in page and " src=" not in page
    assert set(re.findall(r"url\(([^)]*)\)", page)) <= {f"#{ref}" for ref in re.findall(r'id="([^"]+)"', page)}
    assert all(href.startswith(("http://", "https://")) for href in re.findall(r'<a href="([^"]+)"', page))
    assert page.count("<svg") == 4


@pytest.mark.timeout(900)  # an apt install of chromium on a fresh machine included
def test_report_of_the_sample_renders_charts_events_and_sources(sample_warehouse, chromium, tmp_path, capsys):
    out = tmp_path / "report.html"
    write_report(sample_warehouse, out, capsys)
    completed = offline(chromium, tmp_path / "profile-dom", "--dump-dom", out.as_uri())
    dom = completed.stdout
    assert "</html>" in dom, completed.stderr[-2000:]
    page = RenderedText(dom)

    # The four charts, drawn: heatmap by company, heatmap by division of one company, timeline, top divisions.
    charts = re.findall(r'<svg[^>]*data-chart="(\d)"', dom)
    assert charts == ["0", "1", "2", "3"]
    marks = re.findall(r'aria-label="([^"]+)"[^>]*role="graphics-symbol"', dom)
    assert "Amazon, 2024-Q2: 2 cut events, 400–1,998 jobs" in marks  # the company-by-quarter cell
    assert "Amazon · Physical Stores Technology, 2024-Q2: 1 cut event, 200–999 jobs" in marks  # by division
    assert any(mark.startswith("Meta · Reality Labs, announced 2026-01-13 (2026-Q1): 1,500 jobs") for mark in marks)
    assert "Microsoft · Xbox: 2 cut events" in marks  # top divisions
    # The header: what the numbers mean, and when the warehouse was built.
    assert "Headcounts are ranges." in page.text and "One row is one cut, however many outlets reported it." in page.text
    assert re.search(r"built \d{4}-\d\d-\d\d \d\d:\d\d UTC", page.text)

    # The events table: named events of the sample, with a link to every source.
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        events = conn.execute("select count(*) from marts.fct_cuts").fetchone()[0]
        sources = conn.execute(
            "select s.article_url from marts.fct_cut_sources s join marts.fct_cuts c using (cut_id) "
            "where c.company = 'Meta' and c.division = 'Reality Labs' and c.quarter = '2026-Q1'"
        ).fetchall()
        every_source = {url for (url,) in conn.execute("select article_url from marts.fct_cut_sources").fetchall()}
    rows = re.findall(r"<tr data-cut-id=.*?</tr>", dom, re.S)
    assert len(rows) == events
    reality_labs = [row for row in rows if ">Meta<" in row and ">Reality Labs<" in row and "2026-Q1" in row]
    assert len(reality_labs) == 1 and ">1,500<" in reality_labs[0]
    assert len(sources) == 2 and all(f'href="{url}"' in reality_labs[0] for (url,) in sources)
    assert "cutting about 10% of the roughly 15,000 people" in reality_labs[0]  # a source's own sentence
    stores = [row for row in rows if ">Amazon<" in row and ">Physical Stores Technology<" in row]
    assert len(stores) == 1 and "2024-Q2" in stores[0] and "200–999" in stores[0]
    linked = set(re.findall(r'<a href="([^"]+)"', dom))
    assert every_source <= linked, f"sources without a link: {sorted(every_source - linked)[:5]}"

    # A screenshot for a person to look at.
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    for attempt in range(3):
        completed = offline(chromium, tmp_path / f"profile-shot-{attempt}", f"--screenshot={screenshot}",
                            "--window-size=1280,2400", "--hide-scrollbars", out.as_uri())
        if screenshot.exists() and screenshot.stat().st_size > 50_000:
            break
    png = screenshot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), completed.stderr[-2000:]
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 2400)
    assert len(png) > 50_000, f"screenshot is only {len(png)} bytes: a blank page?"
    shutil.copyfile(out, ARTIFACTS / "report.html")


def test_filters_pick_one_company_from_a_quarter_on(sample_warehouse, tmp_path, capsys):
    page = write_report(sample_warehouse, tmp_path / "amazon.html", capsys, "--company", "amazon", "--since", "2024-q2")
    assert "<h1>Job cuts: Amazon</h1>" in page  # as the warehouse spells it
    rows = re.findall(r"<tr data-cut-id=.*?</tr>", page, re.S)
    assert rows and all("<td>Amazon</td>" in row for row in rows)
    quarters = set(re.findall(r'<td class="when">(\d{4}-Q\d)', page))
    assert quarters and min(quarters) >= "2024-Q2" and "2024-Q1" not in quarters
    assert "Amazon: cuts by division and quarter" in page

    assert main(["report", "--db", str(sample_warehouse), "--format", "html", "--since", "2024-05"]) == 1
    assert "expected a quarter such as 2024-Q1" in capsys.readouterr().err
    # --since filters the table too.
    assert main(["report", "--db", str(sample_warehouse), "--format", "csv", "--since", "2026-Q1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {row["quarter"] for row in rows} == {"2026-Q1"}


@pytest.mark.timeout(900)
def test_a_warehouse_without_cuts_gives_a_report_that_says_so(sample_warehouse, chromium, tmp_path, capsys):
    empty = tmp_path / "empty.duckdb"
    shutil.copyfile(sample_warehouse, empty)
    with duckdb.connect(str(empty)) as conn:
        for table in ("fct_cut_sources", "fct_cuts", "fct_cuts_by_company_quarter", "fct_cuts_by_division_quarter"):
            conn.execute(f"delete from marts.{table}")
    out = tmp_path / "empty.html"
    page = write_report(empty, out, capsys)
    assert "<svg" not in page
    dom = offline(chromium, tmp_path / "profile", "--dump-dom", out.as_uri()).stdout
    text = RenderedText(dom).text
    assert "No cuts in this warehouse" in text and "Headcounts are ranges." in text

    # A filter that matches nothing says what was asked and how much there is in all.
    page = write_report(sample_warehouse, tmp_path / "nobody.html", capsys, "--company", "Nobody Inc")
    assert "No cuts for company Nobody Inc: the warehouse holds" in page


def test_no_warehouse_is_an_error_not_a_report(tmp_path, capsys):
    assert main(["report", "--db", str(tmp_path / "missing.duckdb"), "--format", "html", "--out", str(tmp_path / "r.html")]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
