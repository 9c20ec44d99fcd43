"""Kapacitor's checks that run after a script is evaluated, with its own messages.

Two kinds, both reported by Kapacitor when a task is created (HTTP 400):

* operators between values outside lambdas, evaluated when a ``var`` is defined
  (``tick/stateful``: ``var x = 1 + 1.0`` is ``mismatched type to binary
  operator``);
* each node's ``validate()`` in ``pipeline/*.go`` (``cannot specify both period
  and periodCount``).

Every rule and message here was observed on a real kapacitord 1.5.9: a table of
type pairs and operators was sent to it, and the cases below are what it said.
"""

from __future__ import annotations

from collections.abc import Callable

from .dag import PipelineNode

__all__ = ["binary_error", "binary_result", "has_node_rules", "node_errors"]

_MATH = {"+", "-", "*", "/", "%"}
_COMPARISON = {"<", "<=", ">", ">="}
_LOGICAL = {"AND", "OR"}
_EQUALITY = {"==", "!="}
_SCALARS = {"int", "float", "string", "duration", "bool"}
# the math operators each type allows on its left
_MATH_FOR = {
    "int": {"+", "-", "*", "/", "%"},
    "float": {"+", "-", "*", "/"},
    "string": {"+"},
    "duration": {"+", "-", "*", "/"},
    "bool": set(),
}
_K8S_KINDS = ("deployments", "replicasets", "replicationcontrollers")
_GO_NAME = {"bool": "boolean"}  # what Kapacitor calls the types in its messages


def _name(type_: str) -> str:
    return _GO_NAME.get(type_, type_)


def binary_error(left: str, op: str, right: str) -> str | None:
    """Kapacitor's complaint about ``left op right`` outside a lambda, or None."""
    if left not in _SCALARS or right not in _SCALARS:
        return None  # regexes, lists, unknowns: nothing known to check
    if op in _MATH and op not in _MATH_FOR[left]:
        return f"invalid math operator {op} for type {_name(left)}"
    if op in _COMPARISON and left == "bool":
        return f"invalid comparison operator {op} for type {_name(left)}"
    if op in _LOGICAL and left != "bool":
        return f"invalid logical operator {op} for type {_name(left)}"
    if op not in (_MATH | _COMPARISON | _LOGICAL | _EQUALITY):
        return None  # =~ and !~ want a regex on the right: not a scalar pair
    if binary_result(left, op, right) is None:
        return (
            f"mismatched type to binary operator. got {_name(left)} {op} {_name(right)}. "
            "see bool(), int(), float(), string(), duration()"
        )
    return None


def binary_result(left: str, op: str, right: str) -> str | None:
    """The type of ``left op right`` for operand types that go together, else None."""
    if op not in _MATH:
        return "bool" if left == right else None
    if left == right:
        if left == "duration" and op == "*":
            return None
        return "unknown" if left == "duration" and op == "/" else left
    numbers = {"int", "float"}
    if left == "duration" and right in numbers and op in ("*", "/"):
        return "duration"
    if left in numbers and right == "duration" and op == "*":
        return "duration"
    return None


def node_errors(node: PipelineNode) -> list[str]:
    """What the node's ``validate()`` says; nothing when a value is not known."""
    check = _NODE_RULES.get(node.kind)
    return check(node) if check is not None else []


def has_node_rules(kind: str) -> bool:
    """Whether :func:`node_errors` looks at a node of ``kind`` at all."""
    return kind in _NODE_RULES


def _set(node: PipelineNode, prop: str) -> bool:
    return prop in node.settings


def _value(node: PipelineNode, prop: str) -> object:
    """The first argument of the last ``.prop()``; None if unset or not a constant."""
    args = node.settings.get(prop, ())
    return args[0] if args else None


def _eval(node: PipelineNode) -> list[str]:
    names = node.as_names or ()
    errors = []
    if len(names) != node.expressions:
        errors.append(
            "must specify same number of expressions and .as() names: "
            f"got {len(names)} as names, and {node.expressions} expressions."
        )
    if None not in names:
        errors.extend(
            f'invalid tag name "{tag}", name is not present is .as() names'
            for tag in node.tags
            if tag is not None and tag not in names
        )
    return errors


def _prefixes(node: PipelineNode) -> list[str]:
    """join and combine: one distinct prefix per input, without the delimiter."""
    kind = node.kind
    if kind == "join":
        count, what = len(node.parents), "joined streams"
    else:
        count, what = node.expressions, "combine expressions"
    names = node.as_names
    if not names:
        return [f"a call to {kind}.as() is required to specify the output stream prefixes."]
    errors = []
    if len(names) != count:
        errors.append(
            f"number of prefixes specified by {kind}.as() must match the number of {what}"
        )
    for name in names:
        if name == "":
            errors.append(
                f"must provide a prefix name for the {kind} node, see .as() property method"
            )
        elif kind == "join" and name is not None and node.delimiter and node.delimiter in name:
            # Kapacitor's own message ends in a tab (a stray \t in its format string)
            errors.append(
                f"cannot use name {name} as field prefix, "
                f'it contains the delimiter "{node.delimiter}"'
            )
        elif kind == "combine" and name is not None and node.delimiter is not None and (
            node.delimiter in name
        ):  # no guard against an empty delimiter here: '' is in every name
            errors.append(
                f"cannot use name {name} as field prefix, "
                f"it contains the delimiter character {node.delimiter}"
            )
    constants = [name for name in names if name is not None]
    if len(set(constants)) != len(constants):
        errors.append("cannot use the same prefix name see .as() property method")
    return errors


def _window(node: PipelineNode) -> list[str]:
    # unset is zero, as in Go; a value not known before run time decides nothing
    period = node.settings.get("period", (0,))[0]
    count = node.settings.get("periodCount", (0,))[0]
    every = node.settings.get("everyCount", (0,))[0]
    counted = isinstance(count, int) and count != 0
    errors = []
    if counted and isinstance(period, int) and period != 0:
        errors.append("cannot specify both period and periodCount")
    if counted and _set(node, "align"):
        errors.append("can only align windows based off time, not count")
    if counted and isinstance(every, int) and every <= 0:
        errors.append("everyCount must be greater than zero")
    return errors


def _barrier(node: PipelineNode) -> list[str]:
    idle = node.settings.get("idle", (0,))[0]
    period = node.settings.get("period", (0,))[0]
    if not (isinstance(idle, int) and isinstance(period, int)):
        return []  # not known before run time
    if idle != 0 and period != 0:
        return ["cannot specify both idle and period"]
    if period == 0 and idle <= 0:
        return ["idle must be greater than zero"]
    if idle == 0 and period <= 0:
        return ["period must be greater than zero"]
    return []


def _http_post(node: PipelineNode) -> list[str]:
    if "unknown" in node.args:
        return []
    if not node.args and not _set(node, "endpoint"):
        return ["must provide url or endpoint"]
    if node.args and _set(node, "endpoint"):
        return ["only one endpoint and url may be specified"]
    return []


def _loopback(node: PipelineNode) -> list[str]:
    errors = []
    if not _set(node, "database"):
        errors.append("must specify a database")
    if not _set(node, "retentionPolicy"):
        errors.append("must specify a retention policy")
    return errors


def _group_by(node: PipelineNode) -> list[str]:
    errors = _dimensions(node.arg_values)
    # .exclude() with no names excludes nothing, and Kapacitor lets it be
    excluded = node.settings.get("exclude", ())
    if excluded and "star" not in node.args and "unknown" not in node.args:
        errors.append("exclude requires '*'")
    return errors


def _from(node: PipelineNode) -> list[str]:
    return _dimensions(node.settings.get("groupBy", ()))


def _dimensions(dims: tuple[object, ...]) -> list[str]:
    if "" in dims:
        return ["dimensions cannot not be the empty string"]  # sic
    return []


def _autoscale(name: str) -> Callable[[PipelineNode], list[str]]:
    tag = f"{name}Tag"
    go_name = name[0].upper() + name[1:]

    def check(node: PipelineNode) -> list[str]:
        errors = []
        if _set(node, name) == _set(node, tag):
            errors.append(f"must specify exactly one of {go_name} or {go_name}Tag")
        kind = _value(node, "kind")
        if tag == "resourceNameTag" and isinstance(kind, str) and kind not in _K8S_KINDS:
            errors.append(
                "invalid Kind, must be 'deployments', 'replicasets' or "
                f"'replicationcontrollers', got {kind}"
            )
        low = _value(node, "min")
        if type(low) is int and low < 1:
            errors.append(f"min must be >= 1, got {low}")
        if not _set(node, "replicas"):
            errors.append("must provide a replicas lambda expression")
        return errors

    return check


_NODE_RULES: dict[str, Callable[[PipelineNode], list[str]]] = {
    "eval": _eval,
    "join": _prefixes,
    "combine": _prefixes,
    "window": _window,
    "barrier": _barrier,
    "httpPost": _http_post,
    "kapacitorLoopback": _loopback,
    "groupBy": _group_by,
    "from": _from,
    "k8sAutoscale": _autoscale("resourceName"),
    "swarmAutoscale": _autoscale("serviceName"),
    "ec2Autoscale": _autoscale("groupName"),
}
