"""TICKscript lexer, token for token as Kapacitor's ``tick/ast/lex.go``.

Like ``lex.go`` it is a state machine: each state is a method named after
Kapacitor's state function, reads one token and returns the next state (see
:class:`_Lexer`).  Where Kapacitor reads rune by rune, a state here reads its
token with one regular expression anchored at the current position.

The first lexer error ends the token list with an :data:`ERROR` token whose
text is Kapacitor's message; the parser reports it only if it gets that far.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

__all__ = ["KEYWORDS", "OPERATORS", "Token", "TokenKind", "tokenize"]


class TokenKind(IntEnum):
    """Token kinds in Kapacitor's order; ``str()`` is what error messages print."""

    ERROR = 0
    EOF = 1
    VAR = 2
    DBRP = 3
    ASGN = 4
    DOT = 5
    PIPE = 6
    AT = 7
    IDENT = 8
    REFERENCE = 9
    LAMBDA = 10
    NUMBER = 11
    STRING = 12
    DURATION = 13
    LPAREN = 14
    RPAREN = 15
    LSBRACKET = 16
    RSBRACKET = 17
    COMMA = 18
    NOT = 19
    TRUE = 20
    FALSE = 21
    REGEX = 22
    COMMENT = 23
    STAR = 24
    # Binary operators (Kapacitor's IsExprOperator range): PLUS .. REGEX_NOT_EQUAL.
    PLUS = 25
    MINUS = 26
    MULT = 27
    DIV = 28
    MOD = 29
    AND = 30
    OR = 31
    EQUAL = 32
    NOT_EQUAL = 33
    LESS = 34
    GREATER = 35
    LESS_EQUAL = 36
    GREATER_EQUAL = 37
    REGEX_EQUAL = 38
    REGEX_NOT_EQUAL = 39

    def __str__(self) -> str:
        return _KIND_TEXT[self]


_KIND_TEXT = {
    TokenKind.ERROR: "ERR",
    TokenKind.EOF: "EOF",
    TokenKind.VAR: "var",
    TokenKind.DBRP: "dbrp",
    TokenKind.ASGN: "=",
    TokenKind.DOT: ".",
    TokenKind.PIPE: "|",
    TokenKind.AT: "@",
    TokenKind.IDENT: "identifier",
    TokenKind.REFERENCE: "reference",
    TokenKind.LAMBDA: "lambda",
    TokenKind.NUMBER: "number",
    TokenKind.STRING: "string",
    TokenKind.DURATION: "duration",
    TokenKind.LPAREN: "(",
    TokenKind.RPAREN: ")",
    TokenKind.LSBRACKET: "[",
    TokenKind.RSBRACKET: "]",
    TokenKind.COMMA: ",",
    TokenKind.NOT: "!",
    TokenKind.TRUE: "TRUE",
    TokenKind.FALSE: "FALSE",
    TokenKind.REGEX: "regex",
    TokenKind.COMMENT: "//",
    TokenKind.STAR: "*",
}

# Operator text <-> kind (Kapacitor's operatorStr); NOT is "!" but not binary.
OPERATORS: dict[str, TokenKind] = {
    "!": TokenKind.NOT,
    "+": TokenKind.PLUS,
    "-": TokenKind.MINUS,
    "*": TokenKind.MULT,
    "/": TokenKind.DIV,
    "%": TokenKind.MOD,
    "==": TokenKind.EQUAL,
    "!=": TokenKind.NOT_EQUAL,
    "<": TokenKind.LESS,
    ">": TokenKind.GREATER,
    "<=": TokenKind.LESS_EQUAL,
    ">=": TokenKind.GREATER_EQUAL,
    "=~": TokenKind.REGEX_EQUAL,
    "!~": TokenKind.REGEX_NOT_EQUAL,
    "AND": TokenKind.AND,
    "OR": TokenKind.OR,
}
_KIND_TEXT.update({kind: text for text, kind in OPERATORS.items()})

# ``lambda`` is a keyword only when a ``:`` follows at once; see lex_ident_or_keyword.
KEYWORDS: dict[str, TokenKind] = {
    "AND": TokenKind.AND,
    "OR": TokenKind.OR,
    "TRUE": TokenKind.TRUE,
    "FALSE": TokenKind.FALSE,
    "var": TokenKind.VAR,
    "dbrp": TokenKind.DBRP,
}


@dataclass(slots=True)
class Token:
    """One token: its kind, where it starts (an index into the source) and its
    source text; for ERROR, the text is the lexer's message instead.

    A slotted dataclass, not a NamedTuple: it is built in about 60 % of the
    time (the NamedTuple's ``__new__`` is a Python function that builds the
    tuple twice) and its fields read faster, which makes a parse 7 % cheaper
    (measured in instructions).  Tokens compare by value as before."""

    kind: TokenKind
    start: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, comments included, ending with EOF or ERROR.

    A comment token's text is its lines up to the last one's end; Kapacitor's
    also holds the line break and indentation that follow.
    """
    tokens, comments = lex(text)
    if not comments:
        return tokens
    merged: list[Token] = []
    for index, token in enumerate(tokens):
        merged.extend(comments.get(index, ()))
        merged.append(token)
    return merged


Comments = dict[int, list[Token]]


def lex(text: str) -> tuple[list[Token], Comments]:
    """The parser's view of ``text``: every token but comments, ending with EOF
    or ERROR, and ``comments[i]``, the comment tokens just before token ``i``
    (Kapacitor's parser attaches a comment to the token that follows it)."""
    lexer = _Lexer(text)
    lexer.run()
    return lexer.tokens, lexer.comments


# Go's unicode.IsSpace, exactly (Python's \s also takes \x1c-\x1f).
_SPACE = r"\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LINE_SPACE = _SPACE.replace("\\n", "")

# A quoted literal ends at the first closing quote not preceded by a backslash:
# Kapacitor skips "\x" only when x is the quote, so "\\'" still escapes it.
_REFERENCE = r'"(?s:.*?)(?<!\\)"'
_SINGLE_STRING = r"'(?!'')(?s:.*?)(?<!\\)'"
# Inside ''' Kapacitor counts closing quotes and starts again on any other
# rune, except that once two quotes are counted a backslash skips a quote
# after it (or nothing): the single-quote escape rule, reached by its counter.
_TRIPLE_STRING = r"'''(?s:.*?)''(?:\\'|\\(?!'))*'"

# lexToken's switch on the next character, past any whitespace: each group is a
# case, named after the state that reads the token.  Identifiers, numbers,
# punctuation, strings and references (most tokens) are read whole here, an
# opening quote alone if the literal is left open (reading them here saves a
# state and a match per literal: 3 % of a tokenize); the other states read
# their token themselves.  Python's \w also takes No/Nl (Roman numerals,
# superscripts), which Go's identifiers do not; see _go_ident.
_TOKEN_CASES = (
    r"(?P<ident_or_keyword>[^\W\d_]\w*)"
    r"|(?P<punctuation>[()\[\]|@,*])"
    r"|(?P<number_or_duration_or_dot>\d+(?:ms|[uµsmhdw]|\.\d*)?|\.\d+|\.)"
    r"|(?P<unary_operator>[-!])"
    f"|(?P<single_or_triple_string>{_TRIPLE_STRING}|{_SINGLE_STRING}|')"
    f'|(?P<reference>{_REFERENCE}|")'
    r"|(?P<comment>//)"
    r"|(?P<regex>/)"
    r"|(?P<eof>\Z)"
    r"|(?P<unknown>[\s\S])"
)
_TOKEN = re.compile(f"[{_SPACE}]*(?:{_TOKEN_CASES})")
# tryLexBinaryOperator: an operator after an operand, past any whitespace; if
# there is none, lexToken's cases at the same place.  Reading both with one
# match saves a second match and a second state call after every operand
# (measured: 10 % of a tokenize).
_BINARY_OPERATOR = re.compile(
    f"[{_SPACE}]*(?:"
    r"(?P<binary_operator>==|=~|!=|!~|<=|>=|[-+*%<>!=]|/(?!/))"
    f"|{_TOKEN_CASES})"
)
_BINARY_OPERATOR_KIND = {**OPERATORS, "=": TokenKind.ASGN}
# After these, a "/" past any whitespace starts a regex (even "//").
_REGEX_FOLLOWS = frozenset({TokenKind.ASGN, TokenKind.REGEX_EQUAL, TokenKind.REGEX_NOT_EQUAL})
_SPACES = re.compile(f"[{_SPACE}]*")
_UNITS = frozenset("uµsmhdw")
_REGEX = re.compile(r"/(?s:.*?)(?<!\\)/")
# A comment goes on over every next line whose first non-blank is "/".
_COMMENT = re.compile(f"//[^\\n]*(?:\\n[{_LINE_SPACE}]*/[^\\n]*)*")
_PUNCTUATION = {
    "(": TokenKind.LPAREN,
    ")": TokenKind.RPAREN,
    "[": TokenKind.LSBRACKET,
    "]": TokenKind.RSBRACKET,
    "|": TokenKind.PIPE,
    "@": TokenKind.AT,
    ",": TokenKind.COMMA,
    "*": TokenKind.STAR,
}

# A state reads one token (or none) and returns the next state; None stops.
# (Go's stateFn; the type is recursive, which mypy cannot spell.)
_State = Callable[[], Any]


class _Lexer:
    """Kapacitor's lexer: one method per state of ``lex.go``, with its names.

    Two states decide what a character means: ``lex_token`` (start of input,
    after ``( [ ] | @ , *``, an operator, a regex or a comment) and
    ``try_lex_binary_operator`` (after an operand: an identifier or keyword, a
    number, a duration, a reference, a string or ``)``).  Only in the second
    are ``+ - * / % < > = !`` binary operators; in the first ``*`` is the star,
    ``/`` starts a regex and ``= + < ...`` are errors.  After ``=``, ``=~`` and
    ``!~`` a ``/`` past any whitespace always starts a regex.

    The first error ends the token list with an ERROR token whose text is
    Kapacitor's message; the parser reports it only if it gets that far.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0  # where the current token starts
        self.tokens: list[Token] = []
        self.comments: Comments = {}

    def run(self) -> None:
        state: _State | None = self.lex_token
        while state is not None:
            state = state()

    def emit(self, kind: TokenKind, end: int) -> None:
        """The token from ``pos`` to ``end``."""
        self.tokens.append(Token(kind, self.pos, self.text[self.pos : end]))
        self.pos = end

    def errorf(self, message: str) -> _State | None:
        """End the tokens with an error at ``pos``, and stop (no next state)."""
        self.tokens.append(Token(TokenKind.ERROR, self.pos, message))
        return None

    # -- states -----------------------------------------------------------

    def lex_token(self) -> _State | None:
        """lexToken: a token where no binary operator can be."""
        match = _TOKEN.match(self.text, self.pos)
        assert match is not None  # the last case takes any character
        return self.lex_token_case(match)

    def lex_token_case(self, match: re.Match[str]) -> _State | None:
        """lexToken's switch, on a match of its cases (of _TOKEN or _BINARY_OPERATOR)."""
        case = match.lastgroup
        self.pos, end = match.span(case)  # type: ignore[arg-type]
        if case == "ident_or_keyword":
            return self.lex_ident_or_keyword(end)
        if case == "punctuation":
            kind = _PUNCTUATION[self.text[self.pos]]
            self.emit(kind, end)
            return self.try_lex_binary_operator if kind is TokenKind.RPAREN else self.lex_token
        if case == "number_or_duration_or_dot":
            return self.lex_number_or_duration_or_dot(end)
        if case == "unary_operator":
            return self.lex_unary_operator
        if case == "single_or_triple_string":
            return self.lex_single_or_triple_string(end)
        if case == "reference":
            return self.lex_reference(end)
        if case == "comment":
            return self.lex_comment
        if case == "regex":
            # Kapacitor peeks at the rune after "/" and then backs up by that
            # rune's width: right only if it is one byte of UTF-8.
            following = self.text[end : end + 1]
            if following and following.isascii():
                return self.lex_regex
            return self.lex_misread_regex
        if case == "eof":
            self.emit(TokenKind.EOF, end)
            return None
        return self.errorf(_unknown(self.text[self.pos]))

    def lex_unary_operator(self) -> _State | None:
        """lexUnaryOperator: ``-`` or ``!`` in token position."""
        self.emit(OPERATORS[self.text[self.pos]], self.pos + 1)
        return self.lex_token

    def try_lex_binary_operator(self) -> _State | None:
        """tryLexBinaryOperator: after an operand, a binary operator or ``!``, if any."""
        match = _BINARY_OPERATOR.match(self.text, self.pos)
        assert match is not None  # lexToken's last case takes any character
        if match.lastgroup != "binary_operator":
            return self.lex_token_case(match)
        self.pos, end = match.span("binary_operator")
        kind = _BINARY_OPERATOR_KIND[self.text[self.pos : end]]
        self.emit(kind, end)
        if kind in _REGEX_FOLLOWS:
            self.pos = _SPACES.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.text.startswith("/", self.pos):
                return self.lex_regex
        return self.lex_token

    def lex_ident_or_keyword(self, end: int) -> _State | None:
        """lexIdentOrKeyword: a letter, then letters, digits and ``_``, up to
        ``end``; ``lambda`` is a keyword only with a ``:`` right after it."""
        text = self.text
        word = text[self.pos : end]
        if not word.isascii():
            word = _go_ident(word)
            if not word:  # not a letter to Go
                return self.errorf(_unknown(text[self.pos]))
            end = self.pos + len(word)
        if word == "lambda" and text.startswith(":", end):
            self.emit(TokenKind.LAMBDA, end + 1)
        else:
            self.emit(KEYWORDS.get(word, TokenKind.IDENT), end)
        return self.try_lex_binary_operator

    def lex_number_or_duration_or_dot(self, end: int) -> _State | None:
        """lexNumberOrDurationOrDot, up to ``end``: digits with one optional
        ``.``, digits followed by a unit, or a ``.`` with no digit after it."""
        literal = self.text[self.pos : end]
        if literal == ".":
            self.emit(TokenKind.DOT, end)
            return self.lex_token
        if literal[-1] in _UNITS:
            self.emit(TokenKind.DURATION, end)
        elif self.text.startswith(".", end):
            return self.errorf("multiple decimals in number")
        else:
            self.emit(TokenKind.NUMBER, end)
        return self.try_lex_binary_operator

    def lex_reference(self, end: int) -> _State | None:
        """lexReference: a double-quoted name, up to ``end``; ``\\"`` does not end it."""
        if end - self.pos < 2:  # only the opening quote
            return self.errorf("unterminated field reference")
        self.emit(TokenKind.REFERENCE, end)
        return self.try_lex_binary_operator

    def lex_single_or_triple_string(self, end: int) -> _State | None:
        """lexSingleOrTripleString, up to ``end``: ``'...'`` (``\\'`` does not
        end it) or ``'''...'''``."""
        if end - self.pos < 2:  # only the opening quote
            return self.errorf("unterminated string")
        self.emit(TokenKind.STRING, end)
        return self.try_lex_binary_operator

    def lex_regex(self) -> _State | None:
        """lexRegex: ``/.../``; ``\\/`` does not end it."""
        match = _REGEX.match(self.text, self.pos)
        if match is None:
            return self.errorf("unterminated regex")
        self.emit(TokenKind.REGEX, match.end())
        return self.lex_token

    def lex_misread_regex(self) -> _State | None:
        """lexRegex as Kapacitor reaches it from lexToken when the rune after
        the ``/`` is not one byte of UTF-8, or there is none: see _misread_regex."""
        end = _misread_regex(self.text, self.pos)
        if isinstance(end, str):
            return self.errorf(end)
        if end < 0:
            return self.errorf("unterminated regex")
        self.emit(TokenKind.REGEX, end)
        return self.lex_token

    def lex_comment(self) -> _State | None:
        """lexComment: ``//`` to the end of the line, and every next line whose
        first non-blank is ``/``."""
        end = _COMMENT.match(self.text, self.pos).end()  # type: ignore[union-attr]
        comment = Token(TokenKind.COMMENT, self.pos, self.text[self.pos : end])
        self.comments.setdefault(len(self.tokens), []).append(comment)
        self.pos = end
        return self.lex_token


def _unknown(char: str) -> str:
    return f"unknown state, last char: {go_quote_rune(char)}"


def _misread_regex(text: str, start: int) -> int | str:
    """Where Kapacitor's regex at ``text[start] == "/"`` ends, or its error, when
    the "/" is in token position and the next character is not one UTF-8 byte.

    Kapacitor peeks at that character and then backs up by *its* width instead
    of the width of the "/", so it resumes w - 1 bytes early (one byte late at
    the end of input) and reads the "/" there again, or fails on what it finds.
    Returns the end index of the regex token (which may be just the "/"), -1 if
    it is unterminated, or the error message.
    """
    data = text.encode("utf-8", "surrogatepass")
    slash = len(text[:start].encode("utf-8", "surrogatepass"))
    width = len(text[start + 1 : start + 2].encode("utf-8", "surrogatepass"))
    at = slash + 1 - width
    if at < 0:
        return _LEXER_CRASH  # Go slices the input at a negative index
    found = _go_rune(data, at)
    if found != "/":
        return f'unexpected "{found}" expected "/"'
    i = at + 1
    while i < len(data):
        byte = data[i]
        if byte == 0x5C and data[i + 1 : i + 2] == b"/":  # \/ is part of the regex
            i += 2
        elif byte == 0x2F:
            if i < slash:  # the token would end before it starts
                return _LEXER_CRASH
            return len(data[: i + 1].decode("utf-8", "surrogatepass"))
        else:
            i += 1
    return -1


_LEXER_CRASH = "regex literal that crashes Kapacitor's lexer"


def _go_rune(data: bytes, at: int) -> str:
    """The rune Go decodes at byte ``at``: U+FFFD for EOF or a stray byte."""
    decoded = data[at : at + 4].decode("utf-8", "surrogateescape")[:1]
    return decoded if decoded and not "\udc80" <= decoded <= "\udcff" else "\ufffd"


def _go_ident(value: str) -> str:
    """The longest prefix Go's lexer takes as an identifier (letters, Nd digits, ``_``)."""
    for i, char in enumerate(value):
        category = unicodedata.category(char)
        if i == 0 and category[0] != "L":
            return ""
        if category[0] != "L" and category != "Nd" and char != "_":
            return value[:i]
    return value


_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
}


def _go_escape(char: str, quote: str) -> str:
    if char == quote:
        return "\\" + char
    escaped = _GO_ESCAPES.get(char)
    if escaped is not None:
        return escaped
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x80:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def go_quote_rune(char: str) -> str:
    """Go's ``%q`` of a rune: ``';'``, ``'\\n'``."""
    return "'" + _go_escape(char, "'") + "'"


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string (``strconv.Quote``)."""
    return '"' + "".join(_go_escape(char, '"') for char in text) + '"'
