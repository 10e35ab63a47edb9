"""The keyword filter and the per-kind checks of sources.yml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.sources import SourceError, SourceSpec, discover_all, load_sources
from pipelines.sources.relevance import DEFAULT_KEYWORDS, KeywordFilter, compile_keyword, filter_for


@pytest.mark.parametrize(
    "headline",
    [
        "Acme cuts 500 jobs",
        "Amazon to cut about 14,000 corporate jobs",
        "Meta lays off 600 in its AI unit",
        "Microsoft laid off 1,900 gaming staff",
        "Layoffs hit Xbox again",
        "Target will eliminate 1,800 corporate roles",
        "About 1,800 roles would be eliminated, Globex said",
        "Redundancies at the broadcaster",
        "Tesla slashes its Supercharger workforce",
        "Cisco announces restructuring",
        "Google offers a voluntary exit program",
        "UPS to reduce its workforce by 20,000",
        "Workforce reduction at Nike",
        "ACME CUTTING 10% OF JOBS",
    ],
)
def test_the_default_list_keeps_reports_of_cuts(headline):
    assert KeywordFilter.of(DEFAULT_KEYWORDS).matches(headline)


@pytest.mark.parametrize(
    "headline",
    [
        "Company opens new store",
        "Fed makes a half-point rate cut",
        "Target price cuts on 5,000 items",
        "Amazon is hiring 250,000 seasonal workers",
        "Quillstone Robotics raises $40m",
        "",
    ],
)
def test_the_default_list_skips_unrelated_news(headline):
    assert not KeywordFilter.of(DEFAULT_KEYWORDS).matches(headline)


def test_phrases_match_word_starts_with_optional_gaps():
    pattern = compile_keyword("cut ... job")
    assert pattern.pattern == r" cut\w* (?:\w+ ){0,4}job\w* "
    keep = KeywordFilter.of(["Stellenabbau", "plant \u2026 closure", "job-cuts"])
    assert keep.matches("Stellenabbau bei Siemens")
    assert keep.matches(None, "Plant faces closure", None)  # the summary counts too
    assert keep.matches("Ford plant in Cologne faces closure")
    assert keep.matches("Job cuts at Ford")
    assert not keep.matches("Ford's plant was one of many in a region that still faces a closure")  # gap too wide
    assert not keep.matches("abbau")  # words match from their start only


def test_filter_defaults_per_kind():
    assert filter_for("feed", {}).keywords == DEFAULT_KEYWORDS
    assert filter_for("sitemap", {}).keywords == DEFAULT_KEYWORDS
    for kind in ("urls", "html_dir", "warc"):
        assert filter_for(kind, {}) is None
    assert filter_for("feed", {"keywords": []}) is None
    assert filter_for("html_dir", {"keywords": ["layoff"]}).keywords == ("layoff",)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "source, message",
    [
        ("{name: a, kind: feed}", "source 'a' (feed) needs a 'url' (the address of the feed)"),
        ("{name: a, kind: feed, url: 'ftp://x.example.com/rss'}", "source 'a' (feed): 'url' must be an http(s) address, got 'ftp://x.example.com/rss' (scheme ftp refused)"),
        ("{name: a, kind: sitemap, url: 'https://x.example.com/s.xml', max_sitemaps: 0}", "source 'a' (sitemap): 'max_sitemaps' must be a whole number of at least 1, got 0"),
        ("{name: a, kind: sitemap}", "source 'a' (sitemap) needs a 'url' (the address of the sitemap)"),
        ("{name: a, kind: warc}", "source 'a' (warc) needs a 'path' (a WARC file or a glob such as crawl/*.warc.gz)"),
        ("{name: a, kind: html_dir}", "source 'a' (html_dir) needs a 'path' (a folder of saved pages)"),
        ("{name: a, kind: urls}", "source 'a' (urls) needs 'urls' (a list of addresses) or 'path' (a file listing them)"),
        ("{name: a, kind: urls, urls: 'https://x.example.com/'}", "source 'a' (urls): 'urls' must be a list of addresses"),
        ("{name: a, kind: feed, url: 'https://x.example.com/rss', keyword: [layoff]}", "source 'a' (feed): unknown option(s) keyword; feed sources take url, keywords"),
        ("{name: a, kind: feed, url: 'https://x.example.com/rss', keywords: layoff}", "source 'a' (feed): 'keywords' must be a list of non-empty phrases (or [] to turn the filter off), got 'layoff'"),
        ("{name: a, kind: feed, url: 'https://x.example.com/rss', keywords: ['...']}", "source 'a' (feed): keyword '...' has no letters or digits to match"),
    ],
)
def test_each_kind_says_which_option_it_is_missing(tmp_path, source, message):
    with pytest.raises(SourceError, match=f"^{re.escape(message)}$"):
        load_sources(write(tmp_path, f"sources:\n  - {source}\n"))


def test_the_example_sources_file_is_valid_and_uses_every_network_kind():
    config = load_sources(Path(__file__).resolve().parents[1] / "data" / "sources.example.yml")
    kinds = {spec.kind for spec in config.sources}
    assert {"feed", "sitemap"} <= kinds
    assert any("news.google.com/rss/search" in spec.options.get("url", "") for spec in config.sources)
    fetch = config.fetch
    assert (fetch.per_host_delay_s, fetch.timeout_s, fetch.max_bytes, fetch.retries, fetch.allow_private_networks) == (
        1.0, 20, 5_000_000, 3, False,
    )


def test_a_spec_built_in_code_gets_the_same_checks_as_a_problem():
    outcome = discover_all([SourceSpec(name="odd", kind="feed", options={})])
    assert outcome.pages == []
    assert [(p.source_name, p.error) for p in outcome.problems] == [
        ("odd", "unusable source: source 'odd' (feed) needs a 'url' (the address of the feed)")
    ]
