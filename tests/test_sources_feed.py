"""`feed` sources: RSS and Atom served over real HTTP on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fetch_server import FetchTestServer, Reply, http_server, run_sources  # noqa: F401


pytestmark = pytest.mark.timeout(30)

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml"

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Business desk</title><link>https://news.example.com/</link>
  <item>
    <title>Acme cuts 500 jobs in its cloud unit</title>
    <link>https://news.example.com/2024/07/acme-cuts-500-jobs?utm_source=rss&amp;utm_medium=feed</link>
    <description>&lt;p&gt;The &lt;b&gt;cloud&lt;/b&gt; division is hit hardest.&lt;/p&gt;</description>
    <pubDate>Tue, 02 Jul 2024 10:30:00 GMT</pubDate>
  </item>
  <item>
    <title>Acme cuts 500 jobs in its cloud unit (updated)</title>
    <link>https://news.example.com/2024/07/acme-cuts-500-jobs?fbclid=abc#comments</link>
  </item>
  <item>
    <title>Globex to lay off 1,200 workers</title>
    <link>/2024/07/globex-lay-off</link>
  </item>
  <item><title>Layoffs archive on FTP</title><link>ftp://files.example.com/layoffs.txt</link></item>
  <item><title>Layoffs on disk</title><link>file:///etc/passwd</link></item>
  <item><title>Layoffs script</title><link>javascript:alert(1)</link></item>
</channel></rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Tech wire</title>
  <id>urn:example:wire</id>
  <updated>2024-07-03T08:00:00Z</updated>
  <entry>
    <title type="html">Initech &amp;amp; partners: 300 roles eliminated</title>
    <link rel="alternate" href="https://wire.example.org/initech-roles?ref=homepage"/>
    <id>urn:example:1</id>
    <updated>2024-07-03T08:00:00Z</updated>
    <summary>Initech said it would eliminate 300 roles in its hardware group.</summary>
  </entry>
  <entry>
    <title>Hooli restructuring hits search</title>
    <link rel="alternate" href="https://wire.example.org/hooli"/>
    <id>urn:example:2</id>
    <updated>2024-07-02T18:00:00+02:00</updated>
  </entry>
</feed>
"""


def feed_source(url: str, extra: str = "") -> str:
    return f"sources:\n  - name: desk\n    kind: feed\n    url: {url}\n{extra}"


def test_rss_entries_become_pages_with_titles_normalised_urls_and_no_duplicates(http_server: FetchTestServer, tmp_path):
    http_server.add("/rss.xml", Reply(body=RSS_FEED.encode(), content_type=RSS))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/rss.xml"), "    keywords: []\n"))
    pages = {page.url: page for page in outcome.pages}
    assert list(pages) == [
        "https://news.example.com/2024/07/acme-cuts-500-jobs",
        f"http://127.0.0.1:{http_server.port}/2024/07/globex-lay-off",  # relative links resolve against the feed
    ]
    first = pages["https://news.example.com/2024/07/acme-cuts-500-jobs"]
    assert first.title == "Acme cuts 500 jobs in its cloud unit"  # the first of the two duplicates wins
    assert first.summary == "The cloud division is hit hardest."
    assert first.published == datetime(2024, 7, 2, 10, 30, tzinfo=UTC)
    assert (first.source_name, first.source_kind, first.local_path) == ("desk", "feed", None)
    assert pages[f"http://127.0.0.1:{http_server.port}/2024/07/globex-lay-off"].title == "Globex to lay off 1,200 workers"
    assert outcome.duplicates == 1
    assert http_server.hits("/rss.xml") == 1


def test_links_that_are_not_http_are_refused_and_recorded(http_server: FetchTestServer, tmp_path):
    http_server.add("/rss.xml", Reply(body=RSS_FEED.encode(), content_type=RSS))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/rss.xml")))
    refused = {(problem.location, problem.error) for problem in outcome.problems}
    assert ("ftp://files.example.com/layoffs.txt", "scheme ftp refused") in refused
    assert ("javascript:alert(1)", "scheme javascript refused") in refused
    assert any(location.startswith("file:") and error == "scheme file refused" for location, error in refused)
    assert len(outcome.problems) == 3
    assert all(problem.source_name == "desk" for problem in outcome.problems)
    assert not any(page.url.startswith(("ftp:", "file:", "javascript:")) for page in outcome.pages)


def test_atom_entries_use_the_alternate_link_and_plain_text_titles(http_server: FetchTestServer, tmp_path):
    http_server.add("/atom", Reply(body=ATOM_FEED.encode(), content_type=ATOM))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/atom")))
    assert outcome.problems == []
    assert [(page.url, page.title) for page in outcome.pages] == [
        ("https://wire.example.org/initech-roles", "Initech & partners: 300 roles eliminated"),
        ("https://wire.example.org/hooli", "Hooli restructuring hits search"),
    ]
    assert outcome.pages[1].published == datetime(2024, 7, 2, 16, 0, tzinfo=UTC)


def test_keyword_filter_keeps_job_cuts_and_skips_the_rest(http_server: FetchTestServer, tmp_path):
    feed = """<rss version="2.0"><channel><title>t</title>
      <item><title>Acme cuts 500 jobs</title><link>https://news.example.com/a1</link></item>
      <item><title>Acme opens new store in Leeds</title><link>https://news.example.com/a2</link></item>
      <item><title>Quarterly results</title><link>https://news.example.com/a3</link>
        <description>Globex said about 1,800 roles would be eliminated.</description></item>
      <item><title>Inside the retailer</title><link>https://news.example.com/2024/retailer-layoffs-hit-stores</link></item>
    </channel></rss>"""
    http_server.add("/rss.xml", Reply(body=feed.encode(), content_type="text/xml"))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/rss.xml")))
    assert [page.url for page in outcome.pages] == [
        "https://news.example.com/a1",
        "https://news.example.com/a3",  # matched on the summary
        "https://news.example.com/2024/retailer-layoffs-hit-stores",  # matched on the URL slug
    ]
    assert outcome.skipped == {"desk": 1}
    assert outcome.problems == []

    custom = run_sources(tmp_path, feed_source(http_server.url("/rss.xml"), "    keywords: [new store]\n"))
    assert [page.url for page in custom.pages] == ["https://news.example.com/a2"]
    assert custom.skipped == {"desk": 3}

    unfiltered = run_sources(tmp_path, feed_source(http_server.url("/rss.xml"), "    keywords: []\n"))
    assert len(unfiltered.pages) == 4 and unfiltered.skipped == {}


def test_the_feed_fetch_obeys_robots_txt(http_server: FetchTestServer, tmp_path):
    http_server.robots("User-agent: *\nDisallow: /private/\n")
    http_server.add("/private/rss.xml", Reply(body=RSS_FEED.encode(), content_type=RSS))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/private/rss.xml")))
    assert outcome.pages == []
    assert [(p.location, p.error) for p in outcome.problems] == [
        (http_server.url("/private/rss.xml"), "refused: robots.txt disallows")
    ]
    assert http_server.hits("/private/rss.xml") == 0


def test_the_private_address_guard_applies_unless_the_fetch_block_allows_it(http_server: FetchTestServer, tmp_path):
    http_server.add("/rss.xml", Reply(body=RSS_FEED.encode(), content_type=RSS))
    outcome = run_sources(
        tmp_path, feed_source(http_server.url("/rss.xml")), fetch_block="fetch:\n  per_host_delay_s: 0\n  retries: 0\n"
    )
    assert outcome.pages == []
    assert [(p.location, p.error) for p in outcome.problems] == [
        (http_server.url("/rss.xml"), "refused: loopback address 127.0.0.1 refused")
    ]
    assert http_server.hits("/rss.xml") == 0


def test_a_feed_body_naming_a_local_file_is_parsed_as_text_not_opened(http_server: FetchTestServer, tmp_path):
    local = tmp_path / "secret.xml"
    local.write_text(RSS_FEED, encoding="utf-8")
    http_server.add("/rss.xml", Reply(body=str(local).encode(), content_type="text/plain"))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/rss.xml")))
    assert outcome.pages == []
    assert [p.error.split(":")[0] for p in outcome.problems] == ["not a readable feed"]


def test_a_feed_that_declares_entities_is_refused_quickly(http_server: FetchTestServer, tmp_path):
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><item><title>&j; layoffs</title><link>https://news.example.com/x</link></item></channel></rss>'
    http_server.add("/rss.xml", Reply(body=bomb.encode(), content_type=RSS))
    outcome = run_sources(tmp_path, feed_source(http_server.url("/rss.xml")))
    assert outcome.pages == []
    assert [p.error for p in outcome.problems] == ["refused: the feed declares XML entities"]


def test_a_missing_feed_is_a_problem_and_other_sources_still_run(http_server: FetchTestServer, tmp_path):
    http_server.add("/atom", Reply(body=ATOM_FEED.encode(), content_type=ATOM))
    sources = f"""sources:
  - {{name: gone, kind: feed, url: "{http_server.url('/missing.xml')}"}}
  - {{name: wire, kind: feed, url: "{http_server.url('/atom')}"}}
"""
    outcome = run_sources(tmp_path, sources)
    assert [(p.source_name, p.error) for p in outcome.problems] == [("gone", "HTTP 404")]
    assert [page.source_name for page in outcome.pages] == ["wire", "wire"]
    pages, problems = outcome  # callers that unpack two values keep working
    assert pages is outcome.pages and problems is outcome.problems
