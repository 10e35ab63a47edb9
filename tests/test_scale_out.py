"""Two discovery days run at once, each on Dagster's multiprocess executor (every step its own
process), as a daemon would launch them: their steps take turns on the work database instead of
failing on DuckDB's one-writer lock."""

import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.timeout(600)

LAUNCH_RUN = textwrap.dedent(
    """
    import sys
    import dagster as dg

    job = dg.build_reconstructable_job("pipelines.definitions", "layoffs_job_definition")
    with dg.DagsterInstance.get() as instance:
        with dg.execute_job(
            job,
            instance=instance,
            tags={"dagster/partition": sys.argv[1]},
            run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}},
        ) as result:
            failures = [
                event.event_specific_data.error.message
                for event in result.all_events
                if event.event_type_value == "STEP_FAILURE"
            ]
            print("FAILURES:", failures)
            sys.exit(0 if result.success else 1)
    """
)


def test_two_partitions_at_once_through_the_multiprocess_executor(tmp_path, warehouse_env):
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "LAYOFFS_SOURCES": str(REPO_ROOT / "data" / "sources.yml"),
    }
    # A deployment's instance storage exists before its daemon launches runs; creating it from two
    # processes at once races on the schema migration, so set it up first, as `dagster dev` would.
    subprocess.run(
        [sys.executable, "-c", "import dagster as dg; dg.DagsterInstance.get().get_runs(limit=1)"],
        cwd=REPO_ROOT, env=env, check=True, timeout=120,
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", LAUNCH_RUN, day], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for day in ("2024-04-04", "2024-04-05")
    ]
    outputs = [run.communicate(timeout=540)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
        assert "FAILURES: []" in output
        assert "Could not set lock" not in output

    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        # Every sample page was discovered once, under one of the two days, and loaded once.
        days = dict(conn.execute("select discovered_on::varchar, count(*) from raw.discovered_urls group by 1").fetchall())
        assert set(days) <= {"2024-04-04", "2024-04-05"} and sum(days.values()) == 50
        assert conn.execute("select count(*), count(distinct url) from raw.articles").fetchone() == (50, 50)
        assert conn.execute(
            "select headcount_low, headcount_high, source_count from marts.fct_cuts "
            "where company = 'Amazon' and division = 'Physical Stores Technology' and quarter = '2024-Q2'"
        ).fetchall() == [(200, 999, 2)]
