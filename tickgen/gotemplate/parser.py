"""Go ``text/template`` parser, written from Go's ``text/template/parse/parse.go``.

Method names follow Go's (``parse``, ``textOrAction``, ``action``,
``pipeline``, ``command``, ``operand``, ``term``, ``parseControl``...) and so
do the error messages, which read ``template: NAME:LINE: MSG`` exactly as
``Tree.errorf`` writes them.  Like Go, the parser checks at parse time that
every function named exists (``function "x" not defined``) and that every
variable is declared; the caller passes the function names of the context.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from .lexer import GO125, Item, ItemType, Syntax, go_quote, lex

__all__ = [
    "ActionNode",
    "BoolNode",
    "BranchNode",
    "ChainNode",
    "CommandNode",
    "DotNode",
    "FieldNode",
    "GoTemplateError",
    "IdentifierNode",
    "ListNode",
    "NilNode",
    "Node",
    "NumberNode",
    "PipeNode",
    "StringNode",
    "TemplateNode",
    "TextNode",
    "Tree",
    "VariableNode",
    "parse",
]


class GoTemplateError(ValueError):
    """A template Go would refuse, worded as Go words it."""

    def __init__(self, name: str, line: int, message: str) -> None:
        self.name = name
        self.line = line
        self.message = message
        self.hint = ""  # what would be right, set by the checker
        super().__init__(f"template: {name}:{line}: {message}")


# -- nodes (the subset of Go's parse nodes a checker needs) -------------------------


@dataclass
class Node:
    line: int


@dataclass
class TextNode(Node):
    text: str


@dataclass
class DotNode(Node):
    pass


@dataclass
class NilNode(Node):
    pass


@dataclass
class BoolNode(Node):
    value: bool


@dataclass
class NumberNode(Node):
    text: str


@dataclass
class StringNode(Node):
    value: str


@dataclass
class IdentifierNode(Node):
    name: str


@dataclass
class FieldNode(Node):
    idents: list[str]  # ".A.B" -> ["A", "B"]


@dataclass
class VariableNode(Node):
    idents: list[str]  # "$x.A" -> ["$x", "A"]


@dataclass
class PipeNode(Node):
    decls: list[VariableNode] = field(default_factory=list)
    cmds: list[CommandNode] = field(default_factory=list)
    is_assign: bool = False


@dataclass
class ChainNode(Node):
    node: Node
    fields: list[str]


@dataclass
class CommandNode(Node):
    args: list[Node] = field(default_factory=list)


@dataclass
class ActionNode(Node):
    pipe: PipeNode


@dataclass
class ListNode(Node):
    nodes: list[Node] = field(default_factory=list)


@dataclass
class BranchNode(Node):
    kind: str  # "if", "range" or "with"
    pipe: PipeNode
    list: ListNode
    else_list: ListNode | None


@dataclass
class TemplateNode(Node):
    name: str
    pipe: PipeNode | None


@dataclass
class _End(Node):
    pass


@dataclass
class _Else(Node):
    pass


@dataclass
class LoopControlNode(Node):
    keyword: str  # "break" or "continue"


@dataclass
class Tree:
    """A parsed template: the root list and the templates it defines."""

    name: str
    root: ListNode
    defined: dict[str, ListNode]


_TERM_STARTS = frozenset(
    {
        ItemType.BOOL,
        ItemType.CHAR_CONSTANT,
        ItemType.COMPLEX,
        ItemType.DOT,
        ItemType.FIELD,
        ItemType.IDENTIFIER,
        ItemType.NUMBER,
        ItemType.NIL,
        ItemType.RAW_STRING,
        ItemType.STRING,
        ItemType.VARIABLE,
        ItemType.LEFT_PAREN,
    }
)


class _Parser:
    def __init__(
        self, name: str, items: list[Item], funcs: Collection[str], syntax: Syntax
    ) -> None:
        self.name = name
        self.items = items
        self.index = 0
        self.last = len(items) - 1  # EOF or the lexer's error: read again past the end
        self.funcs = funcs
        self.syntax = syntax
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.action_line = 0
        self.defined: dict[str, ListNode] = {}
        self.furthest = 0  # Go reports the line of the last token read

    # -- errors ---------------------------------------------------------------------

    def errorf(self, message: str, line: int | None = None) -> GoTemplateError:
        if line is None:
            line = self.items[min(max(self.furthest, 1), len(self.items)) - 1].line
        return GoTemplateError(self.name, line, message)

    def unexpected(self, token: Item, context: str) -> GoTemplateError:
        if token.typ is ItemType.ERROR:
            extra = ""
            if self.action_line and self.action_line != token.line:
                extra = f" in action started at {self.name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            return GoTemplateError(self.name, token.line, f"{token}{extra}")
        return GoTemplateError(self.name, token.line, f"unexpected {token} in {context}")

    # -- cursor (Go's next/backup/peek/nextNonSpace/peekNonSpace) --------------------

    def next(self) -> Item:
        index = self.index
        self.index = index + 1
        if self.index > self.furthest:
            self.furthest = self.index
        return self.items[index if index < self.last else self.last]

    def backup(self, count: int = 1) -> None:
        self.index -= count

    def peek(self) -> Item:
        return self.items[self.index if self.index < self.last else self.last]

    def next_non_space(self) -> Item:
        token = self.next()
        while token.typ is ItemType.SPACE:
            token = self.next()
        return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    def expect(self, expected: ItemType, context: str) -> Item:
        token = self.next_non_space()
        if token.typ is not expected:
            raise self.unexpected(token, context)
        return token

    # -- grammar ----------------------------------------------------------------------

    def parse(self) -> ListNode:
        root = ListNode(1)
        while self.peek().typ is not ItemType.EOF:
            if self.peek().typ is ItemType.LEFT_DELIM:
                delim_index = self.index
                delim = self.next()
                if self.next_non_space().typ is ItemType.DEFINE:
                    self.parse_definition(delim.line)
                    continue
                self.index = delim_index  # Go's backup2
            node = self.text_or_action()
            if isinstance(node, _End):
                raise self.errorf("unexpected {{end}}", node.line)
            if isinstance(node, _Else):
                raise self.errorf("unexpected {{else}}", node.line)
            root.nodes.append(node)
        return root

    def parse_definition(self, line: int) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.typ not in (ItemType.STRING, ItemType.RAW_STRING):
            raise self.unexpected(token, context)
        name = self.unquote(token)
        self.expect(ItemType.RIGHT_DELIM, context)
        outer_vars, self.vars = self.vars, ["$"]
        body, end = self.item_list()
        self.vars = outer_vars
        if not isinstance(end, _End):
            raise self.errorf(f"unexpected {self.node_str(end)} in {context}", end.line)
        self.add(name, body, line)

    def add(self, name: str, body: ListNode, line: int) -> None:
        existing = self.defined.get(name)
        if existing is not None and not _is_empty(existing) and not _is_empty(body):
            raise self.errorf(f"template: multiple definition of template {go_quote(name)}", line)
        if existing is None or _is_empty(existing):
            self.defined[name] = body

    def item_list(self) -> tuple[ListNode, Node]:
        nodes = ListNode(self.peek_non_space().line)
        while self.peek_non_space().typ is not ItemType.EOF:
            node = self.text_or_action()
            if isinstance(node, (_End, _Else)):
                return nodes, node
            nodes.nodes.append(node)
        raise self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ is ItemType.TEXT:
            return TextNode(token.line, token.val)
        if token.typ is ItemType.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.typ is ItemType.COMMENT:
            return TextNode(token.line, "")
        raise self.unexpected(token, "input")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ is ItemType.BLOCK:
            return self.block_control(token)
        if typ in (ItemType.BREAK, ItemType.CONTINUE):
            return self.loop_control(token)
        if typ is ItemType.ELSE:
            return self.else_control(token)
        if typ is ItemType.END:
            self.expect(ItemType.RIGHT_DELIM, "end")
            return _End(token.line)
        if typ in (ItemType.IF, ItemType.RANGE, ItemType.WITH):
            return self.parse_control(token.val, token.line)
        if typ is ItemType.TEMPLATE:
            return self.template_control(token)
        self.backup()
        start = self.peek()
        return ActionNode(start.line, self.pipeline("command", ItemType.RIGHT_DELIM))

    def loop_control(self, token: Item) -> Node:
        after = self.next_non_space()
        if after.typ is not ItemType.RIGHT_DELIM:
            raise self.unexpected(after, f"{{{{{token.val}}}}}")
        if self.range_depth == 0:
            raise self.errorf(f"{{{{{token.val}}}}} outside {{{{range}}}}", token.line)
        return LoopControlNode(token.line, token.val)

    def else_control(self, token: Item) -> Node:
        peek = self.peek_non_space()
        if peek.typ is ItemType.IF or (peek.typ is ItemType.WITH and self.syntax.else_with):
            # "{{else if ...}}" is "{{else}}{{if ...}}...{{end}}"; the caller reads the if.
            return _Else(peek.line)
        self.expect(ItemType.RIGHT_DELIM, "else")
        return _Else(token.line)

    def parse_control(self, context: str, line: int) -> BranchNode:
        depth = len(self.vars)
        try:
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, next_node = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(next_node, _Else):
                chained = self.peek().typ
                if context == "if" and chained is ItemType.IF:
                    self.next()
                    else_list = ListNode(next_node.line, [self.parse_control("if", line)])
                elif context == "with" and chained is ItemType.WITH and self.syntax.else_with:
                    self.next()
                    else_list = ListNode(next_node.line, [self.parse_control("with", line)])
                else:
                    else_list, next_node = self.item_list()
                    if not isinstance(next_node, _End):
                        raise self.errorf(
                            f"expected end; found {self.node_str(next_node)}", next_node.line
                        )
            return BranchNode(line, context, pipe, body, else_list)
        finally:
            del self.vars[depth:]

    def template_control(self, token: Item) -> Node:
        context = "template clause"
        name_token = self.next_non_space()
        name = self.parse_template_name(name_token, context)
        pipe = None
        if self.next_non_space().typ is not ItemType.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
        return TemplateNode(token.line, name, pipe)

    def block_control(self, token: Item) -> Node:
        context = "block clause"
        name_token = self.next_non_space()
        name = self.parse_template_name(name_token, context)
        pipe = None
        if self.next_non_space().typ is not ItemType.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, ItemType.RIGHT_DELIM)
        outer_vars, outer_depth = self.vars, self.range_depth
        self.vars, self.range_depth = ["$"], 0
        body, end = self.item_list()
        self.vars, self.range_depth = outer_vars, outer_depth
        if not isinstance(end, _End):
            raise self.errorf(f"unexpected {self.node_str(end)} in {context}", end.line)
        self.add(name, body, token.line)
        return TemplateNode(token.line, name, pipe)

    def parse_template_name(self, token: Item, context: str) -> str:
        if token.typ in (ItemType.STRING, ItemType.RAW_STRING):
            return self.unquote(token)
        raise self.unexpected(token, context)

    def pipeline(self, context: str, end: ItemType) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.line)
        while True:  # Go's "decls:" label
            variable = self.peek_non_space()
            if variable.typ is not ItemType.VARIABLE:
                break
            self.next_non_space()
            variable_index = self.index - 1
            after_variable = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (ItemType.ASSIGN, ItemType.DECLARE):
                pipe.is_assign = nxt.typ is ItemType.ASSIGN
                self.next_non_space()
                pipe.decls.append(VariableNode(variable.line, variable.val.split(".")))
                self.vars.append(variable.val)
            elif nxt.typ is ItemType.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decls.append(VariableNode(variable.line, variable.val.split(".")))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decls) < 2:
                    if self.peek_non_space().typ in (
                        ItemType.VARIABLE,
                        ItemType.RIGHT_DELIM,
                        ItemType.RIGHT_PAREN,
                    ):
                        continue  # the second range variable
                    raise self.errorf("range can only initialize variables")
                raise self.errorf(f"too many declarations in {context}")
            else:
                # Not a declaration: "$x" is an operand (Go's backup2/backup3).
                del after_variable
                self.index = variable_index
            break
        while True:
            token = self.next_non_space()
            if token.typ is end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _TERM_STARTS:
                self.backup()
                pipe.cmds.append(self.command())
                continue
            raise self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.errorf(f"missing value for {context}")
        for i, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                raise self.errorf(f"non executable command in pipeline stage {i + 2}")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().line)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ is ItemType.SPACE:
                continue
            if token.typ in (ItemType.RIGHT_DELIM, ItemType.RIGHT_PAREN):
                self.backup()
            elif token.typ is not ItemType.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not cmd.args:
            raise self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ is ItemType.FIELD:
            fields: list[str] = []
            while self.peek().typ is ItemType.FIELD:
                fields.append(self.next().val[1:])
            if isinstance(node, FieldNode):
                return FieldNode(node.line, node.idents + fields)
            if isinstance(node, VariableNode):
                return VariableNode(node.line, node.idents + fields)
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                raise self.errorf(f"unexpected . after term {go_quote(self.node_str(node))}")
            return ChainNode(node.line, node, fields)
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ is ItemType.IDENTIFIER:
            if token.val not in self.funcs:
                raise self.errorf(f"function {go_quote(token.val)} not defined", token.line)
            return IdentifierNode(token.line, token.val)
        if typ is ItemType.DOT:
            return DotNode(token.line)
        if typ is ItemType.NIL:
            return NilNode(token.line)
        if typ is ItemType.VARIABLE:
            idents = token.val.split(".")
            if idents[0] not in self.vars:
                raise self.errorf(f"undefined variable {go_quote(idents[0])}", token.line)
            return VariableNode(token.line, idents)
        if typ is ItemType.FIELD:
            return FieldNode(token.line, token.val[1:].split("."))
        if typ is ItemType.BOOL:
            return BoolNode(token.line, token.val == "true")
        if typ in (ItemType.CHAR_CONSTANT, ItemType.COMPLEX, ItemType.NUMBER):
            problem = number_problem(token.val, typ)
            if problem:
                raise self.errorf(problem, token.line)
            return NumberNode(token.line, token.val)
        if typ is ItemType.LEFT_PAREN:
            pipe = self.pipeline("parenthesized pipeline", ItemType.RIGHT_PAREN)
            return ChainNode(token.line, pipe, [])
        if typ in (ItemType.STRING, ItemType.RAW_STRING):
            return StringNode(token.line, self.unquote(token))
        self.backup()
        return None

    def unquote(self, token: Item) -> str:
        if token.typ is ItemType.RAW_STRING:
            return token.val[1:-1].replace("\r", "")
        value = go_unquote(token.val)
        if value is None:
            raise self.errorf("invalid syntax", token.line)
        return value

    @staticmethod
    def node_str(node: Node) -> str:
        if isinstance(node, _End):
            return "{{end}}"
        if isinstance(node, _Else):
            return "{{else}}"
        if isinstance(node, BoolNode):
            return "true" if node.value else "false"
        if isinstance(node, StringNode):
            return go_quote(node.value)
        if isinstance(node, NumberNode):
            return node.text
        if isinstance(node, NilNode):
            return "nil"
        return "."


def _is_empty(node: ListNode) -> bool:
    return all(isinstance(n, TextNode) and not n.text.strip() for n in node.nodes)


_ESCAPE = re.compile(
    r"""\\(?:[abfnrtv\\'"]|[0-7]{3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})"""
)


def go_unquote(text: str) -> str | None:
    """Go's ``strconv.Unquote`` for a double-quoted string; None when Go refuses it."""
    body = text[1:-1]
    pos = 0
    out: list[str] = []
    while pos < len(body):
        ch = body[pos]
        if ch == "\\":
            match = _ESCAPE.match(body, pos)
            if match is None or match.group() == "\\'":
                return None
            escape = match.group()
            if escape[1] in "uU" and not _valid_rune(int(escape[2:], 16)):
                return None
            if escape[1] in "01234567" and int(escape[1:], 8) > 255:
                return None
            if escape[1] in "uU":
                out.append(chr(int(escape[2:], 16)))
            else:
                out.append(str(ast.literal_eval(f'"{escape}"')))
            pos = match.end()
            continue
        if ch in '\n"':
            return None
        out.append(ch)
        pos += 1
    return "".join(out)


def _valid_rune(code: int) -> bool:
    return code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


_DIGITS = {"0x": "0123456789abcdef", "0o": "01234567", "0b": "01"}


def number_problem(text: str, typ: ItemType) -> str | None:
    """Why Go's ``newNumber`` refuses ``text``, or None."""
    if typ is ItemType.CHAR_CONSTANT:
        body = text[1:-1]
        if len(body) == 1 and body not in "\\'\n":
            return None
        if body.startswith("\\") and (body == "\\'" or (_ESCAPE.fullmatch(body) and body != '\\"')):
            return None
        return f"malformed character constant: {text}"
    if typ is ItemType.COMPLEX:
        return (
            None
            if _go_float(text[: _complex_split(text)]) is not None
            else (f"illegal number syntax: {go_quote(text)}")
        )
    if text.endswith("i") and _go_float(text[:-1]) is not None:
        return None  # imaginary literal
    if _go_int(text) is not None:
        return None
    if _go_float(text) is not None:
        # Go's newNumber: a float without '.', 'e' or 'p' is an int that did not fit
        if not any(c in text for c in ".eEpP"):
            return f"integer overflow: {go_quote(text)}"
        return None
    return f"illegal number syntax: {go_quote(text)}"


def _complex_split(text: str) -> int:
    for i in range(len(text) - 1, 0, -1):
        if text[i] in "+-" and text[i - 1] not in "eEpP":
            return i
    return len(text)


def _underscores_ok(text: str, base_prefixed: bool) -> bool:
    # Go: underscores only with base 0, each between digits (or after the base prefix).
    if "_" not in text:
        return True
    digits = text[2:] if base_prefixed else text
    if digits.startswith("__") or digits.endswith("_") or "__" in digits:
        return False
    return base_prefixed or not text.startswith("_")


def _go_int(text: str) -> int | None:
    sign = 1
    body = text
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    prefix = body[:2].lower()
    if prefix in _DIGITS:
        digits = body[2:].replace("_", "")
        if not digits or not _underscores_ok(body, True):
            return None
        if any(c.lower() not in _DIGITS[prefix] for c in digits):
            return None
        value = int(digits, {"0x": 16, "0o": 8, "0b": 2}[prefix])
    elif body.startswith("0") and len(body) > 1:
        digits = body[1:].replace("_", "")
        if not _underscores_ok(body, True) or any(c not in "01234567" for c in digits):
            return None
        value = int(digits or "0", 8)
    else:
        if not body.replace("_", "").isdigit() or not _underscores_ok(body, False):
            return None
        value = int(body.replace("_", ""))
    value *= sign
    return value if -(2**63) <= value < 2**64 else None


def _go_float(text: str) -> float | None:
    body = text.lstrip("+-")
    if len(text) - len(body) > 1 or not body:
        return None
    if body[:2].lower() == "0x":
        try:
            return float.fromhex(body.replace("_", ""))
        except ValueError:
            return None
    if "_" in body or not re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", body):
        return None
    return float(body)


def parse(text: str, name: str, funcs: Collection[str], syntax: Syntax = GO125) -> Tree:
    """Parse ``text`` as the template ``name`` with the functions ``funcs``.

    Raises :class:`GoTemplateError` with Go's message for the first error.
    """
    parser = _Parser(name, lex(text, syntax), funcs, syntax)
    # A lexer error ends the item list without EOF, so no rule accepts it: it
    # surfaces through ``unexpected`` with its own message, as in Go.
    root = parser.parse()
    return Tree(name, root, parser.defined)
