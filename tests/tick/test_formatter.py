"""Formatter vectors: tests/golden/tickfmt holds Kapacitor's tick/fmt_test.go cases, the
reference §2 worked example, the seed task and one file per formatter quirk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tickgen import tick
from tickgen.tick import ast, format_program, parse
from tickgen.tick.formatter import format_number

GOLDEN = Path(__file__).parent.parent / "golden" / "tickfmt"
CASES = sorted(p.name[: -len(".in.tick")] for p in GOLDEN.glob("*.in.tick"))


def read(name: str) -> str:
    with open(GOLDEN / name, encoding="utf-8", newline="") as f:
        return f.read()


def test_golden_directory_is_complete() -> None:
    assert len(CASES) >= 30
    for name in CASES:
        assert (GOLDEN / f"{name}.out.tick").is_file()


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    expected = read(f"{name}.out.tick")
    assert tick.format(read(f"{name}.in.tick")) == expected
    # the canonical form is a fixed point
    assert tick.format(expected) == expected


def test_seed_script_is_already_canonical() -> None:
    script = read("seed_task.in.tick")
    assert script.startswith("var db = 'api'\n\nvar rp = 'autogen'")
    assert tick.format(script) == script


def test_format_program_matches_format() -> None:
    text = read("top_scores.in.tick")
    assert format_program(parse(text)) == tick.format(text)


@pytest.mark.parametrize(
    ("value", "is_int", "octal", "text"),
    [
        (0, True, False, "0"),
        (0, True, True, "00"),
        (420, True, True, "0644"),
        (2**63 - 1, True, False, "9223372036854775807"),
        (1.5, False, False, "1.5"),
        (90.0, False, False, "90.0"),
        (0.5, False, False, "0.5"),
        (1e22, False, False, "10000000000000000000000.0"),
        (1e-7, False, False, "0.0000001"),
        (0.1 + 0.2, False, False, "0.30000000000000004"),
        (123456789.125, False, False, "123456789.125"),
    ],
)
def test_numbers(value: float, is_int: bool, octal: bool, text: str) -> None:
    assert format_number(ast.Number(value, is_int, octal)) == text


def test_chain_indent_does_not_grow_with_depth() -> None:
    text = tick.format("a|b().c().d()|e()@f().g(x)")
    assert text == "a\n    |b()\n        .c()\n        .d()\n    |e()\n    @f()\n        .g(x)\n"


def test_comment_on_a_chain_link_call_name() -> None:
    # The comment before the name of a chained call belongs to the call and is
    # printed after a line break, as Kapacitor does.
    assert tick.format("a|\n// c\nb()") == "a\n    |\n    // c\n    b()\n"


def test_comment_on_the_declared_name() -> None:
    assert tick.format("var // c\nx = 1") == "var \n// c\nx = 1\n"


def test_dbrp_keeps_quotes_unescaped() -> None:
    program = ast.Program([ast.DBRP(ast.Reference('d"b'), ast.Reference("rp"))])
    assert format_program(program) == 'dbrp "d"b"."rp"\n'


def test_strings_escape_only_their_quote() -> None:
    program = ast.Program(
        [
            ast.Function(
                "f",
                [
                    ast.String("it's a \\ path\n"),
                    ast.String("raw ' \\", triple=True),
                    ast.Reference('say "hi" \\'),
                    ast.Regex("a\\/b"),
                ],
            )
        ]
    )
    assert format_program(program) == (
        "f('it\\'s a \\ path\n', '''raw ' \\''', \"say \\\"hi\\\" \\\", /a\\/b/)\n"
    )


def test_binary_multiline_indent_follows_parens() -> None:
    text = "f(lambda: (1 +\n(2 +\n3)))"
    assert tick.format(text) == "f(lambda: (1 +\n        (2 +\n            3)))\n"


def test_lambda_with_a_comment_keeps_the_trailing_space() -> None:
    assert tick.format('var x = lambda: // c\n"v"') == 'var x = lambda: \n// c\n"v"\n'
    # A unary operator looks for its comment only after its operand, so the
    # comment before "-" is dropped, as in Kapacitor.
    assert tick.format("var x = lambda: // c\n-1") == "var x = lambda: -1\n"


def test_long_chains_and_operator_runs_format() -> None:
    text = tick.format("stream" + "|log()" * 2000)
    assert text.count("\n    |log()") == 2000
    lam = tick.format("lambda: " + " OR ".join(["TRUE"] * 2000))
    assert lam == "lambda: " + " OR ".join(["TRUE"] * 2000) + "\n"


# -- parity with the real Kapacitor -----------------------------------------------------

# Valid stream tasks that exercise the formatter's quirks; Kapacitor returns
# each, formatted by its own tick.Format, in the POST response.
REAL_SCRIPTS = [
    '// header\n\n// second block\ndbrp "db"."rp"\nvar crit = 90.\nvar mode = 0644\n'
    "var groups = ['host', 'cpu']\n"
    "stream|from().measurement('cpu') // trailing\n"
    "    .groupBy(\n        ['host',\n         'cpu'])\n"
    '    .where(lambda: \n// why\n"cpu" == \'cpu-total\'\nAND "host" =~ /^web\\/[0-9]+$/)\n'
    "|alert().crit(lambda: \"usage\" >\n  crit).message('it\\'s ' + '''raw\\ ''')"
    ".log('/tmp/a.log')\n// the end",
    'stream\n|from()\n// where\n.where(lambda: ("a" + 1) * -"b" > 2.50 OR !("c" < .5))'
    "|eval(lambda: abs(\"v\"),\n lambda: float(\"w\") / 3.0)\n.as('x', 'y')"
    "|window().period(10s).every(5m)|httpOut('out')",
    "var w = stream|from()\n\n\n\nw|alert().crit(lambda: \"v\" > 1)\n.id('{{ .Name }}')"
    ".details('''<b>raw</b>''')|log()",
]


@pytest.mark.parametrize(
    "number", range(len(REAL_SCRIPTS) + len(CASES)), ids=lambda n: f"script{n}"
)
def test_formatting_matches_the_real_kapacitor(kapacitor: Any, number: int) -> None:
    texts = REAL_SCRIPTS + [read(f"{name}.in.tick") for name in CASES]
    text = texts[number]
    task: dict[str, Any] = {"id": f"fmt-{number}", "script": text}
    if "dbrp " not in text:  # Kapacitor refuses dbrps given twice
        task["dbrps"] = [{"db": "d", "rp": "r"}]
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        response = client.post("/tasks", json={**task, "type": "stream", "status": "disabled"})
        client.delete(f"/tasks/fmt-{number}")
    if response.status_code == 200:
        assert tick.format(text) == response.json()["script"]
    else:
        # Most golden inputs are no valid task; they must still parse as in Kapacitor.
        error = response.json()["error"]
        assert not error.startswith("invalid TICKscript: parser: "), error
        assert number >= len(REAL_SCRIPTS), error
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tickfmt writes "// c\n/0/\n\na\n" here, which Kapacitor reads as one comment and `a`
        ("// c\n\n/0/ a\n", "// c\n\n/0/\n\na\n"),
        ("f(1,\n// c\n\n/a/)\n", "f(\n    1,\n    // c\n\n    /a/\n)\n"),
        ("var x = 1 + // c\n\n/a/\n", "var x = 1 +\n// c\n\n/a/\n"),
        # a comment before anything else, or a regex after code, keeps tickfmt's layout
        ("// c\n\nvar x = /a/\n", "// c\nvar x = /a/\n"),
    ],
)
def test_a_comment_never_swallows_the_regex_after_it(text: str, expected: str) -> None:
    """The one place tickgen's layout differs from tickfmt's: tickfmt would change the program."""
    formatted = tick.format(text)
    assert formatted == expected
    assert tick.format(formatted) == formatted
    code = [s for s in tick.parse(formatted).statements if not isinstance(s, ast.Comment)]
    assert len(code) == len(
        [s for s in tick.parse(text).statements if not isinstance(s, ast.Comment)]
    )
