"""Input series -> line protocol with absolute nanosecond timestamps, sorted by time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..tick.quote import duration_nanoseconds
from .notation import GAP, IntValue, Value, expand, expand_list
from .spec import Series

__all__ = ["Point", "field_value", "series_points", "shift_lines"]

_PRECISION_NS = {"s": 1_000_000_000, "ms": 1_000_000, "u": 1_000, "ns": 1}


@dataclass(frozen=True)
class Point:
    """One point: ``ns`` from the Unix epoch; ``key`` is measurement and tags (its series)."""

    ns: int
    key: str
    fields: str

    def line(self, ns: int | None = None) -> str:
        return f"{self.key} {self.fields} {self.ns if ns is None else ns}"


def _escape(text: str, specials: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in specials:
        text = text.replace(char, "\\" + char)
    return text


def series_key(measurement: str, tags: dict[str, str]) -> str:
    key = _escape(measurement, ", ")
    for name in sorted(tags):
        key += f",{_escape(name, ',= ')}={_escape(tags[name], ',= ')}"
    return key


def field_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, IntValue):
        return f"{value.value}i"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value)) + ".0"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise ValueError(f"not a field value: {value!r}")


def values_of(raw: str | Sequence[object]) -> list[Value]:
    return expand(raw) if isinstance(raw, str) else expand_list(raw)


def series_points(
    series: Series, *, start_ns: int, interval: str, measurement: str, field: str
) -> list[Point]:
    """The points of one series; NotationError names the bad value."""
    step = duration_nanoseconds(series.interval or interval)
    first = start_ns + (duration_nanoseconds(series.offset) if series.offset else 0)
    columns = {field: series.values} if series.values is not None else dict(series.fields)
    expanded = {name: values_of(raw) for name, raw in columns.items()}
    length = max(len(v) for v in expanded.values())
    key = series_key(measurement, dict(series.tags))
    points = []
    for index in range(length):
        parts = []
        for name in sorted(expanded):
            values = expanded[name]
            if index < len(values) and values[index] is not GAP:
                parts.append(f"{_escape(name, ',= ')}={field_value(values[index])}")
        if parts:
            points.append(Point(first + index * step, key, ",".join(parts)))
    return points


def shift_lines(text: str, *, start_ns: int, precision: str) -> list[Point]:
    """Line protocol whose timestamps are offsets from the start, in ``precision`` units."""
    unit = _PRECISION_NS[precision]
    points = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, stamp = line.rpartition(" ")
        if not head or not stamp.lstrip("-").isdigit():
            raise ValueError(
                f"line {number}: {line!r} needs a timestamp (an offset from the start in "
                f"{precision}) as its last part"
            )
        key, _, fields = _split_key(head)
        if not fields:
            raise ValueError(f"line {number}: {line!r} has no fields")
        points.append(Point(start_ns + int(stamp) * unit, key, fields))
    return points


def _split_key(head: str) -> tuple[str, str, str]:
    """Split ``measurement,tags fields`` at the first unescaped space."""
    index = 0
    while index < len(head):
        char = head[index]
        if char == "\\":
            index += 2
            continue
        if char == " ":
            return head[:index], " ", head[index + 1 :]
        index += 1
    return head, "", ""


def flush_points(points: Sequence[Point], every_ns: int) -> list[Point]:
    """One point per series at the first window boundary after its last point.

    Kapacitor emits a window when a later point of the same group arrives
    (reference 1.3); this point closes the last window with data, and lies in a
    window that is never emitted itself.
    """
    last: dict[str, Point] = {}
    for point in points:
        if point.key not in last or point.ns >= last[point.key].ns:
            last[point.key] = point
    return [
        Point(math.floor(p.ns / every_ns) * every_ns + every_ns, p.key, p.fields)
        for p in last.values()
    ]
