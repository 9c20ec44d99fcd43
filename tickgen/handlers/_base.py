"""What every handler model shares: the base class, the value types, the
``since`` marker, and the small writers that turn one property into one line.

Each writer returns a list of lines (empty when the property is unset), so a
handler's ``lines()`` reads as the list of its properties in Kapacitor's order.
A property is unset when it holds Kapacitor's zero value (``""``, ``0``,
``False``, an empty list or map, or ``None``): Kapacitor's AST builder leaves
those out, and so does Chronograf, whose output we match byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
)

from tickgen.gotemplate import go_template, template_note
from tickgen.tick import quote
from tickgen.tick.quote import DURATION_RE, Tick, duration_nanoseconds

# The JSON Schema key that carries the Kapacitor version which added a handler
# or a property; users see it in the schema, version_problems() reads it.
SINCE_KEY = "x-kapacitor-since"
BASELINE = "1.5.0"

_INT64 = 2**63 - 1


def fits_int64(value: str) -> str:
    """A duration literal that fits Kapacitor's int64 nanoseconds, else ValueError.

    TICKscript's lexer refuses a longer one; saying so at the parameter beats
    failing inside the template.
    """
    if DURATION_RE.fullmatch(value) and duration_nanoseconds(value) > _INT64:
        raise ValueError(
            f"{value!r} is longer than a Kapacitor duration can be "
            "(about 292 years, 2562047h); write a shorter one"
        )
    return value


Duration = Annotated[
    str,
    StringConstraints(pattern=f"^{DURATION_RE.pattern}$"),
    AfterValidator(fits_int64),
    Field(examples=["10s", "5m"]),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
Int64 = Annotated[StrictInt, Field(ge=-_INT64, le=_INT64)]


def int64_only(value: object) -> object:
    # Without this, strict float would take an integer too large for int64
    # and silently write it as a float.
    if type(value) is int and abs(value) > _INT64:
        raise ValueError(
            f"{value} does not fit in a 64-bit integer: write a whole number from "
            f"{-_INT64} to {_INT64}"
        )
    return value


# The values a map property (sensu metadata, alerta attributes, ...) can hold.
# Kapacitor takes any Go value there, but a TICKscript literal can only be a
# string, a number or a boolean: JSON objects, arrays and null cannot be
# written, so they are refused here rather than at render time.
Scalar = Annotated[
    StrictBool | Int64 | Annotated[StrictFloat, Field(allow_inf_nan=False)] | StrictStr,
    BeforeValidator(int64_only),
]
ScalarMap = dict[NonEmpty, Scalar]


def since(version: str) -> dict[str, Any]:
    """``json_schema_extra`` for a handler or property added after the 1.5 baseline."""
    return {SINCE_KEY: version}


def template_field(
    handler: str, method: str, description: str, *, extra: dict[str, Any] | None = None, **kw: Any
) -> Any:
    """A ``Field`` Kapacitor parses as a Go template: marked, and described as one.

    ``handler``/``method`` name the TICKscript call (a key of
    ``tickgen.gotemplate.TEMPLATE_ARGS``); ``kw`` are the other ``Field`` arguments.
    """
    if "Go template" not in description:
        description = description.removesuffix(".") + " (a Go template)."
    return Field(
        description=description + template_note(handler, method),
        json_schema_extra={**(extra or {}), **go_template(handler, method)},
        **kw,
    )


def not_null(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` for an optional field whose unset value is ``None``.

    pydantic writes ``anyOf: [X, {type: null}]``; a parameter file never needs
    to write null (leaving the key out is the same), and without the anyOf a
    bad value gets X's own message ("does not match ...") instead of "not
    valid under any of the given schemas".
    """
    branches = [b for b in schema.pop("anyOf") if b != {"type": "null"}]
    if len(branches) == 1:
        schema.update(branches[0])
    else:
        schema["anyOf"] = branches


class Part(BaseModel):
    """A value object inside a handler (an SNMP binding, a PagerDuty link)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class HandlerModel(BaseModel):
    """Base of every handler: strict keys, immutable, renders its own lines."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # Kapacitor's method that creates the handler, e.g. "victorOps".
    kind: str

    def lines(self) -> list[Tick]:
        """The property lines of this handler, first the creating call."""
        raise NotImplementedError  # every concrete handler defines it

    @classmethod
    def since(cls) -> str:
        """The Kapacitor version that added this handler type."""
        extra = cls.model_config.get("json_schema_extra")
        if isinstance(extra, dict):
            return str(extra.get(SINCE_KEY, BASELINE))
        return BASELINE

    def set_fields(self) -> list[str]:
        """The fields that hold a value other than their default, in declaration order."""
        return [
            name
            for name, default in _defaults(type(self)).items()
            if getattr(self, name) != default
        ]


@cache
def _defaults(model: type[HandlerModel]) -> dict[str, Any]:
    # pydantic inspects a default_factory's signature on every get_default call;
    # the defaults of a class never change, so work them out once.
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if name != "kind"
    }


def call(name: str, *args: Tick) -> Tick:
    """One property line: ``.name(arg, arg)``."""
    return Tick(f".{name}({', '.join(args)})")


def text(name: str, value: str) -> list[Tick]:
    """``.name('value')``, or nothing when ``value`` is empty."""
    return [call(name, quote.string(value))] if value else []


def flag(name: str, on: bool) -> list[Tick]:
    """``.name()`` when ``on``."""
    return [call(name)] if on else []


def integer(name: str, value: int) -> list[Tick]:
    """``.name(5)``, or nothing for 0."""
    return [call(name, quote.number(value))] if value else []


def boolean(name: str, value: bool) -> list[Tick]:
    """``.name(TRUE)``, or nothing for false (Kapacitor's default)."""
    return [call(name, quote.boolean(value))] if value else []


def duration(name: str, value: str | None) -> list[Tick]:
    return [call(name, quote.duration(value))] if value else []


def strings(name: str, values: Sequence[str]) -> list[Tick]:
    """``.name('a', 'b')`` for a variadic string property, or nothing when empty."""
    return [call(name, *(quote.string(v) for v in values))] if values else []


def each(name: str, values: Sequence[str]) -> list[Tick]:
    """``.name('a')`` once per value (how Kapacitor writes email's ``to``)."""
    return [call(name, quote.string(v)) for v in values]


def pairs(name: str, items: Mapping[str, Scalar]) -> list[Tick]:
    """``.name('key', value)`` per entry, keys in byte order as Kapacitor sorts them."""
    return [call(name, quote.string(k), quote.value(items[k])) for k in sorted(items)]
