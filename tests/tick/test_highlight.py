"""The Pygments lexer gives each TICKscript token its kind.

It is driven by tickgen.tick.tokenize (one TICKscript grammar).  Where the
regex lexer it replaced differed, the expectations follow Kapacitor's lexer:
a '.' between two quoted names (dbrp "db"."rp") is punctuation, not an error;
'(' and ',' before a regex are punctuation, not operators; a lone '/' that
starts no regex and divides nothing is an error; the blanks after a comment's
text are plain text.
"""

from __future__ import annotations

from pathlib import Path

import pygments.lexers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    _TokenType,
)

from tickgen.tick import TokenKind, tokenize
from tickgen.tick.highlight import TickScriptLexer, highlight_terminal

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "tests" / "golden").rglob("*.tick")) + sorted(
    (ROOT / "tests" / "kapacitor_scripts").rglob("*.tick")
)


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for kind, value in TickScriptLexer().get_tokens(text) if value.strip()]


def test_statement_tokens() -> None:
    text = (
        "// cpu\n"
        "var crit = 90.5\n"
        "stream\n"
        "    |from()\n"
        '        .where(lambda: "host" =~ /web\\/[0-9]+/ AND "cpu" != \'all\')\n'
        "        .period(10s)\n"
        "    @udf()\n"
    )
    assert tokens(text) == [
        (Comment.Single, "// cpu"),
        (Keyword.Declaration, "var"),
        (Name, "crit"),
        (Operator, "="),
        (Number.Float, "90.5"),
        (Name.Builtin, "stream"),
        (Operator, "|"),
        (Name.Function, "from"),
        (Punctuation, "("),
        (Punctuation, ")"),
        (Punctuation, "."),
        (Name.Attribute, "where"),
        (Punctuation, "("),
        (Keyword, "lambda:"),
        (Name.Variable, '"host"'),
        (Operator, "=~"),
        (String.Regex, "/web\\/[0-9]+/"),
        (Operator.Word, "AND"),
        (Name.Variable, '"cpu"'),
        (Operator, "!="),
        (String.Single, "'all'"),
        (Punctuation, ")"),
        (Punctuation, "."),
        (Name.Attribute, "period"),
        (Punctuation, "("),
        (Number.Other, "10s"),
        (Punctuation, ")"),
        (Operator, "@"),
        (Name.Decorator, "udf"),
        (Punctuation, "("),
        (Punctuation, ")"),
    ]


def test_strings_with_escapes_and_triple_quotes() -> None:
    assert tokens("'it\\'s' '''a 'b'\nc'''") == [
        (String.Single, "'it\\'s'"),
        (String.Single, "'''a 'b'\nc'''"),
    ]


def test_only_upper_case_keywords_and_lambda_before_colon() -> None:
    assert tokens("TRUE true AND and lambda") == [
        (Keyword.Constant, "TRUE"),
        (Name, "true"),
        (Operator.Word, "AND"),
        (Name, "and"),
        (Name, "lambda"),
    ]


def test_numbers_and_durations() -> None:
    assert tokens("10 .5 1. 0644 5m 100ms 1d") == [
        (Number.Integer, "10"),
        (Number.Float, ".5"),
        (Number.Float, "1."),
        (Number.Integer, "0644"),
        (Number.Other, "5m"),
        (Number.Other, "100ms"),
        (Number.Other, "1d"),
    ]


def test_division_is_not_a_regex() -> None:
    assert tokens('"a" / "b" / 2') == [
        (Name.Variable, '"a"'),
        (Operator, "/"),
        (Name.Variable, '"b"'),
        (Operator, "/"),
        (Number.Integer, "2"),
    ]


def test_registered_as_a_pygments_plugin() -> None:
    assert pygments.lexers.find_lexer_class_by_name("tickscript") is TickScriptLexer
    assert isinstance(pygments.lexers.get_lexer_for_filename("cpu.tick"), TickScriptLexer)


def test_terminal_output_keeps_the_text() -> None:
    text = "stream\n    |from()\n"
    coloured = highlight_terminal(text)
    assert "\x1b[" in coloured
    assert "from" in coloured


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_tokens_are_those_the_parser_reads(path: Path) -> None:
    """One grammar: every token the highlighter shows is one of tokenize's."""
    text = path.read_text(encoding="utf-8")
    lexed = tokenize(text)
    shown = list(TickScriptLexer().get_tokens_unprocessed(text))
    assert "".join(value for _, _, value in shown) == text
    if lexed[-1].kind is TokenKind.ERROR:
        assert any(kind is Error for _, kind, _ in shown)
        return
    assert all(kind is not Error for _, kind, _ in shown)
    expected = [(t.start, t.text) for t in lexed if t.kind not in (TokenKind.EOF, TokenKind.COMMENT)]
    assert [
        (start, value) for start, kind, value in shown if kind not in (Text,) and kind not in Comment
    ] == expected


def test_text_that_does_not_lex_gives_error_tokens() -> None:
    assert tokens("a = 1 # b = 2") == [
        (Name, "a"),
        (Operator, "="),
        (Number.Integer, "1"),
        (Error, "#"),
        (Name, "b"),
        (Operator, "="),
        (Number.Integer, "2"),
    ]
    assert tokens("x = 'open") == [(Name, "x"), (Operator, "="), (Error, "'"), (Name, "open")]
    assert tokens("1 ~ 2") == [(Number.Integer, "1"), (Error, "~"), (Number.Integer, "2")]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abTRUE_19.5ms \n\t'\"/|.@()[],=~!<>*+-%#$\\:λé")),
        max_size=40,
    )
)
def test_any_text_is_highlighted_whole_without_exceptions(text: str) -> None:
    shown = list(TickScriptLexer().get_tokens_unprocessed(text))
    assert "".join(value for _, _, value in shown) == text
    offsets = [start for start, _, _ in shown]
    assert offsets == sorted(offsets)
    assert all(text.startswith(value, start) for start, _, value in shown)


def test_a_comment_block_is_one_comment_per_line() -> None:
    text = "// one\n    // two  \nstream\n"
    assert list(TickScriptLexer().get_tokens_unprocessed(text)) == [
        (0, Comment.Single, "// one"),
        (6, Text, "\n"),
        (7, Text, "    "),
        (11, Comment.Single, "// two"),
        (17, Text, "  "),
        (19, Text, "\n"),
        (20, Name.Builtin, "stream"),
        (26, Text, "\n"),
    ]


def test_where_the_regex_lexer_differed() -> None:
    assert tokens('dbrp "db"."rp"') == [
        (Keyword.Declaration, "dbrp"),
        (Name.Variable, '"db"'),
        (Punctuation, "."),
        (Name.Variable, '"rp"'),
    ]
    assert tokens("f(1, /re/)")[3:5] == [(Punctuation, ","), (String.Regex, "/re/")]
    assert tokens("/ab") == [(Error, "/"), (Name, "ab")]
