"""Kapacitor's alert handlers as typed parameters, and the one place that renders them.

Each handler is a pydantic model whose ``kind`` is the TICKscript method that
creates it (``slack``, ``victorOps``, ``pagerDuty2``...); :data:`Handler` is
the discriminated union an alert's ``handlers`` list holds.  Parameter names
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

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from tickgen.tick.quote import Tick

from ._base import HandlerModel, Part
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
from ._schema import handlers_json_schema, if_then
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
from ._versions import Version, parse_version, since_version, version_problems

__all__ = [
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
    "handlers_json_schema",
    "if_then",
    "parse_version",
    "since_version",
    "version_problems",
]

Handler = Annotated[
    (
        PostHandler
        | TcpHandler
        | EmailHandler
        | ExecHandler
        | LogHandler
        | VictorOpsHandler
        | PagerDutyHandler
        | PagerDuty2Handler
        | PushoverHandler
        | SensuHandler
        | ServiceNowHandler
        | BigPandaHandler
        | SlackHandler
        | DiscordHandler
        | TelegramHandler
        | HipChatHandler
        | KafkaHandler
        | AlertaHandler
        | OpsGenieHandler
        | OpsGenie2Handler
        | TalkHandler
        | MqttHandler
        | SnmpTrapHandler
        | ZenossHandler
        | TeamsHandler
    ),
    Field(discriminator="kind"),
]
"""One alert handler; ``kind`` selects the model."""

# Kapacitor's AST-builder order of handler types (v1.5.9 and v1.7), with
# discord, which the builder omits, after slack.  Chronograf's order is the
# subsequence of the types it knows.
HANDLER_ORDER: tuple[str, ...] = (
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
    "serviceNow",
    "bigPanda",
    "slack",
    "discord",
    "telegram",
    "hipChat",
    "kafka",
    "alerta",
    "opsGenie",
    "opsGenie2",
    "talk",
    "mqtt",
    "snmpTrap",
    "zenoss",
    "teams",
)
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
