"""Options and output helpers that several commands share."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from ..errors import ParameterError, Problem, TickgenError
from ..project import (
    CONFIG_ENV,
    CONFIG_NAME,
    DEFAULT_KAPACITOR_VERSION,
    Project,
    check_version,
    find_config,
    load_project,
)
from ..textfile import MAX_FILE_BYTES, decode, read_text, text_problem

if TYPE_CHECKING:
    from ..client import Deadline
    from ..params import ProjectDefaults
    from ..render import Renderer

# tickgen.render (Jinja, pydantic, the models) is imported by the functions that
# need it: fmt and graph's parsers do not, and start faster without it.


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        help=f"the project file (default: ${CONFIG_ENV}, else ./{CONFIG_NAME} if there is one)",
    )


def add_template_options(parser: argparse.ArgumentParser) -> None:
    """--templates, --kapacitor-version and --config: what rendering reads."""
    parser.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="also use the NAME.tick.j2 + NAME.schema.json templates in DIR (repeatable; "
        f"default: template_dirs of {CONFIG_NAME})",
    )
    add_config_option(parser)
    parser.add_argument(
        "--kapacitor-version",
        metavar="VERSION",
        default=os.environ.get("TICKGEN_KAPACITOR_VERSION") or None,
        help="the Kapacitor version the scripts must run on; handlers and properties newer "
        "than it are errors (default: $TICKGEN_KAPACITOR_VERSION, else for commands that "
        "talk to a server the target's kapacitor_version in tickgen.toml, else the "
        "server's own version; for the others the top-level kapacitor_version of "
        f"tickgen.toml, else {DEFAULT_KAPACITOR_VERSION})",
    )


def pinned_version(args: argparse.Namespace) -> str | None:
    """``--kapacitor-version`` (or its variable), checked; None when not given."""
    given: str | None = args.kapacitor_version
    return None if given is None else check_version(given, "--kapacitor-version")


def offline_version(args: argparse.Namespace) -> str:
    """The version an offline command checks for: the option, the project file, the default."""
    pinned = pinned_version(args)
    if pinned is not None:
        return pinned
    project = project_of(args)
    from_project = project.kapacitor_version if project is not None else None
    return from_project or DEFAULT_KAPACITOR_VERSION


def project_of(args: argparse.Namespace) -> Project | None:
    """The project file of this run (--config, $TICKGEN_CONFIG, ./tickgen.toml), read and
    checked once; None when there is none."""
    if "project" not in vars(args):
        config = find_config(getattr(args, "config", None))
        args.project = load_project(config) if config is not None else None
    project: Project | None = args.project
    return project


def use_project(args: argparse.Namespace, paths: str | None = "paths") -> Project | None:
    """Fill in what the command line leaves to the project file.

    ``args.<paths>`` (the FILE|DIR arguments) and ``--templates``: what was typed
    wins; else the project's ``paths`` and ``template_dirs``.  With neither, a
    command that needs files says so.
    """
    project = project_of(args)
    if paths is not None and not getattr(args, paths):
        if project is None or not project.paths:
            where = (
                f"{project.name} sets no paths" if project is not None
                else f"there is no {CONFIG_NAME} here"
            )
            raise TickgenError(
                f"the following arguments are required: FILE|DIR ({where}; name parameter "
                f'files or directories, or set paths = ["alerts/"] in {CONFIG_NAME})'
            )
        setattr(args, paths, list(project.paths))
    if not args.templates and project is not None:
        args.templates = list(project.template_dirs)
    return project


def project_defaults(args: argparse.Namespace) -> ProjectDefaults | None:
    """The project's ``defaults``, merged into every alert of this run."""
    project = project_of(args)
    return project.defaults_source() if project is not None else None


def renderer_from(args: argparse.Namespace, kapacitor_version: str | None = None) -> Renderer:
    """A renderer for ``kapacitor_version``, else for :func:`offline_version`."""
    from ..render import Renderer

    version = kapacitor_version or offline_version(args)
    return Renderer(args.templates, kapacitor_version=version)


# How long a command that talks to a server may take in all, unless --deadline or
# $TICKGEN_COMMAND_DEADLINE says otherwise: far more than a plan or apply of thousands
# of alerts needs (seconds), far less than a CI job's own timeout (an hour or more),
# so a stuck or crawling server ends the run with a report instead of a killed job.
DEFAULT_COMMAND_DEADLINE = 15 * 60.0
DEADLINE_HINT = "--deadline SECONDS or $TICKGEN_COMMAND_DEADLINE gives it more time"


def add_deadline_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--deadline",
        metavar="SECONDS",
        help="the most the whole command may take talking to servers; then it stops, says "
        "what it did and exits 1 (default: $TICKGEN_COMMAND_DEADLINE, else "
        f"{DEFAULT_COMMAND_DEADLINE:g} = {DEFAULT_COMMAND_DEADLINE / 60:g} minutes)",
    )


def command_deadline(args: argparse.Namespace) -> Deadline:
    """The command's deadline, starting now: ``--deadline``, else the variable, else
    the default; anything but a positive number of seconds is an error."""
    from ..client import Deadline

    given: str | None = getattr(args, "deadline", None)
    origin = "--deadline"
    if given is None:
        given = os.environ.get("TICKGEN_COMMAND_DEADLINE") or None
        origin = "$TICKGEN_COMMAND_DEADLINE"
    if given is None:
        seconds = DEFAULT_COMMAND_DEADLINE
    else:
        try:
            seconds = float(given)
        except ValueError:
            seconds = float("nan")
        if not (0 < seconds < float("inf")):
            raise TickgenError(
                f"{origin} must be a positive number of seconds (for example 900), not {given!r}"
            )
    return Deadline(seconds, name="the command deadline", hint=DEADLINE_HINT)


def fail_with(problems: Sequence[Problem]) -> NoReturn:
    """Raise every problem at once; main() prints them and exits 1."""
    raise ParameterError(problems)


def terminal_highlighter(stream: TextIO, choice: str) -> Callable[[str], str] | None:
    """The function that colours TICKscript for ``stream``, or None for plain text.

    Colour needs Pygments, an optional dependency (``tickgen[highlight]``): without
    it ``auto`` prints plain text, and ``always`` says why it does too.
    """
    from .colour import wants_colour

    if not wants_colour(stream, choice):
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
        # the bytes as they are: text-mode stdin turns a carriage return inside a
        # string into a line feed (Kapacitor reads bytes)
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:  # a replaced sys.stdin (tests): already text
            text = sys.stdin.read(MAX_FILE_BYTES + 1)
            size = len(text)
        else:
            data = binary.read(MAX_FILE_BYTES + 1)
            size = len(data)
        if size > MAX_FILE_BYTES:
            stderr_line(f"-: larger than the {MAX_FILE_BYTES >> 20} MiB tickgen reads")
            return None
        try:
            if binary is not None:
                text = decode(data, "-")
            else:
                problem = text_problem(text, "-")
                if problem is not None:
                    raise ParameterError([problem])
        except ParameterError as exc:
            for problem in exc.problems:
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
