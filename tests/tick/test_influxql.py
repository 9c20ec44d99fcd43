"""The little of InfluxQL the checker reads: statements and FROM sources."""

from __future__ import annotations

import pytest

from tickgen.tick.influxql import read_query


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ('SELECT v FROM "db"."rp"."m"', (("db", "rp"),)),
        ("SELECT v FROM db.rp.m WHERE x = 'a'", (("db", "rp"),)),
        ("SELECT v FROM rp.m", (("", "rp"),)),
        ("SELECT v FROM m", (("", ""),)),
        ('SELECT v FROM "db".."m"', (("db", ""),)),
        ('SELECT v FROM "db"."rp"./cpu_.*/', (("db", "rp"),)),
        ('SELECT v / 2 FROM "d"."r".m, "e"."s".n', (("d", "r"), ("e", "s"))),
        ('SELECT v FROM "a \\" b"."r".m', (('a " b', "r"),)),
        ("SELECT mean(v) FROM (SELECT v FROM d.r.m)", (("d", "r"),)),
    ],
)
def test_sources(text: str, sources: tuple[tuple[str, str], ...]) -> None:
    assert read_query(text).sources == sources


def test_statements_are_split_on_semicolons_outside_quotes() -> None:
    assert len(read_query("SELECT v FROM d.r.m; SELECT w FROM d.r.m").statements) == 2
    assert len(read_query("SELECT v FROM d.r.m WHERE t = 'a;b';").statements) == 1
    assert read_query("DROP DATABASE x").statements == ("DROP DATABASE x",)
