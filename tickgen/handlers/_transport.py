"""Handlers that deliver the alert over a generic transport: HTTP, TCP, email,
a command, a file, MQTT, SNMP traps and Kafka."""

from __future__ import annotations

import posixpath
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
    model_validator,
)

from tickgen.schema import ERROR_KEY
from tickgen.tick import quote
from tickgen.tick.quote import Tick

from ._base import (
    Duration,
    HandlerModel,
    NonEmpty,
    Part,
    boolean,
    call,
    duration,
    each,
    flag,
    integer,
    not_null,
    since,
    strings,
    template_field,
    text,
)


class PostHandler(HandlerModel):
    """POST the alert data as JSON to a URL, or to an endpoint named in Kapacitor's
    ``[[httppost]]`` configuration (``.post()``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["url"], "properties": {"url": {"minLength": 1}}},
                {"required": ["endpoint"], "properties": {"endpoint": {"minLength": 1}}},
            ]
        }
    )

    kind: Literal["post"] = Field(description="Handler type: HTTP POST.")
    url: StrictStr = template_field(
        "",
        "post url",
        "The URL to POST to (a Go template since Kapacitor 1.5.7, ignored when endpoint is "
        "set). Either url or endpoint is required.",
        extra={"x-go-template-unless": "endpoint"},
        default="",
    )
    endpoint: StrictStr = Field(
        default="", description="Name of an [[httppost]] endpoint from Kapacitor's configuration."
    )
    headers: dict[NonEmpty, StrictStr] = Field(
        default_factory=dict,
        description="Extra HTTP headers, name to value. 'Authenticate' is refused by Kapacitor; "
        "configure credentials in the endpoint instead.",
    )
    capture_response: StrictBool = Field(
        default=False, description="Log the HTTP response body when the status is not 2xx."
    )
    timeout: Duration | None = Field(
        default=None, description="Timeout of the HTTP request.", json_schema_extra=not_null
    )
    skip_ssl_verification: StrictBool = Field(
        default=False,
        description="Do not verify the server's TLS certificate. Kapacitor 1.5.3+.",
    )

    @field_validator("headers")
    @classmethod
    def _no_authenticate(cls, headers: dict[str, str]) -> dict[str, str]:
        for name in headers:
            if name.upper() == "AUTHENTICATE":
                raise ValueError(
                    "Kapacitor refuses the 'Authenticate' header in a script; "
                    "set credentials in an [[httppost]] endpoint and use endpoint"
                )
        return headers

    @model_validator(mode="after")
    def _url_or_endpoint(self) -> PostHandler:
        if not self.url and not self.endpoint:
            raise ValueError(
                "a post handler needs url (e.g. url: https://alerts.example.com/hook) or "
                "endpoint (the id of an [[httppost]] section of the server's configuration)"
            )
        return self

    def lines(self) -> list[Tick]:
        return [
            call("post", *([quote.string(self.url)] if self.url else [])),
            *text("endpoint", self.endpoint),
            *flag("captureResponse", self.capture_response),
            *duration("timeout", self.timeout),
            *flag("skipSSLVerification", self.skip_ssl_verification),
            *(
                call("header", quote.string(k), quote.string(self.headers[k]))
                for k in sorted(self.headers)
            ),
        ]


class TcpHandler(HandlerModel):
    """Send the alert data as JSON to a TCP address (``.tcp(address)``)."""

    kind: Literal["tcp"] = Field(description="Handler type: TCP.")
    address: NonEmpty = Field(description="host:port to connect to.", examples=["10.0.0.7:7777"])

    def lines(self) -> list[Tick]:
        return [call("tcp", quote.string(self.address))]


class EmailHandler(HandlerModel):
    """Email the alert through Kapacitor's ``[smtp]`` service (``.email()``)."""

    kind: Literal["email"] = Field(description="Handler type: email.")
    to: list[NonEmpty] = Field(
        default_factory=list,
        description="Recipient addresses; empty means the [smtp] 'to' list from the configuration.",
    )
    to_templates: list[NonEmpty] = template_field(
        "email",
        "toTemplates",
        "Recipient addresses, each a Go template, "
        "e.g. '{{ index .Tags \"owner\" }}@example.com'.",
        extra=since("1.6.3"),
        default_factory=list,
    )

    def lines(self) -> list[Tick]:
        return [call("email"), *each("to", self.to), *strings("toTemplates", self.to_templates)]


class ExecHandler(HandlerModel):
    """Run a command with the alert data as JSON on its standard input
    (``.exec(program, args...)``)."""

    kind: Literal["exec"] = Field(description="Handler type: run a command.")
    command: list[NonEmpty] = Field(
        min_length=1,
        description="The program (absolute path) and its arguments.",
        examples=[["/usr/local/bin/page", "--team", "ops"]],
    )

    def lines(self) -> list[Tick]:
        return [call("exec", *(quote.string(arg) for arg in self.command))]


# A file mode is either the number (420, or 0644 in YAML, which reads a leading
# 0 as octal) or a string of octal digits with the leading 0 ("0644"), so that
# JSON and TOML files can write it the way people read it.
FileMode = (
    Annotated[StrictInt, Field(ge=1, le=0o7777)]
    | Annotated[
        StrictStr,
        StringConstraints(pattern="^0[0-7]{1,4}$"),
        Field(
            json_schema_extra={
                ERROR_KEY: {
                    "pattern": "is not a file mode: write a 0 and one to four octal digits "
                    "(0-7) in quotes, such as '0644'"
                }
            }
        ),
    ]
)


class LogHandler(HandlerModel):
    """Append each alert event as one JSON line to a file on the Kapacitor host
    (``.log(path)``)."""

    kind: Literal["log"] = Field(description="Handler type: append to a file.")
    path: NonEmpty = Field(
        description="Absolute path of the file; it is created if it does not exist.",
        # The schema says it too (editors see it); the validator below is for
        # the Python API, which pydantic checks without the schema.
        json_schema_extra={
            "pattern": "^/",
            ERROR_KEY: "is not an absolute path: Kapacitor refuses a relative log path when "
            "the task starts ('log path must be absolute'); write it from /, e.g. "
            "/var/log/kapacitor/alerts.log",
        },
        examples=["/var/log/kapacitor/alerts.log"],
    )
    mode: FileMode | None = Field(
        default=None,
        description="Permissions of a newly created file: octal digits in a string such as "
        "'0644', or the number itself (420; YAML reads 0644 as octal). Kapacitor's default "
        "is 0600.",
        examples=["0644"],
        json_schema_extra=not_null,
    )

    @field_validator("path")
    @classmethod
    def _absolute(cls, path: str) -> str:
        if not posixpath.isabs(path):
            raise ValueError(f"the log path must be absolute (Kapacitor refuses {path!r} at start)")
        return path

    @field_validator("mode")
    @classmethod
    def _user_writable(cls, mode: int | str | None) -> int | str | None:
        if mode is None:
            return mode
        bits = _mode_bits(mode)
        if bits == 0:
            raise ValueError("file mode 0 is Kapacitor's default 0600: leave mode out instead")
        if not bits & 0o200:
            # JSON Schema cannot test one bit of an integer, so this is the model's check.
            raise ValueError(
                f"file mode 0{bits:o} ({_mode_text(bits)}) is not writable by its owner: "
                f"Kapacitor refuses it when the task starts ('invalid file mode "
                f"{_mode_text(bits)}, must be user writable'); add the owner's write "
                f"permission, e.g. 0{bits | 0o200:o}"
            )
        return mode

    def lines(self) -> list[Tick]:
        # Kapacitor writes the mode as an octal literal; its lexer reads a
        # leading 0 as octal, so 0644 means rw-r--r--.
        mode = [] if self.mode is None else [call("mode", Tick(f"0{_mode_bits(self.mode):o}"))]
        return [call("log", quote.string(self.path)), *mode]


def _mode_bits(mode: int | str) -> int:
    return int(mode, 8) if isinstance(mode, str) else mode


def _mode_text(bits: int) -> str:
    """How Go prints an os.FileMode's permission bits (``-rw-r--r--``)."""
    return "-" + "".join(
        letter if bits & (1 << (8 - i)) else "-" for i, letter in enumerate("rwxrwxrwx")
    )


class MqttHandler(HandlerModel):
    """Publish the alert message to an MQTT topic (``.mqtt(topic)``)."""

    kind: Literal["mqtt"] = Field(description="Handler type: MQTT.")
    topic: NonEmpty = template_field(
        "", "mqtt", "The MQTT topic (a Go template since Kapacitor 1.5.4)."
    )
    broker_name: StrictStr = Field(
        default="", description="Name of a configured [[mqtt]] broker; empty means the default."
    )
    qos: StrictInt = Field(
        default=0,
        ge=0,
        le=2,
        description="Quality of service: 0 at most once, 1 at least once, 2 exactly once.",
    )
    retained: StrictBool = Field(
        default=False, description="Ask the broker to keep the message for later subscribers."
    )

    def lines(self) -> list[Tick]:
        return [
            call("mqtt", quote.string(self.topic)),
            *text("brokerName", self.broker_name),
            *integer("qos", self.qos),
            *boolean("retained", self.retained),
        ]


class SnmpData(Part):
    """One variable binding of an SNMP trap."""

    oid: NonEmpty = Field(description="The variable's OID.", examples=["1.3.6.1.4.1.1.7"])
    type: Literal["c", "i", "n", "s", "t"] = Field(
        description="SNMP type: c counter, i integer, n null, s string, t timeticks."
    )
    value: StrictStr = template_field("snmpTrap", "data", "The value, a Go template.")

    def lines(self) -> list[Tick]:
        return [
            call("data", quote.string(self.oid), quote.string(self.type), quote.string(self.value))
        ]


class SnmpTrapHandler(HandlerModel):
    """Send an SNMP trap (``.snmpTrap(trapOid)``)."""

    kind: Literal["snmpTrap"] = Field(description="Handler type: SNMP trap.")
    trap_oid: NonEmpty = Field(description="OID of the trap.", examples=["1.3.6.1.4.1.1"])
    data: list[SnmpData] = Field(default_factory=list, description="Variable bindings, in order.")

    def lines(self) -> list[Tick]:
        return [
            call("snmpTrap", quote.string(self.trap_oid)),
            *(line for item in self.data for line in item.lines()),
        ]


class KafkaHandler(HandlerModel):
    """Write the alert to a Kafka topic (``.kafka()``)."""

    kind: Literal["kafka"] = Field(description="Handler type: Kafka.")
    cluster: NonEmpty = Field(
        description="Id of a [[kafka]] cluster in Kapacitor's configuration, enabled and with "
        "brokers; an unknown id fails when the task starts. There is no default: Kapacitor's "
        "stock configuration registers a disabled 'default' cluster without brokers, and a "
        "task using it starts but makes kapacitord exit at its first event.",
    )
    kafka_topic: StrictStr = Field(default="", description="The Kafka topic.")
    disable_partition_by_id: StrictBool = Field(
        default=False,
        description="Send to the partition with the least data instead of hashing the alert id.",
        json_schema_extra=since("1.6.0"),
    )
    partition_hash_algorithm: Literal["", "crc32", "murmur2", "fnv-1a"] = Field(
        default="",
        description="How alert ids are hashed to partitions; Kapacitor's default is crc32.",
        json_schema_extra=since("1.6.0"),
    )
    template: StrictStr = template_field(
        "kafka",
        "template",
        "Go template of the message body; empty sends the JSON alert data.",
        default="",
    )

    def lines(self) -> list[Tick]:
        return [
            call("kafka"),
            call("cluster", quote.string(self.cluster)),
            *text("kafkaTopic", self.kafka_topic),
            *flag("disablePartitionById", self.disable_partition_by_id),
            *text("partitionHashAlgorithm", self.partition_hash_algorithm),
            *text("template", self.template),
        ]
