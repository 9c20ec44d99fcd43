"""Live tasks back into parameter files, for scripts in the canonical alert layout.

A script is importable when it has the layout Chronograf's rule builder and
tickgen's built-in templates write (reference chronograf.md §4): the var
block with ``triggerType`` naming the template, ``var data = stream|from()``
with the value step, ``var trigger = ...|alert()`` (or ``|deadman()``) with its
properties and handlers, and the influxDBOut and httpOut outputs.  Where
Chronograf's own Reverse (§8) matches substrings, this reads the parsed script
(:func:`tickgen.tick.parse`): the declarations by name and the chains node by
node.  Every import is then rendered and compared with the live script; only
an exact match is written, so an import never changes what runs.  Anything
else is listed with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tickgen import tick
from tickgen.dbrp import DBRP
from tickgen.deploy.ownership import strip_marker
from tickgen.deploy.state import LiveTask
from tickgen.render import Renderer
from tickgen.tick import ast

from .handlers import HandlerBuilder, HandlerReadError, is_handler
from .paramfile import Imported, ImportProblem, first_difference, render_params

TRIGGER_TYPES = ("threshold", "relative", "deadman")
ALERT_DEFAULTS = {
    "idTag": ("id_tag", "alertID"),
    "levelTag": ("level_tag", "level"),
    "messageField": ("message_field", "message"),
    "durationField": ("duration_field", "duration"),
}
LEVELS = ("crit", "warn", "info")
BOUNDS = {"crit": ("lower", "upper"), "warn": ("warnLower", "warnUpper"),
          "info": ("infoLower", "infoUpper")}
# The relative template's eval lambdas: (change, direction) by expression.
RELATIVE_EVALS = {
    'float("current.value" - "past.value")': ("absolute", "either"),
    'abs(float("current.value" - "past.value")) / float("past.value") * 100.0': (
        "percent",
        "either",
    ),
    'float("current.value" - "past.value") / float("past.value") * 100.0': ("percent", "increase"),
    'float("past.value" - "current.value") / float("past.value") * 100.0': ("percent", "decrease"),
}
CHRONOGRAF_OUTPUT = {
    "database": "chronograf",
    "retention_policy": "autogen",
    "measurement": "alerts",
}
# Alert properties whose value comes from a var the var block already gave us.
FROM_VARS = {"message", "id", "idTag", "levelTag", "messageField", "durationField", "details"}


@dataclass
class _Call:
    name: str
    args: list[ast.Expr]
    chain: bool  # |name() rather than .name()


def _flatten(expr: ast.Expr) -> tuple[ast.Expr, list[_Call]]:
    """``a|b().c()|d()`` -> (a, [b, c, d])."""
    calls: list[_Call] = []
    while isinstance(expr, ast.Chain):
        right = expr.right
        if not isinstance(right, ast.Function):
            raise ImportProblem("a chain ends in a bare identifier")
        calls.append(_Call(right.name, list(right.args), expr.op == "|"))
        expr = expr.left
    calls.reverse()
    return expr, calls


def string_value(expr: ast.Expr) -> str | None:
    """The value of a string literal or of a concatenation of them (Kapacitor
    evaluates ``'a' + 'b'`` to ``'ab'``; tickgen writes what no literal holds
    so), None for anything else."""
    if isinstance(expr, ast.String):
        return expr.value
    if isinstance(expr, ast.Binary) and expr.op == "+":
        left, right = string_value(expr.left), string_value(expr.right)
        if left is not None and right is not None:
            return left + right
    return None


def literal(expr: ast.Expr, names: Mapping[str, ast.Expr] | None = None) -> Any:
    """The Python value of a literal (string, number, boolean, duration, list);
    a list item may name a var in ``names`` (Kapacitor resolves it)."""
    text = string_value(expr)
    if text is not None:
        return text
    if isinstance(expr, ast.Number):
        return expr.value
    if isinstance(expr, ast.Bool):
        return expr.value
    if isinstance(expr, ast.Duration):
        return expr.literal
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Number):
        return -expr.operand.value
    if isinstance(expr, ast.List):
        return [
            literal(names[item.name])
            if isinstance(item, ast.Identifier) and names is not None and item.name in names
            else literal(item)
            for item in expr.items
        ]
    raise ImportProblem(f"expected a literal value, found {type(expr).__name__.lower()}")


def _expr_text(expr: ast.Expr) -> str:
    program = ast.Program([expr])
    return tick.format_program(program).strip()


class _Reader:
    def __init__(self, task_id: str, program: ast.Program) -> None:
        self.task_id = task_id
        self.vars: dict[str, ast.Expr] = {}
        self.outputs: list[tuple[ast.Expr, list[_Call]]] = []
        for statement in program.statements:
            if isinstance(statement, ast.Declaration):
                self.vars[statement.name.name] = statement.value
            elif isinstance(statement, ast.Comment):
                continue
            elif isinstance(statement, ast.Chain):
                self.outputs.append(_flatten(statement))
            elif isinstance(statement, ast.Duration):
                # what Chronograf writes for a Go duration such as 10m0s (chronograf.md §5.4)
                raise ImportProblem(
                    f"a stray top-level {statement.literal} (Chronograf's script for a Go "
                    "duration such as 10m0s); fix the duration in Chronograf, or import the rule"
                )
            else:
                raise ImportProblem(f"unexpected top-level {type(statement).__name__.lower()}")
        self.params: dict[str, Any] = {}

    def var(self, name: str) -> Any:
        if name not in self.vars:
            raise ImportProblem(f"no 'var {name}'")
        return literal(self.vars[name], self.vars)

    def string_var(self, name: str) -> str:
        value = self.var(name)
        if not isinstance(value, str):
            raise ImportProblem(f"'var {name}' is not a string")
        return value

    def read(self) -> dict[str, Any]:
        trigger_type = self.vars.get("triggerType")
        if not isinstance(trigger_type, ast.String) or trigger_type.value not in TRIGGER_TYPES:
            raise ImportProblem(
                "not in the layout of Chronograf's rule builder or tickgen "
                "(no var triggerType of threshold, relative or deadman)"
            )
        template = trigger_type.value
        p = self.params
        p["template"] = template
        p["id"] = self.task_id
        name = self.string_var("name")
        if name != self.task_id:
            p["name"] = name
        p["database"] = self.string_var("db")
        rp = self.string_var("rp")
        if rp != "autogen":
            p["retention_policy"] = rp
        p["measurement"] = self.string_var("measurement")
        group_by = self.var("groupBy")
        if group_by:
            p["group_by"] = group_by
        self._where()
        self._id_var(group_by)
        self._texts()
        self._data(template)
        self._trigger(template)
        self._outputs()
        return p

    def _where(self) -> None:
        value = self.vars.get("whereFilter")
        if not isinstance(value, ast.Lambda):
            raise ImportProblem("no 'var whereFilter = lambda: ...'")
        terms: list[ast.Expr] = []
        _split(value.expr, "AND", terms, top=True)
        where: dict[str, list[str]] = {}
        where_not: dict[str, list[str]] = {}
        for term in terms:
            if isinstance(term, ast.Bool) and term.value and len(terms) == 1:
                continue
            if isinstance(term, ast.Function) and term.name == "isPresent":
                self.params["field_present_filter"] = True
                continue
            if not (isinstance(term, ast.Binary) and term.parens):
                raise ImportProblem("the where filter is not made of (tag ==/!= 'value') groups")
            group: list[ast.Expr] = []
            if term.op in ("AND", "OR"):
                _split(term, term.op, group, top=True)
            else:
                group.append(term)
            accepted = term.op == "OR" or (len(group) == 1 and _op(group[0]) == "==")
            target = where if accepted else where_not
            for item in group:
                tag, op, tag_value = _tag_test(item)
                if (op == "==") != (target is where):
                    raise ImportProblem("a where group mixes == and !=")
                target.setdefault(tag, []).append(tag_value)
        if where:
            self.params["where"] = where
        if where_not:
            self.params["where_not"] = where_not

    def _id_var(self, group_by: list[str]) -> None:
        value = self.vars.get("idVar")
        default = "name + '-{{.Group}}'" if group_by else "name"
        if value is None:
            raise ImportProblem("no 'var idVar'")
        if _expr_text(value) == default:
            return
        text = string_value(value)
        if text is not None:
            self.params["alert_id"] = text
            return
        raise ImportProblem(f"var idVar = {_expr_text(value)} cannot be written as a parameter")

    def _texts(self) -> None:
        p = self.params
        message = self.string_var("message")
        if message:
            p["message"] = message
        if "details" in self.vars:
            p["details"] = self.string_var("details")
        for var, (param, default) in ALERT_DEFAULTS.items():
            value = self.string_var(var)
            if value != default:
                p[param] = value
        if "outputDB" in self.vars:
            out = {
                "database": self.string_var("outputDB"),
                "retention_policy": self.string_var("outputRP"),
                "measurement": self.string_var("outputMeasurement"),
            }
            if out != CHRONOGRAF_OUTPUT:
                p["influxdb_out"] = out
        else:
            p["influxdb_out"] = None

    def _data(self, template: str) -> None:
        if "data" not in self.vars:
            raise ImportProblem("no 'var data'")
        base, calls = _flatten(self.vars["data"])
        if not (isinstance(base, ast.Identifier) and base.name == "stream"):
            raise ImportProblem("var data is not stream|from() (batch tasks are not imported)")
        steps = [c for c in calls if c.chain]
        if not steps or steps[0].name != "from":
            raise ImportProblem("var data has no |from()")
        rest = steps[1:]
        if template == "deadman":
            if rest:
                raise ImportProblem("a deadman's var data has a value step")
            self.params["period"] = self.var("period")
            return
        if len(rest) == 2 and rest[0].name == "window":
            function = rest[1]
            args = [literal(a) for a in function.args]
            if not args or not isinstance(args[0], str):
                raise ImportProblem(f"|{function.name}() has no field")
            self.params["field"] = args[0]
            aggregate: dict[str, Any] = {
                "function": function.name,
                "period": self.var("period"),
                "every": self.var("every"),
            }
            if len(args) == 2:
                aggregate["percentile"] = args[1]
            self.params["aggregate"] = aggregate
        elif len(rest) == 1 and rest[0].name == "eval":
            lam = rest[0].args[0] if rest[0].args else None
            if not (isinstance(lam, ast.Lambda) and isinstance(lam.expr, ast.Reference)):
                raise ImportProblem('the value step is not |eval(lambda: "field")')
            self.params["field"] = lam.expr.name
        else:
            raise ImportProblem("the value step is neither |window()|<aggregate>() nor |eval()")

    def _trigger(self, template: str) -> None:
        if "trigger" not in self.vars:
            raise ImportProblem("no 'var trigger'")
        _, calls = _flatten(self.vars["trigger"])
        if template == "relative":
            self.params["shift"] = self.var("shift")
            evals = [c for c in calls if c.chain and c.name == "eval"]
            if len(evals) != 1 or not isinstance(evals[0].args[0], ast.Lambda):
                raise ImportProblem("the relative trigger has no |eval(lambda: ...) of the change")
            change = RELATIVE_EVALS.get(_expr_text(evals[0].args[0].expr))
            if change is None:
                raise ImportProblem("the relative change is not one tickgen writes")
            self.params["change"] = change[0]
            if change[1] != "either":
                self.params["direction"] = change[1]
        head = "deadman" if template == "deadman" else "alert"
        at = next((i for i, c in enumerate(calls) if c.chain and c.name == head), None)
        if at is None:
            raise ImportProblem(f"var trigger has no |{head}()")
        if template == "deadman":
            threshold = self.var("threshold")
            if threshold != 0:
                self.params["threshold"] = threshold
        self._alert_properties(calls[at + 1 :])

    def _alert_properties(self, calls: list[_Call]) -> None:
        p = self.params
        p["state_changes_only"] = False
        handlers: list[HandlerBuilder] = []
        for call in calls:
            if call.chain:
                raise ImportProblem(f"|{call.name}() after the alert node")
            name = call.name
            try:
                if handlers and handlers[-1].knows(name):
                    handlers[-1].add(name, [literal(a) for a in call.args])
                elif is_handler(name):
                    handlers.append(HandlerBuilder(name, [literal(a) for a in call.args]))
                elif handlers:
                    raise ImportProblem(f".{name}() after a handler is not what tickgen writes")
                else:
                    self._alert_property(call)
            except HandlerReadError as exc:
                raise ImportProblem(str(exc)) from None
        if handlers:
            p["handlers"] = [h.params for h in handlers]
        if p["state_changes_only"] is True:
            del p["state_changes_only"]  # the default

    def _alert_property(self, call: _Call) -> None:
        p, name, args = self.params, call.name, call.args
        if name in LEVELS:
            p[name] = self._condition(name, args)
        elif name.endswith("Reset") and name[:-5] in LEVELS:
            level = p.get(name[:-5])
            if not isinstance(level, dict):
                raise ImportProblem(f".{name}() before its level")
            level["reset"] = self._comparison(name, args)
        elif name == "stateChangesOnly":
            p["state_changes_only"] = literal(args[0]) if args else True
        elif name in FROM_VARS:
            return
        elif name in ("levelField", "idField", "category", "topic"):
            key = {"levelField": "level_field", "idField": "id_field"}.get(name, name)
            p[key] = literal(args[0])
        elif name == "history":
            p["history"] = literal(args[0])
        elif name in ("all", "noRecoveries"):
            p["no_recoveries" if name == "noRecoveries" else "all"] = True
        elif name == "inhibit":
            values = [literal(a) for a in args]
            p.setdefault("inhibit", []).append({"category": values[0], "tags": values[1:]})
        elif name == "flapping":
            low, high = (literal(a) for a in args)
            p["flapping"] = {"low": low, "high": high}
        else:
            raise ImportProblem(f"alert property .{name}() is not one tickgen writes")

    def _lambda(self, name: str, args: list[ast.Expr]) -> ast.Expr:
        if len(args) != 1 or not isinstance(args[0], ast.Lambda):
            raise ImportProblem(f".{name}() is not a lambda")
        return args[0].expr

    def _comparison(self, name: str, args: list[ast.Expr]) -> dict[str, Any]:
        expr = self._lambda(name, args)
        if not (
            isinstance(expr, ast.Binary)
            and _is_value(expr.left)
            and isinstance(expr.right, ast.Identifier)
            and expr.right.name == name
        ):
            raise ImportProblem(f'.{name}() is not lambda: "value" <op> {name}')
        return {"op": expr.op, "value": self.var(name)}

    def _condition(self, level: str, args: list[ast.Expr]) -> dict[str, Any]:
        expr = self._lambda(level, args)
        lower, upper = BOUNDS[level]
        if isinstance(expr, ast.Binary) and expr.op in ("AND", "OR"):
            text = _expr_text(expr)
            inside = f'"value" >= {lower} AND "value" <= {upper}'
            outside = f'"value" < {lower} OR "value" > {upper}'
            if text not in (inside, outside):
                raise ImportProblem(f".{level}() is not a range test tickgen writes")
            return {"op": "inside" if text == inside else "outside",
                    "lower": self.var(lower), "upper": self.var(upper)}
        return self._comparison(level, args)

    def _outputs(self) -> None:
        http_out: str | None = None
        influx = False
        for base, calls in self.outputs:
            if not (isinstance(base, ast.Identifier) and base.name == "trigger"):
                raise ImportProblem("a top-level chain does not start from trigger")
            names = [c.name for c in calls if c.chain]
            if names and names[-1] == "httpOut":
                http_out = literal(calls[-1].args[0])
            elif names and names[-1] == "influxDBOut":
                influx = True
            else:
                raise ImportProblem(f"output chain |{'|'.join(names)} is not one tickgen writes")
        if influx != ("outputDB" in self.vars):
            raise ImportProblem("the influxDBOut output and its vars do not go together")
        if http_out != "output":
            self.params["http_out"] = http_out


def _split(expr: ast.Expr, op: str, out: list[ast.Expr], *, top: bool) -> None:
    """Flatten ``a op b op c`` (not crossing parentheses below the top)."""
    if isinstance(expr, ast.Binary) and expr.op == op and (top or not expr.parens):
        _split(expr.left, op, out, top=False)
        _split(expr.right, op, out, top=False)
    else:
        out.append(expr)


def _op(expr: ast.Expr) -> str:
    return expr.op if isinstance(expr, ast.Binary) else ""


def _is_value(expr: ast.Expr) -> bool:
    return isinstance(expr, ast.Reference) and expr.name == "value"


def _tag_test(expr: ast.Expr) -> tuple[str, str, str]:
    if (
        isinstance(expr, ast.Binary)
        and expr.op in ("==", "!=")
        and isinstance(expr.left, ast.Reference)
        and (value := string_value(expr.right)) is not None
    ):
        return expr.left.name, expr.op, value
    raise ImportProblem("the where filter has a term other than \"tag\" ==/!= 'value'")


def params_from_script(task_id: str, script: str) -> dict[str, Any]:
    """The parameters of a script in the canonical layout; ImportProblem if it is not."""
    try:
        program = tick.parse(strip_marker(script))
    except tick.TickSyntaxError as exc:
        raise ImportProblem(f"the script does not parse: {exc}") from None
    return _Reader(task_id, program).read()


def import_task(task: LiveTask, renderer: Renderer) -> Imported:
    """One live task as parameters, checked by rendering them back to the same script."""
    try:
        params = params_from_script(task.id, task.script)
        if task.dbrps != (DBRP(params["database"], params.get("retention_policy", "autogen")),):
            params["dbrps"] = [dbrp.to_json() for dbrp in task.dbrps]
        if task.status == "disabled":
            params["status"] = "disabled"
        rendered = render_params(params, renderer)
    except ImportProblem as exc:
        return Imported(task.id, reason=str(exc))
    live = strip_marker(task.script)
    if rendered.script != live:
        return Imported(
            task.id,
            reason="the parameters read back render a different script: "
            + first_difference(live, rendered.script),
        )
    return Imported(task.id, params=params)


def import_tasks(tasks: Iterable[LiveTask], renderer: Renderer) -> list[Imported]:
    return [import_task(task, renderer) for task in tasks]
