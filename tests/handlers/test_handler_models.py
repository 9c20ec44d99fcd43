"""Handler validation, through pydantic and through the generated JSON Schema."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic import TypeAdapter, ValidationError

import tickgen.handlers as handlers_module
from tests.handlers.full_handlers import FULL
from tickgen.handlers import (
    HANDLER_ORDER,
    Handler,
    HandlerModel,
    SlackHandler,
    handler_models,
    handlers_json_schema,
    if_then,
)

_ADAPTER: TypeAdapter[list[Handler]] = TypeAdapter(list[Handler])
_RAW_SCHEMA = _ADAPTER.json_schema()
_CLEAN = Draft202012Validator(handlers_json_schema())
_RAW = Draft202012Validator(_RAW_SCHEMA)


def _models() -> list[type[HandlerModel]]:
    return handler_models()


def pydantic_errors(items: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as info:
        _ADAPTER.validate_python(items)
    return [(tuple(e["loc"]), e["msg"]) for e in info.value.errors()]


def schema_errors(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e.json_path, e.message) for e in _CLEAN.iter_errors(items)]


def test_union_lists_every_kind_once_in_builder_order() -> None:
    kinds = [m.model_fields["kind"].annotation for m in _models()]
    assert [typing.get_args(k)[0] for k in kinds] == list(HANDLER_ORDER)
    # the schema's union has the same models (pydantic sorts the mapping)
    mapping = _RAW_SCHEMA["items"]["discriminator"]["mapping"]
    named = {kind: m.__name__ for kind, m in zip(HANDLER_ORDER, _models(), strict=True)}
    assert {kind: ref.rpartition("/")[2] for kind, ref in mapping.items()} == named


def test_public_names() -> None:
    for name in handlers_module.__all__:
        assert hasattr(handlers_module, name), name
    assert {m.__name__ for m in _models()} <= set(handlers_module.__all__)


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_field_is_described(model: type[HandlerModel]) -> None:
    assert model.__doc__
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no description"


def test_models_are_frozen() -> None:
    slack = SlackHandler(kind="slack", channel="#a")
    with pytest.raises(ValidationError):
        slack.channel = "#b"  # type: ignore[misc]


@pytest.mark.parametrize("kind", list(FULL))
def test_full_cases_pass_both_validators(kind: str) -> None:
    items = [FULL[kind][0]]
    assert list(_CLEAN.iter_errors(items)) == []
    assert list(_RAW.iter_errors(items)) == []
    # A round trip keeps every value as written (the log mode stays "0644").
    assert _ADAPTER.dump_python(_ADAPTER.validate_python(items), exclude_defaults=True) == items


BAD: list[tuple[str, list[dict[str, Any]], tuple[Any, ...], str, str, str]] = [
    # (case, input, pydantic loc, pydantic message part, schema path, schema message part)
    ("unknown kind", [{"kind": "slak"}], (0,), "'slak'", "$[0].kind", "'slak' is not one of"),
    ("no kind", [{"channel": "#a"}], (0,), "discriminator 'kind'", "$[0]", "'kind' is a required"),
    (
        "missing required",
        [{"kind": "tcp"}],
        (0, "address"),
        "Field required",
        "$[0]",
        "'address' is a required property",
    ),
    (
        "wrong type",
        [{"kind": "slack", "channel": 5}],
        (0, "channel"),
        "valid string",
        "$[0].channel",
        "5 is not of type 'string'",
    ),
    (
        "extra key",
        [{"kind": "slack", "chanel": "#a"}],
        (0, "chanel"),
        "Extra inputs",
        "$[0]",
        "'chanel' was unexpected",
    ),
    (
        "relative log path",
        [{"kind": "log", "path": "alerts.log"}],
        (0, "path"),
        "must be absolute",
        "$[0].path",
        "does not match '^/'",
    ),
    (
        "bad snmp type",
        [{"kind": "snmpTrap", "trap_oid": "1.2", "data": [{"oid": "1", "type": "x", "value": ""}]}],
        (0, "data", 0, "type"),
        "'c', 'i', 'n', 's' or 't'",
        "$[0].data[0].type",
        "'x' is not one of ['c', 'i', 'n', 's', 't']",
    ),
    (
        "bad duration",
        [{"kind": "alerta", "timeout": "10"}],
        (0, "timeout"),
        "should match pattern",
        "$[0].timeout",
        "'10' does not match",
    ),
    (
        "qos out of range",
        [{"kind": "mqtt", "topic": "t", "qos": 3}],
        (0, "qos"),
        "less than or equal to 2",
        "$[0].qos",
        "3 is greater than the maximum of 2",
    ),
    (
        "empty list entry",
        [{"kind": "email", "to": [""]}],
        (0, "to", 0),
        "at least 1 character",
        "$[0].to[0]",
        "should be non-empty",
    ),
    (
        "string for a boolean",
        [{"kind": "telegram", "disable_notification": "yes"}],
        (0, "disable_notification"),
        "valid boolean",
        "$[0].disable_notification",
        "is not of type 'boolean'",
    ),
    (
        "unknown hash algorithm",
        [{"kind": "kafka", "cluster": "c", "partition_hash_algorithm": "md5"}],
        (0, "partition_hash_algorithm"),
        "'crc32', 'murmur2' or 'fnv-1a'",
        "$[0].partition_hash_algorithm",
        "'md5'",
    ),
]


@pytest.mark.parametrize(
    ("items", "loc", "message"),
    [pytest.param(b[1], b[2], b[3], id=b[0]) for b in BAD],
)
def test_pydantic_names_the_property(
    items: list[dict[str, Any]], loc: tuple[Any, ...], message: str
) -> None:
    errors = pydantic_errors(items)
    assert any(got_loc == loc and message in got for got_loc, got in errors), errors


@pytest.mark.parametrize(
    ("items", "path", "message"),
    [pytest.param(b[1], b[4], b[5], id=b[0]) for b in BAD],
)
def test_schema_names_the_property(items: list[dict[str, Any]], path: str, message: str) -> None:
    errors = schema_errors(items)
    assert len(errors) == 1, errors
    assert errors[0][0] == path
    assert message in errors[0][1]


def _branch_errors(error: SchemaError) -> list[str]:
    """The messages of the oneOf branch whose ``kind`` matched, in pydantic's raw schema."""
    by_branch: dict[int, list[SchemaError]] = {}
    for sub in error.context or []:
        by_branch.setdefault(int(sub.schema_path[0]), []).append(sub)
    (matching,) = [
        errs
        for errs in by_branch.values()
        if not any(e.validator == "const" and list(e.relative_path) == ["kind"] for e in errs)
    ]
    return [e.message for e in matching]


def test_raw_pydantic_schema_buries_the_property_in_the_context() -> None:
    # What the lead gets without if_then: a oneOf error whose context holds,
    # next to 24 "kind" mismatches, the one error that names the property.
    (error,) = _RAW.iter_errors([{"kind": "slack", "chanel": "#a"}])
    assert error.validator == "oneOf"
    assert "is not valid under any of the given schemas" in error.message
    assert _branch_errors(error) == [
        "Additional properties are not allowed ('chanel' was unexpected)"
    ]
    item = _RAW_SCHEMA["items"]
    assert set(item) == {"oneOf", "discriminator"}
    assert item["discriminator"]["propertyName"] == "kind"
    assert item["discriminator"]["mapping"]["victorOps"] == "#/$defs/VictorOpsHandler"


def test_post_needs_url_or_endpoint() -> None:
    ((where, message),) = pydantic_errors([{"kind": "post"}])
    assert where == (0,)
    assert message.startswith("Value error, a post handler needs url (e.g. url: https://")
    (error,) = _CLEAN.iter_errors([{"kind": "post", "url": ""}])
    assert error.json_path == "$[0]"
    assert {e.message for e in error.context or []} == {
        "'' should be non-empty",
        "'endpoint' is a required property",
    }


@pytest.mark.parametrize("name", ["Authenticate", "AUTHENTICATE", "authenticate"])
def test_post_refuses_the_authenticate_header(name: str) -> None:
    errors = pydantic_errors([{"kind": "post", "url": "http://x", "headers": {name: "x"}}])
    assert errors[0][0] == (0, "headers")
    assert "Authenticate" in errors[0][1]


@pytest.mark.parametrize("mode", ["644", "0888", "0o644x", 0, 0o10000, "0000", True])
def test_bad_log_modes(mode: object) -> None:
    errors = pydantic_errors([{"kind": "log", "path": "/a", "mode": mode}])
    assert all(loc[:2] == (0, "mode") for loc, _ in errors)


@pytest.mark.parametrize("value", [[1], {"a": 1}, None, float("inf"), 2**63])
def test_map_values_must_be_writable_scalars(value: object) -> None:
    errors = pydantic_errors([{"kind": "sensu", "metadata": {"k": value}}])
    assert all(loc[:3] == (0, "metadata", "k") for loc, _ in errors)


def test_parse_mode_is_case_insensitive_like_kapacitor() -> None:
    ok = _ADAPTER.validate_python([{"kind": "telegram", "parse_mode": "markdown"}])
    assert ok[0].lines()[1] == ".parseMode('markdown')"
    assert schema_errors([{"kind": "telegram", "parse_mode": "html"}]) == []
    assert schema_errors([{"kind": "telegram", "parse_mode": "rst"}])[0][0] == "$[0].parse_mode"


def test_if_then_leaves_other_schemas_alone() -> None:
    plain = {"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}}
    assert if_then(plain) == plain


def test_since_is_visible_in_the_schema() -> None:
    defs = handlers_json_schema()["$defs"]
    assert defs["ZenossHandler"]["x-kapacitor-since"] == "1.6.0"
    assert defs["EmailHandler"]["properties"]["to_templates"]["x-kapacitor-since"] == "1.6.3"
    assert "x-kapacitor-since" not in defs["SlackHandler"]
