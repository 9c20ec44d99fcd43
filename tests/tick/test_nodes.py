"""The node/handler table covers what the reference (§3.2-3.5) lists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tickgen.tick.nodes import (
    CHAIN_METHODS,
    COMMON_CHAIN,
    HANDLERS,
    NODES,
    PROPERTIES,
    SHADOWED,
    TYPES,
    Method,
    Version,
    parse_version,
)

# reference §3.5, in its order
REFERENCE_HANDLERS = [
    "post",
    "tcp",
    "email",
    "exec",
    "log",
    "victorOps",
    "pagerDuty",
    "pagerDuty2",
    "pushover",
    "sensu",
    "slack",
    "discord",
    "bigPanda",
    "telegram",
    "hipChat",
    "alerta",
    "opsGenie",
    "opsGenie2",
    "talk",
    "mqtt",
    "snmpTrap",
    "kafka",
    "teams",
    "serviceNow",
    "zenoss",
]

# reference §3.3/§3.4: the method that creates each node, and the node's name prefix (§3.2)
REFERENCE_NODES = {
    "from": "from",
    "window": "window",
    "eval": "eval",
    "where": "where",
    "groupBy": "groupby",
    "shift": "shift",
    "join": "join",
    "union": "union",
    "alert": "alert",
    "log": "log",
    "sample": "sample",
    "derivative": "derivative",
    "changeDetect": "changeDetect",
    "default": "default",
    "delete": "delete",
    "flatten": "flatten",
    "combine": "combine",
    "sideload": "sideload",
    "barrier": "barrier",
    "stats": "stats",
    "httpOut": "http_out",
    "httpPost": "http_post",
    "influxDBOut": "influxdb_out",
    "kapacitorLoopback": "kapacitor_loopback",
    "stateDuration": "state_duration",
    "stateCount": "state_count",
    "trickle": "trickle",
    "k8sAutoscale": "k8s_autoscale",
    "swarmAutoscale": "swarm_autoscale",
    "ec2Autoscale": "ec2_autoscale",
}
INFLUXQL = [
    "count",
    "distinct",
    "mean",
    "median",
    "mode",
    "spread",
    "sum",
    "first",
    "last",
    "min",
    "max",
    "stddev",
    "difference",
    "cumulativeSum",
    "percentile",
    "top",
    "bottom",
    "elapsed",
    "movingAverage",
    "holtWinters",
    "holtWintersWithFit",
]


def test_every_reference_handler_is_an_alert_property() -> None:
    assert set(HANDLERS) == set(REFERENCE_HANDLERS)
    for name in REFERENCE_HANDLERS:
        assert PROPERTIES["alert"][name].creates == name


@pytest.mark.parametrize(("method", "desc"), sorted(REFERENCE_NODES.items()))
def test_every_reference_node_is_created_by_its_chaining_method(method: str, desc: str) -> None:
    kind = CHAIN_METHODS["from"][method].creates
    assert kind is not None
    assert NODES[kind].desc == desc


def test_sources_and_their_only_chaining_methods() -> None:
    assert set(CHAIN_METHODS["stream"]) == {"from", "stats", "deadman"}
    assert set(CHAIN_METHODS["batch"]) == {"query", "queryFlux", "stats", "deadman"}
    assert NODES["query"].desc == "query"
    assert NODES["queryFlux"].desc == "queryFlux"


def test_influxql_nodes_are_named_after_their_function() -> None:
    for name in INFLUXQL:
        kind = CHAIN_METHODS["window"][name].creates
        assert kind is not None
        assert NODES[kind].desc is None  # the checker names it after the method


def test_influxql_edges() -> None:
    def provides(name: str) -> str:
        kind = CHAIN_METHODS["from"][name].creates
        assert kind is not None
        return NODES[kind].provides

    assert provides("mean") == "stream"
    assert provides("top") == provides("distinct") == provides("holtWinters") == "batch"
    assert provides("movingAverage") == provides("elapsed") == "same"


def test_nodes_that_end_a_pipeline_have_only_stats_and_deadman() -> None:
    for kind in ("influxDBOut", "kapacitorLoopback"):
        assert NODES[kind].provides == "none"
        assert set(CHAIN_METHODS[kind]) == {"stats", "deadman"}


def test_every_node_has_quiet_stats_and_deadman() -> None:
    for kind in NODES:
        assert "quiet" in PROPERTIES[kind]
        assert {"stats", "deadman"} <= set(CHAIN_METHODS[kind])


def test_odd_spellings_of_go_acronyms() -> None:
    assert {"uRL", "uRLTitle"} <= set(HANDLERS["pushover"].properties)
    assert "channelURL" in HANDLERS["teams"].properties
    assert "avatarURL" in HANDLERS["discord"].properties
    assert "chatId" in HANDLERS["telegram"].properties
    assert "qos" in HANDLERS["mqtt"].properties
    assert "url" not in HANDLERS["pushover"].properties


def test_handler_fields_that_shadow_the_alert() -> None:
    assert "message" in SHADOWED["zenoss"]
    assert "topic" in SHADOWED["mqtt"]
    assert "teams" in SHADOWED["opsGenie"]
    assert "teams" in SHADOWED["opsGenie2"]
    assert not SHADOWED["slack"]
    assert "type" in HANDLERS["serviceNow"].properties
    assert "type" in HANDLERS["zenoss"].properties


def test_signatures_keep_go_types() -> None:
    deadman = CHAIN_METHODS["from"]["deadman"]
    assert [str(p) for p in deadman.params] == ["float", "duration", "lambda..."]
    assert (deadman.min_args, deadman.max_args) == (2, None)
    flapping = PROPERTIES["alert"]["flapping"]
    assert (flapping.min_args, flapping.max_args) == (2, 2)
    http_post = CHAIN_METHODS["from"]["httpPost"]
    assert (http_post.min_args, http_post.max_args) == (0, 1)
    assert PROPERTIES["join"]["fill"].params[0].types == {"any"}
    for methods in (*CHAIN_METHODS.values(), *PROPERTIES.values()):
        for method in methods.values():
            for param in method.params:
                assert param.types <= TYPES


def test_versions_of_later_additions() -> None:
    v16, v163 = Version(1, 6), Version(1, 6, 3)
    assert PROPERTIES["alert"]["zenoss"].since == v16
    assert CHAIN_METHODS["from"]["trickle"].since == v16
    assert CHAIN_METHODS["batch"]["queryFlux"].since == v16
    assert PROPERTIES["join"]["deleteAll"].since == v16
    assert HANDLERS["email"].properties["toTemplates"].since == v163
    assert HANDLERS["bigPanda"].properties["host"].since == v163
    assert HANDLERS["kafka"].properties["disablePartitionById"].since == v16
    assert PROPERTIES["alert"]["slack"].since == Version(1, 5)


@pytest.mark.parametrize(
    ("text", "version"),
    [("1.5", Version(1, 5, 0)), ("1.6.3", Version(1, 6, 3)), ("v1.8.3", Version(1, 8, 3))],
)
def test_parse_version(text: str, version: Version) -> None:
    assert parse_version(text) == version
    assert str(parse_version(text)) == f"{version.major}.{version.minor}.{version.patch}"


def test_parse_version_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a Kapacitor version"):
        parse_version("latest")


def test_versions_compare_numerically() -> None:
    assert parse_version("1.10") > parse_version("1.9")


# --- the table against a real kapacitord ------------------------------------------
#
# Every method in the table is called once, with arguments of its declared types,
# in a task created (disabled) on the real server.  A method the table says exists
# in the server's version must resolve and take those types; a newer one must not
# exist.  Errors of a node's own validate() ("a call to join.as() is required")
# are fine here: they come after resolution.

_SAMPLES = {
    "string": "'a'",
    "int": "1",
    "float": "1.0",
    "duration": "1s",
    "lambda": "lambda: TRUE",
    "bool": "TRUE",
    "star": "*",
    "node": "other",
    "time": "time(1m)",
    "regex": "/a/",
    "any": "'a'",
}
_RESOLUTION_ERRORS = (
    "no method or property",
    "no chaining method",
    "no property method",
    "reflect",
)


def _call(method: Method) -> str:
    args = []
    for param in method.params:
        kind = next(t for t in _SAMPLES if t in param.types)
        args.append("'/tmp/a.log'" if method.name == "log" and kind == "string" else _SAMPLES[kind])
    return f"{method.name}({', '.join(args)})"


# the pipeline that gives each node kind, on a stream task unless it starts at batch
_NODE_PREFIX = {
    "stream": "stream",
    "batch": "batch",
    "query": "batch|query('SELECT v FROM db.rp.m')",
    "from": "stream|from()",
    "stats": "stream|from()|stats(1s)",
    "aggregate": "stream|from()|window()|mean('v')",
    "batchSelector": "stream|from()|window()|top(1, 'v')",
    "transform": "stream|from()|difference('v')",
}


def _prefix(kind: str) -> str | None:
    if kind in _NODE_PREFIX:
        return _NODE_PREFIX[kind]
    creator = next((m for m in CHAIN_METHODS["from"].values() if m.creates == kind), None)
    if creator is None or creator.since > Version(1, 5, 9):
        return None  # noop and udf have no creator; trickle and queryFlux come later
    return f"stream|from()|{_call(creator)}"


def _cases() -> list[tuple[str, Version]]:
    """(script, the version that must have everything it calls)."""
    cases = []
    for kind in NODES:
        prefix = _prefix(kind)
        if prefix is None:
            continue
        for method in PROPERTIES[kind].values():
            cases.append((f"{prefix}.{_call(method)}", method.since))
        chain = CHAIN_METHODS[kind]
        if kind != "from" and NODES[kind].common_chain:
            chain = {n: m for n, m in chain.items() if n not in COMMON_CHAIN}  # once, on from
        for method in chain.values():
            if method.name in ("window", "trickle"):
                continue  # edge rules, not resolution: the checker's tests cover them
            cases.append((f"{prefix}|{_call(method)}", method.since))
    for handler in HANDLERS.values():
        alert = f"stream|from()|alert().{_call(handler.creator)}"
        cases.append((alert, handler.creator.since))
        for method in handler.properties.values():
            cases.append((f"{alert}.{_call(method)}", max(method.since, handler.creator.since)))
    return cases


def test_every_method_resolves_on_the_real_kapacitor(kapacitor: Any) -> None:
    server_version = parse_version(kapacitor.version)
    wrong: list[str] = []
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        for number, (expr, since) in enumerate(_cases()):
            source = "batch" if expr.startswith("batch") else "stream"
            other = "batch|query('SELECT v FROM db.rp.m')" if source == "batch" else "stream|from()"
            script = f"var other = {other}\n{expr}\n"
            task_id = f"table{number}"
            response = client.post(
                "/tasks",
                json={"id": task_id, "script": script, "dbrps": [{"db": "db", "rp": "rp"}]},
            )
            client.delete(f"/tasks/{task_id}")
            error = response.json().get("error", "") if response.status_code != 200 else ""
            unresolved = any(phrase in error for phrase in _RESOLUTION_ERRORS)
            if unresolved != (since > server_version):
                wrong.append(f"{expr} (since {since}): {error or 'accepted'}")
    assert wrong == []
    assert len(_cases()) > 300
