"""tickgen test: run the alert tests in test files on a real Kapacitor."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from ..testing import run_tests
from ..testing.report import json_report, junit_xml, text_report
from ..testing.runner import TestResult
from ._common import (
    add_config_option,
    add_deadline_option,
    command_deadline,
    command_parser,
    project_defaults,
    use_project,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "test",
        summary="run alert tests on sample data in a real Kapacitor",
        description=(
            "Run the tests in test files (*.test.yaml, .yml, .json, .toml): each creates\n"
            "its alert in Kapacitor under a task id of its own, writes the input points with\n"
            "their timestamps and compares every alert event with the expected ones.\n"
            "Alerts are found by task id in the parameter files given (files or directories)\n"
            "and in each test file's 'params'. Without --url an ephemeral kapacitord is\n"
            "started (--kapacitord, $KAPACITORD, the PATH, then ~/.cache/tickgen/\n"
            "kapacitor-*/ as scripts/kapacitor-build fills it, newest first).\n"
            "Exit 0 when every test passed, 1 when one failed or a file is invalid.\n"
            "See docs/testing.md for the file format and timing rules."
        ),
        example=(
            "tickgen test examples/\n"
            "tickgen test alerts/cpu.test.yaml alerts/ --junit report.xml\n"
            "tickgen test alerts/ --url http://localhost:9092"
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="FILE|DIR",
        help="test files, parameter files, directories (default: paths of tickgen.toml)",
    )
    parser.add_argument(
        "--url",
        help="run on this Kapacitor instead of an ephemeral one (task ids tickgen-test-*; "
        "everything created is deleted, also on Ctrl-C); it must reach this machine's "
        "127.0.0.1 to post the events back",
    )
    parser.add_argument("--kapacitord", metavar="PATH", help="the kapacitord binary to start")
    parser.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="also use the templates in DIR (repeatable; default: template_dirs of "
        "tickgen.toml)",
    )
    add_config_option(parser)
    parser.add_argument(
        "--output", choices=("text", "json"), default="text", help="result format on stdout"
    )
    parser.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    parser.add_argument("--show-script", action="store_true", help="print the script each test ran")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show the events of passing tests too"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0.1,
        metavar="SECONDS",
        help="time between two looks at a test's task counters; the test is over when two "
        "looks agree that every point is through and every event arrived (default %(default)s)",
    )
    parser.add_argument(
        "--workers", type=int, default=8, help="tests run at once (default %(default)s)"
    )
    parser.add_argument(
        "--deadman-period",
        default="1s",
        metavar="DURATION",
        help="the wall-clock period a deadman test runs with; its test time is scaled to "
        "it (default %(default)s)",
    )
    add_deadline_option(parser)
    parser.set_defaults(run=run_test)


class _Progress:
    """One self-rewriting line on a terminal: how many tests are done."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.total = 0
        self.done = 0
        self.failed = 0

    def start(self, url: str, version: str, total: int) -> None:
        self.total = total
        self.show()

    def show(self) -> None:
        if self.enabled:
            sys.stderr.write(
                f"\r\x1b[Krunning {self.done}/{self.total} tests, {self.failed} failed"
            )
            sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_test(args: argparse.Namespace) -> int:
    deadline = command_deadline(args)
    use_project(args)
    json_out = args.output == "json"
    progress = _Progress(sys.stderr.isatty() and not json_out)

    def on_progress(result: TestResult) -> None:
        progress.done += 1
        progress.failed += not result.passed
        progress.show()

    def on_result(result: TestResult) -> None:
        if json_out:
            return
        progress.clear()
        print(text_report(result, show_script=args.show_script, verbose=args.verbose))
        progress.show()

    previous = signal.signal(signal.SIGTERM, _interrupt)  # clean up on a kill as on Ctrl-C
    began = time.monotonic()
    try:
        outcome = run_tests(
            args.paths,
            url=args.url,
            kapacitord=args.kapacitord,
            template_dirs=args.templates,
            settle=args.settle,
            workers=args.workers,
            deadman_period=args.deadman_period,
            on_start=progress.start,
            on_result=on_result,
            on_progress=on_progress,
            deadline=deadline,
            project=project_defaults(args),
        )
    finally:
        progress.clear()
        signal.signal(signal.SIGTERM, previous)
    seconds = time.monotonic() - began
    if json_out:
        server = {"url": outcome.server_url, "version": outcome.server_version}
        print(json_report(outcome.results, seconds, server))
    else:
        outcome.seconds = seconds
        print(outcome.summary)
    if args.junit:
        junit_xml(outcome.results, seconds, Path(args.junit))
    cut = sum(1 for r in outcome.results if r.status == "error" and deadline.reached() in r.error)
    if cut:
        print(f"tickgen: error: {deadline} was reached: {cut} test(s) did not finish "
              f"({deadline.hint})", file=sys.stderr)  # fmt: skip
    return 0 if outcome.ok and outcome.results else 1
