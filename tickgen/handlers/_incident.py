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
    template_field,
    text,
)


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

    href: NonEmpty = template_field("pagerDuty2", "link", "The link's URL.")
    text: StrictStr = template_field(
        "pagerDuty2", "link text", "The link's text; empty shows the URL.", default=""
    )

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
    source: StrictStr = template_field(
        "sensu",
        "source",
        "Sensu source name (a Go template); empty means [sensu] source (not a template).",
        default="",
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
    source: StrictStr = Field(
        default="", description="Event source (plain text, not a template); empty means configured."
    )
    node: StrictStr = template_field("serviceNow", "node", "Event node.", default="")
    type: StrictStr = template_field("serviceNow", "type", "Event type.", default="")
    resource: StrictStr = template_field("serviceNow", "resource", "Event resource.", default="")
    metric_name: StrictStr = template_field("serviceNow", "metricName", "Metric name.", default="")
    message_key: StrictStr = template_field("serviceNow", "messageKey", "Message key.", default="")
    additional_info: ScalarMap = template_field(
        "serviceNow",
        "additionalInfo",
        "Extra event fields: string, number or boolean values; string values are Go templates.",
        default_factory=dict,
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
    host: StrictStr = template_field(
        "bigPanda",
        "host",
        "The object that caused the alert.",
        extra=since("1.6.3"),
        default="",
    )
    primary_property: StrictStr = Field(
        default="", description="Tag or field BigPanda uses as the primary property."
    )
    secondary_property: StrictStr = Field(
        default="", description="Tag or field BigPanda uses as the secondary property."
    )
    attributes: ScalarMap = template_field(
        "bigPanda",
        "attribute",
        "Extra alert attributes: string, number or boolean values; string values are Go "
        "templates.",
        extra=since("1.6.3"),
        default_factory=dict,
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
    resource: StrictStr = template_field("alerta", "resource", "Alerta resource.", default="")
    event: StrictStr = template_field("alerta", "event", "Alerta event.", default="")
    environment: StrictStr = template_field(
        "alerta", "environment", "Alerta environment.", default=""
    )
    group: StrictStr = template_field("alerta", "group", "Alerta group.", default="")
    value: StrictStr = template_field("alerta", "value", "Alerta value.", default="")
    origin: StrictStr = Field(default="", description="Alerta origin; empty means [alerta] origin.")
    services: list[NonEmpty] = template_field(
        "alerta", "services", "Affected services, each a Go template.", default_factory=list
    )
    correlated: list[NonEmpty] = template_field(
        "alerta",
        "correlated",
        "Events correlated with this one, each a Go template. Kapacitor 1.5.8+.",
        default_factory=list,
    )
    timeout: Duration | None = Field(
        default=None, description="Alerta alert timeout.", json_schema_extra=not_null
    )
    attributes: ScalarMap = template_field(
        "alerta",
        "attribute",
        "Extra alert attributes: string, number or boolean values; string values are Go "
        "templates from Kapacitor 1.8.",
        extra=since("1.6.3"),
        default_factory=dict,
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
    summary: StrictStr = template_field("zenoss", "summary", "Event summary.", default="")
    device: StrictStr = template_field("zenoss", "device", "Event device.", default="")
    component: StrictStr = template_field("zenoss", "component", "Event component.", default="")
    event_class_key: StrictStr = template_field(
        "zenoss", "eventClassKey", "Event class key.", default=""
    )
    event_class: StrictStr = template_field("zenoss", "eventClass", "Event class.", default="")
    collector: StrictStr = template_field("zenoss", "collector", "Event collector.", default="")
    message: StrictStr = template_field(
        "zenoss", "message", "Event message; empty means the alert message.", default=""
    )
    custom_field: ScalarMap = template_field(
        "zenoss",
        "customField",
        "Extra event fields: string, number or boolean values; string values are Go templates.",
        default_factory=dict,
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
