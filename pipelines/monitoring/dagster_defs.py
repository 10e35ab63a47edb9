"""What Dagster runs to report health: asset checks on the raw assets (health warnings at warn
severity, dbt source freshness), a run-failure sensor and a health sensor that notify."""

import json
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings
from pipelines.assets.ingest import ARTICLES, DISCOVERED_URLS, FETCH_LOG
from pipelines.dbt_project import layoffs_dbt_project
from pipelines.locking import RunInProgress, write_access
from pipelines.monitoring.freshness import FreshnessRule, TableFreshness, rules_from_manifest, span
from pipelines.monitoring.health import HealthReport, assess, utc_now
from pipelines.monitoring.notices import health_notice_due, run_failure_notice
from pipelines.monitoring.notify import send
from pipelines.monitoring.runs import failure_detail
from pipelines.resources import PipelineLayout, WorkDatabase
from pipelines.sources import SourceError, load_sources

# Check name -> (asset, warning codes it reports, description).
HEALTH_CHECKS: dict[str, tuple[dg.AssetKey, tuple[str, ...], str]] = {
    "sources_listed_entries": (
        DISCOVERED_URLS,
        ("listing_failed", "listing_problems", "empty_listing"),
        "Every source's last listing read it and listed something: warns on a dead or empty feed, sitemap or folder.",
    ),
    "run_found_urls": (
        DISCOVERED_URLS,
        ("run_found_nothing",),
        "The run's sources together listed at least one entry.",
    ),
    "fetch_failure_rate": (
        FETCH_LOG,
        ("failure_rate",),
        "No source's share of failed fetches over health.window_days is above health.max_failure_rate (sources.yml).",
    ),
    "sources_not_stale": (
        ARTICLES,
        ("stale_source",),
        "Every feed and sitemap gave a new article within health.stale_after_days (sources.yml).",
    ),
}
FRESHNESS_CHECK = "dbt_source_freshness"

# Read from the parsed dbt project, like the dbt assets: _sources.yml is the one place they are set.
FRESHNESS_RULES: list[FreshnessRule] = rules_from_manifest(layoffs_dbt_project.manifest_path)


def _freshness_spec(rule: FreshnessRule) -> dg.AssetCheckSpec:
    limits = ", ".join(
        f"{label} after {span(limit)}" for label, limit in (("warn", rule.warn_after), ("error", rule.error_after)) if limit
    )
    return dg.AssetCheckSpec(
        FRESHNESS_CHECK,
        asset=dg.AssetKey(rule.asset_path),
        blocking=False,
        description=f"dbt source freshness of {rule.qualified_name}: its newest {rule.loaded_at_field} ({limits}).",
    )


CHECK_SPECS = [
    *(dg.AssetCheckSpec(name, asset=key, blocking=False, description=text) for name, (key, _, text) in HEALTH_CHECKS.items()),
    *(_freshness_spec(rule) for rule in FRESHNESS_RULES),
]


@dg.multi_asset_check(
    specs=CHECK_SPECS,
    can_subset=True,
    name="source_health_checks",
    description="Health warnings on the raw assets (warn severity) and dbt source freshness of the raw tables.",
)
def source_health_checks(context: dg.AssetCheckExecutionContext, layout: PipelineLayout, work_db: WorkDatabase):
    try:
        config = load_sources(Path(layout.sources_path))
    except SourceError as error:
        raise dg.Failure(description=str(error)) from error
    with work_db.get_connection() as conn:
        report = assess(conn, config, freshness_rules=FRESHNESS_RULES, run_id=context.run.run_id)
    tables = {tuple(table.rule.asset_path): table for table in report.freshness}
    for key in context.selected_asset_check_keys:
        if key.name == FRESHNESS_CHECK:
            yield _freshness_result(key, tables.get(tuple(key.asset_key.path)), report.freshness_judged)
        else:
            yield _health_result(key, report)


def _health_result(key: dg.AssetCheckKey, report: HealthReport) -> dg.AssetCheckResult:
    _, codes, _ = HEALTH_CHECKS[key.name]
    found = report.with_code(*codes)
    metadata: dict = {"warnings": len(found)}
    if key.name == "run_found_urls" and report.run is not None:
        metadata.update(listed=report.run.listed, new_urls=report.run.new_urls, sources=report.run.sources)
    elif key.name == "fetch_failure_rate":
        metadata["failure_rates"] = {
            source.name: round(source.failure_rate, 4) for source in report.sources if source.failure_rate is not None
        }
    elif key.name == "sources_not_stale":
        metadata["newest_article"] = {
            source.name: (f"{source.last_article_at:%Y-%m-%d %H:%M}" if source.last_article_at else None)
            for source in report.sources
        }
    elif key.name == "sources_listed_entries":
        metadata["last_listed"] = {source.name: source.last_listed for source in report.sources}
    if found:
        metadata["details"] = dg.MetadataValue.md("\n".join(f"- {warning.message}" for warning in found))
    return dg.AssetCheckResult(
        asset_key=key.asset_key,
        check_name=key.name,
        passed=not found,
        severity=dg.AssetCheckSeverity.WARN,
        description="; ".join(warning.message for warning in found)[:1000] or None,
        metadata=metadata,
    )


def _freshness_result(key: dg.AssetCheckKey, table: TableFreshness | None, judged: bool) -> dg.AssetCheckResult:
    if table is None:  # a rule without a table: cannot happen once the manifest and the specs agree
        return dg.AssetCheckResult(asset_key=key.asset_key, check_name=key.name, passed=True, description="no rule")
    if not judged and not table.passed:
        return dg.AssetCheckResult(
            asset_key=key.asset_key,
            check_name=key.name,
            passed=True,
            description=f"{table.describe()}; not judged: no source is expected to keep delivering "
            "(no feed or sitemap, no health.sources.<name>.stale_after_days)",
            metadata={"status": f"{table.status}, not judged"},
        )
    metadata = {
        "loaded_at_field": table.rule.loaded_at_field,
        "newest": f"{table.newest:%Y-%m-%d %H:%M:%S}" if table.newest else "none",
        "age_hours": round(table.age.total_seconds() / 3600, 2) if table.age is not None else -1,
        "warn_after_hours": _hours(table.rule.warn_after),
        "error_after_hours": _hours(table.rule.error_after),
        "status": table.status,
    }
    return dg.AssetCheckResult(
        asset_key=key.asset_key,
        check_name=key.name,
        passed=table.passed,
        # As dbt reports it: past error_after is an error, past warn_after a warning.
        severity=dg.AssetCheckSeverity.ERROR if table.status == "error" else dg.AssetCheckSeverity.WARN,
        description=table.describe(),
        metadata=metadata,
    )


def _hours(delta: timedelta | None) -> float:
    return round(delta.total_seconds() / 3600, 2) if delta is not None else -1


# --- sensors -------------------------------------------------------------------------------------

HEALTH_SENSOR_INTERVAL_S = 60 * 60


def build_monitoring_sensors(jobs) -> list[dg.SensorDefinition]:
    """Both start running: they only read, and do nothing until sources.yml has a `notify:` block."""

    @dg.run_failure_sensor(
        name="notify_run_failure",
        monitored_jobs=jobs,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Sends every failed run of the pipeline's jobs to the notify: receivers in sources.yml.",
    )
    def notify_run_failure(context: dg.RunFailureSensorContext):
        try:
            config = load_sources(settings.sources_path())
        except SourceError as error:
            return dg.SkipReason(f"cannot notify, the sources file is unusable: {error}")
        if not config.notify.wants("run_failure"):
            return dg.SkipReason("no notify: receiver for run failures in sources.yml")
        run = context.dagster_run
        detail = failure_detail(context.instance, run.run_id, limit=2500, one_line=False)
        if context.failure_event.message and detail.startswith("no step failed"):
            detail = context.failure_event.message
        notice = run_failure_notice(
            job=run.job_name,
            run_id=run.run_id,
            day=run.tags.get("dagster/partition"),
            detail=detail,
            ui_url=config.notify.ui_url,
            will_retry=run.tags.get("dagster/will_retry") == "true",
        )
        # A receiver that cannot be reached fails the tick; Dagster evaluates the run again on the next.
        delivered = send(notice, config.notify)
        context.log.info(f"run {run.run_id} failure sent by {', '.join(delivered)}")
        return None

    @dg.sensor(
        name="notify_health_warnings",
        minimum_interval_seconds=HEALTH_SENSOR_INTERVAL_S,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Hourly: reads each source's health from the work database and sends new health warnings "
            "(and their clearing) to the notify: receivers in sources.yml; the same warnings again once a day."
        ),
    )
    def notify_health_warnings(context: dg.SensorEvaluationContext):
        try:
            config = load_sources(settings.sources_path())
        except SourceError as error:
            return dg.SkipReason(f"the sources file is unusable: {error}")
        if not config.notify.wants("health_warnings"):
            return dg.SkipReason("no notify: receiver for health warnings in sources.yml")
        work_db = settings.work_db_path()
        if not work_db.exists():
            return dg.SkipReason(f"no work database at {work_db} yet")
        now = utc_now()
        try:
            with write_access(work_db, timeout_s=5), duckdb.connect(str(work_db), read_only=True) as conn:
                report = assess(conn, config, now=now, freshness_rules=FRESHNESS_RULES)
        except (RunInProgress, duckdb.IOException) as error:
            return dg.SkipReason(f"the work database is busy, trying again next tick: {error}")
        return _notify_on_change(context, config, report, now)

    return [notify_run_failure, notify_health_warnings]


def _notify_on_change(context: dg.SensorEvaluationContext, config, report: HealthReport, now) -> dg.SkipReason:
    previous = json.loads(context.cursor) if context.cursor else {}
    notice, state = health_notice_due(previous, report.warnings, now)
    if notice is None:
        return dg.SkipReason(f"{len(report.warnings)} health warning(s), none new")
    send(notice, config.notify)  # raises when no receiver took it: the cursor stays, the next tick tries again
    context.update_cursor(json.dumps(state))
    return dg.SkipReason(f"sent: {notice.subject}")
