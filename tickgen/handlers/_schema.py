"""JSON Schema for handler lists whose errors name the property at fault.

pydantic writes a discriminated union as ``oneOf`` plus an OpenAPI
``discriminator`` keyword that JSON Schema validators ignore.  A handler with
one misspelt key then fails all 25 branches, and jsonschema reports only
"is not valid under any of the given schemas".  :func:`if_then` rewrites each
such union into ``kind: {enum: [...]}`` and one ``if kind == K then $ref``
per branch, so the validator checks only the branch the user meant and says
"'chanel' was unexpected" or "'x' is not one of ['c', 'i', 'n', 's', 't']".
It works on any schema pydantic generated (the alert's condition union too).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

__all__ = ["handlers_json_schema", "if_then"]


def if_then(schema: Any) -> Any:
    """A copy of ``schema`` with every discriminated ``oneOf`` made into if/then branches."""
    if isinstance(schema, list):
        return [if_then(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: if_then(value) for key, value in schema.items()}
    discriminator = converted.get("discriminator")
    if not (isinstance(discriminator, dict) and "oneOf" in converted):
        return converted
    name = discriminator["propertyName"]
    mapping: dict[str, str] = discriminator["mapping"]
    rest = {k: v for k, v in converted.items() if k not in ("oneOf", "discriminator")}
    return {
        **rest,
        "type": "object",
        "required": [name],
        "properties": {name: {"enum": list(mapping)}},
        "allOf": [
            {
                "if": {"properties": {name: {"const": value}}, "required": [name]},
                "then": {"$ref": ref},
            }
            for value, ref in mapping.items()
        ],
    }


def handlers_json_schema() -> dict[str, Any]:
    """The JSON Schema of a list of handlers, with if/then branches."""
    from . import Handler  # the union is defined in the package's __init__

    result: dict[str, Any] = if_then(TypeAdapter(list[Handler]).json_schema())
    return result
