"""TICKscript lexer, token for token as Kapacitor's ``tick/ast/lex.go``.

Kapacitor's lexer is a state machine with two states that matter: *token
position* (start of input, after ``(`` ``,`` ``[`` ``|`` ``@`` ``.``, an
operator, ``]``, ``*`` or a regex) and *after an operand* (after an identifier
or keyword, a number, a duration, a reference, a string or ``)``).  Only after
an operand are ``+ - * / % < > = !`` binary operators; in token position ``*``
is the star, ``/`` starts a regex and ``=`` is an error.  After ``=``, ``=~``
and ``!~`` a ``/`` (past any whitespace) always starts a regex.

For speed the scan is one compiled regex run with ``finditer`` over the whole
text, as if every token came after an operand; the loop then applies the
state: it turns ``*`` into the star and ``= + < ...`` into errors in token
position, and where the state changes a token's extent (a ``/`` that starts a
regex) it restarts the scan after that token.  Quoted literals end at the first
closing quote not preceded by a backslash: Kapacitor skips ``\\x`` only when
``x`` is the quote, so ``\\\\'`` still escapes the quote.

The first lexer error ends the token list with an :data:`ERROR` token whose
text is Kapacitor's message; the parser reports it only if it gets that far.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from enum import IntEnum
from operator import methodcaller
from typing import NamedTuple

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
_OPERATOR_KIND = {**OPERATORS, "=": TokenKind.ASGN}

# ``lambda`` is a keyword only when a ``:`` follows at once; see _lex.
KEYWORDS: dict[str, TokenKind] = {
    "AND": TokenKind.AND,
    "OR": TokenKind.OR,
    "TRUE": TokenKind.TRUE,
    "FALSE": TokenKind.FALSE,
    "var": TokenKind.VAR,
    "dbrp": TokenKind.DBRP,
}


class Token(NamedTuple):
    kind: TokenKind
    start: int  # index into the source string
    text: str  # the source text; for ERROR, the lexer's message


# Go's unicode.IsSpace, exactly (Python's \s also takes \x1c-\x1f).
_SPACE = r"\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LINE_SPACE = _SPACE.replace("\\n", "")

# The token alternatives, in Kapacitor's priority where they overlap (duration
# before number, ''' before ', // before /) and by frequency otherwise.  Every
# alternative starts with a literal character or a class, which lets the regex
# engine skip the ones that cannot match at once.  The scan yields (whitespace,
# identifier, token, bad) tuples: an identifier (the most frequent token) has a
# group of its own; any other token's first character tells its kind (see lex).
# ``bad`` is the first character of what starts no token, or of an unterminated
# quote: the first lexer error, so the scan takes the rest of the text with it
# and one ``findall`` over a text full of errors stays linear.
_ALTERNATIVES = [
    r"lambda:",
    r"[()|,\[\]@-]",
    r"\.\d\d*",
    r"\.",
    r"'''(?s:.*?)''(?:\\'|\\(?!'))*'",
    r"'(?!'')(?s:.*?)(?<!\\)'",
    r'"(?s:.*?)(?<!\\)"',
    r"\d\d*(?:ms|[uµsmhdw]|\.\d*)?",
    r"//[^\n]*(?:\n[" + _LINE_SPACE + r"]*/[^\n]*)*",  # lines whose first non-blank is "/"
    r"==|=~|!=|!~|<=|>=|[-+*/%<>!=]",
    r"\Z",
]
# identifiers: Python's \w also takes No/Nl, see _go_ident; "lambda:" is no identifier
_TOKEN = (
    f"([{_SPACE}]*)(?:((?!lambda:)[^\\W\\d_]\\w*)|("
    + "|".join(_ALTERNATIVES)
    + r")|([\s\S])[\s\S]*)"
)
_SCAN = re.compile(_TOKEN).finditer
_FINDALL = re.compile(_TOKEN).findall
_REGEX = re.compile(r"/(?s:.*?)(?<!\\)/").match
_IDENT_START = re.compile(r"[^\W\d_]").match
_BAD_MESSAGE = {"'": "unterminated string", '"': "unterminated field reference"}

# What the first character says of a token that is not fixed (see _FIXED), for
# ASCII; everything else is decided in lex (a Unicode digit starts a number).
_DIGIT, _DOT, _SLASH, _STAR, _OPERATOR, _QUOTE = range(6)
_FIRST: dict[str, int] = {
    ".": _DOT,
    "/": _SLASH,
    "*": _STAR,
    "'": _QUOTE,
    '"': _QUOTE,
    **dict.fromkeys("=!<>+%", _OPERATOR),
    **dict.fromkeys("0123456789", _DIGIT),
}
# Tokens whose kind the state never changes (after = =~ !~ only "/" differs).
_FIXED: dict[str, TokenKind] = {
    "(": TokenKind.LPAREN,
    ")": TokenKind.RPAREN,
    "|": TokenKind.PIPE,
    ",": TokenKind.COMMA,
    "[": TokenKind.LSBRACKET,
    "]": TokenKind.RSBRACKET,
    "@": TokenKind.AT,
    "-": TokenKind.MINUS,
    ".": TokenKind.DOT,
    "lambda:": TokenKind.LAMBDA,
}
_UNITS = frozenset("uµsmhdw")

# Kinds after which Kapacitor looks for a binary operator (tryLexBinaryOperator).
_OPERAND_KINDS = frozenset(
    {
        TokenKind.IDENT,
        TokenKind.VAR,
        TokenKind.DBRP,
        TokenKind.LAMBDA,
        TokenKind.TRUE,
        TokenKind.FALSE,
        TokenKind.AND,
        TokenKind.OR,
        TokenKind.NUMBER,
        TokenKind.DURATION,
        TokenKind.REFERENCE,
        TokenKind.STRING,
        TokenKind.RPAREN,
    }
)
# After these, a "/" past any whitespace starts a regex even after an operand.
_REGEX_FOLLOWS = frozenset({TokenKind.ASGN, TokenKind.REGEX_EQUAL, TokenKind.REGEX_NOT_EQUAL})


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, comments included, ending with EOF or ERROR.

    A comment token's text is its lines up to the last one's end; Kapacitor's
    also holds the line break and indentation that follow.
    """
    kinds, starts, values, comments = lex(text)
    tokens: list[Token] = []
    for index, kind in enumerate(kinds):
        for start, comment in comments.get(index, ()):
            tokens.append(Token(TokenKind.COMMENT, start, comment))
        tokens.append(Token(kind, starts[index], values[index]))
    return tokens


Comments = dict[int, list[tuple[int, str]]]


def lex(text: str) -> tuple[list[TokenKind], list[int], list[str], Comments]:
    """The parser's view: parallel lists of kind, start and text for every token
    but comments, plus ``comments[i]``: the ``(start, text)`` of each comment
    token just before token ``i`` (Kapacitor attaches comments forward)."""
    kinds, starts, values, comments, _, _ = lex_lines(text)
    return kinds, starts, values, comments


Lexed = tuple[list[TokenKind], list[int], list[str], Comments, list[int], list[int]]


def lex_lines(text: str) -> Lexed:
    """:func:`lex`, plus every token's line and column (1-based; the column
    counts characters, which are bytes of UTF-8 only in an ASCII text).  The
    lexer passes every line break anyway, so here they cost least."""
    kinds: list[TokenKind] = []
    starts: list[int] = []
    values: list[str] = []
    comments: Comments = {}
    lines: list[int] = []
    columns: list[int] = []
    add_line = lines.append
    add_column = columns.append
    line = 1
    line_base = -1  # the offset of the last line break: column = offset - line_base
    # The five appends of a token are written out at each kind rather than in a
    # helper: this loop runs once per token, and a call there costs more than
    # the appends themselves.
    add_kind = kinds.append
    add_start = starts.append
    add_value = values.append
    fixed = _FIXED.get
    keyword = KEYWORDS.get
    ident_kind = TokenKind.IDENT
    operand_kinds = _OPERAND_KINDS
    ascii_text = text.isascii()  # then no identifier needs trimming

    def fail(message: str, at: int) -> Lexed:
        add_kind(TokenKind.ERROR)
        add_start(at)
        add_value(message)
        add_line(line)
        add_column(at - line_base)
        return kinds, starts, values, comments, lines, columns

    operand = False  # the last token was an operand: binary operators may follow
    regex_next = False  # the last token was = =~ !~: a "/" starts a regex
    pos = 0
    # The first scan reads the whole text at once (it ends at the first lexer
    # error, see _TOKEN); where the state changes a token's extent (a regex
    # literal, a trimmed identifier) the scan restarts after that token, lazily
    # then, so that a text of many regexes is not scanned once per regex.
    scan: Iterable[tuple[str, str, str, str]] = _FINDALL(text)
    while True:
        end = pos
        for space, ident, token, bad in scan:
            start = end + len(space)
            if "\n" in space:
                line += space.count("\n")
                line_base = end + space.rindex("\n")
            if ident:
                end = start + len(ident)
                regex_next = False
                if not ascii_text and not ident.isascii():
                    trimmed = _go_ident(ident)
                    if not trimmed:
                        return fail(_unknown(ident[0]), start)
                    if trimmed != ident:
                        add_kind(keyword(trimmed, ident_kind))
                        add_start(start)
                        add_line(line)
                        add_column(start - line_base)
                        add_value(trimmed)
                        operand = True
                        pos = start + len(trimmed)
                        break
                add_kind(keyword(ident, ident_kind))
                add_start(start)
                add_line(line)
                add_column(start - line_base)
                add_value(ident)
                operand = True
                continue
            if not token:
                if bad:
                    return fail(_BAD_MESSAGE.get(bad) or _unknown(bad), start)
                add_kind(TokenKind.EOF)
                add_start(start)
                add_line(line)
                add_column(start - line_base)
                add_value("")
                return kinds, starts, values, comments, lines, columns
            end = start + len(token)
            if regex_next:
                regex_next = False
                if token[0] == "/":  # even "//": after = =~ !~ it is a regex
                    regex = _REGEX(text, start)
                    if regex is None:
                        return fail("unterminated regex", start)
                    add_kind(TokenKind.REGEX)
                    add_start(start)
                    add_line(line)
                    add_column(start - line_base)
                    add_value(regex.group())
                    operand = False
                    pos = regex.end()
                    if "\n" in values[-1]:
                        line += values[-1].count("\n")
                        line_base = start + values[-1].rindex("\n")
                    break
            kind = fixed(token)
            if kind is not None:
                add_kind(kind)
                add_start(start)
                add_line(line)
                add_column(start - line_base)
                add_value(token)
                operand = kind in operand_kinds
                continue
            first = token[0]
            code = _FIRST.get(first)
            if code is None:  # not ASCII: a Unicode digit starts a number
                if not first.isdecimal():
                    return fail(_unknown(first), start)
                code = _DIGIT
            if code in (_DIGIT, _DOT):
                if token[-1] in _UNITS:
                    kind = TokenKind.DURATION
                elif text.startswith(".", end):
                    return fail("multiple decimals in number", start)
                else:
                    kind = TokenKind.NUMBER
            elif code == _QUOTE:
                add_kind(TokenKind.STRING if first == "'" else TokenKind.REFERENCE)
                add_start(start)
                add_line(line)
                add_column(start - line_base)
                add_value(token)
                operand = True  # both are operands
                if "\n" in token:
                    line += token.count("\n")
                    line_base = start + token.rindex("\n")
                continue
            elif code == _STAR:
                kind = TokenKind.MULT if operand else TokenKind.STAR
            elif code == _SLASH:
                if token != "/":
                    comments.setdefault(len(kinds), []).append((start, token))
                    operand = False
                    if "\n" in token:
                        line += token.count("\n")
                        line_base = start + token.rindex("\n")
                    continue
                if operand:
                    kind = TokenKind.DIV
                else:
                    regex_end: int | str
                    if text[end : end + 1].isascii() and end < len(text):
                        regex = _REGEX(text, start)
                        regex_end = -1 if regex is None else regex.end()
                    else:
                        regex_end = _misread_regex(text, start)
                    if isinstance(regex_end, str):
                        return fail(regex_end, start)
                    if regex_end < 0:
                        return fail("unterminated regex", start)
                    add_kind(TokenKind.REGEX)
                    add_start(start)
                    add_line(line)
                    add_column(start - line_base)
                    add_value(text[start:regex_end])
                    operand = False
                    pos = regex_end
                    if "\n" in values[-1]:
                        line += values[-1].count("\n")
                        line_base = start + values[-1].rindex("\n")
                    break
            elif token == "!":  # unary "!" or a lone "!" after an operand: TokenNot
                kind = TokenKind.NOT
            else:  # _OPERATOR
                if not operand:
                    if first == "!":  # "!=" in token position: unary "!", then "="
                        add_kind(TokenKind.NOT)
                        add_start(start)
                        add_line(line)
                        add_column(start - line_base)
                        add_value("!")
                        start += 1
                    return fail(_unknown(text[start]), start)
                kind = _OPERATOR_KIND[token]
                regex_next = kind in _REGEX_FOLLOWS
            add_kind(kind)
            add_start(start)
            add_line(line)
            add_column(start - line_base)
            add_value(token)
            operand = kind in operand_kinds
        scan = map(_groups, _SCAN(text, pos))


_groups: Callable[[re.Match[str]], tuple[str, str, str, str]] = methodcaller("groups", "")


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
