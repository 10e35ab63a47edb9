"""Decide from the Content-Type whether a response is worth downloading."""

from __future__ import annotations

from email.message import Message

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    """(media type in lower case, charset parameter) from a Content-Type value."""
    if not header or not header.strip():
        return None, None
    message = Message()
    message["content-type"] = header
    media_type = header.split(";", 1)[0].strip().lower() or None
    charset = message.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form, seen only from odd servers
        charset = charset[2]
    return media_type, (str(charset).strip() or None) if charset else None


def refusal_for(media_type: str | None) -> str | None:
    """Reason to skip the body, or None to read it.

    A missing Content-Type is let through; the body is sniffed afterwards.
    """
    if media_type is None or media_type in HTML_TYPES:
        return None
    return f"non-HTML content-type {media_type}"


def looks_like_markup(text: str) -> bool:
    """For responses without a Content-Type: HTML starts with a tag or comment."""
    return text.lstrip("\ufeff \t\r\n").startswith("<")
