"""dbt source freshness, evaluated the way `dbt source freshness` does, without starting dbt.

The thresholds and the timestamp column of each raw table are declared once, in
dbt_project/models/staging/_sources.yml (`loaded_at_field`, `freshness.warn_after` and
`error_after`); this module reads them from the parsed manifest and compares the newest row of each
table with them. The Dagster job reports the result as `dbt_source_freshness` asset checks on the
raw assets, and `layoffs status` lists it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

_PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True)
class FreshnessRule:
    schema: str
    table: str
    loaded_at_field: str
    warn_after: timedelta | None
    error_after: timedelta | None
    filter: str | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def asset_path(self) -> list[str]:
        return [self.schema, self.table]


@dataclass(frozen=True)
class TableFreshness:
    rule: FreshnessRule
    newest: datetime | None  # the newest loaded_at_field value; None for an empty or missing table
    age: timedelta | None
    status: str  # pass | warn | error

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def describe(self) -> str:
        limits = ", ".join(
            f"{label} after {span(limit)}"
            for label, limit in (("warn", self.rule.warn_after), ("error", self.rule.error_after))
            if limit is not None
        )
        if self.newest is None:
            return f"{self.rule.qualified_name} has no rows yet ({limits})"
        return f"{self.rule.qualified_name}: newest row {span(self.age)} old ({limits})"


def rules_from_manifest(manifest_path: Path) -> list[FreshnessRule]:
    """Every dbt source table with a loaded_at_field and a warn_after or error_after."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    rules = []
    for node in manifest.get("sources", {}).values():
        config = node.get("config") or {}
        freshness = config.get("freshness") or node.get("freshness") or {}
        field = config.get("loaded_at_field") or node.get("loaded_at_field")
        warn, error = _threshold(freshness.get("warn_after")), _threshold(freshness.get("error_after"))
        if not field or (warn is None and error is None):
            continue
        rules.append(
            FreshnessRule(
                schema=node["schema"],
                table=node.get("identifier") or node["name"],
                loaded_at_field=field,
                warn_after=warn,
                error_after=error,
                filter=freshness.get("filter"),
            )
        )
    return sorted(rules, key=lambda rule: rule.qualified_name)


def evaluate(conn: duckdb.DuckDBPyConnection, rules: list[FreshnessRule], now: datetime) -> list[TableFreshness]:
    """`now` is naive UTC, like the timestamps the pipeline writes."""
    present = {
        (schema, table)
        for schema, table in conn.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
        ).fetchall()
    }
    results = []
    for rule in rules:
        newest = None
        if (rule.schema, rule.table) in present:
            where = f" where {rule.filter}" if rule.filter else ""
            newest = conn.execute(
                f'select max("{rule.loaded_at_field}") from {rule.schema}."{rule.table}"{where}'
            ).fetchone()[0]
        age = (now - newest) if newest is not None else None
        if age is None:
            # dbt cannot compute an age either; a table that was never loaded is as stale as it gets.
            status = "error" if rule.error_after is not None else "warn"
        elif rule.error_after is not None and age > rule.error_after:
            status = "error"
        elif rule.warn_after is not None and age > rule.warn_after:
            status = "warn"
        else:
            status = "pass"
        results.append(TableFreshness(rule, newest, age, status))
    return results


def _threshold(value) -> timedelta | None:
    if not isinstance(value, dict) or not value.get("count") or value.get("period") not in _PERIODS:
        return None
    return int(value["count"]) * _PERIODS[value["period"]]


def span(delta: timedelta | None) -> str:
    """A duration as people say it: 45 min, 5.5 hours, 1 day, 2.5 days, 12 days."""
    if delta is None:
        return "-"
    seconds = max(delta.total_seconds(), 0)
    if seconds >= 86400:
        days = seconds / 86400
        if days >= 10 or abs(days - round(days)) < 0.05:
            return f"{round(days)} day{'s' if round(days) != 1 else ''}"
        return f"{days:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{int(seconds // 60)} min"
