"""tickgen validate: check parameter files completely, print nothing but problems."""

from __future__ import annotations

import argparse
import sys

from ..params import AlertSource
from ..pipeline import run_located
from ..render import RenderedTask
from ..tick.checker import Diagnostic
from . import output
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
            "tickgen validate alerts/\n"
            "tickgen validate --templates my-templates/ alerts/disk.yaml\n"
            "tickgen validate --output github alerts/     # annotations in a GitHub Actions log"
        ),
    )
    parser.add_argument(
        "paths", nargs="+", metavar="FILE|DIR", help="parameter files or directories"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing when all is valid"
    )
    add_template_options(parser)
    output.add_output_option(parser)
    parser.set_defaults(run=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    count = 0
    warnings: list[output.Finding] = []

    def seen(task: RenderedTask, source: AlertSource) -> None:
        nonlocal count
        count += 1
        for warning in task.warnings:
            if args.output == "text":
                stderr_line(f"{task.source}: task {task.id}: {warning}")
            else:
                warnings.append(rendered_finding(task, source, warning))

    problems = run_located(args.paths, renderer_from(args), seen)
    if args.output != "text":
        findings = [*map(output.from_problem, problems), *warnings]
        sys.stdout.write(output.render(findings, args.output, "validate"))
        return 1 if problems else 0
    if problems:
        fail_with(problems)
    if not args.quiet:
        print(f"{count} alert(s) valid")
    return 0


def rendered_finding(task: RenderedTask, source: AlertSource, d: Diagnostic) -> output.Finding:
    """A checker finding in a rendered script, placed at the alert in its parameter file."""
    return output.Finding(
        f"{d.message} (line {d.line}:{d.column} of the script 'tickgen render' prints)",
        d.severity,
        "rendered-script",
        file=source.document.name,
        line=source.line,
        task=task.id,
        text=f"{task.source}: task {task.id}: {d}",
    )
