"""Every node's position (offset, line, column) is what counting from the start of
the text gives: lines count ``\\n`` only, and a column counts bytes of UTF-8,
as Kapacitor's ``char``."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from tickgen.tick import TickSyntaxError, ast, parse

TRICKY = [
    "",
    "\n\n\nstream",
    "var x = '''a\nb''' + 'c\nd' + 'e'\nstream|from().where(lambda: \"a\" =~ /x\ny/ AND TRUE)",
    'stream\n  // c1\n  // c2\n|from() // trailing\n.where(lambda: "a"\n > 1)',
    'var r = /a\nb/\nvar s = "x\ny" \nstream',
    "var x = 1 / 2\nvar y = x * /a\nb/\n\tstream",
    "var é = 1\n var y = 'é\nü' + 'x'\n",
    "var x = 'ü' + 'é' // ß\nstream|f(\n  'ï', 2)",
    "a\r\nb\x85c\u2028d",
]

ALPHABET = [*"ab v=~!/*'\"\n\t.()|,[]@-+<>0123456789sm\\:é", "'''", "//", "lambda:", "\n// c\n"]


def _positions(node: object) -> list[ast.Position]:
    """The position of ``node`` and of every node and comment inside it."""
    found: list[ast.Position] = []
    if isinstance(node, ast.Position):
        return [node]
    if isinstance(node, list):
        for item in node:
            found.extend(_positions(item))
    elif dataclasses.is_dataclass(node):
        for field in dataclasses.fields(node):
            found.extend(_positions(getattr(node, field.name)))
    return found


def _check(text: str) -> None:
    try:
        program = parse(text)
    except TickSyntaxError:
        return
    for pos in _positions(program):
        assert pos.line == text.count("\n", 0, pos.offset) + 1, (text, pos)
        line_start = text.rfind("\n", 0, pos.offset) + 1
        assert pos.column == len(text[line_start : pos.offset].encode()) + 1, (text, pos)


def test_tricky_texts() -> None:
    for text in TRICKY:
        _check(text)


def test_tricky_texts_parse() -> None:
    # so that test_tricky_texts checks positions, not only errors
    parsed = 0
    for text in TRICKY:
        try:
            parse(text)
        except TickSyntaxError:
            continue
        parsed += 1
    assert parsed >= 6


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_lines_and_columns_count_from_the_start(text: str) -> None:
    _check(text)
