"""Reading the published warehouse for people: the cuts-by-division-and-quarter table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from tabulate import tabulate

REPORT_COLUMNS = ("company", "division", "quarter", "cut_events", "headcount_low", "headcount_high", "source_count")


class WarehouseMissing(RuntimeError):
    pass


def division_quarter_rows(warehouse: Path, company: str | None = None, since: str | None = None) -> list[dict]:
    """Rows of marts.fct_cuts_by_division_quarter; `since` is a first quarter such as 2024-Q1."""
    if not Path(warehouse).exists():
        raise WarehouseMissing(f"no warehouse at {warehouse}: run `layoffs run` (or `make run`) first")
    # read_only: never take the write lock, so a report can run beside a scheduled run.
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        query = f"select {', '.join(REPORT_COLUMNS)} from marts.fct_cuts_by_division_quarter"
        params: list = []
        where = []
        if company:
            where.append("lower(company) = lower(?)")
            params.append(company)
        if since:
            where.append("quarter >= ?")
            params.append(since)
        if where:
            query += " where " + " and ".join(where)
        query += " order by quarter, company, division nulls first"
        cursor = conn.execute(query, params)
        return [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def render(rows: list[dict], fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    shown = [{**row, "division": row["division"] or "(company-wide)"} for row in rows]
    return tabulate(shown, headers="keys", tablefmt="simple", missingval="-")
