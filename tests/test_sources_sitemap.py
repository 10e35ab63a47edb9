"""`sitemap` sources: indexes, gzipped children, news sitemaps, limits and hostile XML, over real HTTP."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from datetime import UTC, datetime

import pytest
from fetch_server import FetchTestServer, Reply, http_server, run_sources  # noqa: F401

from pipelines.sources import sitemap

pytestmark = pytest.mark.timeout(30)

XML = "application/xml"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*locs: str) -> bytes:
    body = "".join(f"<url><loc>{loc}</loc><lastmod>2024-07-01</lastmod></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS}>{body}</urlset>'.encode()


def index(*children: tuple[str, str | None]) -> bytes:
    body = "".join(
        f"<sitemap><loc>{loc}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</sitemap>"
        for loc, lastmod in children
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {NS}>{body}</sitemapindex>'.encode()


def sitemap_source(url: str, extra: str = "") -> str:
    return f"sources:\n  - name: site\n    kind: sitemap\n    url: {url}\n{extra}"


def test_an_index_leads_to_plain_and_gzipped_children_newest_first(http_server: FetchTestServer, tmp_path):
    june = http_server.url("/sitemaps/2024-06.xml")
    july = http_server.url("/sitemaps/2024-07.xml.gz")
    http_server.add(
        "/sitemap_index.xml",
        Reply(
            body=index(
                (june, "2024-06-30T23:00:00+00:00"),
                (july, "2024-07-31"),
                (http_server.url("/sitemap_index.xml"), None),  # an index listing itself is read once
            ),
            content_type=XML,
        ),
    )
    http_server.add(
        "/sitemaps/2024-06.xml",
        Reply(
            body=urlset(
                "https://news.example.com/2024/06/initech-lays-off-200?utm_campaign=sitemap",
                "https://news.example.com/2024/06/initech-opens-new-store",
            ),
            content_type=XML,
        ),
    )
    http_server.add(
        "/sitemaps/2024-07.xml.gz",
        Reply(
            body=gzip.compress(
                urlset(
                    "https://news.example.com/2024/07/acme-cuts-500-jobs",
                    "https://news.example.com/2024/06/initech-lays-off-200",  # also in June's sitemap
                )
            ),
            content_type="application/x-gzip",
        ),
    )
    outcome = run_sources(tmp_path, sitemap_source(http_server.url("/sitemap_index.xml")))
    assert outcome.problems == []
    assert [page.url for page in outcome.pages] == [
        "https://news.example.com/2024/07/acme-cuts-500-jobs",
        "https://news.example.com/2024/06/initech-lays-off-200",
    ]
    assert outcome.skipped == {"site": 1}  # the store opening, judged on its URL slug
    assert outcome.duplicates == 1
    assert all(page.title is None and page.source_kind == "sitemap" for page in outcome.pages)
    assert [request.path for request in http_server.seen if request.path != "/robots.txt"] == [
        "/sitemap_index.xml",
        "/sitemaps/2024-07.xml.gz",
        "/sitemaps/2024-06.xml",
    ]


def test_a_news_sitemap_gives_titles_dates_and_keywords(http_server: FetchTestServer, tmp_path):
    news = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example.com/business/article-81723</loc>
    <image:image><image:loc>https://img.example.com/a.jpg</image:loc></image:image>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-07-02T09:15:00Z</news:publication_date>
      <news:title>Globex to shed 1,200 jobs as demand slows</news:title>
    </news:news>
  </url>
  <url>
    <loc>https://news.example.com/business/article-81724</loc>
    <news:news>
      <news:publication_date>2024-07-02</news:publication_date>
      <news:title>Quarterly update from Hooli</news:title>
      <news:keywords>Hooli, workforce reduction, search</news:keywords>
    </news:news>
  </url>
  <url>
    <loc>https://news.example.com/sport/article-81725</loc>
    <news:news><news:title>Local team wins the cup</news:title></news:news>
  </url>
</urlset>"""
    http_server.add("/news-sitemap.xml", Reply(body=news.encode(), content_type="text/xml; charset=utf-8"))
    outcome = run_sources(tmp_path, sitemap_source(http_server.url("/news-sitemap.xml")))
    assert outcome.problems == []
    assert [(page.url, page.title, page.published) for page in outcome.pages] == [
        (
            "https://news.example.com/business/article-81723",
            "Globex to shed 1,200 jobs as demand slows",
            datetime(2024, 7, 2, 9, 15, tzinfo=UTC),
        ),
        ("https://news.example.com/business/article-81724", "Quarterly update from Hooli", datetime(2024, 7, 2)),
    ]
    assert outcome.pages[1].summary == "Hooli, workforce reduction, search"
    assert outcome.skipped == {"site": 1}


def test_indexes_are_followed_at_most_three_levels_deep(http_server: FetchTestServer, tmp_path):
    for level in (1, 2, 3):
        http_server.add(f"/level{level}.xml", Reply(body=index((http_server.url(f"/level{level + 1}.xml"), None)), content_type=XML))
    http_server.add("/level4.xml", Reply(body=urlset("https://news.example.com/deep-layoffs"), content_type=XML))
    outcome = run_sources(tmp_path, sitemap_source(http_server.url("/level1.xml")))
    assert outcome.pages == []
    assert [(p.location, p.error) for p in outcome.problems] == [
        (http_server.url("/level3.xml"), "not followed: 1 child sitemap(s) deeper than 3 levels")
    ]
    assert http_server.hits("/level4.xml") == 0


def test_max_sitemaps_bounds_how_many_documents_are_read(http_server: FetchTestServer, tmp_path):
    children = [(http_server.url(f"/part{i}.xml"), None) for i in range(5)]
    http_server.add("/index.xml", Reply(body=index(*children), content_type=XML))
    for i in range(5):
        http_server.add(f"/part{i}.xml", Reply(body=urlset(f"https://news.example.com/layoffs-{i}"), content_type=XML))
    outcome = run_sources(tmp_path, sitemap_source(http_server.url("/index.xml"), "    max_sitemaps: 3\n"))
    assert [page.url for page in outcome.pages] == ["https://news.example.com/layoffs-0", "https://news.example.com/layoffs-1"]
    assert [(p.location, p.error) for p in outcome.problems] == [
        (http_server.url("/index.xml"), "not read: 3 more sitemap(s) past max_sitemaps (3)")
    ]
    assert sum(http_server.hits(f"/part{i}.xml") for i in range(5)) == 2


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE urlset [\n  <!ENTITY lol "lol">\n'
    + "".join(f'  <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + f"]>\n<urlset {NS}><url><loc>https://news.example.com/&lol9;-layoffs</loc></url></urlset>"
).encode()


def test_a_billion_laughs_sitemap_is_rejected_without_expanding(http_server: FetchTestServer, tmp_path):
    http_server.add("/sitemap.xml", Reply(body=BILLION_LAUGHS, content_type=XML))
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = run_sources(tmp_path, sitemap_source(http_server.url("/sitemap.xml")))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 20_000_000  # fully expanded, the document would be ~3 GB
    assert outcome.pages == []
    assert [p.error for p in outcome.problems] == ["refused: the sitemap declares XML entities"]


def test_the_parser_itself_refuses_entity_expansion_too(monkeypatch):
    # Were the prolog check ever bypassed (an encoding it misreads), libxml2 must still not expand.
    monkeypatch.setattr(sitemap, "declares_entities", lambda data: False)
    tracemalloc.start()
    try:
        with pytest.raises(sitemap.SitemapError, match="not well-formed XML"):
            list(sitemap.parse_sitemap(BILLION_LAUGHS))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


def test_external_entities_and_utf16_tricks_are_refused():
    xxe = f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset {NS}><url><loc>&x;</loc></url></urlset>'
    for data in (xxe.encode(), xxe.replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")):
        with pytest.raises(sitemap.SitemapError, match="declares XML entities"):
            list(sitemap.parse_sitemap(data))


def test_a_gzip_bomb_is_cut_at_max_bytes(http_server: FetchTestServer, tmp_path):
    bomb = gzip.compress(f"<urlset {NS}>".encode() + b" " * 30_000_000, compresslevel=9)
    http_server.add("/sitemap.xml.gz", Reply(body=bomb, content_type="application/gzip"))
    fetch_block = "fetch:\n  per_host_delay_s: 0\n  retries: 0\n  max_bytes: 100000\n  allow_private_networks: true\n"
    tracemalloc.start()
    try:
        outcome = run_sources(tmp_path, sitemap_source(http_server.url("/sitemap.xml.gz")), fetch_block=fetch_block)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000
    assert outcome.pages == []
    assert [p.error.split(":")[0] for p in outcome.problems] == [
        "sitemap is larger than max_bytes; only the entries before the cut were read",
        "not well-formed XML",
    ]


def test_non_http_locations_and_non_sitemaps_are_problems(http_server: FetchTestServer, tmp_path):
    http_server.add(
        "/sitemap.xml",
        Reply(body=urlset("ftp://files.example.com/layoffs.txt", "/relative/layoffs-story"), content_type=XML),
    )
    http_server.add("/feed.xml", Reply(body=b'<rss version="2.0"><channel/></rss>', content_type=XML))
    sources = f"""sources:
  - {{name: site, kind: sitemap, url: "{http_server.url('/sitemap.xml')}"}}
  - {{name: wrong, kind: sitemap, url: "{http_server.url('/feed.xml')}"}}
"""
    outcome = run_sources(tmp_path, sources)
    assert [page.url for page in outcome.pages] == [f"http://127.0.0.1:{http_server.port}/relative/layoffs-story"]
    assert [(p.source_name, p.location, p.error) for p in outcome.problems] == [
        ("site", "ftp://files.example.com/layoffs.txt", "scheme ftp refused"),
        ("wrong", http_server.url("/feed.xml"), "not a sitemap: the document is a <rss>"),
    ]
