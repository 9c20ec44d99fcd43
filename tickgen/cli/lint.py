"""tickgen lint: check TICKscripts, and the scripts that parameter files render,
for what Kapacitor would reject and for likely mistakes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tickgen.errors import ConfigError, ParameterError, TickgenError
from tickgen.params import TASK_PAYLOAD_SUFFIX, is_parameter_file, is_task_payload
from tickgen.project import CONFIG_NAME, load_project
from tickgen.textfile import read_text
from tickgen.tick import TickSyntaxError
from tickgen.tick.checker import Diagnostic, TaskKind, check

from . import collector_paused, output
from ._common import (
    add_template_options,
    command_parser,
    offline_version,
    project_defaults,
    read_script,
    use_project,
)
from .output import Finding

if TYPE_CHECKING:
    from tickgen.params import AlertSource
    from tickgen.render import RenderedTask

TICK_SUFFIXES = frozenset({".tick"})


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "lint",
        summary="check TICKscripts and parameter files offline",
        description=(
            "Check each FILE the way Kapacitor checks a task on create, without a server.\n"
            "A .tick file is parsed and checked; so is the script of a task payload\n"
            "(<id>.task.json, as 'tickgen render --out' writes it beside <id>.tick, which is\n"
            "checked instead when it is there); any other file is read as parameter files,\n"
            "rendered, and each script checked; a directory, for all of them.\n"
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
            # a directory may hold scripts, payloads, parameter files or all of them
            files = sorted(p for p in path.rglob("*") if p.is_file())
            scripts = [p for p in files if p.suffix in TICK_SUFFIXES]
            for script in scripts:
                findings.extend(_lint_tick(str(script), args))
            for payload in _lone_payloads(files, set(scripts)):
                findings.extend(_lint_payload(str(payload), args))
            if any(is_parameter_file(p, path) for p in files):
                params.append(name)
            elif not scripts and not any(p.name.endswith(TASK_PAYLOAD_SUFFIX) for p in files):
                raise TickgenError(
                    f"{name}: nothing to lint here: give .tick scripts, <id>.task.json payloads "
                    "or parameter files (.yaml, .yml, .json, .toml)"
                )
        elif path.suffix in TICK_SUFFIXES:
            findings.extend(_lint_tick(name, args))
        elif path.name.endswith(TASK_PAYLOAD_SUFFIX) or _holds_payload(path):
            findings.extend(_lint_payload(name, args))
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
    # Only parameter files need the models and templates (pydantic, Jinja, the schemas):
    # `tickgen lint x.tick` loads none of them (tests/cli/test_startup.py).
    from tickgen.pipeline import run_located
    from tickgen.render import shared_renderer

    findings: list[Finding] = []
    renderer = shared_renderer(args.templates, args.kapacitor_version)

    def check_task(task: RenderedTask, source: AlertSource) -> None:
        # the parameters' own warnings, at their file, line and path
        findings.extend(output.from_problem(p, "warning") for p in task.param_warnings)
        kind: TaskKind = "batch" if task.type == "batch" else "stream"
        for d in check(task.script, kind, version=args.kapacitor_version):
            # the position is in the rendered script (tickgen render shows it)
            findings.append(output.rendered_finding(task, source, d))

    problems = run_located(params, renderer, check_task, project=project_defaults(args),
                           reading=collector_paused)  # fmt: skip
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


def _lone_payloads(files: list[Path], scripts: set[Path]) -> list[Path]:
    """The ``<id>.task.json`` files without their ``<id>.tick`` beside them (render
    --out writes both; the script is then checked once, in the .tick file)."""
    return [
        p
        for p in files
        if p.name.endswith(TASK_PAYLOAD_SUFFIX)
        and p.with_name(p.name.removesuffix(TASK_PAYLOAD_SUFFIX) + ".tick") not in scripts
    ]


def _holds_payload(path: Path) -> bool:
    """A .json file named on the command line that holds task payloads, not parameters
    (an older ``render --out`` wrote <id>.json; ``render --payload > tasks.json``)."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        return is_task_payload(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return False  # read as a parameter file, which says what is wrong with it


def _lint_payload(name: str, args: argparse.Namespace) -> list[Finding]:
    """Check the script of each task in a payload file; positions are in the script."""
    try:
        data = json.loads(read_text(Path(name), kind="task payload"))
    except ParameterError as exc:
        return [_tick_finding(name, Diagnostic(1, 1, "error", exc.problems[0].message))]
    except ValueError as exc:
        return [_tick_finding(name, Diagnostic(1, 1, "error", f"invalid JSON: {exc}"))]
    if not is_task_payload(data):
        message = (
            "not a task payload: a .task.json file holds what 'tickgen render --payload' "
            "prints, {id, type, dbrps, script, status}, or a list of them"
        )
        return [_tick_finding(name, Diagnostic(1, 1, "error", message))]
    findings: list[Finding] = []
    for task in data if isinstance(data, list) else [data]:
        kind: TaskKind | None = task["type"] if task.get("type") in ("stream", "batch") else None
        try:
            diagnostics = check(task["script"], kind or args.kind, version=args.kapacitor_version)
        except TickSyntaxError as exc:
            diagnostics = [Diagnostic(exc.line, exc.column, "error", str(exc))]
        findings.extend(
            Finding(
                f"{d.message} (line {d.line}:{d.column} of its script)",
                d.severity,
                "tickscript",
                file=name,
                task=task["id"],
                text=f"{name}: task {task['id']}: {d}",
            )
            for d in diagnostics
        )
    return findings


def _lint_tick(name: str, args: argparse.Namespace) -> list[Finding]:
    text = read_script(name)
    if text is None:  # read_script said why
        return [_tick_finding(name, Diagnostic(1, 1, "error", "cannot read the file"))]
    try:
        diagnostics = check(text, args.kind, version=args.kapacitor_version)
    except TickSyntaxError as exc:
        return [_tick_finding(name, Diagnostic(exc.line, exc.column, "error", str(exc)))]
    return [_tick_finding(name, d) for d in diagnostics]
