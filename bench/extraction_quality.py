"""How much of each article's body does the pipeline's cleaning keep, and how much noise comes with it?

    uv run python bench/extraction_quality.py [--pages DIR] [--limit N] [--worst K] [--experiment] [--json]

Reads the shared article-extraction benchmark (181 real news pages, `html/<id>.html.gz`, and
`ground-truth.json` mapping each id to its `articleBody` and `url`; default folder
`../shared/extraction-benchmark` beside the repository). Every page is decoded the way the pipeline
decodes a saved page (`pipelines.fetch.charset.decode_html`) and cleaned by the pipeline's own
`pipelines.clean.clean_page(html, url)`. The text is scored against the hand-made article body
with a word 4-gram shingle F1:

  * lower-case, split on non-word characters, drop empty tokens;
  * the shingles of a text are the *set* of its runs of 4 consecutive tokens (when either side
    has fewer than 4 tokens, both sides are compared as sets of single tokens instead);
  * precision = |ours & truth| / |ours|, recall = |ours & truth| / |truth|, F1 their harmonic mean;
  * a page the cleaner rejects (None) scores 0; the figure printed is the mean over pages (macro).

The same score is printed for a bare `trafilatura.extract(html)` with default settings, the
reference point (trafilatura reports F1 0.958 on this benchmark with its own scorer).

`--experiment` also scores variants of clean_page's trafilatura call (tables, comments, the
minimum-length cut, recall/precision modes), calling trafilatura directly, so that a gap can be
traced to one setting before anyone changes the pipeline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pipelines.clean import MIN_ARTICLE_CHARS, clean_page  # noqa: E402
from pipelines.fetch.charset import decode_html  # noqa: E402

DEFAULT_BENCHMARK = ROOT.parent / "shared" / "extraction-benchmark"
SHINGLE = 4
_NON_WORD = re.compile(r"\W+")


# --- scoring -------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return [token for token in _NON_WORD.split(text.lower()) if token]


def shingles(words: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def shingle_f1(predicted: str | None, truth: str) -> Score:
    if predicted is None:
        return Score(0.0, 0.0, 0.0)
    ours, theirs = tokens(predicted), tokens(truth)
    if len(ours) < SHINGLE or len(theirs) < SHINGLE:
        a, b = {(w,) for w in ours}, {(w,) for w in theirs}
    else:
        a, b = shingles(ours, SHINGLE), shingles(theirs, SHINGLE)
    if not a and not b:
        return Score(1.0, 1.0, 1.0)
    if not a or not b:
        return Score(0.0, 0.0, 0.0)
    common = len(a & b)
    precision, recall = common / len(a), common / len(b)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Score(precision, recall, f1)


# --- the benchmark -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str


def load_benchmark(folder: Path, limit: int | None = None) -> list[Page]:
    truth_file, html_dir = folder / "ground-truth.json", folder / "html"
    if not truth_file.is_file() or not html_dir.is_dir():
        raise FileNotFoundError(
            f"no extraction benchmark at {folder}: expected ground-truth.json and html/<id>.html.gz there"
        )
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        path = html_dir / f"{page_id}.html.gz"
        if not path.is_file():
            path = html_dir / f"{page_id}.html"
        if not path.is_file():
            print(f"warning: no page for ground-truth id {page_id}, skipped", file=sys.stderr)
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        html, _codec = decode_html(data, None)  # as the pipeline reads a saved page
        pages.append(Page(page_id, truth[page_id].get("url") or "", html, truth[page_id].get("articleBody") or ""))
    return pages


# --- extractors ----------------------------------------------------------------------------------


def pipeline_clean(page: Page) -> str | None:
    article = clean_page(page.html, url=page.url or None)
    return article.text if article else None


def trafilatura_default(page: Page) -> str | None:
    return trafilatura.extract(page.html)


def clean_page_variant(min_chars: int = MIN_ARTICLE_CHARS, **options) -> Callable[[Page], str | None]:
    """clean_page's own call (load_html, then bare_extraction with metadata), with other options."""
    settings = {"include_comments": False, "include_tables": False, "fast": True, **options}

    def run(page: Page) -> str | None:
        try:
            tree = trafilatura.load_html(page.html)
            document = trafilatura.bare_extraction(tree, url=page.url or None, with_metadata=True, **settings)
        except Exception:
            return None
        text = ((document.text if document else None) or "").strip()
        return text if len(text) >= min_chars else None

    return run


EXPERIMENTS: list[tuple[str, Callable[[Page], str | None]]] = [
    ("variant: clean_page call re-created (control)", clean_page_variant()),
    ("variant: + include_tables=True", clean_page_variant(include_tables=True)),
    ("variant: + include_comments=True", clean_page_variant(include_comments=True)),
    ("variant: + tables and comments (trafilatura defaults)", clean_page_variant(include_tables=True, include_comments=True)),
    ("variant: no minimum length", clean_page_variant(min_chars=0)),
    ("variant: fast=False (with fallback extractors)", clean_page_variant(fast=False)),
    ("variant: + tables, favor_recall=True", clean_page_variant(include_tables=True, favor_recall=True)),
    ("variant: + tables, favor_precision=True", clean_page_variant(include_tables=True, favor_precision=True)),
    ("variant: + tables, without metadata", None),  # filled below: bare_extraction without with_metadata
]


def _tables_without_metadata(page: Page) -> str | None:
    try:
        tree = trafilatura.load_html(page.html)
        document = trafilatura.bare_extraction(tree, url=page.url or None, include_comments=False, include_tables=True)
    except Exception:
        return None
    text = ((document.text if document else None) or "").strip()
    return text if len(text) >= MIN_ARTICLE_CHARS else None


EXPERIMENTS[-1] = (EXPERIMENTS[-1][0], _tables_without_metadata)


@dataclass
class Result:
    name: str
    scores: dict[str, Score]
    texts: dict[str, str | None]
    seconds: float

    @property
    def macro_f1(self) -> float:
        return statistics.fmean(s.f1 for s in self.scores.values())

    @property
    def macro_precision(self) -> float:
        return statistics.fmean(s.precision for s in self.scores.values())

    @property
    def macro_recall(self) -> float:
        return statistics.fmean(s.recall for s in self.scores.values())

    @property
    def rejected(self) -> int:
        return sum(text is None for text in self.texts.values())

    def figures(self) -> dict:
        return {
            "name": self.name,
            "pages": len(self.scores),
            "macro_f1": round(self.macro_f1, 4),
            "macro_precision": round(self.macro_precision, 4),
            "macro_recall": round(self.macro_recall, 4),
            "median_f1": round(statistics.median(s.f1 for s in self.scores.values()), 4),
            "rejected_pages": self.rejected,
            "seconds": round(self.seconds, 2),
        }


def score_all(name: str, extractor: Callable[[Page], str | None], pages: list[Page]) -> Result:
    texts: dict[str, str | None] = {}
    started = time.perf_counter()
    for page in pages:
        texts[page.id] = extractor(page)
    seconds = time.perf_counter() - started
    scores = {page.id: shingle_f1(texts[page.id], page.truth) for page in pages}
    return Result(name, scores, texts, seconds)


def why(page: Page, ours: str | None, baseline: str | None) -> str:
    """A short guess at what went wrong on one page, for the --worst listing."""
    if ours is None:
        if baseline is None:
            return "no text from either extractor"
        length = len(baseline.strip())
        return f"rejected (trafilatura alone gives {length} chars{'; under the minimum' if length < MIN_ARTICLE_CHARS else ''})"
    truth_words, our_words = len(tokens(page.truth)), len(tokens(ours))
    if our_words < 0.7 * truth_words:
        return f"too short: {our_words} words vs {truth_words} in the truth"
    if our_words > 1.3 * truth_words:
        return f"too long: {our_words} words vs {truth_words} in the truth"
    return f"{our_words} words vs {truth_words}: different passages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", "--source", dest="folder", type=Path,
                        help=f"benchmark folder with ground-truth.json and html/ (default {DEFAULT_BENCHMARK})")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id), for a quick look")
    parser.add_argument("--worst", type=int, default=10, metavar="K", help="list the K lowest-scoring pages (default 10)")
    parser.add_argument("--experiment", action="store_true", help="also score variants of clean_page's trafilatura call")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--target", type=float, default=0.95, help="macro F1 the pipeline should reach (default 0.95)")
    args = parser.parse_args(argv)

    folder = args.folder or DEFAULT_BENCHMARK
    if not folder.is_dir():
        hint = "" if args.folder else " (pass --pages DIR to point at a copy elsewhere)"
        print(f"extraction_quality: benchmark folder not found: {folder}{hint}", file=sys.stderr)
        return 2
    try:
        pages = load_benchmark(folder, args.limit)
    except FileNotFoundError as error:
        print(f"extraction_quality: {error}", file=sys.stderr)
        return 2
    if not pages:
        print(f"extraction_quality: no pages in {folder}", file=sys.stderr)
        return 2

    # Warm up imports and trafilatura's lazy state so the first timed page is not an outlier.
    clean_page(pages[0].html, pages[0].url)

    ours = score_all("pipeline clean_page", pipeline_clean, pages)
    baseline = score_all("trafilatura.extract (defaults)", trafilatura_default, pages)
    results = [ours, baseline]
    if args.experiment:
        results += [score_all(name, extractor, pages) for name, extractor in EXPERIMENTS]

    if args.json:
        print(json.dumps({"benchmark": str(folder), "target": args.target, "results": [r.figures() for r in results]}, indent=2))
    else:
        print(f"{len(pages)} pages from {folder}")
        print(f"{'extractor':<56} {'F1':>6} {'prec':>6} {'recall':>6} {'median':>6} {'none':>5} {'seconds':>8}")
        for result in results:
            f = result.figures()
            print(
                f"{f['name']:<56} {f['macro_f1']:>6.3f} {f['macro_precision']:>6.3f} {f['macro_recall']:>6.3f} "
                f"{f['median_f1']:>6.3f} {f['rejected_pages']:>5} {f['seconds']:>8.1f}"
            )
        verdict = "meets" if ours.macro_f1 >= args.target else "misses"
        print(f"pipeline macro F1 {ours.macro_f1:.3f} {verdict} the target {args.target:.2f} "
              f"(bare trafilatura {baseline.macro_f1:.3f}; difference {ours.macro_f1 - baseline.macro_f1:+.3f})")
        if args.worst:
            print(f"\nlowest-scoring pages for the pipeline (F1 ours / trafilatura):")
            by_page = {page.id: page for page in pages}
            worst = sorted(ours.scores, key=lambda pid: ours.scores[pid].f1)[: args.worst]
            for pid in worst:
                page = by_page[pid]
                print(
                    f"  {ours.scores[pid].f1:.3f} / {baseline.scores[pid].f1:.3f}  {pid[:12]}  {page.url[:70]}\n"
                    f"      {why(page, ours.texts[pid], baseline.texts[pid])}"
                )
    return 0 if ours.macro_f1 >= args.target else 1


if __name__ == "__main__":
    raise SystemExit(main())
