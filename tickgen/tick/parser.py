"""TICKscript parser, a port of Kapacitor's ``tick/ast/parser.go``.

One method per rule of the grammar, named as in ``parser.go`` and in its
order; each method's docstring gives the rule it reads.  The grammar is what
``parser.go`` accepts (the EBNF in Kapacitor's ``TICKscript.md`` is stale: it
has no ``dbrp`` and no ``%``)::

    Program     = { Statement } EOF .
    Statement   = "var" Ident ( "=" Expression | Ident )
                | "dbrp" Reference "." Reference
                | Expression .
    Expression  = Ident ChainTail | Func ( ChainTail | { BinOp Primary } )
                | "lambda:" PrimaryExpr | "[" [ ListItem { "," ListItem } [ "," ] ] "]"
                | PrimaryExpr .
    ChainTail   = { "|" Func | "." ( Func | Ident ) | "@" ( Func | Ident ) } .
    Func        = Ident "(" [ Expression { "," Expression } [ "," ] ] ")" .
    ListItem    = Ident | String | "*" .
    PrimaryExpr = Primary { BinOp Primary } .
    Primary     = "(" PrimaryExpr ")" | Number | String | TRUE | FALSE | Duration
                | Regex | "*" | Reference
                | Ident "(" [ PrimaryExpr { "," PrimaryExpr } [ "," ] ] ")"
                | Ident | "-" Primary | "!" Primary .

The places where Kapacitor peeks and *consumes comments* decide which node a
comment ends up on, and the formatter prints comments where they are, so they
are Kapacitor's exactly.  A comment belongs to the token after it;
``consume_comment`` hands out the comment of the token consumed last, once.
Kapacitor keeps a two-token buffer for this; an index into the token list
behaves the same.

Kapacitor recurses without limit; Python cannot, so nesting (parentheses,
unary operators and calls inside one another) deeper than
:data:`MAX_NESTING` is a :class:`TickSyntaxError`.  Chains and runs of binary
operators are loops, not recursion, and have no limit.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right

from . import ast
from .errors import TickSyntaxError
from .formatter import format_program
from .lexer import Token, TokenKind, go_quote, lex
from .re2 import check_regex

__all__ = ["MAX_NESTING", "parse", "parse_canonical", "parse_formatted"]

MAX_NESTING = 100

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
# What a link of a chain makes of the name after it.
_CHAIN_LINKS = {
    TokenKind.DOT: ast.FuncKind.PROPERTY,
    TokenKind.PIPE: ast.FuncKind.CHAIN,
    TokenKind.AT: ast.FuncKind.DYNAMIC,
}
# After an identifier or a global call at the start of an expression, these
# make it a chain (var and an identifier make a chain of no links: the next
# statement starts there).
_CHAIN_FOLLOWS = frozenset(
    {TokenKind.DOT, TokenKind.PIPE, TokenKind.AT, TokenKind.VAR, TokenKind.IDENT}
)
_PRIMARY_EXPECTED = (
    TokenKind.NUMBER,
    TokenKind.STRING,
    TokenKind.DURATION,
    TokenKind.IDENT,
    TokenKind.TRUE,
    TokenKind.FALSE,
    TokenKind.EQUAL,
    TokenKind.LPAREN,
    TokenKind.MINUS,
    TokenKind.NOT,
)
# Looking past the end gives Go's zero token, as a closed channel does.
_ZERO_TOKEN = Token(TokenKind.ERROR, 0, "")

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
_LINE_BREAK = re.compile("\n")


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
    program, canonical, settled = parse_formatted(text)
    if settled:
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


def parse_formatted(text: str) -> tuple[ast.Program, str, bool]:
    """The syntax tree of ``text``, its formatting, and whether that formatting is
    sure to be the canonical text (see :func:`parse_canonical`: it is unless the
    layout may move; then it may still be, formatting again tells)."""
    parser = _Parser(text)
    program = parser.program()
    return program, format_program(program), not parser.layout_may_move


class _Parser:
    """Kapacitor's parser over one text: a cursor over its tokens (``current``,
    ``look``, ``next``, ``accept``, ``expect``, ``consume_comment``) and one
    method per grammar rule."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens, self.comments = lex(text)
        self.tokens.append(_ZERO_TOKEN)
        self.i = 0
        # the next token to consume, tokens[i] (Kapacitor's peek())
        self.current = self.tokens[0]
        self.depth = 0
        # whether formatting may move line breaks into a span that had none
        # (see parse_canonical): comments, multi-line nodes, chains in calls
        self.layout_may_move = bool(self.comments)
        self.ascii = text.isascii()  # then a column counts characters
        # line_starts[n] is where line n + 1 starts
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    # -- token cursor -----------------------------------------------------

    def look(self) -> Token:
        """The token after the current one (Kapacitor: next, peek, backup)."""
        return self.tokens[self.i + 1]

    def next(self) -> Token:
        """Consume the current token."""
        token = self.current
        self.i += 1
        self.current = self.tokens[self.i]
        return token

    def accept(self, kind: TokenKind) -> bool:
        """Consume the current token if it is of ``kind``."""
        if self.current.kind is not kind:
            return False
        self.next()
        return True

    def expect(self, kind: TokenKind) -> Token:
        """Consume the current token, which must be of ``kind``."""
        if self.current.kind is not kind:
            raise self.unexpected(self.current, kind)
        return self.next()

    def consume_comment(self) -> ast.Comment | None:
        """The comment before the token consumed last, which nobody may take again."""
        if not self.comments:
            return None
        return self.comment(self.i - 1)

    def comment(self, index: int) -> ast.Comment | None:
        """Take the comment before token ``index``, if any is left there."""
        tokens = self.comments.pop(index, None)
        if tokens is None:
            return None
        return ast.Comment(_comment_lines(tokens), self.position(tokens[0].start))

    def position(self, offset: int) -> ast.Position:
        line = bisect_right(self.line_starts, offset)
        line_start = self.line_starts[line - 1]
        if self.ascii:
            column = offset - line_start + 1
        else:  # Kapacitor's column counts bytes of UTF-8
            column = len(self.text[line_start:offset].encode("utf-8", "surrogatepass")) + 1
        return ast.Position(offset, line, column)

    def unexpected(self, token: Token, *expected: TokenKind) -> TickSyntaxError:
        """Kapacitor's ``unexpected()``: ``token`` is none of ``expected``."""
        if token.kind is TokenKind.ERROR:
            message = what = token.text  # the lexer's message
        else:
            what = str(token.kind)
            message = f"unexpected {what}"
        return TickSyntaxError(
            message,
            self.text,
            token.start,
            expected=[str(kind) for kind in expected],
            unexpected=what,
        )

    def error(self, message: str, token: Token) -> TickSyntaxError:
        return TickSyntaxError(message, self.text, token.start)

    def enter(self, token: Token) -> None:
        """One level deeper into parentheses, unary operators or calls, at ``token``."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"expression nests more than {MAX_NESTING} levels deep", token)

    def leave(self) -> None:
        self.depth -= 1

    # -- grammar ----------------------------------------------------------

    def program(self) -> ast.Program:
        """Program = { Statement } EOF ."""
        statements: list[ast.Statement] = []
        while self.current.kind is not TokenKind.EOF:
            statements.append(self.statement())
        # Comments after the last statement: the one before the last consumed
        # token if nobody took it, then the one before EOF.
        for index in (self.i - 1, self.i):
            comment = self.comment(index)
            if comment is not None:
                statements.append(comment)
        return ast.Program(statements, self.position(0))

    def statement(self) -> ast.Statement:
        """Statement = "var" ... | "dbrp" ... | Expression ."""
        kind = self.current.kind
        if kind is TokenKind.VAR:
            return self.declaration()
        if kind is TokenKind.DBRP:
            return self.dbrp()
        return self.expression()

    def dbrp(self) -> ast.DBRP:
        """Statement = "dbrp" Reference "." Reference ."""
        token = self.expect(TokenKind.DBRP)
        comment = self.consume_comment()
        db = self.reference()
        self.expect(TokenKind.DOT)
        rp = self.reference()
        return ast.DBRP(db, rp, self.position(token.start), comment)

    def declaration(self) -> ast.Declaration | ast.TypeDeclaration:
        """Statement = "var" Ident ( "=" Expression | Ident ) ."""
        token = self.expect(TokenKind.VAR)
        comment = self.consume_comment()
        name = self.identifier()
        if self.accept(TokenKind.ASGN):
            value = self.expression()
            return ast.Declaration(name, value, self.position(token.start), comment)
        type_name = self.identifier()
        return ast.TypeDeclaration(name, type_name, self.position(token.start), comment)

    def expression(self) -> ast.Expr:
        """Expression = Ident ChainTail | Func ( ChainTail | { BinOp Primary } )
        | "lambda:" PrimaryExpr | "[" ... "]" | PrimaryExpr ."""
        kind = self.current.kind
        if kind is TokenKind.IDENT:
            after = self.look().kind
            if after is TokenKind.LPAREN:
                term = self.function(ast.FuncKind.GLOBAL)
                if self.current.kind in _CHAIN_FOLLOWS:
                    return self.chain(term)
                return self.precedence(term, 0)
            if after in _CHAIN_FOLLOWS:
                return self.chain(self.identifier())
        elif kind is TokenKind.LAMBDA:
            return self.lambda_()
        elif kind is TokenKind.LSBRACKET:
            return self.string_list()
        return self.primary_expr()

    def chain(self, lhs: ast.Expr) -> ast.Expr:
        """ChainTail = { "|" Func | "." ( Func | Ident ) | "@" ( Func | Ident ) } .

        Left-associative; a loop where Kapacitor recurses once per link."""
        while (func_kind := _CHAIN_LINKS.get(self.current.kind)) is not None:
            link = self.next()
            comment = self.consume_comment()
            rhs = self.func_or_ident(func_kind)
            lhs = ast.Chain(lhs, link.text, rhs, self.position(link.start), comment)
        return lhs

    def func_or_ident(self, func_kind: ast.FuncKind) -> ast.Function | ast.Identifier:
        """After ``|`` a Func; after ``.`` or ``@`` a Func if ``(`` follows the
        name, else an Ident."""
        if func_kind is ast.FuncKind.CHAIN or self.look().kind is TokenKind.LPAREN:
            return self.function(func_kind)
        return self.identifier()

    def identifier(self) -> ast.Identifier:
        """Ident."""
        token = self.expect(TokenKind.IDENT)
        return ast.Identifier(token.text, self.position(token.start), self.consume_comment())

    def function(self, func_kind: ast.FuncKind) -> ast.Function:
        """Func = Ident "(" [ Expression { "," Expression } [ "," ] ] ")" ."""
        name = self.expect(TokenKind.IDENT)
        self.enter(name)
        comment = self.consume_comment()
        self.expect(TokenKind.LPAREN)
        args = self.parameters()
        self.expect(TokenKind.RPAREN)
        self.leave()
        return ast.Function(
            name.text,
            args,
            func_kind,
            self.multiline_call(name, args),
            self.position(name.start),
            comment,
        )

    def parameters(self) -> list[ast.Expr]:
        """[ Expression { "," Expression } [ "," ] ], the arguments of a Func."""
        args: list[ast.Expr] = []
        while self.current.kind is not TokenKind.RPAREN:
            arg = self.expression()
            if isinstance(arg, ast.Chain):  # its links go on lines of their own
                self.layout_may_move = True
            args.append(arg)
            if not self.accept(TokenKind.COMMA):
                break
        return args

    def multiline_call(self, name: Token, args: list[ast.Expr]) -> bool:
        """Whether a line break comes between a call's name and its last argument."""
        if not args or self.text.find("\n", name.start, args[-1].pos.offset) == -1:
            return False
        self.layout_may_move = True
        return True

    def string_list(self) -> ast.List:
        """Expression = "[" [ ListItem { "," ListItem } [ "," ] ] "]" ."""
        token = self.expect(TokenKind.LSBRACKET)
        comment = self.consume_comment()
        items: list[ast.Identifier | ast.String | ast.Star] = []
        while self.current.kind is not TokenKind.RSBRACKET:
            items.append(self.string_item())
            if not self.accept(TokenKind.COMMA):
                break
        self.expect(TokenKind.RSBRACKET)
        return ast.List(items, self.position(token.start), comment)

    def string_item(self) -> ast.Identifier | ast.String | ast.Star:
        """ListItem = Ident | String | "*" ."""
        token = self.current
        if token.kind is TokenKind.IDENT:
            return self.identifier()
        if token.kind is TokenKind.STRING:
            return self.string()
        if token.kind is TokenKind.STAR:
            return self.star()
        raise self.unexpected(token, TokenKind.IDENT, TokenKind.STRING, TokenKind.STAR)

    def lambda_(self) -> ast.Lambda:
        """Expression = "lambda:" PrimaryExpr ."""
        token = self.next()
        comment = self.consume_comment()
        expr = self.primary_expr()
        return ast.Lambda(expr, self.position(token.start), comment)

    def primary_expr(self) -> ast.Expr:
        """PrimaryExpr = Primary { BinOp Primary } ."""
        return self.precedence(self.primary(), 0)

    def precedence(self, lhs: ast.Expr, min_precedence: int) -> ast.Expr:
        """{ BinOp Primary } after ``lhs``: precedence climbing, left-associative."""
        look = _PRECEDENCE.get(self.current.kind)
        while look is not None and look >= min_precedence:
            operator = self.next()
            operator_precedence = look
            comment = self.consume_comment()
            rhs = self.primary()
            look = _PRECEDENCE.get(self.current.kind)
            while look is not None and look > operator_precedence:
                rhs = self.precedence(rhs, look)
                look = _PRECEDENCE.get(self.current.kind)
            multiline = self.text.find("\n", lhs.pos.offset, rhs.pos.offset) != -1
            if multiline:
                self.layout_may_move = True
            lhs = ast.Binary(
                operator.text,
                lhs,
                rhs,
                False,
                multiline,
                self.position(operator.start),
                comment,
            )
        return lhs

    def lfunction(self) -> ast.Function:
        """Primary = Ident "(" [ PrimaryExpr { "," PrimaryExpr } [ "," ] ] ")" .

        A call inside a lambda; the comment before the name is not taken (so it
        is lost, as in Kapacitor)."""
        name = self.expect(TokenKind.IDENT)
        self.enter(name)
        self.expect(TokenKind.LPAREN)
        args = self.lparameters()
        self.expect(TokenKind.RPAREN)
        self.leave()
        return ast.Function(
            name.text,
            args,
            ast.FuncKind.GLOBAL,
            self.multiline_call(name, args),
            self.position(name.start),
            None,
        )

    def lparameters(self) -> list[ast.Expr]:
        """[ PrimaryExpr { "," PrimaryExpr } [ "," ] ], the arguments of a call in a lambda."""
        args: list[ast.Expr] = []
        while self.current.kind is not TokenKind.RPAREN:
            args.append(self.primary_expr())
            if not self.accept(TokenKind.COMMA):
                break
        return args

    def primary(self) -> ast.Expr:
        """Primary = "(" PrimaryExpr ")" | Number | String | TRUE | FALSE | Duration
        | Regex | "*" | Reference | Ident "(" ... ")" | Ident | "-" Primary | "!" Primary ."""
        token = self.current
        kind = token.kind
        if kind is TokenKind.STRING:
            return self.string()
        if kind is TokenKind.IDENT:
            if self.look().kind is TokenKind.LPAREN:
                return self.lfunction()
            return self.identifier()
        if kind is TokenKind.REFERENCE:
            return self.reference()
        if kind is TokenKind.NUMBER:
            return self.number()
        if kind is TokenKind.DURATION:
            return self.duration()
        if kind is TokenKind.LPAREN:
            return self.parenthesized()
        if kind is TokenKind.TRUE or kind is TokenKind.FALSE:
            return self.boolean()
        if kind is TokenKind.REGEX:
            return self.regex()
        if kind is TokenKind.STAR:
            return self.star()
        if kind is TokenKind.MINUS or kind is TokenKind.NOT:
            return self.unary()
        raise self.unexpected(token, *_PRIMARY_EXPECTED)

    def parenthesized(self) -> ast.Expr:
        """Primary = "(" PrimaryExpr ")" ; only a binary expression keeps the parentheses."""
        token = self.next()
        self.enter(token)
        comment = self.consume_comment()
        node = self.primary_expr()
        if isinstance(node, ast.Binary):
            node.parens = True
        # Kapacitor sets the comment before "(" even when it is nil,
        # dropping any comment the inner node had.
        node.comment = comment
        self.expect(TokenKind.RPAREN)
        self.leave()
        return node

    def unary(self) -> ast.Unary:
        """Primary = "-" Primary | "!" Primary ."""
        operator = self.next()
        self.enter(operator)
        operand = self.primary()
        self.leave()
        # Kapacitor takes the comment after parsing the operand: the one
        # before the operand's last token, if nothing took it.
        comment = self.consume_comment()
        return ast.Unary(operator.text, operand, self.position(operator.start), comment)

    # -- literals -----------------------------------------------------------

    def duration(self) -> ast.Duration:
        """Duration: digits and a unit, as influxql.ParseDuration reads them."""
        token = self.expect(TokenKind.DURATION)
        text = token.text
        unit = text.lstrip("0123456789")
        digits = text[: len(text) - len(unit)]
        if not digits or unit not in _UNIT_NS or int(digits) > _INT64_MAX:
            raise self.error("invalid duration", token)
        # Go multiplies in int64 and wraps; only a negative result is caught.
        nanoseconds = (int(digits) * _UNIT_NS[unit]) % 2**64
        if nanoseconds > _INT64_MAX:
            raise self.error(
                f"overflowed duration {int(digits)}{unit}: choose a smaller duration or INF",
                token,
            )
        return ast.Duration(text, nanoseconds, self.position(token.start), self.consume_comment())

    def number(self) -> ast.Number:
        """Number: an int64 (octal with a leading 0) or a finite float64, as
        Go's strconv reads it."""
        token = self.expect(TokenKind.NUMBER)
        text = token.text
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
            raise self.error(f"illegal number syntax: {go_quote(text)}", token)
        return ast.Number(
            value,
            isinstance(value, int),
            octal,
            self.position(token.start),
            self.consume_comment(),
        )

    def string(self) -> ast.String:
        """String: ``'...'`` with ``\\'`` unescaped, or ``'''...'''`` as written."""
        token = self.expect(TokenKind.STRING)
        text = token.text
        position = self.position(token.start)
        comment = self.consume_comment()
        if len(text) >= 6 and text.startswith("'''"):
            return ast.String(text[3:-3], True, position, comment)
        return ast.String(text[1:-1].replace("\\'", "'"), False, position, comment)

    def regex(self) -> ast.Regex:
        """Regex: ``/.../``, which must compile as RE2 syntax."""
        token = self.expect(TokenKind.REGEX)
        if len(token.text) < 2:  # see lexer._misread_regex; Go's newRegex panics
            raise self.error("regex literal that crashes Kapacitor's parser", token)
        literal = token.text[1:-1]
        problem = check_regex(literal.replace("\\/", "/"))
        if problem is not None:
            raise self.error(problem, token)
        return ast.Regex(literal, self.position(token.start), self.consume_comment())

    def star(self) -> ast.Star:
        """``*``."""
        token = self.expect(TokenKind.STAR)
        return ast.Star(self.position(token.start), self.consume_comment())

    def reference(self) -> ast.Reference:
        """Reference: ``"..."`` with ``\\"`` unescaped."""
        token = self.expect(TokenKind.REFERENCE)
        name = token.text[1:-1].replace('\\"', '"')
        return ast.Reference(name, self.position(token.start), self.consume_comment())

    def boolean(self) -> ast.Bool:
        """TRUE | FALSE."""
        token = self.next()
        value = token.kind is TokenKind.TRUE
        return ast.Bool(value, self.position(token.start), self.consume_comment())


def _is_base(text: str, octal: bool) -> bool:
    return not octal or all(c in "01234567" for c in text)


def _comment_lines(tokens: list[Token]) -> list[str]:
    """Kapacitor's newComment: trim each line, drop blank ones, strip ``//`` and
    one space; consecutive comment tokens are separated by a ``"\\n"`` entry."""
    lines: list[str] = []
    for index, token in enumerate(tokens):
        if index:
            lines.append("\n")
        for line in token.text.split("\n"):
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
