"""tickgen validate: check parameter files completely, print nothing but problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError, Problem
from ..params import AlertSource, only_rendered_tasks
from ..pipeline import run_located
from ..project import CONFIG_NAME, Project, load_project
from ..render import RenderedTask
from . import collector_paused, output
from ._common import (
    add_template_options,
    command_parser,
    fail_with,
    project_defaults,
    renderer_from,
    stderr_line,
    use_project,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "validate",
        summary="check parameter files without printing the scripts",
        description=(
            "Check every alert in the given files and directories against its template's\n"
            "schema and model, render it and check the script with tickgen's TICKscript\n"
            "checker. Prints every problem with its file, line and parameter; exit 1 if any.\n"
            "The project file (tickgen.toml, or --config) is checked too, against its\n"
            "schema; without FILE|DIR, its paths are validated. Named alone, tickgen.toml\n"
            "is checked by itself.\n"
            "Warnings (likely mistakes, such as a quoted number) are printed too; with\n"
            "--strict they are errors."
        ),
        example=(
            "tickgen validate              # ./tickgen.toml and the alerts of its paths\n"
            "tickgen validate tickgen.toml # the project file alone\n"
            "tickgen validate alerts/\n"
            "tickgen validate --templates my-templates/ alerts/disk.yaml\n"
            "tickgen validate --output github alerts/     # annotations in a GitHub Actions log"
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="FILE|DIR",
        help="parameter files or directories, or the project file tickgen.toml "
        "(default: the project file and its paths)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing when all is valid"
    )
    parser.add_argument("--strict", action="store_true", help="warnings are errors too (exit 1)")
    add_template_options(parser)
    output.add_output_option(parser)
    parser.set_defaults(run=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    # a project file named among the paths is checked as one, not read as alerts
    named = [p for p in args.paths if _is_project_file(p, args.config)]
    args.paths = [p for p in args.paths if p not in named]
    if named and args.config is None:
        args.config = named[0]
    try:
        project = use_project(args, paths=None if named and not args.paths else "paths")
        others = [
            load_project(Path(p))
            for p in named
            if Path(p).resolve() != Path(args.config).resolve()
        ]
    except ConfigError as exc:
        return _report(args, list(exc.problems), 0, None)
    problems: list[Problem] = []
    renderer = renderer_from(args)
    for checked in [project, *others] if project is not None else others:
        problems.extend(checked.default_problems(renderer.catalog))
    if not args.paths:  # the project file alone
        return _report(args, problems, 0, project)
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

    # a misspelt default is said once, by the project file's own check
    in_defaults = {(p.file, p.line, p.path) for p in problems}
    paths = _without_rendered_dirs(list(args.paths))
    located = (
        run_located(paths, renderer, seen, project=project_defaults(args), reading=collector_paused)
        if paths
        else []
    )
    problems.extend(p for p in located if (p.file, p.line, p.path) not in in_defaults)
    return _report(args, problems, count, project, findings, warned)


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


def _is_project_file(name: str, config: str | None) -> bool:
    path = Path(name)
    if path.name == CONFIG_NAME:
        return True
    return config is not None and path.is_file() and path.resolve() == Path(config).resolve()


def _report(
    args: argparse.Namespace,
    problems: list[Problem],
    count: int,
    project: Project | None,
    findings: list[output.Finding] | None = None,
    warned: list[Problem] | None = None,
) -> int:
    findings = findings or []
    if args.output != "text":
        findings.extend(map(output.from_problem, problems))
        sys.stdout.write(output.render(findings, args.output, "validate"))
        failing = {"error", "warning"} if args.strict else {"error"}
        return 1 if any(f.severity in failing for f in findings) else 0
    if problems or warned:
        fail_with([*problems, *(warned or [])])
    if not args.quiet:
        alerts = f"{count} alert(s) valid" if args.paths else ""
        config = f"project file {project.name} valid" if project is not None else ""
        print(", ".join(part for part in (alerts, config) if part) or "nothing to validate")
    return 0
