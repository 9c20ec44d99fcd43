"""Generate the built-in templates' JSON Schemas from the pydantic models.

The models are the source of truth; ``scripts/gen-schemas`` writes
``schemas/<template>.schema.json`` from them and ``tests/test_schemas.py`` fails
when the checked-in files drift.  The generated schema is rewritten into the
shape that gives a person good errors:

* tagged unions (``oneOf`` + ``discriminator``, which jsonschema ignores) become
  an ``enum`` on the tag plus ``if``/``then`` per tag, so an error names the
  property that is wrong instead of "not valid under any of the given schemas";
* unions of plain types become one ``type`` list;
* bounds that pydantic leaves under its own names (``ge``, ``le``) on a union
  become ``minimum``/``maximum``;
* ``title`` noise is dropped.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from tickgen.models import BUILTIN_MODELS

__all__ = [
    "PROJECT_FILE_SCHEMA",
    "TEST_FILE_SCHEMA",
    "model_schema",
    "project_file_schema_text",
    "schema_text",
    "test_file_schema_text",
]

# The schema of `tickgen test` files (tickgen.testing.spec), beside the templates' ones.
TEST_FILE_SCHEMA = "testing/test-file.schema.json"
# The schema of the project file, tickgen.toml (tickgen.projectmodel); tickgen.project
# reads it from here.
PROJECT_FILE_SCHEMA = "project/tickgen.schema.json"

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    raw = model.model_json_schema(mode="validation")
    defs = raw.pop("$defs", {})
    schema: dict[str, Any] = {"$schema": _DIALECT, "title": raw.pop("title", model.__name__)}
    schema.update(_clean(raw, defs))
    if defs:
        schema["$defs"] = {name: _clean(body, defs) for name, body in sorted(defs.items())}
    return schema


def schema_text(model: type[BaseModel]) -> str:
    return json.dumps(model_schema(model), indent=2, ensure_ascii=False) + "\n"


def test_file_schema_text() -> str:
    """The JSON Schema of test files, generated from tickgen.testing.spec.TestFile."""
    from tickgen.testing.spec import TestFile

    return schema_text(TestFile)


test_file_schema_text.__test__ = False  # type: ignore[attr-defined]


def project_file_schema_text() -> str:
    """The JSON Schema of tickgen.toml, generated from tickgen.projectmodel.ProjectFile.

    TOML has no null: the defaults of optional keys (None) are left out, so an
    editor offers only values that can be written.
    """
    from tickgen.projectmodel import ProjectFile

    schema = _without_null_defaults(model_schema(ProjectFile))
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _without_null_defaults(node: Any) -> Any:
    if isinstance(node, list):
        return [_without_null_defaults(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _without_null_defaults(value)
        for key, value in node.items()
        if not (key == "default" and value is None)
    }


# Field(ge=...) on a union (Number = int | float) reaches the schema under
# pydantic's own names, which JSON Schema ignores; these are their keywords.
_CONSTRAINTS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}


def _clean(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_clean(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: value for key, value in node.items() if key != "title"}
    if "anyOf" in node or isinstance(node.get("type"), (str, list)):
        node = {_CONSTRAINTS.get(key, key): value for key, value in node.items()}
    if "discriminator" in node and "oneOf" in node:
        return _tagged_union(node, defs)
    for key in ("anyOf", "oneOf"):
        if key in node:
            merged = _merge_plain_types(node[key])
            if merged is not None:
                rest = {k: v for k, v in node.items() if k != key}
                return _clean({**merged, **rest}, defs)
    return {key: _clean(value, defs) for key, value in node.items()}


def _merge_plain_types(branches: list[Any]) -> dict[str, Any] | None:
    """``anyOf: [{type: a}, {type: b, ...}]`` -> ``{type: [a, b], ...}`` when safe."""
    types: list[str] = []
    extra: dict[str, Any] = {}
    for branch in branches:
        if not isinstance(branch, dict) or set(branch) - {
            "type",
            "minLength",
            "pattern",
            "description",
            "examples",
            "minimum",
            "maximum",
        }:
            return None
        kind = branch.get("type")
        if not isinstance(kind, str):
            return None
        for key, value in branch.items():
            if key == "type":
                continue
            if key in extra and extra[key] != value:
                return None
            extra[key] = value
        types.append(kind)
    if "integer" in types and "number" in types:
        types.remove("integer")
    return {"type": types if len(types) > 1 else types[0], **extra}


def _tagged_union(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    tag = node["discriminator"]["propertyName"]
    by_ref: dict[str, list[str]] = {}
    for value, ref in node["discriminator"]["mapping"].items():
        by_ref.setdefault(ref, []).append(value)
    branches = []
    for ref, values in by_ref.items():
        condition: dict[str, Any] = {"const": values[0]} if len(values) == 1 else {"enum": values}
        branches.append({"if": {"properties": {tag: condition}}, "then": {"$ref": ref}})
    tags = [value for values in by_ref.values() for value in values]
    result: dict[str, Any] = {
        "type": "object",
        "required": [tag],
        "properties": {tag: {"enum": tags}},
        "allOf": branches,
    }
    for key, value in node.items():
        if key not in ("oneOf", "discriminator"):
            result[key] = _clean(value, defs)
    return result
