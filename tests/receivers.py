"""Real notification receivers on 127.0.0.1 for the tests: a webhook (a small HTTP server in a
thread that keeps what is POSTed to it) and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import http.server
import json
import socket
import threading
import time
from dataclasses import dataclass, field

import pytest


@dataclass
class Webhook:
    url: str
    posts: list[dict] = field(default_factory=list)  # {"path", "content_type", "json"}
    statuses: list[int] = field(default_factory=list)  # answers to give, in order; then 200

    def texts(self) -> list[str]:
        return [post["json"]["text"] for post in self.posts]


@pytest.fixture
def webhook():
    receiver = Webhook(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - name fixed by the base class
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            if status == 200:
                receiver.posts.append(
                    {"path": self.path, "content_type": self.headers.get("Content-Type"), "json": json.loads(body)}
                )
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"no")

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/B000/secret-token"
    yield receiver
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list = field(default_factory=list)  # email.message.EmailMessage, with .envelope_to

    def wait_for(self, count: int, timeout_s: float = 10.0) -> list:
        deadline = time.monotonic() + timeout_s
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox(host="127.0.0.1", port=free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message.envelope_to = list(envelope.rcpt_tos)
            box.messages.append(message)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=box.host, port=box.port)
    controller.start()
    yield box
    controller.stop()


def notify_block(webhook: Webhook | None = None, mailbox: Mailbox | None = None) -> dict:
    block: dict = {}
    if webhook is not None:
        block["webhook"] = {"url": webhook.url, "timeout_s": 5}
    if mailbox is not None:
        block["email"] = {
            "host": mailbox.host,
            "port": mailbox.port,
            "security": "none",
            "from": "layoffs@example.com",
            "to": ["ops@example.com", "oncall@example.com"],
        }
    return block
