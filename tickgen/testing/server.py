"""An ephemeral kapacitord for tests, and the local HTTP sink its alerts post to.

:class:`EphemeralKapacitor` starts kapacitord on 127.0.0.1 (port chosen by the
kernel and read back from its log) with every directory in a temporary one,
and removes it all on :meth:`~EphemeralKapacitor.stop`.  Start-up costs about
0.07 s (1.5.9) to 0.13 s (1.8.3) (alert-testing reference, section 4.1).

:class:`EventSink` is one small HTTP server with two jobs:

* it receives the alert events (``POST /events/<key>``) of the ``post``
  handler the runner gives each alert under test, keeping every event, in order;
* it answers like an InfluxDB (``/ping``, ``/query``, ``/write``), so that a
  script with ``influxDBOut`` can be created: Kapacitor 1.8 refuses to start
  when its configured InfluxDB does not answer, and 1.5 refuses to create such
  a task when no InfluxDB is configured (reference, section 4.3).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from ..errors import TickgenError

__all__ = [
    "EphemeralKapacitor",
    "EventSink",
    "KapacitordNotFound",
    "ServerStartError",
    "cached_kapacitords",
    "find_kapacitord",
    "kapacitord_config",
]

START_TIMEOUT = 60.0  # a cold start on a loaded 2-core machine takes a few seconds
STOP_TIMEOUT = 10.0
_LISTENING = re.compile(r'msg="listening on".*? addr=(\S+)')
_VERSION_DIR = re.compile(r"^kapacitor-(\d+(?:\.\d+)*)$")


class KapacitordNotFound(TickgenError):
    """No kapacitord binary where tickgen looks for one."""


class ServerStartError(TickgenError):
    """kapacitord was found but did not start; the message quotes its log."""


def cache_dir() -> Path:
    return Path(os.environ.get("TICKGEN_CACHE", Path.home() / ".cache" / "tickgen"))


def cached_kapacitords() -> list[Path]:
    """kapacitord binaries built by scripts/kapacitor-build, newest version first."""
    found: list[tuple[tuple[int, ...], Path]] = []
    root = cache_dir()
    if root.is_dir():
        for child in root.iterdir():
            match = _VERSION_DIR.match(child.name)
            binary = child / "kapacitord"
            if match and os.access(binary, os.X_OK):
                found.append((tuple(int(p) for p in match.group(1).split(".")), binary))
    return [path for _, path in sorted(found, reverse=True)]


def find_kapacitord(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The kapacitord to run: ``explicit``, ``$KAPACITORD``, the PATH, then the build cache."""
    if explicit is not None:
        path = Path(explicit)
        if not os.access(path, os.X_OK) or path.is_dir():
            raise KapacitordNotFound(f"--kapacitord {path}: not an executable file")
        return path
    env = os.environ.get("KAPACITORD")
    if env:
        if not os.access(env, os.X_OK) or Path(env).is_dir():
            raise KapacitordNotFound(f"$KAPACITORD={env}: not an executable file")
        return Path(env)
    on_path = shutil.which("kapacitord")
    if on_path:
        return Path(on_path)
    cached = cached_kapacitords()
    if cached:
        return cached[0]
    raise KapacitordNotFound(
        "kapacitord not found: tickgen test runs the alerts on a real Kapacitor. Give one with "
        "--kapacitord PATH or $KAPACITORD, put it on the PATH, or build one with "
        f"scripts/kapacitor-build (from tickgen's repository; it caches {cache_dir()}/"
        "kapacitor-VERSION/kapacitord); or run against a server with --url"
    )


class _SinkHandler(BaseHTTPRequestHandler):
    server: _SinkServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _reply(self, status: int, body: bytes = b"", content_type: str = "") -> None:
        self.send_response(status)
        self.send_header("X-Influxdb-Version", "1.8.10")
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        self._reply(204 if self.path.startswith("/ping") else 404)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        body = self._body()
        path = self.path.split("?", 1)[0]
        if path.startswith("/events/"):
            try:
                event = json.loads(body)
            except ValueError:
                self._reply(400)
                return
            self.server.sink.add(path.removeprefix("/events/"), event)
            self._reply(200)
        elif path == "/query":
            self._reply(200, b'{"results":[{"statement_id":0}]}', "application/json")
        elif path == "/write":
            self._reply(204)
        else:
            self._reply(404)


class _SinkServer(ThreadingHTTPServer):
    daemon_threads = True
    # Kapacitor posts the events of many tests at once; the default backlog of 5
    # refused connections under load, and a refused post is an event lost.
    request_queue_size = 1024

    def __init__(self, sink: EventSink) -> None:
        super().__init__(("127.0.0.1", 0), _SinkHandler)
        self.sink = sink


class EventSink:
    """Receives alert events per key (``POST /events/<key>``) and stands in for InfluxDB."""

    def __init__(self) -> None:
        self._events: dict[str, list[tuple[float, dict[str, Any]]]] = defaultdict(list)
        self._changed = threading.Condition()
        self._since: dict[str, float] = {}
        self._server = _SinkServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="tickgen-event-sink", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url_for(self, key: str) -> str:
        return f"{self.url}/events/{key}"

    def add(self, key: str, event: dict[str, Any]) -> None:
        with self._changed:
            self._events[key].append((time.monotonic(), event))
            self._changed.notify_all()

    def events(self, key: str) -> list[dict[str, Any]]:
        with self._changed:
            return [event for _, event in self._events.get(key, [])]

    def received_at(self, key: str) -> list[float]:
        """When each event arrived (time.monotonic()), for wall-clock (deadman) tests."""
        with self._changed:
            return [at for at, _ in self._events.get(key, [])]

    def forget(self, key: str) -> None:
        with self._changed:
            self._events.pop(key, None)
            self._since.pop(key, None)

    def wait(
        self, key: str, *, count: int, settle: float, patience: float, timeout: float
    ) -> list[dict[str, Any]]:
        """Events of ``key`` once Kapacitor has gone quiet.

        Kapacitor acknowledges a write before the events it causes are handled
        (reference 2.3: at most 3.5 ms later on an idle machine), so "no more
        events" can only be a quiet period: ``settle`` s once ``count`` events
        came, ``patience`` s while fewer did; never longer than ``timeout``.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                events = self._events.get(key, [])
                now = time.monotonic()
                since = events[-1][0] if events else self._since.get(key, now)
                quiet = settle if len(events) >= count else patience
                quiet_for = now - since
                if quiet_for >= quiet or now >= deadline:
                    return [event for _, event in events]
                self._changed.wait(max(0.005, min(quiet - quiet_for, deadline - now)))

    def expect(self, key: str) -> None:
        """Start the quiet-period clock of ``key``: its points are being written now."""
        with self._changed:
            self._since[key] = time.monotonic()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(STOP_TIMEOUT)


def kapacitord_config(
    workdir: Path,
    *,
    influxdb_url: str | None = None,
    port: int = 0,
    shared_secret: str | None = None,
    log_level: str = "INFO",
    log_requests: bool = False,
    influxdb_startup_timeout: str = "5s",
    extra: str = "",
) -> str:
    """The configuration of a private kapacitord: every directory under ``workdir``, the
    HTTP API on 127.0.0.1:``port`` (0: any free), nothing reported or loaded from
    elsewhere, its log on stderr (where "listening on" says the port).

    ``influxdb_url``: the InfluxDB its tasks write to (subscriptions off, so the
    database never pushes writes back); None leaves the [[influxdb]] section off.
    ``shared_secret`` turns authentication on.  ``extra`` is appended as it is.
    """
    return f"""hostname = "localhost"
data_dir = "{workdir / "data"}"
default-retention-policy = "autogen"
skip-config-overrides = true
[http]
  bind-address = "127.0.0.1:{port}"
  auth-enabled = {"true" if shared_secret else "false"}
  shared-secret = "{shared_secret or ""}"
  log-enabled = {"true" if log_requests else "false"}
[logging]
  file = "STDERR"
  level = "{log_level}"
[storage]
  boltdb = "{workdir / "kapacitor.db"}"
[replay]
  dir = "{workdir / "replay"}"
[task]
  dir = "{workdir / "tasks"}"
[load]
  enabled = false
[reporting]
  enabled = false
[stats]
  enabled = false
[[influxdb]]
  enabled = {"true" if influxdb_url else "false"}
  name = "default"
  default = true
  urls = ["{influxdb_url or "http://127.0.0.1:8086"}"]
  disable-subscriptions = true
  startup-timeout = "{influxdb_startup_timeout}"
{extra}"""


class EphemeralKapacitor:
    """A kapacitord of its own on 127.0.0.1, in a temporary directory removed on stop.

    with EphemeralKapacitor() as kapacitor:
        print(kapacitor.url, kapacitor.version)
    """

    def __init__(
        self, binary: str | os.PathLike[str] | None = None, *, sink: EventSink | None = None
    ) -> None:
        self.binary = find_kapacitord(binary)
        self._own_sink = sink is None
        self.sink = sink or EventSink()
        self.url = ""
        self.version = ""
        self.started_in = 0.0
        self._workdir = Path(tempfile.mkdtemp(prefix="tickgen-test-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: Any = None

    @property
    def log_path(self) -> Path:
        return self._workdir / "kapacitord.log"

    def start(self) -> EphemeralKapacitor:
        began = time.monotonic()
        config = self._workdir / "kapacitor.conf"
        text = kapacitord_config(self._workdir, influxdb_url=self.sink.url)
        config.write_text(text, encoding="utf-8")
        self._log_file = self.log_path.open("wb")
        try:
            self._process = subprocess.Popen(
                [str(self.binary), "-config", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                cwd=self._workdir,
                start_new_session=True,  # a Ctrl-C reaches tickgen, which stops it in order
            )
        except OSError as exc:
            self.stop()
            raise ServerStartError(f"cannot run {self.binary}: {exc}") from None
        try:
            address = self._wait_for_address(began + START_TIMEOUT)
            self.url = f"http://{address}"
            self.version = self._wait_for_ping(began + START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began
        return self

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _check_alive(self) -> None:
        assert self._process is not None
        code = self._process.poll()
        if code is not None:
            raise ServerStartError(
                f"{self.binary} exited with {code} while starting:\n{self.log_tail()}"
            )

    def _wait_for_address(self, deadline: float) -> str:
        while time.monotonic() < deadline:
            self._check_alive()
            match = _LISTENING.search(self.log_path.read_text(errors="replace"))
            if match:
                return match.group(1)
            time.sleep(0.01)
        raise ServerStartError(f"{self.binary} did not start listening within {START_TIMEOUT}s")

    def _wait_for_ping(self, deadline: float) -> str:
        with httpx.Client(timeout=2.0) as http:
            while time.monotonic() < deadline:
                self._check_alive()
                try:
                    response = http.get(f"{self.url}/kapacitor/v1/ping")
                except httpx.TransportError:
                    response = None
                if response is not None and response.status_code == 204:
                    return str(response.headers.get("X-Kapacitor-Version", ""))
                time.sleep(0.01)
        raise ServerStartError(f"{self.binary} did not answer /ping within {START_TIMEOUT}s")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; remove the temporary directory."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._own_sink:
            self.sink.close()
            self._own_sink = False
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> EphemeralKapacitor:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
