"""The `health:` and `notify:` blocks of sources.yml: thresholds for the health warnings, and where
warnings and failed runs are sent. Both are optional; `load_sources` checks them and says what to
fix (an unknown key is refused, not ignored: a misspelt threshold would silently do nothing)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# Kinds that are expected to list new pages all the time. Saved pages, URL lists and archives are
# one-off inputs that go quiet once read, so "no new article for N days" is not judged for them
# unless a per-source `stale_after_days` asks for it.
LIVE_KINDS = ("feed", "sitemap")

DEFAULT_STALE_AFTER_DAYS = 4  # a long weekend without layoff news is not a warning
DEFAULT_MAX_FAILURE_RATE = 0.5  # paywalls and bot walls answer 403 to some pages of most outlets
DEFAULT_WINDOW_DAYS = 7
DEFAULT_MIN_FETCHES = 10  # fewer attempts than this in the window: too few to judge a rate

NOTIFY_EVENTS = ("run_failure", "health_warnings")


@dataclass(frozen=True)
class SourceLimits:
    """The thresholds that apply to one source."""

    stale_after_days: int | None  # None: staleness is not judged for this source
    max_failure_rate: float


@dataclass(frozen=True)
class HealthSettings:
    stale_after_days: int | None = DEFAULT_STALE_AFTER_DAYS
    max_failure_rate: float = DEFAULT_MAX_FAILURE_RATE
    window_days: int = DEFAULT_WINDOW_DAYS
    min_fetches: int = DEFAULT_MIN_FETCHES
    # Per source name: overrides of stale_after_days and max_failure_rate.
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def limits_for(self, name: str, kind: str) -> SourceLimits:
        override = self.sources.get(name, {})
        if "stale_after_days" in override:
            stale = override["stale_after_days"]
        else:
            stale = self.stale_after_days if kind in LIVE_KINDS else None
        return SourceLimits(stale, override.get("max_failure_rate", self.max_failure_rate))

    @classmethod
    def from_mapping(cls, value: Any, source_names: Iterable[str] = ()) -> HealthSettings:
        """Raise ValueError naming the first setting that cannot work."""
        if value is None:
            return cls()
        if not isinstance(value, dict):
            raise ValueError(f"'health' must be a mapping of thresholds, got {value!r}")
        allowed = ("stale_after_days", "max_failure_rate", "window_days", "min_fetches", "sources")
        _refuse_unknown("health", value, allowed)
        stale = _days(value, "stale_after_days", DEFAULT_STALE_AFTER_DAYS, "health")
        rate = _rate(value, "max_failure_rate", DEFAULT_MAX_FAILURE_RATE, "health")
        window = _whole(value, "window_days", DEFAULT_WINDOW_DAYS, "health")
        min_fetches = _whole(value, "min_fetches", DEFAULT_MIN_FETCHES, "health")
        overrides = value.get("sources") or {}
        if not isinstance(overrides, dict):
            raise ValueError("'health.sources' must map source names to their own thresholds")
        known = set(source_names)
        checked: dict[str, dict[str, Any]] = {}
        for name, override in overrides.items():
            where = f"health.sources.{name}"
            if known and name not in known:
                raise ValueError(f"{where}: no source is named {name!r} (sources: {', '.join(sorted(known))})")
            if not isinstance(override, dict) or not override:
                raise ValueError(f"'{where}' must be a mapping with stale_after_days and/or max_failure_rate")
            _refuse_unknown(where, override, ("stale_after_days", "max_failure_rate"))
            checked[name] = {}
            if "stale_after_days" in override:
                checked[name]["stale_after_days"] = _days(override, "stale_after_days", None, where)
            if "max_failure_rate" in override:
                checked[name]["max_failure_rate"] = _rate(override, "max_failure_rate", None, where)
        return cls(stale, rate, window, min_fetches, checked)


@dataclass(frozen=True)
class WebhookSettings:
    url: str | None = None
    url_env: str | None = None  # read when sending, so a missing variable fails the notice, not the run
    timeout_s: float = 10.0

    def address(self) -> str:
        """The webhook's address; ValueError when it comes from an unset or invalid variable."""
        if self.url is not None:
            return self.url
        url = os.environ.get(self.url_env or "", "")
        if not url:
            raise ValueError(f"the environment variable {self.url_env} (notify.webhook.url_env) is not set")
        if not _is_http_url(url):
            raise ValueError(f"the environment variable {self.url_env} does not hold an http(s) URL")
        return url


@dataclass(frozen=True)
class EmailSettings:
    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str | None = None
    password_env: str | None = None
    timeout_s: float = 20.0
    subject_prefix: str = "[layoffs]"

    def password(self) -> str | None:
        return os.environ.get(self.password_env) if self.password_env else None


@dataclass(frozen=True)
class NotifySettings:
    webhook: WebhookSettings | None = None
    email: EmailSettings | None = None
    events: tuple[str, ...] = NOTIFY_EVENTS
    ui_url: str | None = None  # the Dagster UI, to link a failed run

    @property
    def configured(self) -> bool:
        return self.webhook is not None or self.email is not None

    def wants(self, event: str) -> bool:
        return self.configured and event in self.events

    @classmethod
    def from_mapping(cls, value: Any) -> NotifySettings:
        """Raise ValueError naming the first setting that cannot work."""
        if value is None:
            return cls()
        if not isinstance(value, dict):
            raise ValueError(f"'notify' must be a mapping with 'webhook' and/or 'email', got {value!r}")
        _refuse_unknown("notify", value, ("webhook", "email", "events", "ui_url"))
        webhook = _webhook(value["webhook"]) if value.get("webhook") is not None else None
        email = _email(value["email"]) if value.get("email") is not None else None
        if webhook is None and email is None:
            raise ValueError("'notify' needs a 'webhook' or an 'email' block (or leave 'notify' out)")
        events = value.get("events", list(NOTIFY_EVENTS))
        if not isinstance(events, list) or not events or any(event not in NOTIFY_EVENTS for event in events):
            raise ValueError(f"'notify.events' must be a non-empty list of {', '.join(NOTIFY_EVENTS)}, got {events!r}")
        ui_url = value.get("ui_url")
        if ui_url is not None and not _is_http_url(ui_url):
            raise ValueError(f"'notify.ui_url' must be an http(s) address such as http://dagster.internal:3000, got {ui_url!r}")
        return cls(webhook, email, tuple(events), ui_url.rstrip("/") if ui_url else None)


def _webhook(value: Any) -> WebhookSettings:
    if not isinstance(value, dict):
        raise ValueError("'notify.webhook' must be a mapping with 'url' (or 'url_env')")
    _refuse_unknown("notify.webhook", value, ("url", "url_env", "timeout_s"))
    if ("url" in value) == ("url_env" in value):
        raise ValueError(
            "'notify.webhook' needs exactly one of 'url' (the address) or 'url_env' (an environment "
            "variable holding it, for webhook addresses that embed a secret token)"
        )
    timeout_s = _seconds(value, "timeout_s", 10.0, "notify.webhook")
    if "url_env" in value:
        name = value["url_env"]
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"'notify.webhook.url_env' must name an environment variable, got {name!r}")
        return WebhookSettings(url_env=name, timeout_s=timeout_s)
    url = value["url"]
    if not _is_http_url(url):
        raise ValueError(f"'notify.webhook.url' must be an http(s) URL, got {_redacted(url)!r}")
    return WebhookSettings(url=url, timeout_s=timeout_s)


_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


def _email(value: Any) -> EmailSettings:
    where = "notify.email"
    if not isinstance(value, dict):
        raise ValueError(f"'{where}' must be a mapping with host, from and to")
    if "password" in value:
        raise ValueError(f"'{where}': put the password in an environment variable and name it with 'password_env'")
    _refuse_unknown(
        where,
        value,
        ("host", "port", "security", "username", "password_env", "from", "to", "timeout_s", "subject_prefix"),
    )
    host = value.get("host")
    if not isinstance(host, str) or not host.strip():
        raise ValueError(f"'{where}' needs a 'host' (the SMTP server)")
    security = value.get("security", "starttls")
    if security not in ("starttls", "ssl", "none"):
        raise ValueError(f"'{where}.security' must be starttls, ssl or none, got {security!r}")
    port = value.get("port", {"starttls": 587, "ssl": 465, "none": 25}[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ValueError(f"'{where}.port' must be a port number, got {port!r}")
    sender = value.get("from")
    if not isinstance(sender, str) or not _ADDRESS.match(sender):
        raise ValueError(f"'{where}' needs a 'from' address such as layoffs@example.com, got {sender!r}")
    recipients = value.get("to")
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not recipients or not all(
        isinstance(address, str) and _ADDRESS.match(address) for address in recipients
    ):
        raise ValueError(f"'{where}.to' must be an address or a list of addresses, got {recipients!r}")
    username = value.get("username")
    if username is not None and not isinstance(username, str):
        raise ValueError(f"'{where}.username' must be a string")
    password_env = value.get("password_env")
    if password_env is not None:
        if not isinstance(password_env, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
            raise ValueError(f"'{where}.password_env' must name an environment variable, got {password_env!r}")
        if username is None:
            raise ValueError(f"'{where}' has 'password_env' but no 'username' to log in with")
    elif username is not None:
        raise ValueError(f"'{where}' has a 'username' but no 'password_env' naming the variable that holds its password")
    prefix = value.get("subject_prefix", "[layoffs]")
    if not isinstance(prefix, str):
        raise ValueError(f"'{where}.subject_prefix' must be a string")
    return EmailSettings(
        host=host.strip(),
        sender=sender,
        recipients=tuple(recipients),
        port=port,
        security=security,
        username=username,
        password_env=password_env,
        timeout_s=_seconds(value, "timeout_s", 20.0, where),
        subject_prefix=prefix,
    )


def _refuse_unknown(where: str, value: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise ValueError(f"'{where}': unknown key(s) {', '.join(unknown)}; it takes {', '.join(allowed)}")


def _days(value: Mapping[str, Any], key: str, default: int | None, where: str) -> int | None:
    if key not in value:
        return default
    days = value[key]
    if days is None:
        return None  # explicitly off
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValueError(f"'{where}.{key}' must be a whole number of days of at least 1, or null to turn it off, got {days!r}")
    return days


def _rate(value: Mapping[str, Any], key: str, default: float | None, where: str) -> float:
    if key not in value:
        return default
    rate = value[key]
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError(f"'{where}.{key}' must be a share between 0 and 1 (0.5 is half the fetches), got {rate!r}")
    return float(rate)


def _whole(value: Mapping[str, Any], key: str, default: int, where: str) -> int:
    if key not in value:
        return default
    number = value[key]
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ValueError(f"'{where}.{key}' must be a whole number of at least 1, got {number!r}")
    return number


def _seconds(value: Mapping[str, Any], key: str, default: float, where: str) -> float:
    if key not in value:
        return default
    seconds = value[key]
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds <= 0:
        raise ValueError(f"'{where}.{key}' must be a positive number of seconds, got {seconds!r}")
    return float(seconds)


def _is_http_url(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _redacted(url: Any) -> str:
    """An address for an error message, without the path a webhook keeps its token in."""
    if not isinstance(url, str):
        return repr(url)
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else url[:20]
