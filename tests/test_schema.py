"""SchemaCheck's two validators agree: jsonschema-rs says "valid", jsonschema words errors.

jsonschema-rs is what says "valid" for almost every alert (SchemaCheck runs
jsonschema only when it says no), so its verdict is compared with a plain
jsonschema Draft 2020-12 validator on valid alerts and on many mutations of
them: values replaced by other types, by the schemas' own constants and by near
misses, keys removed and added, at every depth.  Where jsonschema-rs is missing
(forced here), jsonschema alone must give the same results.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import tickgen.schema
from tickgen.params import document_alerts, read_document
from tickgen.schema import SchemaCheck

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.schema.json")) + sorted(
    (ROOT / "examples" / "templates").glob("*.schema.json")
)


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _without_rs(schema: dict[str, Any]) -> SchemaCheck:
    """A SchemaCheck built as on a platform without jsonschema-rs."""
    saved = tickgen.schema.jsonschema_rs
    tickgen.schema.jsonschema_rs = None  # type: ignore[assignment]
    try:
        return SchemaCheck(schema)
    finally:
        tickgen.schema.jsonschema_rs = saved


@functools.cache
def _compiled(
    path: Path,
) -> tuple[Draft202012Validator, Any, SchemaCheck, SchemaCheck, list[str], list[Any]]:
    """jsonschema's and jsonschema-rs's validators, SchemaCheck with and without
    jsonschema-rs, and the schema's keys and values."""
    schema = _load(path)
    keys: set[str] = set()
    pool: list[Any] = []
    _harvest(schema, keys, pool)
    return (
        Draft202012Validator(schema),
        jsonschema_rs.Draft202012Validator(schema),
        SchemaCheck(schema),
        _without_rs(schema),
        sorted(keys),
        pool,
    )


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
def test_every_shipped_schema_takes_the_fast_path(path: Path) -> None:
    check = SchemaCheck(_load(path))
    assert check._valid is not None  # jsonschema-rs built a validator for it
    assert check._validator is None  # and jsonschema is not even set up yet


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_valid_examples_are_accepted(path: Path) -> None:
    name = path.name.removesuffix(".schema.json")
    alerts = VALID.get(name, [])
    assert alerts, f"no example alert uses {name}"
    validator, fast, check, slow, _, _ = _compiled(path)
    for alert in alerts:
        assert not list(validator.iter_errors(alert))
        assert fast.is_valid(alert), alert
        assert check.errors(alert) == [] == slow.errors(alert)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_jsonschema_rs_agrees_with_jsonschema(path: Path, data: st.DataObject) -> None:
    validator, fast, check, slow, keys, pool = _compiled(path)
    name = path.name.removesuffix(".schema.json")
    instance = data.draw(st.sampled_from(VALID[name]))
    for _ in range(data.draw(st.integers(1, 3))):
        instance = _mutate(data, instance, keys, pool, 0)
    expected = not any(True for _ in validator.iter_errors(instance))
    assert fast.is_valid(instance) is expected, instance
    # SchemaCheck says the same with jsonschema-rs and without it, word for word
    found = check.errors(instance)
    assert (not found) is expected
    assert found == slow.errors(instance)


@pytest.mark.parametrize(
    ("schema", "instance", "valid"),
    [
        ({"type": "integer"}, 1.0, True),
        ({"type": "integer"}, 1.5, False),
        ({"type": "integer"}, True, False),
        ({"type": "integer"}, 10**30, True),
        ({"type": "number"}, False, False),
        ({"type": ["string", "null"]}, None, True),
        ({"const": 1}, True, False),
        ({"const": True}, 1, False),
        ({"const": 1}, 1.0, True),
        ({"enum": ["a", 2]}, 2.0, True),
        ({"enum": ["a", 2]}, "b", False),
        ({"minimum": 1}, "0", True),  # numeric keywords ignore strings
        ({"minLength": 2}, 5, True),
        ({"minLength": 2}, "µ", False),  # characters, not bytes
        ({"pattern": "^a"}, "ba", False),
        ({"pattern": "b"}, "ab", True),  # search, not match
        ({"pattern": "^[0-9]+(?:ms|u|µ|s)$"}, "5µ", True),
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
    assert jsonschema_rs.Draft202012Validator(schema).is_valid(instance) is valid
    assert (not SchemaCheck(schema).errors(instance)) is valid
    assert (not _without_rs(schema).errors(instance)) is valid


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
    """jsonschema's allOf jump for tagged unions (SchemaCheck's wording path) is exact."""
    assert (not list(Draft202012Validator(TAGGED).iter_errors(instance))) is valid
    assert (not list(tickgen.schema.compile_schema(TAGGED).iter_errors(instance))) is valid
    assert (not _without_rs(TAGGED).errors(instance)) is valid


def test_schema_check_reports_errors_jsonschema_rs_rejected() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    for check in (SchemaCheck(schema), _without_rs(schema)):
        assert check.errors({"n": 1}) == []
        assert check.errors({"n": "x"}) == [(("n",), "'x' is not a whole number")]


def test_values_jsonschema_rs_cannot_take_go_to_jsonschema() -> None:
    import datetime

    check = SchemaCheck({"type": "object", "properties": {"at": {"type": "string"}}})
    # YAML reads 2024-01-01 as a date and allows keys that are numbers
    assert check.errors({"at": datetime.date(2024, 1, 1)}) == [
        (("at",), "datetime.date(2024, 1, 1) is not a string")
    ]
    assert check.errors({1: "x"}) == []


@pytest.mark.parametrize(
    "schema",
    [
        {"pattern": "a\\Z"},  # Python's end-of-text, not in jsonschema-rs's regex dialect
        {"$ref": "https://example.com/s.json"},  # never fetched
    ],
)
def test_schemas_jsonschema_rs_refuses_are_checked_by_jsonschema(schema: dict[str, Any]) -> None:
    check = SchemaCheck(schema)
    assert check._valid is None
    assert check._validator is not None
    if "pattern" in schema:
        assert check.errors("xa") == []
        assert check.errors("ab") == [((), "'ab' does not match the pattern 'a\\\\Z'")]


def test_an_invalid_schema_is_refused_with_and_without_jsonschema_rs() -> None:
    from jsonschema.exceptions import SchemaError

    for build in (SchemaCheck, _without_rs):
        with pytest.raises(SchemaError):
            build({"type": "decimal"})


def test_without_jsonschema_rs_installed_tickgen_validates_with_jsonschema() -> None:
    """An import that fails (no wheel for the platform) leaves jsonschema alone to decide."""
    code = (
        "import sys; sys.modules['jsonschema_rs'] = None\n"
        "import tickgen.schema\n"
        "assert tickgen.schema.jsonschema_rs is None\n"
        "from tickgen.cli import main\n"
        "sys.exit(main(['validate', sys.argv[1], sys.argv[2]]))\n"
    )
    good = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "account_login_relative.yaml"), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0, good.stderr
