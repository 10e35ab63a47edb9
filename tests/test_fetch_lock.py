"""The discover and fetch steps do not hold the work database while they wait on the network.

A crawl of slow sites used to keep the work database's write lock (and DuckDB's file lock) for
its whole network phase, so another run, `make docs` or `layoffs reprocess` failed with lock
errors meanwhile. Now pages are fetched outside the lock and committed in short transactions.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import duckdb
import yaml

from conftest import SAMPLE_DIR
from fetch_server import FetchTestServer, Reply, http_server  # noqa: F401 - fixture
from pipelines import settings
from pipelines.runner import run_pipeline

OTHER_WRITER = """
import sys, time, duckdb
from pathlib import Path
from pipelines.locking import write_access
started = time.monotonic()
with write_access(Path(sys.argv[1]), timeout_s=float(sys.argv[2])):
    with duckdb.connect(sys.argv[1]) as conn:
        conn.execute("create table if not exists main.other_writer (written_at double)")
        conn.execute("insert into main.other_writer values (?)", [time.time()])
print(round(time.monotonic() - started, 2))
"""


def start_run_on(tmp_path, monkeypatch, http_server, sources: list[dict], first_path: str) -> tuple[threading.Thread, dict]:
    """Start `layoffs run` over `sources` in a thread; return once it has asked for `first_path`
    and is waiting on the answer."""
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump({
        "sources": sources,
        "fetch": {"allow_private_networks": True, "per_host_delay_s": 0.0, "timeout_s": 20, "retries": 0},
    }))
    monkeypatch.setenv(settings.SOURCES_ENV, str(path))
    outcome: dict = {}
    run = threading.Thread(target=lambda: outcome.update(result=run_pipeline()), daemon=True)
    run.start()
    deadline = time.monotonic() + 120
    while http_server.hits(first_path) == 0:
        assert time.monotonic() < deadline and run.is_alive(), f"the run never asked for {first_path}"
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the answer's delay
    return run, outcome


def test_another_writer_gets_the_work_database_while_a_slow_site_is_fetched(
    tmp_path, warehouse_env, monkeypatch, http_server: FetchTestServer  # noqa: F811
):
    pages = sorted(SAMPLE_DIR.glob("*.html"))[:3]
    for page in pages:
        # Each page takes 4 s to start answering: 12 s of network for the step.
        http_server.add(f"/{page.name}", Reply(body=page.read_bytes(), delay_s=4.0))
    run, outcome = start_run_on(
        tmp_path, monkeypatch, http_server,
        [{"name": "slow", "kind": "urls", "urls": [http_server.url(f"/{page.name}") for page in pages]}],
        first_path=f"/{pages[0].name}",
    )
    work_db = settings.work_db_path()

    # Another process takes the write lock and writes, while the step waits on the site.
    other = subprocess.run([sys.executable, "-c", OTHER_WRITER, str(work_db), "3"],
                           capture_output=True, text=True, timeout=60)
    still_fetching = http_server.hits(f"/{pages[-1].name}") == 0
    assert other.returncode == 0, f"the fetch step held the work database: {other.stderr[-800:]}"
    assert float(other.stdout) < 3 and still_fetching

    run.join(timeout=300)
    assert outcome["result"].success, outcome["result"].message
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.pages").fetchone()[0] == 3
        assert conn.execute("select count(*) from main.other_writer").fetchone()[0] == 1


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk</title><link>http://127.0.0.1/</link>
<item><title>Initech to cut 300 jobs</title><link>{link}</link></item>
</channel></rss>"""


def test_another_writer_gets_the_work_database_while_a_slow_feed_is_read(
    tmp_path, warehouse_env, monkeypatch, http_server: FetchTestServer  # noqa: F811
):
    page = sorted(SAMPLE_DIR.glob("*.html"))[0]
    http_server.add(f"/{page.name}", Reply(body=page.read_bytes()))
    # The feed takes 6 s to answer: discovery's network phase.
    http_server.add("/feed.xml", Reply(body=FEED.format(link=http_server.url(f"/{page.name}")).encode(),
                                      content_type="application/rss+xml", delay_s=6.0))
    run, outcome = start_run_on(
        tmp_path, monkeypatch, http_server,
        [{"name": "desk", "kind": "feed", "url": http_server.url("/feed.xml")}],
        first_path="/feed.xml",
    )
    work_db = settings.work_db_path()

    other = subprocess.run([sys.executable, "-c", OTHER_WRITER, str(work_db), "3"],
                           capture_output=True, text=True, timeout=60)
    assert other.returncode == 0, f"the discover step held the work database: {other.stderr[-800:]}"
    assert float(other.stdout) < 3 and http_server.hits(f"/{page.name}") == 0

    run.join(timeout=300)
    assert outcome["result"].success, outcome["result"].message
    with duckdb.connect(str(work_db), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.discovered_urls where source_name = 'desk'").fetchone()[0] == 1
        assert conn.execute("select count(*) from raw.pages").fetchone()[0] == 1
        assert conn.execute("select count(*) from main.other_writer").fetchone()[0] == 1
