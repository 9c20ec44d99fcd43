"""The compiled schema predicate agrees with jsonschema, and never accepts more.

The predicate is what says "valid" for almost every alert (SchemaCheck runs
jsonschema only when it says no), so it is compared with a plain jsonschema
Draft 2020-12 validator on valid alerts and on many mutations of them: values
replaced by other types, by the schemas' own constants and by near misses,
keys removed and added, at every depth.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tickgen.params import document_alerts, read_document
from tickgen.schema import SchemaCheck
from tickgen.schema_compile import Unsupported, compile_predicate

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.schema.json")) + sorted(
    (ROOT / "examples" / "templates").glob("*.schema.json")
)


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@functools.cache
def _compiled(path: Path) -> tuple[Draft202012Validator, Any, SchemaCheck, list[str], list[Any]]:
    """jsonschema's validator, the predicate, a SchemaCheck, and the schema's keys and values."""
    schema = _load(path)
    keys: set[str] = set()
    pool: list[Any] = []
    _harvest(schema, keys, pool)
    return Draft202012Validator(schema), compile_predicate(schema), SchemaCheck(schema), sorted(keys), pool


def _valid_alerts() -> dict[str, list[dict[str, Any]]]:
    """Every alert of the examples, by template."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        if path.name.endswith(".test.yaml"):  # tickgen test files, not parameters
            continue
        for source in document_alerts(read_document(path)):
            found.setdefault(str(source.params["template"]), []).append(dict(source.params))
    return found


VALID = _valid_alerts()


def _harvest(schema: Any, keys: set[str], values: list[Any]) -> None:
    """Property names and the constants, enums, defaults and examples of a schema."""
    if isinstance(schema, dict):
        for word, sub in schema.items():
            if word in ("properties", "$defs") and isinstance(sub, dict):
                keys.update(sub)
                for child in sub.values():
                    _harvest(child, keys, values)
            elif word == "const":
                values.append(sub)
            elif word in ("enum", "examples") and isinstance(sub, list):
                values.extend(sub)
            elif word == "default":
                values.append(sub)
            else:
                _harvest(sub, keys, values)
    elif isinstance(schema, list):
        for item in schema:
            _harvest(item, keys, values)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 200)
    | st.floats(-1e3, 1e3, allow_nan=False)
    | st.sampled_from([0, 1, 1.0, -1, 0.5, 100, 101, 1e9, "", " ", "5m", "0s", "10x", "#x"])
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _mutate(data: st.DataObject, value: Any, keys: list[str], pool: list[Any], depth: int) -> Any:
    """``value`` with one random change somewhere inside it."""
    choices = ["replace"]
    if isinstance(value, dict) and value:
        choices += ["descend", "descend", "descend", "delete", "add"]
    elif isinstance(value, dict):
        choices += ["add"]
    elif isinstance(value, list) and value:
        choices += ["descend", "descend", "delete", "add"]
    elif isinstance(value, list):
        choices += ["add"]
    if depth == 0 and isinstance(value, dict):
        choices.remove("replace")  # keep the top a mapping: that is where the schema is
    choice = data.draw(st.sampled_from(choices))
    new_value = st.sampled_from(pool) | JSON if pool else JSON
    if choice == "replace":
        return data.draw(new_value)
    if isinstance(value, dict):
        copy = dict(value)
        names = sorted(copy, key=str)
        if choice == "descend":
            name = data.draw(st.sampled_from(names))
            copy[name] = _mutate(data, copy[name], keys, pool, depth + 1)
        elif choice == "delete":
            del copy[data.draw(st.sampled_from(names))]
        else:
            copy[data.draw(st.sampled_from(keys) | st.text(max_size=4))] = data.draw(new_value)
        return copy
    assert isinstance(value, list)
    items = list(value)
    if choice == "descend":
        at = data.draw(st.integers(0, len(items) - 1))
        items[at] = _mutate(data, items[at], keys, pool, depth + 1)
    elif choice == "delete":
        del items[data.draw(st.integers(0, len(items) - 1))]
    else:
        items.append(data.draw(new_value))
    return items


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_shipped_schema_compiles(path: Path) -> None:
    compile_predicate(_load(path))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_valid_examples_are_accepted(path: Path) -> None:
    schema = _load(path)
    name = path.name.removesuffix(".schema.json")
    alerts = VALID.get(name, [])
    assert alerts, f"no example alert uses {name}"
    valid = compile_predicate(schema)
    for alert in alerts:
        assert not list(Draft202012Validator(schema).iter_errors(alert))
        assert valid(alert), alert


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_predicate_agrees_with_jsonschema(path: Path, data: st.DataObject) -> None:
    validator, valid, check, keys, pool = _compiled(path)
    name = path.name.removesuffix(".schema.json")
    instance = data.draw(st.sampled_from(VALID[name]))
    for _ in range(data.draw(st.integers(1, 3))):
        instance = _mutate(data, instance, keys, pool, 0)
    expected = not any(True for _ in validator.iter_errors(instance))
    assert valid(instance) is expected, instance
    # and SchemaCheck, which trusts the predicate, says the same
    assert (not check.errors(instance)) is expected


@pytest.mark.parametrize(
    ("schema", "instance", "valid"),
    [
        ({"type": "integer"}, 1.0, True),
        ({"type": "integer"}, 1.5, False),
        ({"type": "integer"}, True, False),
        ({"type": "number"}, False, False),
        ({"type": ["string", "null"]}, None, True),
        ({"const": 1}, True, False),
        ({"const": True}, 1, False),
        ({"const": 1}, 1.0, True),
        ({"enum": ["a", 2]}, 2.0, True),
        ({"enum": ["a", 2]}, "b", False),
        ({"minimum": 1}, "0", True),  # numeric keywords ignore strings
        ({"minLength": 2}, 5, True),
        ({"pattern": "^a"}, "ba", False),
        ({"pattern": "b"}, "ab", True),  # search, not match
        ({"required": ["a"]}, [], True),  # object keywords ignore lists
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x"}, True),
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"b": 1}, False),
        ({"propertyNames": {"pattern": "^[a-z]+$"}}, {"A": 1}, False),
        ({"items": {"type": "integer"}, "minItems": 1}, [], False),
        ({"if": {"required": ["a"]}, "then": {"required": ["b"]}}, {"a": 1}, False),
        ({"if": {"required": ["a"]}, "else": {"required": ["b"]}}, {}, False),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 3, True),
        ({"$defs": {"n": {"type": "null"}}, "$ref": "#/$defs/n", "description": "x"}, None, True),
        (
            {
                "$defs": {"tree": {"type": "object", "properties": {"kids": {"items": {"$ref": "#/$defs/tree"}}}}},
                "$ref": "#/$defs/tree",
            },
            {"kids": [{"kids": [{"kids": 1}]}]},
            True,
        ),
        (
            {
                "$defs": {"tree": {"type": "object", "properties": {"kids": {"items": {"$ref": "#/$defs/tree"}}}}},
                "$ref": "#/$defs/tree",
            },
            {"kids": [{"kids": [3]}]},
            False,
        ),
    ],
)
def test_keyword_semantics_match_jsonschema(schema: dict[str, Any], instance: Any, valid: bool) -> None:
    assert (not list(Draft202012Validator(schema).iter_errors(instance))) is valid
    assert compile_predicate(schema)(instance) is valid


TAGGED = {
    "allOf": [
        {"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}},
        {"if": {"properties": {"kind": {"const": "b"}}}, "then": {"required": ["y"]}},
    ]
}


@pytest.mark.parametrize(
    ("instance", "valid"),
    [
        ({"kind": "a", "x": 1}, True),
        ({"kind": "a", "y": 1}, False),
        ({"kind": "c"}, True),  # no branch's if holds
        ({"x": 1}, False),  # no tag: every if holds vacuously, so every then applies
        ({"x": 1, "y": 1}, True),
        ({"kind": 1}, True),  # a tag that is not a string runs every branch; none holds
        ("text", True),
    ],
)
def test_tagged_union_jump_is_exact(instance: Any, valid: bool) -> None:
    assert (not list(Draft202012Validator(TAGGED).iter_errors(instance))) is valid
    assert compile_predicate(TAGGED)(instance) is valid


@pytest.mark.parametrize(
    "schema",
    [
        {"format": "email"},
        {"patternProperties": {"^a": {}}},
        {"$ref": "https://example.com/s.json"},
        {"$ref": "#/$defs/missing"},
        {"enum": [[1, 2]]},
        {"const": {"a": 1}},
        {"items": [{"type": "string"}]},
        {"type": "decimal"},
        {"not": {"type": "string"}},
        {"oneOf": [{"type": "string"}]},
    ],
)
def test_anything_else_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_predicate(schema)
    # (when jsonschema can use it: these refs do not resolve, some are not 2020-12)
    if "$ref" not in schema and Draft202012Validator(Draft202012Validator.META_SCHEMA).is_valid(schema):
        # SchemaCheck still checks, with jsonschema alone
        found = SchemaCheck({**schema, "required": ["a"]}).errors({})
        assert ((), "missing required parameter 'a'") in found


def test_schema_check_reports_errors_the_predicate_rejected() -> None:
    check = SchemaCheck({"type": "object", "properties": {"n": {"type": "integer"}}})
    assert check.errors({"n": 1}) == []
    assert check.errors({"n": "x"}) == [(("n",), "'x' is not a whole number")]
