"""Colour for a person at a terminal, never for a pipe, a file or a program.

:func:`wants_colour` decides, the same way for every command: ``--color always`` /
``never`` win; with ``auto`` (the default) a non-empty ``NO_COLOR`` turns colour off
(no-color.org), a non-empty ``FORCE_COLOR`` other than ``0`` turns it on (for CI
logs that render ANSI), else colour only on a terminal.  Plan colours are plain
ANSI SGR codes (no Pygments, which a plain install lacks), as terraform and git
colour a diff: additions green, removals red, hunks cyan, headers bold.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from typing import TextIO

CHOICES = ("auto", "always", "never")

BOLD = "\x1b[1m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
MAGENTA = "\x1b[35m"
CYAN = "\x1b[36m"
RESET = "\x1b[0m"


def wants_colour(stream: TextIO, choice: str, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return stream.isatty()


def add_color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=CHOICES,
        default="auto",
        help="colour the output: auto (on a terminal, unless $NO_COLOR is set or "
        "$FORCE_COLOR forces it), always or never",
    )


# The lines of deploy.report.plan_text: an action at indent 2, its diff at indent 6.
_ACTION = re.compile(r"^  ([+~!-]) ")
_ACTION_COLOUR = {"+": GREEN, "~": YELLOW, "-": RED, "!": MAGENTA}
_DIFF_INDENT = " " * 6


def colour_plan(text: str) -> str:
    """The text of a plan with terraform/git colours added."""
    return "\n".join(_colour_line(line) for line in text.split("\n"))


def _colour_line(line: str) -> str:
    if not line:
        return line
    if line.startswith(("Target ", "Plan:", "No changes")):
        return f"{BOLD}{line}{RESET}"
    if line.startswith(_DIFF_INDENT):
        body = line[len(_DIFF_INDENT) :]
        if body.startswith(("+++", "---")):
            colour = BOLD
        elif body.startswith("+"):
            colour = GREEN
        elif body.startswith("-"):
            colour = RED
        elif body.startswith("@@"):
            colour = CYAN
        else:
            return line
        return f"{_DIFF_INDENT}{colour}{body}{RESET}"
    match = _ACTION.match(line)
    if match:
        return f"{_ACTION_COLOUR[match.group(1)]}{line}{RESET}"
    return line
