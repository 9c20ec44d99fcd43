"""Options and output helpers that several commands share."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from ..errors import ParameterError, Problem

if TYPE_CHECKING:
    from ..render import Renderer

# tickgen.render (Jinja, pydantic, the models) is imported by the functions that
# need it: fmt and graph's parsers do not, and start faster without it.


def add_template_options(parser: argparse.ArgumentParser) -> None:
    from ..render import DEFAULT_KAPACITOR_VERSION

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
    from ..render import Renderer

    return Renderer(args.templates, kapacitor_version=args.kapacitor_version)


def fail_with(problems: Sequence[Problem]) -> None:
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
