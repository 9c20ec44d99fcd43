"""Fuzz: any text either parses or raises TickSyntaxError, and never anything else.

Inputs are arbitrary text, text drawn from TICKscript's own characters, and
random edits of the golden scripts (which keep most of a valid script, so the
parser gets deep before it fails).  Sizes and example counts are bounded so a
run takes seconds; a hang would show as a timeout of the whole test.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickgen import tick
from tickgen.tick import TickSyntaxError, ast, parse
from tickgen.tick.lexer import TokenKind, tokenize
from tickgen.tick.re2 import check_regex

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOLDEN = Path(__file__).parent.parent / "golden" / "tickfmt"
SCRIPTS = sorted(p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.in.tick"))
TICK_CHARS = (
    "abcxyzAND OR TRUE var dbrp lambda: |.@()[],*/+-%<>=!~'\"\\\n\t 0123456789.µmsuhdw_;#{}é"
)


def check(text: str) -> None:
    """Parse; on success the formatted text must parse too and keep its meaning."""
    try:
        program = parse(text)
    except TickSyntaxError as exc:
        error = exc
    else:
        _check_formatting(text, program)
        return
    assert error.line >= 1
    assert error.column >= 1
    assert str(error).startswith("parser: ")


def _check_formatting(text: str, program: ast.Program) -> None:
    formatted = tick.format(text)
    # Comments can move and "multiline" can switch on, but the statements stay.
    assert len(_code(parse(formatted))) == len(_code(program))


def _code(program: ast.Program) -> list[ast.Statement]:
    return [s for s in program.statements if not isinstance(s, ast.Comment)]


@SETTINGS
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    check(text)


@SETTINGS
@given(st.text(alphabet=TICK_CHARS, max_size=200))
def test_text_of_tickscript_characters(text: str) -> None:
    check(text)


@st.composite
def mutated_scripts(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SCRIPTS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        action = draw(st.sampled_from(["delete", "insert", "replace", "cut"]))
        piece = draw(st.text(alphabet=TICK_CHARS, min_size=1, max_size=3))
        if action == "delete":
            text = text[:at] + text[at + 1 :]
        elif action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        else:
            text = text[:at]
    return text


@SETTINGS
@given(mutated_scripts())
def test_mutated_scripts(text: str) -> None:
    check(text)


@SETTINGS
@given(st.text(max_size=200))
def test_tokenize_ends_with_eof_or_error(text: str) -> None:
    tokens = tokenize(text)
    assert tokens[-1].kind in (TokenKind.EOF, TokenKind.ERROR)
    starts = [t.start for t in tokens]
    assert starts == sorted(starts)


REGEX_CHARS = "ab()[]{}|*+?^$.\\-:<>=!,0123456789PpQEdxu_é "


@SETTINGS
@given(st.text(alphabet=REGEX_CHARS, max_size=40))
def test_regex_check_never_crashes(pattern: str) -> None:
    result = check_regex(pattern)
    assert result is None or result.startswith("error parsing regexp: ")


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000,
        "var x = " + "(" * 5000 + "1" + ")" * 5000,
        "var x = " + "-" * 5000 + "1",
        "f(" * 5000,
        "lambda: " + "!" * 5000 + "TRUE",
    ],
)
def test_deep_nesting_raises_syntax_error(text: str) -> None:
    with pytest.raises(TickSyntaxError):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "'" + "\\'" * 20000,  # an unterminated string full of escapes
        '"' + "a" * 50000,
        "var x = /" + "\\/" * 20000,
        "'''" + "''\\" * 10000,
        "// c\n" * 20000,
    ],
)
def test_pathological_literals_finish_quickly(text: str) -> None:
    start = time.perf_counter()
    with contextlib.suppress(TickSyntaxError):
        parse(text)
    assert time.perf_counter() - start < 5
