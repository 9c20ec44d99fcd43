"""parse_canonical: the text it gives is a fixed point of the formatter (Kapacitor's and
tickgen's, which are byte-identical), for any source layout and any literal contents.

Kapacitor's formatter is not idempotent everywhere: ``multiline`` flags are recomputed
from where operands start, and a line break the formatter writes can fall between the
operands of an enclosing node that was on one line.  The generated sources below put
line breaks between tokens and inside strings and references at random.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tickgen.tick import TickSyntaxError, format_program, parse, parse_canonical, quote

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPACE = st.sampled_from([" ", " ", "\n", " \n    ", "\n\n"])
TEXT = st.text(st.sampled_from("ab \n'\"\\x"), max_size=6)


def _reference(name: str) -> str:
    return quote.reference(name.rstrip("\\") or "r")


LEAVES = st.one_of(
    TEXT.map(quote.string),
    TEXT.map(_reference),
    st.sampled_from(["1", "2.5", "5m", "TRUE", "x"]),
)


@st.composite
def _joined(draw: st.DrawFn, parts: list[str]) -> str:
    return "".join(part + draw(SPACE) for part in parts[:-1]) + parts[-1]


def _expressions() -> st.SearchStrategy[str]:
    """Lambda expressions: operands, binary operators, parentheses, calls."""

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(children, st.sampled_from(["+", "==", "AND", "OR", "<", "*"]), children)
        return st.one_of(
            binary.flatmap(lambda t: _joined(list(t))),
            binary.flatmap(lambda t: _joined(["(", *t, ")"])),
            st.lists(children, min_size=1, max_size=3).flatmap(
                lambda args: _joined(["f(", *_commas(args), ")"])
            ),
            children.map(lambda c: "-" + c),
        )

    return st.recursive(LEAVES, extend, max_leaves=8)


def _commas(args: list[str]) -> list[str]:
    return [arg + ("," if index < len(args) - 1 else "") for index, arg in enumerate(args)]


@st.composite
def _scripts(draw: st.DrawFn) -> str:
    expression = draw(_expressions())
    args = draw(st.lists(st.one_of(LEAVES, _expressions()), max_size=3))
    chain_arg = draw(st.sampled_from(["", "a|b()", "lambda: " + expression]))
    call_args = _commas([*args, *([chain_arg] if chain_arg else [])])
    comment = draw(st.sampled_from(["", "// a comment\n", "    // c\n    // d\n"]))
    statements = [
        "var x = lambda:" + draw(SPACE) + expression,
        draw(_joined(["var y =", expression])),
        comment + "stream" + draw(SPACE) + "|g(" + draw(_joined(call_args or [""])) + ")",
    ]
    return "\n".join(statements) + "\n"


def _without_layout(node: Any) -> Any:
    """The tree with every multiline flag off: what the layout does not change."""
    if isinstance(node, list):
        return [_without_layout(item) for item in node]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {
            f.name: False if f.name == "multiline" else _without_layout(getattr(node, f.name))
            for f in dataclasses.fields(node)
            if f.init and f.compare
        }
        return dataclasses.replace(node, **changes)
    return node


@SETTINGS
@example("var x = lambda: \"a\nb\" == 'v' AND \"z\" == 'w'\n")
@example('var x = lambda: "h"\n == \'a\' AND "x" > 1\n')
@example("stream\n    |g(a|b(), 'c')\n")
@example("stream\n    |g(lambda:\n // c\n 'a' + 'b', 1)\n")
@given(_scripts())
def test_the_canonical_text_is_a_fixed_point(source: str) -> None:
    try:
        parse(source)
    except TickSyntaxError:
        assume(False)  # the generator can write what does not parse (-5m, say)
    program, canonical = parse_canonical(source)
    assert format_program(parse(canonical)) == canonical
    assert parse(canonical) == program
    # the same script: only the layout (multiline flags) may differ
    assert _without_layout(program) == _without_layout(parse(source))


def test_one_pass_is_not_always_enough() -> None:
    # what parse_canonical is for: Kapacitor's formatter (and format_program,
    # byte-identical to it) changes its own output on a second pass here
    source = "var x = lambda: \"a\nb\" == 'v' AND \"z\" == 'w'\n"
    once = format_program(parse(source))
    assert format_program(parse(once)) != once
    assert parse_canonical(source)[1] == format_program(parse(once))
