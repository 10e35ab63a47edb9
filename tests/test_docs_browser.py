"""The generated documentation site, opened in a real browser (headless Chromium).

The site is a single-page app: index.html fetches manifest.json and catalog.json and renders each
page in the browser. So the only way to know an analyst sees the model's description, its
columns and its lineage is to let a browser render it. Chromium is installed with apt when it is
missing (CI machines start without it); when that is impossible the test is skipped, saying why.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from docs_site import SITE_FILES, DocsSite

pytest_plugins = ["docs_site"]

CHROMIUM = "/usr/bin/chromium"
MODEL = "fct_cuts_by_division_quarter"
MODEL_COLUMNS = ("company", "division", "quarter", "cut_events", "headcount_low", "headcount_high", "source_count")


def find_chromium() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def install_chromium() -> str:
    """apt-get install chromium, or skip the test with the reason."""
    if shutil.which("apt-get") is None:
        pytest.skip(f"{CHROMIUM} is missing and there is no apt-get to install it with")
    if os.geteuid() != 0:
        pytest.skip(f"{CHROMIUM} is missing and installing it needs root (apt-get install -y chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (
        ["apt-get", "update"],
        # Wait for another apt process rather than failing on its lock.
        ["apt-get", "install", "-y", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300", "chromium"],
    )
    for command in steps:
        try:
            completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as error:
            pytest.skip(f"{CHROMIUM} is missing and `{' '.join(command)}` did not finish: {error}")
        if completed.returncode != 0:
            tail = (completed.stderr or completed.stdout).strip()[-1500:]
            pytest.skip(f"{CHROMIUM} is missing and `{' '.join(command)}` failed ({completed.returncode}):\n{tail}")
    found = find_chromium()
    if found is None:
        pytest.skip("apt-get installed chromium, but no chromium executable is on PATH")
    return found


@pytest.fixture(scope="module")
def chromium() -> str:
    return find_chromium() or install_chromium()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture(scope="module")
def site_url(docs_site: DocsSite, tmp_path_factory):
    """Serve only the three files the site is made of, as an analyst would publish them."""
    folder = tmp_path_factory.mktemp("docs_served")
    for name in SITE_FILES:
        shutil.copyfile(docs_site.target / name, folder / name)
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_chromium(chromium: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile}",
        "--window-size=1440,1800",
        # Let the page's scripts run (fetching manifest.json and catalog.json, rendering) before the
        # DOM or the screenshot is taken; virtual time skips idle waits, so this is rarely 15 s.
        "--virtual-time-budget=15000",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


class RenderedText(html.parser.HTMLParser):
    """The text a person sees: every text node outside <script>, <style> and <template>, whitespace collapsed.

    The docs site keeps its page templates in <script type="text/ng-template"> elements, so the raw
    DOM contains every heading of every page type whether or not it was rendered; skipping scripts
    leaves only what Angular rendered.
    """

    HIDDEN = {"script", "style", "template"}

    def __init__(self, dom: str):
        super().__init__()
        self.depth = 0
        self.chunks: list[str] = []
        self.feed(dom)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.chunks.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return " ".join(self.chunks)

    def section(self, heading: str, next_heading: str) -> list[str]:
        """Chunks under the page's `heading`, up to `next_heading`.

        Section names appear twice, first in the tab bar at the top of the page and then as the
        section headings; the last `heading` that still has a `next_heading` after it is the section.
        """
        starts = [i for i, chunk in enumerate(self.chunks) if chunk == heading]
        for start in reversed(starts):
            ends = [i for i, chunk in enumerate(self.chunks[start + 1 :], start + 1) if chunk == next_heading]
            if ends:
                return self.chunks[start + 1 : ends[0]]
        raise AssertionError(f"no '{heading}' section followed by '{next_heading}' on the page")


def squashed(text: str) -> str:
    """Text to compare a description with its rendering: markdown code marks and all whitespace
    gone, since the page renders `code` as elements of their own, with their own spacing."""
    return "".join(text.replace("`", "").split())


def dump_dom(chromium: str, url: str, profile: Path, must_contain: str, attempts: int = 3) -> RenderedText:
    """The rendered page at `url`; retried while the dump is empty or the page has not rendered yet."""
    dom, detail = "", ""
    for attempt in range(attempts):
        try:
            completed = run_chromium(chromium, profile / f"try-{attempt}", "--dump-dom", url)
        except subprocess.TimeoutExpired as error:
            detail = f"timed out: {error}"
            continue
        dom, detail = completed.stdout, completed.stderr[-2000:]
        page = RenderedText(dom)
        if must_contain in page.text:
            return page
    raise AssertionError(f"no rendered page after {attempts} tries ({len(dom)} characters of DOM); chromium said:\n{detail}")


@pytest.mark.timeout(1200)  # an apt install of chromium on a fresh machine included
def test_model_page_shows_description_columns_and_lineage(docs_site: DocsSite, site_url, chromium, tmp_path):
    unique_id = f"model.layoffs.{MODEL}"
    node = docs_site.manifest["nodes"][unique_id]
    page = dump_dom(chromium, f"{site_url}/#!/model/{unique_id}", tmp_path / "profile", must_contain="Depends On")

    # The page is this model's, with its description.
    assert MODEL in page.chunks
    assert squashed(node["description"]) in squashed(" ".join(page.section("Description", "Columns")))

    # Every column, with its type from the warehouse and its description.
    columns = page.section("Columns", "Referenced By")
    columns_text = squashed(" ".join(columns))
    catalog_columns = {name.lower(): column for name, column in docs_site.catalog["nodes"][unique_id]["columns"].items()}
    for name in MODEL_COLUMNS:
        assert name in columns, f"column {name} is not in the page's columns table"
        assert catalog_columns[name]["type"] in columns
        assert squashed(node["columns"][name]["description"]) in columns_text, f"no description for {name}"

    # Lineage: the parents this model is built from, and what refers to it (its data tests, on the
    # tab shown first, and the exposures, on the tab next to it).
    parents = page.section("Depends On", "Code")
    assert "fct_cuts" in parents and "fct_cut_sources" in parents, f"Depends On lists {parents}"
    referenced_by = page.section("Referenced By", "Depends On")
    assert "Data Tests" in referenced_by and "Exposures" in referenced_by
    assert f"unique_combination_{MODEL}_company__division__quarter" in referenced_by


@pytest.mark.timeout(600)
def test_exposure_page_shows_what_the_report_reads(docs_site: DocsSite, site_url, chromium, tmp_path):
    unique_id = "exposure.layoffs.layoffs_report_command"
    exposure = docs_site.manifest["exposures"][unique_id]
    page = dump_dom(chromium, f"{site_url}/#!/exposure/{unique_id}", tmp_path / "profile", must_contain="Exposure name")

    assert exposure["label"] in page.chunks and exposure["name"] in page.chunks
    assert "layoffs-pipeline maintainers <maintainers@layoffs-pipeline.invalid>" in page.chunks
    assert squashed(exposure["description"]) in squashed(" ".join(page.section("Description", "Depends On")))
    heading = len(page.chunks) - 1 - page.chunks[::-1].index("Depends On")
    assert page.chunks[heading + 1 : heading + 3] == ["Models", MODEL], "the report reads this one model"


@pytest.mark.timeout(600)
def test_model_page_screenshot(docs_site: DocsSite, site_url, chromium, tmp_path):
    """A screenshot a person could look at: a PNG of real size, not a blank page."""
    url = f"{site_url}/#!/model/model.layoffs.{MODEL}"
    screenshot = tmp_path / "model.png"
    for attempt in range(3):
        completed = run_chromium(chromium, tmp_path / f"profile-{attempt}", f"--screenshot={screenshot}", url)
        if screenshot.exists() and screenshot.stat().st_size > 30_000:
            break
    assert screenshot.exists(), f"no screenshot; chromium said:\n{completed.stderr[-2000:]}"
    png = screenshot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1440, 1800), f"screenshot is {width}x{height}"
    assert len(png) > 30_000, f"screenshot is only {len(png)} bytes: a blank page?"
