"""The record the fetcher hands back for every URL it was given."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

OK = "ok"
# The fetcher chose not to download: robots.txt, scheme, non-public address,
# non-HTML content, empty body. Retrying later will not change the answer.
SKIPPED = "skipped"
# The download was attempted and failed: timeouts, HTTP errors, redirect loops.
ERROR = "error"


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str | None
    outcome: str
    status: int | None
    content_type: str | None
    charset: str | None
    html: str | None
    content_sha256: str | None
    # Decompressed bytes kept; equals max_bytes when truncated.
    bytes_read: int
    truncated: bool
    # 1 + the number of retries spent; 0 when no request was sent.
    # Redirect hops are not attempts.
    attempts: int
    elapsed_s: float
    error: str | None
    fetched_at: datetime
    # `html` encoded as UTF-8, as it is hashed and stored; kept so it is encoded only once.
    html_utf8: bytes | None = None

    @staticmethod
    def encode(html: str | None) -> tuple[bytes | None, str | None]:
        """The page as stored (UTF-8) and its SHA-256, both from a single encoding."""
        if html is None:
            return None, None
        utf8 = html.encode("utf-8")
        return utf8, hashlib.sha256(utf8).hexdigest()
