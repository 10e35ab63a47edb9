"""The whole job, as the schedule runs it: sample pages served over real HTTP on 127.0.0.1,
fetched through a `urls` source, cleaned, extracted, modelled by dbt, published, then queried."""

import json

import duckdb
import pytest
import yaml

from conftest import SAMPLE_DIR
from pipelines.runner import run_pipeline


@pytest.fixture
def http_sources(tmp_path, serve_folder, warehouse_env, monkeypatch):
    base = serve_folder(SAMPLE_DIR)
    pages = sorted(SAMPLE_DIR.glob("*.html"))
    document = {
        "sources": [{"name": "local-http", "kind": "urls", "urls": [f"{base}/{page.name}" for page in pages]}],
        # The test server is on loopback, which the fetcher refuses unless told otherwise.
        "fetch": {"allow_private_networks": True, "per_host_delay_s": 0.0, "timeout_s": 10, "retries": 1},
    }
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump(document), encoding="utf-8")
    monkeypatch.setenv("LAYOFFS_SOURCES", str(sources))
    return len(pages)


def event(conn, company: str, division: str | None, quarter: str) -> dict:
    rows = conn.execute(
        """select headcount_low, headcount_high, source_count, announced_on, evidence
           from marts.fct_cuts
           where company = ? and division is not distinct from ? and quarter = ?""",
        [company, division, quarter],
    ).fetchall()
    assert len(rows) == 1, f"expected one {company} / {division} / {quarter} event, found {len(rows)}"
    low, high, sources, announced_on, evidence = rows[0]
    return {"range": (low, high), "sources": sources, "announced_on": str(announced_on), "evidence": evidence}


def test_job_over_http_builds_marts_with_named_events(http_sources, warehouse_env, capsys):
    outcome = run_pipeline()
    assert outcome.success, outcome.message

    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        fetched = conn.execute("select count(*) from raw.pages where url like 'http://127.0.0.1:%'").fetchone()[0]
        assert fetched == http_sources
        # A page's canonical link names the article only on the domain it was fetched from: these
        # pages claim news sites' addresses but were served from 127.0.0.1, so they keep that address.
        assert conn.execute("select count(*) from staging.stg_articles where url like 'http://127.0.0.1:%'").fetchone()[0] == http_sources

        # AWS's April 2024 cuts: two units, reported by two outlets, vague figures kept as ranges.
        stores = event(conn, "Amazon", "Physical Stores Technology", "2024-Q2")
        assert stores["sources"] == 2
        assert stores["range"] == (200, 999)
        sales = event(conn, "Amazon", "Sales, Marketing and Global Services", "2024-Q2")
        assert sales["sources"] == 2 and sales["range"] == (200, 999)

        # Meta's Reality Labs cut in January 2026: an exact 10% of ~15,000 beats "between 1,000 and 1,500".
        reality_labs = event(conn, "Meta", "Reality Labs", "2026-Q1")
        assert reality_labs["sources"] == 2
        assert reality_labs["range"] == (1500, 1500)

        # Twitch is a division of Amazon, even where the story names Twitch alone.
        twitch = event(conn, "Amazon", "Twitch", "2024-Q1")
        assert twitch["range"] == (500, 500) and twitch["sources"] == 2

        # Background figures ("27,000 roles since late 2022") never become a cut of their own.
        assert conn.execute("select count(*) from marts.fct_cuts where headcount_high = 27000").fetchone()[0] == 0

        # Non-events: the Fed's rate cut and the Boeing strike give nothing.
        assert conn.execute("select count(*) from marts.fct_cuts where company in ('Federal Reserve', 'Fed')").fetchone()[0] == 0

        by_division = conn.execute(
            "select count(*), count(distinct company), count(distinct quarter), count(division) from marts.fct_cuts_by_division_quarter"
        ).fetchone()
        rows, companies, quarters, with_division = by_division
        assert rows >= 20 and companies >= 8 and quarters >= 6
        assert with_division * 2 >= rows
        assert conn.execute("select count(*) from marts.fct_cuts where source_count > 1").fetchone()[0] >= 2
        before = conn.execute("select count(*) from raw.fetch_log").fetchone()[0]
        cuts_before = conn.execute("select * from marts.fct_cuts order by cut_id").fetchall()

    # The analyst's report, in each format, and filtered to one company.
    from pipelines.cli import main

    assert main(["report", "--db", str(warehouse_env), "--format", "csv"]) == 0
    csv_lines = capsys.readouterr().out.splitlines()
    assert csv_lines[0] == "company,division,quarter,cut_events,headcount_low,headcount_high,source_count"
    assert "Amazon,Physical Stores Technology,2024-Q2,1,200,999,2" in csv_lines
    assert main(["report", "--db", str(warehouse_env), "--format", "json", "--company", "meta"]) == 0
    meta_rows = json.loads(capsys.readouterr().out)
    assert {row["company"] for row in meta_rows} == {"Meta"}
    assert {"company": "Meta", "division": "Reality Labs", "quarter": "2026-Q1", "cut_events": 1,
            "headcount_low": 1500, "headcount_high": 1500, "source_count": 2} in meta_rows

    # The article behind a fact: its text is a page body, in the pipeline's store, not the warehouse.
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        stores_article = conn.execute(
            """select s.article_url from marts.fct_cut_sources s join marts.fct_cuts c using (cut_id)
               where c.company = 'Amazon' and c.division = 'Physical Stores Technology' order by 1 limit 1"""
        ).fetchone()[0]
        assert "text" not in {c for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_name = 'stg_articles'").fetchall()}
    assert main(["article", "--db", str(warehouse_env), stores_article]) == 0
    assert "Physical Stores Technology" in capsys.readouterr().out

    # A second run finds nothing new to fetch and ends with the same tables.
    again = run_pipeline()
    assert again.success, again.message
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.fetch_log").fetchone()[0] == before
        assert conn.execute("select * from marts.fct_cuts order by cut_id").fetchall() == cuts_before
