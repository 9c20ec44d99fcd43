"""What Kapacitor checks when a task starts, and what depends on its configuration.

A task that passes the define-time checks (:mod:`tickgen.tick.rules`) is stored;
enabling it then builds every node (``createNode`` in ``task.go``), and the
node constructors refuse more (HTTP 500, the task stays stored with the error;
pipeline-validation §2.2-2.3, §4).  The messages are Kapacitor's own.

Some refusals depend on the server's configuration, not on the script: a UDF,
an httppost endpoint, a kafka cluster, a kubernetes client, a sideload
directory (§5).  Those are warnings that say so: :data:`CONFIG` is in each.
"""

from __future__ import annotations

from collections.abc import Callable

from .dag import TIME_DIMENSION, HandlerCall, PipelineNode
from .influxql import read_query

__all__ = [
    "CONFIG",
    "config_notes",
    "has_start_rules",
    "node_config_notes",
    "node_start_errors",
    "start_errors",
]

CONFIG = "server configuration"
_QUERY_FILLS = frozenset(["null", "none", "previous", "linear"])
_JOIN_FILLS = frozenset(["null", "none"])

DBRP = tuple[str, str]


def start_errors(
    nodes: list[PipelineNode], dbrps: list[DBRP] | None
) -> list[tuple[PipelineNode, str]]:
    """The node constructors' refusals; ``dbrps`` are the script's dbrp statements
    (None when it has none: the task's dbrps then come with the request)."""
    return [(node, message) for node in nodes for message in node_start_errors(node, dbrps)]


def has_start_rules(kind: str) -> bool:
    """Whether :func:`node_start_errors` or :func:`node_config_notes` looks at a
    node of ``kind`` at all."""
    return kind in _START_RULES or kind in _CONFIG_NOTES


def node_start_errors(node: PipelineNode, dbrps: list[DBRP] | None) -> list[str]:
    """:func:`start_errors` of one node."""
    check = _START_RULES.get(node.kind)
    return check(node, dbrps) if check is not None else []


def config_notes(nodes: list[PipelineNode]) -> list[tuple[PipelineNode, str]]:
    """What the nodes need from the server's configuration, as warnings."""
    return [(node, message) for node in nodes for message in node_config_notes(node)]


def node_config_notes(node: PipelineNode) -> list[str]:
    """:func:`config_notes` of one node."""
    note = _CONFIG_NOTES.get(node.kind)
    return note(node) if note is not None else []


def _first(node: PipelineNode, prop: str) -> object:
    args = node.settings.get(prop, ())
    return args[0] if args else None


def _is(value: object, number: float) -> bool:
    """``value`` is a known number equal to ``number`` (bools are not numbers)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == number


def _window(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    period = node.settings.get("period", (0,))[0]
    count = node.settings.get("periodCount", (0,))[0]
    if _is(period, 0) and _is(count, 0):
        return ["window node must have either a non zero period or non zero period count"]
    return []


def _shift(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    if node.arg_values and _is(node.arg_values[0], 0):
        return ["invalid shift value: must be non zero duration"]
    return []


def _stats(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    interval = node.arg_values[0] if node.arg_values else None
    if isinstance(interval, int) and interval <= 0:
        return ["stats node must have positive interval"]
    return []


def _sample(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    if node.arg_values and _is(node.arg_values[0], 0):
        return ["invalid sample rate: must be positive integer or duration"]
    return []


def _schedule(node: PipelineNode) -> list[str]:
    every, cron = node.settings.get("every", (0,))[0], node.settings.get("cron", ("",))[0]
    if every is None or cron is None:
        return []
    if every != 0 and cron != "":
        return ["must not set both 'every' and 'cron' properties"]
    if isinstance(every, int) and every < 0:
        return ["'every' duration must must non-negative"]  # sic
    if every == 0 and cron == "":
        return ["must define one of 'every' or 'cron'"]
    if isinstance(cron, str) and cron and not cron.startswith("@") and len(cron.split()) < 5:
        return ["missing field(s)"]  # gorhill/cronexpr: minutes to weekdays, at least
    return []


def _query(node: PipelineNode, dbrps: list[DBRP] | None) -> list[str]:
    errors = []
    text = node.arg_values[0] if node.arg_values else None
    if isinstance(text, str):
        query = read_query(text)
        if len(query.statements) != 1:
            errors.append(
                f"query must be a single select statement, got {len(query.statements)} statements"
            )
        elif query.error is not None:
            errors.append(f"failed to parse InfluxQL query: {query.error}")
        elif query.statements[0].split()[0].upper() != "SELECT":
            errors.append(f'query is not a select statement "{query.statements[0]}"')
        else:
            allowed = set(dbrps) if dbrps is not None else None
            for db, rp in query.sources:
                if (db == "" or rp == "") or (allowed is not None and (db, rp) not in allowed):
                    errors.append(
                        f'batch query is not allowed to request data from "{db}"."{rp}"'
                        + (
                            " (name the database and retention policy: "
                            'FROM "db"."rp"."measurement")'
                            if not (db and rp)
                            else " (it is not one of the script's dbrp statements)"
                        )
                    )
    times = [d for d in node.settings.get("groupBy", ()) if d == TIME_DIMENSION or type(d) is int]
    if len(times) > 1:
        errors.append("groupBy cannot have more than one time dimension")
    errors.extend(_fill(node, _QUERY_FILLS))
    return errors + _schedule(node)


def _query_flux(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    return _schedule(node)


def _fill(node: PipelineNode, allowed: frozenset[str]) -> list[str]:
    fill = _first(node, "fill")
    if isinstance(fill, str) and fill not in allowed:
        return [f"unexpected fill option {fill}"]
    return []


def _join(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    return _fill(node, _JOIN_FILLS)


def _loopback(node: PipelineNode, dbrps: list[DBRP] | None) -> list[str]:
    db, rp = _first(node, "database"), _first(node, "retentionPolicy")
    if dbrps is not None and (db, rp) in dbrps:
        return [f'loop detected on dbrp: "{db}"."{rp}"']
    return []


# The checker records an alert's or handler's property only if it is in its
# _READ_AT_START; add a property there when a rule below starts to read it.
def _alert(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    errors = []
    flapping = node.settings.get("flapping", ())
    if any(isinstance(v, float) and v > 1 for v in flapping):
        errors.append("alert flap thresholds are percentages and should be between 0 and 1")
    for handler in node.handler_calls:
        errors.extend(_handler_errors(handler))
    return errors


def _handler_errors(handler: HandlerCall) -> list[str]:
    if handler.name == "log":
        mode = handler.settings.get("mode", (0,))[0]
        if isinstance(mode, int) and mode != 0 and not mode & 0o200:
            return [
                "failed to create log alert handler: invalid file mode "
                f"{_file_mode(mode)}, must be user writable"
            ]
    elif handler.name == "post":
        url = handler.args[0] if handler.args else ""
        endpoint = handler.settings.get("endpoint", ("",))[0]
        if url == "" and endpoint == "":
            return ["Either URL or endpoint must be non-empty"]
    return []


def _file_mode(mode: int) -> str:
    """Go's os.FileMode.String() of a permission-only mode: -rw-r--r--."""
    bits = "".join(c if mode & (1 << (8 - i)) else "-" for i, c in enumerate("rwxrwxrwx"))
    return "-" + bits


def _sideload_source(node: PipelineNode, _: list[DBRP] | None) -> list[str]:
    if node.settings.get("source", ("",))[0] == "":
        # an empty source names no [[httppost]] endpoint, and Kapacitor then calls
        # log.Fatal: the whole server exits (pipeline-validation §2.2.29)
        return [
            "sideload needs a .source() (a file:// directory or an [[httppost]] endpoint); "
            "without one kapacitord exits: Specified endpoint does not exist"
        ]
    return []


_START_RULES: dict[str, Callable[[PipelineNode, list[DBRP] | None], list[str]]] = {
    "window": _window,
    "shift": _shift,
    "stats": _stats,
    "sample": _sample,
    "query": _query,
    "queryFlux": _query_flux,
    "join": _join,
    "kapacitorLoopback": _loopback,
    "alert": _alert,
    "sideload": _sideload_source,
}

# --- what needs the server's configuration -----------------------------------------


def _udf(node: PipelineNode) -> list[str]:
    return [
        f"@{node.desc}() is a UDF: Kapacitor knows it only if the {CONFIG} defines "
        f'[udf.functions.{node.desc}] (else: no method or property "{node.desc}"); '
        "its options and edges cannot be checked offline"
    ]


def _http_post(node: PipelineNode) -> list[str]:
    endpoint = _first(node, "endpoint")
    if "endpoint" in node.settings:
        return [
            f"httpPost().endpoint({endpoint!r}) needs an [[httppost]] endpoint of that name "
            f"in the {CONFIG} (else: endpoint '{endpoint}' does not exist)"
        ]
    return []


def _autoscale_client(node: PipelineNode) -> list[str]:
    service = {"k8sAutoscale": "kubernetes", "swarmAutoscale": "swarm", "ec2Autoscale": "ec2"}
    cluster = _first(node, "cluster") or ""
    return [
        f"{node.kind}() needs a [{service[node.kind]}] section with id {cluster!r} enabled "
        f"in the {CONFIG} (else the task does not start: could not create "
        f"{service[node.kind]} client)"
    ]


def _sideload(node: PipelineNode) -> list[str]:
    source = _first(node, "source")
    if not isinstance(source, str) or not source:
        return []  # no source is an error (start_errors); an unknown one is not known
    if "://" not in source:
        return [
            f"sideload source {source!r} has no scheme, so it names an [[httppost]] endpoint "
            f"of the {CONFIG}; if there is none, kapacitord exits"
        ]
    return [f"sideload source {source!r} must exist on the Kapacitor host ({CONFIG})"]


def _influxdb_out(node: PipelineNode) -> list[str]:
    cluster = _first(node, "cluster")
    if isinstance(cluster, str) and cluster:
        return [
            f"influxDBOut().cluster({cluster!r}) needs an enabled [[influxdb]] named "
            f"{cluster!r} in the {CONFIG}"
        ]
    return []


def _alert_handlers(node: PipelineNode) -> list[str]:
    notes = []
    for handler in node.handler_calls:
        if handler.name == "kafka":
            cluster = handler.settings.get("cluster", ("",))[0]
            # Kapacitor registers every [[kafka]] entry, enabled or not; the stock
            # configuration's disabled 'default' has no brokers, and the first event sent
            # to it makes kapacitord panic (services/kafka/service.go, writer()).
            notes.append(
                f".kafka() needs an enabled [[kafka]] with id {cluster!r} and brokers in the "
                f"{CONFIG} (an unknown id: the task does not start; a cluster without brokers, "
                "such as the stock disabled 'default': kapacitord exits at the first event)"
            )
        elif handler.name == "post":
            url = handler.args[0] if handler.args else ""
            endpoint = handler.settings.get("endpoint", ("",))[0]
            if url == "" and endpoint:
                notes.append(
                    f".post().endpoint({endpoint!r}) needs an [[httppost]] endpoint of that "
                    f"name in the {CONFIG}, or a URL in .post(url)"
                )
    return notes


_CONFIG_NOTES: dict[str, Callable[[PipelineNode], list[str]]] = {
    "udf": _udf,
    "httpPost": _http_post,
    "k8sAutoscale": _autoscale_client,
    "swarmAutoscale": _autoscale_client,
    "ec2Autoscale": _autoscale_client,
    "sideload": _sideload,
    "influxDBOut": _influxdb_out,
    "alert": _alert_handlers,
}
