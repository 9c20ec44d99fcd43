"""Kapacitor's pipeline nodes and alert handlers, as one table.

The facts come from the project's Kapacitor reference (§3.2-3.5, itself read in
``pipeline/*.go`` of influxdata/kapacitor at tag v1.5.9 and at HEAD, v1.8.x), with
the id numbering, the ``.as()`` rules, the stats/deadman wiring and the task type
rule checked again in that source.  Kapacitor resolves ``|name()``, ``.name()``
and ``@name()`` by reflection over Go types; this module writes those types down
as data so that
:mod:`tickgen.tick.checker` can resolve a call with two dict lookups and
:mod:`tickgen.tick.graph` can name nodes as Kapacitor does.

How to read a signature string (the values of the tables below)::

    ""                       no arguments
    "string"                 exactly one string
    "float duration lambda..."   two fixed, then any number of lambdas
    "duration?"              zero or one duration
    "int|duration"           a union: either type is accepted
    "string... @1.6.3"       the method first appears in Kapacitor 1.6.3

Argument types are TICKscript's (reference §1.4): ``string int float bool
duration lambda regex star list`` plus ``any`` (a Go ``interface{}``), ``node`` (a
pipeline node, for ``join``/``union``) and ``time`` (what the global ``time(1m)``
returns).  Kapacitor converts nothing: an int is not a float and a number is not
a duration.

Edges (reference §3.2): ``wants`` is the edge a node accepts (``any`` = whatever
its parent provides); ``provides`` is what it emits, ``same`` meaning the edge it
received and ``none`` meaning nothing can be chained after it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple


class Version(NamedTuple):
    major: int
    minor: int
    patch: int = 0

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")


@functools.lru_cache(maxsize=64)  # called on every check with the same few strings
def parse_version(text: str) -> Version:
    """``"1.5"``, ``"1.6.3"`` or ``"v1.8.3"`` as a comparable :class:`Version`."""
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a Kapacitor version: {text!r} (expected e.g. 1.5 or 1.6.3)")
    major, minor, patch = match.groups()
    return Version(int(major), int(minor), int(patch or 0))


BASELINE = Version(1, 5)  # everything not marked otherwise exists in v1.5.9
LATEST = Version(1, 8, 3)

TYPES = frozenset(
    [
        "string",
        "int",
        "float",
        "bool",
        "duration",
        "lambda",
        "regex",
        "star",
        "list",
        "any",
        "node",
        "time",
    ]
)


@dataclass(frozen=True, slots=True)
class Param:
    types: frozenset[str]
    variadic: bool = False  # "type...": zero or more
    optional: bool = False  # "type?": zero or one

    def __str__(self) -> str:
        text = "|".join(sorted(self.types))
        return text + ("..." if self.variadic else "?" if self.optional else "")


@dataclass(frozen=True, slots=True)
class Method:
    """One ``|name()`` or ``.name()``; ``creates`` names what a call returns."""

    name: str
    params: tuple[Param, ...]
    since: Version = BASELINE
    creates: str | None = None  # a node kind (chain methods) or a handler (alert)
    min_args: int = field(init=False)
    max_args: int | None = field(init=False)  # None: no limit

    def __post_init__(self) -> None:
        # computed once: the checker asks on every call it checks
        required = sum(1 for p in self.params if not (p.variadic or p.optional))
        unlimited = any(p.variadic for p in self.params)
        object.__setattr__(self, "min_args", required)
        object.__setattr__(self, "max_args", None if unlimited else len(self.params))

    def param_for(self, index: int) -> Param | None:
        """The parameter that the ``index``-th argument binds to."""
        if index < len(self.params):
            return self.params[index]
        if self.params and self.params[-1].variadic:
            return self.params[-1]
        return None


def _method(name: str, signature: str, creates: str | None = None) -> Method:
    since = BASELINE
    words = signature.split()
    if words and words[-1].startswith("@"):
        since = parse_version(words.pop()[1:])
    params = []
    for word in words:
        variadic, optional = word.endswith("..."), word.endswith("?")
        types = frozenset(word.rstrip(".?").split("|"))
        if not types <= TYPES:
            raise ValueError(f"unknown type in {name}({signature})")
        params.append(Param(types, variadic, optional))
    return Method(name, tuple(params), since, creates)


def _methods(table: Mapping[str, str]) -> dict[str, Method]:
    return {name: _method(name, signature) for name, signature in table.items()}


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """A pipeline node type.  ``desc`` is Kapacitor's name prefix (``http_out``
    in ``http_out10``); ``None`` means the name of the method that created it
    (InfluxQL functions and UDFs)."""

    kind: str
    desc: str | None
    wants: str  # "stream" | "batch" | "any" | "none" (a source)
    provides: str  # "stream" | "batch" | "same" | "none"
    properties: Mapping[str, Method]
    chain: Mapping[str, Method] = field(default_factory=dict)  # beyond the common ones
    common_chain: bool = True  # has §3.3's chaining methods
    since: Version = BASELINE


@dataclass(frozen=True, slots=True)
class HandlerSpec:
    """An alert handler: ``.name(args)`` on an alert returns the handler, whose
    own properties come first and therefore shadow the alert's of the same name."""

    creator: Method
    properties: Mapping[str, Method]

    @property
    def name(self) -> str:
        return self.creator.name


# --- chaining methods that every chain node has (reference §3.3) ----------------

# name -> (signature, node kind created)
_COMMON_CHAIN: dict[str, tuple[str, str]] = {
    "alert": ("", "alert"),
    "barrier": ("", "barrier"),
    "changeDetect": ("string...", "changeDetect"),
    "combine": ("lambda...", "combine"),
    "default": ("", "default"),
    "delete": ("", "delete"),
    "derivative": ("string", "derivative"),
    "eval": ("lambda...", "eval"),
    "flatten": ("", "flatten"),
    "groupBy": ("string|star...", "groupBy"),
    "httpOut": ("string", "httpOut"),
    "httpPost": ("string?", "httpPost"),
    "influxDBOut": ("", "influxDBOut"),
    "join": ("node...", "join"),
    "kapacitorLoopback": ("", "kapacitorLoopback"),
    "log": ("", "log"),
    "sample": ("int|duration", "sample"),
    "shift": ("duration", "shift"),
    "sideload": ("", "sideload"),
    "stateCount": ("lambda", "stateCount"),
    "stateDuration": ("lambda", "stateDuration"),
    "union": ("node...", "union"),
    "where": ("lambda", "where"),
    "window": ("", "window"),
    "trickle": ("@1.6", "trickle"),
    "k8sAutoscale": ("", "k8sAutoscale"),
    "swarmAutoscale": ("", "swarmAutoscale"),
    "ec2Autoscale": ("", "ec2Autoscale"),
    # InfluxQL functions: the node is named after the function (mean3, top4)
    "count": ("string", "aggregate"),
    "distinct": ("string", "batchSelector"),
    "mean": ("string", "aggregate"),
    "median": ("string", "aggregate"),
    "mode": ("string", "aggregate"),
    "spread": ("string", "aggregate"),
    "sum": ("string", "aggregate"),
    "first": ("string", "aggregate"),
    "last": ("string", "aggregate"),
    "min": ("string", "aggregate"),
    "max": ("string", "aggregate"),
    "stddev": ("string", "aggregate"),
    "percentile": ("string float", "aggregate"),
    "top": ("int string string...", "batchSelector"),
    "bottom": ("int string string...", "batchSelector"),
    "holtWinters": ("string int int duration", "batchSelector"),
    "holtWintersWithFit": ("string int int duration", "batchSelector"),
    "elapsed": ("string duration", "transform"),
    "difference": ("string", "transform"),
    "movingAverage": ("string int", "transform"),
    "cumulativeSum": ("string", "transform"),
}

# every node, chain node or not, has these (pipeline/node.go)
_EVERY_NODE_CHAIN: dict[str, tuple[str, str]] = {
    "stats": ("duration", "stats"),
    "deadman": ("float duration lambda...", "alert"),
}

COMMON_CHAIN: dict[str, Method] = {
    name: _method(name, sig, kind) for name, (sig, kind) in _COMMON_CHAIN.items()
}
EVERY_NODE_CHAIN: dict[str, Method] = {
    name: _method(name, sig, kind) for name, (sig, kind) in _EVERY_NODE_CHAIN.items()
}
EVERY_NODE_PROPERTIES: dict[str, Method] = _methods({"quiet": ""})

# --- alert properties and handlers (reference §3.4 alert, §3.5) ------------------

ALERT_PROPERTIES: dict[str, Method] = _methods(
    {
        "topic": "string",
        "id": "string",
        "message": "string",
        "details": "string",
        "category": "string",
        "info": "lambda",
        "warn": "lambda",
        "crit": "lambda",
        "infoReset": "lambda",
        "warnReset": "lambda",
        "critReset": "lambda",
        "history": "int",
        "levelTag": "string",
        "levelField": "string",
        "messageField": "string",
        "durationField": "string",
        "idTag": "string",
        "idField": "string",
        "all": "",
        "noRecoveries": "",
        # Go: StateChangesOnly(maxInterval ...time.Duration), reads only the first
        "stateChangesOnly": "duration...",
        "flapping": "float float",
        "inhibit": "string string...",
        # settable Go fields that the docs hide
        "flapLow": "float",
        "flapHigh": "float",
        "stateChangesOnlyDuration": "duration",
    }
)

# creator signature, then the handler's own properties
_HANDLERS: dict[str, tuple[str, dict[str, str]]] = {
    "post": (
        "string?",
        {
            "endpoint": "string",
            "header": "string string",
            "captureResponse": "",
            "timeout": "duration",
            "skipSSLVerification": "",
        },
    ),
    "tcp": ("string", {"address": "string"}),
    "email": ("string...", {"to": "string...", "toTemplates": "string... @1.6.3"}),
    "exec": ("string string...", {}),
    "log": ("string", {"mode": "int"}),
    "victorOps": ("", {"routingKey": "string"}),
    "pagerDuty": ("", {"serviceKey": "string"}),
    "pagerDuty2": (
        "",
        {"routingKey": "string", "serviceKey": "string", "link": "string string?"},
    ),
    "pushover": (
        "",
        {
            "userKey": "string",
            "device": "string",
            "title": "string",
            "uRL": "string",
            "uRLTitle": "string",
            "sound": "string",
        },
    ),
    "sensu": ("", {"source": "string", "handlers": "string...", "metadata": "string any"}),
    "slack": (
        "",
        {"workspace": "string", "channel": "string", "username": "string", "iconEmoji": "string"},
    ),
    "discord": (
        "",
        {
            "workspace": "string",
            "username": "string",
            "avatarURL": "string",
            "embedTitle": "string",
        },
    ),
    "bigPanda": (
        "",
        {
            "appKey": "string",
            "primaryProperty": "string",
            "secondaryProperty": "string",
            "host": "string @1.6.3",
            "attribute": "string any @1.6.3",
        },
    ),
    "telegram": (
        "",
        {
            "chatId": "string",
            "parseMode": "string",
            "disableWebPagePreview": "",
            "disableNotification": "",
        },
    ),
    "hipChat": ("", {"room": "string", "token": "string"}),
    "alerta": (
        "",
        {
            "token": "string",
            "resource": "string",
            "event": "string",
            "environment": "string",
            "group": "string",
            "value": "string",
            "origin": "string",
            "services": "string...",
            "correlated": "string...",
            "timeout": "duration",
            "attribute": "string any @1.6.3",
        },
    ),
    "opsGenie": ("", {"teams": "string...", "recipients": "string..."}),
    "opsGenie2": (
        "",
        {
            "teams": "string...",
            "recipients": "string...",
            "recoveryAction": "string",
            "details": "",
        },
    ),
    "talk": ("", {}),
    "mqtt": (
        "string",
        {"brokerName": "string", "qos": "int", "retained": "bool", "topic": "string"},
    ),
    "snmpTrap": ("string", {"data": "string string string"}),
    "kafka": (
        "",
        {
            "cluster": "string",
            "kafkaTopic": "string",
            "template": "string",
            "partitionHashAlgorithm": "string @1.6",
            "disablePartitionById": "@1.6",
        },
    ),
    "teams": ("", {"channelURL": "string"}),
    "serviceNow": (
        "",
        {
            "uRL": "string",
            "username": "string",
            "password": "string",
            "source": "string",
            "node": "string",
            "type": "string",
            "resource": "string",
            "metricName": "string",
            "messageKey": "string",
            "additionalInfo": "string any",
        },
    ),
    "zenoss": (
        "@1.6",
        {
            "uRL": "string",
            "username": "string",
            "password": "string",
            "action": "string",
            "method": "string",
            "type": "string",
            "tid": "int",
            "collector": "string",
            "summary": "string",
            "device": "string",
            "component": "string",
            "eventClassKey": "string",
            "eventClass": "string",
            "message": "string",
            "customField": "string any",
        },
    ),
}

HANDLERS: dict[str, HandlerSpec] = {
    name: HandlerSpec(_method(name, creator, creates=name), _methods(props))
    for name, (creator, props) in _HANDLERS.items()
}

# --- the node types (reference §3.4) ----------------------------------------------

_AUTOSCALE = {
    "cluster": "string",
    "currentField": "string",
    "min": "int",
    "max": "int",
    "replicas": "lambda",
    "increaseCooldown": "duration",
    "decreaseCooldown": "duration",
}
_INFLUXQL = {"as": "string", "usePointTimes": ""}


def _node(
    kind: str,
    desc: str | None,
    wants: str,
    provides: str,
    properties: Mapping[str, str],
    *,
    chain: Mapping[str, tuple[str, str]] | None = None,
    common_chain: bool = True,
    since: str = "1.5",
) -> NodeSpec:
    return NodeSpec(
        kind=kind,
        desc=desc,
        wants=wants,
        provides=provides,
        properties=_methods(properties),
        chain={n: _method(n, sig, k) for n, (sig, k) in (chain or {}).items()},
        common_chain=common_chain,
        since=parse_version(since),
    )


NODES: dict[str, NodeSpec] = {
    spec.kind: spec
    for spec in (
        _node(
            "stream",
            "stream",
            "none",
            "stream",
            {},
            common_chain=False,
            chain={"from": ("", "from")},
        ),
        _node(
            "batch",
            "batch",
            "none",
            "batch",
            {},
            common_chain=False,
            chain={"query": ("string", "query"), "queryFlux": ("string @1.6", "queryFlux")},
        ),
        _node(
            "from",
            "from",
            "stream",
            "stream",
            {
                "database": "string",
                "retentionPolicy": "string",
                "measurement": "string",
                "where": "lambda",
                "groupBy": "string|star...",
                "groupByMeasurement": "",
                "truncate": "duration",
                "round": "duration",
            },
            chain={"from": ("", "from")},
        ),
        _node(
            "query",
            "query",
            "batch",
            "batch",
            {
                "period": "duration",
                "every": "duration",
                "cron": "string",
                "offset": "duration",
                "align": "",
                "alignGroup": "",
                "fill": "any",
                "groupBy": "string|star|time|duration...",
                "groupByMeasurement": "",
                "cluster": "string",
            },
        ),
        _node(
            "queryFlux",
            "queryFlux",
            "batch",
            "batch",
            {
                "period": "duration",
                "every": "duration",
                "cron": "string",
                "offset": "duration",
                "align": "",
                "cluster": "string",
                "org": "string",
                "orgID": "string",
            },
            since="1.6",
        ),
        _node(
            "window",
            "window",
            "stream",
            "batch",
            {
                "period": "duration",
                "every": "duration",
                "periodCount": "int",
                "everyCount": "int",
                "align": "",
                "fillPeriod": "",
            },
        ),
        _node(
            "eval",
            "eval",
            "any",
            "same",
            {"as": "string...", "tags": "string...", "keep": "string..."},
        ),
        _node("where", "where", "any", "same", {}),
        _node("groupBy", "groupby", "any", "same", {"exclude": "string...", "byMeasurement": ""}),
        _node("shift", "shift", "any", "same", {}),
        _node(
            "join",
            "join",
            "any",
            "same",
            {
                "as": "string...",
                "on": "string...",
                "delimiter": "string",
                "fill": "any",
                "streamName": "string",
                "tolerance": "duration",
                "deleteAll": "bool @1.6",
            },
        ),
        _node("union", "union", "any", "same", {"rename": "string"}),
        # properties: ALERT_PROPERTIES and the handler creators, joined below
        _node("alert", "alert", "any", "same", {}),
        _node("aggregate", None, "any", "stream", _INFLUXQL),
        _node("batchSelector", None, "any", "batch", _INFLUXQL),
        _node("transform", None, "any", "same", _INFLUXQL),
        _node("stats", "stats", "none", "stream", {"align": ""}),
        _node("httpOut", "http_out", "any", "same", {}),
        _node(
            "httpPost",
            "http_post",
            "any",
            "same",
            {
                "endpoint": "string",
                "header": "string string",
                "captureResponse": "",
                "timeout": "duration",
                "codeField": "string",
            },
        ),
        _node(
            "influxDBOut",
            "influxdb_out",
            "any",
            "none",
            {
                "database": "string",
                "retentionPolicy": "string",
                "measurement": "string",
                "writeConsistency": "string",
                "precision": "string",
                "buffer": "int",
                "flushInterval": "duration",
                "create": "",
                "tag": "string string",
                "cluster": "string",
            },
            common_chain=False,
        ),
        _node(
            "kapacitorLoopback",
            "kapacitor_loopback",
            "any",
            "none",
            {
                "database": "string",
                "retentionPolicy": "string",
                "measurement": "string",
                "tag": "string string",
            },
            common_chain=False,
        ),
        _node(
            "default",
            "default",
            "any",
            "same",
            {"field": "string float|int|string|bool", "tag": "string string"},
        ),
        _node("delete", "delete", "any", "same", {"field": "string", "tag": "string"}),
        _node(
            "derivative",
            "derivative",
            "any",
            "same",
            {"unit": "duration", "nonNegative": "", "as": "string"},
        ),
        _node("changeDetect", "changeDetect", "any", "same", {}),
        _node(
            "stateDuration", "state_duration", "any", "same", {"unit": "duration", "as": "string"}
        ),
        _node("stateCount", "state_count", "any", "same", {"as": "string"}),
        _node(
            "flatten",
            "flatten",
            "any",
            "same",
            {
                "on": "string...",
                "delimiter": "string",
                "tolerance": "duration",
                "dropOriginalFieldName": "bool?",
            },
        ),
        _node(
            "combine",
            "combine",
            "any",
            "stream",
            {"as": "string...", "delimiter": "string", "tolerance": "duration", "max": "int"},
        ),
        _node(
            "sideload",
            "sideload",
            "any",
            "same",
            {
                "source": "string",
                "order": "string...",
                "field": "string any",
                "tag": "string string",
            },
        ),
        _node(
            "barrier",
            "barrier",
            "any",
            "same",
            {"idle": "duration", "period": "duration", "delete": "bool"},
        ),
        _node("sample", "sample", "any", "same", {}),
        _node("log", "log", "any", "same", {"level": "string", "prefix": "string"}),
        _node("trickle", "trickle", "batch", "stream", {}, since="1.6"),
        _node("noop", "noop", "any", "same", {}),
        _node(
            "k8sAutoscale",
            "k8s_autoscale",
            "any",
            "stream",
            _AUTOSCALE
            | {
                "namespace": "string",
                "namespaceTag": "string",
                "kind": "string",
                "kindTag": "string",
                "resourceName": "string",
                "resourceNameTag": "string",
                "resourceTag": "string",
            },
        ),
        _node(
            "swarmAutoscale",
            "swarm_autoscale",
            "any",
            "stream",
            _AUTOSCALE
            | {
                "serviceName": "string",
                "serviceNameTag": "string",
                "outputServiceNameTag": "string",
            },
        ),
        _node(
            "ec2Autoscale",
            "ec2_autoscale",
            "any",
            "stream",
            _AUTOSCALE
            | {"groupName": "string", "groupNameTag": "string", "outputGroupNameTag": "string"},
        ),
        # a UDF's options come from Kapacitor's configuration, which tickgen cannot see
        _node("udf", None, "any", "same", {}),
    )
}


def _alert_properties() -> dict[str, Method]:
    creators = {name: handler.creator for name, handler in HANDLERS.items()}
    return ALERT_PROPERTIES | creators


NODES["alert"] = NodeSpec(
    kind="alert",
    desc="alert",
    wants="any",
    provides="same",
    properties=_alert_properties(),
)

# What a lookup needs, merged once: kind -> name -> Method.
CHAIN_METHODS: dict[str, dict[str, Method]] = {
    kind: (dict(COMMON_CHAIN) if spec.common_chain else {}) | dict(spec.chain) | EVERY_NODE_CHAIN
    for kind, spec in NODES.items()
}
PROPERTIES: dict[str, dict[str, Method]] = {
    kind: dict(spec.properties) | EVERY_NODE_PROPERTIES for kind, spec in NODES.items()
}

# A handler's own property that has the name of something the alert has: after
# .zenoss(), .message() sets Zenoss's message; after .opsGenie(), .teams() sets
# the OpsGenie teams instead of adding a Teams handler.
SHADOWED: dict[str, frozenset[str]] = {
    name: frozenset(handler.properties) & frozenset(PROPERTIES["alert"])
    for name, handler in HANDLERS.items()
}

# The functions a lambda may call (tick/stateful/functions.go: statelessFuncs and
# NewFunctions; the same set at v1.5.9, v1.6.0, v1.7.6 and v1.8.3 but for rand(),
# which came with 1.6.5).  Kapacitor looks the name up only when a point is
# evaluated: a task with an unknown one is created and starts, and then every
# point fails with `undefined function: "name"`, so the node passes nothing on
# and the alert never fires.
_MATH = (
    "abs acos acosh asin asinh atan atan2 atanh cbrt ceil cos cosh erf erfc exp exp2 "
    "expm1 floor gamma hypot j0 j1 jn log log10 log1p log2 logb max min mod pow pow10 "
    "sin sinh sqrt tan tanh trunc y0 y1 yn"
)
_STRINGS = (
    "strContains strContainsAny strCount strHasPrefix strHasSuffix strIndex strIndexAny "
    "strLastIndex strLastIndexAny strLength strReplace strSubstring strToLower strToUpper "
    "strTrim strTrimLeft strTrimPrefix strTrimRight strTrimSpace strTrimSuffix regexReplace"
)
_OTHERS = (
    "bool int float string duration isPresent unixNano minute hour weekday day month year "
    "now humanBytes if sigma count spread"
)
LAMBDA_FUNCTIONS: dict[str, Version] = dict.fromkeys(
    f"{_MATH} {_STRINGS} {_OTHERS}".split(), BASELINE
) | {"rand": Version(1, 6, 5)}
