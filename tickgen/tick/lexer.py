"""TICKscript lexer, token for token as Kapacitor's ``tick/ast/lex.go``.

Kapacitor's lexer is a state machine with two states that matter: *token
position* (start of input, after ``(`` ``,`` ``[`` ``|`` ``@`` ``.``, an
operator, ``]``, ``*`` or a regex) and *after an operand* (after an identifier
or keyword, a number, a duration, a reference, a string or ``)``).  Only after
an operand are ``+ - * / % < > = !`` binary operators; in token position ``*``
is the star, ``/`` starts a regex and ``=`` is an error.  After ``=``, ``=~``
and ``!~`` a ``/`` (past any whitespace) always starts a regex.

Each state is one compiled regex whose alternatives are tried in the order
Kapacitor's ``switch`` tries them, so a token costs one ``match`` call.  Quoted
literals end at the first closing quote not preceded by a backslash: Kapacitor
skips ``\\x`` only when ``x`` is the quote, so ``\\\\'`` still escapes the quote.

The first lexer error ends the token list with an :data:`ERROR` token whose
text is Kapacitor's message; the parser reports it only if it gets that far.
"""

from __future__ import annotations

import re
import unicodedata
from enum import IntEnum
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

# Special codes for alternatives whose kind depends on the state or needs work.
_IDENT, _LAMBDA, _NUMBER, _SLASH, _STAR, _NEEDS_OPERAND, _BAD, _OTHER, _END = range(-9, 0)

# (pattern, code or kind).  Each alternative ends in an empty group, so
# ``m.lastindex`` names it while the alternative still starts with a literal
# character, which lets the regex engine skip non-matching alternatives fast.
# Overlapping alternatives keep Kapacitor's priority (duration before number,
# ``'''`` before ``'``, ``//`` before ``/``); the rest are ordered by frequency.
_ALTERNATIVES: list[tuple[str, int]] = [
    (r"lambda:", _LAMBDA),
    (r"[^\W\d_]\w*", _IDENT),
    (r"\(", TokenKind.LPAREN),
    (r"\)", TokenKind.RPAREN),
    (r"\.\d\d*", _NUMBER),
    (r"\.", TokenKind.DOT),
    (r"'''(?s:.*?)''(?:\\'|\\(?!'))*'", TokenKind.STRING),
    (r"'(?!'')(?s:.*?)(?<!\\)'", TokenKind.STRING),
    (r"'", _BAD),
    (r"\|", TokenKind.PIPE),
    (r",", TokenKind.COMMA),
    (r'"(?s:.*?)(?<!\\)"', TokenKind.REFERENCE),
    (r'"', _BAD),
    (r"\d\d*(?:ms|[uµsmhdw])", TokenKind.DURATION),
    (r"\d\d*(?:\.\d*)?", _NUMBER),
    (r"\[", TokenKind.LSBRACKET),
    (r"\]", TokenKind.RSBRACKET),
    (r"@", TokenKind.AT),
    (r"-", TokenKind.MINUS),
    (r"!(?![=~])", TokenKind.NOT),
    (r"\*", _STAR),
    # A comment runs on over following lines whose first non-blank is "/".
    (rf"//[^\n]*(?:\n[{_LINE_SPACE}]*/[^\n]*)*", TokenKind.COMMENT),
    (r"/", _SLASH),
    (r"==|=~|=|!=|!~|<=|<|>=|>|\+|%", _NEEDS_OPERAND),
    (r"[\s\S]", _OTHER),
    (r"\Z", _END),
]
_SCAN = re.compile(
    f"([{_SPACE}]*)(?:" + "|".join(f"(?:{body})()" for body, _ in _ALTERNATIVES) + ")"
).finditer
_CODES = [0, 0, *(code for _, code in _ALTERNATIVES)]  # group 1 is the whitespace
_REGEX = re.compile(r"/(?s:.*?)(?<!\\)/").match
_BAD_MESSAGE = {"'": "unterminated string", '"': "unterminated field reference"}

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
    """Every token of ``text``, comments included, ending with EOF or ERROR."""
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
    kinds: list[TokenKind] = []
    starts: list[int] = []
    values: list[str] = []
    comments: Comments = {}

    def fail(message: str, at: int) -> tuple[list[TokenKind], list[int], list[str], Comments]:
        kinds.append(TokenKind.ERROR)
        starts.append(at)
        values.append(message)
        return kinds, starts, values, comments

    operand = False  # the last token was an operand: binary operators may follow
    regex_next = False  # the last token was = =~ !~: a "/" starts a regex
    pos = 0
    while True:
        # The scan is state-free; where the state changes a token's extent
        # (a regex literal, a trimmed identifier) it restarts after that token.
        for m in _SCAN(text, pos):
            code = _CODES[m.lastindex or 0]
            start = m.end(1)
            end = m.end()
            if regex_next:
                regex_next = False
                if code == _SLASH or code == TokenKind.COMMENT:
                    regex = _REGEX(text, start)
                    if regex is None:
                        return fail("unterminated regex", start)
                    kinds.append(TokenKind.REGEX)
                    starts.append(start)
                    values.append(regex.group())
                    operand = False
                    pos = regex.end()
                    break
            if code >= 0:
                kind = _KINDS[code]
            elif code == _IDENT:
                value = text[start:end]
                if not value.isascii():
                    trimmed = _go_ident(value)
                    if not trimmed:
                        return fail(_unknown(text[start]), start)
                    if trimmed != value:
                        kinds.append(TokenKind.IDENT)
                        starts.append(start)
                        values.append(trimmed)
                        operand = True
                        pos = start + len(trimmed)
                        break
                kind = KEYWORDS.get(value, TokenKind.IDENT)
                kinds.append(kind)
                starts.append(start)
                values.append(value)
                operand = True
                continue
            elif code == _LAMBDA:
                kind = TokenKind.LAMBDA
            elif code == _NUMBER:
                if text.startswith(".", end):
                    return fail("multiple decimals in number", start)
                kind = TokenKind.NUMBER
            elif code == _STAR:
                kind = TokenKind.MULT if operand else TokenKind.STAR
            elif code == _SLASH:
                if operand:
                    kind = TokenKind.DIV
                else:
                    regex = _REGEX(text, start)
                    if regex is None:
                        return fail("unterminated regex", start)
                    kinds.append(TokenKind.REGEX)
                    starts.append(start)
                    values.append(regex.group())
                    pos = regex.end()
                    break
            elif code == _NEEDS_OPERAND:
                value = text[start:end]
                if not operand:
                    if value[0] == "!":  # "!=" in token position: unary "!", then "="
                        kinds.append(TokenKind.NOT)
                        starts.append(start)
                        values.append("!")
                        start += 1
                    return fail(_unknown(text[start]), start)
                kind = _OPERATOR_KIND[value]
                regex_next = kind in _REGEX_FOLLOWS
            elif code == _BAD:
                return fail(_BAD_MESSAGE[text[start]], start)
            elif code == _OTHER:
                return fail(_unknown(text[start]), start)
            else:  # _END
                kinds.append(TokenKind.EOF)
                starts.append(start)
                values.append("")
                return kinds, starts, values, comments
            if kind is TokenKind.COMMENT:
                comments.setdefault(len(kinds), []).append((start, text[start:end]))
                operand = False
                continue
            kinds.append(kind)
            starts.append(start)
            values.append(text[start:end])
            operand = kind in _OPERAND_KINDS


_KINDS = list(TokenKind)


def _unknown(char: str) -> str:
    return f"unknown state, last char: {go_quote_rune(char)}"


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


# -- Regex literals: Go RE2 syntax -------------------------------------------------
#
# Kapacitor compiles every regex literal with Go's regexp package while parsing
# (node.go newRegex), so a pattern RE2 rejects is a parse error.  check_regex
# walks a pattern the way Go's regexp/syntax parser does, keeping only what
# decides its errors: a stack of groups, alternation bars and expressions, the
# previous repetition operator, and the product of nested {n,m} counts.  It
# returns Go's message (``error parsing regexp: missing closing ): `(a` ``) or
# None.  Go's size and nesting-depth limits (thousands of nodes) are not
# modelled; \p{Name} accepts any Unicode category or any script-like name.

_LPAREN, _BAR = -1, -2  # pseudo entries; an expression is its repeat product (>= 1)
_PERL_CLASSES = frozenset({"\\d", "\\D", "\\s", "\\S", "\\w", "\\W"})
_POSIX_CLASSES = frozenset(
    [
        "alnum",
        "alpha",
        "ascii",
        "blank",
        "cntrl",
        "digit",
        "graph",
        "lower",
        "print",
        "punct",
        "space",
        "upper",
        "word",
        "xdigit",
    ]
)
# Unicode general categories by major class and their minor letters (Go's unicode.Categories).
_CATEGORY_MINORS = {
    "C": "cfos",
    "L": "lmotu",
    "M": "cen",
    "N": "dlo",
    "P": "cdefios",
    "S": "ckmo",
    "Z": "lps",
}
_CATEGORIES = frozenset(
    [*_CATEGORY_MINORS, "Any", "Assigned", "ASCII", "LC"]
    + [major + minor for major, minors in _CATEGORY_MINORS.items() for minor in minors]
)
_SCRIPT_NAME = re.compile(r"[A-Z][A-Za-z_]*")
_REPEAT = re.compile(r"\{(0|[1-9][0-9]*)(?:(,)(0|[1-9][0-9]*)?)?\}")


class _RegexError(Exception):
    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")


def check_regex(pattern: str) -> str | None:
    """Go's error for ``pattern`` (the unescaped text of a regex literal), or None."""
    try:
        _Re2Check(pattern).run()
    except _RegexError as exc:
        return str(exc)
    return None


class _Re2Check:
    def __init__(self, pattern: str) -> None:
        self.whole = pattern
        self.stack: list[int] = []

    def run(self) -> None:
        t = self.whole
        i = 0
        last_repeat = -1  # where the previous token, if a repetition, started
        while i < len(t):
            repeat_at = -1
            c = t[i]
            if c == "(":
                i = self._group(i) if t.startswith("(?", i) else self._push_paren(i + 1)
            elif c == "|":
                self._concat()
                if not self._swap_bar():
                    self.stack.append(_BAR)
                i += 1
            elif c == ")":
                self._right_paren()
                i += 1
            elif c == "[":
                i = self._class(i)
                self.stack.append(1)
            elif c in "*+?":
                repeat_at, i = i, self._repeat(i, i + 1, 0, last_repeat)
            elif c == "{" and (m := _REPEAT.match(t, i)) is not None:
                low = int(m.group(1))
                high = low if m.group(2) is None else int(m.group(3) or -1)
                if low > 1000 or high > 1000 or (high >= 0 and low > high):
                    raise _RegexError("invalid repeat count", m.group())
                count = low if high < 0 else high
                repeat_at, i = i, self._repeat(i, m.end(), count, last_repeat)
            elif c == "\\":
                i = self._escape(i)
            else:
                self.stack.append(1)  # a literal, "{" that is no repeat, ^ $ .
                i += 1
            last_repeat = repeat_at
        self._concat()
        if self._swap_bar():
            self.stack.pop()
        self._alternate()
        if len(self.stack) != 1:
            raise _RegexError("missing closing )", self.whole)

    # -- stack, as Go's concat / alternate / swapVerticalBar -------------------

    def _collapse(self) -> None:
        """Replace the expressions above the topmost pseudo entry by one."""
        stack = self.stack
        product = 1
        while stack and stack[-1] > 0:
            product = max(product, stack.pop())
        stack.append(product)

    _concat = _alternate = _collapse

    def _swap_bar(self) -> bool:
        stack = self.stack
        if len(stack) >= 2 and stack[-2] == _BAR:
            stack[-2], stack[-1] = stack[-1], _BAR
            return True
        return False

    def _push_paren(self, i: int) -> int:
        self.stack.append(_LPAREN)
        return i

    def _right_paren(self) -> None:
        self._concat()
        if self._swap_bar():
            self.stack.pop()
        self._alternate()
        stack = self.stack
        if len(stack) < 2 or stack[-2] != _LPAREN:
            raise _RegexError("unexpected )", self.whole)
        inner = stack.pop()
        stack[-1] = inner

    def _repeat(self, start: int, end: int, count: int, last_repeat: int) -> int:
        t = self.whole
        if t.startswith("?", end):  # non-greedy
            end += 1
        if last_repeat >= 0:
            raise _RegexError("invalid nested repetition operator", t[last_repeat:end])
        if not self.stack or self.stack[-1] < 0:
            raise _RegexError("missing argument to repetition operator", t[start:end])
        if t[start] == "{":
            # Go's repeatIsValid: nested counts may multiply to 1000 at most.
            product = self.stack[-1] * count if count else 1
            if product > 1000:
                raise _RegexError("invalid repeat count", t[start:end])
            self.stack[-1] = max(product, 1)
        return end

    # -- groups, escapes and classes ----------------------------------------------

    def _group(self, i: int) -> int:
        t = self.whole
        name_at = 4 if t.startswith("(?P<", i) and len(t) - i > 4 else 0
        if not name_at and t.startswith("(?<", i) and len(t) - i > 3:
            name_at = 3
        if name_at:
            end = t.find(">", i)
            if end < 0:
                raise _RegexError("invalid named capture", t[i:])
            name = t[i + name_at : end]
            if not name or not all(c == "_" or (c.isascii() and c.isalnum()) for c in name):
                raise _RegexError("invalid named capture", t[i : end + 1])
            return self._push_paren(end + 1)
        j = i + 2
        negated = saw_flag = False
        while j < len(t):
            c = t[j]
            j += 1
            if c in "imsU":
                saw_flag = True
            elif c == "-" and not negated:
                negated, saw_flag = True, False
            elif c in ":)" and (saw_flag or not negated):
                return self._push_paren(j) if c == ":" else j
            else:
                break
        raise _RegexError("invalid or unsupported Perl syntax", t[i:j])

    def _escape(self, i: int) -> int:
        """A backslash sequence outside a class: assertion, class or one character."""
        t = self.whole
        two = t[i : i + 2]
        if two == "\\C":
            raise _RegexError("invalid escape sequence", two)
        if two == "\\Q":  # literal text up to \E; nothing at all if empty
            end = t.find("\\E", i + 2)
            if end != i + 2:
                self.stack.append(1)
            return len(t) if end < 0 else end + 2
        self.stack.append(1)
        if two in ("\\A", "\\b", "\\B", "\\z") or two in _PERL_CLASSES:
            return i + 2
        if two in ("\\p", "\\P"):
            return self._unicode_class(i)
        return self._char_escape(i)

    def _char_escape(self, i: int) -> int:
        """Go's parseEscape: the end of the single-character escape at ``i``."""
        t = self.whole
        if i + 1 >= len(t):
            raise _RegexError("trailing backslash at end of expression", "")
        c = t[i + 1]
        j = i + 2
        if c.isascii() and not c.isalnum():
            return j
        if c in "1234567" and not (j < len(t) and t[j] in "01234567"):
            raise _RegexError("invalid escape sequence", t[i:j])  # a backreference
        if c in "01234567":
            while j < len(t) and j < i + 4 and t[j] in "01234567":
                j += 1
            return j
        if c in "afnrtv":
            return j
        if c == "x" and j < len(t):
            if t[j] == "{":  # any number of hex digits, at least one, up to U+10FFFF
                value = 0
                for k in range(j + 1, len(t)):
                    if t[k] == "}" and k > j + 1:
                        return k + 1
                    if t[k] not in _HEX:
                        break
                    value = value * 16 + int(t[k], 16)
                    if value > 0x10FFFF:
                        break
                else:
                    k = len(t) - 1
                raise _RegexError("invalid escape sequence", t[i : k + 1])
            pair = t[j : j + 2]
            if len(pair) == 2 and all(h in _HEX for h in pair):
                return j + 2
            raise _RegexError("invalid escape sequence", t[i : j + 2])
        raise _RegexError("invalid escape sequence", t[i:j])

    def _unicode_class(self, i: int) -> int:
        t = self.whole
        if i + 2 >= len(t):  # Go reads no name and fails on the empty one
            raise _RegexError("invalid character class range", t[i:])
        if t[i + 2] != "{":
            seq, name = t[i : i + 3], t[i + 2]
        else:
            end = t.find("}", i)
            if end < 0:
                raise _RegexError("invalid character class range", t[i:])
            seq, name = t[i : end + 1], t[i + 3 : end]
        name = name.removeprefix("^")
        if name not in _CATEGORIES and not (len(name) > 1 and _SCRIPT_NAME.fullmatch(name)):
            raise _RegexError("invalid character class range", seq)
        return i + len(seq)

    def _class(self, start: int) -> int:
        """Go's parseClass: the end of the bracket expression at ``start``."""
        t = self.whole
        i = start + 1
        if t.startswith("^", i):
            i += 1
        first = True
        while i >= len(t) or t[i] != "]" or first:
            first = False
            if t.startswith("[:", i) and len(t) - i > 2:
                end = t.find(":]", i + 2)
                if end >= 0:
                    name = t[i + 2 : end]
                    if name.removeprefix("^") not in _POSIX_CLASSES:
                        raise _RegexError("invalid character class range", t[i : end + 2])
                    i = end + 2
                    continue
            two = t[i : i + 2]
            if two in ("\\p", "\\P"):
                i = self._unicode_class(i)
                continue
            if two in _PERL_CLASSES:
                i += 2
                continue
            low_at = i
            low, i = self._class_char(i, start)
            if i + 1 < len(t) and t[i] == "-" and t[i + 1] != "]":
                high, end = self._class_char(i + 1, start)
                if high < low:
                    raise _RegexError("invalid character class range", t[low_at:end])
                i = end
        return i + 1

    def _class_char(self, i: int, class_start: int) -> tuple[str, int]:
        t = self.whole
        if i >= len(t):
            raise _RegexError("missing closing ]", t[class_start:])
        if t[i] == "\\":
            end = self._char_escape(i)
            return _escaped_char(t[i:end]), end
        return t[i], i + 1


_HEX = frozenset("0123456789abcdefABCDEF")
_C_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _escaped_char(escape: str) -> str:
    """The character a valid single-character escape stands for."""
    body = escape[1:]
    if body[0] == "x":
        return chr(int(body[1:].strip("{}"), 16))
    if body[0] in "01234567":
        return chr(int(body, 8))
    return _C_ESCAPES.get(body, body)
