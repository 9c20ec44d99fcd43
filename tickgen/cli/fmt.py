"""tickgen fmt: rewrite TICKscripts in Kapacitor's canonical format (like gofmt)."""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tickgen.tick import TickSyntaxError
from tickgen.tick import format as format_script

from ._common import command_parser, read_script


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "fmt",
        summary="format TICKscript files as Kapacitor does",
        description=(
            "Rewrite each FILE in place in the canonical format that Kapacitor's\n"
            "'tickfmt' and 'kapacitor show' print. With '-', read standard input and\n"
            "write the result to standard output. A file that does not parse is\n"
            "reported as FILE:LINE:COL: message and left alone; the exit status is 1."
        ),
        example=(
            "tickgen fmt cpu.tick                # rewrite cpu.tick\n"
            "tickgen fmt --check tasks/*.tick    # list files that are not formatted, exit 1\n"
            "tickgen fmt --diff cpu.tick         # show what would change\n"
            "cat cpu.tick | tickgen fmt -"
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="TICKscript files, or - for stdin")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that would change and exit 1 if there are any",
    )
    parser.add_argument(
        "--diff", action="store_true", help="write nothing; print a unified diff of the changes"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        text = read_script(name)
        if text is None:
            status = 1
            continue
        try:
            formatted = format_script(text)
        except TickSyntaxError as exc:
            print(f"{name}:{exc.line}:{exc.column}: {exc}", file=sys.stderr)
            status = 1
            continue
        changed = formatted != text
        if args.diff and changed:
            sys.stdout.write(unified_diff(text, formatted, name))
        if args.check:
            if changed:
                print(name)
                status = 1
        elif args.diff:
            continue
        elif name == "-":
            sys.stdout.write(formatted)
        elif changed:
            _replace(Path(name), formatted)
    return status


def _replace(path: Path, text: str) -> None:
    """Write ``text`` next to ``path`` and rename it over: an interrupted run
    leaves the old file whole, never half a script."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as tmp:
        tmp.write(text)
    shutil.copymode(path, tmp.name)
    os.replace(tmp.name, path)


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff as black prints it, with diff's marker for a missing final newline."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{name}\t(original)",
        tofile=f"{name}\t(formatted)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
