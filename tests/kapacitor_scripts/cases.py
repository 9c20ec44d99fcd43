"""How one of Kapacitor's own scripts is put to a real kapacitord, and what it said.

Shared by ``record.py`` (which writes the verdicts into ``verdicts-VERSION.json``)
and ``test_kapacitor_scripts.py`` (which checks them against tickgen's checker
offline and against the running server live).

A script is sent the way Kapacitor's own tests use it:

* with typed vars that have no value (``var period duration``), it is a
  template: ``POST /kapacitor/v1/templates`` (Kapacitor evaluates it with each
  var at its zero value, reference pipeline-validation §3.6.5);
* otherwise it is a task, ``POST /kapacitor/v1/tasks`` with status enabled.  Its
  dbrps are its ``dbrp`` statements, or else the ``"db"."rp"`` of every batch
  query's FROM, or else one made-up pair (stream tasks only route by them).

The verdict is ``accepted``; ``define`` (HTTP 400: refused, nothing stored);
``enable`` (HTTP 500: stored, but it did not start); ``unsent`` for the few
scripts that would stop the server (a sideload source without a scheme makes
kapacitord call log.Fatal, reference §2.2.29).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from tests.servers import delete_started_task
from tickgen.tick import TickSyntaxError, ast, parse
from tickgen.tick.influxql import read_query

Verdict = Literal["accepted", "define", "enable", "unsent"]

DEFAULT_DBRP = {"db": "kapacitor_scripts", "rp": "autogen"}


@dataclass(frozen=True)
class Plan:
    """What is sent for one script."""

    template: bool
    type: str  # stream | batch (Kapacitor infers it again and overrides it)
    dbrps: tuple[tuple[str, str], ...]  # sent only when the script has no dbrp statement
    unsent: str = ""  # why it is not sent at all


def _walk(expr: Any) -> Any:
    """Every node below ``expr``, depth first."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        for name in getattr(node, "__slots__", ()):
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(v for v in value if hasattr(v, "__slots__"))
            elif hasattr(value, "__slots__") and not isinstance(value, ast.Position):
                stack.append(value)


def plan(script: str) -> Plan:
    try:
        program = parse(script)
    except TickSyntaxError:
        return Plan(False, "stream", ((DEFAULT_DBRP["db"], DEFAULT_DBRP["rp"]),))
    template = any(isinstance(s, ast.TypeDeclaration) for s in program.statements)
    has_dbrp = any(isinstance(s, ast.DBRP) for s in program.statements)
    kind = "batch" if re.search(r"(^|[^\w])batch\s*\|", script) else "stream"
    dbrps: list[tuple[str, str]] = []
    unsent = ""
    for statement in program.statements:
        for node in _walk(statement):
            if isinstance(node, ast.Chain) and isinstance(node.right, ast.Function):
                func = node.right
                if func.name == "query" and func.args and isinstance(func.args[0], ast.String):
                    sources = read_query(func.args[0].value).sources
                    dbrps.extend(s for s in sources if all(s))
    if "|sideload()" in re.sub(r"\s", "", script) and not re.search(
        r"\.source\(\s*'[a-z]+://", script
    ):
        unsent = "a sideload source without a scheme (or none) makes kapacitord exit"
    if has_dbrp:
        dbrps = []
    elif not dbrps:
        dbrps = [(DEFAULT_DBRP["db"], DEFAULT_DBRP["rp"])]
    return Plan(template, kind, tuple(dict.fromkeys(dbrps)), unsent)


def define(client: httpx.Client, task_id: str, script: str) -> dict[str, Any]:
    """Send ``script`` as ``plan`` says and clean up; return how it was sent
    (``as``: task or template, its ``type`` and ``dbrps``), the ``verdict`` and
    the server's ``error``."""
    how = plan(script)
    sent: dict[str, Any] = {
        "as": "template" if how.template else "task",
        "type": how.type,
        "dbrps": [f"{db}.{rp}" for db, rp in how.dbrps],
    }
    if how.unsent:
        return sent | {"verdict": "unsent", "error": how.unsent}
    if how.template:
        body: dict[str, Any] = {"id": task_id, "type": how.type, "script": script}
        response = client.post("/kapacitor/v1/templates", json=body)
        if response.status_code == 200:
            client.delete(f"/kapacitor/v1/templates/{task_id}")
            return sent | {"verdict": "accepted", "error": ""}
        return sent | {"verdict": "define", "error": _error(response)}
    body = {"id": task_id, "type": how.type, "script": script, "status": "enabled"}
    if how.dbrps:
        body["dbrps"] = [{"db": db, "rp": rp} for db, rp in how.dbrps]
    response = client.post("/kapacitor/v1/tasks", json=body)
    try:
        if response.status_code == 200:
            return sent | {"verdict": "accepted", "error": ""}
        if response.status_code == 400:
            return sent | {"verdict": "define", "error": _error(response)}
        return sent | {"verdict": "enable", "error": _error(response)}
    finally:
        delete_started_task(client, f"/kapacitor/v1/tasks/{task_id}")


# kapacitord's refusals that come from its configuration (pipeline-validation §5),
# not from the script: with another config the same script is accepted
_CONFIG_ERRORS = re.compile(
    r"endpoint '.*' does not exist"
    r"|An appropriately formatted url must be specified if an endpoint"
    r"|could not create (kubernetes|swarm|ec2) client"
    r"|failed to update sideload cache"
    r"|unknown cluster"
    r"|no such InfluxDB config"
    r"|no such UDF"
)
_UNKNOWN_METHOD = re.compile(r'no method or property "(\w+)"')


def config_dependent(script: str, error: str) -> bool:
    """Whether kapacitord refused ``script`` because of its configuration."""
    if _CONFIG_ERRORS.search(error):
        return True
    udf = _UNKNOWN_METHOD.search(error)  # a UDF that is not configured
    return bool(udf and re.search(rf"@\s*{udf.group(1)}\s*\(", script))


def _error(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", response.text))
    except ValueError:
        return response.text
