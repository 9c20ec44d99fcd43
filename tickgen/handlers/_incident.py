"""Handlers for incident, paging and monitoring systems."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, StrictBool, StrictStr

from tickgen.tick import quote
from tickgen.tick.quote import Tick

from ._base import (
    Duration,
    HandlerModel,
    Int64,
    NonEmpty,
    Part,
    ScalarMap,
    call,
    duration,
    flag,
    integer,
    not_null,
    pairs,
    since,
    strings,
    text,
)

_TEMPLATE = " (a Go template over the alert data)"


class VictorOpsHandler(HandlerModel):
    """Send the alert to VictorOps (``.victorOps()``)."""

    kind: Literal["victorOps"] = Field(description="Handler type: VictorOps.")
    routing_key: StrictStr = Field(
        default="", description="Routing key; empty means the one in [victorops]."
    )

    def lines(self) -> list[Tick]:
        return [call("victorOps"), *text("routingKey", self.routing_key)]


class PagerDutyHandler(HandlerModel):
    """Send the alert to PagerDuty's v1 events API (``.pagerDuty()``)."""

    kind: Literal["pagerDuty"] = Field(description="Handler type: PagerDuty (events API v1).")
    service_key: StrictStr = Field(
        default="", description="Service key; empty means the one in [pagerduty]."
    )

    def lines(self) -> list[Tick]:
        return [call("pagerDuty"), *text("serviceKey", self.service_key)]


class PagerDutyLink(Part):
    """A link shown with a PagerDuty v2 incident."""

    href: NonEmpty = Field(description="The link's URL" + _TEMPLATE + ".")
    text: StrictStr = Field(default="", description="The link's text.")

    def line(self) -> Tick:
        label = [quote.string(self.text)] if self.text else []
        return call("link", quote.string(self.href), *label)


class PagerDuty2Handler(HandlerModel):
    """Send the alert to PagerDuty's v2 events API (``.pagerDuty2()``)."""

    kind: Literal["pagerDuty2"] = Field(description="Handler type: PagerDuty (events API v2).")
    routing_key: StrictStr = Field(
        default="",
        description="Integration (routing) key; empty means the one in [pagerduty2]. "
        "Kapacitor 1.5.1+.",
    )
    links: list[PagerDutyLink] = Field(
        default_factory=list,
        description="Links attached to the incident. Kapacitor 1.5.2+.",
    )

    def lines(self) -> list[Tick]:
        return [
            call("pagerDuty2"),
            *text("routingKey", self.routing_key),
            *(link.line() for link in self.links),
        ]


class SensuHandler(HandlerModel):
    """Send the alert to a Sensu client (``.sensu()``)."""

    kind: Literal["sensu"] = Field(description="Handler type: Sensu.")
    source: StrictStr = Field(
        default="", description="Sensu source name" + _TEMPLATE + "; empty means [sensu] source."
    )
    handlers: list[NonEmpty] = Field(
        default_factory=list, description="Sensu handlers; empty means [sensu] handlers."
    )
    metadata: ScalarMap = Field(
        default_factory=dict,
        description="Extra check attributes: string, number or boolean values. Kapacitor 1.5.2+.",
    )

    def lines(self) -> list[Tick]:
        return [
            call("sensu"),
            *text("source", self.source),
            *strings("handlers", self.handlers),
            *pairs("metadata", self.metadata),
        ]


class ServiceNowHandler(HandlerModel):
    """Create a ServiceNow event (``.serviceNow()``). Kapacitor 1.5.7+."""

    kind: Literal["serviceNow"] = Field(description="Handler type: ServiceNow.")
    url: StrictStr = Field(default="", description="Events API URL; empty means [servicenow] url.")
    username: StrictStr = Field(default="", description="API user; empty means the configured one.")
    password: StrictStr = Field(default="", description="API password; empty means configured.")
    source: StrictStr = Field(default="", description="Event source" + _TEMPLATE + ".")
    node: StrictStr = Field(default="", description="Event node" + _TEMPLATE + ".")
    type: StrictStr = Field(default="", description="Event type" + _TEMPLATE + ".")
    resource: StrictStr = Field(default="", description="Event resource" + _TEMPLATE + ".")
    metric_name: StrictStr = Field(default="", description="Metric name" + _TEMPLATE + ".")
    message_key: StrictStr = Field(default="", description="Message key" + _TEMPLATE + ".")
    additional_info: ScalarMap = Field(
        default_factory=dict, description="Extra event fields: string, number or boolean values."
    )

    def lines(self) -> list[Tick]:
        return [
            call("serviceNow"),
            *text("uRL", self.url),
            *text("username", self.username),
            *text("password", self.password),
            *text("source", self.source),
            *text("node", self.node),
            *text("type", self.type),
            *text("resource", self.resource),
            *text("metricName", self.metric_name),
            *text("messageKey", self.message_key),
            *pairs("additionalInfo", self.additional_info),
        ]


class BigPandaHandler(HandlerModel):
    """Send the alert to BigPanda (``.bigPanda()``). Kapacitor 1.5.8+."""

    kind: Literal["bigPanda"] = Field(description="Handler type: BigPanda.")
    app_key: StrictStr = Field(default="", description="App key; empty means [bigpanda] app-key.")
    host: StrictStr = Field(
        default="",
        description="The object that caused the alert" + _TEMPLATE + ".",
        json_schema_extra=since("1.6.3"),
    )
    primary_property: StrictStr = Field(
        default="", description="Tag or field BigPanda uses as the primary property."
    )
    secondary_property: StrictStr = Field(
        default="", description="Tag or field BigPanda uses as the secondary property."
    )
    attributes: ScalarMap = Field(
        default_factory=dict,
        description="Extra alert attributes: string, number or boolean values.",
        json_schema_extra=since("1.6.3"),
    )

    def lines(self) -> list[Tick]:
        return [
            call("bigPanda"),
            *text("appKey", self.app_key),
            *text("host", self.host),
            *text("primaryProperty", self.primary_property),
            *text("secondaryProperty", self.secondary_property),
            *pairs("attribute", self.attributes),
        ]


class AlertaHandler(HandlerModel):
    """Send the alert to Alerta (``.alerta()``)."""

    kind: Literal["alerta"] = Field(description="Handler type: Alerta.")
    token: StrictStr = Field(default="", description="API token; empty means [alerta] token.")
    resource: StrictStr = Field(default="", description="Alerta resource" + _TEMPLATE + ".")
    event: StrictStr = Field(default="", description="Alerta event" + _TEMPLATE + ".")
    environment: StrictStr = Field(default="", description="Alerta environment" + _TEMPLATE + ".")
    group: StrictStr = Field(default="", description="Alerta group" + _TEMPLATE + ".")
    value: StrictStr = Field(default="", description="Alerta value" + _TEMPLATE + ".")
    origin: StrictStr = Field(default="", description="Alerta origin; empty means [alerta] origin.")
    services: list[NonEmpty] = Field(default_factory=list, description="Affected services.")
    correlated: list[NonEmpty] = Field(
        default_factory=list,
        description="Events correlated with this one. Kapacitor 1.5.8+.",
    )
    timeout: Duration | None = Field(
        default=None, description="Alerta alert timeout.", json_schema_extra=not_null
    )
    attributes: ScalarMap = Field(
        default_factory=dict,
        description="Extra alert attributes: string, number or boolean values.",
        json_schema_extra=since("1.6.3"),
    )

    def lines(self) -> list[Tick]:
        return [
            call("alerta"),
            *text("token", self.token),
            *text("resource", self.resource),
            *text("event", self.event),
            *text("environment", self.environment),
            *text("group", self.group),
            *text("value", self.value),
            *text("origin", self.origin),
            *strings("services", self.services),
            *strings("correlated", self.correlated),
            *duration("timeout", self.timeout),
            *pairs("attribute", self.attributes),
        ]


class OpsGenieHandler(HandlerModel):
    """Send the alert to OpsGenie's v1 API (``.opsGenie()``)."""

    kind: Literal["opsGenie"] = Field(description="Handler type: OpsGenie (API v1).")
    teams: list[NonEmpty] = Field(
        default_factory=list, description="Teams to notify; empty means [opsgenie] teams."
    )
    recipients: list[NonEmpty] = Field(
        default_factory=list, description="Recipients; empty means [opsgenie] recipients."
    )

    def lines(self) -> list[Tick]:
        return [
            call("opsGenie"),
            *strings("teams", self.teams),
            *strings("recipients", self.recipients),
        ]


class OpsGenie2Handler(HandlerModel):
    """Send the alert to OpsGenie's v2 API (``.opsGenie2()``)."""

    kind: Literal["opsGenie2"] = Field(description="Handler type: OpsGenie (API v2).")
    teams: list[NonEmpty] = Field(
        default_factory=list, description="Teams to notify; empty means [opsgenie2] teams."
    )
    recipients: list[NonEmpty] = Field(
        default_factory=list, description="Recipients; empty means [opsgenie2] recipients."
    )
    recovery_action: StrictStr = Field(
        default="",
        description="What a recovery does to the OpsGenie alert, e.g. 'notes' or 'close'. "
        "Kapacitor 1.5.7+.",
    )
    details: StrictBool = Field(
        default=False,
        description="Use the alert's details as the OpsGenie description. Kapacitor 1.5.8+.",
    )

    def lines(self) -> list[Tick]:
        return [
            call("opsGenie2"),
            *strings("teams", self.teams),
            *strings("recipients", self.recipients),
            *text("recoveryAction", self.recovery_action),
            *flag("details", self.details),
        ]


class ZenossHandler(HandlerModel):
    """Send the alert to Zenoss as an event (``.zenoss()``)."""

    model_config = ConfigDict(json_schema_extra=since("1.6.0"))

    kind: Literal["zenoss"] = Field(description="Handler type: Zenoss.")
    url: StrictStr = Field(default="", description="Zenoss router URL; empty means [zenoss] url.")
    username: StrictStr = Field(default="", description="API user; empty means the configured one.")
    password: StrictStr = Field(default="", description="API password; empty means configured.")
    action: StrictStr = Field(default="", description="Router action, e.g. 'EventsRouter'.")
    method: StrictStr = Field(default="", description="Router method, e.g. 'add_event'.")
    type: StrictStr = Field(default="", description="Request type, e.g. 'rpc'.")
    tid: Int64 = Field(default=0, ge=0, description="Transaction id.")
    summary: StrictStr = Field(default="", description="Event summary" + _TEMPLATE + ".")
    device: StrictStr = Field(default="", description="Event device" + _TEMPLATE + ".")
    component: StrictStr = Field(default="", description="Event component" + _TEMPLATE + ".")
    event_class_key: StrictStr = Field(default="", description="Event class key" + _TEMPLATE + ".")
    event_class: StrictStr = Field(default="", description="Event class" + _TEMPLATE + ".")
    collector: StrictStr = Field(default="", description="Event collector" + _TEMPLATE + ".")
    message: StrictStr = Field(
        default="", description="Event message" + _TEMPLATE + "; empty means the alert message."
    )
    custom_field: ScalarMap = Field(
        default_factory=dict, description="Extra event fields: string, number or boolean values."
    )

    def lines(self) -> list[Tick]:
        return [
            call("zenoss"),
            *text("uRL", self.url),
            *text("username", self.username),
            *text("password", self.password),
            *text("action", self.action),
            *text("method", self.method),
            *text("type", self.type),
            *integer("tid", self.tid),
            *text("summary", self.summary),
            *text("device", self.device),
            *text("component", self.component),
            *text("eventClassKey", self.event_class_key),
            *text("eventClass", self.event_class),
            *text("collector", self.collector),
            *text("message", self.message),
            *pairs("customField", self.custom_field),
        ]
