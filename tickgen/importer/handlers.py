"""Reading alert handlers back from the property calls of a script.

Each handler model knows how to write itself (``lines()``); this module learns
the reverse from the models themselves, once: it builds each model with one
field set to a probe value and sees which TICKscript method the probe comes
out in, and in which shape (``.m('x')``, ``.m()``, ``.m(7)``, ``.m(7s)``,
``.m('a', 'b')``, one ``.m('a')`` per item, or one ``.m('key', value)`` per
entry).  So a handler or property added to tickgen.handlers is read back
without a change here.  The parts of PagerDuty v2 links and SNMP data are
read by name.  Anything else is not read, and a script using it
is reported as not importable, never imported wrong: every import is rendered
again and compared with the script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from tickgen.handlers import HANDLER_ORDER, HandlerModel, handler_model

PROBE = "tickgenprobe"
# Lists of parts written one call each: .link(href, text), .data(oid, type, value).
PARTS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "pagerDuty2": {"link": ("links", ("href", "text"))},
    "snmpTrap": {"data": ("data", ("oid", "type", "value"))},
}
# Handlers whose creating call takes the value of a field: .post('url'), .exec('a', 'b')...
CREATION_ARGS: dict[str, tuple[str, str]] = {
    "post": ("url", "text"),
    "tcp": ("address", "text"),
    "log": ("path", "text"),
    "exec": ("command", "strings"),
    "mqtt": ("topic", "text"),
    "snmpTrap": ("trap_oid", "text"),
}
# Values for the fields a model cannot be printed without, while probing the others.
_REQUIRED: dict[str, dict[str, Any]] = {
    "post": {"url": "u"},
    "tcp": {"address": "a"},
    "log": {"path": "/p"},
    "exec": {"command": ["c"]},
    "mqtt": {"topic": "t"},
    "snmpTrap": {"trap_oid": "o"},
    "kafka": {"cluster": "c"},
}
# Required fields written as a property of their own, not as the creator's argument:
# probed like the others, from the value in _REQUIRED.
_REQUIRED_PROPERTIES = {("kafka", "cluster")}


class HandlerReadError(ValueError):
    """A handler call tickgen cannot turn back into parameters."""


@dataclass(frozen=True)
class Property:
    field: str
    shape: str  # text, flag, boolean, int, strings, each


@cache
def property_table(kind: str) -> dict[str, Property]:
    """TICKscript method -> the field it sets, for one handler kind."""
    model = handler_model(kind)
    if model is None:
        raise HandlerReadError(f"{kind!r} is not a Kapacitor alert handler")
    base = _REQUIRED.get(kind, {})
    baseline = set(_lines(model, kind, base))
    table: dict[str, Property] = {}
    for name, info in model.model_fields.items():
        if name == "kind" or (name in base and (kind, name) not in _REQUIRED_PROPERTIES):
            continue
        default = base[name] if name in base else info.get_default(call_default_factory=True)
        for probe, shapes in _probes(default):
            try:
                lines = _lines(model, kind, {**base, name: probe})
            except Exception:
                continue
            new = [line for line in lines if line not in baseline]
            found = _shape(new, shapes)
            if found is not None:
                table[found[0]] = Property(name, found[1])
                break
    return table


def _lines(model: type[HandlerModel], kind: str, values: dict[str, Any]) -> list[str]:
    return [str(line) for line in model.model_construct(kind=kind, **values).lines()]


def _probes(default: Any) -> list[tuple[Any, tuple[str, ...]]]:
    if isinstance(default, bool):
        return [(True, ("flag", "boolean"))]
    if isinstance(default, int):
        return [(7, ("int",))]
    if isinstance(default, list):
        return [([PROBE, PROBE + "2"], ("strings", "each"))]
    if isinstance(default, dict):
        return [({PROBE: PROBE}, ("pairs",))]
    if isinstance(default, str):
        return [(PROBE, ("text",))]
    if default is None:  # optional: a string, a duration or a number
        return [(PROBE, ("text",)), ("7s", ("duration",)), (7, ("int", "octal"))]
    return []


def _shape(new: list[str], shapes: tuple[str, ...]) -> tuple[str, str] | None:
    if not new:
        return None
    method = new[0][1:].partition("(")[0]
    if any(line[1:].partition("(")[0] != method for line in new):
        return None
    expected = {
        "text": [f".{method}('{PROBE}')"],
        "flag": [f".{method}()"],
        "boolean": [f".{method}(TRUE)"],
        "int": [f".{method}(7)"],
        "strings": [f".{method}('{PROBE}', '{PROBE}2')"],
        "each": [f".{method}('{PROBE}')", f".{method}('{PROBE}2')"],
        "pairs": [f".{method}('{PROBE}', '{PROBE}')"],
        "duration": [f".{method}(7s)"],
        "octal": [f".{method}(07)"],
    }
    for shape in shapes:
        if new == expected[shape]:
            return method, shape
    return None


def is_handler(method: str) -> bool:
    return method in HANDLER_ORDER


class HandlerBuilder:
    """Collects one handler's calls into its parameters."""

    def __init__(self, kind: str, args: list[Any]) -> None:
        self.kind = kind
        self.params: dict[str, Any] = {"kind": kind}
        creation = CREATION_ARGS.get(kind)
        if creation is None:
            if args:
                raise HandlerReadError(f".{kind}() with arguments is not something tickgen writes")
        elif creation[1] == "strings":
            self.params[creation[0]] = [_string(a, kind) for a in args]
        elif args:
            if len(args) != 1:
                raise HandlerReadError(f".{kind}() takes one argument")
            self.params[creation[0]] = _string(args[0], kind)

    def knows(self, method: str) -> bool:
        return method in property_table(self.kind) or method in PARTS.get(self.kind, {})

    def add(self, method: str, args: list[Any]) -> None:
        part = PARTS.get(self.kind, {}).get(method)
        if part is not None:
            field, names = part
            if not 1 <= len(args) <= len(names):
                raise HandlerReadError(f".{method}() takes up to {len(names)} arguments")
            self.params.setdefault(field, []).append(dict(zip(names, args, strict=False)))
            return
        prop = property_table(self.kind)[method]
        readers: dict[str, Callable[[], Any]] = {
            "text": lambda: _one(args, method),
            "flag": lambda: _none(args, method),
            "boolean": lambda: _one(args, method),
            "int": lambda: _one(args, method),
            "strings": lambda: [_string(a, method) for a in args],
            "each": lambda: [*self.params.get(prop.field, []), _one(args, method)],
            "pairs": lambda: {**self.params.get(prop.field, {}), **_pair(args, method)},
            "duration": lambda: _one(args, method),
            "octal": lambda: _one(args, method),
        }
        self.params[prop.field] = readers[prop.shape]()


def _one(args: list[Any], method: str) -> Any:
    if len(args) != 1:
        raise HandlerReadError(f".{method}() takes one argument")
    return args[0]


def _pair(args: list[Any], method: str) -> dict[str, Any]:
    if len(args) != 2:
        raise HandlerReadError(f".{method}() takes a key and a value")
    return {_string(args[0], method): args[1]}


def _none(args: list[Any], method: str) -> bool:
    if args:
        raise HandlerReadError(f".{method}() takes no argument")
    return True


def _string(value: Any, method: str) -> str:
    if not isinstance(value, str):
        raise HandlerReadError(f".{method}() needs strings")
    return value
