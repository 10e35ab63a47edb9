"""Real processes sharing one warehouse: an analyst's open session, two runs at once, and runs
killed with SIGKILL at different points and then run again."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT, SAMPLE_DIR

pytestmark = pytest.mark.timeout(900)

# Content columns only: timestamps and attempt ids differ between runs by nature.
COMPARED_QUERIES = {
    "articles": "select url, page_url, title, site_name, published_on, text_sha256 from raw.articles order by url",
    "pages": "select url, content_sha256, bytes from raw.pages order by url",
    "mentions": """select mention_id, article_url, company, division, headcount_low, headcount_high, announced_on, evidence
                   from raw.cut_mentions order by mention_id""",
    "fct_cuts": "select * from marts.fct_cuts order by cut_id",
    "by_division_quarter": "select * from marts.fct_cuts_by_division_quarter order by all",
    # The text itself stays in the pipeline's store; its hash is published.
    "stg_articles": "select url, title, site_name, published_on, text_sha256 from staging.stg_articles order by url",
}


def layoffs(warehouse: Path, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "LAYOFFS_DB": str(warehouse), "LAYOFFS_SOURCES": str(REPO_ROOT / "data" / "sources.yml")}
    env.pop("LAYOFFS_WORK_DB", None)
    command = [sys.executable, "-m", "pipelines.cli", "run", "--quiet", *args]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


def snapshot(warehouse: Path) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {name: conn.execute(query).fetchall() for name, query in COMPARED_QUERIES.items()}


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> dict[str, list]:
    warehouse = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
    code, output = finish(layoffs(warehouse))
    assert code == 0, output
    return snapshot(warehouse)


def test_runs_killed_at_any_point_then_rerun_end_like_a_clean_run(tmp_path, clean_run):
    warehouse = tmp_path / "warehouse.duckdb"
    # Kill points spread over imports, fetch, clean, extract, dbt build and publish.
    for delay in (3.0, 5.0, 7.0, 9.5, 12.0, 15.0):
        process = layoffs(warehouse)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    code, output = finish(layoffs(warehouse))
    assert code == 0, output
    assert snapshot(warehouse) == clean_run
    # Nothing a killed run left behind is mistaken for data: no half-copied warehouse lies about.
    assert not list(tmp_path.glob(".*.publishing")) or snapshot(warehouse) == clean_run


def test_second_run_started_at_once_exits_with_a_clear_message_or_waits(tmp_path, clean_run):
    warehouse = tmp_path / "warehouse.duckdb"
    first = layoffs(warehouse)
    time.sleep(1.5)
    second = layoffs(warehouse)
    code_second, output_second = finish(second)
    code_first, output_first = finish(first)
    assert code_first == 0, output_first
    assert code_second == 1
    assert "another run" in output_second and "--wait" in output_second

    # With --wait the second run queues behind the first instead.
    first = layoffs(warehouse)
    time.sleep(1.5)
    waiting = layoffs(warehouse, "--wait", "300")
    assert finish(first)[0] == 0
    code, output = finish(waiting)
    assert code == 0, output
    assert snapshot(warehouse) == clean_run


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    conn = duckdb.connect(sys.argv[1], read_only=True)
    print("ready", flush=True)
    deadline = time.time() + float(sys.argv[2])
    while time.time() < deadline:
        rows = conn.execute("select count(*) from marts.fct_cuts").fetchone()[0]
        print(rows, flush=True)
        time.sleep(0.2)
    """
)


def test_a_run_succeeds_while_an_analyst_holds_a_read_only_session(tmp_path, clean_run):
    warehouse = tmp_path / "warehouse.duckdb"
    (tmp_path / "more").mkdir()
    # A first run with only part of the sample, so the second run has something to publish.
    some_pages = sorted(SAMPLE_DIR.glob("*.html"))[:20]
    for page in some_pages:
        (tmp_path / "more" / page.name).write_bytes(page.read_bytes())
    code, output = finish(layoffs(warehouse, "--html-dir", str(tmp_path / "more")))
    assert code == 0, output

    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), "40"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    code, output = finish(layoffs(warehouse))  # the whole sample: new facts, a new warehouse
    assert code == 0, output
    reader_out, reader_err = reader.communicate(timeout=120)
    assert reader.returncode == 0, reader_err
    counts = [int(line) for line in reader_out.split()]
    assert len(counts) > 20
    # The open session kept reading its own snapshot, whole, for the entire run.
    assert len(set(counts)) == 1
    assert snapshot(warehouse)["fct_cuts"] == clean_run["fct_cuts"]
