"""Byte caps (plain and compressed), content types, empty bodies and redirects."""

from __future__ import annotations

import functools
import gzip
import resource
import tracemalloc
import zlib

import pytest
from fetch_server import FetchTestServer, Reply, fast_settings, fetch_all, http_server  # noqa: F401

import pipelines.fetch.netguard as netguard
from pipelines.fetch.decompress import CorruptBody, decoder_for

pytestmark = pytest.mark.timeout(60)

MB = 1_000_000


def only(results: dict) -> object:
    [result] = results.values()
    return result


@functools.lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """~1 MB of gzip that inflates to 1 GiB of HTML-ish text."""
    engine = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"a" * (1 << 20)
    parts = [engine.compress(b"<html><body><p>")]
    parts += [engine.compress(block) for _ in range(1024)]
    parts.append(engine.flush())
    return b"".join(parts)


def in_chunks(data: bytes, size: int = 64 * 1024):
    return lambda: (data[i : i + size] for i in range(0, len(data), size))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def test_huge_page_is_cut_at_max_bytes(http_server: FetchTestServer) -> None:
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
    http_server.add("/huge", Reply(body=lambda: (chunk for _ in range(60 * MB // len(chunk)))))
    result = only(fetch_all(fast_settings(max_bytes=5 * MB), [http_server.url("/huge")]))
    assert (result.outcome, result.status, result.truncated, result.bytes_read) == ("ok", 200, True, 5 * MB)
    assert len(result.html) == 5 * MB
    assert result.html.startswith("<p>xxx")


def test_gzip_bomb_is_cut_with_bounded_memory(http_server: FetchTestServer) -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 1.2 * MB
    http_server.add(
        "/bomb",
        Reply(body=in_chunks(bomb), headers={"Content-Encoding": "gzip", "Content-Length": str(len(bomb))}),
    )
    rss_before = peak_rss_mb()
    tracemalloc.start()
    try:
        result = only(fetch_all(fast_settings(max_bytes=5 * MB), [http_server.url("/bomb")]))
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = peak_rss_mb() - rss_before

    assert (result.outcome, result.truncated, result.bytes_read) == ("ok", True, 5 * MB)
    assert result.html.startswith("<html><body><p>aaaa")
    # The decoded page itself is ~5 MB as bytes plus ~5 MB as str, held a
    # few times over; 1 GiB must never be materialised.
    assert traced_peak < 64 * MB, traced_peak
    assert rss_growth < 200, rss_growth


def test_body_of_exactly_max_bytes_is_not_truncated(http_server: FetchTestServer) -> None:
    http_server.add("/exact", Reply(body=b"<p>" + b"y" * 993 + b"</p>"))  # 1000 bytes
    http_server.add("/over", Reply(body=b"<p>" + b"y" * 994 + b"</p>"))  # 1001 bytes
    results = fetch_all(fast_settings(max_bytes=1000), [http_server.url("/exact"), http_server.url("/over")])
    exact, over = results[http_server.url("/exact")], results[http_server.url("/over")]
    assert (exact.truncated, exact.bytes_read) == (False, 1000)
    assert (over.truncated, over.bytes_read) == (True, 1000)


def test_truncation_inside_a_multibyte_character_keeps_the_text(http_server: FetchTestServer) -> None:
    body = ("<p>" + "é" * 100 + "</p>").encode("utf-8")  # 2 bytes per é
    http_server.add("/utf8", Reply(body=body))
    result = only(fetch_all(fast_settings(max_bytes=10), [http_server.url("/utf8")]))
    # 10 bytes = "<p>" + 3 full "é" + half of the 4th, which is dropped.
    assert (result.outcome, result.truncated, result.charset) == ("ok", True, "utf-8")
    assert result.html == "<p>ééé"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as IIS sends
    ],
)
def test_compressed_pages_are_decoded(http_server: FetchTestServer, encoding: str, compress) -> None:
    page = ("<html><body>" + "Acme cuts 1,200 jobs. " * 500 + "</body></html>").encode()
    http_server.add("/z", Reply(body=compress(page), headers={"Content-Encoding": encoding}))
    result = only(fetch_all(fast_settings(), [http_server.url("/z")]))
    assert (result.outcome, result.truncated, result.bytes_read) == ("ok", False, len(page))
    assert result.html == page.decode()
    assert http_server.requests_to("/z")[0].headers["accept-encoding"] == "gzip, deflate"


def test_unknown_content_encoding_is_an_error(http_server: FetchTestServer) -> None:
    http_server.add("/br", Reply(body=b"\x1b\x00\x00", headers={"Content-Encoding": "br"}))
    result = only(fetch_all(fast_settings(), [http_server.url("/br")]))
    assert (result.outcome, result.error, result.status) == ("error", "unsupported content-encoding br", 200)


def test_decoder_handles_multi_member_gzip_and_trailing_junk() -> None:
    data = gzip.compress(b"<p>one</p>") + gzip.compress(b"<p>two</p>") + b"\x00\x00\x00"
    assert decoder_for("gzip").decode(data, 1000) == b"<p>one</p><p>two</p>"
    with pytest.raises(CorruptBody):
        decoder_for("gzip").decode(b"definitely not gzip", 1000)


@pytest.mark.parametrize(
    ("content_type", "reason"),
    [
        ("application/pdf", "non-HTML content-type application/pdf"),
        ("image/png", "non-HTML content-type image/png"),
        ("application/json; charset=utf-8", "non-HTML content-type application/json"),
        ("text/plain", "non-HTML content-type text/plain"),
    ],
)
def test_non_html_is_skipped_without_reading_the_body(
    http_server: FetchTestServer, content_type: str, reason: str
) -> None:
    http_server.add("/doc", Reply(body=b"%PDF-1.7" + b"\x00" * 100_000, content_type=content_type))
    result = only(fetch_all(fast_settings(), [http_server.url("/doc")]))
    assert (result.outcome, result.error, result.status) == ("skipped", reason, 200)
    assert (result.content_type, result.bytes_read, result.html, result.attempts) == (content_type, 0, None, 1)


def test_xhtml_is_accepted(http_server: FetchTestServer) -> None:
    http_server.add("/x", Reply(body=b"<html xmlns='http://www.w3.org/1999/xhtml'>x</html>", content_type="application/xhtml+xml"))
    assert only(fetch_all(fast_settings(), [http_server.url("/x")])).outcome == "ok"


def test_missing_content_type_is_sniffed(http_server: FetchTestServer) -> None:
    http_server.add("/html", Reply(body=b"\n  <!doctype html><html>hi</html>", content_type=None))
    http_server.add("/blob", Reply(body=b"%PDF-1.4 binary stuff", content_type=None))
    results = fetch_all(fast_settings(), [http_server.url("/html"), http_server.url("/blob")])
    assert results[http_server.url("/html")].outcome == "ok"
    blob = results[http_server.url("/blob")]
    assert (blob.outcome, blob.error) == ("skipped", "no content-type and body is not HTML")


@pytest.mark.parametrize(("status", "body"), [(200, b""), (200, b"  \r\n\t "), (204, b"")])
def test_empty_body_is_skipped(http_server: FetchTestServer, status: int, body: bytes) -> None:
    http_server.add("/empty", Reply(status=status, body=body))
    result = only(fetch_all(fast_settings(), [http_server.url("/empty")]))
    assert (result.outcome, result.error, result.status, result.html) == ("skipped", "empty body", status, None)


def test_redirect_chain_is_followed(http_server: FetchTestServer) -> None:
    http_server.add("/old", Reply(status=301, headers={"Location": http_server.url("/mid")}))
    http_server.add("/mid", Reply(status=302, headers={"Location": "news/../article?id=7#frag"}))
    http_server.html("/article", "<html>article 7</html>")
    result = only(fetch_all(fast_settings(), [http_server.url("/old")]))
    assert (result.outcome, result.status, result.attempts) == ("ok", 200, 1)
    assert result.url == http_server.url("/old")
    assert result.final_url == http_server.url("/article?id=7")
    assert [r.target for r in http_server.seen if r.path != "/robots.txt"] == ["/old", "/mid", "/article?id=7"]


def test_redirect_loop_stops(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=302, headers={"Location": "/b"}))
    http_server.add("/b", Reply(status=302, headers={"Location": "/a"}))
    result = only(fetch_all(fast_settings(max_redirects=5), [http_server.url("/a")]))
    assert (result.outcome, result.error, result.status) == ("error", "too many redirects", 302)
    # The first request plus five followed hops.
    assert http_server.hits("/a") + http_server.hits("/b") == 6


def test_redirect_without_location_is_an_error(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=302))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.error) == ("error", "HTTP 302 redirect without Location")


def test_redirect_to_other_scheme_is_refused(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(status=302, headers={"Location": "ftp://files.example.com/cuts.pdf"}))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.error, result.status) == ("skipped", "scheme ftp refused", 302)
    assert result.final_url == "ftp://files.example.com/cuts.pdf"


def test_redirect_into_robots_disallowed_path_is_refused(http_server: FetchTestServer) -> None:
    http_server.robots("User-agent: *\nDisallow: /members/\n")
    http_server.add("/a", Reply(status=302, headers={"Location": "/members/only"}))
    http_server.html("/members/only", "<html>secret</html>")
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.error) == ("skipped", "robots.txt disallows")
    assert http_server.hits("/members/only") == 0


def test_redirect_to_private_address_is_refused(http_server: FetchTestServer, monkeypatch) -> None:
    # Let the test server (loopback) through but keep every other check, so
    # the redirect target is judged exactly as a real public page's would be.
    real = netguard.blocked_kind
    monkeypatch.setattr(netguard, "blocked_kind", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    http_server.add("/a", Reply(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    http_server.add("/b", Reply(status=302, headers={"Location": "http://10.0.0.1/admin"}))
    results = fetch_all(
        fast_settings(allow_private_networks=False), [http_server.url("/a"), http_server.url("/b")]
    )
    a, b = results[http_server.url("/a")], results[http_server.url("/b")]
    assert (a.outcome, a.error) == ("skipped", "link-local address 169.254.169.254 refused")
    assert (b.outcome, b.error, b.final_url) == ("skipped", "private address 10.0.0.1 refused", "http://10.0.0.1/admin")
