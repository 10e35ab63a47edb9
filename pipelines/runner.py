"""Running the scheduled job in this process, for the CLI and the tests."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass

import dagster as dg

from pipelines.dbt_project import ensure_manifest


@dataclass(frozen=True)
class RunOutcome:
    success: bool
    message: str
    run_id: str | None = None


def run_pipeline(verbose: bool = False) -> RunOutcome:
    """Materialize every asset through the same job the schedule runs."""
    ensure_manifest()
    from pipelines.definitions import build_definitions  # after the manifest exists: dagster-dbt reads it

    job = build_definitions().resolve_job_def("layoffs_job")
    log_level = "INFO" if verbose else "WARNING"
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    # dagster-dbt echoes every dbt log line to stdout; keep it for --verbose, where it helps.
    dbt_echo = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
    with instance, dbt_echo:
        result = job.execute_in_process(
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            raise_on_error=False,
        )
    if result.success:
        return RunOutcome(True, f"run {result.run_id} succeeded", result.run_id)
    failed = [event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
    errors = [
        event.event_specific_data.error.message.strip()
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE" and event.event_specific_data and event.event_specific_data.error
    ]
    detail = "; ".join(errors)[:2000]
    return RunOutcome(False, f"run {result.run_id} failed in {', '.join(failed) or 'setup'}: {detail}", result.run_id)
