"""tickgen schema: print a template's JSON Schema, or the project file's."""

from __future__ import annotations

import argparse
import json

from .._resources import data_dir
from ..catalog import Catalog
from ..project import CONFIG_NAME, PROJECT_SCHEMA
from ._common import add_config_option, command_parser, use_project
from .completion import complete_with, template_names


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "schema",
        summary="print a template's JSON Schema",
        description=(
            "Print the JSON Schema (draft 2020-12) that a template's parameters must satisfy;\n"
            f"with {CONFIG_NAME} as NAME, the schema of the project file (for editors)."
        ),
        example=(
            "tickgen schema threshold\n"
            "tickgen schema --templates my-templates/ disk\n"
            f"tickgen schema {CONFIG_NAME} > .tickgen.schema.json   # then #:schema in the file"
        ),
    )
    complete_with(
        parser.add_argument(
            "name", help=f"the template name (see 'tickgen templates'), or {CONFIG_NAME}"
        ),
        template_names,
    )
    parser.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="also look in DIR (default: template_dirs of tickgen.toml)",
    )
    add_config_option(parser)
    parser.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    if args.name == CONFIG_NAME:
        print((data_dir("schemas") / PROJECT_SCHEMA).read_text(encoding="utf-8"), end="")
        return 0
    use_project(args, paths=None)
    info = Catalog(args.templates).get(args.name)
    print(json.dumps(info.schema, indent=2, ensure_ascii=False))
    return 0
