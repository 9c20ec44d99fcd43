"""tickgen completion: the shell code that completes tickgen's commands, options and names.

argcomplete does the work: the script this prints calls ``tickgen`` back on each
TAB with the command line in its environment, and :func:`tickgen.cli.main` answers
from the same argparse parser that runs the commands, so completion cannot drift
from the options.  Being called back is what lets it complete names that only
exist at that moment: the templates (built-in and ``--templates DIR``) and the
targets and template directories of ``tickgen.toml`` (or ``--config FILE``, or
``$TICKGEN_CONFIG``).  shtab writes static scripts
instead, but has no fish and needs shell code of our own for dynamic names.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHELLS = ("bash", "zsh", "fish")
CONFIG_NAME = "tickgen.toml"  # tickgen.project's; not imported, to keep each TAB press short
CONFIG_ENV = "TICKGEN_CONFIG"

Completer = Callable[..., list[str]]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from ._common import command_parser

    parser = command_parser(
        sub,
        "completion",
        summary="print the shell code for TAB completion of tickgen",
        description=(
            "Print the code that makes SHELL complete tickgen's commands and options,\n"
            "the template names of 'tickgen schema', and the --target names of the\n"
            "project's tickgen.toml. Load it in the shell's startup file."
        ),
        example=(
            'eval "$(tickgen completion bash)"        # in ~/.bashrc\n'
            'eval "$(tickgen completion zsh)"         # in ~/.zshrc, after compinit\n'
            "tickgen completion fish > ~/.config/fish/completions/tickgen.fish"
        ),
    )
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["tickgen"], shell=args.shell))
    return 0


def complete_with(action: argparse.Action, completer: Completer) -> argparse.Action:
    """Attach ``completer`` to an option or argument (argcomplete reads ``.completer``)."""
    action.completer = completer  # type: ignore[attr-defined]
    return action


def template_names(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    """The built-in templates and those of the --templates directories typed so far."""
    from ..catalog import Catalog
    from ..errors import TickgenError

    dirs = getattr(parsed_args, "templates", None)
    if not dirs:  # the project's own templates, relative to its file
        config = _config_path(parsed_args)
        given = _config(parsed_args).get("template_dirs", [])
        if isinstance(given, list):
            dirs = [str(config.parent / d) for d in given if isinstance(d, str)]
    try:
        names = Catalog(dirs or []).names()
    except (TickgenError, OSError):  # a bad --templates DIR: complete what can be found
        names = Catalog([]).names()
    return [name for name in names if name.startswith(prefix)]


def target_names(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    """The ``[targets.NAME]`` tables of the project file."""
    targets = _config(parsed_args).get("targets", {})
    if not isinstance(targets, dict):
        return []
    return sorted(name for name in targets if name.startswith(prefix))


def _config_path(parsed_args: argparse.Namespace) -> Path:
    """--config FILE, else $TICKGEN_CONFIG, else ./tickgen.toml."""
    return Path(
        getattr(parsed_args, "config", None) or os.environ.get(CONFIG_ENV) or CONFIG_NAME
    )


def _config(parsed_args: argparse.Namespace) -> dict[str, Any]:
    """The project file's TOML, as far as it can be read; {} when it cannot (yet)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    try:
        return tomllib.loads(_config_path(parsed_args).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no file, or one that does not parse yet: nothing to offer
        return {}


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer a completion request (and exit) when the shell code called tickgen for one."""
    import argcomplete

    argcomplete.autocomplete(parser)
