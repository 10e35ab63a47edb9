"""The monitoring half of the `layoffs` command: `layoffs status`, and what `layoffs run` says
(and sends) about health and failures after a run."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines import settings
from pipelines.monitoring.status import EXIT_CANNOT_CHECK

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"


def add_status_parser(commands) -> None:
    status = commands.add_parser(
        "status",
        help="the last runs, each source's health and the warnings (exit 1 with warnings, 2 when it cannot check)",
        description=(
            "The last runs (from the Dagster instance when there is one, else from the work database), "
            "each source's health over the last days, dbt source freshness of the raw tables, and the "
            "warnings: a dead or empty source, no new article for health.stale_after_days, a failure rate "
            "over health.max_failure_rate, a run that listed nothing, a stale table, a failed last run. "
            "Exit status: 0 healthy, 1 warnings, 2 cannot check (no database, unusable sources file, "
            "--notify could not deliver)."
        ),
    )
    status.add_argument("--db", type=Path, help=f"warehouse (default {settings.DEFAULT_WAREHOUSE.relative_to(settings.PROJECT_ROOT)}); its work database is read")
    status.add_argument("--sources", type=Path, help="sources file with the sources and thresholds (default: as `layoffs run`)")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.add_argument("--runs", type=int, default=5, metavar="N", help="how many recent runs to list (default 5)")
    status.add_argument("--notify", action="store_true",
                        help="also send the warnings, if any, to the notify: receivers of the sources file")
    status.add_argument("--wait", type=float, default=5.0, metavar="SECONDS",
                        help="how long to wait for a running step to let go of the work database before "
                             "reading the published warehouse instead (default 5)")


def status_command(args: argparse.Namespace) -> int:
    from pipelines.monitoring.notices import health_notice
    from pipelines.monitoring.notify import NotifyError, send
    from pipelines.monitoring.status import NothingToCheck, collect, exit_code, render_json, render_text
    from pipelines.sources import SourceError, load_sources

    settings.point_at(warehouse=args.db, sources=args.sources)
    try:
        config = load_sources(settings.sources_path())
    except SourceError as error:
        return _fail(str(error), EXIT_CANNOT_CHECK)
    try:
        status = collect(
            config,
            work_db=settings.work_db_path(),
            warehouse=settings.warehouse_path(),
            manifest_path=MANIFEST,
            runs_limit=max(args.runs, 1),
            wait_s=max(args.wait, 0.0),
        )
    except NothingToCheck as error:
        return _fail(str(error), EXIT_CANNOT_CHECK)
    print(render_json(status) if args.format == "json" else render_text(status))
    code = exit_code(status)
    if args.notify:
        if not config.notify.configured:
            return _fail(f"--notify: {settings.sources_path()} has no notify: block (webhook or email)", EXIT_CANNOT_CHECK)
        if status.warnings and config.notify.wants("health_warnings"):
            try:
                delivered = send(health_notice(status.warnings), config.notify)
            except NotifyError as error:
                return _fail(f"--notify: {error}", EXIT_CANNOT_CHECK)
            print(f"layoffs: {len(status.warnings)} warning(s) sent by {', '.join(delivered)}", file=sys.stderr)
    return code


def after_run(outcome, *, job: str = "layoffs_job", day: str | None = None) -> None:
    """After `layoffs run`: print the health warnings, and send them (or the failure) to the notify:
    receivers when no Dagster instance records the run. A run recorded in the deployment's instance
    is the sensors' to report (notify_run_failure, notify_health_warnings): sending here too would
    send it twice. Never raises: the run's own outcome decides the exit status."""
    try:
        _after_run(outcome, job, day)
    except Exception as error:  # noqa: BLE001 - monitoring must not turn a good run into a failed command
        print(f"layoffs: could not check health after the run: {type(error).__name__}: {error}", file=sys.stderr)


def _after_run(outcome, job: str, day: str | None) -> None:
    from pipelines.monitoring.notices import health_notice_due, run_failure_notice
    from pipelines.monitoring.runs import dagster_home
    from pipelines.monitoring.status import NothingToCheck, collect
    from pipelines.sources import SourceError, load_sources

    if outcome.run_id is None:
        return  # never started (another run holds the work database): nothing to report
    try:
        config = load_sources(settings.sources_path())
    except SourceError:
        return  # the run already failed saying so
    recorded = dagster_home() is not None
    if not outcome.success:
        if config.notify.wants("run_failure") and not recorded:
            _deliver(run_failure_notice(job=job, run_id=outcome.run_id, day=day, detail=outcome.message), config.notify)
        return
    try:
        status = collect(
            config,
            work_db=settings.work_db_path(),
            warehouse=settings.warehouse_path(),
            manifest_path=MANIFEST,
            runs_limit=1,
            wait_s=5.0,
        )
    except NothingToCheck:
        return
    # A failed earlier run is history once this one has succeeded.
    warnings = [warning for warning in status.warnings if warning.code != "last_run_failed"]
    for warning in warnings:
        print(f"layoffs: warning: {warning.message}", file=sys.stderr)
    if config.notify.wants("health_warnings") and not recorded:
        # As the health sensor does: new warnings, the same ones once a day, and their clearing.
        state_file = Path(str(settings.work_db_path()) + ".health-notice.json")
        notice, state = health_notice_due(_read_state(state_file), warnings, status.checked_at)
        if notice is not None and _deliver(notice, config.notify):
            _write_state(state_file, state)


def _deliver(notice, notify) -> bool:
    from pipelines.monitoring.notify import NotifyError, send

    try:
        delivered = send(notice, notify)
    except NotifyError as error:
        print(f"layoffs: could not send {notice.subject!r}: {error}", file=sys.stderr)
        return False
    print(f"layoffs: {notice.subject} sent by {', '.join(delivered)}", file=sys.stderr)
    return True


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(path)


def _fail(message: str, code: int) -> int:
    print(f"layoffs: {message}", file=sys.stderr)
    return code
