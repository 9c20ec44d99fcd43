"""The compact notation of input series."""

from __future__ import annotations

import pytest

from tickgen.testing.notation import GAP, IntValue, NotationError, expand, expand_list


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("50 40 15", [50.0, 40.0, 15.0]),
        ("5x3", [5.0, 5.0, 5.0]),
        ("50-5x4", [50.0, 45.0, 40.0, 35.0]),
        ("0+0.5x3", [0.0, 0.5, 1.0]),
        ("-5+1x3", [-5.0, -4.0, -3.0]),
        ("1 _ 2", [1.0, GAP, 2.0]),
        ("_x2", [GAP, GAP]),
        ("true false", [True, False]),
        ('up \'a b\' "x\\"y"', ["up", "a b", 'x"y']),
        ('"down"x2', ["down", "down"]),
        ("50i -3i", [IntValue(50), IntValue(-3)]),
        ("1e3 .5 -2.5", [1000.0, 0.5, -2.5]),
        ("", []),
    ],
)
def test_expand(text: str, values: list[object]) -> None:
    assert expand(text) == values


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 5x0", "value 2 ('5x0'): a repetition needs a count of at least 1"),
        ("1 2 %", "value 3 ('%'): expected a number"),
        ("5O", "value 1 ('5O'): expected a number"),
        ("1x200000", "more than 100000"),
    ],
)
def test_bad_tokens_say_which_and_why(text: str, message: str) -> None:
    with pytest.raises(NotationError) as caught:
        expand(text)
    assert message in str(caught.value)


def test_list_form_null_is_a_gap() -> None:
    assert expand_list([1, None, "down", True, 2.5]) == [1.0, GAP, "down", True, 2.5]
    with pytest.raises(NotationError, match=r"value \[0\] must be"):
        expand_list([{"a": 1}])
