"""Session fixtures shared by the whole suite: the real InfluxDB and Kapacitor.

``influxdb`` and ``kapacitor`` are started once per session (tests/servers.py)
and stopped at the end; ``kapacitor_factory`` starts a private kapacitord for a
test that kills or restarts it.  Both Kapacitor fixtures are parametrised by
``kapacitor_version`` over servers.KAPACITOR_VERSIONS ($TICKGEN_KAPACITOR_VERSIONS,
default "1.5.9 1.8.3"): every test that uses them runs once per version, with the
version in its id (``test_x[kapacitor-1.8.3]``), and asks the fixture
(``kapacitor.version``, ``kapacitor_version``) instead of naming a version.  When a test fails, the tails of every running
server's log are appended to its report.  With ``CI=true`` a missing binary fails
the tests that need it; elsewhere they are skipped with the reason
(servers.start_or_skip).
"""

from __future__ import annotations

import fcntl
import itertools
import os
import re
import secrets
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers
from tests.packaging_util import REPO, fill_wheelhouse
from tickgen.client import KapacitorClient

SERVER_FIXTURES = {
    "influxdb",
    "kapacitor",
    "kapacitor_factory",
    "influx_query",
    "kapacitord_binary",
    "tickgen_kapacitor",
    "tickgen_alerts",
    "kapacitor_version",
}

DIFFERENTIAL_COUNT = 240  # sets per run of tests/differential (a CI run stays well under 2 min)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tickgen differential test (tests/differential)")
    group.addoption(
        "--differential-count",
        type=int,
        default=DIFFERENTIAL_COUNT,
        help=f"random parameter sets to create on kapacitord (default {DIFFERENTIAL_COUNT})",
    )
    group.addoption(
        "--differential-seed",
        type=int,
        default=None,
        help="seed of the random parameter sets (default: a new one each run, printed)",
    )
    group.addoption(
        "--differential-report",
        default=None,
        metavar="PATH",
        help="also write every failure and the acceptance table to PATH",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--differential-seed") is None:
        config.option.differential_seed = secrets.randbelow(2**32)


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.getoption("--differential-seed")
    count = config.getoption("--differential-count")
    return f"differential: --differential-seed {seed} --differential-count {count}"



@pytest.fixture(
    scope="session",
    params=servers.KAPACITOR_VERSIONS,
    ids=[f"kapacitor-{v}" for v in servers.KAPACITOR_VERSIONS],
)
def kapacitor_version(request: pytest.FixtureRequest) -> str:
    """The Kapacitor release ("1.8.3") this run of the test is against."""
    version: str = request.param
    return version


@pytest.fixture(scope="session")
def influxdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Server]:
    server = servers.start_or_skip(
        lambda: servers.start_influxdb(tmp_path_factory.mktemp("influxdb"))
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def kapacitor(
    tmp_path_factory: pytest.TempPathFactory, influxdb: servers.Server, kapacitor_version: str
) -> Iterator[servers.Server]:
    """The shared kapacitord of ``kapacitor_version``, connected to ``influxdb``;
    tests must not stop it."""
    workdir = tmp_path_factory.mktemp(f"kapacitor-{kapacitor_version}")
    server = servers.start_or_skip(
        lambda: servers.start_kapacitor(workdir, influxdb.url, version=kapacitor_version)
    )
    yield server
    server.stop()


@pytest.fixture
def influx_query(influxdb: servers.Server) -> Callable[..., list[dict[str, Any]]]:
    """``influx_query("SELECT ...", db=...)`` → rows as dicts, from the real InfluxDB."""

    def query(q: str, db: str | None = None) -> list[dict[str, Any]]:
        params = {"q": q, **({"db": db} if db else {})}
        response = httpx.post(f"{influxdb.url}/query", params=params, timeout=10)
        response.raise_for_status()
        rows: list[dict[str, Any]] = []
        for result in response.json()["results"]:
            assert "error" not in result, result["error"]
            for series in result.get("series", []):
                rows += [dict(zip(series["columns"], v, strict=True)) for v in series["values"]]
        return rows

    return query


@pytest.fixture
def client(kapacitor: servers.Server) -> Iterator[KapacitorClient]:
    """tickgen's client of the shared kapacitord (tests/client has its own, per kind)."""
    with KapacitorClient(kapacitor.url) as kapacitor_client:
        yield kapacitor_client


@pytest.fixture
def task_ids(client: KapacitorClient) -> Iterator[list[str]]:
    """Task ids a test creates; deleted afterwards so the shared server stays clean."""
    created: list[str] = []
    yield created
    # each once its alert nodes run: Kapacitor can deadlock otherwise (delete_started_task)
    with httpx.Client(base_url=f"{client.url}/kapacitor/v1", timeout=30) as http:
        for task_id in created:
            servers.delete_started_task(http, f"/tasks/{task_id}")


@pytest.fixture
def kapacitor_factory(
    tmp_path: Path, kapacitor_version: str
) -> Iterator[Callable[..., servers.Server]]:
    """Start a private kapacitord of ``kapacitor_version`` (no InfluxDB) that the test
    may kill; stopped after it.

    ``kapacitor_factory()`` starts a new one; ``kapacitor_factory(restart=server)``
    starts ``server`` again (stopping it first if it still runs) on the same URL
    and data, as after a crash or a deploy of Kapacitor.  ``shared_secret=...``
    turns authentication on (servers.start_kapacitor).
    """
    started: list[servers.Server] = []
    counter = itertools.count()

    def start(
        restart: servers.Server | None = None, *, shared_secret: str | None = None
    ) -> servers.Server:
        if restart is None:
            workdir, port = tmp_path / f"kapacitor-{next(counter)}", 0
        else:
            restart.stop()
            workdir, port = restart.workdir, restart.port
        server = servers.start_or_skip(
            lambda: servers.start_kapacitor(
                workdir, port=port, shared_secret=shared_secret, version=kapacitor_version
            )
        )
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def unique_id(request: pytest.FixtureRequest) -> Callable[..., str]:
    """``unique_id("cpu")`` → an id valid for Kapacitor, unique in this session."""
    base = re.sub(r"[^-._a-zA-Z0-9]+", "_", request.node.name)[:60]

    def make(prefix: str = "t") -> str:
        return f"{prefix}-{base}-{next(_ids)}"

    return make


_ids = itertools.count()


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels of tickgen's dependencies and build backend, fetched from PyPI once per run.

    tests/test_packaging.py and tests/integrations/test_pre_commit.py install
    offline from it (tests/packaging_util.py).  They may run on different xdist
    workers: the workers' temporary directories share this run's base directory,
    where the first worker to need the wheelhouse fills it under a lock and the
    other finds it filled (5 CPU s and PyPI's answers once instead of twice).
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the controller's base directory, this run's alone
    path, filled = root / "wheelhouse", root / "wheelhouse.filled"
    with (root / "wheelhouse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not filled.exists():
            shutil.rmtree(path, ignore_errors=True)  # a fill that failed half-way
            fill_wheelhouse(REPO, path)  # REPO's pyproject.toml: the working-tree content
            filled.touch()
    return path


# The test files that take longest, most CPU first (one offline run on the 2-core
# machine, December 2026: packaging ~50 s with its waits, pre-commit ~20, the shape
# cache 14, the parser corpus 10, the client's bounds 5 of CPU and ~30 of waiting,
# the rest 5-8).  scripts/test runs the offline tests with ``--dist loadfile
# --no-loadscope-reorder``: a file is one unit of work, handed out in this order, so
# the long ones start first and the many short files fill in at the end, instead of
# one worker still running a long file when the other has run out of tests.  Only
# the speed depends on this list.
SLOWEST_FIRST = (
    "tests/test_packaging.py",
    "tests/integrations/test_pre_commit.py",
    "tests/test_shape_cache.py",
    "tests/tick/test_parser_corpus.py",
    "tests/client/test_client_bounds.py",
    "tests/cli/test_startup.py",
    "tests/hostile/test_hostile.py",
    "tests/cli/test_completion.py",
    "tests/differential/test_generator.py",
    "tests/test_schema.py",
    "tests/tick/test_canonical.py",
    "tests/tick/test_quote.py",
    "tests/client/test_client_settings.py",
    "tests/client/test_client_faults.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Anything that uses a server fixture, even through another fixture, carries
    # the ``servers`` mark: ``-m "not servers"`` runs the offline part alone, and
    # only these tests get the servers' logs in their failure reports.
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)
    # The slowest files first (see SLOWEST_FIRST); a stable sort keeps the order
    # within a file (module fixtures stay together) and of all other files.
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if item.get_closest_marker("servers"):  # only tests that talk to the servers
        servers.add_log_tails(report)
    return report
