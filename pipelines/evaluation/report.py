"""`layoffs eval` output: the figures, then every miss and false event with its evidence."""

from __future__ import annotations

from pathlib import Path

from .labels import Event
from .scoring import EvalReport


def format_figures(report: EvalReport, heading: str) -> list[str]:
    f = report.figures()
    return [
        f"{heading} ({f['pages']} pages, {f['negative_pages']} without a cut)",
        f"  events   precision {f['precision']:.3f}  recall {f['recall']:.3f}  F1 {f['f1']:.3f}"
        f"   (matched {f['true_positives']}, false positives {f['false_positives']}, missed {f['false_negatives']})",
        f"  matched  division {f['division_accuracy']:.3f}  headcount range {f['headcount_accuracy']:.3f}"
        f"  quarter {f['quarter_accuracy']:.3f}",
        f"  matched  status {f['status_accuracy']:.3f} (of {f['status_labelled']} labelled)"
        f"  reason {f['reason_accuracy']:.3f} (of {f['reason_labelled']} labelled)",
        f"  pages with a false event: {f['pages_with_false_event']} of {f['pages']}"
        f"  (pages without a cut: {f['negative_pages_with_events']} of {f['negative_pages']})",
    ]


def format_report(report: EvalReport, source: Path, show_errors: bool = True) -> str:
    lines = format_figures(report, f"labelled set: {source}")
    f = report.figures()
    if f["events_reported_by_several_pages"]:
        lines.append(
            f"  cuts reported by several pages: {f['events_reported_by_several_pages']}, "
            f"split into more than one warehouse event: {f['events_split_across_reports']}"
        )
    if f["background_predictions"]:
        lines.append(f"  earlier cuts told as background and dated to their own quarter: {f['background_predictions']}")
    tagged = [result for result in report.pages if result.page.tags.get("big_us_tech") is not None]
    if tagged:
        outside = report.subset(lambda page: not page.tags.get("big_us_tech"))
        inside = report.subset(lambda page: bool(page.tags.get("big_us_tech")))
        lines += format_figures(outside, "  outside big US tech")[0:2]
        lines += format_figures(inside, "  big US tech")[0:2]
    for page, error in report.crashed:
        lines.append(f"  EXTRACTOR CRASHED on {page.name}: {error}")
    if report.missing:
        lines.append(f"  NOT SCORED: {len(report.missing)} labelled pages have no text in the cache "
                     f"(first: {report.missing[0].name})")
    if not show_errors:
        return "\n".join(lines)
    for result in report.pages:
        problems = []
        problems += [f"  missed     {_describe(event)}" for event in result.missed]
        problems += [f"  spurious   {_describe(event)}  <- {_evidence(event)}" for event in result.spurious]
        problems += [
            f"  mismatch   {_describe(labelled)}  got  {_describe(predicted)}  <- {_evidence(predicted)}"
            for labelled, predicted in result.pairs
            if labelled.core != predicted.core
        ]
        for labelled, predicted in result.pairs:
            for attribute in ("status", "reason"):
                wanted, got = getattr(labelled, attribute), getattr(predicted, attribute)
                if wanted is not None and wanted != got:
                    problems.append(f"  {attribute:<10} {_describe(labelled)}  labelled {wanted}, got {got}")
        if problems:
            lines.append(result.page.name + (f"  {result.page.url}" if result.page.url else ""))
            lines.extend(problems)
    return "\n".join(lines)


def _evidence(event: Event) -> str:
    return " ".join((event.evidence or "").split())[:160]


def _describe(event: Event) -> str:
    headcount = f"{event.headcount[0]}-{event.headcount[1]}" if event.headcount else "no figure"
    return f"{event.company} / {event.division or '(company-wide)'} / {event.quarter} / {headcount}"
