"""The words of each notice: a failed run, health warnings, warnings cleared."""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta

from pipelines.monitoring.health import HealthWarning
from pipelines.monitoring.notify import Notice

MAX_LISTED_WARNINGS = 30
RENOTIFY_AFTER = timedelta(hours=24)  # the same warnings again, once a day, until they clear


def run_failure_notice(
    *, job: str, run_id: str | None, day: str | None, detail: str, ui_url: str | None = None, will_retry: bool = False
) -> Notice:
    where = f" for {day}" if day else ""
    lines = [
        f"The {job} run{where} failed on {socket.gethostname()}.",
        f"Run: {run_id or '(not recorded)'}",
        f"Why: {detail.strip() or 'no error message'}",
    ]
    if will_retry:
        lines.append("Dagster will run it again (run_retries in dagster.yaml); a second failure is sent too.")
    if ui_url and run_id:
        lines.append(f"Logs: {ui_url}/runs/{run_id}")
    lines.append("The published warehouse was left as it was. `uv run layoffs status` shows the last runs and each source's health.")
    return Notice("run_failure", f"{job} failed{where}", "\n".join(lines))


def health_notice(warnings: Sequence[HealthWarning], where: str | None = None) -> Notice:
    count = len(warnings)
    shown = [f"- {warning.message}" for warning in warnings[:MAX_LISTED_WARNINGS]]
    if count > MAX_LISTED_WARNINGS:
        shown.append(f"- … and {count - MAX_LISTED_WARNINGS} more")
    origin = f" ({where})" if where else ""
    body = "\n".join(
        [f"The pipeline on {socket.gethostname()} has {count} health warning(s){origin}:", *shown, "",
         "`uv run layoffs status` shows each source's health; thresholds are in sources.yml (health:)."]
    )
    return Notice("health_warnings", f"{count} health warning{'s' if count != 1 else ''}", body)


def health_cleared_notice() -> Notice:
    return Notice(
        "health_warnings",
        "health warnings cleared",
        f"The pipeline on {socket.gethostname()} has no health warnings any more.",
    )


def health_notice_due(previous: dict, warnings: Sequence[HealthWarning], now: datetime) -> tuple[Notice | None, dict]:
    """Whether to send health warnings now, and the state to keep for next time.

    Sent when the set of warnings (which warning, about what) differs from the last one sent, again
    once a day while it lasts, and once more when it clears; a warning whose numbers only grew
    (9 days stale instead of 8) is the same warning. `previous` is what the last call returned.
    """
    if not warnings:
        if previous.get("digest"):
            return health_cleared_notice(), {}
        return None, previous
    digest = hashlib.sha256(
        json.dumps(sorted({(warning.code, warning.subject) for warning in warnings})).encode()
    ).hexdigest()[:16]
    last_sent = previous.get("sent_at")
    due = last_sent is None or now.timestamp() - float(last_sent) >= RENOTIFY_AFTER.total_seconds()
    if digest != previous.get("digest") or due:
        return health_notice(warnings), {"digest": digest, "sent_at": now.timestamp()}
    return None, previous
