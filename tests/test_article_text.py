"""`layoffs article URL`: the text of an article, read from the pipeline's store, since the
published warehouse leaves page bodies out."""

import os
import subprocess
import sys
from datetime import date, datetime

import duckdb

from conftest import REPO_ROOT
from pipelines.warehouse import ensure_raw_schema, insert_new_rows
from pipelines.warehouse.raw_tables import ARTICLES

STORES_SENTENCE = "Amazon Web Services is cutting several hundred roles in its Physical Stores Technology team."


def stored_article(url: str, page_url: str, title: str, text: str) -> dict:
    return {
        "url": url, "page_url": page_url, "title": title, "site_name": "Example Wire",
        "published_on": date(2024, 4, 3), "language": "en", "text": text, "text_sha256": url,
        "cleaned_at": datetime(2024, 4, 4, 12, 0),
    }


def make_store(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    work = tmp_path / ".work" / "warehouse.duckdb"
    work.parent.mkdir()
    with duckdb.connect(str(work)) as conn:
        ensure_raw_schema(conn)
        insert_new_rows(conn, ARTICLES, [
            stored_article("https://news.example/aws-stores", "https://news.example/aws-stores?utm=feed",
                           "AWS trims its stores technology team", STORES_SENTENCE),
            stored_article("https://news.example/other", "https://news.example/other", "Other", "Nothing about cuts."),
        ])
    return warehouse, work


def layoffs_article(warehouse, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAYOFFS_DB": str(warehouse)}
    env.pop("LAYOFFS_WORK_DB", None)
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "article", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_prints_the_title_and_text_of_the_article_at_an_address_or_its_page_address(tmp_path):
    warehouse, _ = make_store(tmp_path)
    by_article = layoffs_article(warehouse, "https://news.example/aws-stores")
    assert by_article.returncode == 0, by_article.stderr
    assert by_article.stdout == f"AWS trims its stores technology team\n\n{STORES_SENTENCE}\n"
    by_page = layoffs_article(warehouse, "https://news.example/aws-stores?utm=feed")
    assert by_page.stdout == by_article.stdout


def test_an_unknown_address_or_a_missing_store_fails_in_plain_words(tmp_path):
    warehouse, _ = make_store(tmp_path)
    unknown = layoffs_article(warehouse, "https://news.example/never-fetched")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert "no stored article at https://news.example/never-fetched" in unknown.stderr
    missing = layoffs_article(tmp_path / "elsewhere" / "warehouse.duckdb", "https://news.example/aws-stores")
    assert missing.returncode == 1 and "no pipeline store at" in missing.stderr and "layoffs run" in missing.stderr


def test_waits_for_a_writing_run_then_says_a_run_holds_the_store(tmp_path):
    warehouse, work = make_store(tmp_path)
    writer = duckdb.connect(str(work))  # as a run's step holds it: no other process may open it
    try:
        busy = layoffs_article(warehouse, "--wait", "0.5", "https://news.example/aws-stores")
    finally:
        writer.close()
    assert busy.returncode == 1 and "a run is writing the pipeline's store" in busy.stderr and "Traceback" not in busy.stderr
    after = layoffs_article(warehouse, "https://news.example/aws-stores")
    assert after.returncode == 0 and STORES_SENTENCE in after.stdout
