"""tickgen render: print the checked TICKscripts (or task payloads) of parameter files."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO

from ..pipeline import run
from ..render import RenderedTask, Renderer
from ._common import (
    add_template_options,
    command_parser,
    fail_with,
    renderer_from,
    stderr_line,
    terminal_highlighter,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "render",
        summary="print the TICKscripts (or task payloads) of parameter files",
        description=(
            "Validate the alerts in the given parameter files and directories, render each\n"
            "into a canonical TICKscript, check it, and print it. Nothing is printed unless\n"
            "every alert is valid. With several alerts, each script is preceded by a\n"
            "'// task: ID (FILE)' comment line; --payload prints a JSON list."
        ),
        example=(
            "tickgen render examples/account_login_relative.yaml\n"
            "tickgen render --payload alerts/ > tasks.json\n"
            "tickgen render alerts/ --out build/   # writes build/<id>.tick and build/<id>.json"
        ),
    )
    parser.add_argument(
        "paths", nargs="+", metavar="FILE|DIR", help="parameter files or directories"
    )
    parser.add_argument(
        "--payload",
        action="store_true",
        help="print the POST /kapacitor/v1/tasks bodies as JSON instead of the scripts",
    )
    parser.add_argument(
        "--out", metavar="DIR", type=Path, help="write <id>.tick and <id>.json files into DIR"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="highlight TICKscript syntax (auto: when printing to a terminal)",
    )
    add_template_options(parser)
    parser.set_defaults(run=run_render)


def _warn(task: RenderedTask) -> None:
    for line in task.warning_lines():
        stderr_line(line)


def run_render(args: argparse.Namespace) -> int:
    renderer = renderer_from(args)
    if args.out is not None:
        return _render_to_dir(args, renderer)
    # Spool the output and print it only when every alert is valid: never half an output.
    # newline="": a value's \r is data, which newline translation would turn into \n.
    with tempfile.SpooledTemporaryFile(
        max_size=8 << 20, mode="w+", encoding="utf-8", newline=""
    ) as spool:
        count = 0
        first_body = 0  # where the first script starts, after its header

        def collect(task: RenderedTask) -> None:
            nonlocal count, first_body
            count += 1
            if args.payload:
                spool.write(("" if count == 1 else ",\n") + json.dumps(task.payload(), indent=4))
            else:
                spool.write(("" if count == 1 else "\n") + f"// task: {task.id} ({task.source})\n")
                if count == 1:
                    first_body = spool.tell()
                spool.write(task.script)
            _warn(task)

        problems = run(args.paths, renderer, collect)
        if problems:
            fail_with(problems)
        _print(spool, count, first_body, args)
    return 0


def _print(spool: IO[str], count: int, first_body: int, args: argparse.Namespace) -> None:
    out = sys.stdout
    if args.payload:
        spool.seek(0)
        if count == 1:
            shutil.copyfileobj(spool, out)
            out.write("\n")
        else:
            out.write("[\n" if count else "[")
            for line in spool:
                out.write("    " + line if line.strip() else line)
            out.write("\n]\n")
        out.flush()
        return
    spool.seek(first_body if count == 1 else 0)
    highlight = terminal_highlighter(out, args.color)
    if highlight is not None:
        out.write(highlight(spool.read()))
    else:
        shutil.copyfileobj(spool, out)
    out.flush()


def _render_to_dir(args: argparse.Namespace, renderer: Renderer) -> int:
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    # Stage next to the target and move in only when every alert is valid.
    staging = Path(tempfile.mkdtemp(prefix=".tickgen-", dir=out_dir))
    written = 0
    try:

        def write(task: RenderedTask) -> None:
            nonlocal written
            (staging / f"{task.id}.tick").write_text(task.script, encoding="utf-8")
            payload = json.dumps(task.payload(), indent=4) + "\n"
            (staging / f"{task.id}.json").write_text(payload, encoding="utf-8")
            written += 1
            _warn(task)

        problems = run(args.paths, renderer, write)
        if problems:
            fail_with(problems)
        for entry in staging.iterdir():
            os.replace(entry, out_dir / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    stderr_line(f"wrote {written} task(s) to {out_dir}")
    return 0
