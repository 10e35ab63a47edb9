"""`layoffs report --format html`: one self-contained HTML file of the warehouse's cuts.

Charts are Vega-Lite specifications written with altair and rendered to SVG in this process by
vl-convert (which embeds the Vega JavaScript runtime), so the file holds plain inline SVG: no
script, no stylesheet, font or data from anywhere else, and it opens the same offline, attached to
an e-mail or printed. Hovering a mark shows its values (a `<title>` added to each mark).

What is in it: a header saying what the numbers mean and when the warehouse was built; a heatmap
of cut events by company and quarter (each cell labelled with its headcount midpoint); the same by
division and quarter for one company; a timeline of every event's headcount range coloured by
reason; the top divisions by events and by headcount; and a table of the events with each source's
sentence and link (marts.fct_cut_sources).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.report import WarehouseMissing

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# The Challenger-style reasons (README), in a fixed order so each keeps its colour across reports.
REASONS = (
    "artificial intelligence", "restructuring", "cost-cutting", "closing", "merger", "market conditions",
    "performance-based", "other",
)
REASON_COLOURS = ("#9467bd", "#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#17becf", "#e377c2", "#7f7f7f")
COMPANY_WIDE = "(company-wide)"
CHART_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
# Rows a heatmap or bar chart shows at most; the rest are counted in a note under it.
MAX_ROWS = 30


class ReportError(ValueError):
    """A filter that cannot be applied (a malformed --since)."""


@dataclass
class ReportData:
    warehouse: Path
    built_at: datetime
    company: str | None
    since: str | None
    events: list[dict]
    sources: dict[str, list[dict]]  # cut_id -> its sources, first report first
    company_quarters: list[dict]
    all_events: int  # before the filters


def check_since(since: str | None) -> str | None:
    if since is None:
        return None
    match = QUARTER.match(since.strip().upper())
    if not match:
        raise ReportError(f"--since {since}: expected a quarter such as 2024-Q1")
    return f"{match.group(1)}-Q{match.group(2)}"


def load(warehouse: Path, company: str | None = None, since: str | None = None) -> ReportData:
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise WarehouseMissing(f"no warehouse at {warehouse}: run `layoffs run` (or `make run`) first")
    since = check_since(since)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        columns = {name for (name,) in conn.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'fct_cuts'"
        ).fetchall()}
        optional = [name for name in ("part_of_cut_id", "status", "reason", "location", "headcount_text",
                                      "evidence", "evidence_url", "source_count", "fiscal_quarter") if name in columns]
        wanted = ["cut_id", "company", "division", "quarter", "announced_on", "headcount_low", "headcount_high", *optional]
        where, params = ["true"], []
        if company:
            where.append("lower(company) = lower(?)")
            params.append(company)
        if since:
            where.append("quarter >= ?")
            params.append(since)
        all_events = conn.execute("select count(*) from marts.fct_cuts").fetchone()[0]
        cursor = conn.execute(
            f"select {', '.join(wanted)} from marts.fct_cuts where {' and '.join(where)} "
            "order by announced_on, company, division nulls first, cut_id",
            params,
        )
        events = [dict(zip(wanted, row, strict=True)) for row in cursor.fetchall()]
        sources: dict[str, list[dict]] = defaultdict(list)
        if events:
            rows = conn.execute(
                "select cut_id, article_url, site_name, published_on, headcount_text, evidence "
                "from marts.fct_cut_sources where cut_id in (select unnest(?)) "
                "order by cut_id, published_on nulls last, article_url",
                [[event["cut_id"] for event in events]],
            ).fetchall()
            for cut_id, url, site, published, figure, evidence in rows:
                sources[cut_id].append(
                    {"url": url, "site_name": site, "published_on": published, "headcount_text": figure, "evidence": evidence}
                )
        quarter_columns = ("company", "quarter", "cut_events", "headcount_low", "headcount_high")
        company_quarters = [
            dict(zip(quarter_columns, row, strict=True))
            for row in conn.execute(
                f"select {', '.join(quarter_columns)} from marts.fct_cuts_by_company_quarter "
                f"where {' and '.join(where)} order by quarter, company",
                params,
            ).fetchall()
        ]
    built_at = datetime.fromtimestamp(warehouse.stat().st_mtime, tz=UTC)
    if company and events:
        company = events[0]["company"]  # as the warehouse spells it, not as typed
    return ReportData(warehouse, built_at, company, since, events, dict(sources), company_quarters, all_events)


def write_report(warehouse: Path, out: Path, company: str | None = None, since: str | None = None) -> Path:
    """Write the report to `out` and return its path."""
    data = load(warehouse, company, since)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(data), encoding="utf-8")
    return out


# Charts ------------------------------------------------------------------------------------------


def midpoint(low, high) -> float | None:
    if low is None and high is None:
        return None
    low = high if low is None else low
    high = low if high is None else high
    return (low + high) / 2


def short_number(value: float | None) -> str:
    if value is None:
        return "?"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1_000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:.0f}"


def headcount_range(low, high) -> str:
    if low is None and high is None:
        return "no figure"
    if low == high or high is None:
        return f"{low:,}"
    return f"{low:,}–{high:,}"


def division_name(division: str | None) -> str:
    return division or COMPANY_WIDE


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last`, so a quiet quarter shows as an empty column."""
    year, q = int(first[:4]), int(first[-1])
    out = []
    while f"{year}-Q{q}" <= last:
        out.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def _heatmap(rows: list[dict], row_field: str, row_title: str, quarters: list[str], title: str, prefix: str = ""):
    """Rows x quarters; a cell's colour is its headcount midpoint (log scale, grey when no report gives
    a figure), its label that figure and, when more than one, the number of events ("12k ×2")."""
    import altair as alt

    events_of: dict[str, int] = defaultdict(int)
    for row in rows:
        events_of[row[row_field]] += row["cut_events"]
    order = sorted(events_of, key=lambda name: (-events_of[name], name))
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("quarter:O", title="quarter (announced)", sort=quarters, scale=alt.Scale(domain=quarters),
                axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(f"{row_field}:N", title=row_title, sort=order, axis=alt.Axis(labelLimit=260)),
    )
    for row in rows:
        events = f"{row['cut_events']} cut event{'s' if row['cut_events'] != 1 else ''}"
        jobs = "no figure" if row["headcount"] == "no figure" else f"{row['headcount']} jobs"
        row["summary"] = f"{prefix}{row[row_field]}, {row['quarter']}: {events}, {jobs}"
    summary = alt.Description("summary:N")
    figured = base.transform_filter("isValid(datum.midpoint)").mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("midpoint:Q", title="headcount",
                        scale=alt.Scale(type="log", scheme="orangered"),
                        legend=alt.Legend(format="~s", gradientLength=120)),
        description=summary,
    )
    unfigured = base.transform_filter("!isValid(datum.midpoint)").mark_rect(
        stroke="white", strokeWidth=1, color="#d9d9d9"
    ).encode(description=summary)
    labels = base.mark_text(fontSize=10).encode(
        text="label:N",
        color=alt.condition("datum.midpoint >= 5000", alt.value("white"), alt.value("#222")),
    )
    return (unfigured + figured + labels).properties(
        title=title, width=max(240, 46 * len(quarters)), height=max(60, 22 * len(order))
    )


def _cell_label(middle: float | None, events: int) -> str:
    text = short_number(middle) if middle is not None else "?"
    return f"{text} ×{events}" if events > 1 else text


def _timeline(events: list[dict], by_division: bool):
    import altair as alt

    rows = []
    for event in events:
        if event["headcount_low"] is None and event["headcount_high"] is None:
            continue
        low = event["headcount_low"] if event["headcount_low"] is not None else event["headcount_high"]
        high = event["headcount_high"] if event["headcount_high"] is not None else low
        rows.append({
            "announced_on": event["announced_on"].isoformat(),
            "low": max(low, 1),
            "high": max(high, 1),
            "exact": low == high,
            "who": f"{event['company']} · {division_name(event['division'])}" if not by_division
                   else division_name(event["division"]),
            "reason": event.get("reason") or "other",
            "headcount": headcount_range(event["headcount_low"], event["headcount_high"]),
            "quarter": event["quarter"],
            "summary": f"{event['company']} · {division_name(event['division'])}, announced "
                       f"{event['announced_on']:%Y-%m-%d} ({event['quarter']}): "
                       f"{headcount_range(event['headcount_low'], event['headcount_high'])} jobs, {event.get('reason') or 'other'}",
        })
    if not rows:
        return None
    reasons = [reason for reason in REASONS if any(row["reason"] == reason for row in rows)]
    reasons += sorted({row["reason"] for row in rows} - set(REASONS))
    colour = alt.Color(
        "reason:N", title="reason", legend=alt.Legend(labelLimit=220),
        scale=alt.Scale(domain=reasons, range=[REASON_COLOURS[REASONS.index(r)] if r in REASONS else "#555" for r in reasons]),
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("announced_on:T", title="announced", axis=alt.Axis(format="%Y-%m", labelAngle=-45),
                scale=alt.Scale(padding=14)),
        color=colour,
        description="summary:N",
    )
    scale = alt.Scale(type="log")
    ranges = base.transform_filter(~alt.datum.exact).mark_rule(strokeWidth=6, opacity=0.75, strokeCap="round").encode(
        y=alt.Y("low:Q", title="headcount (log scale)", scale=scale), y2="high:Q",
    )
    points = base.transform_filter(alt.datum.exact).mark_point(filled=True, size=70, opacity=0.9).encode(
        y=alt.Y("low:Q", title="headcount (log scale)", scale=scale),
    )
    return (ranges + points).properties(
        title="Every event's headcount: a bar from low to high for a range, a point for an exact figure",
        width=760, height=320,
    )


def _top_divisions(events: list[dict], company: str | None):
    import altair as alt

    totals: dict[str, dict] = {}
    for event in events:
        if event["division"] is None:
            continue
        name = event["division"] if company else f"{event['company']} · {event['division']}"
        entry = totals.setdefault(name, {"division": name, "events": 0, "headcount": 0.0, "with_figure": 0})
        entry["events"] += 1
        middle = midpoint(event["headcount_low"], event["headcount_high"])
        if middle is not None:
            entry["headcount"] += middle
            entry["with_figure"] += 1
    if not totals:
        return None, 0
    rows = list(totals.values())
    for row in rows:
        row["events_summary"] = f"{row['division']}: {row['events']} cut event{'s' if row['events'] != 1 else ''}"
        row["headcount_summary"] = (f"{row['division']}: about {row['headcount']:,.0f} jobs "
                                    f"(range midpoints of {row['with_figure']} of {row['events']} events)")
    by_events = sorted(rows, key=lambda row: (-row["events"], -row["headcount"], row["division"]))[:15]
    by_headcount = sorted(rows, key=lambda row: (-row["headcount"], -row["events"], row["division"]))[:15]
    most = max(row["events"] for row in by_events)
    ticks = alt.Axis(values=list(range(most + 1)), format="d") if most <= 10 else alt.Axis(format="d")
    # No y title: the chart's title says what the bars are, and the labels say "company · division".
    events_chart = alt.Chart(alt.Data(values=by_events)).mark_bar(color="#d95f0e").encode(
        x=alt.X("events:Q", title="cut events", axis=ticks),
        y=alt.Y("division:N", title=None, sort=[row["division"] for row in by_events], axis=alt.Axis(labelLimit=300)),
        description="events_summary:N",
    ).properties(title="Top divisions by cut events", width=260, height=max(60, 20 * len(by_events)))
    headcount_chart = alt.Chart(alt.Data(values=by_headcount)).mark_bar(color="#3182bd").encode(
        x=alt.X("headcount:Q", title="headcount (sum of range midpoints)"),
        y=alt.Y("division:N", title=None, sort=[row["division"] for row in by_headcount], axis=alt.Axis(labelLimit=300)),
        description="headcount_summary:N",
    ).properties(title="Top divisions by headcount", width=260, height=max(60, 20 * len(by_headcount)))
    return alt.hconcat(events_chart, headcount_chart, spacing=60), len(rows)


def _svg(chart, index: int) -> str:
    """The chart as inline SVG: ids made unique per chart, a hover title on every mark."""
    import vl_convert

    # Text is measured here with the font named first: DejaVu Sans, the sans-serif of Linux browsers and
    # wider than Arial or Helvetica, so labels fit wherever the file is opened.
    spec = (
        chart.configure(font=CHART_FONT)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_legend(labelLimit=0, titleLimit=0)
        .configure_title(fontSize=14, anchor="start")
        .to_dict()
    )
    svg = vl_convert.vegalite_to_svg(spec)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="chart{index}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#chart{index}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#chart{index}-\1"', svg)

    # Marks carry a summary in aria-label (the `description` channel); a <title> shows it on hover.
    svg = re.sub(
        r'<(path|circle|rect|line)(\s[^>]*?aria-label="([^"]*)"[^>]*?role="graphics-symbol"[^>]*?)/>',
        lambda m: f"<{m.group(1)}{m.group(2)}><title>{m.group(3)}</title></{m.group(1)}>",
        svg,
    )
    return svg.replace("<svg ", f'<svg data-chart="{index}" ', 1)


# The page ----------------------------------------------------------------------------------------

STYLE = """
body { font: 14px/1.45 "DejaVu Sans", -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222;
       margin: 0 auto; max-width: 1200px; padding: 24px 28px 60px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 36px 0 8px; border-bottom: 1px solid #ddd; }
.meta { color: #555; margin: 0 0 14px; }
.explain { background: #f6f7f9; border-left: 4px solid #8aa1c1; padding: 10px 16px; margin: 12px 0 8px; }
.explain p { margin: 6px 0; }
.figures { display: flex; gap: 28px; margin: 14px 0; flex-wrap: wrap; }
.figures div { background: #fff7ec; border-radius: 6px; padding: 8px 14px; }
.figures b { display: block; font-size: 22px; }
figure { margin: 12px 0 4px; overflow-x: auto; } svg text { pointer-events: none; } figcaption, .note { color: #666; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; }
td.when { white-space: nowrap; }
ol.sources { margin: 0; padding-left: 18px; } ol.sources li { margin-bottom: 4px; }
blockquote { margin: 2px 0 0; color: #444; font-style: italic; }
.empty { font-size: 18px; background: #fff3f3; border: 1px solid #f1c0c0; padding: 18px; border-radius: 6px; }
.reason { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; }
"""


def render(data: ReportData) -> str:
    scope = []
    if data.company:
        scope.append(f"company {data.company}")
    if data.since:
        scope.append(f"quarters from {data.since}")
    scope_text = "; ".join(scope) or "every company and quarter"
    title = f"Job cuts: {data.company}" if data.company else "Job cuts by company, division and quarter"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">Warehouse <code>{html.escape(_shown_path(data.warehouse))}</code>, built '
        f'<time datetime="{data.built_at.isoformat()}">{data.built_at:%Y-%m-%d %H:%M} UTC</time>. '
        f"Showing {html.escape(scope_text)}. Report written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>",
        _explanation(),
    ]
    if not data.events:
        if scope:
            why = (f"No cuts for {html.escape(scope_text)}: the warehouse holds {data.all_events} cut "
                   f"event{'s' if data.all_events != 1 else ''} in all. Widen the filters.")
        else:
            why = ("No cuts in this warehouse: none of the articles it has read reports a job cut. Add sources "
                   "(<code>data/sources.yml</code>) and run <code>layoffs run</code> again.")
        parts.append(f'<p class="empty" id="no-cuts">{why}</p>')
        parts.append("</body></html>")
        return "\n".join(parts)
    parts.append(_figures(data))
    parts.extend(_charts(data))
    parts.append(_table(data))
    parts.append("</body></html>")
    return "\n".join(parts)


def _shown_path(path: Path) -> str:
    """Relative to the current folder when under it (data/warehouse.duckdb), else absolute."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(Path(path).resolve())


def _explanation() -> str:
    return (
        '<div class="explain">'
        "<p><b>Headcounts are ranges.</b> News rarely gives one exact number, so every figure is a low and a "
        "high: &ldquo;650&rdquo; is 650&ndash;650, &ldquo;more than 1,000&rdquo; 1,000&ndash;1,100, &ldquo;nearly "
        "500&rdquo; 450&ndash;500, &ldquo;hundreds&rdquo; 200&ndash;999; no figure at all is left blank. Charts that "
        "need one number use the midpoint of the range.</p>"
        "<p><b>One row is one cut, however many outlets reported it.</b> Reports of the same company and unit within "
        "60 days are merged into one event; its headcount is the envelope of the exact figures when any report has "
        "one, its date the first report&rsquo;s, and every source is listed in the table at the end with the "
        "sentence it gave. A cut the article gives as part of a larger one (&ldquo;400 Twitch jobs as part of "
        "the 9,000&rdquo;) is its own event, but company totals count the whole only once.</p>"
        "<p>Quarters are calendar quarters of the announcement. Hover a mark to see its values.</p>"
        "</div>"
    )


def _figures(data: ReportData) -> str:
    companies = {event["company"] for event in data.events}
    low = sum(row["headcount_low"] or 0 for row in data.company_quarters)
    high = sum(row["headcount_high"] or 0 for row in data.company_quarters)
    sources = {source["url"] for cut in data.sources.values() for source in cut}
    return (
        '<div class="figures">'
        f"<div><b>{len(data.events)}</b>cut events</div>"
        f"<div><b>{len(companies)}</b>{'company' if len(companies) == 1 else 'companies'}</div>"
        f"<div><b>{low:,}&ndash;{high:,}</b>jobs (company totals, parts counted once)</div>"
        f"<div><b>{len(sources)}</b>source articles</div>"
        "</div>"
    )


def _charts(data: ReportData) -> list[str]:
    import altair as alt

    alt.data_transformers.disable_max_rows()
    quarters = quarters_between(min(e["quarter"] for e in data.events), max(e["quarter"] for e in data.events))
    out = []
    # Company x quarter, from the company totals (a shared figure and a part counted once).
    rows = []
    for row in data.company_quarters:
        middle = midpoint(row["headcount_low"], row["headcount_high"])
        rows.append({**row, "midpoint": middle, "label": _cell_label(middle, row["cut_events"]),
                     "headcount": headcount_range(row["headcount_low"], row["headcount_high"])})
    top = _top_names(rows, "company")
    shown = [row for row in rows if row["company"] in top]
    out.append('<h2 id="by-company">Cuts by company and quarter</h2>')
    out.append(_figure(
        _heatmap(shown, "company", "company", quarters,
                 "Cuts by company and quarter: headcount midpoint (×N: N events; ?: no figure)"),
        0, _left_out_note(rows, top, "company", "companies"),
    ))
    # Division x quarter for one company: the one asked for, else the one with the most events.
    counts: dict[str, int] = defaultdict(int)
    for event in data.events:
        counts[event["company"]] += 1
    focus = data.events[0]["company"] if data.company else sorted(counts, key=lambda name: (-counts[name], name))[0]
    cells: dict[tuple[str, str], dict] = {}
    for event in data.events:
        if event["company"] != focus:
            continue
        key = (division_name(event["division"]), event["quarter"])
        cell = cells.setdefault(key, {"division": key[0], "quarter": key[1], "cut_events": 0, "low": 0, "high": 0, "figures": 0})
        cell["cut_events"] += 1
        if event["headcount_low"] is not None:
            cell["low"] += event["headcount_low"]
            cell["high"] += event["headcount_high"] if event["headcount_high"] is not None else event["headcount_low"]
            cell["figures"] += 1
    division_rows = []
    for cell in cells.values():
        middle = midpoint(cell["low"], cell["high"]) if cell["figures"] else None
        division_rows.append({**cell, "midpoint": middle, "label": _cell_label(middle, cell["cut_events"]),
                              "headcount": headcount_range(cell["low"], cell["high"]) if cell["figures"] else "no figure"})
    focus_quarters = quarters_between(min(r["quarter"] for r in division_rows), max(r["quarter"] for r in division_rows))
    top_divisions = _top_names(division_rows, "division")
    why = "" if data.company else " (the company with the most events; <code>--company NAME</code> picks another)"
    out.append(f'<h2 id="by-division">{html.escape(focus)}: cuts by division and quarter</h2>')
    out.append(f'<p class="note">Divisions of {html.escape(focus)}{why}. A part of a company-wide cut counts here in '
               "its own division, so a column can add up to more than the company total.</p>")
    out.append(_figure(
        _heatmap([row for row in division_rows if row["division"] in top_divisions], "division", "division",
                 focus_quarters, f"{focus}: cuts by division and quarter (headcount midpoint; ×N: N events)",
                 prefix=f"{focus} · "),
        1, _left_out_note(division_rows, top_divisions, "division", "divisions"),
    ))
    out.append('<h2 id="timeline">Timeline of events</h2>')
    timeline = _timeline(data.events, by_division=bool(data.company))
    without = sum(1 for e in data.events if e["headcount_low"] is None and e["headcount_high"] is None)
    note = f"{without} event{'s' if without != 1 else ''} without a figure not drawn." if without else ""
    out.append(_figure(timeline, 2, note) if timeline is not None else '<p class="note">No event has a headcount figure.</p>')
    out.append('<h2 id="top-divisions">Top divisions</h2>')
    chart, divisions = _top_divisions(data.events, data.company)
    if chart is None:
        out.append('<p class="note">Every cut here is company-wide: no division is named.</p>')
    else:
        out.append(_figure(chart, 3, f"{divisions} divisions named; the top 15 shown. Company-wide cuts are left out."))
    return out


def _top_names(rows: list[dict], field: str) -> set[str]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row[field]] += row["cut_events"]
    return set(sorted(totals, key=lambda name: (-totals[name], name))[:MAX_ROWS])


def _left_out_note(rows: list[dict], kept: set[str], field: str, plural: str) -> str:
    names = {row[field] for row in rows}
    left = len(names - kept)
    return f"The {len(kept)} {plural} with the most events shown; {left} more left out." if left else ""


def _figure(chart, index: int, note: str = "") -> str:
    caption = f"<figcaption>{html.escape(note)}</figcaption>" if note else ""
    return f'<figure class="chart">{_svg(chart, index)}{caption}</figure>'


def _table(data: ReportData) -> str:
    rows = []
    for event in sorted(data.events, key=lambda e: (e["announced_on"], e["company"], division_name(e["division"])), reverse=True):
        sources = data.sources.get(event["cut_id"], [])
        items = []
        for source in sources:
            site = source["site_name"] or re.sub(r"^https?://(www\.)?([^/]+).*$", r"\2", source["url"])
            when = f" ({source['published_on']:%Y-%m-%d})" if source["published_on"] else ""
            figure = f" &middot; {html.escape(source['headcount_text'])}" if source["headcount_text"] else ""
            quote = f"<blockquote>{html.escape(source['evidence'])}</blockquote>" if source["evidence"] else ""
            items.append(f'<li><a href="{html.escape(source["url"], quote=True)}">{html.escape(site)}</a>{when}{figure}{quote}</li>')
        if not items and event.get("evidence"):
            items.append(f"<li><blockquote>{html.escape(event['evidence'])}</blockquote></li>")
        reason = event.get("reason") or "other"
        colour = REASON_COLOURS[REASONS.index(reason)] if reason in REASONS else "#555"
        part = ' <span class="note">(part of a larger cut)</span>' if event.get("part_of_cut_id") else ""
        rows.append(
            f'<tr data-cut-id="{html.escape(event["cut_id"])}">'
            f"<td>{html.escape(event['company'])}</td>"
            f"<td>{html.escape(division_name(event['division']))}{part}</td>"
            f"<td class=\"when\">{html.escape(event['quarter'])}<br><span class=\"note\">{event['announced_on']:%Y-%m-%d}</span></td>"
            f"<td class=\"num\">{headcount_range(event['headcount_low'], event['headcount_high'])}</td>"
            f'<td><span class="reason" style="background:{colour}"></span>{html.escape(reason)}'
            f"{'<br><span class=note>' + html.escape(event['status']) + '</span>' if event.get('status') else ''}</td>"
            f"<td>{len(sources)}</td>"
            f'<td><ol class="sources">{"".join(items)}</ol></td></tr>'
        )
    return (
        '<h2 id="events">Events and their sources</h2>'
        f'<p class="note">{len(data.events)} events, newest first. Each source is listed with the sentence the cut '
        "was read from.</p>"
        '<table id="events-table"><thead><tr><th>company</th><th>division</th><th>quarter</th><th>headcount</th>'
        "<th>reason</th><th>sources</th><th>what each source said</th></tr></thead><tbody>"
        + "\n".join(rows)
        + "</tbody></table>"
    )
