"""tickgen graph: the pipeline of a TICKscript as DOT, or as SVG through Graphviz."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tickgen.errors import TickgenError
from tickgen.params import PARAMETER_SUFFIXES
from tickgen.pipeline import render_paths
from tickgen.tick import TickSyntaxError
from tickgen.tick.graph import graph

from ._common import add_config_option, command_parser, project_of


class GraphvizError(TickgenError):
    """Graphviz's ``dot`` is missing or failed."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "graph",
        summary="print the pipeline of a TICKscript as DOT (or write SVG)",
        description=(
            "Print the pipeline that FILE builds, as Kapacitor's 'dot' field shows it for\n"
            "a task that is not running: nodes named like stream0, from1, alert2. With\n"
            "--svg, write an SVG drawing instead (needs Graphviz's 'dot' command). FILE may\n"
            "be '-' for standard input, or a parameter file: then each alert is rendered\n"
            "and graphed under its task id."
        ),
        example=(
            "tickgen graph cpu.tick\n"
            "tickgen graph cpu.tick --svg cpu.svg\n"
            "tickgen graph cpu.tick | dot -Tpng > cpu.png\n"
            "tickgen graph examples/account_login_relative.yaml"
        ),
    )
    parser.add_argument(
        "file", metavar="FILE", help="a TICKscript or parameter file, or - for stdin"
    )
    parser.add_argument("--svg", metavar="OUT", type=Path, help="write an SVG drawing to OUT")
    parser.add_argument(
        "--name", help="the graph's name, as Kapacitor prints the task id (default: FILE's stem)"
    )
    add_config_option(parser)  # a parameter file renders with the project's templates and defaults
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if Path(args.file).suffix.lower() in PARAMETER_SUFFIXES:
        return _graph_parameter_file(args)
    if args.file == "-":
        text, stem = sys.stdin.read(), "stdin"
    else:
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise TickgenError(f"{args.file}: {exc.strerror or exc}") from None
        stem = path.stem
    try:
        _output(text, args.name or stem, args.svg)
    except TickSyntaxError as exc:
        print(f"{args.file}:{exc.line}:{exc.column}: {exc}", file=sys.stderr)
        return 1
    return 0


def _graph_parameter_file(args: argparse.Namespace) -> int:
    """Each alert's rendered script, named by its task id as Kapacitor names it."""
    project = project_of(args)
    if project is None:
        tasks = render_paths([args.file])
    else:
        tasks = render_paths(
            [args.file],
            template_dirs=project.template_dirs,
            kapacitor_version=project.kapacitor_version,
            project=project.defaults_source(),
        )
    if args.svg is not None and len(tasks) != 1:
        raise TickgenError(f"{args.file} holds {len(tasks)} alerts; --svg draws one")
    for index, task in enumerate(tasks):
        if index:
            sys.stdout.write("\n")
        _output(task.script, args.name or task.id, args.svg)
    return 0


def _output(text: str, name: str, svg: Path | None) -> None:
    if svg is None:
        sys.stdout.write(graph(text, name) + "\n")
    else:
        # Kapacitor prints task ids bare; Graphviz needs "my-task" quoted
        write_svg(graph(text, json.dumps(name)), svg)


def write_svg(dot_text: str, out: Path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizError(
            "Graphviz's 'dot' command is not installed (apt-get install graphviz, "
            "brew install graphviz); without --svg, tickgen graph prints DOT"
        )
    result = subprocess.run(
        [dot, "-Tsvg", "-o", str(out)], input=dot_text, text=True, capture_output=True, check=False
    )
    if result.returncode != 0:
        raise GraphvizError(f"dot failed: {result.stderr.strip()}")
