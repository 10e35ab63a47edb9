"""Does a run cost what it adds, whatever the history behind it?

    uv run python bench/history.py [--sizes 1000,5000,20000] [--new 10] [--source DIR] [--keep DIR]
    uv run python bench/history.py --sizes 1000,5000 --keep DIR --again   # remeasure kept histories

For each size N: N distinct real pages (the shared extraction benchmark's pages made unique, as
bench/throughput.py makes them) are written to a folder and one `uv run layoffs run --html-dir`
builds the history. Then two more whole commands are timed, each a subprocess from start to exit
(wall clock): a run that finds nothing new, and a run after `--new` fresh pages were added to the
folder. For each run the peak memory of the whole process tree is sampled from /proc (sum of RSS over the
processes every 0.2 s, an upper bound; and sum of PSS, shared pages divided among the processes
sharing them, every second: reading PSS is costly enough to slow the run it measures). After the last run: the analysts' warehouse file size against the
pipeline's store (the work database). The load average is printed beside each figure: the
machine may be shared.

The first run at a new work database path parses the dbt project in full (dbt drops its
partial-parse cache when the profile's path changes); the runs measured after it parse only what
changed, as a deployment does from its second run on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import throughput  # noqa: E402  (bench/throughput.py: the page copies and the /proc readers)

MIB = 1024 * 1024
TARGETS = {
    "new_ratio": 1.3, "new_s": 15.0, "noop_ratio": 1.2, "noop_s": 8.0, "warehouse_share": 0.10, "peak_mib": 1024,
}


class TreeSampler:
    """Peak summed RSS and PSS of a process and all its descendants.

    RSS (from /proc/PID/statm, cheap) every 0.2 s; PSS (from smaps_rollup, which makes the kernel
    walk every page table of the process while holding its memory map's lock) once a second. At
    0.2 s PSS sampling alone slowed the measured 10-page run by about 2 s (16.5 s sampled against
    13.7-14.8 s for the same command unsampled), so the time figure measured the sampler."""

    def __init__(self, pid: int):
        self.pid, self.peak_rss, self.peak_pss = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        tick = 0
        while not self._stop.is_set():
            pids = throughput._descendants(self.pid, throughput._process_table())
            self.peak_rss = max(self.peak_rss, sum(_rss(pid) for pid in pids))
            if tick % 5 == 0:
                self.peak_pss = max(self.peak_pss, sum(throughput._rss_and_pss(pid)[1] for pid in pids))
            tick += 1
            self._stop.wait(0.2)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def load() -> str:
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def timed_run(html_dir: Path, env: dict) -> dict:
    """One whole `uv run layoffs run` command: wall clock from start to exit, and its peak memory."""
    command = ["uv", "run", "layoffs", "run", "--html-dir", str(html_dir), "--quiet"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with TreeSampler(process.pid) as sampler:
        output, _ = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    return {"s": seconds, "rss_mib": sampler.peak_rss / MIB, "pss_mib": sampler.peak_pss / MIB,
            "summary": output.strip().splitlines()[-1] if output.strip() else "", "load": load()}


def build_range(bases, start: int, count: int, folder: Path) -> None:
    """Copies number start .. start+count-1, as throughput.build_pages writes them (their own URLs)."""
    from pipelines.clean import canonical_url_of

    folder.mkdir(parents=True, exist_ok=True)
    for index in range(start, start + count):
        base = bases[index % len(bases)]
        html = throughput.read_page(base.path)
        key = base.path.name.split(".")[0][:16]
        url = throughput.copy_url(base.url or canonical_url_of(html), key, index)
        page = throughput.make_copy(html, throughput.marker_offset(html)[0], url, index, key)
        (folder / f"{index:06d}-{key}.html").write_bytes(page.encode("utf-8"))


def measure_again(size: int, new: int, bases, work: Path) -> dict:
    """The two measured runs again on a history --keep left (no rebuild), with `new` more pages."""
    history = work / "pages"
    taken = [int(path.name.split("-")[0]) for path in history.rglob("*.html")]
    env = {**os.environ, "LAYOFFS_DB": str(work / "warehouse.duckdb"),
           "LAYOFFS_WORK_DB": str(work / ".work" / "warehouse.duckdb")}
    fresh = work / f"fresh-{max(taken) + 1}"
    build_range(bases, max(taken) + 1, new, fresh)
    # dbt's partial-parse cache holds one work database path (target/pipeline); anything run at
    # another path since (a test) made it parse in full. Parse here first, as a deployment has.
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt) if dbt.exists() else "dbt", "parse", "--target", "pipeline", "--target-path",
                    "target/pipeline", "--quiet", "--no-write-json"], cwd=ROOT, env=env, check=True, capture_output=True)
    figures = {"size": size, "build": {"s": float("nan"), "rss_mib": 0.0, "pss_mib": 0.0}}
    figures["noop"] = timed_run(history, env)
    print(f"[{size}] nothing new: {figures['noop']['s']:.1f} s ({figures['noop']['load']})", flush=True)
    fresh.rename(history / fresh.name)
    figures["new"] = timed_run(history, env)
    print(f"[{size}] {new} new: {figures['new']['s']:.1f} s ({figures['new']['load']}): {figures['new']['summary']}",
          flush=True)
    work_db = work / ".work" / "warehouse.duckdb"
    figures["store_mib"] = (work_db.stat().st_size + _wal(work_db)) / MIB
    figures["warehouse_mib"] = (work / "warehouse.duckdb").stat().st_size / MIB
    return figures


def measure(size: int, new: int, bases, work: Path) -> dict:
    history, fresh = work / "pages", work / "fresh"
    throughput.build_pages(bases, size + new, fresh)
    # The first `size` copies are the history; the last `new` (their own indexes, so their own
    # URLs) wait outside the folder until the third run.
    history.mkdir()
    for path in sorted(fresh.rglob("*.html")):
        index = int(path.name.split("-")[0])
        if index < size:
            (history / path.parent.name).mkdir(exist_ok=True)
            path.rename(history / path.parent.name / path.name)
    env = {**os.environ, "LAYOFFS_DB": str(work / "warehouse.duckdb"),
           "LAYOFFS_WORK_DB": str(work / ".work" / "warehouse.duckdb")}
    figures = {"size": size}
    print(f"[{size}] building the history ({load()})", flush=True)
    figures["build"] = timed_run(history, env)
    print(f"[{size}] history built in {figures['build']['s']:.1f} s: {figures['build']['summary']}", flush=True)
    figures["noop"] = timed_run(history, env)
    print(f"[{size}] nothing new: {figures['noop']['s']:.1f} s ({figures['noop']['load']})", flush=True)
    added = history / "new"
    added.mkdir()
    for path in sorted(fresh.rglob("*.html")):
        path.rename(added / path.name)
    figures["new"] = timed_run(history, env)
    print(f"[{size}] {new} new: {figures['new']['s']:.1f} s ({figures['new']['load']}): {figures['new']['summary']}",
          flush=True)
    work_db = work / ".work" / "warehouse.duckdb"
    figures["store_mib"] = (work_db.stat().st_size + _wal(work_db)) / MIB
    figures["warehouse_mib"] = (work / "warehouse.duckdb").stat().st_size / MIB
    return figures


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def report(rows: list[dict], new: int) -> None:
    print()
    print(f"{'pages':>7} {'build s':>8} {'no-op s':>8} {f'+{new} s':>8} {'peak RSS MiB':>13} {'peak PSS MiB':>13} "
          f"{'warehouse MiB':>14} {'store MiB':>10} {'share':>6}  load (no-op; +new)")
    for row in rows:
        peak_rss = max(row[k]["rss_mib"] for k in ("build", "noop", "new"))
        peak_pss = max(row[k]["pss_mib"] for k in ("build", "noop", "new"))
        share = row["warehouse_mib"] / row["store_mib"]
        print(f"{row['size']:>7} {row['build']['s']:>8.1f} {row['noop']['s']:>8.1f} {row['new']['s']:>8.1f} "
              f"{peak_rss:>13.0f} {peak_pss:>13.0f} {row['warehouse_mib']:>14.1f} {row['store_mib']:>10.1f} "
              f"{share:>6.1%}  {row['noop']['load']}; {row['new']['load']}")
    print("\npeak memory per run (RSS / PSS MiB): " + "; ".join(
        f"{row['size']}: build {row['build']['rss_mib']:.0f}/{row['build']['pss_mib']:.0f}, "
        f"no-op {row['noop']['rss_mib']:.0f}/{row['noop']['pss_mib']:.0f}, "
        f"+new {row['new']['rss_mib']:.0f}/{row['new']['pss_mib']:.0f}" for row in rows))
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        new_ratio = large["new"]["s"] / small["new"]["s"]
        noop_ratio = large["noop"]["s"] / small["noop"]["s"]
        print(f"\n{large['size']} vs {small['size']} pages:")
        print(f"  +{new} pages: {new_ratio:.2f}x ({large['new']['s']:.1f} s; targets <= {TARGETS['new_ratio']}x and "
              f"< {TARGETS['new_s']:.0f} s)")
        print(f"  nothing new: {noop_ratio:.2f}x ({large['noop']['s']:.1f} s; targets <= {TARGETS['noop_ratio']}x and "
              f"< {TARGETS['noop_s']:.0f} s)")
    for row in rows:
        print(f"  {row['size']} pages: warehouse {row['warehouse_mib'] / row['store_mib']:.1%} of the pipeline store "
              f"(target <= {TARGETS['warehouse_share']:.0%}); peak PSS {max(row[k]['pss_mib'] for k in ('build', 'noop', 'new')):.0f} MiB "
              f"(target < {TARGETS['peak_mib']} MiB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="history sizes, comma-separated")
    parser.add_argument("--new", type=int, default=10, help="pages added before the third run")
    parser.add_argument("--source", type=Path, default=throughput.DEFAULT_SOURCE)
    parser.add_argument("--keep", type=Path, help="build under this folder and keep it (default: a temporary one)")
    parser.add_argument("--again", action="store_true",
                        help="with --keep: measure the histories already there again (no rebuild), adding --new more pages")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    bases = throughput.find_base_pages(args.source)
    if not bases:
        print(f"no pages under {args.source}: pass --source DIR", file=sys.stderr)
        return 2
    rows = []
    for size in sizes:
        if args.keep and args.again:
            rows.append(measure_again(size, args.new, bases, args.keep / f"history-{size}"))
        elif args.keep:
            work = args.keep / f"history-{size}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            rows.append(measure(size, args.new, bases, work))
        else:
            with tempfile.TemporaryDirectory(prefix=f"history-{size}-") as folder:
                rows.append(measure(size, args.new, bases, Path(folder)))
    report(rows, args.new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
