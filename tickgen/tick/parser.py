"""TICKscript parser, a port of Kapacitor's ``tick/ast/parser.go``.

The methods below are Kapacitor's, one for one and in its order, because the
places where Kapacitor peeks, backs up and *consumes comments* decide which node
a comment ends up on, and the formatter prints comments where they are.  A
comment belongs to the token after it; ``_consume_comment`` hands out the
comment of the token consumed last, once.  Kapacitor keeps a two-token buffer
for this; an index into the token list behaves the same.

Kapacitor recurses without limit; Python cannot, so nesting (parentheses,
unary operators and calls inside one another) deeper than
:data:`MAX_NESTING` is a :class:`TickSyntaxError`.  Chains and runs of binary
operators are loops, not recursion, and have no limit.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import accumulate

from . import ast
from .errors import TickSyntaxError
from .formatter import format_program
from .lexer import TokenKind, go_quote, lex_lines
from .re2 import check_regex

__all__ = ["MAX_NESTING", "parse"]

MAX_NESTING = 100

_ERROR = TokenKind.ERROR
_EOF = TokenKind.EOF
_VAR = TokenKind.VAR
_DBRP = TokenKind.DBRP
_ASGN = TokenKind.ASGN
_DOT = TokenKind.DOT
_PIPE = TokenKind.PIPE
_AT = TokenKind.AT
_IDENT = TokenKind.IDENT
_REFERENCE = TokenKind.REFERENCE
_LAMBDA = TokenKind.LAMBDA
_NUMBER = TokenKind.NUMBER
_STRING = TokenKind.STRING
_DURATION = TokenKind.DURATION
_LPAREN = TokenKind.LPAREN
_RPAREN = TokenKind.RPAREN
_LSBRACKET = TokenKind.LSBRACKET
_RSBRACKET = TokenKind.RSBRACKET
_COMMA = TokenKind.COMMA
_NOT = TokenKind.NOT
_TRUE = TokenKind.TRUE
_FALSE = TokenKind.FALSE
_REGEX = TokenKind.REGEX
_STAR = TokenKind.STAR
_MINUS = TokenKind.MINUS

# Operator precedence (parser.go); membership also means "binary operator".
_PRECEDENCE = {
    TokenKind.OR: 0,
    TokenKind.AND: 1,
    TokenKind.EQUAL: 2,
    TokenKind.NOT_EQUAL: 2,
    TokenKind.REGEX_EQUAL: 2,
    TokenKind.REGEX_NOT_EQUAL: 2,
    TokenKind.GREATER: 3,
    TokenKind.GREATER_EQUAL: 3,
    TokenKind.LESS: 3,
    TokenKind.LESS_EQUAL: 3,
    TokenKind.PLUS: 4,
    TokenKind.MINUS: 4,
    TokenKind.MULT: 5,
    TokenKind.DIV: 5,
    TokenKind.MOD: 5,
}
_Position = ast.Position
_GLOBAL = ast.FuncKind.GLOBAL
_CHAIN = ast.FuncKind.CHAIN
_PLUS_ONE = (1).__add__
_CHAIN_OPS = {_DOT: ast.FuncKind.PROPERTY, _PIPE: ast.FuncKind.CHAIN, _AT: ast.FuncKind.DYNAMIC}
_ARGUMENT_END = frozenset({_COMMA, _RPAREN})
_CHAIN_OR_IDENT = frozenset({_DOT, _PIPE, _AT, _VAR, _IDENT})
_PRIMARY_EXPECTED = (
    _NUMBER,
    _STRING,
    _DURATION,
    _IDENT,
    _TRUE,
    _FALSE,
    TokenKind.EQUAL,
    _LPAREN,
    _MINUS,
    _NOT,
)

# influxql.ParseDuration: nanoseconds per unit.
_UNIT_NS = {
    "u": 1_000,
    "µ": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
    "d": 86_400_000_000_000,
    "w": 604_800_000_000_000,
}
_INT64_MAX = 2**63 - 1


def parse(text: str) -> ast.Program:
    """The syntax tree of a TICKscript; raises :class:`TickSyntaxError`."""
    return _Parser(text).program()


def parse_canonical(text: str) -> tuple[ast.Program, str]:
    """The syntax tree of a TICKscript and its canonical text: the text that
    Kapacitor's formatter gives back unchanged.

    Kapacitor's formatter is not idempotent on every tree: the ``multiline``
    flags are recomputed from where operands start in the text, and a line
    break the formatter writes (after the operator of a multi-line binary,
    before a chain link, around a comment) can fall between the operands of an
    enclosing call or binary that was on one line, which then formats on
    several lines next time.  So ``"a\\nb" == 'v' AND "z" == 'w'`` (a name or
    string that holds a line break) formats, and then formats again
    differently.  Flags only ever switch on, so formatting and parsing again
    settles; this does it here, so that the text is a fixed point of
    ``tickfmt`` and of ``tickgen fmt``.

    Without multi-line calls or binaries, comments or chains inside calls, the
    formatter writes no line break inside any expression except those in its
    literals, which were in the source between the same operands; then the
    first formatting is already the fixed point, and nothing is parsed again.
    (Any comment counts, to be safe: a comment inside an expression ends a
    line, which mostly makes a node multi-line anyway.)
    """
    parser = _Parser(text)
    program = parser.program()
    canonical = format_program(program)
    if not parser.layout_may_move:
        return program, canonical
    # Each round switches on at least one flag or stops, and a tree has fewer
    # flags than its text has characters.
    for _ in range(len(canonical)):
        again_program = parse(canonical)
        again = format_program(again_program)
        if again == canonical:
            return again_program, canonical
        canonical = again
    raise AssertionError("the formatter's layout did not settle")  # pragma: no cover


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        kinds, starts, values, comments, lines, columns = lex_lines(text)
        # Reading past the end gives Go's zero token, as a closed channel does.
        pad = len(kinds) + 2
        self.kinds = kinds + [_ERROR] * (pad - len(kinds))
        self.starts = starts + [0] * (pad - len(starts))
        self.values = values + [""] * (pad - len(values))
        self.comments = comments
        self.i = 0
        self.depth = 0
        # whether formatting may move line breaks into a span that had none
        # (see parse_canonical): comments, multi-line nodes, chains in calls
        self.layout_may_move = bool(comments)
        # A token's position is three list lookups: the lexer counts lines.
        self.lines = lines
        self.line_starts: list[int] | None = None  # for _position, made when needed
        self.ascii = text.isascii()
        if self.ascii:
            self.columns = columns
        else:  # the column counts bytes of UTF-8
            self.columns = [self._position(offset).column for offset in starts]

    # -- token cursor -----------------------------------------------------

    def _expect(self, kind: TokenKind) -> int:
        i = self.i
        if self.kinds[i] is not kind:
            raise self._unexpected(i, (kind,))
        self.i = i + 1
        return i

    def _consume_comment(self) -> ast.Comment | None:
        """The comment before the token consumed last, which nobody may take again."""
        if not self.comments:
            return None
        raw = self.comments.pop(self.i - 1, None)
        if raw is None:
            return None
        return ast.Comment(_comment_lines(raw), self._position(raw[0][0]))

    def _position(self, offset: int) -> ast.Position:
        """The position of any offset (of a comment, say); tokens have theirs."""
        line_starts = self.line_starts
        if line_starts is None:
            # line_starts[n] is where line n + 1 starts
            line_starts = self.line_starts = [
                0,
                *accumulate(map(_PLUS_ONE, map(len, self.text.split("\n")))),
            ]
        line = bisect_right(line_starts, offset)
        line_start = line_starts[line - 1]
        if self.ascii:
            column = offset - line_start + 1
        else:
            column = len(self.text[line_start:offset].encode("utf-8", "surrogatepass")) + 1
        return _Position(offset, line, column)

    def _token_position(self, i: int) -> ast.Position:
        return _Position(self.starts[i], self.lines[i], self.columns[i])

    def _unexpected(self, i: int, expected: tuple[TokenKind, ...]) -> TickSyntaxError:
        """Kapacitor's ``unexpected()``: token ``i`` is none of ``expected``."""
        kind = self.kinds[i]
        what = self.values[i] if kind is _ERROR else str(kind)
        message = what if kind is _ERROR else f"unexpected {what}"
        return TickSyntaxError(
            message,
            self.text,
            self.starts[i],
            expected=[str(k) for k in expected],
            unexpected=what,
        )

    def _error(self, message: str, i: int) -> TickSyntaxError:
        return TickSyntaxError(message, self.text, self.starts[i])

    def _enter(self, i: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self._error(f"expression nests more than {MAX_NESTING} levels deep", i)

    # -- grammar ----------------------------------------------------------
    #
    # The hot paths (calls, chains, identifiers, strings) inline the cursor
    # helpers: ``_expect`` as a kind check, ``_consume_comment`` behind a check
    # that any comment is left, ``_token_position`` as three list lookups.

    def program(self) -> ast.Program:
        statements: list[ast.Statement] = []
        kinds = self.kinds
        while True:
            i = self.i
            kind = kinds[i]
            if kind is _EOF:
                # Comments after the last statement: the one before the last
                # consumed token if nobody took it, then the one before EOF.
                for index in (i - 1, i):
                    raw = self.comments.pop(index, None) if index >= 0 else None
                    if raw is not None:
                        statements.append(
                            ast.Comment(_comment_lines(raw), self._position(raw[0][0]))
                        )
                return ast.Program(statements, self._position(0))
            if kind is _VAR:
                statements.append(self._declaration())
            elif kind is _DBRP:
                statements.append(self._dbrp())
            else:
                statements.append(self._expression())

    def _dbrp(self) -> ast.DBRP:
        i = self._expect(_DBRP)
        comment = self._consume_comment()
        db = self._reference()
        self._expect(_DOT)
        rp = self._reference()
        return ast.DBRP(db, rp, self._token_position(i), comment)

    def _declaration(self) -> ast.Declaration | ast.TypeDeclaration:
        i = self._expect(_VAR)
        comment = self._consume_comment() if self.comments else None
        name = self._identifier()
        if self.kinds[self.i] is _ASGN:
            self.i += 1
            value = self._expression()
            return ast.Declaration(
                name, value, _Position(self.starts[i], self.lines[i], self.columns[i]), comment
            )
        type_name = self._identifier()
        return ast.TypeDeclaration(name, type_name, self._token_position(i), comment)

    def _expression(self) -> ast.Expr:
        kinds = self.kinds
        i = self.i
        kind = kinds[i]
        if kind is _IDENT:
            after = kinds[i + 1]
            if after is _LPAREN:
                term = self._function(_GLOBAL)
                if kinds[self.i] in _CHAIN_OR_IDENT:
                    return self._chain(term)
                return self._precedence(term, 0)
            if after in _CHAIN_OR_IDENT:
                return self._chain(self._identifier())
        elif kind is _LAMBDA:
            return self._lambda()
        elif kind is _LSBRACKET:
            return self._string_list()
        # _primary_expr: a primary, then any binary operators
        node = self._primary()
        if kinds[self.i] in _PRECEDENCE:
            return self._precedence(node, 0)
        return node

    def _chain(self, lhs: ast.Expr) -> ast.Expr:
        """``|``, ``.`` and ``@`` links, left-associative."""
        kinds = self.kinds
        values = self.values
        starts = self.starts
        lines = self.lines
        columns = self.columns
        comments = self.comments
        while (func_kind := _CHAIN_OPS.get(kinds[self.i])) is not None:
            op = self.i
            self.i = op + 1
            comment = self._consume_comment() if comments else None
            rhs: ast.Function | ast.Identifier
            if func_kind is _CHAIN or kinds[op + 2] is _LPAREN:
                rhs = self._function(func_kind)
            else:
                rhs = self._identifier()
            lhs = ast.Chain(
                lhs, values[op], rhs, _Position(starts[op], lines[op], columns[op]), comment
            )
        return lhs

    def _identifier(self) -> ast.Identifier:
        i = self.i
        if self.kinds[i] is not _IDENT:
            raise self._unexpected(i, (_IDENT,))
        self.i = i + 1
        comment = self._consume_comment() if self.comments else None
        return ast.Identifier(
            self.values[i], _Position(self.starts[i], self.lines[i], self.columns[i]), comment
        )

    def _function(self, func_kind: ast.FuncKind) -> ast.Function:
        i = self.i
        kinds = self.kinds
        if kinds[i] is not _IDENT:
            raise self._unexpected(i, (_IDENT,))
        self.i = i + 1
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self._error(f"expression nests more than {MAX_NESTING} levels deep", i)
        comment = self._consume_comment() if self.comments else None
        if kinds[i + 1] is not _LPAREN:
            raise self._unexpected(i + 1, (_LPAREN,))
        self.i = i + 2
        args: list[ast.Expr] = []
        if kinds[i + 2] is not _RPAREN:
            expression = self._expression
            values = self.values
            while True:
                j = self.i
                kind = kinds[j]
                if (kind is _STRING or kind is _IDENT) and kinds[j + 1] in _ARGUMENT_END:
                    # a lone string or identifier, as _expression would make it
                    self.i = j + 1
                    pos = _Position(self.starts[j], self.lines[j], self.columns[j])
                    taken = self._consume_comment() if self.comments else None
                    text = values[j]
                    if kind is _IDENT:
                        args.append(ast.Identifier(text, pos, taken))
                    elif len(text) >= 6 and text.startswith("'''"):
                        args.append(ast.String(text[3:-3], True, pos, taken))
                    else:
                        args.append(ast.String(text[1:-1].replace("\\'", "'"), False, pos, taken))
                else:
                    arg = expression()
                    if type(arg) is ast.Chain:  # its links go on lines of their own
                        self.layout_may_move = True
                    args.append(arg)
                if kinds[self.i] is not _COMMA:
                    break
                self.i += 1
                if kinds[self.i] is _RPAREN:
                    break
        j = self.i
        if kinds[j] is not _RPAREN:
            raise self._unexpected(j, (_RPAREN,))
        self.i = j + 1
        self.depth -= 1
        start = self.starts[i]
        multiline = bool(args) and self.text.find("\n", start, args[-1].pos.offset) != -1
        if multiline:
            self.layout_may_move = True
        return ast.Function(
            self.values[i],
            args,
            func_kind,
            multiline,
            _Position(start, self.lines[i], self.columns[i]),
            comment,
        )

    def _string_list(self) -> ast.List:
        i = self._expect(_LSBRACKET)
        comment = self._consume_comment()
        items: list[ast.Identifier | ast.String | ast.Star] = []
        kinds = self.kinds
        while kinds[self.i] is not _RSBRACKET:
            kind = kinds[self.i]
            if kind is _IDENT:
                items.append(self._identifier())
            elif kind is _STRING:
                items.append(self._string())
            elif kind is _STAR:
                items.append(self._star())
            else:
                raise self._unexpected(self.i, (_IDENT, _STRING, _STAR))
            if kinds[self.i] is not _COMMA:
                break
            self.i += 1
        self._expect(_RSBRACKET)
        return ast.List(items, self._token_position(i), comment)

    def _lambda(self) -> ast.Lambda:
        i = self.i
        self.i = i + 1
        comment = self._consume_comment()
        expr = self._primary()
        if self.kinds[self.i] in _PRECEDENCE:
            expr = self._precedence(expr, 0)
        return ast.Lambda(expr, self._token_position(i), comment)

    def _precedence(self, lhs: ast.Expr, min_precedence: int) -> ast.Expr:
        """Precedence climbing, left-associative (parser.go ``precedence``)."""
        kinds = self.kinds
        look = _PRECEDENCE.get(kinds[self.i])
        while look is not None and look >= min_precedence:
            op = self.i
            self.i = op + 1
            op_precedence = look
            comment = self._consume_comment() if self.comments else None
            rhs = self._primary()
            look = _PRECEDENCE.get(kinds[self.i])
            while look is not None and look > op_precedence:
                rhs = self._precedence(rhs, look)
                look = _PRECEDENCE.get(kinds[self.i])
            multiline = self.text.find("\n", lhs.pos.offset, rhs.pos.offset) != -1
            if multiline:
                self.layout_may_move = True
            lhs = ast.Binary(
                self.values[op],
                lhs,
                rhs,
                False,
                multiline,
                _Position(self.starts[op], self.lines[op], self.columns[op]),
                comment,
            )
        return lhs

    def _lambda_function(self) -> ast.Function:
        """A call inside a lambda: arguments are primary expressions, and the
        comment before the name is not taken (so it is lost, as in Kapacitor)."""
        i = self._expect(_IDENT)
        self._enter(i)
        self._expect(_LPAREN)
        args: list[ast.Expr] = []
        kinds = self.kinds
        while kinds[self.i] is not _RPAREN:
            arg = self._primary()
            if kinds[self.i] in _PRECEDENCE:
                arg = self._precedence(arg, 0)
            args.append(arg)
            if kinds[self.i] is not _COMMA:
                break
            self.i += 1
        self._expect(_RPAREN)
        self.depth -= 1
        start = self.starts[i]
        multiline = bool(args) and self.text.find("\n", start, args[-1].pos.offset) != -1
        if multiline:
            self.layout_may_move = True
        return ast.Function(self.values[i], args, _GLOBAL, multiline, self._token_position(i), None)

    def _primary(self) -> ast.Expr:
        i = self.i
        kinds = self.kinds
        kind = kinds[i]
        if kind is _STRING:
            self.i = i + 1
            text = self.values[i]
            pos = _Position(self.starts[i], self.lines[i], self.columns[i])
            comment = self._consume_comment() if self.comments else None
            if len(text) >= 6 and text.startswith("'''"):
                return ast.String(text[3:-3], True, pos, comment)
            return ast.String(text[1:-1].replace("\\'", "'"), False, pos, comment)
        if kind is _IDENT:
            if kinds[i + 1] is _LPAREN:
                return self._lambda_function()
            self.i = i + 1
            comment = self._consume_comment() if self.comments else None
            return ast.Identifier(
                self.values[i], _Position(self.starts[i], self.lines[i], self.columns[i]), comment
            )
        if kind is _REFERENCE:
            return self._reference()
        if kind is _NUMBER:
            return self._number()
        if kind is _DURATION:
            return self._duration()
        if kind is _LPAREN:
            self._enter(i)
            self.i += 1
            comment = self._consume_comment()
            node = self._primary()
            if kinds[self.i] in _PRECEDENCE:
                node = self._precedence(node, 0)
            if isinstance(node, ast.Binary):
                node.parens = True
            # Kapacitor sets the comment before "(" even when it is nil,
            # dropping any comment the inner node had.
            node.comment = comment
            self._expect(_RPAREN)
            self.depth -= 1
            return node
        if kind is _TRUE or kind is _FALSE:
            self.i += 1
            return ast.Bool(kind is _TRUE, self._token_position(i), self._consume_comment())
        if kind is _REGEX:
            return self._regex()
        if kind is _STAR:
            return self._star()
        if kind is _MINUS or kind is _NOT:
            self._enter(i)
            self.i += 1
            operand = self._primary()
            self.depth -= 1
            # Kapacitor takes the comment after parsing the operand: the one
            # before the operand's last token, if nothing took it.
            return ast.Unary(
                self.values[i], operand, self._token_position(i), self._consume_comment()
            )
        raise self._unexpected(i, _PRIMARY_EXPECTED)

    # -- literals -----------------------------------------------------------

    def _number(self) -> ast.Number:
        i = self._expect(_NUMBER)
        text = self.values[i]
        value: int | float | None = None
        octal = False
        if text.isascii():  # Go's strconv takes ASCII digits only
            if "." in text:
                number = float(text)
                if not math.isinf(number):
                    value = number
            else:
                octal = text[0] == "0" and len(text) > 1
                number_int = int(text, 8 if octal else 10) if _is_base(text, octal) else None
                if number_int is not None and number_int <= _INT64_MAX:
                    value = number_int
        if value is None:
            raise self._error(f"illegal number syntax: {go_quote(text)}", i)
        return ast.Number(
            value,
            isinstance(value, int),
            octal,
            self._token_position(i),
            self._consume_comment(),
        )

    def _duration(self) -> ast.Duration:
        i = self._expect(_DURATION)
        text = self.values[i]
        unit = text.lstrip("0123456789")
        digits = text[: len(text) - len(unit)]
        if not digits or unit not in _UNIT_NS or int(digits) > _INT64_MAX:
            raise self._error("invalid duration", i)
        # Go multiplies in int64 and wraps; only a negative result is caught.
        nanoseconds = (int(digits) * _UNIT_NS[unit]) % 2**64
        if nanoseconds > _INT64_MAX:
            raise self._error(
                f"overflowed duration {int(digits)}{unit}: choose a smaller duration or INF", i
            )
        return ast.Duration(text, nanoseconds, self._token_position(i), self._consume_comment())

    def _string(self) -> ast.String:
        i = self._expect(_STRING)
        text = self.values[i]
        if len(text) >= 6 and text.startswith("'''"):
            node = ast.String(text[3:-3], True, self._token_position(i))
        else:
            node = ast.String(text[1:-1].replace("\\'", "'"), False, self._token_position(i))
        node.comment = self._consume_comment()
        return node

    def _reference(self) -> ast.Reference:
        i = self._expect(_REFERENCE)
        return ast.Reference(
            self.values[i][1:-1].replace('\\"', '"'),
            self._token_position(i),
            self._consume_comment(),
        )

    def _regex(self) -> ast.Regex:
        i = self._expect(_REGEX)
        if len(self.values[i]) < 2:  # see lexer._misread_regex; Go's newRegex panics
            raise self._error("regex literal that crashes Kapacitor's parser", i)
        literal = self.values[i][1:-1]
        problem = check_regex(literal.replace("\\/", "/"))
        if problem is not None:
            raise self._error(problem, i)
        return ast.Regex(literal, self._token_position(i), self._consume_comment())

    def _star(self) -> ast.Star:
        i = self._expect(_STAR)
        return ast.Star(self._token_position(i), self._consume_comment())


def _is_base(text: str, octal: bool) -> bool:
    return not octal or all(c in "01234567" for c in text)


def _comment_lines(raw: list[tuple[int, str]]) -> list[str]:
    """Kapacitor's newComment: trim each line, drop blank ones, strip ``//`` and
    one space; consecutive comment tokens are separated by a ``"\\n"`` entry."""
    lines: list[str] = []
    for index, (_, token) in enumerate(raw):
        if index:
            lines.append("\n")
        for line in token.split("\n"):
            line = line.strip(_GO_SPACE)
            if not line:
                continue
            if line.startswith("//"):
                line = line[2:]
            if line.startswith(" "):
                line = line[1:]
            lines.append(line)
    return lines


# strings.TrimSpace trims unicode.IsSpace characters.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
