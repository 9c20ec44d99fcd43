"""tickgen templates: list the templates, one line each."""

from __future__ import annotations

import argparse

from ..catalog import Catalog
from ._common import add_config_option, command_parser, use_project


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "templates",
        summary="list the available templates",
        description="List the built-in templates and those in --templates directories.",
        example="tickgen templates\ntickgen templates --templates my-templates/",
    )
    parser.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="also list the templates in DIR (default: template_dirs of tickgen.toml)",
    )
    add_config_option(parser)
    parser.set_defaults(run=run_templates)


def run_templates(args: argparse.Namespace) -> int:
    use_project(args, paths=None)
    catalog = Catalog(args.templates)
    infos = list(catalog)
    width = max(len(info.name) for info in infos)
    for info in infos:
        origin = "built-in" if info.builtin else str(info.template_path.parent)
        print(f"{info.name:<{width}}  {info.description}  [{origin}]")
    return 0
