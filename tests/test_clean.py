from datetime import date

from pipelines.clean import canonical_url_of, clean_page

PARAGRAPH = (
    "Northwind Logistics said on Tuesday that it would close two regional depots and let go of "
    "about 240 drivers and warehouse staff, citing weaker parcel volumes since the spring. "
)

PAGE = f"""<!doctype html>
<html lang="en-US"><head>
<title>Northwind Logistics to close two depots</title>
<link rel="canonical" href="https://www.freightwire.example.com/2024/03/14/northwind-depots">
<meta property="og:site_name" content="Freight Wire">
<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2024-03-14T08:30:00Z"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/jobs">Jobs</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Northwind Logistics to close two depots</h1>
<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>The company expects the closures to finish by the end of June.</p></article>
<aside><h3>Most read</h3><ul><li><a href="/x">Chipmaker plans 5,000 layoffs</a></li></ul></aside>
<footer>Copyright Freight Wire. All rights reserved.</footer>
</body></html>"""


def test_clean_page_keeps_the_article_and_drops_the_chrome():
    article = clean_page(PAGE, url="http://127.0.0.1:8000/northwind.html")
    assert article is not None
    assert article.canonical_url == "https://www.freightwire.example.com/2024/03/14/northwind-depots"
    assert article.url == article.canonical_url
    assert article.title == "Northwind Logistics to close two depots"
    assert article.site_name == "Freight Wire"
    assert article.published_on == date(2024, 3, 14)
    assert article.language == "en"
    assert "about 240 drivers" in article.text
    assert "cookies" not in article.text
    assert "Chipmaker plans 5,000 layoffs" not in article.text
    assert "Copyright" not in article.text


def test_clean_page_returns_none_for_pages_without_an_article():
    assert clean_page("") is None
    assert clean_page("   ") is None
    assert clean_page("<html><body><nav>Home</nav></body></html>") is None
    assert clean_page("\x00\x01\x02 not html at all") is None


def test_malformed_html_still_yields_its_text():
    broken = "<html><body><article><p>" + PARAGRAPH * 3 + "<p><b>unclosed <i>tags</article>"
    article = clean_page(broken)
    assert article is not None and "about 240 drivers" in article.text


def test_canonical_url_prefers_link_rel_then_og_url():
    assert canonical_url_of('<link rel="canonical" href="https://a.example.com/1"><meta property="og:url" content="https://a.example.com/2">') == "https://a.example.com/1"
    assert canonical_url_of('<meta property="og:url" content="https://a.example.com/2">') == "https://a.example.com/2"
    assert canonical_url_of('<link rel="canonical" href="/relative">') is None
    assert canonical_url_of("") is None


def test_page_metadata_matches_trafilaturas_own_metadata_on_every_sample_page():
    # page_metadata is trafilatura's extract_metadata minus the fields never stored; an upgrade of
    # trafilatura that changes how the kept fields are found shows up here.
    from trafilatura import load_html
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    from conftest import SAMPLE_DIR
    from pipelines.clean import page_metadata

    pages = sorted(SAMPLE_DIR.glob("*.html"))
    assert len(pages) == 50
    compared = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        url = f"http://127.0.0.1/{page.name}"
        ours = page_metadata(load_html(html), url)
        theirs = extract_metadata(load_html(html), url, set_date_params(True))
        theirs.clean_and_trim()
        for field in ("title", "url", "sitename", "date"):
            assert getattr(ours, field) == getattr(theirs, field), (page.name, field)
        compared += bool(ours.title and ours.date)
    assert compared >= 45  # the sample pages carry titles and dates, so the comparison is not vacuous
