"""tickgen schema: print a template's JSON Schema."""

from __future__ import annotations

import argparse
import json

from ..catalog import Catalog
from ._common import command_parser
from .completion import complete_with, template_names


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "schema",
        summary="print a template's JSON Schema",
        description=(
            "Print the JSON Schema (draft 2020-12) that a template's parameters must satisfy."
        ),
        example="tickgen schema threshold\ntickgen schema --templates my-templates/ disk",
    )
    complete_with(
        parser.add_argument("name", help="the template name (see 'tickgen templates')"),
        template_names,
    )
    parser.add_argument(
        "--templates", metavar="DIR", action="append", default=[], help="also look in DIR"
    )
    parser.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    info = Catalog(args.templates).get(args.name)
    print(json.dumps(info.schema, indent=2, ensure_ascii=False))
    return 0
