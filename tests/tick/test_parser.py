"""Parser vectors: Kapacitor's tick/ast/parser_test.go plus the grammar and error rules of §1.2."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tickgen.errors import TickgenError
from tickgen.tick import TickSyntaxError, ast, parse
from tickgen.tick.parser import MAX_NESTING

P = ast.Position
PRIMARY = '"number","string","duration","identifier","TRUE","FALSE","==","(","-","!"'


def only(text: str) -> ast.Statement:
    statements = parse(text).statements
    assert len(statements) == 1
    return statements[0]


def error(text: str) -> TickSyntaxError:
    with pytest.raises(TickSyntaxError) as info:
        parse(text)
    return info.value


# -- errors ------------------------------------------------------------------------


ERROR_CASES = [
    # parser_test.go TestParseErrors
    (
        "a\n\n\nvar b = ",
        f'parser: unexpected EOF line 4 char 9 in "var b = ". expected: {PRIMARY}',
    ),
    (
        "a\n\n\nvar b = stream.window()var period)\n\nvar x = 1",
        'parser: unexpected ) line 4 char 34 in "var period)". expected: "identifier"',
    ),
    (
        "a\n\n\nvar b = stream.window(\nb.period(10s)",
        'parser: unexpected EOF line 5 char 14 in "eriod(10s)". expected: ")"',
    ),
    # reference §1.2
    ("var x = ", f'parser: unexpected EOF line 1 char 9 in "var x = ". expected: {PRIMARY}'),
    # lexer errors surface as the unexpected token
    (
        "var x = 'abc",
        'parser: unexpected unterminated string line 1 char 9 in "var x = \'abc". '
        f"expected: {PRIMARY}",
    ),
    (
        "var x = 1;",
        "parser: unexpected unknown state, last char: ';' line 1 char 10 "
        f'in "var x = 1;". expected: {PRIMARY}',
    ),
    ("var x = 09", 'parser: illegal number syntax: "09"'),
    ("var x = 9223372036854775808", 'parser: illegal number syntax: "9223372036854775808"'),
    (
        "var x = 1.2.3",
        "parser: unexpected multiple decimals in number line 1 char 9 "
        f'in "var x = 1.2.3". expected: {PRIMARY}',
    ),
    ("var x = 99999999999999999999s", "parser: invalid duration"),
    (
        "var x = 9999999999999w",
        "parser: overflowed duration 9999999999999w: choose a smaller duration or INF",
    ),
    ("var x = ٣s", "parser: invalid duration"),
    # Go prints the count without its leading zeros
    (
        "var x = 009999999999999w",
        "parser: overflowed duration 9999999999999w: choose a smaller duration or INF",
    ),
    ("var r = /(a/", "parser: error parsing regexp: missing closing ): `(a`"),
    # Kapacitor misreads a "/" before a multi-byte character (see the lexer)
    ("f(/a//é/)", 'parser: unexpected regex line 1 char 6 in "f(/a//é/)". expected: ")"'),
    (
        "f(/a/ /é/)",
        'parser: unexpected unexpected " " expected "/" line 1 char 7 in "f(/a/ /é/)". '
        'expected: ")"',
    ),
    (
        'var r = lambda: "h" =~ /a\\/(?=b)/',
        "parser: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
    ),
    ("var x = ١٢", 'parser: illegal number syntax: "١٢"'),
    (
        "stream()|",
        'parser: unexpected EOF line 1 char 10 in "stream()|". expected: "identifier"',
    ),
    ("stream|from", 'parser: unexpected EOF line 1 char 12 in "tream|from". expected: "("'),
    (
        "var x = [1]",
        'parser: unexpected number line 1 char 10 in "var x = [1]". '
        'expected: "identifier","string","*"',
    ),
    (
        "dbrp 'db'.'rp'",
        "parser: unexpected string line 1 char 6 in \"dbrp 'db'.'rp'\". expected: \"reference\"",
    ),
    (
        'dbrp "db" "rp"',
        'parser: unexpected reference line 1 char 11 in "dbrp "db" "rp"". expected: "."',
    ),
    (
        "var 1 = 2",
        'parser: unexpected number line 1 char 5 in "var 1 = 2". expected: "identifier"',
    ),
    # "10ns" is 10 and the identifier ns: fine between statements, not in a call
    ("f(10ns)", 'parser: unexpected identifier line 1 char 5 in "f(10ns)". expected: ")"'),
    (
        "lambda : 1",
        "parser: unexpected unknown state, last char: ':' line 1 char 8 "
        f'in "lambda : 1". expected: {PRIMARY}',
    ),
    ('var s = "a"\n+', f'parser: unexpected EOF line 2 char 2 in "+". expected: {PRIMARY}'),
]


@pytest.mark.parametrize(("text", "message"), ERROR_CASES)
def test_error_messages(text: str, message: str) -> None:
    assert str(error(text)) == message


def test_error_fields() -> None:
    exc = error("var a = 1\nvar b = 'é' +\n")
    assert isinstance(exc, ValueError)
    assert isinstance(exc, TickgenError)
    assert (exc.line, exc.column) == (3, 1)
    assert exc.message == "unexpected EOF"
    assert exc.expected[:2] == ("number", "string")
    # columns count UTF-8 bytes, as Kapacitor's char does
    exc = error("var b = 'é' +)")
    assert (exc.line, exc.column, exc.offset) == (1, 15, 13)
    assert str(exc).startswith("parser: unexpected ) line 1 char 15 in \"b = 'é' +)\"")
    exc = error("var x = 09")
    assert (exc.line, exc.column, exc.message) == (1, 9, 'illegal number syntax: "09"')


def test_snippet_is_clipped_to_ten_bytes_and_the_line() -> None:
    exc = error('stream\n    |from()\n        .where(lambda: "host" == )')
    assert str(exc).startswith('parser: unexpected ) line 3 char 34 in ""host" == )". ')


# -- statements, with positions (parser_test.go TestParseStatements) -------------------


def test_dbrp() -> None:
    node = only('dbrp "telegraf"."autogen"')
    assert node == ast.DBRP(ast.Reference("telegraf"), ast.Reference("autogen"))
    assert isinstance(node, ast.DBRP)
    assert (node.pos, node.db.pos, node.rp.pos) == (P(0, 1, 1), P(5, 1, 6), P(16, 1, 17))


@pytest.mark.parametrize("type_name", ["int", "float", "string", "lambda"])
def test_type_declaration(type_name: str) -> None:
    node = only(f"var x {type_name}")
    assert node == ast.TypeDeclaration(ast.Identifier("x"), ast.Identifier(type_name))
    assert isinstance(node, ast.TypeDeclaration)
    assert (node.name.pos, node.type.pos) == (P(4, 1, 5), P(6, 1, 7))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'str'", ast.String("str")),
        ("TRUE", ast.Bool(True)),
        ("!FALSE", ast.Unary("!", ast.Bool(False))),
        ("1", ast.Number(1, True)),
        ("0644", ast.Number(420, True, octal=True)),
        ("-0600", ast.Unary("-", ast.Number(384, True, octal=True))),
        ("-1", ast.Unary("-", ast.Number(1, True))),
        ("1.0", ast.Number(1.0, False)),
        ("-1.0", ast.Unary("-", ast.Number(1.0, False))),
        ("5h", ast.Duration("5h", 5 * 3600 * 10**9)),
        ("-5h", ast.Unary("-", ast.Duration("5h", 5 * 3600 * 10**9))),
        ("1µ", ast.Duration("1µ", 1000)),
        ("2w", ast.Duration("2w", 14 * 86400 * 10**9)),
        ("5 + 5", ast.Binary("+", ast.Number(5, True), ast.Number(5, True))),
        (
            "['str', 'asdf', 'another', s, *]",
            ast.List(
                [
                    ast.String("str"),
                    ast.String("asdf"),
                    ast.String("another"),
                    ast.Identifier("s"),
                    ast.Star(),
                ]
            ),
        ),
        ("[]", ast.List([])),
        ("['a',]", ast.List([ast.String("a")])),
        ("/^x\\/y$/", ast.Regex("^x\\/y$")),
        ('"a\\"b"', ast.Reference('a"b')),
        ("x.y", ast.Chain(ast.Identifier("x"), ".", ast.Identifier("y"))),
    ],
)
def test_declaration_values(text: str, value: ast.Expr) -> None:
    node = only(f"var x = {text}")
    assert isinstance(node, ast.Declaration)
    assert node.name == ast.Identifier("x")
    assert node.value == value
    if not isinstance(value, (ast.Binary, ast.Chain)):  # those sit at their operator
        assert node.value.pos == P(8, 1, 9)


def test_binary_position_is_the_operator() -> None:
    node = only("var x = 5 + 5")
    assert isinstance(node, ast.Declaration)
    assert isinstance(node.value, ast.Binary)
    assert node.value.pos == P(10, 1, 11)
    assert (node.value.left.pos, node.value.right.pos) == (P(8, 1, 9), P(12, 1, 13))


def test_list_positions() -> None:
    node = only("var x = ['str', 'asdf', 'another', s, *]")
    assert isinstance(node, ast.Declaration)
    assert isinstance(node.value, ast.List)
    assert [item.pos.offset for item in node.value.items] == [9, 16, 24, 35, 38]


def test_nested_calls_and_precedence() -> None:
    node = only("f('first ' + string(5m) + 'third')")
    assert node == ast.Function(
        "f",
        [
            ast.Binary(
                "+",
                ast.Binary(
                    "+",
                    ast.String("first "),
                    ast.Function("string", [ast.Duration("5m", 300 * 10**9)]),
                ),
                ast.String("third"),
            )
        ],
    )
    assert isinstance(node, ast.Function)
    outer = node.args[0]
    assert isinstance(outer, ast.Binary)
    assert isinstance(outer.left, ast.Binary)
    assert (outer.pos.offset, outer.left.pos.offset, outer.right.pos.offset) == (24, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("a < b < c", "((a < b) < c)"),
        ("a OR b AND c", "(a OR (b AND c))"),
        ("a AND b OR c", "((a AND b) OR c)"),
        ("a == b AND c != d", "((a == b) AND (c != d))"),
        ("a + b < c * d", "((a + b) < (c * d))"),
        ("-a * b", "((-a) * b)"),
        ("!a AND b", "((!a) AND b)"),
        ('"h" =~ /x/ OR "h" !~ /y/', '(("h" =~ /x/) OR ("h" !~ /y/))'),
        ("a % b / c", "((a % b) / c)"),
        ("1 + 2 - 3 * 4 / 5", "((1 + 2) - ((3 * 4) / 5))"),
    ],
)
def test_operator_precedence(text: str, expected: str) -> None:
    node = only(f"lambda: {text}")
    assert isinstance(node, ast.Lambda)
    assert _shape(node.expr) == expected


def _shape(node: ast.Expr) -> str:
    if isinstance(node, ast.Binary):
        return f"({_shape(node.left)} {node.op} {_shape(node.right)})"
    if isinstance(node, ast.Unary):
        return f"({node.op}{_shape(node.operand)})"
    if isinstance(node, ast.Identifier):
        return node.name
    if isinstance(node, ast.Number):
        return str(node.value)
    if isinstance(node, ast.Reference):
        return f'"{node.name}"'
    if isinstance(node, ast.Regex):
        return f"/{node.literal}/"
    raise AssertionError(node)


def test_parens_kept_only_around_binaries() -> None:
    node = only('global(lambda: ("a" + (1)) / (( 4 +"b") * ("c")))')
    assert isinstance(node, ast.Function)
    lam = node.args[0]
    assert isinstance(lam, ast.Lambda)
    top = lam.expr
    assert isinstance(top, ast.Binary)
    assert not top.parens
    assert isinstance(top.left, ast.Binary)
    assert top.left.parens
    assert top.left.right == ast.Number(1, True)
    assert isinstance(top.right, ast.Binary)
    assert top.right.parens
    assert isinstance(top.right.left, ast.Binary)
    assert top.right.left.parens
    assert top.right.right == ast.Reference("c")


def test_chain_structure_and_positions() -> None:
    text = (
        "\nvar x = stream\n\t\t|window()\n\t\t.period(5m)\n\t\t.every(60s)\n"
        "\t\t|map(influxql.agg.mean('value'))"
    )
    node = only(text)
    assert isinstance(node, ast.Declaration)
    assert node.pos == P(1, 2, 1)
    mapping = node.value
    assert isinstance(mapping, ast.Chain)
    assert (mapping.op, mapping.pos) == ("|", P(58, 6, 3))
    assert isinstance(mapping.right, ast.Function)
    assert mapping.right.kind is ast.FuncKind.CHAIN
    arg = mapping.right.args[0]
    assert arg == ast.Chain(
        ast.Chain(ast.Identifier("influxql"), ".", ast.Identifier("agg")),
        ".",
        ast.Function("mean", [ast.String("value")], ast.FuncKind.PROPERTY),
    )
    assert isinstance(arg, ast.Chain)
    assert arg.pos == P(75, 6, 20)
    every = mapping.left
    assert isinstance(every, ast.Chain)
    assert every.right == ast.Function(
        "every", [ast.Duration("60s", 60 * 10**9)], ast.FuncKind.PROPERTY
    )
    assert every.pos == P(44, 5, 3)
    period = every.left
    assert isinstance(period, ast.Chain)
    window = period.left
    assert window == ast.Chain(
        ast.Identifier("stream"), "|", ast.Function("window", [], ast.FuncKind.CHAIN)
    )


def test_dynamic_call() -> None:
    node = only("\nvar x = stream\n\t\t@dynamicFunc()\n\t\t\t.property(5m)")
    assert isinstance(node, ast.Declaration)
    chain = node.value
    assert isinstance(chain, ast.Chain)
    assert chain.pos == P(36, 4, 4)
    assert chain.left == ast.Chain(
        ast.Identifier("stream"), "@", ast.Function("dynamicFunc", [], ast.FuncKind.DYNAMIC)
    )


def test_pipe_needs_a_call_but_dot_and_at_take_identifiers() -> None:
    assert only("a@b") == ast.Chain(ast.Identifier("a"), "@", ast.Identifier("b"))
    assert str(error("a|b")) == 'parser: unexpected EOF line 1 char 4 in "a|b". expected: "("'


def test_global_call_followed_by_operators() -> None:
    node = only("time(1m) + 1")
    assert node == ast.Binary(
        "+", ast.Function("time", [ast.Duration("1m", 60 * 10**9)]), ast.Number(1, True)
    )


def test_statements_need_no_separator() -> None:
    statements = parse("var a = 1 var b = 2 a b").statements
    assert [type(s).__name__ for s in statements] == [
        "Declaration",
        "Declaration",
        "Identifier",
        "Identifier",
    ]
    # ... so a typed declaration swallows the next line's identifier
    assert parse("var x\nstream").statements == [
        ast.TypeDeclaration(ast.Identifier("x"), ast.Identifier("stream"))
    ]


def test_lambda_is_an_identifier_without_colon() -> None:
    assert only("var lambda = 1") == ast.Declaration(ast.Identifier("lambda"), ast.Number(1, True))


def test_strings() -> None:
    # parser_test.go TestParseStrings
    for text, literal in [
        ("f('asdf')", "asdf"),
        ("f('''asdf''')", "asdf"),
        ("f('a\\'sdf')", "a'sdf"),
        ("f('''\\'asdf''')", "\\'asdf"),
    ]:
        node = only(text)
        assert isinstance(node, ast.Function)
        assert node.args[0] == ast.String(literal, triple=text.startswith("f('''"))
    assert only("f('a\\b\\\\c')") == ast.Function("f", [ast.String("a\\b\\\\c")])


def test_numbers() -> None:
    assert only("f(0, 00, 07, 1., .5, 0.1)") == ast.Function(
        "f",
        [
            ast.Number(0, True),
            ast.Number(0, True, octal=True),
            ast.Number(7, True, octal=True),
            ast.Number(1.0, False),
            ast.Number(0.5, False),
            ast.Number(0.1, False),
        ],
    )
    assert only("f(9223372036854775807)") == ast.Function("f", [ast.Number(2**63 - 1, True)])
    assert str(error("f(1" + "0" * 400 + ".0)")).startswith("parser: illegal number syntax")


# -- comments -------------------------------------------------------------------------


def test_comments_attach_to_the_next_token() -> None:
    text = (
        "// set perfect threshold\nvar t = 42\n// only select data above threshold\n"
        'stream.where(lambda: "value" > t)\n\t\t\t'
    )
    decl, chain = parse(text).statements
    assert isinstance(decl, ast.Declaration)
    assert decl.comment == ast.Comment(["set perfect threshold"])
    assert decl.pos == P(25, 2, 1)
    assert isinstance(chain, ast.Chain)
    assert chain.pos == P(78, 4, 7)
    assert isinstance(chain.left, ast.Identifier)
    assert chain.left.comment == ast.Comment(["only select data above threshold"])
    assert chain.left.comment.pos == P(36, 3, 1)


def test_comment_before_paren_goes_to_the_binary_inside() -> None:
    text = (
        "global(lambda: \n\t// Test Left-Associative operators\n"
        "\t// should parse as ((1+2)-(3*4)/5)\n\t(1 + 2 - 3 * 4 / 5)\n)\n"
    )
    node = only(text)
    assert isinstance(node, ast.Function)
    assert not node.multiline  # the lambda, its last argument, starts on line 1
    lam = node.args[0]
    assert isinstance(lam, ast.Lambda)
    assert lam.pos == P(7, 1, 8)
    expr = lam.expr
    assert isinstance(expr, ast.Binary)
    assert expr.parens
    assert expr.pos == P(96, 4, 9)
    assert expr.comment == ast.Comment(
        ["Test Left-Associative operators", "should parse as ((1+2)-(3*4)/5)"]
    )
    assert expr.comment.pos == P(17, 2, 2)


def test_multiline_flags() -> None:
    text = (
        "global(lambda: \n// If this\n// is less than that\n(1 + 2 - 3 * 4 / 5) \n"
        "< (sin(6))\nAND \n// more comments.\n(TRUE OR FALSE))"
    )
    node = only(text)
    assert isinstance(node, ast.Function)
    lam = node.args[0]
    assert isinstance(lam, ast.Lambda)
    top = lam.expr
    assert isinstance(top, ast.Binary)
    assert (top.op, top.multiline, top.pos) == ("AND", True, P(80, 6, 1))
    assert isinstance(top.left, ast.Binary)
    assert (top.left.op, top.left.multiline, top.left.pos) == ("<", True, P(69, 5, 1))
    assert isinstance(top.right, ast.Binary)
    assert top.right.comment == ast.Comment(["more comments."])
    assert not top.right.multiline
    # the function starts on line 1 and its last argument on line 1: one line
    assert not node.multiline


def test_comment_storage() -> None:
    node = only("//x\n//     y\n//\n\n// second\nvar a = 1")
    assert isinstance(node, ast.Declaration)
    assert node.comment == ast.Comment(["x", "    y", "", "\n", "second"])


def test_trailing_comments_become_statements() -> None:
    statements = parse("var a = 1 // one\n// two").statements
    assert statements[1:] == [ast.Comment(["one", "two"])]
    # a comment nobody takes before the last token of the script comes first
    statements = parse("f(1 // lost?\n) // end").statements
    assert statements[1:] == [ast.Comment(["lost?"]), ast.Comment(["end"])]


def test_comment_before_comma_is_dropped() -> None:
    assert parse("f(1 // gone\n, 2)").statements == [
        ast.Function("f", [ast.Number(1, True), ast.Number(2, True)], multiline=True)
    ]


def test_unary_takes_the_comment_of_its_operands_last_token() -> None:
    node = only("var x = -f(1 // c\n)")
    assert isinstance(node, ast.Declaration)
    assert node.value.comment == ast.Comment(["c"])


def test_parens_replace_the_inner_comment() -> None:
    node = only("lambda: (// inner\n1)")
    assert isinstance(node, ast.Lambda)
    assert node.expr == ast.Number(1, True)
    assert node.expr.comment is None


# -- limits -------------------------------------------------------------------------


@pytest.mark.parametrize("opening", ["(", "-", "!", "f(", "-(", "f(-"])
def test_deep_nesting_is_a_syntax_error(opening: str) -> None:
    exc = error("var x = " + opening * 5000 + "1")
    assert "nests more than" in exc.message


def test_nesting_up_to_the_limit_parses() -> None:
    depth = MAX_NESTING - 1
    node = only("lambda: " + "(" * depth + "a + 1" + ")" * depth)
    assert isinstance(node, ast.Lambda)


def test_long_chains_and_operator_runs_are_not_recursive() -> None:
    chain = "stream" + "|log()" * 3000
    assert isinstance(only(chain), ast.Chain)
    terms = " OR ".join(f"\"h\" == '{i}'" for i in range(3000))
    assert isinstance(only("lambda: " + terms), ast.Lambda)


@pytest.mark.parametrize(
    ("literal", "after"),
    [("10ns", "identifier"), ("1.5s", "identifier"), ("1m30s", "duration")],
)
def test_durations_kapacitor_does_not_have_are_errors_in_arguments(
    literal: str, after: str
) -> None:
    exc = error(f"stream|window().period({literal})")
    assert exc.message == f"unexpected {after}"
    assert exc.expected == (")",)


def test_durations_kapacitor_does_not_have_split_into_statements() -> None:
    # Between statements Kapacitor's parser takes "10ns" as 10 and then the
    # expression statement "ns"; only evaluation finds ns undefined.
    assert parse("var x = 1m30s").statements == [
        ast.Declaration(ast.Identifier("x"), ast.Duration("1m", 60 * 10**9)),
        ast.Duration("30s", 30 * 10**9),
    ]


@pytest.mark.parametrize(("text", "message"), ERROR_CASES)
def test_error_messages_match_the_real_kapacitor(kapacitor: Any, text: str, message: str) -> None:
    task = {
        "id": "parse-error",
        "type": "stream",
        "script": text,
        "status": "disabled",
        "dbrps": [{"db": "d", "rp": "r"}],
    }
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        response = client.post("/tasks", json=task)
    assert response.status_code == 400
    assert response.json()["error"] == f"invalid TICKscript: {message}"


def test_a_regex_kapacitor_crashes_on_is_a_syntax_error() -> None:
    assert str(error("var x = / //²0")) == "parser: regex literal that crashes Kapacitor's parser"
