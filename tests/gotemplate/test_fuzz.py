"""Any text: the parser and checker answer (a tree or Go's error), never crash or hang."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tickgen.gotemplate import GoTemplateError, check, context
from tickgen.gotemplate.lexer import GO115, GO125

# Template-ish text: the characters Go's lexer treats specially, plus some words.
PIECES = st.sampled_from(
    [
        "{{",
        "}}",
        "{{-",
        "-}}",
        " ",
        "\n",
        "\t",
        ".",
        "$",
        "$x",
        ":=",
        "=",
        "|",
        "(",
        ")",
        '"',
        "`",
        "'",
        "/*",
        "*/",
        "-",
        "+",
        "0",
        "1",
        "9",
        "x",
        "e",
        "i",
        "_",
        ",",
        ".Name",
        ".Tags",
        ".Time",
        "index",
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "break",
        "continue",
        "nil",
        "true",
        "len",
        "printf",
        "\\",
        "é",
    ]
)
TEXT = st.lists(PIECES, max_size=30).map("".join) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_parse_and_check_never_crash(text: str) -> None:
    for version in ((1, 5, 9), (1, 8, 3)):
        ctx = context("messageInfo", "message", version)
        message, line = "template: message:", 1
        try:
            check(text, ctx)
        except GoTemplateError as error:
            message, line = str(error), error.line
        assert message.startswith("template: message:")
        assert line >= 1


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_go125_accepts_everything_go115_accepts(text: str) -> None:
    # Go 1.16-1.25 only added syntax (newlines in actions, break/continue, else with).
    ok115 = _parses(text, GO115)
    if ok115:
        assert _parses(text, GO125), text


def _parses(text: str, syntax: object) -> bool:
    ctx = context("messageInfo", "message", (1, 5, 9) if syntax is GO115 else (1, 8, 3))
    try:
        check(text, ctx)
    except GoTemplateError:
        return False
    return True
