"""Alert events as Kapacitor posts them, and their comparison with the expected ones."""

from __future__ import annotations

import math
import re
from calendar import timegm
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..tick.quote import duration_nanoseconds
from .spec import ExpectedEvent

__all__ = ["ActualEvent", "Row", "compare", "format_offset", "parse_event"]

_RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z$")
_UNITS = (("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000))


def parse_time_ns(text: str) -> int:
    """RFC3339 UTC as Kapacitor writes it (trailing zeros trimmed) -> Unix nanoseconds."""
    match = _RFC3339.match(text)
    if not match:
        raise ValueError(f"unexpected event time {text!r}")
    y, mo, d, h, mi, s = (int(match.group(i)) for i in range(1, 7))
    fraction = (match.group(7) or "").ljust(9, "0")
    return timegm((y, mo, d, h, mi, s, 0, 0, 0)) * 1_000_000_000 + int(fraction or 0)


def format_offset(ns: float) -> str:
    """``90e9`` -> ``1m30s``; ``0`` -> ``0s``; ``-2e9`` -> ``-2s``; ``1.5e9`` -> ``1.5s``."""
    if ns < 0:
        return "-" + format_offset(-ns)
    whole = int(ns)
    if whole == 0:
        return "0s"
    text = ""
    for unit, size in _UNITS[:2]:
        if whole >= size:
            text += f"{whole // size}{unit}"
            whole %= size
    if whole:
        if whole % 1_000_000_000 == 0:
            text += f"{whole // 1_000_000_000}s"
        elif whole >= 1_000_000_000 or not text:
            text += f"{whole / 1e9:g}s"
        else:
            text += f"{whole / 1e6:g}ms"
    return text


@dataclass(frozen=True)
class ActualEvent:
    """One event Kapacitor posted; ``at`` in ns from the test's start."""

    at: int
    time: str
    level: str
    id: str
    message: str
    details: str
    duration: int
    tags: dict[str, str] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": format_offset(self.at),
            "time": self.time,
            "level": self.level,
            "id": self.id,
            "message": self.message,
            "details": self.details,
            "duration": format_offset(self.duration),
            "tags": self.tags,
            "fields": self.fields,
        }


def parse_event(raw: dict[str, Any], *, start_ns: int, scale: float = 1.0) -> ActualEvent:
    """An event of Kapacitor's post/log JSON; ``scale`` maps wall-clock (deadman) time back."""
    time_ns = parse_time_ns(str(raw.get("time", "")))
    tags: dict[str, str] = {}
    fields: dict[str, Any] = {}
    series = (raw.get("data") or {}).get("series") or []
    if series:
        first = series[0]
        tags = dict(first.get("tags") or {})
        columns = first.get("columns") or []
        values = (first.get("values") or [[]])[0]
        fields = {c: v for c, v in zip(columns, values, strict=False) if c != "time"}
    at = round((time_ns - start_ns) / scale)
    if scale != 1.0:  # wall-clock events: their test time is only as exact as the clock
        at = round(at / 1e9) * 1_000_000_000
    return ActualEvent(
        at=at,
        time=str(raw.get("time", "")),
        level=str(raw.get("level", "")),
        id=str(raw.get("id", "")),
        message=str(raw.get("message", "")),
        details=str(raw.get("details", "")),
        duration=round(int(raw.get("duration") or 0) / scale),
        tags=tags,
        fields=fields,
    )


def expected_at(expected: ExpectedEvent) -> int:
    return duration_nanoseconds(expected.at)


def _same_value(want: Any, got: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, int | float) and isinstance(got, int | float):
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9)
    return bool(want == got)


def differences(want: ExpectedEvent, got: ActualEvent, tolerance: int = 0) -> list[str]:
    """What differs between an expected and an actual event (empty: they match)."""
    found = []
    if abs(expected_at(want) - got.at) > tolerance:
        found.append("at")
    if want.level != got.level:
        found.append("level")
    for name in ("id", "message", "details"):
        value = getattr(want, name)
        if value is not None and value != getattr(got, name):
            found.append(name)
    if want.duration is not None:
        duration = duration_nanoseconds(want.duration)
        if abs(duration - got.duration) > tolerance:
            found.append("duration")
    for name, value in (want.tags or {}).items():
        if got.tags.get(name) != value:
            found.append(f"tags.{name}")
    for name, value in (want.fields or {}).items():
        if name not in got.fields or not _same_value(value, got.fields[name]):
            found.append(f"fields.{name}")
    return found


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side comparison."""

    expected: ExpectedEvent | None
    actual: ActualEvent | None
    differs: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.expected is not None and self.actual is not None and not self.differs


def compare(
    expected: Sequence[ExpectedEvent], actual: Sequence[ActualEvent], *, tolerance: int = 0
) -> list[Row]:
    """Pair every expected event with an actual one; what is left over is a failure.

    An expected event matches the first actual event (in arrival order) that is
    not yet taken and agrees on ``at`` (within ``tolerance`` ns), level and
    every property it sets.  Left-overs at the same time are shown side by side
    with what differs.
    """
    taken: set[int] = set()
    rows: list[Row] = []
    missing: list[ExpectedEvent] = []
    for want in sorted(expected, key=expected_at):
        for index, got in enumerate(actual):
            if index not in taken and not differences(want, got, tolerance):
                taken.add(index)
                rows.append(Row(want, got))
                break
        else:
            missing.append(want)
    extra = [got for index, got in enumerate(actual) if index not in taken]
    for want in missing:
        near = [g for g in extra if abs(g.at - expected_at(want)) <= tolerance]
        if near:
            got = near[0]
            extra.remove(got)
            rows.append(Row(want, got, tuple(differences(want, got, tolerance))))
        else:
            rows.append(Row(want, None))
    rows.extend(Row(None, got) for got in extra)
    rows.sort(key=lambda r: expected_at(r.expected) if r.expected else r.actual.at)  # type: ignore[union-attr]
    return rows
