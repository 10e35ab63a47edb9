"""A deliberately badly behaved HTTP server for the fetcher tests.

Each test registers its own routes; the server records every request (path,
Host header, all headers, arrival time) so tests can assert on politeness.
It listens on 127.0.0.1 only, reachable as both "127.0.0.1" and "localhost"
which the fetcher treats as two hosts.

Import the ``http_server`` fixture into a test module to use it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipelines.fetch import FetchSettings
from pipelines.sources import DiscoveryOutcome, discover_all, load_sources

HTML = "text/html; charset=utf-8"

Body = bytes | Callable[[], Iterable[bytes]]


@dataclass
class Reply:
    status: int = 200
    # bytes are sent with a Content-Length; a callable returns fresh chunks
    # per request and the body ends when the connection closes.
    body: Body = b""
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # pause before the status line
    hang: bool = False  # never answer (until the server stops)
    drop: bool = False  # close the connection without answering


@dataclass(frozen=True)
class SeenRequest:
    path: str  # without the query string
    target: str  # as sent, query included
    host: str  # Host header
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


Route = Callable[[SeenRequest], Reply]


class FetchTestServer:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._seen: list[SeenRequest] = []
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        # Handler threads must not keep the test process alive at exit.
        self._httpd.daemon_threads = True
        self._httpd.handle_error = _quiet_handle_error  # type: ignore[method-assign]
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> FetchTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FetchTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- routes --------------------------------------------------------------
    def add(self, path: str, *replies: Reply) -> None:
        """Serve ``replies`` in order on successive requests; the last one repeats."""
        if not replies:
            raise ValueError("at least one reply")
        counter = iter(range(1_000_000))

        def route(_request: SeenRequest) -> Reply:
            return replies[min(next(counter), len(replies) - 1)]

        self._routes[path] = route

    def add_handler(self, path: str, route: Route) -> None:
        self._routes[path] = route

    def html(self, path: str, text: str, **reply_fields: object) -> None:
        self.add(path, Reply(body=text.encode("utf-8"), **reply_fields))  # type: ignore[arg-type]

    def robots(self, text: str) -> None:
        self.add("/robots.txt", Reply(body=text.encode("utf-8"), content_type="text/plain"))

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    # -- what happened -------------------------------------------------------
    @property
    def seen(self) -> list[SeenRequest]:
        with self._lock:
            return list(self._seen)

    def requests_to(self, path: str, host: str | None = None) -> list[SeenRequest]:
        return [
            r for r in self.seen
            if r.path == path and (host is None or r.host.split(":")[0] == host)
        ]

    def hits(self, path: str, host: str | None = None) -> int:
        return len(self.requests_to(path, host))

    def gaps(self, path: str | None = None, host: str | None = None) -> list[float]:
        """Seconds between consecutive requests (optionally for one path / host)."""
        times = [
            r.at for r in self.seen
            if (path is None or r.path == path) and (host is None or r.host.split(":")[0] == host)
        ]
        return [b - a for a, b in zip(times, times[1:])]

    # -- used by the handler -------------------------------------------------
    def _record(self, request: SeenRequest) -> Reply:
        with self._lock:
            self._seen.append(request)
        route = self._routes.get(request.path)
        if route is None:
            return Reply(status=404, body=b"<html><body>not found</body></html>")
        return route(request)


def _make_handler(server: FetchTestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so a body without a
        # Content-Length simply ends when the socket closes.
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            request = SeenRequest(
                path=urlsplit(self.path).path,
                target=self.path,
                host=self.headers.get("Host", ""),
                headers={k.lower(): v for k, v in self.headers.items()},
                at=time.monotonic(),
            )
            reply = server._record(request)
            if reply.hang:
                server.stopping.wait(60)
                return
            if reply.drop:
                return
            if reply.delay_s:
                server.stopping.wait(reply.delay_s)
            try:
                self._answer(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the fetcher hung up on purpose (byte cap, timeout)

        def _answer(self, reply: Reply) -> None:
            self.send_response(reply.status)
            if reply.content_type is not None:
                self.send_header("Content-Type", reply.content_type)
            if isinstance(reply.body, bytes) and "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            chunks = [reply.body] if isinstance(reply.body, bytes) else reply.body()
            for chunk in chunks:
                if server.stopping.is_set():
                    return
                self.wfile.write(chunk)
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def _quiet_handle_error(request: object, client_address: object) -> None:
    # Clients that disconnect mid-response are the point of several tests.
    pass


def fast_settings(**overrides: object) -> FetchSettings:
    """Settings for tests: loopback allowed, no politeness delay, quick retries."""
    values: dict[str, object] = {
        "allow_private_networks": True,
        "per_host_delay_s": 0.0,
        "timeout_s": 5.0,
        "retries": 2,
        "backoff_base_s": 0.05,
        "user_agent": "layoffs-pipeline-test/0.1 (+https://example.org/bot)",
    }
    values.update(overrides)
    return FetchSettings(**values)  # type: ignore[arg-type]


def fetch_all(settings: FetchSettings, urls: Iterable[str]) -> dict[str, object]:
    """Results of one fetch_many run keyed by the normalised URL."""
    from pipelines.fetch import PoliteFetcher

    with PoliteFetcher(settings) as fetcher:
        return {result.url: result for result in fetcher.fetch_many(urls)}


@pytest.fixture
def http_server() -> Iterable[FetchTestServer]:
    with FetchTestServer() as server:
        yield server


# Loopback must be allowed for the test server; no delay and no retries keep the suite fast.
TEST_FETCH_BLOCK = """
fetch:
  user_agent: "layoffs-pipeline-test/0.1 (+https://example.org/bot)"
  per_host_delay_s: 0
  timeout_s: 5
  retries: 0
  allow_private_networks: true
"""


def run_sources(tmp_path: Path, sources_yaml: str, fetch_block: str = TEST_FETCH_BLOCK) -> DiscoveryOutcome:
    """Write a sources file with `sources_yaml` and `fetch_block`, load it and discover."""
    path = tmp_path / "sources.yml"
    path.write_text(sources_yaml.strip() + "\n" + fetch_block, encoding="utf-8")
    config = load_sources(path)
    return discover_all(config.sources, config.fetch)
