"""tickgen validate: check parameter files completely, print nothing but problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import Problem
from ..params import AlertSource, only_rendered_tasks
from ..pipeline import run_located
from ..render import RenderedTask
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
            "checker. Prints every problem with its file, line and parameter; exit 1 if any.\n"
            "Warnings (likely mistakes, such as a quoted number) are printed too; with\n"
            "--strict they are errors."
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
    parser.add_argument("--strict", action="store_true", help="warnings are errors too (exit 1)")
    add_template_options(parser)
    output.add_output_option(parser)
    parser.set_defaults(run=run_validate)


def _without_rendered_dirs(paths: list[str]) -> list[str]:
    """The paths, less the directories that hold only what ``render --out`` wrote
    (scripts and task payloads are not parameter files: a note says so)."""
    kept = []
    for name in paths:
        if Path(name).is_dir() and only_rendered_tasks(Path(name)):
            stderr_line(
                f"{name}: note: only rendered tasks here (*.tick, *.task.json), no parameter "
                "files: nothing to validate (tickgen lint checks their scripts)"
            )
        else:
            kept.append(name)
    return kept


def run_validate(args: argparse.Namespace) -> int:
    paths = _without_rendered_dirs(list(args.paths))
    count = 0
    warned: list[Problem] = []
    findings: list[output.Finding] = []  # every warning and note, for --output other than text

    def seen(task: RenderedTask, source: AlertSource) -> None:
        nonlocal count
        count += 1
        if args.output != "text":
            findings.extend(output.from_problem(p, "warning") for p in task.param_warnings)
            findings.extend(output.rendered_finding(task, source, d) for d in task.warnings)
        elif args.strict:
            warned.extend(task.param_warnings)
            for d in task.warnings:
                if d.severity == "warning":
                    warned.append(Problem(f"task {task.id}: {d}", file=task.source))
                else:  # a note: only the server's configuration can decide it
                    stderr_line(f"{task.source}: task {task.id}: {d}")
        else:
            for line in task.warning_lines():
                stderr_line(line)

    problems = run_located(paths, renderer_from(args), seen) if paths else []
    if args.output != "text":
        findings.extend(map(output.from_problem, problems))
        sys.stdout.write(output.render(findings, args.output, "validate"))
        failing = {"error", "warning"} if args.strict else {"error"}
        return 1 if any(f.severity in failing for f in findings) else 0
    if problems or warned:
        fail_with([*problems, *warned])
    if not args.quiet:
        print(f"{count} alert(s) valid")
    return 0
