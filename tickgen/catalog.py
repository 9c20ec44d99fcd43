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
from .errors import TemplateError
from .schema import SchemaCheck

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
            loaded = json.loads(self.schema_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TemplateError(
                f"cannot read {self.schema_path}: {exc}", template=self.name
            ) from None
        if not isinstance(loaded, dict):
            raise TemplateError(f"{self.schema_path} is not a JSON object", template=self.name)
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
        text = str(self.schema.get("description") or self.schema.get("title") or "")
        return " ".join(text.split())


class Catalog:
    """Look templates up by name; user directories come after the built-ins."""

    def __init__(self, template_dirs: Sequence[str | Path] = ()) -> None:
        from .schemagen import BUILTIN_MODELS

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
