from pathlib import Path

import pytest

from pipelines.sources import SourceError, discover_all, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_sources_file_points_at_the_bundled_sample():
    config = load_sources(Path(__file__).resolve().parents[1] / "data" / "sources.yml")
    assert [(s.name, s.kind) for s in config.sources] == [("bundled-sample", "html_dir")]
    assert config.sources[0].path_option("path").name == "sample"
    assert config.fetch.per_host_delay_s == 1.0


@pytest.mark.parametrize(
    "text, message",
    [
        ("sources: nope", "top-level 'sources:' list"),
        ("sources:\n  - name: a\n    kind: carrier_pigeon\n", "kind 'carrier_pigeon' is not one of"),
        ("sources:\n  - kind: urls\n", "needs a 'name'"),
        ("sources:\n  - {name: a, kind: urls, urls: []}\n  - {name: a, kind: urls, urls: []}\n", "repeated: a"),
        ("sources: [\n", "not valid YAML"),
        ("sources: []\nfetch:\n  speed: fast\n", "fetch settings"),
    ],
)
def test_bad_sources_files_say_what_is_wrong(tmp_path, text, message):
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_sources(write(tmp_path, text))


def test_missing_sources_file_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="sources file not found"):
        load_sources(tmp_path / "absent.yml")


def test_html_dir_takes_urls_from_canonical_or_og_url_and_falls_back_to_the_file(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text('<html><head><link rel="canonical" href="https://news.example.com/a?utm_source=x"></head></html>')
    (pages / "b.html").write_text('<html><head><meta property="og:url" content="https://news.example.com/b#top"></head></html>')
    (pages / "c.html").write_text("<html><body>no address</body></html>")
    config = load_sources(write(tmp_path, "sources:\n  - {name: saved, kind: html_dir, path: pages}\n"))
    found, problems = discover_all(config.sources)
    assert problems == []
    urls = {page.url for page in found}
    assert urls == {
        "https://news.example.com/a",
        "https://news.example.com/b",
        (pages / "c.html").resolve().as_uri(),
    }
    assert all(page.local_path for page in found)


def test_urls_source_reads_inline_and_file_lists_and_refuses_other_schemes(tmp_path):
    (tmp_path / "list.txt").write_text("# comment\nhttps://a.example.com/x\n\nftp://a.example.com/y\n")
    config = load_sources(
        write(tmp_path, "sources:\n  - {name: l, kind: urls, path: list.txt, urls: ['https://b.example.com/z?utm_medium=rss']}\n")
    )
    found, problems = discover_all(config.sources)
    assert sorted(page.url for page in found) == ["https://a.example.com/x", "https://b.example.com/z"]
    assert [problem.location for problem in problems] == ["ftp://a.example.com/y"]


def test_a_missing_folder_is_recorded_not_fatal(tmp_path):
    config = load_sources(write(tmp_path, "sources:\n  - {name: gone, kind: html_dir, path: nowhere}\n"))
    found, problems = discover_all(config.sources)
    assert found == []
    assert problems[0].source_name == "gone" and problems[0].error == "folder not found"
