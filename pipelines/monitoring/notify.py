"""Sending a notice to the receivers of sources.yml's `notify:` block: a webhook that takes
Slack-compatible JSON ({"text": ...}: Slack, Mattermost, Rocket.Chat, Google Chat, many others)
and/or an email through an SMTP server (smtplib, from the standard library)."""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pipelines.monitoring.settings import EmailSettings, NotifySettings, WebhookSettings

log = logging.getLogger(__name__)

WEBHOOK_ATTEMPTS = 3
MAX_TEXT_CHARS = 3500  # Slack shows about 4,000 characters of a message's text before cutting it


class NotifyError(RuntimeError):
    """No receiver, or not every configured receiver, got the notice; the message says why."""


@dataclass(frozen=True)
class Notice:
    event: str  # run_failure | health_warnings (see settings.NOTIFY_EVENTS)
    subject: str  # one line
    body: str  # plain text, several lines

    def text(self) -> str:
        """Subject and body in one message, for chat."""
        text = f"*{self.subject}*\n{self.body}".rstrip()
        return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def send(notice: Notice, settings: NotifySettings, *, backoff_s: float = 1.0) -> list[str]:
    """Deliver `notice` to every configured receiver; returns the channels that took it.

    Every receiver is tried even when an earlier one fails; NotifyError afterwards names each
    failure, so a broken mail server does not keep the message from chat, nor the reverse.
    """
    if not settings.configured:
        raise NotifyError("no receiver configured: add a 'notify:' block to sources.yml")
    delivered, failures = [], []
    if settings.webhook is not None:
        try:
            post_webhook(settings.webhook, notice.text(), backoff_s=backoff_s)
            delivered.append("webhook")
        except Exception as error:  # noqa: BLE001 - reported below, with the email's outcome
            failures.append(f"webhook: {error}")
    if settings.email is not None:
        try:
            send_email(settings.email, notice.subject, notice.body)
            delivered.append("email")
        except Exception as error:  # noqa: BLE001
            failures.append(f"email via {settings.email.host}:{settings.email.port}: {type(error).__name__}: {error}")
    if failures:
        raise NotifyError("; ".join(failures) + (f" (delivered by {', '.join(delivered)})" if delivered else ""))
    return delivered


def post_webhook(webhook: WebhookSettings, text: str, *, backoff_s: float = 1.0) -> None:
    """POST {"text": text} as JSON; retries connection errors, 429 and 5xx, not other answers."""
    url = webhook.address()
    body = json.dumps({"text": text}).encode("utf-8")
    last_error = "no attempt made"
    for attempt in range(WEBHOOK_ATTEMPTS):
        if attempt:
            time.sleep(backoff_s * 2 ** (attempt - 1))
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "layoffs-pipeline notifier"},
        )
        try:
            with urllib.request.urlopen(request, timeout=webhook.timeout_s) as response:  # noqa: S310 - http(s) only, checked in settings
                response.read(2048)
                return
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code} from {_host(url)}"
            if error.code != 429 and error.code < 500:
                raise NotifyError(last_error) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            last_error = f"cannot reach {_host(url)}: {reason}"
        log.warning("webhook attempt %d of %d failed: %s", attempt + 1, WEBHOOK_ATTEMPTS, last_error)
    raise NotifyError(f"{last_error} (after {WEBHOOK_ATTEMPTS} attempts)")


def send_email(email: EmailSettings, subject: str, body: str) -> None:
    message = EmailMessage()
    message["Subject"] = f"{email.subject_prefix} {subject}".strip()
    message["From"] = email.sender
    message["To"] = ", ".join(email.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=email.sender.rsplit("@", 1)[-1])
    message.set_content(body)
    if email.security == "ssl":
        client = smtplib.SMTP_SSL(email.host, email.port, timeout=email.timeout_s, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(email.host, email.port, timeout=email.timeout_s)
    with client:
        client.ehlo()
        if email.security == "starttls":
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if email.username is not None:
            password = email.password()
            if password is None:
                raise NotifyError(f"the environment variable {email.password_env} (notify.email.password_env) is not set")
            client.login(email.username, password)
        client.send_message(message)


def _host(url: str) -> str:
    """The host of a webhook address; its path often holds a secret token, so it is not shown."""
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or "the webhook"
