"""Charset order (BOM, header, <meta>, detection) and malformed HTML passing through."""

from __future__ import annotations

import hashlib

import pytest
from fetch_server import FetchTestServer, Reply, fast_settings, fetch_all, http_server  # noqa: F401

from pipelines.fetch.charset import codec_name, decode_html, meta_charset

pytestmark = pytest.mark.timeout(30)

NAMES = "Société Générale et Nestlé suppriment 1 200 postes à Zürich"


def only(results: dict) -> object:
    [result] = results.values()
    return result


def page(head: str = "") -> str:
    return f"<html><head>{head}<title>Plan social</title></head><body><p>{NAMES}</p></body></html>"


def test_header_charset_windows_1252(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(body=page().encode("windows-1252"), content_type="text/html; charset=windows-1252"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.charset) == ("ok", "cp1252")
    assert NAMES in result.html
    assert result.content_sha256 == hashlib.sha256(result.html.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        "<META CHARSET=windows-1252>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        '<meta content="text/html; charset=iso-8859-1" http-equiv="content-type">',
    ],
)
def test_meta_charset_when_header_has_none(http_server: FetchTestServer, meta: str) -> None:
    http_server.add("/a", Reply(body=page(meta).encode("windows-1252"), content_type="text/html"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.charset) == ("ok", "cp1252")
    assert "Société Générale" in result.html and "Nestlé" in result.html


def test_header_beats_meta(http_server: FetchTestServer) -> None:
    body = page('<meta charset="windows-1252">').encode("utf-8")
    http_server.add("/a", Reply(body=body, content_type="text/html; charset=utf-8"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert result.charset == "utf-8"
    assert NAMES in result.html


def test_unknown_header_label_falls_back_to_meta(http_server: FetchTestServer) -> None:
    body = page('<meta charset="windows-1252">').encode("windows-1252")
    http_server.add("/a", Reply(body=body, content_type="text/html; charset=no-such-charset"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert result.charset == "cp1252"
    assert NAMES in result.html


def test_wrong_header_label_falls_back_when_bytes_do_not_fit(http_server: FetchTestServer) -> None:
    # Declared UTF-8, actually windows-1252: a strict UTF-8 decode fails, so
    # the <meta> tag gets its turn instead of the page turning into U+FFFD.
    body = page('<meta charset="windows-1252">').encode("windows-1252")
    http_server.add("/a", Reply(body=body, content_type="text/html; charset=utf-8"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert result.charset == "cp1252"
    assert NAMES in result.html


def test_undeclared_utf8_is_detected(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(body=page().encode("utf-8"), content_type="text/html"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert result.charset == "utf-8"
    assert NAMES in result.html


def test_undeclared_legacy_encoding_is_detected(http_server: FetchTestServer) -> None:
    text = (
        "<html><body><p>La société française annonce la suppression de 1 200 postes. "
        "Les salariés concernés seront accompagnés, précise la direction générale. "
        "Le comité d'entreprise a été informé mercredi; les négociations débuteront en février.</p></body></html>"
    )
    http_server.add("/a", Reply(body=text.encode("windows-1252"), content_type="text/html"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert result.outcome == "ok"
    assert "La société française" in result.html
    assert "négociations débuteront en février" in result.html


def test_utf16_page_with_bom(http_server: FetchTestServer) -> None:
    http_server.add("/a", Reply(body=page().encode("utf-16"), content_type="text/html"))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert result.charset in ("utf-16-le", "utf-16-be")
    assert NAMES in result.html


def test_malformed_html_is_returned_as_is(http_server: FetchTestServer) -> None:
    broken = "<html><body><div><p>Acme cuts <b>300 jobs</i></div></td><p>unclosed <a href='x>link</html><<<"
    http_server.add("/a", Reply(body=broken.encode("utf-8")))
    result = only(fetch_all(fast_settings(), [http_server.url("/a")]))
    assert (result.outcome, result.html) == ("ok", broken)


# -- the decoding functions on their own -----------------------------------------


def test_codec_name() -> None:
    assert codec_name("Windows-1252") == "cp1252"
    assert codec_name('"ISO-8859-1"') == "cp1252"  # as browsers read it
    assert codec_name("utf8") == "utf-8"
    assert codec_name("shift_jis") == "shift_jis"
    assert codec_name("nonsense") is None
    assert codec_name(None) is None


def test_meta_charset_sniffing() -> None:
    assert meta_charset(b'<html><head><meta charset="utf-8">') == "utf-8"
    assert meta_charset(b"<?xml version='1.0' encoding='ISO-8859-15'?><html>") == "iso8859-15"
    assert meta_charset(b'<meta charset="utf-16">') == "utf-8"  # readable as ASCII, so not UTF-16
    assert meta_charset(b"<html><body>no meta here</body></html>") is None
    assert meta_charset(b" " * 9000 + b'<meta charset="koi8-r">') is None  # beyond the scan window


def test_decode_html_order() -> None:
    latin = "Nestlé".encode("windows-1252")
    assert decode_html(latin, "windows-1252") == ("Nestlé", "cp1252")
    assert decode_html(b'<meta charset="windows-1252">' + latin, None)[0].endswith("Nestlé")
    assert decode_html(b"\xef\xbb\xbfNestl\xc3\xa9", "windows-1252") == ("Nestlé", "utf-8")  # BOM wins
    assert decode_html("Nestlé".encode("utf-8"), None) == ("Nestlé", "utf-8")


def test_decode_html_drops_a_cut_character_only_when_truncated() -> None:
    cut = "Générale".encode("utf-8")[:-1] + b"\xc3"
    text, name = decode_html(cut, "utf-8", truncated=True)
    assert (text, name) == ("Général", "utf-8")
