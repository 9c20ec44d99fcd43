"""The Pygments lexer gives each TICKscript token its kind."""

from __future__ import annotations

import pygments.lexers
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    _TokenType,
)

from tickgen.tick.highlight import TickScriptLexer, highlight_terminal


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
