"""The ``tickgen`` command: ``main(argv) -> int``; one module per subcommand.

Each command module has ``register(subparsers)``, which adds its parser and sets
``run`` (a function ``(argparse.Namespace) -> int``).  This module is the one
place that turns a :class:`~tickgen.errors.TickgenError` into a message on
stderr and exit status 1, and Ctrl-C into 130.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from .._version import __version__

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

# name of the subcommand -> its module under tickgen.cli
COMMANDS = {
    "render": "render",
    "validate": "validate",
    "templates": "templates",
    "schema": "schema",
    "fmt": "fmt",
    "lint": "lint",
    "graph": "graph",
    "plan": "plan",
    "apply": "apply",
    "import": "import_",
    "test": "test",
    "completion": "completion",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 1 like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, if its first argument is one.

    The options before a subcommand are only --version and --help, so the
    first argument is the subcommand or no command at all.
    """
    return argv[0] if argv and argv[0] in COMMANDS else None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, one that knows only the commands it can need.

    Each command module imports what its command uses (the deploy code and
    httpx for plan and apply, Jinja and pydantic for render), so ``tickgen
    render`` registers only render and never loads the others, and ``tickgen
    --version`` loads none.  Help and unknown commands register them all.
    """
    parser = _Parser(
        prog="tickgen",
        description=(
            "Kapacitor alerts as code: render parameter files into canonical TICKscripts, "
            "check them offline, and plan and apply them to Kapacitor servers."
        ),
        epilog="Run 'tickgen COMMAND --help' for the options and an example of each command.",
    )
    parser.add_argument("--version", action="version", version=f"tickgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if argv is not None and list(argv[:1]) == ["--version"]:
        return parser
    chosen = _chosen_command(argv) if argv is not None else None
    for name, module_name in COMMANDS.items():
        if chosen is None or name == chosen:
            importlib.import_module(f"{__name__}.{module_name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:  # the shell code of 'tickgen completion' asks
        from .completion import autocomplete

        autocomplete(build_parser())  # every command; prints the candidates and exits
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)  # --version, --help and usage errors exit here
    from ..errors import TickgenError  # after: `tickgen --version` loads no more of tickgen

    try:
        if getattr(args, "run", None) is None:
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        code: int = args.run(args)
        return code
    except TickgenError as exc:
        from ._hints import server_hint

        print(f"tickgen: error: {exc}{server_hint(exc, args)}", file=sys.stderr)
        return EXIT_ERROR
    except RecursionError:
        # every input is depth-limited where it is read; this is the last resort
        print("tickgen: error: the input is nested too deeply to process", file=sys.stderr)
        return EXIT_ERROR
    except MemoryError:
        print(
            "tickgen: error: out of memory (is an input file far larger than usual?)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tickgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (tickgen render | head); not an error of ours
        sys.stderr.close()
        return EXIT_OK


# Young objects between two runs of the cyclic collector (CPython's default is
# 700).  Rendering an alert allocates thousands of objects, all freed by reference
# counting (the render path makes no reference cycles: tests/test_memory.py), so
# at the default a collection runs several times per alert and each one walks
# what is alive at that moment: 150 to 290 us per alert of a 1.2 ms alert
# (gc.callbacks clock over 2,000 alerts, shape cache on), 50 to 140 us at 10,000.
# The command owns its process, so it sets this once; the library leaves the
# collector of a user's program alone.
_YOUNG_OBJECTS = 10_000


def tune_collector() -> None:
    """Run the cyclic collector every 10,000 young objects (see above); the command
    calls it for its own process, and so does the benchmark that stands in for it."""
    young, *older = gc.get_threshold()
    gc.set_threshold(max(young, _YOUNG_OBJECTS), *older)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off while one parameter file is read.

    Reading a file builds PyYAML's node tree and then the values, all alive until
    the read ends, so a collection meanwhile frees nothing; yet the live heap
    grows all the while, and each full collection walks all of it: 0.96 s of the
    collector in a 9.7 s render of one 10,000-alert file, 0.10 s with it paused
    for the read (gc.callbacks clock).  What the read leaves behind is walked
    by the collections after it, as anything else.  Only the command does this:
    the library leaves a user's collector alone (``pipeline.run`` takes it as
    ``reading``).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _load_command(argv: Sequence[str]) -> None:
    """Import the module of the command ``argv`` names, with the collector off.

    What a command imports (its modules, pydantic, Jinja, PyYAML: some 60,000
    objects) lives until the process ends, so a collection while importing it
    frees nothing, yet each one walks the young objects and every tenth all of
    them: six collections, ~20 ms of CPU of a one-file render here
    (gc.callbacks clock).  The loaded objects are then frozen, never walked by
    the collections of the run itself.
    """
    command = _chosen_command(argv)
    if command is None:
        return
    gc.disable()
    try:
        importlib.import_module(f"{__name__}.{COMMANDS[command]}")
    finally:
        gc.freeze()
        gc.enable()


def console_main() -> None:
    # Pydantic looks for plugins (the "pydantic" entry point group) by reading
    # the metadata of every installed distribution when the first model is
    # built: 30 ms of CPU per run here, for plugins that would only observe
    # tickgen's own internal models.  The command turns that off unless the
    # user has chosen; the library (tickgen.render in a user's program) does not.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _load_command(sys.argv[1:])
    tune_collector()
    code = main()
    # On the way out the interpreter's last garbage collections walk every object
    # the run made (pydantic's and Jinja's included), ~40 ms of CPU for a one-file
    # render here; frozen objects are not walked.  Files are still flushed and
    # closed and atexit still runs; the process returns the memory.
    gc.freeze()
    sys.exit(code)
