"""tickgen render: print the checked TICKscripts (or task payloads) of parameter files."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO

from ..errors import Problem
from ..params import TASK_PAYLOAD_SUFFIX
from ..pipeline import run
from ..render import RenderedTask, Renderer
from . import collector_paused
from ._common import (
    add_template_options,
    command_parser,
    fail_with,
    project_defaults,
    renderer_from,
    stderr_line,
    terminal_highlighter,
    use_project,
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
            "tickgen render alerts/ --out build/   # writes build/<id>.tick, build/<id>.task.json"
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="FILE|DIR",
        help="parameter files or directories (default: paths of tickgen.toml)",
    )
    parser.add_argument(
        "--payload",
        action="store_true",
        help="print the POST /kapacitor/v1/tasks bodies as JSON instead of the scripts",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="write <id>.tick and <id>.task.json (the task payload) files into DIR; "
        "validate, plan and apply skip *.task.json in directories, lint checks the .tick files",
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
    use_project(args)
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

        problems = run(args.paths, renderer, collect, project=project_defaults(args),
                       reading=collector_paused)  # fmt: skip
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
    """Write <id>.tick and <id>.task.json for every alert, or nothing at all.

    The payload's ``.task.json`` suffix marks it as rendered output: directories
    given to validate, render, plan and apply skip such files (they are not
    parameter files), so a rendered directory can be linted and kept beside
    the parameters.

    Files are written to a staging directory inside DIR and moved in only when
    every alert is valid and every file could be written; a directory DIR did not
    have before is removed again on failure.
    """
    out_dir: Path = args.out
    created = _make_out_dir(out_dir)
    ok = False
    try:
        staging = Path(tempfile.mkdtemp(prefix=".tickgen-", dir=out_dir))
    except OSError as exc:
        _remove_created(created, out_dir)
        fail_with([Problem(f"--out {out_dir}: cannot write here: {exc.strerror or exc}")])
    written = 0
    cannot_write: list[Problem] = []
    try:

        def write(task: RenderedTask) -> None:
            nonlocal written
            if cannot_write:
                return  # nothing will be moved in; keep validating the rest
            try:
                (staging / f"{task.id}.tick").write_text(task.script, encoding="utf-8")
                payload = json.dumps(task.payload(), indent=4) + "\n"
                (staging / f"{task.id}{TASK_PAYLOAD_SUFFIX}").write_text(payload, encoding="utf-8")
            except OSError as exc:
                cannot_write.append(_write_problem(task, out_dir, exc))
                return
            written += 1
            _warn(task)

        problems = run(args.paths, renderer, write, project=project_defaults(args),
                       reading=collector_paused)  # fmt: skip
        if problems or cannot_write:
            fail_with([*problems, *cannot_write])
        names = sorted(entry.name for entry in staging.iterdir())
        in_the_way = [name for name in names if (out_dir / name).is_dir()]
        if in_the_way:
            fail_with(
                [
                    Problem(f"--out {out_dir}: {name} is a directory; move it away", file=None)
                    for name in in_the_way
                ]
            )
        for name in names:
            os.replace(staging / name, out_dir / name)
        ok = True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not ok:
            _remove_created(created, out_dir)
    stderr_line(f"wrote {written} task(s) to {out_dir}")
    return 0


def _make_out_dir(out_dir: Path) -> Path | None:
    """Create ``out_dir`` (and its parents); return the topmost directory created."""
    missing = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    for path in (out_dir, *out_dir.parents):
        if path.exists() and not path.is_dir():
            where = "" if path == out_dir else f" ({path} is a file)"
            fail_with([Problem(f"--out {out_dir}: not a directory{where}")])
        if path.exists():
            break
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail_with([Problem(f"--out {out_dir}: cannot create it: {exc.strerror or exc}")])
    return missing[-1] if missing else None


def _remove_created(created: Path | None, out_dir: Path) -> None:
    """Remove the directories this run created, if nothing else was put in them."""
    if created is None:
        return
    for path in (out_dir, *out_dir.parents):
        try:
            path.rmdir()
        except OSError:
            return
        if path == created:
            return


def _write_problem(task: RenderedTask, out_dir: Path, exc: OSError) -> Problem:
    if exc.errno == errno.ENAMETOOLONG:
        try:
            limit = os.pathconf(out_dir, "PC_NAME_MAX")
        except (OSError, ValueError):
            limit = 255
        size = len(f"{task.id}{TASK_PAYLOAD_SUFFIX}".encode())
        return Problem(
            f"task {task.id[:40]}...: the id is too long for a file name in {out_dir} "
            f"({size} bytes with {TASK_PAYLOAD_SUFFIX}; the file system allows {limit}); "
            "shorten the id",
            file=task.source,
        )
    return Problem(
        f"task {task.id}: cannot write its files in {out_dir}: {exc.strerror or exc}",
        file=task.source,
    )
