"""Real InfluxDB and Kapacitor processes for the test suite.

Each server runs as a subprocess with a generated config: loopback only, ports
chosen by the kernel (port 0, read back from the "listening" log line), and
directories under a temporary path, so any number of them can run side by side
and nothing touches ~/.kapacitor or /var/lib/influxdb.  A server is ready when
its log says it is listening *and* its ping answers 204; both waits are bounded
and give up early if the process dies, quoting the log.

Binaries: ``$INFLUXD``/``$KAPACITORD`` if set, else (kapacitord) the cache that
scripts/kapacitor-build fills for the version asked for, else the PATH.  The
suite runs its Kapacitor tests once per version in ``KAPACITOR_VERSIONS``
(``$TICKGEN_KAPACITOR_VERSIONS``, space-separated, default "1.5.9 1.8.3"); a
kapacitord that answers with another version than the one asked for counts as
missing, so a run never passes against the wrong server.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from tickgen.testing.server import kapacitord_config

# Not $TICKGEN_KAPACITOR_VERSION: that one is the CLI's target version.
KAPACITOR_VERSIONS: tuple[str, ...] = tuple(
    os.environ.get("TICKGEN_KAPACITOR_VERSIONS", "1.5.9 1.8.3").split()
)
START_TIMEOUT = 60.0  # seconds; a cold start on a busy 2-core machine takes a few
STOP_TIMEOUT = 10.0

# Every server started by this process, so a failing test can show their logs.
RUNNING: list[Server] = []


class ServerError(RuntimeError):
    """A server that failed to start."""


class MissingBinary(ServerError):
    """influxd or kapacitord is not installed."""


@dataclass
class Server:
    """One running server process; its stdout and stderr go to ``log_path``."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""
    version: str = ""
    started_in: float = 0.0  # seconds from spawn to ping answering 204
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def workdir(self) -> Path:
        """Its config, data and log; starting a server here again keeps its state."""
        return self.log_path.parent

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def read_log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.read_log().splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM (graceful shutdown), then SIGKILL if it does not exit in time."""
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        self._forget()

    def kill(self) -> None:
        """SIGKILL: the abrupt death the fault tests need."""
        if self.running:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT)
        self._forget()

    def _forget(self) -> None:
        if self in RUNNING:
            RUNNING.remove(self)
        log_file = self._log_file
        if log_file is not None:
            log_file.close()
            self._log_file = None


def find_binary(name: str, version: str | None = None) -> Path:
    """The path of ``influxd`` or ``kapacitord`` (of ``version``, default the first
    of KAPACITOR_VERSIONS); MissingBinary says how to get it."""
    candidates: list[str | None] = [os.environ.get(name.upper())]
    if name == "kapacitord":
        version = version or KAPACITOR_VERSIONS[0]
        cache = Path(os.environ.get("TICKGEN_CACHE", Path.home() / ".cache" / "tickgen"))
        candidates.append(str(cache / f"kapacitor-{version}" / name))
    candidates.append(shutil.which(name))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate)
    what = f"{name} {version}" if version else name
    how = f"scripts/kapacitor-build {version}" if version else "scripts/setup-servers"
    raise MissingBinary(f"{what} not found (run {how})")


def start_or_skip(start: Callable[[], Server], *, ci: bool | None = None) -> Server:
    """Start a server for a fixture; what to do when that is impossible.

    A missing binary skips the test with the reason, except in CI (``CI=true``),
    where it must fail: a CI run that skips every server test proves nothing.
    A server that is installed but fails to start always fails the test.
    """
    ci = os.environ.get("CI") == "true" if ci is None else ci
    try:
        return start()
    except MissingBinary as exc:
        if ci:
            pytest.fail(f"cannot start the test servers in CI: {exc}", pytrace=False)
        pytest.skip(f"test servers unavailable: {exc}")
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)


def add_log_tails(report: pytest.TestReport, lines: int = 60) -> None:
    """On a failed report, add the last log lines of every running server."""
    if report.failed:
        for server in list(RUNNING):
            title = f"{server.name} log ({server.log_path}), last {lines} lines"
            report.sections.append((title, server.log_tail(lines)))


def start_influxdb(workdir: Path) -> Server:
    """influxd on 127.0.0.1, a free port, data under ``workdir``, reporting off."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "influxdb.conf"
    config.write_text(
        f"""reporting-disabled = true
bind-address = "127.0.0.1:0"
[meta]
  dir = "{workdir / "meta"}"
[data]
  dir = "{workdir / "data"}"
  wal-dir = "{workdir / "wal"}"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:0"
  log-enabled = false
  flux-enabled = false
[continuous_queries]
  enabled = false
"""
    )
    server = _spawn("influxd", [str(find_binary("influxd")), "-config", str(config)], workdir)
    addr = _wait_for_log(server, re.compile(r'msg="Listening on HTTP".*? addr=(\S+)'))
    server.url = f"http://{addr}"
    response = _wait_for_ping(server, f"{server.url}/ping")
    server.version = response.headers.get("X-Influxdb-Version", "")
    return server


# Kafka clusters that tasks may name (the handler's golden options use 'events');
# disabled and without brokers, like the stock 'default' (listed, as a [[kafka]]
# of our own would replace it): a task using one starts, and must never fire
# with a topic set, which makes kapacitord exit (differential-findings D12).
_KAFKA_CLUSTERS = """[[kafka]]
  enabled = false
  id = "default"
[[kafka]]
  enabled = false
  id = "events"
"""


def start_kapacitor(
    workdir: Path,
    influxdb_url: str | None = None,
    *,
    port: int = 0,
    shared_secret: str | None = None,
    version: str | None = None,
) -> Server:
    """kapacitord ``version`` (reference §5.1; default the first of KAPACITOR_VERSIONS)
    with its dirs under ``workdir``, on ``port`` (0: any free).

    With ``influxdb_url`` the [[influxdb]] section is enabled (influxDBOut and
    batch tasks work); subscriptions stay off so InfluxDB never pushes writes back.
    Started again on a previous server's workdir and port, it is that server
    restarted: same URL, same tasks (BoltDB), and the old log kept as a numbered file.
    With ``shared_secret``, authentication is on: 1.5.9's OSS build then accepts
    any Basic credentials and JWTs signed (HS256) with that secret, and nothing else
    (1.8.3's OSS build the same).
    """
    version = version or KAPACITOR_VERSIONS[0]
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "kapacitor.conf"
    config.write_text(
        kapacitord_config(
            workdir,
            influxdb_url=influxdb_url,
            port=port,
            shared_secret=shared_secret,
            log_level="DEBUG",
            log_requests=True,  # tests count requests from the HTTP log
            influxdb_startup_timeout="30s",
            extra=_KAFKA_CLUSTERS,
        )
    )
    binary = find_binary("kapacitord", version)
    argv = [str(binary), "-config", str(config)]
    server = _spawn("kapacitord", argv, workdir)
    addr = _wait_for_log(server, re.compile(r'msg="listening on".*? addr=(\S+)'))
    server.url = f"http://{addr}"
    # /ping is not exempt from authentication; any Basic credentials will do.
    auth = ("tickgen-tests", "any") if shared_secret else None
    response = _wait_for_ping(server, f"{server.url}/kapacitor/v1/ping", auth=auth)
    server.version = response.headers.get("X-Kapacitor-Version", "")
    if server.version != version:
        server.stop()
        raise MissingBinary(
            f"kapacitord {version} not found: {binary} answers as version "
            f"{server.version or '(none)'} (run scripts/kapacitor-build {version})"
        )
    return server


def delete_started_task(client: httpx.Client, path: str, *, timeout: float = 5.0) -> None:
    """DELETE ``path`` (a task's URL on ``client``) once the task's alert nodes run.

    Kapacitor (1.5.9 and 1.8.3 alike) deadlocks when a task is deleted before an
    alert node without a ``.topic()`` has taken its first step: DeleteTask holds
    the task master's lock while it waits for the node to end, and the node's
    first step (runAlert -> registerDeleteHookForTask, alert.go / task_master.go)
    waits for that same lock; every later task request then hangs.  A test that
    creates an enabled task and deletes it at once can hit that on a loaded
    machine (it did, in CI).  The node's counters (``alerts_triggered``) appear
    right after that step, so wait for them, then delete.
    """
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        response = client.get(path)
        if response.status_code != 200:
            break
        task = response.json()
        if not task.get("executing"):
            break
        nodes = task.get("stats", {}).get("node-stats", {})
        if all("alerts_triggered" in stats for name, stats in nodes.items() if name.startswith("alert")):
            break
        time.sleep(0.005)
    client.delete(path)


def wait_for(check: Callable[[], Any], *, timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds.

    Kapacitor processes written points asynchronously, so effects are polled for.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def _spawn(name: str, argv: list[str], workdir: Path) -> Server:
    log_path = workdir / f"{name}.log"
    if log_path.exists():  # a restart: keep the previous run's log beside it
        runs = len(list(workdir.glob(f"{name}.*.log")))
        log_path.rename(workdir / f"{name}.{runs + 1}.log")
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        cwd=workdir,
        # Its own process group: a Ctrl-C in the terminal reaches pytest, whose
        # fixtures then stop the servers in order.
        start_new_session=True,
    )
    server = Server(name, process, log_path, _log_file=log_file)
    server.started_in = time.monotonic()  # replaced by the duration once ready
    RUNNING.append(server)
    return server


def _wait_for_log(server: Server, pattern: re.Pattern[str]) -> str:
    """Poll the log until ``pattern`` matches; return its first group."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        match = pattern.search(server.read_log())
        if match:
            return match.group(1)
        _fail_if_exited(server)
        time.sleep(0.05)
    server.kill()
    raise ServerError(f"{server.name} did not log {pattern.pattern!r} within {START_TIMEOUT}s")


def _wait_for_ping(server: Server, url: str, auth: tuple[str, str] | None = None) -> httpx.Response:
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(timeout=2.0, auth=auth) as http:
        while time.monotonic() < deadline:
            _fail_if_exited(server)
            try:
                response = http.get(url)
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code == 204:
                server.started_in = time.monotonic() - server.started_in
                return response
            time.sleep(0.05)
    server.kill()
    raise ServerError(f"{server.name} did not answer {url} with 204 within {START_TIMEOUT}s")


def _fail_if_exited(server: Server) -> None:
    if not server.running:
        code = server.process.returncode
        tail = server.log_tail(30)
        server.kill()
        raise ServerError(f"{server.name} exited with {code} while starting:\n{tail}")
