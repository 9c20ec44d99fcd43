"""A JSON Schema compiled into one Python predicate: the fast way to say "valid".

jsonschema walks a schema generically: every keyword of every subschema is
looked up, dispatched and wrapped in a new validator per level, which costs
about a millisecond for one alert against the built-in schemas.  Almost every
alert is valid, and for a valid one all that matters is *that* it is valid.
So each schema is also compiled, once, into nested closures that answer only
that, and jsonschema runs only when the answer is no, to say what is wrong.

The predicate may answer no where jsonschema says yes (that costs only time),
never the other way round.  It covers the keywords tickgen's generated schemas
use, with jsonschema's Draft 2020-12 semantics (types as jsonschema sees them:
``1.0`` is an integer, ``True`` is not a number; ``const``/``enum`` compare
``1 == 1.0`` but never a bool with a number; ``pattern`` is ``re.search``).  A
schema with any other assertion keyword compiles to nothing, and its alerts are
always checked by jsonschema; tests/test_schema_compile.py compares the two on
generated instances.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Unsupported", "compile_predicate", "tag_branches"]

Predicate = Callable[[Any], bool]

# Keywords that assert nothing (annotations, and $defs, which is reached through
# $ref); so does any "x-" extension keyword such as x-kapacitor-since.
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_SUPPORTED = frozenset(
    {
        "type",
        "properties",
        "additionalProperties",
        "required",
        "$ref",
        "if",
        "then",
        "else",
        "items",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "enum",
        "const",
        "propertyNames",
        "pattern",
        "anyOf",
        "allOf",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
    }
)


class Unsupported(Exception):
    """The schema uses something the compiler does not cover; use jsonschema alone."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


_TYPE_TESTS: dict[str, Predicate] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": _is_integer,
}


def _scalar_key(value: Any) -> tuple[str, Any] | None:
    """A hashable key under which jsonschema's ``equal`` holds exactly, for scalars.

    Strings equal strings, bools bools, None None, and numbers compare by value
    (``1 == 1.0``).  Lists and mappings have no key: the predicate then says no.
    """
    if value is None:
        return ("null", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, (int, float)):
        return ("num", value)  # hash(1) == hash(1.0) and 1 == 1.0
    return None


def _membership(options: list[Any]) -> Predicate:
    keys = set()
    for option in options:
        key = _scalar_key(option)
        if key is None:
            raise Unsupported("const/enum with a list or mapping value")
        keys.add(key)

    def member(value: Any) -> bool:
        key = _scalar_key(value)
        return key is not None and key in keys

    return member


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Predicate] = {}

    def ref(self, pointer: str) -> Predicate:
        """A predicate for a local ``#/...`` reference, compiled once, recursion-safe."""
        known = self.refs.get(pointer)
        if known is not None:
            return known
        if not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r} is not local")
        target: Any = self.root
        for part in pointer[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                raise Unsupported(f"$ref {pointer!r} does not resolve")
            target = target[part]
        slot: list[Predicate] = []
        self.refs[pointer] = lambda value: slot[0](value)  # for recursive references
        compiled = self.compile(target)
        slot.append(compiled)
        self.refs[pointer] = compiled
        return compiled

    def compile(self, schema: Any) -> Predicate:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, Mapping):
            raise Unsupported("a schema that is neither a mapping nor a boolean")
        unknown = {
            word for word in schema if word not in _SUPPORTED and word not in _ANNOTATIONS
        }
        unknown = {word for word in unknown if not word.startswith("x-")}  # extensions
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        checks: list[Predicate] = []
        if "type" in schema:
            checks.append(self._type(schema["type"]))
        if "const" in schema:
            checks.append(_membership([schema["const"]]))
        if "enum" in schema:
            checks.append(_membership(list(schema["enum"])))
        checks.extend(self._string(schema))
        checks.extend(self._number(schema))
        checks.extend(self._object(schema))
        checks.extend(self._array(schema))
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "allOf" in schema:
            checks.append(self._all_of(schema["allOf"]))
        if "anyOf" in schema:
            branches = [self.compile(sub) for sub in schema["anyOf"]]
            checks.append(lambda value: any(branch(value) for branch in branches))
        if "if" in schema:
            checks.append(self._conditional(schema))
        return _all(checks)

    def _type(self, names: Any) -> Predicate:
        listed = [names] if isinstance(names, str) else list(names)
        unknown = [name for name in listed if name not in _TYPE_TESTS]
        if unknown or not listed:
            raise Unsupported(f"type {names!r}")
        tests = [_TYPE_TESTS[name] for name in listed]
        if len(tests) == 1:
            return tests[0]
        return lambda value: any(test(value) for test in tests)

    def _string(self, schema: Mapping[str, Any]) -> list[Predicate]:
        checks = _sized(schema, "minLength", "maxLength", str)
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        return checks

    def _number(self, schema: Mapping[str, Any]) -> list[Predicate]:
        checks: list[Predicate] = []
        if "minimum" in schema:
            low = schema["minimum"]
            checks.append(lambda v: not _is_number(v) or v >= low)
        if "maximum" in schema:
            high = schema["maximum"]
            checks.append(lambda v: not _is_number(v) or v <= high)
        if "exclusiveMinimum" in schema:
            above = schema["exclusiveMinimum"]
            checks.append(lambda v: not _is_number(v) or v > above)
        if "exclusiveMaximum" in schema:
            below = schema["exclusiveMaximum"]
            checks.append(lambda v: not _is_number(v) or v < below)
        return checks

    def _object(self, schema: Mapping[str, Any]) -> list[Predicate]:
        checks: list[Predicate] = []
        if "required" in schema:
            names = tuple(schema["required"])
            checks.append(lambda v: not isinstance(v, dict) or all(n in v for n in names))
        properties = {
            name: self.compile(sub) for name, sub in schema.get("properties", {}).items()
        }
        extra = schema.get("additionalProperties", True)
        others: Predicate | None = None if extra is True else self.compile(extra)
        if properties or others is not None:
            checks.append(_properties(properties, others))
        if "propertyNames" in schema:
            name_check = self.compile(schema["propertyNames"])
            checks.append(lambda v: not isinstance(v, dict) or all(name_check(k) for k in v))
        return checks

    def _array(self, schema: Mapping[str, Any]) -> list[Predicate]:
        checks = _sized(schema, "minItems", "maxItems", list)
        if "items" in schema:
            item = self.compile(schema["items"])
            checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
        return checks

    def _all_of(self, subschemas: list[Any]) -> Predicate:
        """allOf, with a direct jump for a tagged union written as if/then branches.

        ``{if: {properties: {kind: {const: "slack"}}}, then: ...}`` can only fail
        for an instance whose ``kind`` is the string ``"slack"``: for a mapping
        with a string tag, only that tag's branches need to be run.  Any other
        instance (no tag, a tag that is not a string) runs every branch.
        """
        branches = [self.compile(sub) for sub in subschemas]
        tagged = tag_branches(subschemas)
        if tagged is None:
            return _all(branches)
        tag, by_value = tagged
        every = _all(branches)

        def all_of(value: Any) -> bool:
            if isinstance(value, dict):
                chosen = value.get(tag)
                if isinstance(chosen, str):
                    return all(branches[i](value) for i in by_value.get(chosen, ()))
            return every(value)

        return all_of

    def _conditional(self, schema: Mapping[str, Any]) -> Predicate:
        condition = self.compile(schema["if"])
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda value: then(value) if condition(value) else otherwise(value)


def _sized(
    schema: Mapping[str, Any], least: str, most: str, kind: type[str] | type[list[Any]]
) -> list[Predicate]:
    """The length bounds ``least``/``most`` of a schema, for values of ``kind`` only."""
    checks: list[Predicate] = []
    if least in schema:
        low = schema[least]
        checks.append(lambda v: not isinstance(v, kind) or len(v) >= low)
    if most in schema:
        high = schema[most]
        checks.append(lambda v: not isinstance(v, kind) or len(v) <= high)
    return checks


def _all(checks: list[Predicate]) -> Predicate:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


def _properties(properties: dict[str, Predicate], others: Predicate | None) -> Predicate:
    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, item in value.items():
            known = properties.get(name)
            if known is not None:
                if not known(item):
                    return False
            elif others is not None and not others(item):
                return False
        return True

    return check


def tag_branches(subschemas: list[Any]) -> tuple[str, dict[str, list[int]]] | None:
    """For ``allOf`` branches that are all ``{if: {properties: {tag: {const|enum}}}, then}``
    with string values: the tag and, per value, the branches whose ``if`` it can pass."""
    tag: str | None = None
    by_value: dict[str, list[int]] = {}
    for index, branch in enumerate(subschemas):
        if not isinstance(branch, Mapping) or set(branch) != {"if", "then"}:
            return None
        condition = branch["if"]
        if not isinstance(condition, Mapping) or set(condition) != {"properties"}:
            return None
        properties = condition["properties"]
        if not isinstance(properties, Mapping) or len(properties) != 1:
            return None
        ((name, test),) = properties.items()
        if tag is not None and name != tag:
            return None
        tag = name
        if not isinstance(test, Mapping):
            return None
        if set(test) == {"const"}:
            values = [test["const"]]
        elif set(test) == {"enum"}:
            values = list(test["enum"])
        else:
            return None
        if not values or not all(isinstance(v, str) for v in values):
            return None
        for value in values:
            by_value.setdefault(value, []).append(index)
    return (tag, by_value) if tag is not None else None


def compile_predicate(schema: Mapping[str, Any]) -> Predicate:
    """``schema`` as a function that is True only for instances jsonschema finds valid.

    Raises Unsupported when the schema uses a keyword (or a form of one) that is
    not covered; the caller then relies on jsonschema alone.
    """
    return _Compiler(schema).compile(schema)
