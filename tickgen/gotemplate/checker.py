"""Check a parsed template against its context: what would fail every time it runs.

Go's parser already refuses unknown functions and undeclared variables.  What
it leaves to execution, and what makes that action fail each time it runs, is
reported here in Go's exec wording:

* a field the data does not have: ``can't evaluate field X in type T``
  (struct data only; a map such as ``.Tags`` or ``.Fields`` takes any key,
  a method such as ``.Time.Unix`` or ``.Level.String`` is fine);
* a builtin (or ``json``) called with the wrong number of arguments:
  ``wrong number of args for len: want 1 got 2``;
* ``{{template "x"}}`` of a template the text does not define.

Values of a type we do not follow (``interface{}``, function results,
variables other than ``$``) accept everything, so nothing Go runs is refused.
"""

from __future__ import annotations

import re

from .contexts import ANY, LEVEL, RESULTS, SCALAR, STRING, Context, GoType
from .html import end_context
from .lexer import go_quote
from .parser import (
    ActionNode,
    BoolNode,
    BranchNode,
    ChainNode,
    CommandNode,
    DotNode,
    FieldNode,
    GoTemplateError,
    IdentifierNode,
    ListNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateNode,
    Tree,
    VariableNode,
    parse,
)

__all__ = ["ExecProblem", "check", "check_tree", "template_problem"]


def check(text: str, ctx: Context) -> Tree:
    """Parse ``text`` in ``ctx`` and check it; raise :class:`GoTemplateError`."""
    tree = parse(text, ctx.name, ctx.funcs, ctx.syntax)
    check_tree(tree, ctx)
    return tree


def template_problem(text: str, ctx: Context) -> str | None:
    """Why Kapacitor would refuse or always fail ``text`` in ``ctx``, or None.

    The message is Go's, followed by what would be right: the functions or
    fields the context has.
    """
    if "{{" not in text and ctx.name != "details":
        return None  # only "{{" opens an action: anything else is text Go copies as is
    if ctx.name != "details" and _plain_fields_resolve(text, ctx):
        return None
    return _full_problem(text, ctx)


# An action that is nothing but a field chain of the data, ``{{ .ID }}`` or
# ``{{.Level.String}}``: spaces only, no trim marker, no newline, ASCII names.
_FIELD_ACTION = re.compile(r" *((?:\.[A-Za-z_][A-Za-z0-9_]*)+) *\}\}", re.ASCII)


def _plain_fields_resolve(text: str, ctx: Context) -> bool:
    """Whether every action of ``text`` is a field chain that resolves in ``ctx``.

    Such a template always parses (text between actions is copied as is) and
    the check walks nothing but those chains from the data, as done here, so it
    has no problem; anything else (or a field that does not resolve, for Go's
    wording of the error) goes the full way.  Messages differ per alert (``{{ .ID }}
    is {{ .Level }} on host 7``), so most are new to the cache of kapacitor.py:
    this saves the lex, parse and walk, about 110 us per alert on the benchmark
    corpus.  tests/gotemplate/test_fast_path.py compares it with the full path.
    """
    pieces = text.split("{{")
    for piece in pieces[1:]:
        action = _FIELD_ACTION.match(piece)
        if action is None:
            return False
        current = ctx.data
        for name in action.group(1)[1:].split("."):
            try:
                current = _field(current, name, 0)
            except ExecProblem:
                return False
    return True


def _full_problem(text: str, ctx: Context) -> str | None:
    """:func:`template_problem` by lexing, parsing and walking the whole template."""
    try:
        tree = check(text, ctx)
    except GoTemplateError as error:
        hint = error.hint
        if not hint and "function" in error.message and "not defined" in error.message:
            hint = "the functions here are " + ", ".join(ctx.function_names())
        elif (
            not hint
            and error.message.startswith("unclosed action")
            and "\n" in text
            and not ctx.syntax.newline_in_action
        ):
            hint = f"Go {ctx.syntax.go} does not allow a newline inside {{{{ }}}}"
        elif not hint and error.message.startswith("unclosed action"):
            hint = 'close the action with }}, or write a literal {{ as {{"{{"}}'
        where = f"Go template, Go {ctx.syntax.go} syntax" if not hint else f"Go template; {hint}"
        return f"{error} ({where})"
    state = end_context(tree.root) if ctx.name == "details" else None
    if state == "stateError":
        return (
            "html/template:details: a quote or '<' in an attribute name (Go html/template; "
            "Kapacitor fails every event with it and stops the alert node)"
        )
    if state is not None:
        return (
            f"html/template:details: ends in a non-text context: {state} (Go html/template; "
            "Kapacitor fails every event with it and stops the alert node: close the tag, "
            "the attribute's quote, the comment or the script/style element)"
        )
    return None


class ExecProblem(Exception):
    """An action that fails whenever it runs."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def check_tree(tree: Tree, ctx: Context) -> None:
    """Raise :class:`GoTemplateError` for the first action that always fails."""
    try:
        _Walker(tree, ctx).walk_list(tree.root, ctx.data)
        for body in tree.defined.values():
            _Walker(tree, ctx).walk_list(body, ANY)  # the dot passed in is not followed
    except ExecProblem as problem:
        error = GoTemplateError(tree.name, problem.line, problem.message)
        error.hint = problem.hint
        raise error from None


class _Walker:
    def __init__(self, tree: Tree, ctx: Context) -> None:
        self.tree = tree
        self.ctx = ctx
        self.root = ctx.data

    def walk_list(self, node: ListNode, dot: GoType) -> None:
        for child in node.nodes:
            self.node(child, dot)

    def node(self, node: Node, dot: GoType) -> None:
        if isinstance(node, ActionNode):
            self.pipe(node.pipe, dot)
        elif isinstance(node, BranchNode):
            value = self.pipe(node.pipe, dot)
            inner = dot
            if node.kind == "with":
                inner = value
            elif node.kind == "range":
                inner = value.elem if value.elem is not None else ANY
            self.walk_list(node.list, inner)
            if node.else_list is not None:
                self.walk_list(node.else_list, dot)
        elif isinstance(node, TemplateNode):
            if node.pipe is not None:
                self.pipe(node.pipe, dot)
            if node.name not in self.tree.defined:
                raise ExecProblem(node.line, f"template {go_quote(node.name)} not defined")

    def pipe(self, pipe: PipeNode, dot: GoType) -> GoType:
        result = ANY
        for i, cmd in enumerate(pipe.cmds):
            result = self.command(cmd, dot, piped=i > 0)
        return ANY if pipe.decls else result

    def command(self, cmd: CommandNode, dot: GoType, *, piped: bool) -> GoType:
        first, rest = cmd.args[0], cmd.args[1:]
        types = [self.operand(arg, dot) for arg in rest]
        if isinstance(first, IdentifierNode) and first.name in _COMPARISONS:
            _check_comparison(first.name, cmd, types)
        if isinstance(first, IdentifierNode):
            arity = self.ctx.funcs.get(first.name)
            if arity is not None:
                given = len(rest) + (1 if piped else 0)
                low, high = arity
                if given < low or (high is not None and given > high):
                    want = f"{low}" if high == low else f"at least {low}"
                    raise ExecProblem(
                        cmd.line,
                        f"wrong number of args for {first.name}: want {want} got {given}",
                    )
            return RESULTS.get(first.name, ANY)
        return self.operand(first, dot)

    def operand(self, node: Node, dot: GoType) -> GoType:
        if isinstance(node, FieldNode):
            return self.fields(dot, node.idents, node.line)
        if isinstance(node, VariableNode):
            base = self.root if node.idents[0] == "$" else ANY
            return self.fields(base, node.idents[1:], node.line)
        if isinstance(node, DotNode):
            return dot
        if isinstance(node, ChainNode):
            inner = node.node
            base = (
                self.pipe(inner, dot) if isinstance(inner, PipeNode) else self.operand(inner, dot)
            )
            return self.fields(base, node.fields, node.line)
        if isinstance(node, PipeNode):
            return self.pipe(node, dot)
        if isinstance(node, StringNode):
            return STRING
        if isinstance(node, (BoolNode, NumberNode)):
            return SCALAR
        if isinstance(node, IdentifierNode):
            return RESULTS.get(node.name, ANY)
        return ANY

    def fields(self, base: GoType, idents: list[str], line: int) -> GoType:
        current = base
        for name in idents:
            current = _field(current, name, line)
        return current


_COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})


def _check_comparison(name: str, cmd: CommandNode, types: list[GoType]) -> None:
    """An alert.Level (an int) against a string constant: Go's eq refuses it every time."""
    has_string = any(isinstance(arg, StringNode) for arg in cmd.args[1:])
    if has_string and any(t is LEVEL for t in types):
        raise ExecProblem(
            cmd.line,
            f"error calling {name}: incompatible types for comparison",
            "alert.Level is a number that prints as its name: compare .Level.String "
            'with the string, e.g. eq .Level.String "CRITICAL"',
        )


def _field(receiver: GoType, name: str, line: int) -> GoType:
    """What ``receiver.name`` is, as Go's ``evalField`` resolves it (methods first)."""
    if receiver.kind == "any":
        return ANY
    method = receiver.methods.get(name)
    if method is not None:
        return method
    if receiver.kind == "struct":
        found = receiver.fields.get(name)
        if found is not None:
            return found
    elif receiver.kind == "map":
        # A missing key gives Go's invalid value, on which any further field is
        # "<no value>", not an error: so what follows a key is not checked.
        return ANY
    if receiver.fields:
        hint = "the fields here are " + ", ".join(f".{f}" for f in receiver.field_names())
    else:
        hint = f"a {receiver.name} has no fields"
    if receiver.methods:
        hint += "; its methods are " + ", ".join(f".{m}" for m in sorted(receiver.methods))
    raise ExecProblem(line, f"can't evaluate field {name} in type {receiver.name}", hint)
