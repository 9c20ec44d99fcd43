"""Unit tests for alerts on sample data, run by a real Kapacitor (``tickgen test``).

    from tickgen.testing import run_tests
    outcome = run_tests(["alerts/"])            # starts an ephemeral kapacitord
    assert outcome.ok, outcome.summary

The pieces: :mod:`~tickgen.testing.spec` (the test file's models),
:mod:`~tickgen.testing.notation` (``50 40 5x3 50-5x4 _``),
:mod:`~tickgen.testing.loader` (files -> tests with their alerts),
:mod:`~tickgen.testing.server` (the ephemeral kapacitord and the event sink),
:mod:`~tickgen.testing.runner` (create, write, collect, compare, clean up),
:mod:`~tickgen.testing.report` (text, JSON, JUnit).  The pytest plugin is
:mod:`tickgen.testing.pytest_plugin`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..client import Deadline
from ..params import ProjectDefaults
from ..render import DEFAULT_KAPACITOR_VERSION
from .events import ActualEvent
from .loader import LoadedCase, load_suite
from .notation import NotationError, expand
from .report import summary_line
from .runner import TestResult, TestRunner
from .server import (
    EphemeralKapacitor,
    EventSink,
    KapacitordNotFound,
    ServerStartError,
    find_kapacitord,
)
from .spec import ExpectedEvent, Series, TestCase, TestFile

__all__ = [
    "ActualEvent",
    "EphemeralKapacitor",
    "EventSink",
    "ExpectedEvent",
    "KapacitordNotFound",
    "LoadedCase",
    "NotationError",
    "RunOutcome",
    "Series",
    "ServerStartError",
    "TestCase",
    "TestFile",
    "TestResult",
    "TestRunner",
    "expand",
    "find_kapacitord",
    "load_suite",
    "open_server",
    "run_tests",
]


@dataclass
class RunOutcome:
    """Every result of a run, and where it ran."""

    results: list[TestResult] = field(default_factory=list)
    seconds: float = 0.0
    server_url: str = ""
    server_version: str = ""
    started_server: bool = False

    @property
    def ok(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def summary(self) -> str:
        where = ("ephemeral " if self.started_server else "") + f"kapacitord {self.server_version}"
        return summary_line(self.results, self.seconds, f"{where} at {self.server_url}")


def _render_version(version: str) -> str:
    """The server's X-Kapacitor-Version as a version to render for (1.5.9, 1.8.3)."""
    # a release answers "1.8.3"; tolerate a "v" and a suffix ("1.8.3-rc1"), as
    # tickgen.deploy.versions does for plan and apply
    match = re.match(r"v?(\d+\.\d+(?:\.\d+)?)", version.strip())
    return match.group(1) if match else DEFAULT_KAPACITOR_VERSION


CLEANUP_SECONDS = 10.0  # per request, for the deletes that may come after the deadline


@contextmanager
def open_server(
    url: str | None = None,
    *,
    kapacitord: str | os.PathLike[str] | None = None,
    deadline: Deadline | None = None,
) -> Iterator[tuple[str, str, EventSink, bool]]:
    """``(url, version, sink, started)``: an ephemeral kapacitord, or the server at ``url``."""
    from ..client import KapacitorClient

    if url is None:
        with EphemeralKapacitor(kapacitord) as server:
            yield server.url, server.version, server.sink, True
        return
    sink = EventSink()
    try:
        with KapacitorClient(url, overall_deadline=deadline) as client:
            version = client.ping().version
        yield url, version, sink, False
    finally:
        sink.close()


def run_tests(
    paths: Sequence[str | Path],
    *,
    url: str | None = None,
    kapacitord: str | os.PathLike[str] | None = None,
    template_dirs: Sequence[str] = (),
    settle: float = 0.1,
    workers: int = 8,
    deadman_period: str = "1s",
    on_start: Callable[[str, str, int], None] | None = None,
    on_result: Callable[[TestResult], None] | None = None,
    on_progress: Callable[[TestResult], None] | None = None,
    deadline: Deadline | float | None = None,
    project: ProjectDefaults | None = None,
) -> RunOutcome:
    """Load the tests in ``paths`` and run them; ParameterError if a file is invalid.

    ``on_result`` gets each result in the order of the files; ``on_progress``
    each as soon as it is done.  With ``deadline`` (seconds, or a Deadline) no
    request to the server outlives it: the tests not finished by then are errors
    that say so, and what they created is still deleted.  ``project``: the
    project file's defaults, merged into every alert as render and apply merge them.
    """
    from ..client import KapacitorClient

    limit = Deadline(deadline) if isinstance(deadline, (int, float)) else deadline
    began = time.monotonic()
    outcome = RunOutcome()
    opened = open_server(url, kapacitord=kapacitord, deadline=limit)
    with opened as (server_url, version, sink, started):
        outcome.server_url, outcome.server_version = server_url, version
        outcome.started_server = started
        # checked and rendered for the server they run on (its handlers and properties)
        suite, renderer = load_suite(
            paths,
            template_dirs=template_dirs,
            kapacitor_version=_render_version(version),
            project=project,
        )
        if on_start is not None:
            on_start(server_url, version, len(suite.cases))
        with (
            KapacitorClient(server_url, overall_deadline=limit) as client,
            KapacitorClient(server_url, deadline=CLEANUP_SECONDS) as janitor,
        ):
            runner = TestRunner(
                client,
                sink,
                renderer,
                settle=settle,
                workers=workers,
                deadman_period=deadman_period,
                deadline=limit,
                janitor=janitor,
            )
            outcome.results = runner.run(suite.cases, on_result, on_progress)
    outcome.seconds = time.monotonic() - began
    return outcome
