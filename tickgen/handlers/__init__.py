"""Kapacitor's alert handlers as typed parameters, and the one place that renders them.

Each handler is a pydantic model whose ``kind`` is the TICKscript method that
creates it (``slack``, ``victorOps``, ``pagerDuty2``...); :data:`Handler`, the
type of an entry of an alert's ``handlers`` list, is validated by the model its
``kind`` names (:data:`HANDLER_MODELS`), and written in JSON Schema as the
discriminated union of them all.  Parameter names
are snake_case; the TICKscript spelling, odd or not (``.uRL()``,
``.uRLTitle()``, ``.channelURL()``, ``.chatId()``, ``.avatarURL()``,
``.qos()``), lives only in the handler modules.

:func:`handler_lines` writes the property lines that follow an alert's own
properties.  The order is that of Kapacitor's AST builder
(``pipeline/tick/alert.go``), which is also what Chronograf emits: handler
types in :data:`HANDLER_ORDER`, handlers of one type in list order, and each
handler's properties in the builder's order with unset (zero) values left out.
For the handlers and properties Chronograf knows, the block is byte-identical
to Chronograf's.  Where Kapacitor's builder is silent, we chose:

* ``discord`` (which the builder never writes) comes right after ``slack``,
  where it sits in Kapacitor's ``AlertNodeData``; its properties, and the
  ``url``/``username``/``password`` of serviceNow and zenoss and opsGenie2's
  ``recoveryAction``/``details`` (also never written by the builder), follow
  the order of the Go struct fields.

Deviations from Chronograf, each fixing a bug rather than copying it:

* PagerDuty v2's key is written (``.routingKey(...)``); Chronograf drops it.
* After ``.opsGenie()``/``.opsGenie2()`` the chain is that handler, whose own
  ``teams`` property shadows the alert's ``.teams()`` handler method, so a
  ``.teams()`` right after an OpsGenie block would silently become OpsGenie's
  team list.  When the Teams handlers would directly follow an OpsGenie block
  (no talk, mqtt, snmpTrap or zenoss handler in between), they are written
  just before the first OpsGenie handler instead.  No other handler has a
  property named like a handler method, so this is the only such case.
* Values are escaped by :mod:`tickgen.tick.quote` (a value ending in a
  backslash, which breaks Chronograf's script, is written triple-quoted, or
  as a concatenation where it also holds ``'''``), list
  and map properties never drop empty entries (empty strings are refused
  instead), and a header or map entry always keeps both arguments.  Map
  values (sensu metadata, alerta/bigPanda attributes, serviceNow
  additional_info, zenoss custom_field) are strings, numbers or booleans:
  the JSON values a TICKscript literal can write.

``.topic()`` is not a handler here: it is an alert property (the alert
model's ``topic``), which Kapacitor writes before any handler.

:func:`version_problems` reports handlers and properties that the target
Kapacitor version does not have yet; each model carries the version that added
it under ``x-kapacitor-since`` in its JSON Schema.  :func:`handlers_json_schema`
is the list's schema with pydantic's discriminated ``oneOf`` rewritten by
:func:`if_then`, so that a validator's errors name the property at fault.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler, TypeAdapter
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticKnownError, core_schema

from tickgen.tick.quote import Tick

from ._base import HandlerModel, Part
from ._schema import handlers_json_schema, if_then
from ._versions import Version, parse_version, since_version, version_problems

if TYPE_CHECKING:
    from ._chat import (
        DiscordHandler,
        HipChatHandler,
        PushoverHandler,
        SlackHandler,
        TalkHandler,
        TeamsHandler,
        TelegramHandler,
    )
    from ._incident import (
        AlertaHandler,
        BigPandaHandler,
        OpsGenie2Handler,
        OpsGenieHandler,
        PagerDuty2Handler,
        PagerDutyHandler,
        PagerDutyLink,
        SensuHandler,
        ServiceNowHandler,
        VictorOpsHandler,
        ZenossHandler,
    )
    from ._transport import (
        EmailHandler,
        ExecHandler,
        KafkaHandler,
        LogHandler,
        MqttHandler,
        PostHandler,
        SnmpData,
        SnmpTrapHandler,
        TcpHandler,
    )

__all__ = [
    "HANDLER_MODELS",
    "HANDLER_ORDER",
    "AlertaHandler",
    "BigPandaHandler",
    "DiscordHandler",
    "EmailHandler",
    "ExecHandler",
    "Handler",
    "HandlerModel",
    "HipChatHandler",
    "KafkaHandler",
    "LogHandler",
    "MqttHandler",
    "OpsGenie2Handler",
    "OpsGenieHandler",
    "PagerDuty2Handler",
    "PagerDutyHandler",
    "PagerDutyLink",
    "Part",
    "PostHandler",
    "PushoverHandler",
    "SensuHandler",
    "ServiceNowHandler",
    "SlackHandler",
    "SnmpData",
    "SnmpTrapHandler",
    "TalkHandler",
    "TcpHandler",
    "TeamsHandler",
    "TelegramHandler",
    "Version",
    "VictorOpsHandler",
    "ZenossHandler",
    "handler_lines",
    "handler_model",
    "handler_models",
    "handlers_json_schema",
    "if_then",
    "parse_version",
    "since_version",
    "version_problems",
]

# kind -> its model, as "module.Class" under tickgen.handlers, in Kapacitor's
# AST-builder order of handler types (v1.5.9 and v1.7), with discord, which the
# builder omits, after slack.  Chronograf's order is the subsequence of the
# types it knows.  A model's module is imported, and its pydantic schema built,
# when a handler of its kind is first validated: an alert that sends to Slack
# loads the chat handlers, and one with no handler none of them (issue 15,
# start-up: creating the 25 classes and building their union cost ~40 ms of CPU,
# a sixth of `tickgen render` of one file).
HANDLER_MODELS: dict[str, str] = {
    "post": "_transport.PostHandler",
    "tcp": "_transport.TcpHandler",
    "email": "_transport.EmailHandler",
    "exec": "_transport.ExecHandler",
    "log": "_transport.LogHandler",
    "victorOps": "_incident.VictorOpsHandler",
    "pagerDuty": "_incident.PagerDutyHandler",
    "pagerDuty2": "_incident.PagerDuty2Handler",
    "pushover": "_chat.PushoverHandler",
    "sensu": "_incident.SensuHandler",
    "serviceNow": "_incident.ServiceNowHandler",
    "bigPanda": "_incident.BigPandaHandler",
    "slack": "_chat.SlackHandler",
    "discord": "_chat.DiscordHandler",
    "telegram": "_chat.TelegramHandler",
    "hipChat": "_chat.HipChatHandler",
    "kafka": "_transport.KafkaHandler",
    "alerta": "_incident.AlertaHandler",
    "opsGenie": "_incident.OpsGenieHandler",
    "opsGenie2": "_incident.OpsGenie2Handler",
    "talk": "_chat.TalkHandler",
    "mqtt": "_transport.MqttHandler",
    "snmpTrap": "_transport.SnmpTrapHandler",
    "zenoss": "_incident.ZenossHandler",
    "teams": "_chat.TeamsHandler",
}
HANDLER_ORDER: tuple[str, ...] = tuple(HANDLER_MODELS)

# public name -> module, for the classes loaded on first use (module __getattr__)
_CLASS_MODULES = {
    **{where.partition(".")[2]: where.partition(".")[0] for where in HANDLER_MODELS.values()},
    "PagerDutyLink": "_incident",
    "SnmpData": "_transport",
}


def __getattr__(name: str) -> Any:
    module = _CLASS_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


@cache
def handler_model(kind: str) -> type[HandlerModel] | None:
    """The model of handler ``kind`` (``"slack"``...), or None for no such handler."""
    where = HANDLER_MODELS.get(kind)
    if where is None:
        return None
    model: type[HandlerModel] = __getattr__(where.partition(".")[2])
    return model


def handler_models() -> list[type[HandlerModel]]:
    """Every handler model, in :data:`HANDLER_ORDER` (this imports them all)."""
    return [model for kind in HANDLER_ORDER if (model := handler_model(kind)) is not None]


def _handler(value: object) -> HandlerModel:
    """One handler validated by the model its ``kind`` names; pydantic's errors
    (those of a discriminated union on ``kind``) when there is no such kind."""
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    if kind is None:
        raise PydanticKnownError("union_tag_not_found", {"discriminator": "'kind'"})
    model = handler_model(kind) if isinstance(kind, str) else None
    if model is None:
        expected = ", ".join(repr(k) for k in HANDLER_ORDER)
        raise PydanticKnownError(
            "union_tag_invalid",
            {"discriminator": "'kind'", "tag": str(kind), "expected_tags": expected},
        )
    if isinstance(value, model):
        return value  # built by the caller (frozen), taken as it is
    return model.model_validate(value)


class _ByKind:
    """pydantic's view of :data:`Handler`: validated by :func:`_handler`, written
    out by each model's own serializer, and described in JSON Schema as the
    discriminated union of every handler model (what the schema files hold)."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_handler)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # the union is made at run time from the list of models, hence the ignore
        models = tuple(handler_models())
        union = Annotated[Union[models], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007
        return handler(TypeAdapter[Any](union).core_schema)


Handler = Annotated[HandlerModel, _ByKind]
"""One alert handler; ``kind`` selects the model."""

_RANK = {kind: i for i, kind in enumerate(HANDLER_ORDER)}
_OPSGENIE = frozenset({"opsGenie", "opsGenie2"})


def handler_lines(handlers: Sequence[HandlerModel]) -> list[Tick]:
    """The property lines of ``handlers``, unindented, in Kapacitor's order."""
    ordered = sorted(handlers, key=lambda h: _RANK[h.kind])  # stable within a type
    first_teams = next((i for i, h in enumerate(ordered) if h.kind == "teams"), None)
    if first_teams is not None and first_teams > 0 and ordered[first_teams - 1].kind in _OPSGENIE:
        # See the module docstring: move Teams ahead of the OpsGenie block.
        teams = ordered[first_teams:]
        rest = ordered[:first_teams]
        first_opsgenie = next(i for i, h in enumerate(rest) if h.kind in _OPSGENIE)
        ordered = rest[:first_opsgenie] + teams + rest[first_opsgenie:]
    return [line for handler in ordered for line in handler.lines()]
