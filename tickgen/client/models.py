"""Typed results of the Kapacitor API (the JSON of Go's client/v1 types).

Fields keep Kapacitor's meaning and Python names (``template-id`` is
``template_id``).  Unknown keys are ignored so a newer server still decodes;
a field left out by ``fields=`` takes its empty default.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, model_validator

from tickgen.dbrp import DBRP

TaskType = Literal["stream", "batch"]
TaskStatus = Literal["enabled", "disabled"]
VarType = Literal["bool", "int", "float", "string", "duration", "regex", "lambda", "list", "star"]
Level = Literal["OK", "INFO", "WARNING", "CRITICAL"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_default(cls, data: Any) -> Any:
        # Go encodes an empty slice or map as null (a listed task's "stats", an
        # httpOut's "series"); such a field takes its empty default instead.
        if not isinstance(data, dict) or None not in data.values():
            return data
        drop = _null_keys(cls)
        return {key: value for key, value in data.items() if value is not None or key not in drop}


@functools.cache
def _null_keys(model: type[BaseModel]) -> frozenset[str]:
    """The JSON keys (aliases and names) of ``model``'s fields whose default is not None."""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        if info.default is not None or info.default_factory is not None:
            keys.update((name, info.alias or name))
    return frozenset(keys)


class Link(_Model):
    rel: str = "self"
    href: str = ""


def _dbrps(value: Any) -> list[DBRP]:
    """A task's dbrps as the server sends them: any names (Kapacitor does not check
    them), other keys ignored; tickgen's rules for parameters do not apply here."""
    if not isinstance(value, list):
        raise ValueError(f"dbrps is a list, not {value!r}")
    return [item if isinstance(item, DBRP) else DBRP.from_json(item) for item in value]


class Var(_Model):
    """A template variable, as Kapacitor's JSON spells it (see ``Var.of``)."""

    type: VarType
    value: Any = None
    description: str = ""

    @classmethod
    def of(cls, value: bool | int | float | str | timedelta | list[str]) -> Var:
        """The var for a Python value; lambdas and regexes need ``Var(type=..., value=...)``.

        A duration goes as integer nanoseconds, and a list as string elements,
        which is what the server accepts (reference §4.3).
        """
        if isinstance(value, bool):  # before int: bool is an int subclass
            return cls(type="bool", value=value)
        if isinstance(value, int):
            return cls(type="int", value=value)
        if isinstance(value, float):
            return cls(type="float", value=value)
        if isinstance(value, str):
            return cls(type="string", value=value)
        if isinstance(value, timedelta):
            return cls(type="duration", value=(value // timedelta(microseconds=1)) * 1000)
        return cls(type="list", value=[{"type": "string", "value": item} for item in value])


class Task(_Model):
    id: str
    link: Link = Link()
    template_id: str = Field("", alias="template-id")
    type: TaskType | None = None
    dbrps: Annotated[list[DBRP], PlainValidator(_dbrps)] = []
    script: str = ""
    vars: dict[str, Var] = {}
    dot: str = ""
    status: TaskStatus | None = None
    executing: bool = False
    error: str = ""
    stats: dict[str, Any] = {}
    created: datetime | None = None
    modified: datetime | None = None
    last_enabled: datetime | None = Field(None, alias="last-enabled")

    @property
    def enabled(self) -> bool:
        return self.status == "enabled"


class Template(_Model):
    id: str
    link: Link = Link()
    type: TaskType | None = None
    script: str = ""
    vars: dict[str, Var] = {}
    dot: str = ""
    error: str = ""
    created: datetime | None = None
    modified: datetime | None = None


class Topic(_Model):
    id: str
    link: Link = Link()
    level: Level = "OK"
    collected: int = 0
    events_link: Link = Field(Link(), alias="events-link")
    handlers_link: Link = Field(Link(), alias="handlers-link")


class EventState(_Model):
    message: str = ""
    details: str = ""
    time: datetime | None = None
    duration: str = ""  # Go's duration text, "1m0s"
    level: Level = "OK"


class Event(_Model):
    id: str
    link: Link = Link()
    state: EventState = EventState()


class Handler(_Model):
    """A topic handler (``kind`` is log, slack, post, ...)."""

    id: str
    link: Link = Link()
    kind: str = ""
    options: dict[str, Any] = {}
    match: str = ""


class Series(_Model):
    name: str = ""
    tags: dict[str, str] = {}
    columns: list[str] = []
    values: list[list[Any]] = []


class TaskOutput(_Model):
    """What a task's ``|httpOut('<endpoint>')`` serves; no series before data."""

    series: list[Series] = []

    def rows(self) -> list[dict[str, Any]]:
        """Every value row as a column→value dict, tags included."""
        return [
            {**s.tags, **dict(zip(s.columns, row, strict=False))}
            for s in self.series
            for row in s.values
        ]


class Ping(_Model):
    version: str  # the X-Kapacitor-Version header; empty for an unversioned build
    rtt: float  # seconds
