"""The lexer counts lines as it goes (the parser's positions come from there):
every token's line and column must be what counting from the start gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tickgen.tick.lexer import TokenKind, lex_lines

TRICKY = [
    "",
    "\n\n\nstream",
    "var x = '''a\nb''' + 'c\nd' + 'e'\nstream|from().where(lambda: \"a\" =~ /x\ny/ AND TRUE)",
    'stream\n  // c1\n  // c2\n|from() // trailing\n.where(lambda: "a"\n > 1)',
    'var r = /a\nb/\nvar s = "x\ny" \nstream',
    "var x = 1 / 2\nvar y = x * /a\nb/\n\tstream",
    "var é = 1\n var y = 'é\nü' + 'x'\n",
    "a\r\nb\x85c\u2028d",
]

ALPHABET = [*"ab v=~!/*'\"\n\t.()|,[]@-+<>0123456789sm\\:é", "'''", "//", "lambda:", "\n// c\n"]


def _check(text: str) -> None:
    kinds, starts, _, _, lines, columns = lex_lines(text)
    assert len(lines) == len(columns) == len(kinds)
    for kind, start, line, column in zip(kinds, starts, lines, columns, strict=True):
        if kind is TokenKind.ERROR:
            continue
        assert line == text.count("\n", 0, start) + 1, (text, start)
        assert column == start - text.rfind("\n", 0, start), (text, start)


def test_tricky_texts() -> None:
    for text in TRICKY:
        _check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_lines_and_columns_count_from_the_start(text: str) -> None:
    _check(text)
