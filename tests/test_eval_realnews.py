"""`layoffs eval` on a real-news set: labels.yaml with ids and URLs, page texts in a cache folder.

Everything here is real: a labels file and cache written to tmp_path, the CLI's own entry point,
the pipeline's cleaning and extraction, and the polite fetcher talking HTTP to a server on
127.0.0.1 (tests/fetch_server.py). Nothing is mocked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from fetch_server import FetchTestServer, Reply, http_server  # noqa: F401

from pipelines.clean import clean_page
from pipelines.cli import main
from pipelines.evaluation import evaluate, load_labelled_pages
from pipelines.evaluation.cache import fill_cache
from pipelines.evaluation.labels import Background, Event, LabelledPage, NameFolder
from pipelines.evaluation.scoring import _pair_up
from pipelines.extract import extract_cuts
from pipelines.extract.names import company_key
from pipelines.fetch import FetchSettings, PoliteFetcher

pytestmark = pytest.mark.timeout(120)

REPO_ROOT = Path(__file__).resolve().parents[1]

# Three pages in our own words: a seeded company's unit (labelled with a legal suffix and "its ...
# division", as a labeller might write them), an unseeded company cutting company-wide, and a trap
# that talks of price cuts and hiring.
LABELS = [
    {
        "id": "ev-xbox",
        "url": "https://news.example.com/microsoft-gaming-cuts",
        "query": "software maker cuts gaming jobs",
        # no published_on: the cached text's "date" marker gives it
        "kind": "event",
        "trap": None,
        "events": [
            {"company": "Microsoft Corp", "division": "its Xbox division", "quarter": "2024-Q1",
             "headcount": [1900, 1900], "announced_on": date(2024, 1, 25)},
        ],
        "background": [],
    },
    {
        "id": "ev-acme",
        "url": "https://news.example.com/acme-robotics-layoffs",
        "query": "robot maker lays off factory Ohio",
        "published_on": date(2023, 11, 6),
        "kind": "event",
        "trap": None,
        "events": [
            {"company": "Acme Robotics", "division": None, "quarter": "2023-Q4",
             "headcount": [120, 120], "announced_on": date(2023, 11, 6)},
        ],
        "background": [],
    },
    {
        "id": "trap-initech",
        "url": "https://news.example.com/initech-price-cut",
        "query": "Initech cuts prices software",
        "published_on": date(2024, 5, 8),
        "kind": "trap",
        "trap": "price-cut",
        "events": [],
        "background": [],
    },
]

TEXTS = {
    "ev-xbox": (
        "date 2024-01-25\n"
        "Microsoft to cut 1,900 jobs in gaming\n"
        "Microsoft said on Thursday it would cut about 1,900 jobs in its Xbox division, months after it "
        "completed the purchase of a large games publisher. The company said the affected staff would be "
        "told this week.\n"
    ),
    "ev-acme": (
        "Acme Robotics to lay off 120\n"
        "Acme Robotics will lay off 120 employees, the company said on Monday, as it closes a factory "
        "in Ohio that made warehouse robots.\n"
    ),
    "trap-initech": (
        "Initech cuts prices\n"
        "Initech said on Wednesday it would cut prices on its accounting software by 20% to win "
        "customers from rivals. The company is hiring 300 engineers this year.\n"
    ),
}


def write_set(root: Path, labels: list[dict] = LABELS) -> Path:
    set_dir = root / "mini-realnews"
    set_dir.mkdir(parents=True, exist_ok=True)
    (set_dir / "labels.yaml").write_text(yaml.safe_dump(labels, sort_keys=False), encoding="utf-8")
    return set_dir


def write_cache(root: Path, ids: list[str]) -> Path:
    cache = root / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    for page_id in ids:
        (cache / f"{page_id}.txt").write_text(TEXTS[page_id], encoding="utf-8")
    return cache


def run_eval(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["eval", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- 1. a full cache -------------------------------------------------------------------------


def test_full_cache_scores_every_page(tmp_path: Path, capsys) -> None:
    set_dir = write_set(tmp_path)
    cache = write_cache(tmp_path, list(TEXTS))

    code, out, err = run_eval(capsys, str(set_dir), "--cache", str(cache), "--json")

    assert code == 0, err
    figures = json.loads(out)
    assert figures["pages"] == 3
    assert figures["pages_without_text"] == 0
    assert figures["negative_pages"] == 1
    assert figures["true_positives"] == 2
    assert figures["false_positives"] == 0
    assert figures["false_negatives"] == 0
    assert figures["negative_pages_with_events"] == 0
    assert figures["pages_with_false_event"] == 0
    assert figures["precision"] == 1.0
    assert figures["recall"] == 1.0
    assert figures["f1"] == 1.0
    assert figures["division_accuracy"] == 1.0
    assert figures["headcount_accuracy"] == 1.0
    assert figures["quarter_accuracy"] == 1.0
    assert "no text in the cache" not in err


def test_full_cache_pairs_the_right_events(tmp_path: Path) -> None:
    set_dir = write_set(tmp_path)
    cache = write_cache(tmp_path, list(TEXTS))

    pages = load_labelled_pages(set_dir, cache_dir=cache)
    assert [page.page_id for page in pages] == ["ev-xbox", "ev-acme", "trap-initech"]
    assert all(page.path == cache / f"{page.page_id}.txt" for page in pages)
    # Labels fold as they load: the legal suffix and "its ... division" come off.
    assert pages[0].events[0].core == ("Microsoft", "Xbox", "2024-Q1", (1900, 1900))

    report = evaluate(pages)
    by_id = {result.page.page_id: result for result in report.pages}
    [(labelled, predicted)] = by_id["ev-xbox"].pairs
    assert predicted.core == labelled.core == ("Microsoft", "Xbox", "2024-Q1", (1900, 1900))
    assert predicted.announced_on == date(2024, 1, 25)  # from the cached text's date marker
    [(labelled, predicted)] = by_id["ev-acme"].pairs
    assert predicted.core == labelled.core == ("Acme Robotics", None, "2023-Q4", (120, 120))
    assert by_id["trap-initech"].predicted == []
    assert by_id["trap-initech"].spurious == []


def test_text_report_names_the_set(tmp_path: Path, capsys) -> None:
    set_dir = write_set(tmp_path)
    cache = write_cache(tmp_path, list(TEXTS))

    code, out, _ = run_eval(capsys, str(set_dir), "--cache", str(cache))

    assert code == 0
    assert f"labelled set: {set_dir} (3 pages, 1 without a cut)" in out
    assert "F1 1.000" in out
    assert "(matched 2, false positives 0, missed 0)" in out


# -- 2. an empty cache ---------------------------------------------------------------------


def test_empty_cache_says_how_to_fill_it(tmp_path: Path, capsys) -> None:
    set_dir = write_set(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()

    code, out, err = run_eval(capsys, str(set_dir), "--cache", str(cache), "--json")

    assert code == 1
    assert out == ""
    assert "--fetch" in err
    assert str(cache) in err
    assert "none of the 3 labelled pages" in err


def test_empty_cache_exit_code_of_the_real_command(tmp_path: Path) -> None:
    set_dir = write_set(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()

    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "eval", str(set_dir), "--cache", str(cache), "--json"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
    )

    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert "--fetch" in done.stderr
    assert str(cache) in done.stderr


def test_missing_cache_folder_is_an_empty_cache(tmp_path: Path, capsys) -> None:
    set_dir = write_set(tmp_path)
    cache = tmp_path / "never-created"

    code, _, err = run_eval(capsys, str(set_dir), "--cache", str(cache))

    assert code == 1
    assert "--fetch" in err and str(cache) in err
    assert not cache.exists()  # reading never creates the cache


# -- 3. a partial cache --------------------------------------------------------------------


def test_partial_cache_scores_what_is_there_and_warns(tmp_path: Path, capsys) -> None:
    set_dir = write_set(tmp_path)
    cache = write_cache(tmp_path, ["ev-xbox", "trap-initech"])

    code, out, err = run_eval(capsys, str(set_dir), "--cache", str(cache), "--json")

    assert code == 0
    figures = json.loads(out)
    assert figures["pages"] == 2
    assert figures["pages_without_text"] == 1
    assert figures["true_positives"] == 1
    assert figures["false_positives"] == 0
    # The page without text is left out, not counted as a miss.
    assert figures["false_negatives"] == 0
    assert figures["f1"] == 1.0
    assert "1 of 3 labelled pages have no text in the cache" in err
    assert "--fetch" in err


def test_partial_cache_text_report_names_the_missing_page(tmp_path: Path, capsys) -> None:
    set_dir = write_set(tmp_path)
    cache = write_cache(tmp_path, ["ev-xbox", "trap-initech"])

    code, out, err = run_eval(capsys, str(set_dir), "--cache", str(cache), "--brief")

    assert code == 0
    assert "NOT SCORED: 1 labelled pages have no text in the cache (first: ev-acme)" in out
    assert "no text in the cache" in err


# -- 4. --fetch against a real HTTP server ------------------------------------------------

ARTICLE_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Halvorsen Pharmaceuticals to cut 640 jobs in research</title>
<meta property="article:published_time" content="2024-10-15T09:30:00Z">
<meta name="date" content="2024-10-15">
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/business">Business</a></nav></header>
<article>
<h1>Halvorsen Pharmaceuticals to cut 640 jobs in research</h1>
<p>Halvorsen Pharmaceuticals said on Tuesday it would cut 640 jobs, closing two laboratories as it
narrows its drug development pipeline to fewer programmes.</p>
<p>The company said the reductions would be completed by the end of next year and that affected
employees would be offered severance and help finding new roles.</p>
<p>Chief executive officer Jane Doe told analysts on a call that the savings would be reinvested
in late-stage trials, which she described as the company's best chance of growth.</p>
<p>Shares in the company rose 2% in early trading after the announcement.</p>
</article>
<footer>Copyright 2024 Example News</footer>
</body>
</html>
"""

FETCH_LABELS = [
    {
        "id": "ev-halvorsen",
        "query": "drugmaker cuts research jobs laboratories",
        # no published_on: the quarter has to come from the page's own date tag
        "kind": "event",
        "events": [
            {"company": "Halvorsen Pharmaceuticals", "division": None, "quarter": "2024-Q4",
             "headcount": [640, 640]},
        ],
    },
]


def fetch_set(root: Path, server: FetchTestServer) -> Path:
    server.robots("User-agent: *\nAllow: /\n")
    server.html("/business/halvorsen-cuts", ARTICLE_HTML)
    labels = [dict(FETCH_LABELS[0], url=server.url("/business/halvorsen-cuts"))]
    return write_set(root, labels)


def test_fill_cache_fetches_and_eval_reads_it(tmp_path: Path, http_server: FetchTestServer) -> None:  # noqa: F811
    set_dir = fetch_set(tmp_path, http_server)
    cache = tmp_path / "cache"
    pages = load_labelled_pages(set_dir, cache_dir=cache)
    assert [page.path for page in pages] == [None]

    outcome = fill_cache(pages, cache, FetchSettings(allow_private_networks=True, per_host_delay_s=0, retries=0))

    assert outcome.fetched == ["ev-halvorsen"]
    assert outcome.failed == {}
    assert (cache / "ev-halvorsen.html").is_file()
    assert not (cache / "ev-halvorsen.html.part").exists()
    assert "Halvorsen Pharmaceuticals said on Tuesday" in (cache / "ev-halvorsen.html").read_text(encoding="utf-8")
    assert http_server.hits("/business/halvorsen-cuts") == 1

    reloaded = load_labelled_pages(set_dir, cache_dir=cache)
    assert reloaded[0].path == cache / "ev-halvorsen.html"
    report = evaluate(reloaded)
    [result] = report.pages
    [(labelled, predicted)] = result.pairs
    assert predicted.company == "Halvorsen Pharmaceuticals"
    assert predicted.headcount == (640, 640)
    assert predicted.quarter == "2024-Q4"
    assert report.figures()["f1"] == 1.0
    assert report.figures()["pages_without_text"] == 0

    # A second fill finds the page in the cache and sends no request.
    again = fill_cache(reloaded, cache, FetchSettings(allow_private_networks=True, per_host_delay_s=0, retries=0))
    assert (again.fetched, again.kept, again.failed) == ([], ["ev-halvorsen"], {})
    assert http_server.hits("/business/halvorsen-cuts") == 1


def test_cli_fetch_with_default_settings_refuses_loopback(
    tmp_path: Path, capsys, http_server: FetchTestServer,  # noqa: F811
) -> None:
    set_dir = fetch_set(tmp_path, http_server)
    cache = tmp_path / "cache"

    code, out, err = run_eval(capsys, str(set_dir), "--cache", str(cache), "--fetch", "--json")

    # Default settings do not reach private addresses: the page is recorded as failed, nothing
    # is written, and with no text at all the command explains how to fill the cache.
    assert code == 1
    assert out == ""
    assert f"cache {cache}: 0 fetched, 0 already there, 1 failed" in err
    assert "  ev-halvorsen: skipped: loopback address 127.0.0.1 refused" in err
    assert "--fetch" in err
    assert not (cache / "ev-halvorsen.html").exists()
    assert http_server.hits("/business/halvorsen-cuts") == 0


# -- 5. a windows-1252 page through fetch, clean and extract --------------------------------

SOCGEN_HTML = """<!doctype html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Société Générale to cut about 900 jobs in French retail banking</title>
<meta property="article:published_time" content="2024-02-08T07:00:00+01:00">
</head>
<body>
<article>
<h1>Société Générale to cut about 900 jobs in French retail banking</h1>
<p>Société Générale said on Thursday it would cut about 900 jobs in France as it closes branches
and merges back-office teams, the French lender’s latest step to lower its costs.</p>
<p>The bank said the reductions would be made through voluntary departures over the next two
years, and that it would discuss the plan with unions at a meeting in Paris next week.</p>
<p>Analysts said the savings were smaller than those announced by rivals but welcomed the
bank’s commitment to keep its branch network in smaller towns « where customers need it ».</p>
</article>
</body>
</html>
"""


META_1252 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">\n'


@pytest.mark.parametrize(
    ("content_type", "with_meta"),
    [
        ("text/html; charset=windows-1252", True),  # header and <meta> agree
        ("text/html; charset=windows-1252", False),  # header only
        ("text/html", True),  # <meta> only
    ],
    ids=["header+meta", "header", "meta"],
)
def test_windows_1252_page_keeps_its_accents(
    http_server: FetchTestServer, content_type: str, with_meta: bool,  # noqa: F811
) -> None:
    html = SOCGEN_HTML if with_meta else SOCGEN_HTML.replace(META_1252, "")
    assert (META_1252 in html) == with_meta
    body = html.encode("windows-1252")
    assert "é".encode("utf-8") not in body  # really single-byte, not UTF-8 in disguise
    http_server.robots("User-agent: *\nAllow: /\n")
    http_server.add("/socgen", Reply(body=body, content_type=content_type))

    settings = FetchSettings(allow_private_networks=True, per_host_delay_s=0, retries=0)
    with PoliteFetcher(settings) as fetcher:
        result = fetcher.fetch(http_server.url("/socgen"))
    assert result.outcome == "ok", result.error
    assert result.charset == "cp1252"
    assert "Société Générale said on Thursday" in result.html

    article = clean_page(result.html, result.url)
    assert article is not None
    assert "Société Générale" in article.text
    assert article.published_on == date(2024, 2, 8)

    facts = extract_cuts(article.text, title=article.title, published_on=article.published_on)
    [fact] = [fact for fact in facts if fact.headcount_low is not None]
    assert fact.company == "Société Générale"
    assert (fact.headcount_low, fact.headcount_high) == (900, 900)
    assert fact.quarter == "2024-Q1"


# -- 6. name folding and scoring rules -----------------------------------------------------


@pytest.fixture(scope="module")
def names() -> NameFolder:
    return NameFolder()


def test_company_key_drops_legal_suffix() -> None:
    assert company_key("Deutsche Bank AG") == company_key("Deutsche Bank") == "deutsche bank"
    assert company_key("The Washington Post") == company_key("Washington Post")
    # accents are kept: the key is not an ASCII fold
    assert company_key("Société Générale SA") == "société générale"
    assert company_key("Société Générale") != company_key("Societe Generale")


def test_name_folder_companies(names: NameFolder) -> None:
    assert names.company("Deutsche Bank AG") == names.company("Deutsche Bank") == "Deutsche Bank"
    # the seeds' aliases fold to the seeded name
    assert names.company("SocGen") == "Société Générale"
    # a name nobody seeded keeps its own form, stripped
    assert names.company("  Acme Robotics ") == "Acme Robotics"


def test_name_folder_drops_legal_suffix_of_unseeded_company(names: NameFolder) -> None:
    assert names.company("Globex Corp") == names.company("Globex") == "Globex"


def test_name_folder_divisions(names: NameFolder) -> None:
    assert names.division("Deutsche Bank", "its investment banking unit") == names.division(
        "Deutsche Bank", "Investment Banking"
    ) == names.division("Deutsche Bank", "Deutsche Bank's investment banking division") == "investment banking"
    # a seeded unit folds to its seeded name
    assert names.division("Microsoft", "its Xbox division") == names.division("Microsoft", "Xbox") == "Xbox"
    assert names.division("Acme Robotics", "its warehouse automation unit") == names.division(
        "Acme Robotics", "Warehouse Automation"
    ) == "warehouse automation"
    assert names.division("Acme Robotics", "Acme Robotics's cloud division") == "cloud"
    assert names.division("Acme Robotics", None) is None
    labelled = names.event(company="Deutsche Bank AG", division="its investment banking unit",
                           quarter="2018-Q1", headcount=(250, 275))
    predicted = names.event(company="Deutsche Bank", division="Investment Banking",
                            quarter="2018-Q1", headcount=(250, 275))
    assert labelled.core == predicted.core


def _page(background: tuple[Background, ...]) -> LabelledPage:
    return LabelledPage(
        path=None,
        kind="event",
        published_on=date(2024, 1, 16),
        events=(Event("Deutsche Bank", "investment banking", "2024-Q1", (500, 500)),),
        background=background,
        page_id="bg",
    )


def test_background_cut_in_its_own_quarter_is_not_a_false_positive() -> None:
    page = _page((Background("Deutsche Bank", "2023-Q2"),))
    new = Event("Deutsche Bank", "investment banking", "2024-Q1", (500, 500))
    old = Event("Deutsche Bank", None, "2023-Q2", (3500, 3500))

    result = _pair_up(page, [new, old])

    assert [pair[1].core for pair in result.pairs] == [new.core]
    assert result.background == [old]
    assert result.spurious == []
    assert result.missed == []


def test_background_cut_dated_to_another_quarter_is_a_false_positive() -> None:
    page = _page((Background("Deutsche Bank", "2023-Q2"),))
    new = Event("Deutsche Bank", "investment banking", "2024-Q1", (500, 500))
    redated = Event("Deutsche Bank", None, "2024-Q1", (3500, 3500))

    result = _pair_up(page, [new, redated])

    assert [pair[1].core for pair in result.pairs] == [new.core]
    assert result.background == []
    assert result.spurious == [redated]


def test_background_without_quarter_excuses_nothing() -> None:
    page = _page((Background("Deutsche Bank", None),))
    old = Event("Deutsche Bank", None, "2023-Q2", (3500, 3500))
    new = Event("Deutsche Bank", "investment banking", "2024-Q1", (500, 500))

    result = _pair_up(page, [new, old])

    assert result.spurious == [old]
    assert result.background == []


def test_background_of_another_company_excuses_nothing() -> None:
    page = _page((Background("Commerzbank", "2023-Q2"),))
    new = Event("Deutsche Bank", "investment banking", "2024-Q1", (500, 500))
    other = Event("Deutsche Bank", None, "2023-Q2", (3500, 3500))

    result = _pair_up(page, [new, other])

    assert result.spurious == [other]


def test_a_predicted_unit_pairs_with_its_own_label_before_a_sibling_listed_earlier() -> None:
    units = ("Platforms and Devices", "Core Engineering", "Google Assistant")
    page = LabelledPage(path=None, kind="event", published_on=date(2024, 1, 15), page_id="units",
                        events=tuple(Event("Google", unit, "2024-Q1", (300, 999)) for unit in units))
    core = Event("Google", "Core Engineering", "2024-Q1", (300, 999))
    assistant = Event("Google", "Google Assistant", "2024-Q1", (300, 999))

    result = _pair_up(page, [core, assistant])

    assert sorted((labelled.division, predicted.division) for labelled, predicted in result.pairs) == [
        ("Core Engineering", "Core Engineering"), ("Google Assistant", "Google Assistant")]
    assert [labelled.division for labelled in result.missed] == ["Platforms and Devices"]
