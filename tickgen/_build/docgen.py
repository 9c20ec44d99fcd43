"""The parameter reference in docs/parameters.md, generated from the built-in schemas.

``scripts/gen-docs`` writes it; ``tests/test_docs.py`` fails when it is stale.
"""

from __future__ import annotations

import json
from typing import Any

from tickgen.models import BUILTIN_MODELS

from .schemagen import model_schema

__all__ = ["parameters_markdown"]


def _type(spec: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in spec:
        return _ref_name(spec["$ref"])
    if "anyOf" in spec:
        return " or ".join(_type(branch, defs) for branch in spec["anyOf"])
    if "enum" in spec:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in spec["enum"])
    if "const" in spec:
        return f"`{json.dumps(spec['const'])}`"
    kind = spec.get("type", "any")
    names = kind if isinstance(kind, list) else [kind]
    words = []
    for name in names:
        if name == "array":
            words.append(f"list of {_type(spec.get('items', {}), defs)}")
        elif name == "object" and isinstance(spec.get("additionalProperties"), dict):
            words.append(f"map of {_type(spec['additionalProperties'], defs)}")
        elif name == "string" and "pattern" in spec and "µ" in spec["pattern"]:
            words.append("duration")
        else:
            words.append(str(name))
    return " or ".join(words)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _table(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| parameter | type | default | description |", "|---|---|---|---|"]
    for name, spec in schema.get("properties", {}).items():
        default = "**required**" if name in required else f"`{json.dumps(spec.get('default'))}`"
        description = " ".join(str(spec.get("description", "")).split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {_type(spec, defs)} | {default} | {description} |")
    return lines


def parameters_markdown() -> str:
    out = [
        "# Parameters of the built-in templates",
        "",
        "Generated from `schemas/*.schema.json` by `scripts/gen-docs`; do not edit.",
        "Parameter files use these names (snake_case); so do the Python models.",
        "",
    ]
    shared: dict[str, Any] = {}
    for name, model in BUILTIN_MODELS.items():
        schema = model_schema(model)
        defs = schema.get("$defs", {})
        shared.update(defs)
        out += [f"## `{name}`", "", " ".join(str(schema.get("description", "")).split()), ""]
        out += _table(schema, defs)
        out.append("")
    out += ["## Shared types", ""]
    for name in sorted(shared):
        if name.endswith("Handler") or name in ("PagerDutyLink", "SnmpTrapData"):
            continue  # handlers have their own section
        spec = shared[name]
        out += [f"### {name}", "", " ".join(str(spec.get("description", "")).split()), ""]
        out += _table(spec, shared)
        out.append("")
    out += [
        "## Handlers",
        "",
        "Each entry of `handlers` has a `kind` and that handler's properties.",
        "",
    ]
    for name in sorted(n for n in shared if n.endswith("Handler")):
        spec = shared[name]
        kind = spec.get("properties", {}).get("kind", {}).get("const", name)
        since = spec.get("x-kapacitor-since")
        added = f" (Kapacitor {since}+)" if since else ""
        out += [f"### `{kind}`{added}", "", " ".join(str(spec.get("description", "")).split()), ""]
        out += _table(spec, shared)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
