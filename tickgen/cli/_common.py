"""Options and output helpers that several commands share."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from ..errors import ParameterError, Problem
from ..render import DEFAULT_KAPACITOR_VERSION, Renderer
from ..textfile import MAX_FILE_BYTES, read_text, text_problem


def add_template_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="also use the NAME.tick.j2 + NAME.schema.json templates in DIR (repeatable)",
    )
    parser.add_argument(
        "--kapacitor-version",
        metavar="VERSION",
        default=os.environ.get("TICKGEN_KAPACITOR_VERSION", DEFAULT_KAPACITOR_VERSION),
        help="the Kapacitor version the scripts must run on; handlers and properties newer "
        "than it are errors (default: $TICKGEN_KAPACITOR_VERSION or %(default)s)",
    )


def renderer_from(args: argparse.Namespace) -> Renderer:
    return Renderer(args.templates, kapacitor_version=args.kapacitor_version)


def fail_with(problems: Sequence[Problem]) -> NoReturn:
    """Raise every problem at once; main() prints them and exits 1."""
    raise ParameterError(problems)


def terminal_highlighter(stream: TextIO, choice: str) -> Callable[[str], str] | None:
    """The function that colours TICKscript for ``stream``, or None for plain text.

    Colour needs Pygments, an optional dependency (``tickgen[highlight]``): without
    it ``auto`` prints plain text, and ``always`` says why it does too.
    """
    if choice == "never":
        return None
    if choice == "auto" and (os.environ.get("NO_COLOR") or not stream.isatty()):
        return None
    try:
        from ..tick.highlight import highlight_terminal
    except ImportError:
        if choice == "always":
            stderr_line(
                "tickgen: --color always needs Pygments "
                "(pip install 'tickgen[highlight]'); printing without colour"
            )
        return None
    return highlight_terminal


def read_script(name: str) -> str | None:
    """A TICKscript file's text (``-``: stdin), or None after printing why it cannot be read."""
    if name == "-":
        text = sys.stdin.read(MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES:
            stderr_line(f"-: larger than the {MAX_FILE_BYTES >> 20} MiB tickgen reads")
            return None
        problem = text_problem(text, "-")
        if problem is not None:
            stderr_line(str(problem))
            return None
        return text
    try:
        return read_text(Path(name), kind="TICKscript")
    except ParameterError as exc:
        for problem in exc.problems:
            stderr_line(str(problem))
        return None


def stderr_line(text: str) -> None:
    print(text, file=sys.stderr)


def command_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    *,
    summary: str,
    description: str,
    example: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog="example:\n" + "\n".join("  " + line for line in example.strip().splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser
