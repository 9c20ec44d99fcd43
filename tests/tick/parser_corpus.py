"""The frozen behaviour of the TICKscript lexer and parser, and how to regenerate it.

``parser_expected.json.xz`` holds, for every input of a large corpus, what
``tokenize``, ``parse`` and ``parse_canonical`` gave: every token (kind, offset,
text); the whole syntax tree with every node's position and comment (``repr``
of the tree leaves positions out, so :func:`dump` walks it); the canonical text;
or the error with its message, offset, line, column and expected tokens.

It was written by the lexer and parser as they were before they were rewritten
for readability (issue 15, item 4), so ``test_parser_corpus.py`` proves the
rewrite changed nothing a caller can see.  The corpus: every script of
``tests/kapacitor_scripts/scripts-*.json`` (including those Kapacitor refuses),
every ``.tick`` file under ``tests/``, the ``.tick`` inputs of the hostile
corpus, a few inputs written for the lexer's corners, and thousands of seeded
mutations of all of these (truncation, insertion of characters and tokens the
lexer treats specially, deletion, splicing two scripts).  The inputs are stored
in the file, so editing a golden script later does not invalidate it.

Regenerate (only when a change of behaviour is intended, and say so in the
commit)::

    python -m tests.tick.parser_corpus
"""

from __future__ import annotations

import dataclasses
import enum
import json
import lzma
import random
import tempfile
from pathlib import Path
from typing import Any

from tickgen.tick import TickSyntaxError, Token, parse, parse_canonical, tokenize

HERE = Path(__file__).parent
TESTS = HERE.parent
FIXTURE = HERE / "parser_expected.json.xz"
SEED = 15_4
MUTATIONS = 5_000
# The hostile corpus's 100,000 parentheses would take megabytes of tokens.
MAX_TOKENS_SHOWN = 20_000

# What the mutations insert: the characters and tokens that change the lexer's
# state, and non-ASCII text (columns count UTF-8 bytes; Go's notion of letters,
# digits and spaces differs from Python's).
INSERTS = [
    *"'\"/\\*=!~<>+-%.|@()[],:\n\t 0_9",
    "'''",
    "//",
    "// c\n",
    "lambda:",
    "lambda",
    "var ",
    "dbrp ",
    "AND",
    "OR ",
    "TRUE",
    "5m",
    "1.5",
    "0x",
    "08",
    "1..2",
    "99999999999999999999",
    "10000000000w",
    "/a(/",
    "=~ /x/",
    "é",
    "µs",
    "\u00b5",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: Go's unicode.IsDigit
    "\u2168",  # ROMAN NUMERAL NINE: a Python \w, not a Go letter
    "\u2028",
    "\x85",
    "\xa0",
    "\x1c",  # a Python space, not Go's
    "\x00",
    "\U0001f525",
    "\ud800",  # a lone surrogate
]

# Corners of the lexer and parser that the corpus might not reach by chance.
CORNERS = [
    "",
    " ",
    "\n\n",
    "var x = 1 / 2\nvar y = x * /a\nb/\n\tstream",
    "var r = /a\\/b/\nvar s = 'a\\'b'\nvar t = '''a'b''' \nvar u = \"a\\\"b\"",
    "var x = '''a\\\\'''",
    "var x = 'a\\\\'",
    "var x =/x/",
    "var x = /é/",
    "var x = 1 !=/x/",
    'stream|where(lambda: "a" !~ /x/ AND "b" =~ //)',
    "var x = !=",
    "var x = *",
    "var x = -(-(-1))",
    "var x = " + "(" * 150 + "1" + ")" * 150,
    "var x = " + "-" * 150 + "1",
    "var x = " + "f(" * 150 + ")" * 150,
    "var x = [a, 'b', *, ]",
    "var x = []",
    "var x = [a b]",
    "var x int\nvar y lambda",
    'dbrp "db"."rp"\n// end',
    "// only a comment",
    "// a\n\n// b\nstream // c\n|from() // d\n// e",
    'stream\n  // c1\n  // c2\n|from() // trailing\n.where(lambda: "a"\n > 1)',
    "var é = 1\n var y = 'é\nü' + 'x'\n",
    "var x = 1.2.3",
    "var x = 01234 + 0999 + 1e3 + .5 + 5. + 9223372036854775808",
    "var x = 106752d + 106753d + 15250w + 15251w + 5ms + 5µs + 5us",
    "var x = TRUE AND FALSE OR !TRUE",
    "a\r\nb\x85c\u2028d",
    "stream|from()@udf().a.b(1,)|c(,)",
    'stream|from().where(lambda: f(g(1), "x" + 2) > 3 * -4 % 5)',
    "var x = (1 + 2) * (3\n + 4)",
    'var x = lambda: ("a" > 1) // c\n',
    "var x = 'a\nb' == 'c' AND \"d\ne\" == 'f'",
    "stream|f(a|b(), c.d)",
]


def dump(value: Any) -> Any:
    """A JSON value that shows every field of a syntax tree, positions included."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [dump(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return [type(value).__name__, *fields]
    if isinstance(value, list):
        return [dump(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, str) or value is None or isinstance(value, bool | int):
        return value
    raise TypeError(f"cannot dump {type(value).__name__}")


def outcome(text: str) -> dict[str, Any]:
    """Everything tokenize, parse and parse_canonical say about ``text``."""
    result: dict[str, Any] = {}
    if len(text) <= MAX_TOKENS_SHOWN:
        result["tokens"] = [_token(text, token) for token in tokenize(text)]
    try:
        program = parse(text)
    except TickSyntaxError as error:
        result["error"] = [
            str(error),
            error.message,
            error.offset,
            error.line,
            error.column,
            list(error.expected),
        ]
        return result
    result["ast"] = dump(program)
    canonical_program, canonical = parse_canonical(text)
    result["canonical"] = canonical
    if canonical_program != program:
        result["canonical_ast"] = dump(canonical_program)
    return result


def _token(text: str, token: Token) -> list[Any]:
    """[kind, start, length]; the text is the source's there, but for ERROR, the message."""
    if text[token.start : token.start + len(token.text)] == token.text:
        return [token.kind.value, token.start, len(token.text)]
    return [token.kind.value, token.start, token.text]


def base_inputs() -> list[str]:
    """The corpus before mutation, in a stable order, without duplicates."""
    texts: list[str] = []
    for path in sorted((TESTS / "kapacitor_scripts").glob("scripts-*.json")):
        scripts = json.loads(path.read_text(encoding="utf-8"))
        texts.extend(scripts[key] for key in sorted(scripts))
    for path in sorted(TESTS.rglob("*.tick")):
        texts.append(path.read_text(encoding="utf-8"))
    texts.extend(_hostile_ticks())
    texts.extend(CORNERS)
    return list(dict.fromkeys(texts))


def _hostile_ticks() -> list[str]:
    """The ``.tick`` files the hostile corpus writes that are small UTF-8 text."""
    from tests.hostile.corpus import CASES

    found: list[str] = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            case.setup(root)
            for path in sorted(root.rglob("*.tick")):
                if path.is_symlink() or not path.is_file() or path.stat().st_size > 1 << 20:
                    continue
                try:
                    found.append(path.read_text(encoding="utf-8"))
                except UnicodeDecodeError:
                    continue
    return found


def mutations(texts: list[str], count: int, seed: int = SEED) -> list[str]:
    """``count`` seeded edits of ``texts``: truncations, insertions, deletions, splices."""
    rng = random.Random(seed)
    # Mutating the big scripts costs time without reaching more of the grammar.
    small = [t for t in texts if 0 < len(t) <= 4_000]
    out: list[str] = []
    for _ in range(count):
        text = rng.choice(small)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            at = rng.randrange(len(text) + 1)
            operation = rng.randrange(5)
            if operation == 0:
                text = text[:at]
            elif operation in (1, 2):
                text = text[:at] + rng.choice(INSERTS) + text[at:]
            elif operation == 3:
                text = text[:at] + text[at + rng.randrange(1, 8) :]
            else:
                other = rng.choice(small)
                text = text[:at] + other[rng.randrange(len(other) + 1) :]
        out.append(text)
    return out


def all_inputs() -> list[str]:
    base = base_inputs()
    return list(dict.fromkeys([*base, *mutations(base, MUTATIONS)]))


def load() -> list[tuple[str, dict[str, Any]]]:
    with lzma.open(FIXTURE, "rt", encoding="utf-8") as f:
        cases: list[tuple[str, dict[str, Any]]] = [tuple(c) for c in json.load(f)]  # type: ignore[misc]
    return cases


def main() -> None:
    cases = [(text, outcome(text)) for text in all_inputs()]
    data = json.dumps(cases, ensure_ascii=True, separators=(",", ":"))
    # xz: a fifth of gzip's size on this text
    FIXTURE.write_bytes(lzma.compress(data.encode("ascii"), preset=9 | lzma.PRESET_EXTREME))
    errors = sum("error" in o for _, o in cases)
    print(f"{len(cases)} inputs ({errors} syntax errors) -> {FIXTURE}")


if __name__ == "__main__":
    main()
