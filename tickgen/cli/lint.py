"""tickgen lint: check TICKscripts, and the scripts that parameter files render,
for what Kapacitor would reject and for likely mistakes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tickgen.errors import ConfigError, ParameterError, TickgenError
from tickgen.params import PARAMETER_SUFFIXES, AlertSource
from tickgen.pipeline import run_located
from tickgen.project import CONFIG_NAME, load_project
from tickgen.render import RenderedTask, shared_renderer
from tickgen.tick import TickSyntaxError
from tickgen.tick.checker import Diagnostic, TaskKind, check

from . import output
from ._common import (
    add_template_options,
    command_parser,
    offline_version,
    project_defaults,
    read_script,
    use_project,
)
from .output import Finding

TICK_SUFFIXES = frozenset({".tick"})


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "lint",
        summary="check TICKscripts and parameter files offline",
        description=(
            "Check each FILE the way Kapacitor checks a task on create, without a server.\n"
            "A .tick file is parsed and checked; any other file is read as parameter\n"
            "files, rendered, and each script checked; a directory, for both kinds.\n"
            "A finding prints as FILE:LINE:COL: severity: message, or for a parameter file as\n"
            "FILE:LINE: task ID: line L:C: severity: message (L:C in the script that\n"
            "'tickgen render' prints), or FILE:LINE: PARAMETER: warning: message for a likely\n"
            "mistake in the parameters themselves (a quoted number). The exit status is 1 if\n"
            "there is an error (or, with --strict, a warning), else 0."
        ),
        example=(
            "tickgen lint cpu.tick\n"
            "tickgen lint --strict --kind stream tasks/*.tick\n"
            "tickgen lint --kapacitor-version 1.5 alerts/\n"
            "tickgen lint --output sarif alerts/ tasks/ > tickgen.sarif   # for code scanning"
        ),
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help=".tick or parameter files, or directories (default: paths of tickgen.toml)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument(
        "--kind",
        choices=("stream", "batch"),
        help="the task type the .tick files must have (default: inferred from each script)",
    )
    add_template_options(parser)
    output.add_output_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    use_project(args, "files")
    # the option, else tickgen.toml, else the newest release; checked here once
    args.kapacitor_version = offline_version(args)
    findings: list[Finding] = []
    params: list[str] = []
    for name in args.files:
        path = Path(name)
        if path.name == CONFIG_NAME:  # the project file: checked as one
            try:
                load_project(path)
            except ConfigError as exc:
                findings.extend(map(output.from_problem, exc.problems))
        elif path.is_dir():
            # a directory may hold scripts, parameter files or both
            files = sorted(p for p in path.rglob("*") if p.is_file())
            for script in (p for p in files if p.suffix in TICK_SUFFIXES):
                findings.extend(_lint_tick(str(script), args))
            if any(p.suffix.lower() in PARAMETER_SUFFIXES for p in files):
                params.append(name)
            elif not any(p.suffix in TICK_SUFFIXES for p in files):
                raise TickgenError(f"{name}: no .tick or parameter files here")
        elif path.suffix in TICK_SUFFIXES:
            findings.extend(_lint_tick(name, args))
        else:
            params.append(name)
    if params:
        findings.extend(_lint_params(params, args))
    sys.stdout.write(output.render(findings, args.output, "lint"))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.severity in failing for f in findings) else 0


def _lint_params(params: list[str], args: argparse.Namespace) -> list[Finding]:
    """Findings in the scripts the parameter files render.

    With text output a parameter file that does not validate stops lint as it
    stops render (main prints the problems); the other formats report them as findings.
    """
    findings: list[Finding] = []
    renderer = shared_renderer(args.templates, args.kapacitor_version)

    def check_task(task: RenderedTask, source: AlertSource) -> None:
        # the parameters' own warnings, at their file, line and path
        findings.extend(output.from_problem(p, "warning") for p in task.param_warnings)
        kind: TaskKind = "batch" if task.type == "batch" else "stream"
        for d in check(task.script, kind, version=args.kapacitor_version):
            # the position is in the rendered script (tickgen render shows it)
            findings.append(output.rendered_finding(task, source, d))

    problems = run_located(params, renderer, check_task, project=project_defaults(args))
    if problems and args.output == "text":
        raise ParameterError(problems)
    return [*map(output.from_problem, problems), *findings]


def _tick_finding(name: str, d: Diagnostic) -> Finding:
    return Finding(
        d.message,
        d.severity,
        "tickscript",
        file=name,
        line=d.line,
        column=d.column,
        text=f"{name}:{d.line}:{d.column}: {d.severity}: {d.message}",
    )


def _lint_tick(name: str, args: argparse.Namespace) -> list[Finding]:
    text = read_script(name)
    if text is None:  # read_script said why
        return [_tick_finding(name, Diagnostic(1, 1, "error", "cannot read the file"))]
    try:
        diagnostics = check(text, args.kind, version=args.kapacitor_version)
    except TickSyntaxError as exc:
        return [_tick_finding(name, Diagnostic(exc.line, exc.column, "error", str(exc)))]
    return [_tick_finding(name, d) for d in diagnostics]
