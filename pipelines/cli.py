"""The `layoffs` command: run the pipeline, print reports."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml

from pipelines import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="layoffs", description="News articles in, job cuts by division and quarter out.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the whole Dagster job (the one the schedule runs), dbt build included")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--sources", type=Path, help=f"sources file (default {settings.DEFAULT_SOURCES.relative_to(settings.PROJECT_ROOT)})")
    where.add_argument("--html-dir", type=Path, help="treat every *.html under DIR as a saved page")
    run.add_argument("--db", type=Path, help=f"warehouse to publish (default {settings.DEFAULT_WAREHOUSE.relative_to(settings.PROJECT_ROOT)})")
    run.add_argument("--day", metavar="YYYY-MM-DD", help="discovery day to run as (the job's partition; default today, UTC)")
    run.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="if another run is in progress, wait this long for it (default: exit at once)")
    run.add_argument("--quiet", action="store_true",
                     help="print only errors and the one-line summary: no progress, no report table")
    run.add_argument("--verbose", action="store_true", help="show Dagster's step logs")
    run.add_argument("--full-refresh", action="store_true",
                     help="rebuild dbt's incremental models from all stored rows (dbt build --full-refresh)")

    report = commands.add_parser(
        "report", help="print cuts by company, division and quarter, or write them as an HTML report with charts"
    )
    report.add_argument("--db", type=Path)
    report.add_argument("--format", choices=("table", "csv", "json", "html"), default="table",
                        help="html: one self-contained file with charts and every source (see --out)")
    report.add_argument("--company", help="only this company")
    report.add_argument("--since", metavar="YYYY-QN", help="only quarters from this one on, e.g. 2024-Q1")
    report.add_argument("--out", type=Path, metavar="FILE",
                        help="where --format html writes (default report.html); the path is printed")

    article = commands.add_parser(
        "article", help="print a stored article's text (page bodies stay in the pipeline's store, not the warehouse)"
    )
    article.add_argument("url", help="the article's address, as in marts.fct_cut_sources.article_url")
    article.add_argument("--db", type=Path, help="the warehouse whose pipeline store to read")
    article.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                         help="how long to wait while a run is writing the store (default 10)")

    from pipelines.monitoring.cli import add_status_parser, status_command

    add_status_parser(commands)  # `layoffs status`: runs, source health, warnings (pipelines/monitoring)

    reprocess = commands.add_parser(
        "reprocess", help="clean and extract every stored page again, offline, then rebuild and publish"
    )
    reprocess.add_argument("--db", type=Path)
    reprocess.add_argument("--wait", type=float, default=0.0, metavar="SECONDS")
    reprocess.add_argument("--quiet", action="store_true", help="print only errors and the one-line summary")

    serve = commands.add_parser(
        "serve", help="the Dagster webserver and daemon on a persistent instance (a deployment; `make serve`)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address the UI listens on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=3000, help="port of the UI (default 3000)")
    serve.add_argument("--prepare-only", action="store_true",
                       help="only make the instance folder and its dagster.yaml (for systemd and containers)")
    serve.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))

    evaluate = commands.add_parser("eval", help="measure the extractor on labelled pages")
    evaluate.add_argument("path", nargs="?", type=Path, help="a labels file or a folder of them (default tests/golden)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.add_argument("--brief", action="store_true", help="figures only, no list of errors")
    evaluate.add_argument("--fetch", action="store_true",
                          help="real-news sets: fetch the labelled URLs missing from the cache first (needs internet)")
    evaluate.add_argument("--cache", type=Path, metavar="DIR",
                          help="real-news sets: where page texts are kept (default data/.cache/<set name>/)")

    args = parser.parse_args(argv)
    handlers = {"run": _run, "report": _report, "eval": _eval, "reprocess": _reprocess, "serve": _serve,
                "status": status_command, "article": _article}
    return handlers[args.command](args)


def _run(args: argparse.Namespace) -> int:
    from pipelines.sources import SourceError, load_sources

    settings.point_at(warehouse=args.db)
    sources = args.sources
    if args.day is not None:
        try:
            day = date.fromisoformat(args.day)
        except ValueError:
            return _fail(f"--day {args.day}: expected a date such as 2024-04-03")
    if args.html_dir is not None:
        if not args.html_dir.is_dir():
            return _fail(f"--html-dir {args.html_dir}: no such folder")
        sources = _sources_file_for_folder(args.html_dir)
    if sources is not None:
        settings.point_at(sources=sources)
    try:
        load_sources(settings.sources_path())  # fail here, in plain words, rather than inside a run
    except SourceError as error:
        return _fail(str(error))
    if args.day is not None:
        # After the sources file is known: it may move the first day (partitions: start:).
        from pipelines.partitions import day_problem

        problem = day_problem(day)
        if problem:
            return _fail(f"--day {args.day}: {problem}")

    from pipelines.runner import run_pipeline

    from pipelines.progress import display_mode

    # Live progress on stderr: bars on a terminal, a line every 10 s otherwise (pipelines/progress.py).
    outcome = run_pipeline(verbose=args.verbose, wait_s=args.wait, partition_key=args.day,
                           display=display_mode(quiet=args.quiet, verbose=args.verbose),
                           full_refresh=args.full_refresh)
    from pipelines.monitoring.cli import after_run  # health warnings; notify: when no instance records the run

    if not outcome.success:
        code = _fail(outcome.message)
        after_run(outcome, day=args.day)
        return code
    print(outcome.message, file=sys.stderr)
    after_run(outcome, day=args.day)
    if not args.quiet:
        from pipelines.report import division_quarter_rows, render

        print(render(division_quarter_rows(settings.warehouse_path())))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pipelines.instance import InstanceConfigError
    from pipelines.serve import serve

    try:
        return serve(host=args.host, port=args.port, prepare_only=args.prepare_only, log_level=args.log_level)
    except InstanceConfigError as error:
        return _fail(str(error))


def _reprocess(args: argparse.Namespace) -> int:
    from pipelines.runner import reprocess_stored_pages

    settings.point_at(warehouse=args.db)
    if not settings.work_db_path().exists():
        return _fail(f"no work database at {settings.work_db_path()}: run `layoffs run` first")
    from pipelines.progress import display_mode

    outcome = reprocess_stored_pages(wait_s=args.wait, display=display_mode(quiet=args.quiet))
    print(outcome.message, file=sys.stderr)
    from pipelines.monitoring.cli import after_run

    after_run(outcome, job="reprocess_job")
    return 0 if outcome.success else 1


def _report(args: argparse.Namespace) -> int:
    from pipelines.report import WarehouseMissing, division_quarter_rows, render
    from pipelines.report_html import ReportError, check_since

    settings.point_at(warehouse=args.db)
    try:
        since = check_since(args.since)
        if args.format == "html":
            from pipelines.report_html import write_report

            out = write_report(settings.warehouse_path(), args.out or Path("report.html"), args.company, since)
            print(out.resolve())
            return 0
        rows = division_quarter_rows(settings.warehouse_path(), company=args.company, since=since)
    except (WarehouseMissing, ReportError) as error:
        return _fail(str(error))
    print(render(rows, args.format))
    return 0


def _article(args: argparse.Namespace) -> int:
    from pipelines.warehouse.article_text import ArticleTextError, read_article_text

    settings.point_at(warehouse=args.db)
    try:
        article = read_article_text(settings.work_db_path(), args.url, wait_s=args.wait)
    except ArticleTextError as error:
        return _fail(str(error))
    if article.title:
        print(article.title, end="\n\n")
    print(article.text)
    return 0


def _eval(args: argparse.Namespace) -> int:
    import json

    from pipelines.evaluation import DEFAULT_LABELS, evaluate, format_report, load_labelled_pages

    source = args.path or DEFAULT_LABELS
    try:
        pages = load_labelled_pages(source, cache_dir=args.cache)
    except (FileNotFoundError, KeyError) as error:
        return _fail(f"cannot read labels: {error}")
    if args.fetch:
        pages = _fetch_realnews(source, pages, args.cache)
        if pages is None:
            return 1
    missing = [page for page in pages if page.path is None]
    if missing and len(missing) == len(pages):
        return _fail(_empty_cache_help(source, args.cache, len(pages)))
    report = evaluate(pages)
    print(json.dumps(report.figures(), indent=2) if args.json else format_report(report, source, not args.brief))
    if missing:
        print(f"layoffs: {len(missing)} of {len(pages)} labelled pages have no text in the cache and were not "
              f"scored; `layoffs eval {source} --fetch` fetches them", file=sys.stderr)
    return 0


def _cache_dir(source: Path, cache: Path | None) -> Path:
    from pipelines.evaluation import default_cache_dir

    folder = source if source.is_dir() else source.parent
    return cache or default_cache_dir(folder)


def _fetch_realnews(source: Path, pages, cache: Path | None):
    from pipelines.evaluation import load_labelled_pages
    from pipelines.evaluation.cache import fill_cache

    if not any(page.page_id for page in pages):
        _fail(f"--fetch: {source} is not a real-news set (no labels.yaml with ids and URLs)")
        return None
    cache_dir = _cache_dir(source, cache)
    outcome = fill_cache(pages, cache_dir)
    print(f"cache {cache_dir}: {len(outcome.fetched)} fetched, {len(outcome.kept)} already there, "
          f"{len(outcome.failed)} failed", file=sys.stderr)
    for page_id, why in sorted(outcome.failed.items()):
        print(f"  {page_id}: {why}", file=sys.stderr)
    return load_labelled_pages(source, cache_dir=cache_dir)


def _empty_cache_help(source: Path, cache: Path | None, count: int) -> str:
    cache_dir = _cache_dir(source, cache)
    return (
        f"none of the {count} labelled pages in {source} has its text in {cache_dir}.\n"
        f"  With internet access: uv run layoffs eval {source} --fetch\n"
        f"  Without it: save each article's text as {cache_dir}/<id>.txt (or .html), as "
        f"{source}/README.md explains."
    )


def _sources_file_for_folder(folder: Path) -> Path:
    work_dir = settings.work_db_path().parent
    work_dir.mkdir(parents=True, exist_ok=True)
    document = {"sources": [{"name": "html-dir", "kind": "html_dir", "path": str(folder.resolve())}]}
    handle = tempfile.NamedTemporaryFile("w", suffix=".sources.yml", dir=work_dir, delete=False)
    with handle:
        yaml.safe_dump(document, handle)
    return Path(handle.name)


def _fail(message: str) -> int:
    print(f"layoffs: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
