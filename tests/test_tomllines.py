"""Lines of TOML keys (tickgen.tomllines), checked against what tomllib reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tickgen.tomllines import toml_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

TRICKY = '''\
title = "a # not a comment"   # a comment
"quoted.key" . inner = """first
[not.a.table]
x = "not a key" """"
'literal' = 'it"s'
dotted . deep.key = 1979-05-27 07:32:00Z
ml = \'\'\'
y = 2
\'\'\'

[[servers]]
name = "a"
ports = [
  8080,   # first
  { p = 1, q = [2, 3] },
]

[servers.meta]
note = "x"

[[servers]]
name = "b"

[ "spaced" . table ]
k = true
'''


def paths(data: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found.extend(paths(value, (*prefix, key)))
    return found


EXAMPLES = sorted((ROOT / "examples").rglob("*.toml"))


@pytest.mark.parametrize("text", [TRICKY, *(p.read_text("utf-8") for p in EXAMPLES)])
def test_every_key_has_the_line_it_is_written_on(text: str) -> None:
    lines = toml_lines(text)
    source = text.splitlines()
    for path in paths(tomllib.loads(text)):
        assert path in lines, path
        key = path[-1] if path and isinstance(path[-1], str) else None
        if key is not None:
            assert key.split(".")[0] in source[lines[path] - 1], (path, lines[path])


def test_the_tricky_places() -> None:
    lines = toml_lines(TRICKY)
    assert lines[("quoted.key", "inner")] == 2
    assert lines[("literal",)] == 5
    assert lines[("dotted", "deep", "key")] == 6
    assert lines[("ml",)] == 7
    assert lines[("servers", 0, "ports", 1, "q", 1)] == 15
    assert lines[("servers", 0, "meta", "note")] == 19
    assert lines[("servers", 1, "name")] == 22
    assert lines[("spaced", "table", "k")] == 25
    assert ("not", "a", "table") not in lines and ("x",) not in lines and ("y",) not in lines


def test_text_that_is_not_toml_gives_what_was_found() -> None:
    assert toml_lines('a = 1\nb = "unterminated\n') == {(): 1, ("a",): 1, ("b",): 2}
