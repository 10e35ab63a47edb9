"""Two discovery days run at once, each on Dagster's multiprocess executor (every step its own
process): their steps take turns on the work database instead of failing on DuckDB's lock."""

import threading

import dagster as dg
import duckdb
import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.timeout(600)


def test_two_partitions_at_once_through_the_multiprocess_executor(tmp_path, warehouse_env, monkeypatch):
    monkeypatch.setenv("LAYOFFS_SOURCES", str(REPO_ROOT / "data" / "sources.yml"))
    from pipelines import settings

    settings.point_at()
    job = dg.build_reconstructable_job("pipelines.definitions", "layoffs_job_definition")
    results: dict[str, dg.ExecuteJobResult] = {}
    errors: list[BaseException] = []

    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:

        def run(day: str) -> None:
            try:
                with dg.execute_job(
                    job,
                    instance=instance,
                    tags={"dagster/partition": day},
                    run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}},
                ) as result:
                    results[day] = result.success
                    results[day + "/failures"] = [
                        event.event_specific_data.error.message
                        for event in result.all_events
                        if event.event_type_value == "STEP_FAILURE"
                    ]
            except BaseException as error:  # surfaced below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=run, args=(day,)) for day in ("2024-04-04", "2024-04-05")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=540)

    assert not errors, errors
    assert results["2024-04-04"] and results["2024-04-05"], results
    failures = results["2024-04-04/failures"] + results["2024-04-05/failures"]
    assert not any("lock" in message.lower() for message in failures)

    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        # Every sample page was discovered once, under one of the two days, and loaded once.
        days = dict(conn.execute("select discovered_on::varchar, count(*) from raw.discovered_urls group by 1").fetchall())
        assert set(days) <= {"2024-04-04", "2024-04-05"} and sum(days.values()) == 50
        assert conn.execute("select count(*), count(distinct url) from raw.articles").fetchone() == (50, 50)
        assert conn.execute(
            "select headcount_low, headcount_high, source_count from marts.fct_cuts "
            "where company = 'Amazon' and division = 'Physical Stores Technology' and quarter = '2024-Q2'"
        ).fetchall() == [(200, 999, 2)]
