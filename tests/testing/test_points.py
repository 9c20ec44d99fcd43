"""Series and line protocol -> the points written (offline)."""

from __future__ import annotations

import pytest

from tickgen.testing.points import field_value, flush_points, series_points, shift_lines
from tickgen.testing.spec import Series

START = 1704067200 * 10**9
MINUTE = 60 * 10**9


def test_series_with_gaps_fields_offset_and_escaping() -> None:
    series = Series(
        tags={"path": "/var,x", "host": "a=b"},
        fields={"used": "1 _ 3", "state": '"ok" "a \\"q\\"" _'},
        offset="30s",
    )
    # the runner passes the series' measurement, or the alert's
    points = series_points(series, start_ns=START, interval="1m", measurement="disk io", field="v")
    assert [p.line() for p in points] == [
        f'disk\\ io,host=a\\=b,path=/var\\,x state="ok",used=1.0 {START + 30 * 10**9}',
        f'disk\\ io,host=a\\=b,path=/var\\,x state="a \\"q\\"" {START + 90 * 10**9}',
        f"disk\\ io,host=a\\=b,path=/var\\,x used=3.0 {START + 150 * 10**9}",
    ]


def test_values_default_to_the_alerts_measurement_and_field() -> None:
    series = Series(values="5i true 2.5", interval="10s")
    points = series_points(series, start_ns=START, interval="1m", measurement="m", field="v")
    assert [p.line() for p in points] == [
        f"m v=5i {START}",
        f"m v=true {START + 10 * 10**9}",
        f"m v=2.5 {START + 20 * 10**9}",
    ]


def test_line_protocol_times_are_offsets_from_the_start() -> None:
    points = shift_lines(
        "# a comment\nm,host=a v=1 0\n\nm,host=a v=2 90", start_ns=START, precision="s"
    )
    assert [p.line() for p in points] == [
        f"m,host=a v=1 {START}",
        f"m,host=a v=2 {START + 90 * 10**9}",
    ]
    with pytest.raises(ValueError, match="line 1: 'm v=1' needs a timestamp"):
        shift_lines("m v=1", start_ns=START, precision="s")


def test_flush_point_closes_each_series_last_window() -> None:
    series = Series(values="1 2 3")
    points = series_points(series, start_ns=START, interval="1m", measurement="m", field="v")
    other = series_points(
        Series(tags={"h": "b"}, values="7"),
        start_ns=START,
        interval="1m",
        measurement="m",
        field="v",
    )
    flush = flush_points([*points, *other], every_ns=5 * MINUTE)
    assert sorted(p.line() for p in flush) == [
        f"m v=3.0 {START + 5 * MINUTE}",
        f"m,h=b v=7.0 {START + 5 * MINUTE}",
    ]


def test_field_values() -> None:
    assert [field_value(v) for v in (1.0, 0.1, False, "x\\y")] == [
        "1.0",
        "0.1",
        "false",
        '"x\\\\y"',
    ]
