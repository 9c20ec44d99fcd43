"""tickgen lint: check TICKscripts, and the scripts that parameter files render,
for what Kapacitor would reject and for likely mistakes."""

from __future__ import annotations

import argparse
from pathlib import Path

from tickgen.errors import TickgenError
from tickgen.params import PARAMETER_SUFFIXES
from tickgen.pipeline import render_paths
from tickgen.tick import TickSyntaxError
from tickgen.tick.checker import Diagnostic, TaskKind, check
from tickgen.tick.nodes import parse_version

from ._common import add_template_options, command_parser, read_script

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
            "'tickgen render' prints). The exit status is 1 if there is an error (or, with\n"
            "--strict, a warning), else 0."
        ),
        example=(
            "tickgen lint cpu.tick\n"
            "tickgen lint --strict --kind stream tasks/*.tick\n"
            "tickgen lint --kapacitor-version 1.5 alerts/"
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=".tick or parameter files")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument(
        "--kind",
        choices=("stream", "batch"),
        help="the task type the .tick files must have (default: inferred from each script)",
    )
    add_template_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        parse_version(args.kapacitor_version)
    except ValueError as exc:
        raise TickgenError(str(exc)) from None
    findings: list[tuple[str, Diagnostic]] = []  # (where, what)
    params: list[str] = []
    for name in args.files:
        path = Path(name)
        if path.is_dir():
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
        # The renderer raises ParameterError/TemplateBug itself (main prints them);
        # what comes back rendered and passed the checker's errors.
        for task in render_paths(
            params, template_dirs=args.templates, kapacitor_version=args.kapacitor_version
        ):
            kind: TaskKind = "batch" if task.type == "batch" else "stream"
            for d in check(task.script, kind, version=args.kapacitor_version):
                # the position is in the rendered script (tickgen render shows it)
                findings.append((f"{task.source}: task {task.id}: line {d.line}:{d.column}", d))
    for where, diagnostic in findings:
        print(f"{where}: {diagnostic.severity}: {diagnostic.message}")
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(d.severity in failing for _, d in findings) else 0


def _lint_tick(name: str, args: argparse.Namespace) -> list[tuple[str, Diagnostic]]:
    text = read_script(name)
    if text is None:  # read_script said why
        return [(f"{name}:1:1", Diagnostic(1, 1, "error", "cannot read the file"))]
    try:
        diagnostics = check(text, args.kind, version=args.kapacitor_version)
    except TickSyntaxError as exc:
        syntax = Diagnostic(exc.line, exc.column, "error", str(exc))
        return [(f"{name}:{exc.line}:{exc.column}", syntax)]
    return [(f"{name}:{d.line}:{d.column}", d) for d in diagnostics]
