"""Check a TICKscript the way Kapacitor's create/PATCH would, without a server.

Kapacitor evaluates a script into a pipeline by reflection (``tick/eval.go``,
reference §3); this module does the same walk once over the AST, with
:mod:`tickgen.tick.nodes` in place of reflection, and reports what Kapacitor
would reject (errors) and what it would accept but almost certainly not mean
(warnings).  The same walk builds the pipeline that :mod:`tickgen.tick.graph`
prints, numbering nodes exactly as Kapacitor does.

A script that does not parse is not a diagnostic: :func:`check` lets the
parser's :class:`~tickgen.tick.errors.TickSyntaxError` propagate.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Literal, NamedTuple, TypeVar

from ..gotemplate import tick_call_problems
from . import ast
from .dag import TIME_DIMENSION, UNSET, HandlerCall, Pipeline, PipelineNode
from .deferred import Derived, Env, Resolver, ValueRead, has_placeholder, register, resolver
from .nodes import (
    CHAIN_METHODS,
    HANDLERS,
    LAMBDA_FUNCTIONS,
    NODES,
    PROPERTIES,
    SHADOWED,
    Method,
    Version,
    parse_version,
)
from .parser import parse
from .rules import binary_error, binary_result, has_node_rules, node_errors
from .start import DBRP, has_start_rules, node_config_notes, node_start_errors

__all__ = [
    "Analysis",
    "Diagnostic",
    "Severity",
    "Structure",
    "TaskKind",
    "analyse",
    "analyse_structure",
    "check",
]

T = TypeVar("T")

# "note": what only the server's configuration decides (a UDF, a kafka cluster, an
# httppost endpoint); shown, but never an error, not even with --strict.
Severity = Literal["error", "warning", "note"]
TaskKind = Literal["stream", "batch"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"line {self.line}:{self.column}: {self.severity}: {self.message}"


# --- values during evaluation ------------------------------------------------------


class _Value(NamedTuple):  # a NamedTuple: made on every expression, so it must be cheap
    type: str  # a TICKscript type, "node", "handler", "reference" or "unknown"
    const: object = None  # a string's text; a list's tuple of _Values
    node: PipelineNode | None = None
    handler: str | None = None  # for type "handler": which one


# _Value(...) runs the namedtuple's __new__, a Python function; the hot paths
# build the tuple in C instead: _new(_Value, (type, const, node, handler)).
_new = tuple.__new__
_TYPE = itemgetter(0)  # _Value.type
_CONST = itemgetter(1)  # _Value.const
_UNKNOWN = _Value("unknown")
_BOOL, _LAMBDA = _Value("bool"), _Value("lambda")
# literals whose value type needs nothing from the node (dispatch by type: check is hot)
_CONSTANT_TYPES: dict[type, _Value] = {
    ast.Bool: _BOOL,
    ast.Reference: _Value("reference"),
    ast.Regex: _Value("regex"),
    ast.Star: _Value("star"),
}
_STRING_NODE, _IDENTIFIER_NODE, _FUNCTION_NODE = ast.String, ast.Identifier, ast.Function
_CHAIN_NODE, _BINARY_NODE, _LAMBDA_NODE, _NUMBER_NODE = (
    ast.Chain,
    ast.Binary,
    ast.Lambda,
    ast.Number,
)
_DECLARATION_NODE = ast.Declaration
_VAR_TYPES = frozenset(
    ["int", "float", "bool", "string", "regex", "duration", "lambda", "list", "star"]
)
_TAG_IN_TEMPLATE = re.compile(r'index\s+\.Tags\s+"([^"]+)"|\.Tags\.([A-Za-z_][A-Za-z0-9_]*)')
# the properties that property_call looks at beyond recording their arguments
_SPECIAL_PROPERTIES = frozenset(["header", "as", "tags", "delimiter", "groupBy", "on"])
_ARITHMETIC = frozenset(["+", "-", "*", "/", "%"])
_SCALARS = frozenset(["int", "float", "string", "duration", "bool"])
# the alert and handler properties that tickgen.tick.start reads (the checker keeps
# only these: recording every property costs time on every check)
_READ_AT_START = frozenset(["flapping", "mode", "endpoint", "cluster"])
_NOT_IN_LAMBDA = frozenset(["node", "handler", "list", "star"])
_SNMP_TYPES = frozenset(["c", "i", "n", "s", "t"])  # what kapacitord 1.5.9 accepts


@dataclass
class Analysis:
    diagnostics: list[Diagnostic]
    pipeline: Pipeline
    kind: TaskKind | None


def check(
    text_or_program: str | ast.Program,
    kind: TaskKind | None = None,
    *,
    version: str = "1.8",
) -> list[Diagnostic]:
    """Every problem Kapacitor would report on create, plus likely mistakes.

    ``kind`` is the task type the caller expects (by default it is inferred from
    the script as Kapacitor does); ``version`` is the oldest Kapacitor the script
    must run on.  Raises :class:`~tickgen.tick.errors.TickSyntaxError` when the
    text does not parse.  Diagnostics are sorted by position.
    """
    return analyse(text_or_program, kind, version=version).diagnostics


def analyse(
    text_or_program: str | ast.Program,
    kind: TaskKind | None = None,
    *,
    version: str = "1.8",
) -> Analysis:
    """:func:`check`, also returning the pipeline the script builds."""
    program = parse(text_or_program) if isinstance(text_or_program, str) else text_or_program
    return _Checker(parse_version(version), kind).run(program)


# --- the structure phase (see tickgen/shapes.py, "What is still done per alert") ----

Deferred = tuple[Callable[..., object], tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class Structure:
    """The check of a script whose slot values are placeholders (tickgen.tick.deferred).

    ``analysis`` holds what is found whatever the values are (its pipeline
    holds placeholders: it is not for printing); ``deferred`` the checks whose
    finding depends on values: each a function of the slot values whose result
    is true when the full checker would report something.
    """

    analysis: Analysis
    deferred: tuple[Resolver, ...]  # each gives the check's finding for the slot values

    def clean(self, env: Env) -> bool:
        """Whether the full check of the script with the slot values ``env`` reports nothing.

        Never true when it would report something; false also when a deferred
        check fails in a way the checker would not (the caller then runs the
        full checker, which decides).
        """
        if self.analysis.diagnostics:
            return False
        for finding in self.deferred:
            try:
                if finding(env):
                    return False
            except (ValueRead, Exception):  # the full check will say what is wrong
                return False
        return True


def analyse_structure(
    program: ast.Program, kind: TaskKind | None = None, *, version: str = "1.8"
) -> Structure | None:
    """The structure phase of :func:`analyse` for a tree whose literal slots hold
    placeholders; None when the checker reads a value where it does not defer
    (then only the full check of each alert's own values can tell)."""
    checker = _Checker(parse_version(version), kind, structural=True)
    try:
        analysis = checker.run(program)
        # a check resolves as the value derived from its arguments: its finding
        deferred = tuple(resolver(Derived(func, args)) for func, args in checker.deferred)
    except (ValueRead, Exception):
        return None
    return Structure(analysis, deferred)


# The value-dependent parts of the checker, each a function of values alone: the
# full check calls them directly, the structure phase defers them (_Checker.derive
# and _Checker.flag).  A flag function's result is true when there is a finding.


def _negated(const: object, op: str) -> object:
    return -const if isinstance(const, (int, float)) and op == "-" else None


def _is_zero(const: object) -> bool:
    return const == 0


def _concatenated(left: object, right: object) -> str | None:
    return left + right if isinstance(left, str) and isinstance(right, str) else None


def _str_or_none(const: object) -> str | None:
    return const if isinstance(const, str) else None


def _dimension_names(*consts: object) -> frozenset[str] | None:
    if any(not isinstance(c, str) for c in consts):
        return None
    return frozenset(str(c) for c in consts)


def _union(group: frozenset[str] | None, parent: frozenset[str] | None) -> frozenset[str] | None:
    return None if group is None or parent is None else group | parent


def _authenticate(header: object) -> bool:
    return isinstance(header, str) and header.lower() == "authenticate"


def _bad_snmp_type(data_type: object) -> bool:
    return isinstance(data_type, str) and data_type not in _SNMP_TYPES


def _is_empty(const: object) -> bool:
    return const == ""


def _relative_path(path: object) -> bool:
    return isinstance(path, str) and not path.startswith("/")


def _tags_not_grouped(text: object, group: frozenset[str] | None) -> list[str]:
    """The tags the template ``text`` reads that ``group`` (None: any) lacks."""
    if not isinstance(text, str) or group is None:
        return []
    found = []
    for match in _TAG_IN_TEMPLATE.finditer(text):
        tag = match.group(1) or match.group(2)
        if tag not in group:
            found.append(tag)
    return found


class _NodeValues:
    """A pipeline node as a deferred check's argument: it resolves to a copy of the
    node whose value fields (all but its links) hold the alert's values."""

    __slots__ = ("node",)

    def __init__(self, node: PipelineNode) -> None:
        self.node = node


_NODE_LINKS = frozenset(["parent_refs", "children"])
_NODE_VALUE_FIELDS = tuple(
    f.name for f in dataclasses.fields(PipelineNode) if f.name not in _NODE_LINKS
)


def _node_has_placeholder(wrapped: _NodeValues) -> bool:
    node = wrapped.node
    return any(has_placeholder(getattr(node, name)) for name in _NODE_VALUE_FIELDS)


def _node_resolver(wrapped: _NodeValues) -> Resolver:
    """A copy of the node (sharing its links: the rules read len(node.parents))
    with the alert's values in each field that holds a placeholder."""
    node = wrapped.node
    fields_ = [
        (name, resolver(getattr(node, name)))
        for name in _NODE_VALUE_FIELDS
        if has_placeholder(getattr(node, name))
    ]

    def resolved(env: Env) -> PipelineNode:
        copied = object.__new__(PipelineNode)
        copied.__dict__.update(node.__dict__)
        for name, value in fields_:
            setattr(copied, name, value(env))
        return copied

    return resolved


def _handler_has_placeholder(call: HandlerCall) -> bool:
    return has_placeholder(call.args) or has_placeholder(call.settings)


def _handler_resolver(call: HandlerCall) -> Resolver:
    args, settings = resolver(call.args), resolver(call.settings)

    def resolved(env: Env) -> HandlerCall:
        copied = object.__new__(HandlerCall)
        copied.__dict__.update(call.__dict__)
        copied.args, copied.settings = args(env), settings(env)
        return copied

    return resolved


register(_NodeValues, _node_has_placeholder, _node_resolver)
register(HandlerCall, _handler_has_placeholder, _handler_resolver)


def _node_findings(
    node: PipelineNode, dbrps: list[DBRP] | None
) -> list[str]:
    """Every diagnostic the validation of ``node`` gives (the deferred form of
    validate_nodes: any finding makes the alert take the full check)."""
    return node_errors(node) + node_start_errors(node, dbrps) + node_config_notes(node)


def _plainly_fits(method: Method, values: list[_Value]) -> bool:
    """The usual call, settled without arguments(): no argument where none is
    needed, or one (not a list, which would be spread) of a type it takes.
    False means only that arguments() must look."""
    if not values:
        return method.min_args == 0
    if len(values) != 1:
        return False
    value_type = values[0].type
    high = method.max_args
    return (
        value_type != "list"
        and method.min_args <= 1
        and (high is None or high >= 1)
        and (value_type == "unknown" or value_type in method.params[0].types)
    )


def _chain_source(statement: ast.Statement) -> ast.Identifier | None:
    """The leftmost identifier of a top-level chain or of a var's value
    (taskTypeFromProgram in services/task_store/util.go): ``var s = stream``
    counts, a bare top-level ``stream`` does not."""
    kind = type(statement)  # not isinstance: this runs for every statement
    if kind is _DECLARATION_NODE:
        expr = statement.value  # type: ignore[union-attr]
    elif kind is _CHAIN_NODE:
        expr = statement
    else:
        return None
    while isinstance(expr, _CHAIN_NODE):
        expr = expr.left
    return expr if isinstance(expr, ast.Identifier) else None


def _suggest(name: str, candidates: list[str]) -> str:
    by_case = {c.lower(): c for c in candidates}
    match = by_case.get(name.lower())
    if match is None:
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        match = close[0] if close else None
    return f' (did you mean "{match}"?)' if match else ""


class _Checker:
    def __init__(
        self, version: Version, kind: TaskKind | None, *, structural: bool = False
    ) -> None:
        self.version = version
        self.expected = kind
        self.diagnostics: list[Diagnostic] = []
        self.pipeline = Pipeline()
        self.scope: dict[str, _Value] = {}
        self.nodes: list[PipelineNode] = []
        # the structure phase: values may be placeholders (tickgen.tick.deferred)
        self.structural = structural
        self.deferred: list[Deferred] = []

    # -- reading values (the only places that may; see tickgen/shapes.py)

    def derive(self, func: Callable[..., T], *args: object) -> T:
        """``func(*args)``; a placeholder for it when an argument is one."""
        if self.structural and has_placeholder(args):
            return Derived(func, args)  # type: ignore[return-value]
        return func(*args)

    def flag(self, func: Callable[..., T], *args: object) -> T | None:
        """``func(*args)``, a finding when true; when an argument is a placeholder,
        the check is deferred to the value phase and None (no finding) is returned:
        the walk goes on as for values that pass, the only ones it matters for."""
        if self.structural and has_placeholder(args):
            self.deferred.append((func, args))
            return None
        return func(*args)

    # -- reporting

    def error(self, pos: ast.Position, message: str) -> None:
        self.diagnostics.append(Diagnostic(pos.line, pos.column, "error", message))

    def warning(self, pos: ast.Position, message: str) -> None:
        self.diagnostics.append(Diagnostic(pos.line, pos.column, "warning", message))

    def note(self, pos: ast.Position, message: str) -> None:
        self.diagnostics.append(Diagnostic(pos.line, pos.column, "note", message))

    # -- the walk

    def run(self, program: ast.Program) -> Analysis:
        kind = self.task_kind(program)
        for source in ("stream", "batch"):
            # with the type unknown, both are defined: one error, not one per use
            if kind in (source, None):
                node = self.new_node(source, source, ast.Position(), source)
                self.pipeline.add_source(node)
                self.scope[source] = _Value("node", node=node)
        for statement in program.statements:
            self.statement(statement)
        dbrps = [
            (s.db.name, s.rp.name)
            for s in program.statements
            if isinstance(s, ast.DBRP)
        ]
        errors_so_far = any(d.severity == "error" for d in self.diagnostics)
        if kind is not None and not errors_so_far and len(self.nodes) == len(self.pipeline.sources):
            self.error(
                program.statements[0].pos if program.statements else ast.Position(),
                "task does nothing",  # Kapacitor's words: the pipeline is only its source
            )
        self.validate_nodes(dbrps or None)
        self.diagnostics.sort(key=lambda d: (d.line, d.column))
        return Analysis(self.diagnostics, self.pipeline, kind)

    def task_kind(self, program: ast.Program) -> TaskKind | None:
        """The chains must start at ``stream`` or at ``batch``, all at the same one."""
        seen: dict[str, ast.Identifier] = {}
        for statement in program.statements:
            ident = _chain_source(statement)
            if ident is not None and ident.name in ("stream", "batch"):
                seen.setdefault(ident.name, ident)
        if len(seen) == 2:
            later = max(seen.values(), key=lambda i: (i.pos.line, i.pos.column))
            self.error(
                later.pos,
                "the script uses both stream and batch; a task is one or the other "
                '(Kapacitor: "invalid task type: invalid")',
            )
            return self.expected
        if not seen:
            self.error(
                program.statements[0].pos if program.statements else ast.Position(),
                "the script uses neither stream nor batch, so Kapacitor cannot tell the "
                'task type ("invalid task type: invalid")',
            )
            return self.expected
        found: TaskKind = "stream" if "stream" in seen else "batch"
        if self.expected is not None and found != self.expected:
            self.error(
                seen[found].pos,
                f"this is a {found} task, but a {self.expected} task was expected",
            )
        return found  # check the rest as what it is, without a cascade of undefined names

    def statement(self, statement: ast.Statement) -> None:
        if isinstance(statement, _DECLARATION_NODE):
            value = self.expr(statement.value)
            self.define(statement.name, value)
        elif isinstance(statement, ast.TypeDeclaration):
            type_name = statement.type.name
            if type_name not in _VAR_TYPES:
                hint = ""
                if type_name in ("stream", "batch"):
                    hint = " (a var needs '= value': the parser read the next line as its type)"
                self.error(statement.type.pos, f'invalid var type "{type_name}"{hint}')
                self.define(statement.name, _UNKNOWN)
            else:
                # Kapacitor evaluates a template with its typed vars at their zero
                # value: a list is empty (so .as(names) counts 0 names there)
                self.define(statement.name, _Value(type_name, () if type_name == "list" else None))
        elif isinstance(statement, (ast.DBRP, ast.Comment)):
            return
        else:
            self.expr(statement)

    def define(self, name: ast.Identifier, value: _Value) -> None:
        if name.name in self.scope:
            self.error(name.pos, f"attempted to redefine {name.name}, vars are immutable")
            return
        self.scope[name.name] = value

    def lookup(self, ident: ast.Identifier) -> _Value:
        value = self.scope.get(ident.name)
        if value is None:
            self.error(
                ident.pos,
                f'name "{ident.name}" is undefined{_suggest(ident.name, list(self.scope))}',
            )
            return _UNKNOWN
        return value

    # -- expressions

    def expr(self, expr: ast.Expr, in_lambda: bool = False) -> _Value:
        kind = type(expr)
        if kind is _STRING_NODE:
            return _new(_Value, ("string", expr.value, None, None))  # type: ignore[union-attr]
        if kind is _IDENTIFIER_NODE:
            value = self.scope.get(expr.name)  # type: ignore[union-attr]
            if value is None:
                return self.lookup(expr)  # type: ignore[arg-type]
            if in_lambda and value.type in _NOT_IN_LAMBDA:
                self.lambda_var(expr, value)  # type: ignore[arg-type]
            return value
        if kind is _CHAIN_NODE:
            return self.chain(expr)  # type: ignore[arg-type]
        if kind is _BINARY_NODE:
            return self.binary(expr, in_lambda)  # type: ignore[arg-type]
        if kind is _LAMBDA_NODE:
            self.expr(expr.expr, in_lambda=True)  # type: ignore[union-attr]
            return _LAMBDA
        if kind is _NUMBER_NODE:
            return _new(
                _Value,
                ("int" if expr.is_int else "float", expr.value, None, None),  # type: ignore[union-attr]
            )
        # the rest as written (isinstance: a subclass of a node type is that type)
        constant = _CONSTANT_TYPES.get(kind)
        if constant is not None:
            return constant
        if kind is ast.Chain:
            return self.chain(expr)  # type: ignore[arg-type]
        if kind is ast.Identifier:
            return self.lookup(expr)  # type: ignore[arg-type]
        if isinstance(expr, ast.String):
            return _Value("string", expr.value)
        if isinstance(expr, ast.Number):
            return _Value("int" if expr.is_int else "float", expr.value)
        if isinstance(expr, ast.Duration):
            return _Value("duration", expr.nanoseconds)
        if isinstance(expr, ast.List):
            return _Value("list", tuple(self.expr(item) for item in expr.items))
        if isinstance(expr, ast.Lambda):
            self.expr(expr.expr, in_lambda=True)
            return _LAMBDA
        if isinstance(expr, ast.Unary):
            operand = self.expr(expr.operand, in_lambda)
            if expr.op == "!":
                return _BOOL
            if operand.type not in _SCALARS:
                return _UNKNOWN
            return _Value(operand.type, self.derive(_negated, operand.const, expr.op))
        if isinstance(expr, ast.Binary):
            return self.binary(expr, in_lambda)
        assert isinstance(expr, ast.Function)
        return self.global_call(expr, in_lambda)

    def binary(self, expr: ast.Binary, in_lambda: bool) -> _Value:
        # a + b + c nests to the left, one level per operator: walk that spine in a
        # loop (a where filter of a thousand values is a thousand ORs deep)
        spine: list[ast.Binary] = []
        node: ast.Expr = expr
        while isinstance(node, ast.Binary):
            spine.append(node)
            node = node.left
        value = self.expr(node, in_lambda)
        for link in reversed(spine):
            value = self.combine(link, value, self.expr(link.right, in_lambda), in_lambda)
        return value

    def combine(self, expr: ast.Binary, left: _Value, right: _Value, in_lambda: bool) -> _Value:
        if in_lambda:  # fields have no type before run time
            return _UNKNOWN if expr.op in _ARITHMETIC else _BOOL
        # evaluated when the var is defined: var id = name + '-{{.Group}}'
        error = binary_error(left.type, expr.op, right.type)
        if error is not None:
            self.error(expr.pos, error)
            return _UNKNOWN
        if (
            expr.op in ("/", "%")
            and left.type == right.type == "int"
            and self.flag(_is_zero, right.const)
        ):
            self.error(expr.pos, "runtime error: integer divide by zero")  # Go's panic, as is
            return _UNKNOWN
        if expr.op == "+":
            if left.type == right.type == "string":
                # the concatenation, or (a typed var's None) a string not known
                return _Value("string", self.derive(_concatenated, left.const, right.const))
            if isinstance(left.const, str) and isinstance(right.const, str):
                return _Value("string", left.const + right.const)
        result = binary_result(left.type, expr.op, right.type)
        return _Value(result) if result in _SCALARS else _UNKNOWN

    def lambda_var(self, ident: ast.Identifier, value: _Value) -> None:
        """A var in a lambda is replaced by its value as a literal when the script is
        evaluated (resolveIdents in tick/eval.go); not every value can be one."""
        if value.type in ("node", "handler"):
            kind = value.node.kind if value.node is not None else "node"
            self.error(
                ident.pos,
                f"unsupported literal type: {ident.name} is a pipeline node ({kind}), "
                "which a lambda cannot use",
            )
        else:  # a list or * becomes a node the lambda cannot evaluate (when it starts)
            self.error(
                ident.pos,
                f"Given node type is not valid evaluation node: {ident.name} is a "
                f"{value.type}, which a lambda cannot use",
            )

    def global_call(self, func: ast.Function, in_lambda: bool) -> _Value:
        values = [self.expr(arg, in_lambda) for arg in func.args]
        if in_lambda:  # a lambda built-in, resolved per point at run time
            since = LAMBDA_FUNCTIONS.get(func.name)
            if since is None:
                hint = _suggest(func.name, list(LAMBDA_FUNCTIONS))
                self.error(
                    func.pos,
                    f'undefined function: "{func.name}"{hint}'
                    " (Kapacitor creates and starts the task, then fails every point: "
                    "the alert never fires)",
                )
            elif since > self.version:
                self.error(
                    func.pos,
                    f"{func.name}() in a lambda needs Kapacitor {since} or later; "
                    f"the target is {self.version} (where every point fails with "
                    f'undefined function: "{func.name}")',
                )
            return _UNKNOWN
        if func.name == "time":
            # groupByTime(length, offset...) in query.go
            if len(values) > 2:
                self.error(func.pos, f"time() function expects 1 or 2 args, got {len(values)}")
            elif not values or any(v.type not in ("duration", "unknown") for v in values):
                self.error(
                    func.pos,
                    "time() takes a duration and an optional offset, as in time(1m) "
                    "or time(1m, 10s)",
                )
            return _Value("time", TIME_DIMENSION)
        self.error(func.pos, f'no global function "{func.name}" defined')
        return _UNKNOWN

    # -- chains: |node(), .property(), @udf()

    def chain(self, chain: ast.Chain) -> _Value:
        # chains nest to the left; walk the links in a loop, not by recursion, so
        # that a script of a thousand links is no problem
        links: list[ast.Chain] = []
        expr: ast.Expr = chain
        while isinstance(expr, _CHAIN_NODE):
            links.append(expr)
            expr = expr.left
        target = self.expr(expr)
        for link in reversed(links):
            target = self.link(target, link)
        return target

    def link(self, target: _Value, chain: ast.Chain) -> _Value:
        right = chain.right
        if target.type == "unknown":
            if isinstance(right, ast.Function):
                for arg in right.args:
                    self.expr(arg)
            return _UNKNOWN
        node = target.node
        if node is None:
            self.error(chain.pos, f"a {target.type} value has no {chain.op}{right.name}")
            return _UNKNOWN
        if type(right) is not _FUNCTION_NODE and isinstance(right, ast.Identifier):
            return self.property_read(node, right)
        values = list(map(self.expr, right.args))
        op = chain.op
        if "A" <= right.name[0] <= "Z" and op != "@":
            # Kapacitor capitalises the first letter to find the Go method
            # (capitalizeFirst in tick/eval.go): .URL() is .uRL(), |Window() is |window()
            right = dataclasses.replace(right, name=right.name[0].lower() + right.name[1:])
        if op == ".":
            return self.property_call(target, right, values)
        if op == "@":
            return self.udf(node, right)
        if op == "|":
            return self.chain_call(node, right, values)
        return self.property_call(target, right, values)

    def property_read(self, node: PipelineNode, ident: ast.Identifier) -> _Value:
        if ident.name not in PROPERTIES[node.kind]:
            self.error(ident.pos, f'no property "{ident.name}" on {node.kind}')
        return _UNKNOWN

    def udf(self, parent: PipelineNode, func: ast.Function) -> _Value:
        node = self.new_node("udf", func.name, func.pos, "unknown")
        self.pipeline.link(parent, node)
        return _Value("node", node=node)

    def chain_call(self, parent: PipelineNode, func: ast.Function, values: list[_Value]) -> _Value:
        method = CHAIN_METHODS[parent.kind].get(func.name)
        if method is None:
            self.unknown_method(parent.kind, func, "|")
            return _UNKNOWN
        if method.since > self.version:
            self.usable(method, func, "|")
            return _UNKNOWN
        if not (_plainly_fits(method, values) or self.arguments(method, func, values, "|")):
            return _UNKNOWN
        if func.name == "stats":
            return _Value("node", node=self.stats(parent, func, values[0].const))
        if func.name == "deadman":
            return _Value("node", node=self.deadman(parent, func, values[1].const))
        assert method.creates is not None
        spec = NODES[method.creates]
        if spec.wants in ("stream", "batch") and parent.provides not in (spec.wants, "unknown"):
            self.error(
                func.pos,
                f"cannot {func.name[:1].upper()}{func.name[1:]} "
                f"{parent.provides} edge: |{func.name}() needs a {spec.wants} edge",
            )
        provides = parent.provides if spec.provides == "same" else spec.provides
        node = self.new_node(method.creates, spec.desc or func.name, func.pos, provides)
        if func.name == "join":
            # pipeline.Join links this node first, then the others
            self.link_all([parent, *self.node_args(values)], node, func)
        elif func.name == "union":
            # newUnionNode links the others, then the chain links this node
            self.link_all([*self.node_args(values), parent], node, func)
        else:
            self.pipeline.link(parent, node)
        spread = self.spread(values)
        node.args = tuple(map(_TYPE, spread))
        node.arg_values = tuple(map(_CONST, spread))
        if func.name in ("eval", "combine"):
            node.expressions = len(values)
        elif func.name == "groupBy":
            node.own_group = self.group_dims(values, func)
        return _new(_Value, ("node", None, node, None))

    def node_args(self, values: list[_Value]) -> list[PipelineNode]:
        return [v.node for v in self.spread(values) if v.node is not None]

    def link_all(self, parents: list[PipelineNode], node: PipelineNode, func: ast.Function) -> None:
        for parent in parents:
            self.pipeline.link(parent, node)
        edges = {p.provides for p in parents} - {"unknown"}
        if len(edges) > 1:
            self.error(
                func.pos,
                f"|{func.name}() mixes {' and '.join(sorted(edges))} edges "
                '(Kapacitor fails at start: "cannot add child mismatched edges")',
            )

    def stats(self, parent: PipelineNode, func: ast.Function, interval: object) -> PipelineNode:
        # node.Stats: a new source; a parent without children gets a noop child
        stats = self.new_node("stats", "stats", func.pos, "stream")
        stats.arg_values = (interval,)
        self.pipeline.add_source(stats)
        if not parent.children:
            noop = self.new_node("noop", "noop", func.pos, parent.provides)
            self.pipeline.link(parent, noop)
        return stats

    def deadman(self, parent: PipelineNode, func: ast.Function, interval: object) -> PipelineNode:
        # node.Deadman = Stats(interval).Align() |derivative('emitted') |alert()
        stats = self.stats(parent, func, interval)
        derivative = self.new_node("derivative", "derivative", func.pos, "stream")
        self.pipeline.link(stats, derivative)
        alert = self.new_node("alert", "alert", func.pos, "stream")
        self.pipeline.link(derivative, alert)
        alert.own_group = None  # stats points carry no tags of the data
        return alert

    def property_call(self, target: _Value, func: ast.Function, values: list[_Value]) -> _Value:
        node = target.node
        assert node is not None
        name = func.name
        if node.kind == "alert":  # arguments Kapacitor parses as Go templates at task start
            args = [v.const for v in self.spread(values)]
            problems = self.flag(tick_call_problems, target.handler, name, args, self.version)
            for message in problems or ():
                self.error(func.pos, message)
        method: Method | None = None
        if target.handler is not None:
            method = HANDLERS[target.handler].properties.get(name)
            if method is not None and self.ambiguous(node, target.handler, func, values):
                self.warning(
                    func.pos,
                    f".{name}() after .{target.handler}() sets the {target.handler} handler's "
                    f"{name}, not the alert's; if the alert's was meant, write it before the "
                    "first handler",
                )
            if method is not None:
                self.usable(method, func, ".")
                if self.arguments(method, func, values, "."):
                    self.handler_property(target, func, values)
                return target
        if node.kind == "udf":
            return target  # UDF options are declared in Kapacitor's configuration
        method = PROPERTIES[node.kind].get(name)
        if method is None:
            self.unknown_method(node.kind, func, ".", target.handler)
            return _UNKNOWN  # Kapacitor stops here: no cascade over the rest of the chain
        if method.since > self.version:
            ok = self.usable(method, func, ".")
        else:
            ok = _plainly_fits(method, values) or self.arguments(method, func, values, ".")
        if node.kind == "alert":
            return self.alert_property(target, func, values)
        if not ok:
            return target
        node.settings[name] = tuple(map(_CONST, self.spread(values)))
        if name not in _SPECIAL_PROPERTIES:
            return target
        if name == "header" and node.kind == "httpPost":
            self.authenticate_header(func, values, "")
        if name in ("as", "tags"):
            names = tuple(self.derive(_str_or_none, v.const) for v in self.spread(values))
            if name == "as":
                node.as_names = names
            else:
                node.tags = names
        elif name == "delimiter":
            node.delimiter = self.derive(_str_or_none, values[0].const)
        elif name == "groupBy" or (name == "on" and node.kind == "join"):
            node.own_group = self.group_dims(values, func)
        return target

    def handler_property(self, target: _Value, func: ast.Function, values: list[_Value]) -> None:
        """The checks of the alert node's validate() that look at handler properties."""
        assert target.node is not None
        if func.name in _READ_AT_START:
            for call in reversed(target.node.handler_calls):  # the latest of this name
                if call.name == target.handler:
                    call.settings[func.name] = tuple(map(_CONST, self.spread(values)))
                    break
        if target.handler == "post" and func.name == "header":
            self.authenticate_header(func, values, "invalid post: ")
        elif target.handler == "snmpTrap" and func.name == "data":
            oid, data_type = values[0].const, values[1].const
            if self.flag(_bad_snmp_type, data_type):
                self.error(
                    func.pos,
                    f'invalid SNMP trap "{target.const}": unsupported data type "{data_type}" '
                    f'for data entry "{oid}"',
                )

    def authenticate_header(self, func: ast.Function, values: list[_Value], prefix: str) -> None:
        if self.flag(_authenticate, values[0].const):
            self.error(func.pos, f"{prefix}cannot set 'authenticate' header")

    def ambiguous(
        self, node: PipelineNode, handler: str, func: ast.Function, values: list[_Value]
    ) -> bool:
        """Whether a handler property that has the name of an alert property could
        have been meant for the alert (then the handler captures it silently)."""
        name = func.name
        if name not in SHADOWED[handler] or name in HANDLERS:
            # .opsGenie().teams() is how OpsGenie teams are set (Kapacitor's own examples);
            # nobody adds a Teams handler there
            return False
        if name in node.alert_properties:
            return False  # the alert's was set before the first handler: this one is meant
        alert_method = PROPERTIES["alert"][name]
        count = len(self.spread(values))
        high = alert_method.max_args
        # .opsGenie2().details() takes no argument: it cannot be the alert's .details(s)
        return count >= alert_method.min_args and (high is None or count <= high)

    def alert_property(self, target: _Value, func: ast.Function, values: list[_Value]) -> _Value:
        node = target.node
        assert node is not None
        name = func.name
        if name in HANDLERS:
            node.handlers += 1
            if name == "snmpTrap" and values and self.flag(_is_empty, values[0].const):
                self.error(func.pos, 'invalid SNMP trap "": you must supply a trap Oid')
            path = values[0].const if name == "log" and values else None
            if self.flag(_relative_path, path):
                # checked when the task starts: a 500 after the task is stored
                self.error(func.pos, f"log path must be absolute: {path!r}")
            creator_arg = values[0].const if values else None  # the snmpTrap oid, for messages
            args = tuple(map(_CONST, self.spread(values)))
            node.handler_calls.append(HandlerCall(name, args, func.pos))
            return _Value("handler", creator_arg, node=node, handler=name)
        if target.handler is not None:
            self.warning(
                func.pos,
                f".{name}() after .{target.handler}() applies to the alert, but reads as if it "
                "were the handler's; write alert properties before the first handler",
            )
        else:
            node.alert_properties.add(name)
            if name in _READ_AT_START:
                node.settings[name] = tuple(map(_CONST, self.spread(values)))
        if name == "topic":
            node.topic = True
        elif name in ("id", "message", "details") and values:
            # a placeholder is kept: validate_nodes defers the check of the tags it reads
            text = self.derive(_str_or_none, values[0].const)
            if text is not None:
                node.templates.append((name, text, func.pos))
        return target

    # -- method resolution and arguments

    def unknown_method(
        self, kind: str, func: ast.Function, op: str, handler: str | None = None
    ) -> None:
        chain, props = CHAIN_METHODS[kind], PROPERTIES[kind]
        name = func.name
        if op == "|" and name in props:
            self.error(
                func.pos,
                f'no chaining method "{name}" on {kind}, but property does '
                "exist. Use '.' operator instead",
            )
        elif op == "." and name in chain:
            self.error(
                func.pos,
                f'no property method "{name}" on {kind}, but chaining method '
                "does exist. Use '|' operator instead",
            )
        elif op == "|" and NODES[kind].provides == "none":
            self.error(
                func.pos,
                f'no chaining method "{name}" on {kind}: {kind} provides no '
                "edge, so nothing can be chained after it",
            )
        else:
            owner = f"{handler} handler" if handler else kind
            candidates = list(chain if op == "|" else props)
            if handler:
                candidates += list(HANDLERS[handler].properties)
            self.error(
                func.pos, f'no method or property "{name}" on {owner}{_suggest(name, candidates)}'
            )

    def usable(self, method: Method, func: ast.Function, op: str) -> bool:
        if method.since > self.version:
            self.error(
                func.pos,
                f"{op}{method.name}() needs Kapacitor {method.since} or later; "
                f"the target is {self.version}",
            )
            return False
        return True

    def spread(self, values: list[_Value]) -> list[_Value]:
        # tick/eval.go: a call whose only argument is a list gets its items
        if len(values) == 1 and values[0].type == "list":
            items = values[0].const
            assert isinstance(items, tuple)
            return list(items)
        return values

    def arguments(self, method: Method, func: ast.Function, values: list[_Value], op: str) -> bool:
        args: Sequence[_Value] = values
        if len(values) == 1 and values[0].type == "list":  # spread(), without the copy
            args = values[0].const  # type: ignore[assignment]
            assert isinstance(args, tuple)
        count, low, high = len(args), method.min_args, method.max_args
        if count < low or (high is not None and count > high):
            call = f"{op}{method.name}()"
            if high is None:
                wanted = f"at least {low}"
            elif low == high:
                wanted = str(low)
            else:
                wanted = f"{low} to {high}"
            plural = "" if wanted == "1" else "s"
            self.error(func.pos, f"{call} takes {wanted} argument{plural}, got {count}")
            return False
        ok = True
        params = method.params
        bound = len(params)
        for index, value in enumerate(args):
            param = params[index] if index < bound else method.param_for(index)
            assert param is not None
            if value.type in param.types or self.accepts(param.types, value):
                continue
            ok = False
            call = f"{op}{method.name}()"
            wanted = " or ".join(sorted(param.types))
            got = "node" if value.type == "handler" else value.type
            message = f"{call} argument {index + 1} must be {wanted}, got {got}"
            if value.type == "reference" and "string" in param.types:
                message += " (did you use double quotes instead of single quotes?)"
            elif value.type == "int" and "float" in param.types:
                message += " (Kapacitor does not convert numbers: write it with a decimal point)"
            elif value.type in ("int", "float") and "duration" in param.types:
                message += " (a duration needs a unit, as in 10s)"
            self.error(self.arg_pos(func, index, values), message)
        return ok

    @staticmethod
    def accepts(types: frozenset[str], value: _Value) -> bool:
        if value.type == "unknown" or value.type in types:
            return True
        if value.type in ("node", "handler"):
            return "node" in types
        return "any" in types and value.type != "reference"

    @staticmethod
    def arg_pos(func: ast.Function, index: int, values: list[_Value]) -> ast.Position:
        if len(values) == len(func.args) and index < len(func.args):
            return func.args[index].pos
        return func.pos

    # -- nodes

    def new_node(self, kind: str, desc: str, pos: ast.Position, provides: str) -> PipelineNode:
        node = PipelineNode(kind, desc, -1, pos, provides)
        if kind in ("stream", "batch"):
            node.own_group = frozenset()
        self.nodes.append(node)
        return node

    def group_dims(self, values: list[_Value], func: ast.Function) -> frozenset[str] | None:
        """The tags a groupBy groups by; None for '*' or names not known before run time."""
        args = [v for v in self.spread(values) if v.type != "time"]
        types = {v.type for v in args}
        if "star" in types and types & {"string", "unknown"}:
            self.error(func.pos, "cannot group by both '*' and named dimensions.")
        if types != {"string"}:
            return None if args else frozenset()
        return self.derive(_dimension_names, *[v.const for v in args])

    def group_of(
        self, node: PipelineNode, memo: dict[int, frozenset[str] | None]
    ) -> frozenset[str] | None:
        if id(node) in memo:
            return memo[id(node)]
        memo[id(node)] = None  # a cycle cannot happen, but never recurse forever
        group: frozenset[str] | None = node.own_group
        if group is UNSET:  # (a group_dims placeholder is a group set, never UNSET)
            group = frozenset()
            for parent in node.parents:
                group = self.derive(_union, group, self.group_of(parent, memo))
            if not node.parents:
                group = None
        memo[id(node)] = group
        return group

    def validate_nodes(self, dbrps: list[DBRP] | None) -> None:
        """The checks of each node's validate() (reference §3.7) and of its
        constructor when the task starts, and the warnings."""
        memo: dict[int, frozenset[str] | None] = {}
        nodes = self.nodes
        if self.structural:
            # a node holding a placeholder is validated per alert, in full: any finding
            # of it (error, start error or note) sends the alert to the full check;
            # a node of a kind no rule looks at is not (no rule reads its values)
            dbrps_known = not has_placeholder(dbrps)
            nodes = []
            for node in self.nodes:
                if (
                    not (has_node_rules(node.kind) or has_start_rules(node.kind))
                    or (dbrps_known and not has_placeholder(_NodeValues(node)))
                ):
                    nodes.append(node)
                else:
                    self.deferred.append((_node_findings, (_NodeValues(node), dbrps)))
        for node in nodes:
            for message in node_errors(node):
                self.error(node.pos, message)
        # a task starts only once it is defined: what its start would refuse is
        # reported when nothing before does (else it is mostly a cascade: window()
        # has no period because |period(1m) was written instead of .period(1m))
        if not any(d.severity == "error" for d in self.diagnostics):
            for node in nodes:
                for message in node_start_errors(node, dbrps):
                    self.error(node.pos, message)
        for node in nodes:
            for message in node_config_notes(node):
                self.note(node.pos, message)
        for node in self.nodes:
            if node.kind != "alert":
                continue
            if node.handlers == 0 and not node.topic:
                self.warning(
                    node.pos,
                    "alert has no handler and no .topic(): its events "
                    "reach no topic and notify no one",
                )
            group = self.group_of(node, memo)
            for prop, text, pos in node.templates:
                for tag in self.flag(_tags_not_grouped, text, group) or ():
                    self.warning(
                        pos,
                        f'.{prop}() reads tag "{tag}", but the pipeline does '
                        "not group by it, so the alert may not see it",
                    )
