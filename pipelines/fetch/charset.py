"""Turn page bytes into text: BOM, then HTTP header, then <meta>, then detection.

Getting this wrong silently mangles names ("SociÃ©tÃ© GÃ©nÃ©rale"), which
would then fail to match company lists downstream, so each declared charset
is tried strictly and only a clean decode is accepted.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# How far into the page to look for <meta charset>. The HTML spec says 1024
# bytes, but real pages often bury the tag under scripts and comments.
META_SCAN_BYTES = 8192
# Detection samples the page anyway; feeding it megabytes only costs time.
DETECTION_SAMPLE_BYTES = 256 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")

# Browsers read these labels as windows-1252, and pages labelled with them
# are in practice written in it (curly quotes, euro signs in 0x80-0x9F).
_WINDOWS_1252_ALIASES = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819", "ibm819"}
)


def codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for a charset label, or None if unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    if cleaned in _WINDOWS_1252_ALIASES:
        cleaned = "windows-1252"
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        return None


def meta_charset(data: bytes) -> str | None:
    head = data[:META_SCAN_BYTES]
    match = _XML_ENCODING_RE.search(head) or _META_CHARSET_RE.search(head)
    if not match:
        return None
    name = codec_name(match.group(1).decode("ascii", "replace"))
    if name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"):
        # If we could read the tag as ASCII the page is not UTF-16; the HTML
        # spec says to take this as UTF-8.
        return "utf-8"
    return name


def decode_html(data: bytes, header_charset: str | None, truncated: bool = False) -> tuple[str, str]:
    """Decoded text and the codec name used."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], name, truncated, errors="replace"), name

    for name in (codec_name(header_charset), meta_charset(data)):
        if name is None:
            continue
        text = _try_strict(data, name, truncated)
        if text is not None:
            return text, name

    text = _try_strict(data, "utf-8", truncated)
    if text is not None:
        return text, "utf-8"

    guess = charset_normalizer.from_bytes(data[:DETECTION_SAMPLE_BYTES]).best()
    name = codec_name(guess.encoding) if guess is not None else None
    name = name or "windows-1252"
    return _decode(data, name, truncated, errors="replace"), name


def _try_strict(data: bytes, name: str, truncated: bool) -> str | None:
    try:
        return _decode(data, name, truncated, errors="strict")
    except (UnicodeDecodeError, LookupError):
        return None


def _decode(data: bytes, name: str, truncated: bool, errors: str) -> str:
    # A body cut at max_bytes may end inside a multi-byte character; decoding
    # incrementally without "final" drops that stub instead of failing on it.
    decoder = codecs.getincrementaldecoder(name)(errors=errors)
    return decoder.decode(data, final=not truncated)
