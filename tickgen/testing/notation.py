"""The compact notation of input series: ``50 40 15 _ 5x10 50-5x8 true "down"``.

One token per interval, separated by spaces:

=============  ====================================================================
``50``         a float field value (``50i`` an integer, ``-2.5``, ``1e3``)
``_``          a gap: no point at this time
``true``       a boolean (``false`` too)
``"down"``     a string (``'down'``; a bare word such as ``down`` is a string too)
``VxN``        ``V`` N times: ``5x3`` is ``5 5 5``; ``_x4`` is four gaps
``A+BxN``      a ramp of N values from ``A`` in steps of ``B``: ``50-5x4`` is
               ``50 45 40 35``; ``0+0.5x3`` is ``0 0.5 1``
=============  ====================================================================

N always counts values (promtool's ``1x3`` means four values; here it means three).
A list in the test file (``[50, null, "down"]``) is the same without the notation:
``null`` is a gap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GAP", "IntValue", "NotationError", "Value", "expand", "expand_list"]


class _Gap:
    def __repr__(self) -> str:
        return "_"


GAP = _Gap()


@dataclass(frozen=True)
class IntValue:
    """An integer field (``50i``): written with line protocol's ``i`` suffix."""

    value: int


Value = float | IntValue | bool | str | _Gap


class NotationError(ValueError):
    """A token that is not in the notation; the message names it and its position."""


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RAMP = re.compile(rf"^(?P<a>{_NUMBER})(?P<op>[-+])(?P<b>{_NUMBER})x(?P<n>\d+)$")
_REPEAT = re.compile(r"^(?P<v>.+)x(?P<n>\d+)$")
_INTEGER = re.compile(r"^[-+]?\d+i$")
_FLOAT = re.compile(rf"^{_NUMBER}$")
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.:/-]*$")
_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"(?:x\d+)?|'(?:[^'\\]|\\.)*'(?:x\d+)?|\S+")
MAX_VALUES = 100_000


def expand(text: str) -> list[Value]:
    """The values a notation string stands for; NotationError on the first bad token."""
    values: list[Value] = []
    for position, match in enumerate(_TOKEN.finditer(text), start=1):
        token = match.group(0)
        try:
            values.extend(_token(token))
        except NotationError as exc:
            raise NotationError(f"value {position} ({token!r}): {exc}") from None
        if len(values) > MAX_VALUES:
            raise NotationError(f"more than {MAX_VALUES} values")
    return values


def _token(token: str) -> list[Value]:
    ramp = _RAMP.match(token)
    if ramp:
        start, step, count = float(ramp["a"]), float(ramp["b"]), int(ramp["n"])
        if ramp["op"] == "-":
            step = -step
        _check_count(count)
        # integer ramps stay exact; float steps are rounded to 12 places against drift
        return [round(start + i * step, 12) for i in range(count)]
    repeat = _REPEAT.match(token)
    if repeat and not _FLOAT.match(token):
        count = int(repeat["n"])
        _check_count(count)
        return [_single(repeat["v"])] * count
    return [_single(token)]


def _check_count(count: int) -> None:
    if count < 1:
        raise NotationError("a repetition needs a count of at least 1")
    if count > MAX_VALUES:
        raise NotationError(f"a repetition of more than {MAX_VALUES} values")


def _single(token: str) -> Value:
    if token == "_":
        return GAP
    if token in ("true", "false"):
        return token == "true"
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    if _INTEGER.match(token):
        return IntValue(int(token[:-1]))
    if _FLOAT.match(token):
        number = float(token)
        if math.isinf(number):
            raise NotationError("too large for a float")
        return number
    if _WORD.match(token):
        return token
    raise NotationError(
        "expected a number (50, 2.5, 50i), _ for a gap, true/false, a word or a quoted "
        "string, VxN to repeat or A+BxN / A-BxN for a ramp"
    )


def expand_list(items: Sequence[object]) -> list[Value]:
    """A YAML/JSON list of values: numbers, booleans, strings; null is a gap."""
    values: list[Value] = []
    for index, item in enumerate(items):
        if item is None:
            values.append(GAP)
        elif isinstance(item, bool | str):
            values.append(item)
        elif isinstance(item, int):
            values.append(float(item))
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise NotationError(f"value [{index}] is not a finite number")
            values.append(item)
        else:
            raise NotationError(
                f"value [{index}] must be a number, boolean, string or null (a gap)"
            )
    return values
