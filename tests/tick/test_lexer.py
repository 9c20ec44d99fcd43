"""Lexer vectors: Kapacitor's tick/ast/lex_test.go plus the context rules of reference §1.1."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickgen.tick.lexer import Token, TokenKind, go_quote, go_quote_rune, tokenize

K = TokenKind


def kinds(text: str) -> list[tuple[TokenKind, int, str]]:
    return [(t.kind, t.start, t.text) for t in tokenize(text)]


# (input, tokens) from lex_test.go.  Kapacitor's test also lexes a lone "+",
# "*", "/", "=" at the start of input as operators; its current lexer (the one
# ported here) treats the start of input as token position, so those cases
# are checked after an operand instead (see test_operators_after_operand).
LEX_TEST_GO = [
    ("!", [(K.NOT, 0, "!"), (K.EOF, 1, "")]),
    ("-", [(K.MINUS, 0, "-"), (K.EOF, 1, "")]),
    ("(", [(K.LPAREN, 0, "("), (K.EOF, 1, "")]),
    (")", [(K.RPAREN, 0, ")"), (K.EOF, 1, "")]),
    ("[", [(K.LSBRACKET, 0, "["), (K.EOF, 1, "")]),
    ("]", [(K.RSBRACKET, 0, "]"), (K.EOF, 1, "")]),
    (".", [(K.DOT, 0, "."), (K.EOF, 1, "")]),
    ("|", [(K.PIPE, 0, "|"), (K.EOF, 1, "")]),
    ("@", [(K.AT, 0, "@"), (K.EOF, 1, "")]),
    ("AND", [(K.AND, 0, "AND"), (K.EOF, 3, "")]),
    ("OR", [(K.OR, 0, "OR"), (K.EOF, 2, "")]),
    ("TRUE", [(K.TRUE, 0, "TRUE"), (K.EOF, 4, "")]),
    ("FALSE", [(K.FALSE, 0, "FALSE"), (K.EOF, 5, "")]),
    ("var", [(K.VAR, 0, "var"), (K.EOF, 3, "")]),
    ("lambda:", [(K.LAMBDA, 0, "lambda:"), (K.EOF, 7, "")]),
    ("lambda ", [(K.IDENT, 0, "lambda"), (K.EOF, 7, "")]),
    ("42", [(K.NUMBER, 0, "42"), (K.EOF, 2, "")]),
    ("42.21", [(K.NUMBER, 0, "42.21"), (K.EOF, 5, "")]),
    (".421", [(K.NUMBER, 0, ".421"), (K.EOF, 4, "")]),
    ("0.421", [(K.NUMBER, 0, "0.421"), (K.EOF, 5, "")]),
    ("42s", [(K.DURATION, 0, "42s"), (K.EOF, 3, "")]),
    ("1u", [(K.DURATION, 0, "1u"), (K.EOF, 2, "")]),
    ("1µ", [(K.DURATION, 0, "1µ"), (K.EOF, 2, "")]),
    ("1ms", [(K.DURATION, 0, "1ms"), (K.EOF, 3, "")]),
    ("1h", [(K.DURATION, 0, "1h"), (K.EOF, 2, "")]),
    ("1d", [(K.DURATION, 0, "1d"), (K.EOF, 2, "")]),
    ("1w", [(K.DURATION, 0, "1w"), (K.EOF, 2, "")]),
    ("variable", [(K.IDENT, 0, "variable"), (K.EOF, 8, "")]),
    ("myVar01", [(K.IDENT, 0, "myVar01"), (K.EOF, 7, "")]),
    ('""', [(K.REFERENCE, 0, '""'), (K.EOF, 2, "")]),
    ('"ref with spaces"', [(K.REFERENCE, 0, '"ref with spaces"'), (K.EOF, 17, "")]),
    ('"ref\\""', [(K.REFERENCE, 0, '"ref\\""'), (K.EOF, 7, "")]),
    ("''", [(K.STRING, 0, "''"), (K.EOF, 2, "")]),
    ("''''''", [(K.STRING, 0, "''''''"), (K.EOF, 6, "")]),
    ("'str'", [(K.STRING, 0, "'str'"), (K.EOF, 5, "")]),
    ("'str\\''", [(K.STRING, 0, "'str\\''"), (K.EOF, 7, "")]),
    ("'''s'tr'''", [(K.STRING, 0, "'''s'tr'''"), (K.EOF, 10, "")]),
    ("'''s\\'tr'''", [(K.STRING, 0, "'''s\\'tr'''"), (K.EOF, 11, "")]),
    ("'''str'''", [(K.STRING, 0, "'''str'''"), (K.EOF, 9, "")]),
    (" ", [(K.EOF, 1, "")]),
    (" \t\n", [(K.EOF, 3, "")]),
    (
        "var x = avg()",
        [
            (K.VAR, 0, "var"),
            (K.IDENT, 4, "x"),
            (K.ASGN, 6, "="),
            (K.IDENT, 8, "avg"),
            (K.LPAREN, 11, "("),
            (K.RPAREN, 12, ")"),
            (K.EOF, 13, ""),
        ],
    ),
    (
        "var x = avg()|parallel(4)x.groupby('cpu')|window().period(10s)",
        [
            (K.VAR, 0, "var"),
            (K.IDENT, 4, "x"),
            (K.ASGN, 6, "="),
            (K.IDENT, 8, "avg"),
            (K.LPAREN, 11, "("),
            (K.RPAREN, 12, ")"),
            (K.PIPE, 13, "|"),
            (K.IDENT, 14, "parallel"),
            (K.LPAREN, 22, "("),
            (K.NUMBER, 23, "4"),
            (K.RPAREN, 24, ")"),
            (K.IDENT, 25, "x"),
            (K.DOT, 26, "."),
            (K.IDENT, 27, "groupby"),
            (K.LPAREN, 34, "("),
            (K.STRING, 35, "'cpu'"),
            (K.RPAREN, 40, ")"),
            (K.PIPE, 41, "|"),
            (K.IDENT, 42, "window"),
            (K.LPAREN, 48, "("),
            (K.RPAREN, 49, ")"),
            (K.DOT, 50, "."),
            (K.IDENT, 51, "period"),
            (K.LPAREN, 57, "("),
            (K.DURATION, 58, "10s"),
            (K.RPAREN, 61, ")"),
            (K.EOF, 62, ""),
        ],
    ),
    (
        "var x = avg()\n// Comment all of this is ignored",
        [
            (K.VAR, 0, "var"),
            (K.IDENT, 4, "x"),
            (K.ASGN, 6, "="),
            (K.IDENT, 8, "avg"),
            (K.LPAREN, 11, "("),
            (K.RPAREN, 12, ")"),
            (K.COMMENT, 14, "// Comment all of this is ignored"),
            (K.EOF, 47, ""),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LEX_TEST_GO)
def test_lex_test_go_vectors(text: str, expected: list[tuple[TokenKind, int, str]]) -> None:
    assert kinds(text) == expected


def test_comment_then_code_positions() -> None:
    tokens = kinds("var x = avg()\n// Comment all of this is ignored\nx.groupby('cpu')")
    assert tokens[6] == (K.COMMENT, 14, "// Comment all of this is ignored")
    assert tokens[7:] == [
        (K.IDENT, 48, "x"),
        (K.DOT, 49, "."),
        (K.IDENT, 50, "groupby"),
        (K.LPAREN, 57, "("),
        (K.STRING, 58, "'cpu'"),
        (K.RPAREN, 63, ")"),
        (K.EOF, 64, ""),
    ]


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        ("+", K.PLUS),
        ("-", K.MINUS),
        ("*", K.MULT),
        ("/", K.DIV),
        ("%", K.MOD),
        ("=", K.ASGN),
        ("==", K.EQUAL),
        ("!=", K.NOT_EQUAL),
        (">", K.GREATER),
        (">=", K.GREATER_EQUAL),
        ("<", K.LESS),
        ("<=", K.LESS_EQUAL),
        ("=~", K.REGEX_EQUAL),
        ("!~", K.REGEX_NOT_EQUAL),
        ("!", K.NOT),
    ],
)
@pytest.mark.parametrize("operand", ["a", "1", "1.5", "5m", '"r"', "'s'", "f()", "TRUE", "AND"])
def test_operators_after_operand(op: str, kind: TokenKind, operand: str) -> None:
    tokens = kinds(f"{operand} {op} x")
    operator = tokens[-3]
    assert operator[0] is kind
    assert operator[2] == op


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # After =, =~ and !~ a "/" starts a regex, even "//" (lex_test.go).
        ("a =~ //", [K.IDENT, K.REGEX_EQUAL, K.REGEX, K.EOF]),
        ("a !~ //", [K.IDENT, K.REGEX_NOT_EQUAL, K.REGEX, K.EOF]),
        ("a = //", [K.IDENT, K.ASGN, K.REGEX, K.EOF]),
        ("a =\n  /x/", [K.IDENT, K.ASGN, K.REGEX, K.EOF]),
        # In token position "/" is a regex, after an operand it divides.
        ("(/x/)", [K.LPAREN, K.REGEX, K.RPAREN, K.EOF]),
        ("a / b", [K.IDENT, K.DIV, K.IDENT, K.EOF]),
        ("a == /x/", [K.IDENT, K.EQUAL, K.REGEX, K.EOF]),
        # "*" is the star in token position, multiplication after an operand.
        ("f(*)", [K.IDENT, K.LPAREN, K.STAR, K.RPAREN, K.EOF]),
        ("a * b", [K.IDENT, K.MULT, K.IDENT, K.EOF]),
        ("[*] * b", [K.LSBRACKET, K.STAR, K.RSBRACKET, K.STAR, K.IDENT, K.EOF]),
        # No binary operator after a regex or "]": "*" stays a star.
        ("/x/ * b", [K.REGEX, K.STAR, K.IDENT, K.EOF]),
        # Newlines do not separate: the operator after a newline still binds.
        ("a\n\n+ b", [K.IDENT, K.PLUS, K.IDENT, K.EOF]),
        # After a comment the lexer is in token position again.
        ("a // c\n* b", [K.IDENT, K.COMMENT, K.STAR, K.IDENT, K.EOF]),
        ("a // c\n- b", [K.IDENT, K.COMMENT, K.MINUS, K.IDENT, K.EOF]),
        # Keywords are case-sensitive; "lambda" needs ":" at once.
        ("true and or", [K.IDENT, K.IDENT, K.IDENT, K.EOF]),
        ("dbrp", [K.DBRP, K.EOF]),
        ("lambda : x", [K.IDENT, K.ERROR]),
        ("lambdas: x", [K.IDENT, K.ERROR]),
        # Durations: one unit, integer digits only.
        ("10ns", [K.NUMBER, K.IDENT, K.EOF]),
        ("1.5s", [K.NUMBER, K.IDENT, K.EOF]),
        ("1m30s", [K.DURATION, K.DURATION, K.EOF]),
        ("10mss", [K.DURATION, K.IDENT, K.EOF]),
        ("5µs", [K.DURATION, K.IDENT, K.EOF]),
        ("1.", [K.NUMBER, K.EOF]),
        ("1.foo", [K.NUMBER, K.IDENT, K.EOF]),
        # Unicode letters start identifiers; digits of any script are digits.
        ("héllo_1", [K.IDENT, K.EOF]),
        ("日本", [K.IDENT, K.EOF]),
        ("٣", [K.NUMBER, K.EOF]),
        # Consecutive comment lines are one token; a blank line ends it.
        ("// a\n   // b\n\n// c", [K.COMMENT, K.COMMENT, K.EOF]),
        # The continuation looks at one "/" only: a regex under a comment is eaten.
        ("// a\n/x/", [K.COMMENT, K.EOF]),
        ("a\t\v\f\r\x85\xa0\u3000b", [K.IDENT, K.IDENT, K.EOF]),
    ],
)
def test_context_rules(text: str, expected: list[TokenKind]) -> None:
    assert [t.kind for t in tokenize(text)] == expected


def test_triple_string_and_escapes() -> None:
    # Each backslash looks only at the next character: in 'a\\' the second
    # backslash escapes the quote, so the string never ends.
    assert tokenize("'a\\\\'") == [Token(K.ERROR, 0, "unterminated string")]
    assert kinds("'''a''\\''''")[0] == (K.STRING, 0, "'''a''\\''")
    assert kinds("'multi\nline'")[0] == (K.STRING, 0, "'multi\nline'")
    assert kinds('"a\\b"')[0] == (K.REFERENCE, 0, '"a\\b"')
    assert kinds("a =~ /a\\/b/")[2] == (K.REGEX, 5, "/a\\/b/")


@pytest.mark.parametrize(
    ("text", "message", "at"),
    [
        ("'abc", "unterminated string", 0),
        ("x '''abc''", "unterminated string", 2),
        ("''''", "unterminated string", 0),
        ("'a\\'", "unterminated string", 0),
        ('"abc', "unterminated field reference", 0),
        ('"a\\"', "unterminated field reference", 0),
        ("(/abc", "unterminated regex", 1),
        # a "/" ending the input in token position: Kapacitor's peek at EOF
        # breaks its backup, so it reports the EOF rune as U+FFFD
        ("(/", 'unexpected "\ufffd" expected "/"', 1),
        ("a + (/", 'unexpected "\ufffd" expected "/"', 5),
        ("a =~ /", "unterminated regex", 5),
        # ... and before a multi-byte character it backs up too far and reads
        # what is there (found by comparing with kapacitord)
        ("x*/Ⅻ\x1c", 'unexpected "x" expected "/"', 2),
        ("f(x, /a/ /é/)", 'unexpected " " expected "/"', 9),
        ("a * /日本", 'unexpected "*" expected "/"', 4),
        ("[é,/日", 'unexpected "\ufffd" expected "/"', 3),  # lands inside "é"
        ("/é/", "regex literal that crashes Kapacitor's lexer", 0),
        ("a =~ /x\\/", "unterminated regex", 5),
        ("var x = 1;", "unknown state, last char: ';'", 9),
        ("_x", "unknown state, last char: '_'", 0),
        ("a : b", "unknown state, last char: ':'", 2),
        ("= =", "unknown state, last char: '='", 0),
        ("+1", "unknown state, last char: '+'", 0),
        ("(< 1)", "unknown state, last char: '<'", 1),
        ("#", "unknown state, last char: '#'", 0),
        ("{", "unknown state, last char: '{'", 0),
        ("a\x00", "unknown state, last char: '\\x00'", 1),
        ("a\x1c", "unknown state, last char: '\\x1c'", 1),
        ("²", "unknown state, last char: '²'", 0),
        ("a²", "unknown state, last char: '²'", 1),
        ("1.2.3", "multiple decimals in number", 0),
        ("x .5.", "multiple decimals in number", 2),
        ("1..", "multiple decimals in number", 0),
    ],
)
def test_lexer_errors(text: str, message: str, at: int) -> None:
    last = tokenize(text)[-1]
    assert last == Token(K.ERROR, at, message)


def test_not_equal_in_token_position_is_unary_not_then_error() -> None:
    assert kinds("(!= 1)") == [
        (K.LPAREN, 0, "("),
        (K.NOT, 1, "!"),
        (K.ERROR, 2, "unknown state, last char: '='"),
    ]


def test_token_kind_strings_match_kapacitor() -> None:
    assert [str(k) for k in (K.EOF, K.IDENT, K.REFERENCE, K.COMMENT, K.ASGN, K.AND)] == [
        "EOF",
        "identifier",
        "reference",
        "//",
        "=",
        "AND",
    ]
    assert all(not str(k).isdigit() for k in TokenKind)


def test_go_quoting() -> None:
    assert go_quote_rune(";") == "';'"
    assert go_quote_rune("'") == "'\\''"
    assert go_quote_rune("\n") == "'\\n'"
    assert go_quote_rune("\u200b") == "'\\u200b'"
    assert go_quote_rune("\U0001f600") == "'\U0001f600'"
    assert go_quote('09"\\') == '"09\\"\\\\"'


def test_regex_misread_before_a_multibyte_character_can_rescan_a_slash() -> None:
    # Kapacitor resumes at the "/" that closed the previous regex and emits a
    # one-character regex token (which its parser then fails on).
    assert kinds("f(/a//é/)")[2:5] == [
        (K.REGEX, 2, "/a/"),
        (K.REGEX, 5, "/"),
        (K.IDENT, 6, "é"),
    ]


def test_keyword_cut_short_by_a_non_letter_is_still_a_keyword() -> None:
    assert [t.kind for t in tokenize("dbrpⅫ")] == [K.DBRP, K.ERROR]


# Go's unicode.IsSpace: what may lie between two tokens.
GO_SPACE = set("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}
LEXER_ALPHABET = [
    *"ab v=~!/*'\"\n\t.()|,[]@-+%<>0123456789smuµhdw\\:_é\u2168\u0663\xa0\x1c;",
    "'''",
    "//",
    "lambda:",
    "AND ",
    "\n// c\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LEXER_ALPHABET), max_size=40).map("".join))
def test_tokens_are_the_text_in_order_with_only_spaces_between(text: str) -> None:
    """Each token's text is the source at its start; tokens follow each other with
    only Go whitespace between; the list ends with EOF at the end of the text or
    with ERROR, where lexing stopped (a regex Kapacitor misreads may back up)."""
    tokens = tokenize(text)
    assert tokens[-1].kind in (K.EOF, K.ERROR)
    assert all(token.kind not in (K.EOF, K.ERROR) for token in tokens[:-1])
    position = 0
    for token in tokens[:-1]:
        if token.start < position:  # only Kapacitor's misread regex starts earlier
            assert token.kind is K.REGEX
            assert not text[token.start + 1 : token.start + 2].isascii() or position == len(text)
        else:
            assert set(text[position : token.start]) <= GO_SPACE, (text, token)
        assert text[token.start : token.start + len(token.text)] == token.text
        position = token.start + len(token.text)
    last = tokens[-1]
    if last.kind is K.EOF:
        assert last.start == len(text)
        assert set(text[position:]) <= GO_SPACE
