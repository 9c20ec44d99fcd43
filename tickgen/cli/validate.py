"""tickgen validate: check parameter files completely, print nothing but problems."""

from __future__ import annotations

import argparse

from ..pipeline import run
from ..render import RenderedTask
from ._common import add_template_options, command_parser, fail_with, renderer_from, stderr_line


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "validate",
        summary="check parameter files without printing the scripts",
        description=(
            "Check every alert in the given files and directories against its template's\n"
            "schema and model, render it and check the script with tickgen's TICKscript\n"
            "checker. Prints every problem with its file, line and parameter; exit 1 if any."
        ),
        example=(
            "tickgen validate alerts/\ntickgen validate --templates my-templates/ alerts/disk.yaml"
        ),
    )
    parser.add_argument(
        "paths", nargs="+", metavar="FILE|DIR", help="parameter files or directories"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing when all is valid"
    )
    add_template_options(parser)
    parser.set_defaults(run=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    count = 0

    def seen(task: RenderedTask) -> None:
        nonlocal count
        count += 1
        for warning in task.warnings:
            stderr_line(f"{task.source}: task {task.id}: {warning}")

    problems = run(args.paths, renderer_from(args), seen)
    if problems:
        fail_with(problems)
    if not args.quiet:
        print(f"{count} alert(s) valid")
    return 0
