"""When to try a request again, and how long to wait first."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

# Failures where the same request may well succeed a moment later. Timeouts
# count: a busy server often answers the second time. Malformed URLs and
# unsupported schemes (also httpx.TransportError subclasses) never improve.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def is_retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def backoff_s(retry_number: int, base_s: float) -> float:
    """Wait before retry number ``retry_number`` (1 for the first retry)."""
    return base_s * (2 ** (retry_number - 1))


def retry_after_s(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header, in either of its two forms.

    Returns None when the header is absent or unreadable, so the caller falls
    back to its own backoff.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        # HTTP dates are always GMT; some servers omit the zone.
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def wait_before_retry(
    retry_number: int,
    retry_after_header: str | None,
    *,
    base_s: float,
    cap_s: float,
) -> float:
    asked = retry_after_s(retry_after_header)
    wait = asked if asked is not None else backoff_s(retry_number, base_s)
    return min(wait, cap_s)
