"""Round trip: generated syntax trees print with format_program and parse back equal.

The trees are *canonical*: parentheses wherever precedence needs them, comments
only where Kapacitor's parser puts them, literals the formatter can write back
(a single-quoted string cannot end in a backslash, a dbrp name cannot hold a
quote).  ``multiline`` flags are False in the strict test, where the tree must
come back equal; the second test sets them at random and checks that the text
settles (see that test for why one pass is not always enough, in Kapacitor too).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickgen.tick import ast, format_program, parse
from tickgen.tick.quote import DURATION_RE, duration_nanoseconds

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_KEYWORDS = {"var", "dbrp", "TRUE", "FALSE", "AND", "OR"}
_PRECEDENCE = {
    "OR": 0,
    "AND": 1,
    "==": 2,
    "!=": 2,
    "=~": 2,
    "!~": 2,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
}

names = st.from_regex(r"[a-zA-Zéß][a-zA-Z0-9_é]{0,8}", fullmatch=True).filter(
    lambda n: n not in _KEYWORDS
)
identifiers = names.map(ast.Identifier)
# Any text at all, except that a single-quoted string or a reference cannot end
# in a backslash; triple-quoted strings are raw and hold no quote.  Inside calls
# and operators the text has no line break: Kapacitor's multiline flags count
# the line breaks in the source between a call's name and its last argument
# (or between two operands), string contents included, so a line break there
# makes another tree.  Statement-level values take any text (any_literals).
free_text = st.text(max_size=20).filter(lambda s: not s.endswith("\\"))
line_text = free_text.filter(lambda s: "\n" not in s)
triple_text = st.text(max_size=12).filter(lambda s: "'" not in s)


strings = st.one_of(
    line_text.map(ast.String),
    triple_text.filter(lambda s: "\n" not in s).map(lambda s: ast.String(s, triple=True)),
)
any_strings = st.one_of(
    free_text.map(ast.String), triple_text.map(lambda s: ast.String(s, triple=True))
)
references = line_text.map(ast.Reference)
numbers = st.one_of(
    st.integers(0, 2**63 - 1).map(lambda v: ast.Number(v, True)),
    st.integers(0, 2**63 - 1).map(lambda v: ast.Number(v, True, octal=True)),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(
        lambda v: ast.Number(v, False)
    ),
)
durations = (
    st.from_regex(r"[0-9]{1,6}(ms|u|µ|s|m|h|d|w)", fullmatch=True)
    .filter(lambda s: duration_nanoseconds(s) < 2**63)  # Go's int64 would wrap
    .map(lambda s: ast.Duration(s, duration_nanoseconds(s)))
)
regexes = st.sampled_from(["^cpu[0-9]+$", "a\\/b", "(?i)host", ".*", "x|y", "[a-z]{2,3}"]).map(
    ast.Regex
)
bools = st.booleans().map(ast.Bool)
literals = st.one_of(numbers, strings, references, bools, durations)
comment_lines = st.from_regex(r"[a-zA-Z0-9 ,.:/'\"()*-]{0,20}", fullmatch=True).map(str.rstrip)


@st.composite
def comments(draw: st.DrawFn) -> ast.Comment | None:
    if not draw(st.booleans()):
        return None
    groups = draw(st.lists(st.lists(comment_lines, min_size=1, max_size=3), min_size=1, max_size=2))
    lines: list[str] = []
    for group in groups:
        if lines:
            lines.append("\n")
        lines.extend(group)
    return ast.Comment(lines)


def _needs_parens(child: ast.Expr, parent_op: str, right: bool) -> bool:
    if not isinstance(child, ast.Binary):
        return False
    child_p, parent_p = _PRECEDENCE[child.op], _PRECEDENCE[parent_op]
    return child_p < parent_p or (right and child_p == parent_p)


@st.composite
def binaries(draw: st.DrawFn, operands: st.SearchStrategy[ast.Expr]) -> ast.Expr:
    """Operator trees over ``operands``, with the parentheses precedence needs."""
    leaves = draw(st.lists(operands, min_size=1, max_size=4))
    node = leaves[0]
    for leaf in leaves[1:]:
        op = draw(st.sampled_from(sorted(_PRECEDENCE)))
        left, right = (node, leaf) if draw(st.booleans()) else (leaf, node)
        for side, is_right in ((left, False), (right, True)):
            if isinstance(side, ast.Binary):
                side.parens = side.parens or _needs_parens(side, op, is_right)
        node = ast.Binary(op, left, right)
        if op in ("=~", "!~") and draw(st.booleans()):
            # After a regex literal the lexer looks for no operator, so a regex
            # is only ever a right operand, closed off by parentheses.
            node.right = draw(regexes)
            node.parens = True
    if isinstance(node, ast.Binary) and draw(st.booleans()):
        node.parens = True
    return node


def lambda_primaries() -> st.SearchStrategy[ast.Expr]:
    """What a lambda body is made of: literals, names, calls and unary operators."""

    def extend(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
        call = st.builds(
            lambda name, args: ast.Function(name, args),
            names,
            st.lists(binaries(inner), max_size=3),
        )
        unary = st.builds(_unary, st.sampled_from(["-", "!"]), st.one_of(inner, binaries(inner)))
        return st.one_of(call, unary)

    return st.recursive(st.one_of(literals, identifiers), extend, max_leaves=6)


def _unary(op: str, operand: ast.Expr) -> ast.Unary:
    if isinstance(operand, ast.Binary):
        operand.parens = True
    return ast.Unary(op, operand)


lambdas = st.builds(ast.Lambda, binaries(lambda_primaries()))
lists = st.lists(st.one_of(identifiers, strings, st.just(ast.Star())), max_size=4).map(
    lambda items: ast.List(list(items))
)
arguments = st.one_of(
    literals, identifiers, lists, lambdas, st.just(ast.Star()), binaries(literals)
)


@st.composite
def calls(draw: st.DrawFn, kind: ast.FuncKind, multiline: bool) -> ast.Function:
    args = draw(st.lists(arguments, max_size=3))
    return ast.Function(
        draw(names),
        args,
        kind,
        multiline=bool(args) and multiline and draw(st.booleans()),
        comment=draw(comments()),
    )


@st.composite
def chains(draw: st.DrawFn, multiline: bool, base_comment: bool = True) -> ast.Expr:
    """A pipeline; ``base_comment=False`` for the value of a declaration, where
    a comment after ``=`` would lex as an empty regex ``//`` (as in Kapacitor)."""
    base: ast.Expr
    if draw(st.booleans()):
        base = ast.Identifier(draw(names), comment=draw(comments()) if base_comment else None)
    else:
        base = draw(calls(ast.FuncKind.GLOBAL, multiline))
        if not base_comment:
            base.comment = None
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from("|.@"))
        kind = {"|": ast.FuncKind.CHAIN, ".": ast.FuncKind.PROPERTY, "@": ast.FuncKind.DYNAMIC}[op]
        right: ast.Function | ast.Identifier
        if op != "|" and draw(st.integers(0, 3)) == 0:
            right = draw(identifiers)
        else:
            right = draw(calls(kind, multiline))
        base = ast.Chain(base, op, right, comment=draw(comments()))
    return base


@st.composite
def programs(draw: st.DrawFn, multiline: bool = False) -> ast.Program:
    statements: list[ast.Statement] = []
    for _ in range(draw(st.integers(0, 5))):
        choice = draw(st.integers(0, 3))
        comment = draw(comments())
        if choice == 0:
            value = draw(
                st.one_of(
                    arguments,
                    regexes,
                    any_strings,
                    free_text.map(ast.Reference),
                    chains(multiline, base_comment=False),
                )
            )
            statements.append(ast.Declaration(draw(identifiers), value, comment=comment))
        elif choice == 1:
            statements.append(
                ast.TypeDeclaration(draw(identifiers), draw(identifiers), comment=comment)
            )
        elif choice == 2:
            dbrp_name = st.text(max_size=10).filter(lambda s: '"' not in s and not s.endswith("\\"))
            statements.append(
                ast.DBRP(
                    ast.Reference(draw(dbrp_name)), ast.Reference(draw(dbrp_name)), comment=comment
                )
            )
        else:
            statements.append(draw(chains(multiline)))
    # A comment after the last statement is a statement of its own.
    trailing = draw(comments())
    if trailing is not None:
        statements.append(trailing)
    if multiline:
        _set_multiline(statements, draw)
    return ast.Program(statements)


def _set_multiline(statements: list[ast.Statement], draw: st.DrawFn) -> None:
    stack: list[object] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Binary):
            node.multiline = draw(st.booleans())
            stack += [node.left, node.right]
        elif isinstance(node, (ast.Function, ast.List)):
            stack += node.args if isinstance(node, ast.Function) else node.items
        elif isinstance(node, ast.Chain):
            stack += [node.left, node.right]
        elif isinstance(node, (ast.Lambda, ast.Declaration)):
            stack.append(node.expr if isinstance(node, ast.Lambda) else node.value)
        elif isinstance(node, ast.Unary):
            stack.append(node.operand)


@SETTINGS
@given(programs())
def test_parse_of_format_is_identity(program: ast.Program) -> None:
    text = format_program(program)
    assert parse(text) == program
    assert format_program(parse(text)) == text


@SETTINGS
@given(programs(multiline=True))
def test_multiline_layouts_reach_a_fixed_point(program: ast.Program) -> None:
    # Kapacitor recomputes ``multiline`` from where the operands start, and an
    # operand that itself spans lines can switch it on (``(a <\n b) == c``
    # reformats as ``(a <\n b) ==\n c``), so its formatter is not idempotent
    # on every tree; flags only ever switch on, so the text settles.
    text = format_program(program)
    for _ in range(4):
        again = format_program(parse(text))
        if again == text:
            break
        text = again
    assert format_program(parse(text)) == text
    assert parse(format_program(parse(text))) == parse(text)


def test_generated_durations_are_valid_literals() -> None:
    assert DURATION_RE.fullmatch("15µ")


@SETTINGS
@given(any_strings, free_text)
def test_any_string_or_reference_round_trips(string: ast.String, name: str) -> None:
    # A line break inside the last (here: only) argument leaves the call on one line.
    program = ast.Program(
        [
            ast.Declaration(ast.Identifier("s"), string),
            ast.Chain(
                ast.Identifier("stream"),
                "|",
                ast.Function("f", [string], ast.FuncKind.CHAIN),
            ),
            ast.Function("g", [ast.Reference(name)]),
        ]
    )
    assert parse(format_program(program)) == program
