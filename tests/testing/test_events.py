"""Comparing expected and actual events (offline; the real server is in test_cli_test.py)."""

from __future__ import annotations

from tickgen.testing.events import ActualEvent, compare, format_offset, parse_event, parse_time_ns
from tickgen.testing.spec import ExpectedEvent

START = 1704067200


def actual(at_s: int, level: str, **extra: object) -> ActualEvent:
    return ActualEvent(
        at=at_s * 10**9,
        time="",
        level=level,
        id=str(extra.get("id", "a")),
        message="",
        details="",
        duration=0,
        fields=dict(extra.get("fields", {})),  # type: ignore[call-overload]
    )


def test_times_and_offsets() -> None:
    assert parse_time_ns("2024-01-01T00:00:00Z") == START * 10**9
    assert parse_time_ns("2024-01-01T00:01:30.5Z") == (START + 90) * 10**9 + 500_000_000
    assert [format_offset(n * 10**9) for n in (0, 90, 3600, 3661)] == [
        "0s",
        "1m30s",
        "1h",
        "1h1m1s",
    ]
    assert format_offset(1_500_000_000) == "1.5s"
    assert format_offset(-2 * 10**9) == "-2s"


def test_parse_event_reads_the_point() -> None:
    raw = {
        "id": "cpu-host=a",
        "message": "m",
        "details": "",
        "time": "2024-01-01T00:02:00Z",
        "duration": 60_000_000_000,
        "level": "CRITICAL",
        "data": {
            "series": [
                {
                    "name": "cpu",
                    "tags": {"host": "a"},
                    "columns": ["time", "value"],
                    "values": [["2024-01-01T00:02:00Z", 95]],
                }
            ]
        },
    }
    event = parse_event(raw, start_ns=START * 10**9)
    assert (event.at, event.duration) == (120 * 10**9, 60 * 10**9)
    assert event.tags == {"host": "a"} and event.fields == {"value": 95}


def test_matching_is_by_time_level_and_what_is_given() -> None:
    want = [
        ExpectedEvent(at="1m", level="CRITICAL", fields={"value": 95.0}),
        ExpectedEvent(at="2m", level="OK"),
    ]
    got = [actual(60, "CRITICAL", fields={"value": 95}), actual(120, "OK")]
    assert all(row.ok for row in compare(want, got))


def test_a_wrong_level_is_one_row_with_what_differs() -> None:
    rows = compare([ExpectedEvent(at="1m", level="CRITICAL")], [actual(60, "WARNING")])
    assert len(rows) == 1 and rows[0].differs == ("level",)


def test_missing_and_unexpected_events_fail() -> None:
    rows = compare([ExpectedEvent(at="1m", level="CRITICAL")], [actual(120, "OK")])
    assert [(r.expected is None, r.actual is None) for r in rows] == [(False, True), (True, False)]
    assert not any(row.ok for row in rows)
    assert compare([], []) == []


def test_tolerance_for_wall_clock_events() -> None:
    want = [ExpectedEvent(at="15m", level="CRITICAL")]
    assert compare(want, [actual(24 * 60, "CRITICAL")], tolerance=20 * 60 * 10**9)[0].ok
    assert not compare(want, [actual(36 * 60, "CRITICAL")], tolerance=20 * 60 * 10**9)[0].ok
