"""URL normalisation, the scheme gate, dedupe and the non-public address guard."""

from __future__ import annotations

import ipaddress

import pytest
from fetch_server import FetchTestServer, fast_settings, fetch_all, http_server  # noqa: F401
from hypothesis import given
from hypothesis import strategies as st

from pipelines.fetch import PoliteFetcher, is_fetchable_url, normalize_url
from pipelines.fetch.netguard import AddressRefused, blocked_kind, check_host

pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://www.Example.COM/news/cuts.html?utm_source=feed&utm_medium=rss&id=42#comments",
            "https://www.example.com/news/cuts.html?id=42",
        ),
        (
            "http://example.com/a?fbclid=x&gclid=y&mc_cid=1&mc_eid=2&ref=hn&cmpid=rss&page=2",
            "http://example.com/a?page=2",
        ),
        ("HTTP://EXAMPLE.com:80/", "http://example.com/"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("http://example.com", "http://example.com/"),
        ("  https://example.com/a/./b/../c  ", "https://example.com/a/c"),
        ("https://example.com/x?b=2&a=1", "https://example.com/x?a=1&b=2"),
        ("http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_tracking_variants_collapse_to_one_key() -> None:
    variants = [
        "https://news.example.com/2024/acme-cuts-500-jobs",
        "https://news.example.com/2024/acme-cuts-500-jobs#top",
        "https://NEWS.example.com/2024/acme-cuts-500-jobs?utm_source=twitter&utm_campaign=x",
        "https://news.example.com/2024/acme-cuts-500-jobs?fbclid=IwAR0abc",
    ]
    assert len({normalize_url(v) for v in variants}) == 1


@given(
    host=st.from_regex(r"[a-z][a-z0-9]{0,10}\.(com|org|de)", fullmatch=True),
    segments=st.lists(st.from_regex(r"[A-Za-z0-9_\-]{1,8}", fullmatch=True), max_size=4),
    params=st.dictionaries(
        st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True), max_size=3
    ),
    fragment=st.from_regex(r"[a-z0-9]{0,5}", fullmatch=True),
)
def test_normalize_is_idempotent_and_drops_fragment(
    host: str, segments: list[str], params: dict[str, str], fragment: str
) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"https://{host}/{'/'.join(segments)}" + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert "#" not in once
    assert is_fetchable_url(once) == (True, None)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/report.pdf", "scheme ftp refused"),
        ("file:///etc/passwd", "scheme file refused"),
        ("javascript:alert(1)", "scheme javascript refused"),
        ("mailto:press@example.com", "scheme mailto refused"),
        ("", "empty URL"),
        ("example.com/no-scheme", "missing scheme"),
        ("http:///path-only", "missing host"),
    ],
)
def test_is_fetchable_url_refusals(url: str, reason: str) -> None:
    assert is_fetchable_url(url) == (False, reason)


def test_is_fetchable_url_accepts_http_and_https() -> None:
    assert is_fetchable_url("http://example.com/a") == (True, None)
    assert is_fetchable_url("HTTPS://example.com/a") == (True, None)


def test_refused_urls_keep_their_text_for_reports() -> None:
    assert normalize_url(" javascript:alert(1) ") == "javascript:alert(1)"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::ffff:10.0.0.1", "private"),
        ("fd00::1", "private"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_blocked_kind(address: str, kind: str | None) -> None:
    assert blocked_kind(ipaddress.ip_address(address)) == kind


def test_check_host_refuses_literal_and_resolved_names() -> None:
    with pytest.raises(AddressRefused, match=r"^private address 10\.0\.0\.1 refused$"):
        check_host("10.0.0.1", 80)
    with pytest.raises(AddressRefused, match=r"^loopback address (127\.0\.0\.1|::1) refused$"):
        check_host("localhost", 80)
    with pytest.raises(AddressRefused, match=r"^loopback address ::1 refused$"):
        check_host("[::1]", 80)


def test_private_addresses_refused_without_sending_anything(http_server: FetchTestServer) -> None:
    http_server.html("/a", "<html>hello</html>")
    settings = fast_settings(allow_private_networks=False)
    results = fetch_all(
        settings,
        ["http://10.0.0.1/internal", "http://169.254.169.254/latest/meta-data/", http_server.url("/a"),
         http_server.url("/a", host="localhost")],
    )
    assert results["http://10.0.0.1/internal"].outcome == "skipped"
    assert results["http://10.0.0.1/internal"].error == "private address 10.0.0.1 refused"
    assert results["http://169.254.169.254/latest/meta-data/"].error == "link-local address 169.254.169.254 refused"
    assert results[http_server.url("/a")].error == "loopback address 127.0.0.1 refused"
    assert results[http_server.url("/a", host="localhost")].error.startswith("loopback address")
    assert all(r.attempts == 0 and r.status is None for r in results.values())
    assert http_server.seen == []


def test_duplicates_are_fetched_once(http_server: FetchTestServer) -> None:
    http_server.html("/article", "<html><body>Acme cuts 500 jobs</body></html>")
    base = http_server.url("/article")
    urls = [base, base + "?utm_source=rss&utm_medium=feed", base + "#comments", base + "?fbclid=abc#x", " " + base + " "]
    with PoliteFetcher(fast_settings()) as fetcher:
        results = list(fetcher.fetch_many(urls))
    assert [r.url for r in results] == [base]
    assert results[0].outcome == "ok"
    assert http_server.hits("/article") == 1


def test_fetch_many_never_raises_on_junk_input(http_server: FetchTestServer) -> None:
    junk = ["", "   ", "not a url", "ftp://example.com/x", "http://", "javascript:void(0)", "http://[::1", "https://exa mple.com:99999/"]
    with PoliteFetcher(fast_settings()) as fetcher:
        results = list(fetcher.fetch_many(junk))
    assert results, "every distinct input gets a result"
    assert all(r.outcome in ("skipped", "error") for r in results)
    assert all(r.error for r in results)
    assert {r.error for r in results} >= {"empty URL", "missing scheme", "scheme ftp refused", "scheme javascript refused"}
