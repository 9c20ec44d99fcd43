"""Chronograf alert rules (the JSON of ``/kapacitors/:id/rules``) into parameter files.

The mapping follows how Chronograf generates a rule's script (reference
chronograf.md §1-§5): ``trigger`` picks the template, ``query`` gives the
database, measurement, group-by tags, where filter and field (an aggregate
when the field is a ``func``), ``values`` the condition, ``alertNodes`` the
flags and handlers.  Rendering the result gives the script Chronograf writes
for the rule, byte for byte, except where Chronograf's script is wrong; there
tickgen writes what the rule means and says so in the file:

* ``.stateChangesOnly()`` twice: a rule created without an id gets the
  template's ``.stateChangesOnly()`` and, when the box is ticked, a second one
  in the handler block (§4.4, §10.3).  Written once.  (A rule without an id
  always gets it, ticked or not: that is what Chronograf's script does.)
* PagerDuty v2: Chronograf sends the key as ``serviceKey``, which Kapacitor's
  ``pagerDuty2`` does not have, so the key is dropped (§2.5).  Written as
  ``.routingKey(...)``.
* Batch rules (``query.rawText`` set): Chronograf prints a Go pointer instead
  of the query (§4.8).  Not imported; listed with the reason.
* Go durations such as ``10m0s`` (what Chronograf's own Reverse returns) lex
  as two tokens in Chronograf's script (``10m`` and a stray ``0s``, §5.4).
  Written as the single duration they mean.
* A threshold value that Go's ParseFloat takes but TICKscript cannot lex
  (``1e3``, ``Inf``, ``0x10``) makes Chronograf's script fail (§5.2).  Not
  imported; listed with the reason.
* A ``'`` in ``details``, a tag value or a field name, and a string ending in
  a backslash, break Chronograf's script (§5.1).  tickgen escapes them.
* An integer with a leading zero (``010``) is octal to TICKscript (§5.4);
  tickgen reads it as the decimal the user typed (10).
* ``.teams()`` right after ``.opsGenie()``/``.opsGenie2()`` becomes OpsGenie's
  team list at run time, so the Teams handler silently vanishes (§4.5).
  tickgen writes the Teams handler before the OpsGenie block.
* A post header with an empty name or value loses an argument and the script
  fails validation (§4.5); tickgen keeps both.
* A stream rule whose text contains ``batch `` is validated as a batch task
  and Chronograf refuses to generate it (§7); tickgen renders it.

One difference is layout, not a bug: for a rule that already has an id,
Chronograf's Generate writes a ticked ``.stateChangesOnly()`` in the handler
block, while tickgen (like Chronograf when it creates the rule, which is the
script that runs) writes it right after the level lambda.

When a rule carries its ``tickscript`` (rules read from Chronograf do), the
rendered script is compared with it and any difference is noted in the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tickgen.models import task_id_problem
from tickgen.render import Renderer

from .paramfile import Imported, ImportProblem, first_difference, render_params

OPERATORS = {
    "greater than": ">",
    "less than": "<",
    "equal to or less than": "<=",
    "equal to or greater": ">=",
    "equal to": "==",
    "not equal to": "!=",
}
RANGES = {"inside range": "inside", "outside range": "outside"}
CHANGES = {"change": "absolute", "% change": "percent"}

# alertNodes list key -> (tickgen handler kind, {Chronograf JSON property: parameter}).
HANDLERS: dict[str, tuple[str, dict[str, str]]] = {
    "post": ("post", {"url": "url", "headers": "headers"}),
    "tcp": ("tcp", {"address": "address"}),
    "email": ("email", {"to": "to"}),
    "exec": ("exec", {"command": "command"}),
    "log": ("log", {"filePath": "path"}),
    "victorOps": ("victorOps", {"routingKey": "routing_key"}),
    "pagerDuty": ("pagerDuty", {"serviceKey": "service_key"}),
    "pagerDuty2": ("pagerDuty2", {"serviceKey": "routing_key"}),
    "pushover": ("pushover", {"userKey": "user_key", "device": "device", "title": "title",
                              "url": "url", "urlTitle": "url_title", "sound": "sound"}),
    "sensu": ("sensu", {"source": "source", "handlers": "handlers"}),
    "slack": ("slack", {"channel": "channel", "username": "username",
                        "iconEmoji": "icon_emoji", "workspace": "workspace"}),
    "telegram": ("telegram", {"chatId": "chat_id", "parseMode": "parse_mode",
                              "disableWebPagePreview": "disable_web_page_preview",
                              "disableNotification": "disable_notification"}),
    "alerta": ("alerta", {"token": "token", "resource": "resource", "event": "event",
                          "environment": "environment", "group": "group", "value": "value",
                          "origin": "origin", "service": "services"}),
    "opsGenie": ("opsGenie", {"teams": "teams", "recipients": "recipients"}),
    "opsGenie2": ("opsGenie2", {"teams": "teams", "recipients": "recipients"}),
    "talk": ("talk", {}),
    "kafka": ("kafka", {"cluster": "cluster", "kafka-topic": "kafka_topic",
                        "template": "template"}),
    "serviceNow": ("serviceNow", {"source": "source", "node": "node", "type": "type",
                                  "resource": "resource", "metric_name": "metric_name",
                                  "message_key": "message_key"}),
    "bigPanda": ("bigPanda", {"app-key": "app_key", "primary-property": "primary_property",
                              "secondary-property": "secondary_property"}),
    "teams": ("teams", {"channel_url": "channel_url"}),
    "zenoss": ("zenoss", {"action": "action", "method": "method", "type": "type", "tid": "tid",
                          "device": "device", "component": "component",
                          "evclasskey": "event_class_key", "evclass": "event_class"}),
}

_TICK_DURATION = re.compile(r"^\d+(?:u|µ|ms|s|m|h|d|w)$")
_GO_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?$")
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?(?:\d+\.\d*|\.\d+)$")


def duration(value: Any, what: str) -> str:
    """A TICKscript duration from Chronograf's raw text (``10m``, or Go's ``10m0s``)."""
    text = str(value or "").strip()
    if _TICK_DURATION.match(text):
        return text
    match = _GO_DURATION.match(text)
    if not text or not match:
        raise ImportProblem(f"{what} {text!r} is not a duration")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    for unit, size in (("h", 3600), ("m", 60)):
        if total and total % size == 0:
            return f"{total // size}{unit}"
    return f"{total}s"


def number(text: Any, what: str) -> int | float:
    raw = str(text).strip()
    if _INT.match(raw):
        return int(raw)
    if _FLOAT.match(raw):
        return float(raw)
    raise ImportProblem(f"{what} {raw!r} is not a number")


def threshold_value(text: Any) -> bool | int | float | str:
    """Chronograf's formatValue (§5.2): a number, TRUE/FALSE, else a string."""
    raw = str(text if text is not None else "")
    if _INT.match(raw):
        return int(raw)
    if _FLOAT.match(raw):
        return float(raw)
    if raw in ("TRUE", "FALSE"):
        return raw == "TRUE"
    try:
        float(raw)
    except ValueError:
        return raw
    raise ImportProblem(
        f"threshold value {raw!r} is a number to Go but not to TICKscript; "
        "Chronograf's script for it does not parse"
    )


def _field(query: Mapping[str, Any], every: Any, params: dict[str, Any]) -> None:
    fields = query.get("fields") or []
    if len(fields) != 1:
        raise ImportProblem(f"expected one field in the query, found {len(fields)}")
    field = fields[0]
    if field.get("type") == "func":
        args = field.get("args") or []
        names = [a.get("value") for a in args if a.get("type") == "field"]
        if args and args[0].get("type") == "field":
            params["field"] = str(args[0]["value"])
            group_by = query.get("groupBy") or {}
            params["aggregate"] = {
                "function": str(field.get("value")),
                "period": duration(group_by.get("time"), "groupBy.time"),
                "every": duration(every, "every"),
            }
        elif names:
            # Chronograf declares period/every but evaluates the field itself
            raise ImportProblem("a function whose first argument is not a field")
        else:
            raise ImportProblem("no field in the query")
    else:
        params["field"] = str(field.get("value"))


def _present_fields(fields: Iterable[Mapping[str, Any]]) -> list[str]:
    found: list[str] = []
    for field in fields:
        if field.get("type") == "field":
            found.append(str(field.get("value")))
        found += _present_fields(field.get("args") or [])
    return found


def _where(query: Mapping[str, Any], params: dict[str, Any]) -> None:
    tags = {str(k): [str(v) for v in vs] for k, vs in (query.get("tags") or {}).items()}
    empty = [k for k, vs in tags.items() if not vs]
    if empty:
        raise ImportProblem(f"tag {empty[0]!r} has no values (Chronograf writes '()')")
    if tags:
        params["where" if query.get("areTagsAccepted") else "where_not"] = tags


def _handlers(nodes: Mapping[str, Any]) -> list[dict[str, Any]]:
    handlers: list[dict[str, Any]] = []
    for key, (kind, props) in HANDLERS.items():
        for item in nodes.get(key) or []:
            handler: dict[str, Any] = {"kind": kind}
            for prop, param in props.items():
                value = item.get(prop)
                if isinstance(value, list):
                    value = [str(v) for v in value if v != ""]
                if value in (None, "", [], {}, False, 0):
                    continue  # Kapacitor's builder drops zero values
                handler[param] = value
            handlers.append(handler)
    return handlers


def params_from_rule(rule: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The parameters of one rule, and notes on where Chronograf's script differs."""
    query = rule.get("query")
    if not query:
        raise ImportProblem("the rule has no query: it was not built with the rule builder")
    if query.get("rawText"):
        raise ImportProblem("a batch rule (query.rawText): Chronograf's batch scripts are broken")
    trigger = rule.get("trigger")
    templates = {"threshold": "threshold", "relative": "relative", "deadman": "deadman"}
    if trigger not in templates:
        raise ImportProblem(f"unknown trigger {trigger!r}")
    name = str(rule.get("name") or "")
    if not name:
        raise ImportProblem("the rule has no name")
    task_id = str(rule.get("id") or "") or re.sub(r"[^-._\w]+", "_", name)
    if task_id_problem(task_id):
        raise ImportProblem(str(task_id_problem(task_id)))
    notes: list[str] = []
    p: dict[str, Any] = {"template": templates[trigger], "id": task_id}
    if name != task_id:
        p["name"] = name
    for key, param in (("database", "database"), ("retentionPolicy", "retention_policy"),
                       ("measurement", "measurement")):
        if not query.get(key):
            raise ImportProblem(f"query.{key} is empty")
        p[param] = str(query[key])
    group_tags = (query.get("groupBy") or {}).get("tags") or []
    if group_tags:
        p["group_by"] = [str(t) for t in group_tags]
    _where(query, p)
    if _present_fields(query.get("fields") or []):
        p["field_present_filter"] = True
    values = rule.get("values") or {}
    if trigger == "deadman":
        present = _present_fields(query.get("fields") or [])
        if present:
            p["field"] = present[0]
        p["period"] = duration(values.get("period"), "values.period")
    else:
        _field(query, rule.get("every"), p)
    if rule.get("message"):
        p["message"] = str(rule["message"])
    if rule.get("details"):
        p["details"] = str(rule["details"])
    _condition(trigger, values, p)
    nodes = rule.get("alertNodes") or {}
    ticked = bool(nodes.get("stateChangesOnly"))
    if rule.get("id") and not ticked:
        p["state_changes_only"] = False
    if not rule.get("id") and ticked:
        notes.append("Chronograf writes .stateChangesOnly() twice here; tickgen writes it once")
    if nodes.get("noRecoveries"):
        p["no_recoveries"] = True
    if nodes.get("useFlapping"):
        p["flapping"] = {"low": 0.0, "high": 0.0}
    handlers = _handlers(nodes)
    if handlers:
        p["handlers"] = handlers
    if any(item.get("serviceKey") for item in nodes.get("pagerDuty2") or []):
        notes.append("Chronograf drops the PagerDuty v2 key; tickgen writes it as .routingKey()")
    if rule.get("status") == "disabled":
        p["status"] = "disabled"
    return p, notes


def _condition(trigger: str, values: Mapping[str, Any], p: dict[str, Any]) -> None:
    if trigger == "deadman":
        return
    operator = str(values.get("operator") or "")
    if trigger == "relative":
        if values.get("change") not in CHANGES:
            raise ImportProblem(f"unknown change type {values.get('change')!r}")
        p["change"] = CHANGES[values["change"]]
        p["shift"] = duration(values.get("shift"), "values.shift")
        if operator not in OPERATORS:
            raise ImportProblem(f"invalid operator {operator!r} for a relative rule")
        p["crit"] = {"op": OPERATORS[operator], "value": number(values.get("value"), "value")}
        return
    if values.get("rangeValue"):
        if operator not in RANGES:
            raise ImportProblem(f"invalid operator {operator!r} with a range value")
        lower = number(values.get("value"), "value")
        upper = number(values["rangeValue"], "rangeValue")
        p["crit"] = {"op": RANGES[operator], "lower": lower, "upper": upper}
    else:
        if operator not in OPERATORS:
            raise ImportProblem(f"invalid operator {operator!r}")
        p["crit"] = {"op": OPERATORS[operator], "value": threshold_value(values.get("value"))}


def import_rule(rule: Mapping[str, Any], renderer: Renderer) -> Imported:
    """One rule as checked parameters (rendered once), or why it cannot be."""
    label = str(rule.get("id") or rule.get("name") or "<rule without id or name>")
    try:
        params, notes = params_from_rule(rule)
        if rule.get("tickscript") and "isPresent(" not in str(rule["tickscript"]):
            params.pop("field_present_filter", None)  # written by a Chronograf before isPresent
        rendered = render_params(params, renderer)
    except ImportProblem as exc:
        return Imported(label, reason=str(exc))
    script = rule.get("tickscript")
    if isinstance(script, str) and script and script != rendered.script:
        where = first_difference(script, rendered.script)
        notes.append(f"differs from the rule's tickscript at {where}")
    return Imported(params["id"], params=params, note="\n".join(notes))


def load_rules(path: Path) -> list[Mapping[str, Any]]:
    """Rules from a file: ``{"rules": [...]}`` as the API answers, a list, or one rule."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportProblem(f"{path}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        data = data["rules"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportProblem(f"{path}: expected Chronograf rules: {{\"rules\": [...]}} or a list")
    return data
