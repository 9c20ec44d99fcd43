"""The one place where a value becomes TICKscript text.

Each TICKscript context has one function here; templates reach them as Jinja
filters of the same name, and nothing else writes user values into a script.
Every function returns :class:`Tick`, a ``str`` that marks text as already
TICKscript; the render environment refuses to print anything that is not a
``Tick``, so a value that skipped its filter is a render error, not a script.

The rules follow Kapacitor's lexer (``tick/ast/lex.go``):

* ``'single'`` strings: only ``\\'`` is an escape, every other backslash is
  literal.  A value ending in a backslash cannot be single-quoted (the closing
  quote would be escaped), so it is written triple-quoted (``'''raw'''``, no
  escapes at all).  Where the triple quote cannot hold it either (it contains
  ``'''``, or quotes just before the trailing backslash end the literal
  early), it is the concatenation ``('head' + '''\\''')``: the value
  without its trailing backslashes, single-quoted, plus those backslashes,
  triple-quoted.  Kapacitor evaluates ``+`` on two strings as concatenation,
  outside lambdas when the task is defined and inside them per point
  (``tick/eval.go`` evaluates a binary node in a var or an argument;
  ``tick/stateful`` has string + string), so this is one string wherever an
  expression may stand: a var, a call's argument, an operand in a lambda.  The
  parentheses keep it one operand next to any operator.  Only a list item
  cannot be an expression (:func:`string_list` says so).
* ``"references"``: only ``\\"`` is an escape; a name cannot end in a backslash,
  and no other syntax names a field or tag, so such a name cannot be written.
* ``/regex/``: only ``\\/`` is an escape; a pattern cannot end in a backslash,
  and cannot be empty (``//`` starts a comment where a token starts: ``f(//)``
  is ``f(`` and a comment; after ``=`` or ``=~`` it would be a regex).
* durations: an integer and one unit of ``u µ ms s m h d w``.
* numbers: printed as Kapacitor's formatter prints them.

What is written as one literal token (a single- or triple-quoted string, a
reference, a regex, a duration, a number that is not negative) is a
:class:`LiteralTick`, which also says which function wrote it and the value
the literal holds: the shape cache (tickgen/shapes.py) takes the literal from
there instead of lexing and parsing the text again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from .lexer import TokenKind, tokenize

__all__ = [
    "DURATION_RE",
    "IDENTIFIER_RE",
    "LiteralTick",
    "QuoteError",
    "Tick",
    "boolean",
    "duration",
    "duration_nanoseconds",
    "float_number",
    "go_template_text",
    "identifier",
    "is_literal",
    "number",
    "reference",
    "regex",
    "string",
    "string_list",
    "value",
]


class Tick(str):
    """Text that is already valid TICKscript for the place it is written to."""

    __slots__ = ()


class LiteralTick(Tick):
    """A :class:`Tick` that is one literal token, which ``escape`` wrote for ``value``.

    ``value`` is what the literal node holds once parsed (the string after
    unescaping, the name of a reference, the text between a regex's slashes,
    the duration's text, the number), so a reader can have the literal without
    lexing and parsing its text.  tests/tick/test_quote.py checks for random
    values of every function here that this holds (``_derived`` in
    tickgen/shapes.py against lexing, parsing and formatting the text).
    """

    escape: Callable[..., Tick]
    value: object


def _literal(escape: Callable[..., Tick], value: object, text: str) -> LiteralTick:
    if type(value) is not str and isinstance(value, str):
        value = str.__str__(value)  # the node holds a plain str, as the parser makes
    written = LiteralTick(text)
    written.escape = escape
    written.value = value
    return written


class QuoteError(ValueError):
    """A value that cannot be written in the requested TICKscript context."""


DURATION_RE = re.compile(r"[0-9]+(?:ms|u|µ|s|m|h|d|w)")
IDENTIFIER_RE = re.compile(r"[^\W\d_]\w*")
_RESERVED = frozenset({"var", "dbrp", "TRUE", "FALSE", "AND", "OR", "lambda"})
_UNIT_NS = {
    "u": 1_000,
    "µ": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
    "d": 86400 * 1_000_000_000,
    "w": 7 * 86400 * 1_000_000_000,
}
_INT64_MAX = 2**63 - 1


def string(value: str) -> Tick:
    """A string expression whose value reads back as exactly ``value``.

    A literal, except for a value that ends in a backslash and that the triple
    quote cannot hold: that one is a parenthesised concatenation of two
    literals, valid wherever TICKscript takes an expression (not in a list).
    """
    if not isinstance(value, str):
        raise QuoteError(f"expected a string, got {type(value).__name__}")
    if not value.endswith("\\"):
        return _literal(string, value, _single(value))
    if _triple_holds(value):
        return _literal(string, value, "'''" + value + "'''")
    head = value.rstrip("\\")
    # ``head`` does not end in a backslash, so it single-quotes; the tail is
    # only backslashes, which a triple quote always holds.
    return Tick("(" + _single(head) + " + '''" + value[len(head) :] + "''')")


def is_literal(value: str) -> bool:
    """Whether :func:`string` writes ``value`` as one literal (not a concatenation)."""
    return not value.endswith("\\") or _triple_holds(value)


def _single(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


def _triple_holds(value: str) -> bool:
    """Whether ``'''value'''`` is one string token whose value is ``value``."""
    if "'''" in value:
        return False
    literal = "'''" + value + "'''"
    # Kapacitor's lexer counts quotes across backslashes inside a triple
    # quote, so quotes near the trailing backslash can end the literal early.
    tokens = tokenize(literal)
    return len(tokens) == 2 and tokens[0].kind == TokenKind.STRING and tokens[0].text == literal


def go_template_text(value: str) -> Tick:
    """A string literal of Go template text that prints exactly ``value``.

    For plain text that Kapacitor splices into a Go template (the alert name in
    the id).  Outside an action Go copies text verbatim except ``{{``, which
    opens one (a lone ``}}`` and backslashes are literal), so each ``{{`` is
    written as the action ``{{"{{"}}``: a quoted string, which Go 1.15
    (Kapacitor 1.5.9) and Go 1.25 (1.8.3) both print as is.  Left to right,
    ``{{{`` becomes ``{{"{{"}}{``, so no ``{{`` of the value survives.
    """
    if not isinstance(value, str):
        raise QuoteError(f"expected a string, got {type(value).__name__}")
    return string(value.replace("{{", '{{"{{"}}'))


def string_list(values: Iterable[str]) -> Tick:
    """A list literal of strings: ``['a', 'b']``; ``[]`` when empty.

    A list item can only be a literal (or a var's name), so a value that
    :func:`string` writes as a concatenation is refused here; a template puts
    such a value into a var of its own and names the var in the list (the
    built-in templates do, see ``list_var``).
    """
    items = []
    for v in values:
        if isinstance(v, str) and not is_literal(v):
            raise QuoteError(
                f"{v!r} ends in a backslash and contains quotes that a triple-quoted "
                "string cannot hold, so it is written as a concatenation of two strings, "
                "which a TICKscript list cannot contain; declare it in a var and put the "
                "var's name into the list"
            )
        items.append(string(v))
    return Tick("[" + ", ".join(items) + "]")


def reference(name: str) -> Tick:
    """A field or tag reference: ``"name"``."""
    if not isinstance(name, str):
        raise QuoteError(f"expected a string, got {type(name).__name__}")
    if name.endswith("\\"):
        raise QuoteError(
            "a field or tag name cannot end in a backslash in TICKscript: a name is "
            'written as a "reference", where \\" is an escape, so a final backslash '
            "would escape the closing quote, and no other syntax names a field or tag; "
            "rename the field or tag"
        )
    return _literal(reference, name, '"' + name.replace('"', '\\"') + '"')


def regex(pattern: str) -> Tick:
    """A regex literal: ``/pattern/`` (Go RE2 syntax)."""
    if not isinstance(pattern, str):
        raise QuoteError(f"expected a string, got {type(pattern).__name__}")
    if not pattern:
        raise QuoteError(
            "an empty regex cannot be written in TICKscript: where a token starts (a "
            "call's argument, a list item) // starts a comment; to match everything "
            "write (?:)"
        )
    if pattern.endswith("\\"):
        raise QuoteError("a regex cannot end in a backslash in TICKscript")
    if "\n" in pattern:
        raise QuoteError("a regex cannot contain a newline")
    literal = pattern.replace("/", "\\/")
    if not pattern[0].isascii():
        # Kapacitor's lexer may misread it where a token starts (tickgen/tick/lexer.py,
        # _misread_regex), so it is not one regex token wherever it stands
        return Tick("/" + literal + "/")
    return _literal(regex, literal, "/" + literal + "/")


def duration(value: str) -> Tick:
    """A duration literal such as ``10m``: an integer and one unit of u, µ, ms, s, m, h, d, w."""
    if not isinstance(value, str) or not DURATION_RE.fullmatch(value):
        raise QuoteError(
            f"{value!r} is not a TICKscript duration: write an integer and one unit of "
            "u, µ, ms, s, m, h, d, w (for example 10s, 5m, 1h)"
        )
    if duration_nanoseconds(value) > _INT64_MAX:
        raise QuoteError(f"duration {value!r} is too long")
    return _literal(duration, value, value)


def duration_nanoseconds(value: str) -> int:
    """The length of a duration literal in nanoseconds."""
    unit = value.lstrip("0123456789")
    return int(value[: len(value) - len(unit)]) * _UNIT_NS[unit]


def number(value: int | float) -> Tick:
    """A number literal printed as Kapacitor's formatter prints it.

    Integers print in decimal and floats in the shortest round-trip fixed
    notation with at least one decimal (``90.0``, ``0.5``); a negative number is
    TICKscript's unary minus followed by the literal.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QuoteError(f"expected a number, got {type(value).__name__}")
    if isinstance(value, int):
        if abs(value) > _INT64_MAX:
            raise QuoteError(f"{value} does not fit in a 64-bit integer")
        text = str(int(value))
        # a negative number is "-" and a literal
        return _literal(number, int(value), text) if value >= 0 else Tick(text)
    return float_number(value)


def float_number(value: float) -> Tick:
    """A float literal, always with a decimal point (``100`` -> ``100.0``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QuoteError(f"expected a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise QuoteError(f"{value} is not a finite number")
    text = format(Decimal(repr(abs(value))), "f")
    if "." not in text:
        text += ".0"
    if math.copysign(1.0, value) < 0 and value != 0:
        return Tick("-" + text)  # "-" and a literal
    return _literal(float_number, abs(value), text)  # abs: -0.0 is written 0.0


def boolean(value: bool) -> Tick:
    if not isinstance(value, bool):
        raise QuoteError(f"expected a boolean, got {type(value).__name__}")
    return Tick("TRUE" if value else "FALSE")


def identifier(name: str) -> Tick:
    """A TICKscript identifier: a letter, then letters, digits or ``_``; not a keyword."""
    if not isinstance(name, str) or not IDENTIFIER_RE.fullmatch(name) or name in _RESERVED:
        raise QuoteError(
            f"{name!r} is not a TICKscript identifier: it must start with a letter, "
            "contain only letters, digits and '_', and not be a keyword"
        )
    return Tick(name)


def value(v: str | int | float | bool) -> Tick:
    """A comparison operand: a number, a boolean, or a string."""
    if isinstance(v, bool):
        return boolean(v)
    if isinstance(v, (int, float)):
        return number(v)
    return string(v)
