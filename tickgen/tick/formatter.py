"""Kapacitor's canonical TICKscript layout (``tickfmt``, ``ast.Format``).

Each ``_xxx`` method ports the ``Format(buf, indent, onNewLine)`` method of one
node in Kapacitor's ``tick/ast/node.go``, quirks included: a comment attached to
a node that is not at the start of a line is printed after a line break,
chain links indent from the statement (``|`` at 4 spaces, ``.`` at 8), a list
inside a multi-line call repeats the indent before every item, and a program
ends with a newline (two after a trailing comment).

Chains and left-nested binary operators are walked in loops rather than by
recursion, so a pipeline of any length formats.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from . import ast

__all__ = ["INDENT", "format_number", "format_program"]

INDENT = "    "
_STRING, _IDENTIFIER = ast.String, ast.Identifier


def format_program(program: ast.Program) -> str:
    """The canonical text of a parsed program."""
    out: list[str] = []
    dispatch = _Formatter(out).dispatch
    write = out.append
    try:
        for index, statement in enumerate(program.statements):
            if index:
                write("\n")
            dispatch[type(statement)](statement, "", True)
            write("\n")
    finally:
        # the table's bound methods refer back to the formatter: a reference
        # cycle that only the cyclic collector would free
        dispatch.clear()
    return "".join(out)


def format_number(node: ast.Number) -> str:
    """An int in decimal (octal with a leading 0 if written so), a float in the
    shortest fixed notation that reads back the same, always with a ``.``."""
    value = node.value
    if node.is_int:
        return "0" + format(int(value), "o") if node.octal else str(int(value))
    text = format(Decimal(repr(float(value))), "f")
    return text if "." in text else text + ".0"


class _Formatter:
    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.write = out.append
        self.dispatch: dict[type, Callable[[Any, str, bool], None]] = {
            ast.Comment: self._comment,
            ast.Declaration: self._declaration,
            ast.TypeDeclaration: self._type_declaration,
            ast.DBRP: self._dbrp,
            ast.Chain: self._chain,
            ast.Function: self._function,
            ast.Binary: self._binary,
            ast.Unary: self._unary,
            ast.Lambda: self._lambda,
            ast.List: self._list,
            ast.Number: self._number,
            ast.Duration: self._duration,
            ast.Bool: self._bool,
            ast.String: self._string,
            ast.Reference: self._reference,
            ast.Regex: self._regex,
            ast.Star: self._star,
            ast.Identifier: self._identifier,
        }

    def node(self, node: ast.Statement, indent: str, on_new_line: bool) -> None:
        self.dispatch[type(node)](node, indent, on_new_line)

    def _comment(self, node: ast.Comment, indent: str, on_new_line: bool) -> None:
        write = self.write
        if not on_new_line:
            write("\n")
        for line in node.lines:
            if line == "\n":
                write("\n")
            elif line:
                write(f"{indent}// {line}\n")
            else:
                write(f"{indent}//\n")

    def _start(self, comment: ast.Comment | None, indent: str, on_new_line: bool) -> None:
        """The common opening: the node's comment, then the indent if on a new line."""
        if comment is not None:
            self._comment(comment, indent, on_new_line)
            self.write(indent)
        elif on_new_line:
            self.write(indent)

    # -- statements -----------------------------------------------------------

    def _declaration(self, node: ast.Declaration, indent: str, on_new_line: bool) -> None:
        if node.comment is not None:
            self._comment(node.comment, indent, on_new_line)
        write = self.write
        write("var ")
        name = node.name
        if type(name) is _IDENTIFIER and name.comment is None:
            write(name.name)  # _identifier, not on a new line and without a comment
        else:
            self.node(name, indent, False)
        write(" = ")
        value = node.value
        self.dispatch[type(value)](value, indent, False)

    def _type_declaration(self, node: ast.TypeDeclaration, indent: str, on_new_line: bool) -> None:
        if node.comment is not None:
            self._comment(node.comment, indent, on_new_line)
        self.write("var ")
        self.node(node.name, indent, False)
        self.write(" ")
        self.node(node.type, indent, False)

    def _dbrp(self, node: ast.DBRP, indent: str, on_new_line: bool) -> None:
        if node.comment is not None:
            self._comment(node.comment, indent, on_new_line)
        # Kapacitor writes the names without escaping quotes here.
        self.write(f'{indent}dbrp "{node.db.name}"."{node.rp.name}"')

    # -- expressions ------------------------------------------------------------

    def _chain(self, node: ast.Chain, indent: str, on_new_line: bool) -> None:
        links: list[ast.Chain] = []
        base: ast.Expr = node
        while isinstance(base, ast.Chain):
            links.append(base)
            base = base.left
        dispatch = self.dispatch
        dispatch[type(base)](base, indent, on_new_line)
        write = self.write
        for link in reversed(links):
            write("\n")
            link_indent = indent + INDENT + INDENT if link.op == "." else indent + INDENT
            if link.comment is not None:
                self._comment(link.comment, link_indent, True)
            write(link_indent + link.op)
            right = link.right
            dispatch[type(right)](right, link_indent, False)

    def _function(self, node: ast.Function, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        write = self.write
        write(node.name + "(")
        arg_indent = indent + INDENT
        multiline = node.multiline
        dispatch = self.dispatch
        for index, arg in enumerate(node.args):
            if index:
                write(",\n" if multiline else ", ")
            elif multiline:
                write("\n")
            kind = type(arg)
            # the frequent leaves without a comment inline (_start, then the text)
            if kind is _STRING and arg.comment is None and not arg.triple:  # type: ignore[union-attr]
                if multiline:
                    write(arg_indent)
                write("'" + arg.value.replace("'", "\\'") + "'")  # type: ignore[union-attr]
            elif kind is _IDENTIFIER and arg.comment is None:
                if multiline:
                    write(arg_indent)
                write(arg.name)  # type: ignore[union-attr]
            else:
                dispatch[kind](arg, arg_indent, multiline)
        if multiline and node.args:
            write("\n" + indent)
        write(")")

    def _binary(self, node: ast.Binary, indent: str, on_new_line: bool) -> None:
        # Walk down the left operands first (their openings come first), then
        # write operator and right operand of each on the way back up.
        pending: list[tuple[ast.Binary, str]] = []
        left: ast.Expr = node
        while isinstance(left, ast.Binary):
            self._start(left.comment, indent, on_new_line)
            if left.parens:
                self.write("(")
                indent += INDENT
            pending.append((left, indent))
            left = left.left
            on_new_line = False
        self.node(left, indent, False)
        write = self.write
        for binary, binary_indent in reversed(pending):
            write(f" {binary.op}\n" if binary.multiline else f" {binary.op} ")
            self.node(binary.right, binary_indent, binary.multiline)
            if binary.parens:
                write(")")

    def _unary(self, node: ast.Unary, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write(node.op)
        self.node(node.operand, indent, False)

    def _lambda(self, node: ast.Lambda, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write("lambda: ")
        self.node(node.expr, indent, False)

    def _list(self, node: ast.List, indent: str, on_new_line: bool) -> None:
        if node.comment is not None:
            self._comment(node.comment, indent, on_new_line)
            on_new_line = True
        if on_new_line:
            self.write(indent)
        self.write("[")
        for index, item in enumerate(node.items):
            if index:
                self.write(", ")
            # Kapacitor passes the list's own onNewLine to every item.
            self.node(item, indent, on_new_line)
        self.write("]")

    # -- leaves -----------------------------------------------------------------

    def _number(self, node: ast.Number, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write(format_number(node))

    def _duration(self, node: ast.Duration, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write(node.literal)

    def _bool(self, node: ast.Bool, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write("TRUE" if node.value else "FALSE")

    def _string(self, node: ast.String, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        if node.triple:
            self.write("'''" + node.value + "'''")
        else:
            self.write("'" + node.value.replace("'", "\\'") + "'")

    def _reference(self, node: ast.Reference, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write('"' + node.name.replace('"', '\\"') + '"')

    def _regex(self, node: ast.Regex, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self._end_comment_before_slash()
        self.write("/" + node.literal + "/")

    def _end_comment_before_slash(self) -> None:
        """A blank line between a comment and a regex starting the next line.

        Kapacitor's lexer reads a line whose first non-blank is ``/`` as more of
        the comment on the line before (lexComment), so tickfmt's ``// c`` then
        ``/x/`` on the next line turns the regex into comment text and changes
        the program.  tickgen leaves a blank line there, which ends the comment;
        this is the one place its output differs from tickfmt's.
        """
        out = self.out
        at = len(out)
        while at and not out[at - 1].strip(" "):
            at -= 1  # the indent written after the comment
        if at and out[at - 1].endswith("\n") and out[at - 1].lstrip(" ").startswith("//"):
            out.insert(at, "\n")

    def _star(self, node: ast.Star, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write("*")

    def _identifier(self, node: ast.Identifier, indent: str, on_new_line: bool) -> None:
        self._start(node.comment, indent, on_new_line)
        self.write(node.name)
