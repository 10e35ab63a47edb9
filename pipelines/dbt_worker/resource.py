"""The Dagster resource the dbt assets build with: a dbt worker started when the run starts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from pydantic import PrivateAttr

from pipelines.dbt_worker.handle import DbtWorker
from pipelines.progress import count_dbt_event
from pipelines.progress import current as current_progress


class DbtBuildResource(dg.ConfigurableResource):
    """Runs dbt for the `@dbt_assets` of this project.

    A run that builds every dbt asset (the scheduled job) gets a worker that started with the run,
    so dbt's import and parse overlap the Python steps. Anything else (a subset picked in the UI,
    a step in its own process under the multiprocess executor, whose worker starts with that
    step) still works: a subset goes through dagster-dbt's own `DbtCliResource`, and a step
    without a worker starts one on the spot.
    """

    project_dir: str
    profiles_dir: str
    target: str
    target_path: str  # relative to project_dir; fixed, so dbt can reuse its partial parse

    _worker: DbtWorker | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._worker = self._start_worker()
        _WAITING[id(self)] = self

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        _WAITING.pop(id(self), None)
        self._let_go_of_worker()

    def _let_go_of_worker(self) -> bool:
        worker, self._worker = self._worker, None
        if worker is None:
            return False
        worker.close()
        return True

    def _start_worker(self) -> DbtWorker:
        return DbtWorker.start(Path(self.project_dir), Path(self.profiles_dir), self.target, Path(self.target_path))

    def cli_resource(self) -> DbtCliResource:
        return DbtCliResource(project_dir=self.project_dir, profiles_dir=self.profiles_dir, target=self.target)

    def build(
        self,
        context: dg.AssetExecutionContext,
        args: list[str],
        manifest: Path,
        translator: DagsterDbtTranslator,
    ) -> Iterator[Any]:
        """Run `dbt <args>` for the assets being materialized and yield their Dagster events:
        an Output per model or seed built, an AssetCheckResult per data test. A dbt failure is
        raised after every event before it has been yielded, as dagster-dbt does."""
        if not _builds_the_whole_asset(context):
            yield from self.cli_resource().cli(args, context=context, target_path=Path(self.target_path)).stream()
            return
        _WAITING.pop(id(self), None)
        worker, self._worker = self._worker or self._start_worker(), None
        try:
            progress = current_progress()  # nodes built k/M, tests passed and failed (pipelines/progress.py)
            progress.say("waiting for dbt (parse, then the first node)")
            for raw_event in worker.run(args):
                count_dbt_event(progress, raw_event)
                event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
                # What dbt prints, as dagster-dbt echoes it: compute logs and `layoffs run --verbose`.
                print(str(event), flush=True)
                yield from event.to_default_asset_events(
                    manifest=manifest,
                    dagster_dbt_translator=translator,
                    context=context,
                    target_path=Path(self.project_dir) / self.target_path,
                )
        finally:
            worker.close()
        context.log.info(
            f"dbt worker: asked to build {worker.asked_after_s} s after it started; its dbt parse took"
            f" {worker.parse_s} s and the build waited {worker.waited_for_parse_s} s for it"
        )
        outcome = worker.outcome
        if not outcome.success:
            details = "\n".join(outcome.error_messages) or outcome.error or "no error message from dbt"
            raise dg.Failure(
                description=f"dbt {' '.join(args)} failed:\n{details}",
                metadata={"dbt_log": dg.MetadataValue.path(str(Path(self.project_dir) / self.target_path / "dbt.log"))},
                # A failing test or broken SQL fails the same way again: not worth the step's retries.
                allow_retries=False if _fails_again(outcome.error_messages) else None,
            )


# The resources of this process whose worker started with the run and still waits for its build.
_WAITING: dict[int, DbtBuildResource] = {}


def let_go_of_waiting_dbt_workers() -> int:
    """Stop the dbt workers that started with the run and are still waiting; returns how many.

    A worker that starts with the run hides dbt's import and parse (3-4 s) behind the Python
    steps, which is most of a small run's build. A large run has minutes of cleaning ahead, where
    the ~125 MiB a waiting worker holds would only add to the run's peak memory; its build starts
    a worker on the spot instead.
    """
    released = 0
    for resource in list(_WAITING.values()):
        _WAITING.pop(id(resource), None)
        released += resource._let_go_of_worker()
    return released


# dbt's words for a failure in the project or the data, as opposed to a busy file or a dead process.
_DETERMINISTIC_FAILURE = re.compile(r"Failure in (test|unit_test)|Compilation Error|Parsing Error|Binder Error|Parser Error|Catalog Error")


def _fails_again(error_messages) -> bool:
    return any(_DETERMINISTIC_FAILURE.search(message) for message in error_messages)


def _builds_the_whole_asset(context: dg.AssetExecutionContext) -> bool:
    assets_def = context.assets_def
    return (
        set(context.selected_asset_keys) == set(assets_def.keys)
        and set(context.selected_asset_check_keys) == set(assets_def.check_keys)
    )
