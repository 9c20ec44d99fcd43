"""Which handlers and properties a target Kapacitor version has."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from pydantic import TypeAdapter

from tests.handlers.full_handlers import FULL
from tickgen.handlers import (
    HANDLER_ORDER,
    Handler,
    HandlerModel,
    handler_lines,
    parse_version,
    since_version,
    version_problems,
)
from tickgen.tick.nodes import HANDLERS

_ADAPTER: TypeAdapter[list[Handler]] = TypeAdapter(list[Handler])


def load(*items: dict[str, Any]) -> list[HandlerModel]:
    return list(_ADAPTER.validate_python(list(items)))


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("1.5", (1, 5, 0)),
        ("1.5.9", (1, 5, 9)),
        ("v1.6.3", (1, 6, 3)),
        (" 1.7 ", (1, 7, 0)),
        ("1.10.0", (1, 10, 0)),
    ],
)
def test_parse_version(text: str, version: tuple[int, int, int]) -> None:
    assert parse_version(text) == version


@pytest.mark.parametrize("text", ["", "1", "latest", "1.x", "1.5.9.1", "1.5beta"])
def test_parse_version_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a Kapacitor version"):
        parse_version(text)


def test_versions_compare_numerically() -> None:
    assert parse_version("1.10") > parse_version("1.9.9")
    assert parse_version("1.6") > parse_version("1.5.9")


# Verified against pipeline/alert.go at v1.5.9 and v1.7.6 and Kapacitor's CHANGELOG.
# Additions within 1.5.x are baseline (a target of "1.5" means the 1.5 series).
HANDLER_SINCE = {"zenoss": "1.6.0"}
PROPERTY_SINCE = {
    ("email", "to_templates"): "1.6.3",
    ("bigPanda", "host"): "1.6.3",
    ("bigPanda", "attributes"): "1.6.3",
    ("alerta", "attributes"): "1.6.3",
    ("kafka", "disable_partition_by_id"): "1.6.0",
    ("kafka", "partition_hash_algorithm"): "1.6.0",
}
# Documented in the description instead (from Kapacitor's CHANGELOG).
NOTED_1_5 = {
    ("teams", None): "1.5.6",
    ("discord", None): "1.5.6",
    ("serviceNow", None): "1.5.7",
    ("bigPanda", None): "1.5.8",
    ("post", "skip_ssl_verification"): "1.5.3",
    ("pagerDuty2", "routing_key"): "1.5.1",
    ("pagerDuty2", "links"): "1.5.2",
    ("sensu", "metadata"): "1.5.2",
    ("alerta", "correlated"): "1.5.8",
    ("opsGenie2", "recovery_action"): "1.5.7",
    ("opsGenie2", "details"): "1.5.8",
}


@pytest.mark.parametrize("kind", HANDLER_ORDER)
def test_since_table(kind: str) -> None:
    (handler,) = load(FULL[kind][0])
    assert since_version(handler) == HANDLER_SINCE.get(kind, "1.5.0")
    for name in handler.set_fields():
        assert since_version(handler, name) == PROPERTY_SINCE.get((kind, name), "1.5.0"), name


@pytest.mark.parametrize(("kind", "field"), list(NOTED_1_5))
def test_1_5_additions_are_noted_in_the_description(kind: str, field: str | None) -> None:
    (handler,) = load(FULL[kind][0])
    text = type(handler).__doc__ if field is None else type(handler).model_fields[field].description
    assert f"Kapacitor {NOTED_1_5[kind, field]}+." in (text or "")
    assert since_version(handler, field) == "1.5.0"


def test_the_1_5_series_has_every_1_5_addition() -> None:
    params = [
        {"kind": kind, **({field: FULL[kind][0][field]} if field else {})}
        for kind, field in NOTED_1_5
    ]
    params[[p["kind"] for p in params].index("post")]["url"] = "http://x"
    assert version_problems(load(*params), "1.5") == []


def test_the_briefs_example() -> None:
    handlers = load({"kind": "slack"}, {"kind": "talk"}, {"kind": "email", "to_templates": ["x"]})
    assert version_problems(handlers, "1.5") == [
        (
            "[2].to_templates",
            "email handler property to_templates needs Kapacitor 1.6.3 or newer; the target is "
            "1.5: leave it out for that version",
        )
    ]


def test_a_new_handler_is_reported_once_without_its_properties() -> None:
    handlers = load(FULL["zenoss"][0], FULL["bigPanda"][0])
    assert version_problems(handlers, "1.5.8") == [
        (
            "[0]",
            "zenoss handler needs Kapacitor 1.6.0 or newer; the target is 1.5.8: send these "
            "alerts another way there, or upgrade it",
        ),
        (
            "[1].host",
            "bigPanda handler property host needs Kapacitor 1.6.3 or newer; the target is "
            "1.5.8: leave it out for that version",
        ),
        (
            "[1].attributes",
            "bigPanda handler property attributes needs Kapacitor 1.6.3 or newer; "
            "the target is 1.5.8: leave it out for that version",
        ),
    ]


def test_unset_properties_are_not_reported() -> None:
    handlers = load({"kind": "kafka", "cluster": "c"}, {"kind": "email", "to": ["a@b"]})
    assert version_problems(handlers, "1.5") == []


def test_everything_fits_1_5_9_except_the_1_6_additions() -> None:
    handlers = load(*(FULL[kind][0] for kind in HANDLER_ORDER))
    paths = [path for path, _ in version_problems(handlers, "1.5.9")]
    index = {kind: i for i, kind in enumerate(HANDLER_ORDER)}
    assert paths == [
        f"[{index['email']}].to_templates",
        f"[{index['bigPanda']}].host",
        f"[{index['bigPanda']}].attributes",
        f"[{index['kafka']}].disable_partition_by_id",
        f"[{index['kafka']}].partition_hash_algorithm",
        f"[{index['alerta']}].attributes",
        f"[{index['zenoss']}]",
    ]
    assert version_problems(handlers, "1.6.3") == []


def test_bad_target() -> None:
    with pytest.raises(ValueError, match="not a Kapacitor version: 'one'"):
        version_problems([], "one")


# -- agreement with the checker's node table (tickgen/tick/nodes.py) -------------------

MINIMAL: dict[str, dict[str, Any]] = {
    "post": {"url": "http://x"},
    "tcp": {"address": "h:1"},
    "exec": {"command": ["/bin/true"]},
    "log": {"path": "/tmp/x"},
    "mqtt": {"topic": "t"},
    "snmpTrap": {"trap_oid": "1"},
    "kafka": {"cluster": "c"},
}


def _names(handlers: list[HandlerModel]) -> list[str]:
    return [line[1:].split("(", 1)[0] for line in handler_lines(handlers)]


def field_methods(kind: str, field: str) -> set[str]:
    """The TICKscript methods that setting ``field`` (alone) adds to the handler's lines."""
    base = {"kind": kind, **MINIMAL.get(kind, {})}
    with_field = {**base, field: FULL[kind][0][field]}
    before = Counter(_names(load(base)))
    after = Counter(_names(load(with_field)))
    return set(after - before) or {kind}  # a required field is the creator's argument


@pytest.mark.parametrize("kind", HANDLER_ORDER)
def test_versions_agree_with_the_checker(kind: str) -> None:
    spec = HANDLERS[kind]
    (handler,) = load(FULL[kind][0])
    assert spec.creator.since == parse_version(since_version(handler))
    for field in handler.set_fields():
        for method in field_methods(kind, field):
            known = spec.creator if method == kind else spec.properties[method]
            assert known.since == parse_version(since_version(handler, field)), (field, method)


@pytest.mark.parametrize("kind", HANDLER_ORDER)
def test_every_checker_property_has_a_field(kind: str) -> None:
    # serviceKey is pagerDuty2's old name for routingKey; mqtt's topic and
    # tcp's address are written as the creator's argument.
    aliases = {("pagerDuty2", "serviceKey"), ("mqtt", "topic"), ("tcp", "address")}
    written = set(_names(load(FULL[kind][0]))) - {kind}
    assert set(HANDLERS[kind].properties) - written == {name for k, name in aliases if k == kind}
