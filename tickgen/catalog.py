"""The templates tickgen knows: the built-ins, and users' own from ``--templates DIR``.

A template is a pair ``<name>.tick.j2`` + ``<name>.schema.json`` in one
directory.  Built-ins also have a pydantic model (the typed Python API); user
templates have only their schema, and render in Jinja's sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._resources import data_dir
from .errors import ParameterError, TemplateError
from .schema import SchemaCheck, plain_text
from .textfile import read_text

__all__ = ["Catalog", "TemplateInfo"]

TEMPLATE_SUFFIX = ".tick.j2"
SCHEMA_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    template_path: Path
    schema_path: Path
    builtin: bool
    model: type[BaseModel] | None = field(default=None, compare=False)

    @cached_property
    def schema(self) -> dict[str, Any]:
        try:
            loaded = json.loads(read_text(self.schema_path, kind="schema"))
        except ParameterError as exc:
            raise TemplateError(str(exc), template=self.name) from None
        except RecursionError:
            raise TemplateError(
                f"{self.schema_path} is nested too deeply to be a schema", template=self.name
            ) from None
        except ValueError as exc:
            raise TemplateError(
                f"cannot read {self.schema_path}: {exc}", template=self.name
            ) from None
        if not isinstance(loaded, dict):
            raise TemplateError(f"{self.schema_path} is not a JSON object", template=self.name)
        if not self.builtin:
            problem = _reference_problem(loaded)
            if problem is not None:
                raise TemplateError(f"{self.schema_path}: {problem}", template=self.name)
        return loaded

    @cached_property
    def check(self) -> SchemaCheck:
        try:
            return SchemaCheck(self.schema)
        except Exception as exc:  # jsonschema.SchemaError and friends
            raise TemplateError(
                f"{self.schema_path} is not a valid JSON Schema: {exc}", template=self.name
            ) from None

    @property
    def description(self) -> str:
        """The schema's description (else title) as one line of plain text."""
        return plain_text(str(self.schema.get("description") or self.schema.get("title") or ""))


def _reference_problem(schema: dict[str, Any]) -> str | None:
    """A user's schema must be self-contained: a $ref to a file or a URL would be
    read from wherever it points (or fail obscurely at validation time)."""
    stack: list[Any] = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("$ref", "$dynamicRef") and isinstance(item, str):
                    if not item.startswith("#"):
                        return (
                            f"{key} {item!r} points outside the schema; a template's schema "
                            "must be self-contained (refer to '#/$defs/NAME' and put the "
                            "definition under $defs)"
                        )
                    if item.startswith("#/") and not _resolves(schema, item[2:]):
                        return f"{key} {item!r} does not resolve within the schema"
                    if _refers_to_itself(schema, value):
                        return (
                            f"{key} {item!r} refers back to itself without descending into "
                            "the value (checking a value against it would never end)"
                        )
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return None


def _resolves(schema: Any, pointer: str) -> bool:
    return _target(schema, pointer) is not _MISSING


_MISSING = object()


def _target(schema: Any, pointer: str) -> Any:
    """What the JSON pointer ``pointer`` (without its leading ``#/``) names, or _MISSING."""
    for raw in pointer.split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(schema, dict) and part in schema:
            schema = schema[part]
        elif isinstance(schema, list) and part.isdigit() and int(part) < len(schema):
            schema = schema[int(part)]
        else:
            return _MISSING
    return schema


def _refers_to_itself(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    """Whether following ``$ref`` from ``node`` comes back to it without descending
    into the value: a $ref applies in place, so such a chain never ends."""
    seen: set[int] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        if id(node) in seen:
            return True
        seen.add(id(node))
        ref: str = node["$ref"]
        if ref == "#":
            node = schema
        elif ref.startswith("#/"):
            node = _target(schema, ref[2:])
        else:
            return False
    return False


class Catalog:
    """Look templates up by name; user directories come after the built-ins."""

    def __init__(self, template_dirs: Sequence[str | Path] = ()) -> None:
        from .models import BUILTIN_MODELS

        self.template_dirs = [Path(d) for d in template_dirs]
        self._templates: dict[str, TemplateInfo] = {}
        builtin_dir = data_dir("templates")
        schema_dir = data_dir("schemas")
        for name, model in BUILTIN_MODELS.items():
            self._templates[name] = TemplateInfo(
                name,
                builtin_dir / f"{name}{TEMPLATE_SUFFIX}",
                schema_dir / f"{name}{SCHEMA_SUFFIX}",
                True,
                model,
            )
        for directory in self.template_dirs:
            self._add_user_dir(directory)

    def _add_user_dir(self, directory: Path) -> None:
        if not directory.is_dir():
            raise TemplateError(f"template directory {directory} does not exist")
        for template_path in sorted(directory.glob(f"*{TEMPLATE_SUFFIX}")):
            name = template_path.name[: -len(TEMPLATE_SUFFIX)]
            schema_path = directory / f"{name}{SCHEMA_SUFFIX}"
            if not schema_path.is_file():
                raise TemplateError(
                    f"{template_path} has no schema: add {schema_path} describing its parameters",
                    template=name,
                )
            known = self._templates.get(name)
            if known is not None:
                where = "a built-in template" if known.builtin else str(known.template_path)
                raise TemplateError(
                    f"{template_path} has the same name as {where}; rename it", template=name
                )
            self._templates[name] = TemplateInfo(name, template_path, schema_path, False)

    def __iter__(self) -> Iterator[TemplateInfo]:
        return iter(self._templates.values())

    def names(self) -> list[str]:
        return list(self._templates)

    def get(self, name: str) -> TemplateInfo:
        try:
            return self._templates[name]
        except KeyError:
            raise TemplateError(
                f"unknown template {name!r}; known templates: {', '.join(self._templates)}"
            ) from None

    def find(self, name: str) -> TemplateInfo | None:
        return self._templates.get(name)
