"""How fast does the whole pipeline turn saved news pages into a published warehouse?

    uv run python bench/throughput.py [--pages N] [--source DIR] [--workers W] [--json]
    uv run python bench/throughput.py --scale [--sizes 1000,5000]

Builds N distinct pages (default 1,000) from the real news pages of the shared extraction
benchmark (default `../shared/extraction-benchmark`, 181 pages), writes them to a temporary folder,
and runs the whole Dagster job on them in this process (the same job `layoffs run --html-dir`
runs: discover, read, clean, extract, dbt build, publish) into a fresh temporary warehouse. Each
stage is timed from the run's Dagster event log (STEP_START to STEP_SUCCESS). Then, in the same
process, a bare one-process loop of `trafilatura.bare_extraction(html, with_metadata=True)` over
the same pages gives the reference speed; the figure of merit is pipeline seconds / bare seconds.

Every copy of a real page gets its own canonical URL (link rel=canonical and og:url, replacing the
page's own), a unique HTML comment, and a unique sentence placed inside text the cleaner keeps (the
end of the longest paragraph that survives `clean_page`, found once per real page), so the pipeline
sees each copy as a distinct page and, after cleaning, a distinct article; the run's cleaning
outcomes are printed so this can be checked.

Memory: peak RSS of this process and of its reaped children from getrusage (RUSAGE_SELF,
RUSAGE_CHILDREN; the latter is the largest single child, and the cleaning workers are children of
multiprocessing's fork server, not of this process, so they only show up there once reaped), and
a sampled peak of the whole process tree (this process plus every descendant, read from /proc
every 0.2 s): the sum of RSS (an upper bound, shared pages counted once per process) and the sum
of PSS (shared pages divided among the processes sharing them).

`--scale` runs the pipeline (no bare loop) at each size in a fresh child process and prints
seconds per 1,000 pages and peak memory per size.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html as html_lib
import io
import json
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SOURCE = ROOT.parent / "shared" / "extraction-benchmark"
STEPS = [
    ("raw__discovered_urls", "discover"),
    ("fetched_pages", "read (fetch)"),
    ("cleaned_articles", "clean"),
    ("extracted_cut_facts", "extract"),
    ("layoffs_dbt_models", "dbt build"),
    ("warehouse", "publish"),
]
MIB = 1024 * 1024


# --- building the pages --------------------------------------------------------------------------


@dataclass(frozen=True)
class BasePage:
    path: Path
    url: str | None  # from ground-truth.json when there is one


def find_base_pages(source: Path) -> list[BasePage]:
    """The real pages to copy: `html/*.html.gz` of the benchmark, or any *.html / *.html.gz below DIR."""
    urls: dict[str, str] = {}
    truth = source / "ground-truth.json"
    if truth.is_file():
        urls = {key: value.get("url") for key, value in json.loads(truth.read_text(encoding="utf-8")).items()}
    paths = sorted(p for p in source.rglob("*") if p.is_file() and p.name.endswith((".html", ".html.gz", ".htm")))
    return [BasePage(p, urls.get(p.name.split(".")[0])) for p in paths]


def read_page(path: Path) -> str:
    from pipelines.fetch.charset import decode_html

    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return decode_html(data, None)[0]


_CANONICAL_TAG = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.IGNORECASE)
_OG_URL_TAG = re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']?og:url\b[^>]*>", re.IGNORECASE)
_HEAD_OPEN = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain(fragment: str) -> str:
    return _SPACE.sub(" ", html_lib.unescape(_TAG.sub(" ", fragment))).strip()


def marker_offset(html: str) -> tuple[int, str]:
    """Where in the page a marker sentence lands inside the text the cleaner keeps, and how it was found.

    Tries, in order: the end of the longest <p> whose text the cleaner keeps; right after a stretch
    of plain text from the kept text's longest line; the start of <body> (may be dropped by cleaning).
    """
    from pipelines.clean import clean_page

    article = clean_page(html)
    kept = _SPACE.sub(" ", article.text) if article else ""
    if kept:
        paragraphs = sorted(_PARAGRAPH.finditer(html), key=lambda m: len(m.group(1)), reverse=True)
        for match in paragraphs:
            text = _plain(match.group(1))
            if len(text) >= 40 and text[:60] in kept:
                return match.end(1), "paragraph"
        for line in sorted(article.text.splitlines(), key=len, reverse=True)[:5]:
            middle = line[len(line) // 3 :][:40].strip()
            if len(middle) >= 20 and "&" not in middle and "<" not in middle and middle in html:
                return html.index(middle) + len(middle), "text"
    body = _BODY_OPEN.search(html)
    return (body.end() if body else len(html)), "body"


def letters(number: int) -> str:
    """A number as letters only, so the marker gives the fact extractor no figure to read."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if not number:
            return word


def copy_url(base_url: str | None, fallback: str, index: int) -> str:
    parts = urlsplit(base_url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/bench-copy-{index:06d}"
    return f"https://bench.example.org/{fallback}/bench-copy-{index:06d}"


def make_copy(html: str, offset: int, url: str, index: int, page_key: str) -> str:
    """The page with its own address (canonical link and og:url), a unique comment and a unique sentence."""
    sentence = f" Benchmark copy marker {letters(index)}{'q' * 3}{letters(index * 7919 + 13)}. "
    html = html[:offset] + sentence + html[offset:]
    html = _OG_URL_TAG.sub("", _CANONICAL_TAG.sub("", html))
    head_tags = (
        f"<!-- bench copy {index} of {page_key} -->"
        f'<link rel="canonical" href="{url}"><meta property="og:url" content="{url}">'
    )
    head = _HEAD_OPEN.search(html)
    return html[: head.end()] + head_tags + html[head.end():] if head else head_tags + html


def build_pages(bases: list[BasePage], count: int, folder: Path) -> dict:
    """Write `count` copies, cycling over the base pages; returns counts for the report."""
    from pipelines.clean import canonical_url_of

    folder.mkdir(parents=True, exist_ok=True)
    anchors: dict[int, tuple[int, str]] = {}
    total_bytes = 0
    for index in range(count):
        which = index % len(bases)
        base = bases[which]
        html = read_page(base.path)
        if which not in anchors:
            anchors[which] = marker_offset(html)
        key = base.path.name.split(".")[0][:16]
        url = copy_url(base.url or canonical_url_of(html), key, index)
        page = make_copy(html, anchors[which][0], url, index, key)
        target = folder / f"{index // 1000:03d}" / f"{index:06d}-{key}.html"
        target.parent.mkdir(exist_ok=True)
        data = page.encode("utf-8")
        target.write_bytes(data)
        total_bytes += len(data)
    placed = {how: sum(1 for _, h in anchors.values() if h == how) for how in ("paragraph", "text", "body")}
    return {"pages": count, "bytes": total_bytes, "marker_placement": placed}


# --- memory --------------------------------------------------------------------------------------


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def _rss_and_pss(pid: int) -> tuple[int, int]:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            rss = pss = 0
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
            return rss, pss
    except OSError:
        return 0, 0


class TreeMemorySampler:
    """Peak summed RSS and PSS of this process and its descendants, sampled on a thread."""

    def __init__(self, interval_s: float = 0.2):
        self.interval_s = interval_s
        self.peak_rss = self.peak_pss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="memory-sampler")
        self.available = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)

    def sample(self) -> None:
        pids = _descendants(os.getpid())
        rss = pss = 0
        for pid in pids:
            r, p = _rss_and_pss(pid)
            rss, pss = rss + r, pss + p
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, len(pids))

    def __enter__(self) -> TreeMemorySampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.available:
            self._stop.set()
            self._thread.join()
            self.sample()


def getrusage_mib() -> dict:
    # Linux reports ru_maxrss in KiB.
    return {
        "self_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children_maxrss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


# --- the pipeline run ----------------------------------------------------------------------------


@dataclass
class PipelineRun:
    success: bool
    message: str
    wall_s: float
    startup_s: float
    run_s: float  # RUN_START to RUN_SUCCESS/FAILURE in the event log
    steps: dict[str, float] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)


def run_pipeline_timed(html_dir: Path, work: Path, workers: int | None, verbose: bool) -> PipelineRun:
    """The body of pipelines.runner.run_pipeline, keeping the instance open to read its event log."""
    import yaml

    from pipelines import settings

    if workers:
        os.environ["LAYOFFS_WORKERS"] = str(workers)
    os.environ.pop("DAGSTER_HOME", None)  # an ephemeral instance, whatever the caller's shell says
    sources = work / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "bench", "kind": "html_dir", "path": str(html_dir)}]}))
    settings.point_at(warehouse=work / "warehouse.duckdb", sources=sources)

    started = time.perf_counter()
    import dagster as dg

    from pipelines.dbt_project import ensure_manifest
    from pipelines.locking import exclusive_run
    from pipelines.partitions import today_partition

    ensure_manifest()
    from pipelines.definitions import build_definitions

    job = build_definitions().resolve_job_def("layoffs_job")
    log_level = "INFO" if verbose else "ERROR"
    if not verbose:
        logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    startup_s = time.perf_counter() - started

    echo = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
    instance = dg.DagsterInstance.ephemeral()
    with exclusive_run(settings.work_db_path()), instance, echo:
        result = job.execute_in_process(
            instance=instance,
            partition_key=today_partition(),
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            raise_on_error=False,
        )
        wall_s = time.perf_counter() - started - startup_s
        logs = instance.all_logs(result.run_id)

    starts: dict[str, float] = {}
    steps: dict[str, float] = {}
    run_start = run_end = None
    for entry in logs:
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type_value
        if kind == "RUN_START":
            run_start = entry.timestamp
        elif kind in ("RUN_SUCCESS", "RUN_FAILURE"):
            run_end = entry.timestamp
        elif kind == "STEP_START":
            starts[entry.step_key] = entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and entry.step_key in starts:
            steps[entry.step_key] = entry.timestamp - starts[entry.step_key]

    from pipelines.runner import _summary

    message = f"run {result.run_id} {'succeeded: ' + _summary(result) if result.success else 'FAILED'}"
    outcomes, tables = _warehouse_counts(settings.work_db_path())
    run_s = (run_end - run_start) if run_start and run_end else wall_s
    return PipelineRun(result.success, message, wall_s, startup_s, run_s, steps, outcomes, tables)


def _warehouse_counts(work_db: Path) -> tuple[dict, dict]:
    import duckdb

    with duckdb.connect(str(work_db), read_only=True) as conn:
        outcomes = dict(conn.execute("select outcome, count(*) from raw.cleaned_pages group by 1 order by 1").fetchall())
        tables = {
            name: conn.execute(f"select count(*) from {name}").fetchone()[0]
            for name in ("raw.pages", "raw.articles", "raw.cut_mentions", "marts.fct_cuts")
        }
    return outcomes, tables


# --- the bare loop -------------------------------------------------------------------------------


def bare_loop(html_dir: Path) -> tuple[float, int]:
    import trafilatura

    pages = [path.read_text(encoding="utf-8") for path in sorted(html_dir.rglob("*.html"))]
    trafilatura.bare_extraction(pages[0], with_metadata=True)  # warm up, as the pipeline's workers are
    extracted = 0
    started = time.perf_counter()
    for html in pages:
        extracted += trafilatura.bare_extraction(html, with_metadata=True) is not None
    return time.perf_counter() - started, extracted


# --- entry points --------------------------------------------------------------------------------


def measure(args: argparse.Namespace, source: Path) -> dict:
    bases = find_base_pages(source)
    if not bases:
        raise SystemExit(f"throughput: no *.html or *.html.gz pages under {source}")
    tmp_root = Path(tempfile.mkdtemp(prefix="layoffs-throughput-", dir=args.tmp))
    try:
        html_dir, work = tmp_root / "pages", tmp_root / "run"
        work.mkdir()
        started = time.perf_counter()
        built = build_pages(bases, args.pages, html_dir)
        built["seconds"] = round(time.perf_counter() - started, 1)
        built["base_pages"] = len(bases)

        with TreeMemorySampler() as sampler:
            run = run_pipeline_timed(html_dir, work, args.workers, args.verbose)
        memory = {
            **getrusage_mib(),
            "tree_peak_rss_mib": round(sampler.peak_rss / MIB, 1),
            "tree_peak_pss_mib": round(sampler.peak_pss / MIB, 1),
            "tree_peak_processes": sampler.peak_processes,
            "sampled": sampler.available,
        }
        figures = {
            "pages": args.pages,
            "workers": int(os.environ.get("LAYOFFS_WORKERS") or 0) or len(os.sched_getaffinity(0)),
            "cpus": len(os.sched_getaffinity(0)),
            "built": built,
            "success": run.success,
            "message": run.message,
            "startup_s": round(run.startup_s, 2),
            "pipeline_s": round(run.wall_s, 2),
            "run_s_from_events": round(run.run_s, 2),
            "steps": {key: round(seconds, 2) for key, seconds in run.steps.items()},
            "dagster_overhead_s": round(run.run_s - sum(run.steps.values()), 2),
            "clean_outcomes": run.outcomes,
            "tables": run.tables,
            "pipeline_memory": memory,
        }
        if not args.skip_bare:
            bare_s, extracted = bare_loop(html_dir)
            figures["bare_s"] = round(bare_s, 2)
            figures["bare_extracted"] = extracted
            figures["ratio"] = round(run.wall_s / bare_s, 3)
            figures["ratio_with_startup"] = round((run.wall_s + run.startup_s) / bare_s, 3)
            figures["memory_after_bare"] = getrusage_mib()
        return figures
    finally:
        if args.keep:
            print(f"kept {tmp_root}", file=sys.stderr)
        else:
            shutil.rmtree(tmp_root, ignore_errors=True)


def print_figures(f: dict, target: float) -> None:
    n = f["pages"]
    built = f["built"]
    print(f"{n} pages built from {built['base_pages']} real pages ({built['bytes'] / MIB:.0f} MiB of HTML, "
          f"{built['seconds']} s); {f['workers']} worker processes on {f['cpus']} CPUs")
    print(f"marker sentence placed per real page: {built['marker_placement']}")
    print(f["message"])
    print(f"cleaning outcomes: {f['clean_outcomes']}; rows: {f['tables']}")
    print(f"\n{'stage':<16} {'seconds':>8} {'pages/s':>9} {'share':>6}")
    for key, label in STEPS:
        seconds = f["steps"].get(key)
        if seconds is None:
            print(f"{label:<16} {'-':>8}")
            continue
        print(f"{label:<16} {seconds:>8.2f} {n / seconds if seconds else float('inf'):>9.1f} {seconds / f['pipeline_s']:>6.0%}")
    for key in sorted(set(f["steps"]) - {k for k, _ in STEPS}):
        print(f"{key:<16} {f['steps'][key]:>8.2f}")
    print(f"{'(between steps)':<16} {f['dagster_overhead_s']:>8.2f}")
    print(f"{'whole run':<16} {f['pipeline_s']:>8.2f} {n / f['pipeline_s']:>9.1f}")
    print(f"(before the run, once per process: imports, manifest check, definitions: {f['startup_s']:.2f} s)")
    if "bare_s" in f:
        print(f"\nbare trafilatura.bare_extraction loop, one process: {f['bare_s']:.2f} s, {n / f['bare_s']:.1f} pages/s "
              f"({f['bare_extracted']} documents)")
        verdict = "meets" if f["ratio"] <= target else "misses"
        print(f"ratio pipeline / bare = {f['ratio']:.3f} ({verdict} the target {target}); "
              f"with start-up {f['ratio_with_startup']:.3f}")
    m = f["pipeline_memory"]
    print(f"\npeak memory during the pipeline: process tree {m['tree_peak_rss_mib']:.0f} MiB RSS summed, "
          f"{m['tree_peak_pss_mib']:.0f} MiB PSS summed (up to {m['tree_peak_processes']} processes, sampled every 0.2 s)")
    print(f"getrusage maxrss: self {m['self_maxrss_mib']:.0f} MiB, largest reaped child {m['children_maxrss_mib']:.0f} MiB")
    if "memory_after_bare" in f:
        after = f["memory_after_bare"]
        print(f"getrusage maxrss after the bare loop: self {after['self_maxrss_mib']:.0f} MiB")


def scale(args: argparse.Namespace, source: Path) -> int:
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for size in sizes:
        command = [sys.executable, str(Path(__file__).resolve()), "--pages", str(size), "--source", str(source),
                   "--skip-bare", "--json"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if args.tmp:
            command += ["--tmp", str(args.tmp)]
        print(f"running {size} pages ...", file=sys.stderr, flush=True)
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode not in (0, 1) or not completed.stdout.strip():
            print(completed.stderr[-3000:], file=sys.stderr)
            print(f"throughput: the {size}-page run failed", file=sys.stderr)
            return 2
        rows.append(json.loads(completed.stdout))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'pages':>6} {'run s':>7} {'s/1000':>7} {'pages/s':>8} " + " ".join(f"{label.split()[0]:>9}" for _, label in STEPS)
          + f" {'tree RSS':>9} {'tree PSS':>9} {'self max':>9}")
    for f in rows:
        n = f["pages"]
        per_stage = " ".join(f"{f['steps'].get(key, 0) * 1000 / n:>9.2f}" for key, _ in STEPS)
        m = f["pipeline_memory"]
        print(f"{n:>6} {f['pipeline_s']:>7.1f} {f['pipeline_s'] * 1000 / n:>7.2f} {n / f['pipeline_s']:>8.1f} {per_stage}"
              f" {m['tree_peak_rss_mib']:>8.0f}M {m['tree_peak_pss_mib']:>8.0f}M {m['self_maxrss_mib']:>8.0f}M")
    print("(stage columns: seconds per 1,000 pages; memory: peak of the process tree during the run)")
    first, last = rows[0], rows[-1]
    growth = (last["pipeline_s"] / last["pages"]) / (first["pipeline_s"] / first["pages"])
    print(f"seconds per page at {last['pages']} / at {first['pages']}: {growth:.2f} (1.00 = linear)")
    peak = max(f["pipeline_memory"]["tree_peak_pss_mib"] for f in rows)
    print(f"peak memory {peak:.0f} MiB PSS ({'under' if peak < 1024 else 'OVER'} the 1 GiB target)")
    return 0 if all(f["success"] for f in rows) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages to build and run (default 1000)")
    parser.add_argument("--source", type=Path, help=f"folder of real pages to copy (default {DEFAULT_SOURCE})")
    parser.add_argument("--workers", type=int, help="cleaning and extraction processes (default: one per CPU)")
    parser.add_argument("--scale", action="store_true", help="run each of --sizes in a fresh process, pipeline only")
    parser.add_argument("--sizes", default="1000,5000", help="page counts for --scale (default 1000,5000)")
    parser.add_argument("--skip-bare", action="store_true", help="do not run the bare trafilatura loop")
    parser.add_argument("--tmp", type=Path, help="where to make the temporary folder (default: the system's)")
    parser.add_argument("--keep", action="store_true", help="keep the pages and the warehouse")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="show Dagster's step logs and dbt's output")
    parser.add_argument("--target", type=float, default=0.8, help="ratio pipeline / bare to reach (default 0.8)")
    args = parser.parse_args(argv)

    source = args.source or DEFAULT_SOURCE
    if not source.is_dir():
        hint = "" if args.source else " (pass --source DIR: a folder of saved *.html or *.html.gz pages)"
        print(f"throughput: folder of real pages not found: {source}{hint}", file=sys.stderr)
        return 2
    if args.pages < 1:
        print("throughput: --pages must be at least 1", file=sys.stderr)
        return 2
    if args.scale:
        return scale(args, source)

    figures = measure(args, source)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_figures(figures, args.target)
    if not figures["success"]:
        return 2
    return 0 if figures.get("ratio", 0) <= args.target else 1


if __name__ == "__main__":
    raise SystemExit(main())
