"""Which TICKscript arguments Kapacitor parses as Go templates, and in which context.

One table, :data:`TEMPLATE_ARGS`, keyed by the TICKscript method as it is
written: ``("", "message")`` for an alert property, ``("alerta", "resource")``
for a property of the alerta handler, ``("", "mqtt")`` for the argument of a
handler's creating call.  The handler models name their template fields by
the same keys (``tickgen.handlers._base.go_template``), and the TICKscript
checker looks calls up here, so the facts live once.  They come from
``newAlertNode`` and each ``services/*/service.go`` at v1.5.9 and v1.8.3
(``/work/shared/reference/go-templates.md`` §1).

Left out on purpose: ``.post(url)``: Kapacitor ignores the URL when
``.endpoint()`` names a configured endpoint, which only the server knows
(the models check it when no endpoint is set); the httpPost and sideload
nodes, which tickgen's templates never write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .checker import template_problem
from .contexts import context

__all__ = ["TEMPLATE_ARGS", "TemplateArg", "tick_call_problems", "value_problem"]


@dataclass(frozen=True)
class TemplateArg:
    data: str  # a data type of tickgen.gotemplate.contexts
    name: str  # the template's name in Go's errors; "{key}" is the map key
    args: str  # which arguments: "all", "last" (of a key/value pair) or an index
    since: tuple[int, ...] = (1, 5)  # the first Kapacitor that parses it as a template


_TD = "TemplateData"

TEMPLATE_ARGS: dict[tuple[str, str], TemplateArg] = {
    ("", "id"): TemplateArg("idInfo", "id", "0"),
    ("", "message"): TemplateArg("messageInfo", "message", "0"),
    ("", "details"): TemplateArg("detailsInfo", "details", "0"),
    ("alerta", "resource"): TemplateArg(_TD, "resource", "0"),
    ("alerta", "event"): TemplateArg("eventData", "event", "0"),
    ("alerta", "environment"): TemplateArg(_TD, "environment", "0"),
    ("alerta", "group"): TemplateArg(_TD, "group", "0"),
    ("alerta", "value"): TemplateArg(_TD, "value", "0"),
    ("alerta", "services"): TemplateArg(_TD, "service", "all"),
    ("alerta", "correlated"): TemplateArg(_TD, "correlate", "all"),
    ("alerta", "attribute"): TemplateArg(_TD, "{key}", "last", since=(1, 8)),
    ("pagerDuty2", "link"): TemplateArg(_TD, "href", "0"),
    ("pagerDuty2", "link text"): TemplateArg(_TD, "text", "1"),
    ("discord", "embedTitle"): TemplateArg(_TD, "embedTitle", "0"),
    ("", "mqtt"): TemplateArg(_TD, "topic", "0", since=(1, 5, 4)),
    ("mqtt", "topic"): TemplateArg(_TD, "topic", "0", since=(1, 5, 4)),
    ("sensu", "source"): TemplateArg(_TD, "source", "0"),
    ("snmpTrap", "data"): TemplateArg(_TD, "data", "2"),
    ("kafka", "template"): TemplateArg("Data", "kafka alert template", "0"),
    ("", "post url"): TemplateArg("Data", "body", "0", since=(1, 5, 7)),
    ("serviceNow", "node"): TemplateArg("dataInfo", "node", "0"),
    ("serviceNow", "type"): TemplateArg("dataInfo", "type", "0"),
    ("serviceNow", "resource"): TemplateArg("dataInfo", "resource", "0"),
    ("serviceNow", "metricName"): TemplateArg("dataInfo", "metricName", "0"),
    ("serviceNow", "messageKey"): TemplateArg("dataInfo", "messageKey", "0"),
    ("serviceNow", "additionalInfo"): TemplateArg("dataInfo", "additional_info.{key}", "last"),
    ("bigPanda", "host"): TemplateArg(_TD, "host", "0"),
    ("bigPanda", "attribute"): TemplateArg(_TD, "{key}", "last"),
    ("zenoss", "summary"): TemplateArg("zenoss", "summary", "0"),
    ("zenoss", "device"): TemplateArg("zenoss", "device", "0"),
    ("zenoss", "component"): TemplateArg("zenoss", "component", "0"),
    ("zenoss", "eventClassKey"): TemplateArg("zenoss", "evclasskey", "0"),
    ("zenoss", "eventClass"): TemplateArg("zenoss", "evclass", "0"),
    ("zenoss", "message"): TemplateArg("zenoss", "message", "0"),
    ("zenoss", "collector"): TemplateArg("zenoss", "collector", "0"),
    ("zenoss", "customField"): TemplateArg("zenoss", "customData.{key}", "last"),
    ("email", "toTemplates"): TemplateArg("EventData", "{index}", "all"),
}


def value_problem(
    spec: TemplateArg, value: object, version: tuple[int, ...], *, key: str = "", index: int = 0
) -> str | None:
    """Why ``value`` fails as the template ``spec`` on Kapacitor ``version``, or None.

    Only non-empty strings are templates (Kapacitor skips empty ones, and a
    map value that is a number or a boolean is not parsed).
    """
    if not isinstance(value, str) or not value or version < spec.since:
        return None
    name = spec.name.replace("{key}", key).replace("{index}", str(index))
    return _problem(value, spec.data, name, version)


# Alerts share their templates (a team's message, a handler's default), so each
# distinct (template, context) is parsed once: about 1.5 ms saved per repeat.
@lru_cache(maxsize=4096)
def _problem(text: str, data: str, name: str, version: tuple[int, ...]) -> str | None:
    return template_problem(text, context(data, name, version))


def tick_call_problems(
    handler: str | None, method: str, args: Sequence[object], version: tuple[int, ...]
) -> list[str]:
    """The template problems of the TICKscript call ``.method(args...)``.

    ``handler`` is the handler the chain is on (None for the alert itself);
    ``args`` are the constant values of the arguments (None where unknown).
    """
    spec = TEMPLATE_ARGS.get((handler or "", method))
    if spec is None and method in ("id", "message", "details"):
        # after a handler without such a property, Kapacitor sets the alert's
        spec = TEMPLATE_ARGS[("", method)]
    if spec is None:
        return []
    problems: list[str] = []
    if spec.args == "all":
        for i, arg in enumerate(args):
            problems.append(value_problem(spec, arg, version, index=i) or "")
    elif spec.args == "last":
        if len(args) == 2 and isinstance(args[0], str):
            problems.append(value_problem(spec, args[1], version, key=args[0]) or "")
    elif int(spec.args) < len(args):
        problems.append(value_problem(spec, args[int(spec.args)], version) or "")
    if (handler, method) == ("pagerDuty2", "link") and len(args) > 1:
        problems.append(
            value_problem(TEMPLATE_ARGS[("pagerDuty2", "link text")], args[1], version) or ""
        )
    return [p for p in problems if p]
