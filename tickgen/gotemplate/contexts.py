"""The data and functions each Kapacitor template context provides.

From Kapacitor's source at v1.5.9 and v1.8.3 (``alert.go`` idInfo /
messageInfo / detailsInfo, ``alert/types.go`` TemplateData / Data /
EventData, ``services/alerta`` eventData, ``services/servicenow`` dataInfo,
the anonymous struct of ``services/zenoss``; functions from
``text/template/funcs.go`` and the FuncMaps of ``alert.go`` and
``services/httppost/config.go``); see ``/work/shared/reference/go-templates.md``.

A :class:`GoType` is as much of a Go type as a template can observe: the
fields (promoted ones included) and methods it resolves, or, for a map, the
element type every key resolves to.  ``ANY`` (an ``interface{}`` or a value
whose type we do not follow) accepts everything, so that the checker never
refuses what Go would run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from .lexer import GO115, GO125, Syntax

__all__ = [
    "ANY",
    "BUILTINS",
    "Context",
    "GoType",
    "context",
    "syntax_for",
]


@dataclass(frozen=True, eq=False)
class GoType:
    name: str
    kind: str  # "struct", "map", "slice", "scalar" or "any"
    fields: Mapping[str, GoType] = field(default_factory=dict)
    methods: Mapping[str, GoType] = field(default_factory=dict)
    elem: GoType | None = None

    def field_names(self) -> list[str]:
        return sorted(self.fields)


ANY = GoType("interface {}", "any")
SCALAR = GoType("value", "scalar")
STRING = GoType("string", "scalar")
BOOL = GoType("bool", "scalar")
INT = GoType("int", "scalar")
_STRINGER = {"String": STRING}
MONTH = GoType("time.Month", "scalar", methods=_STRINGER)
WEEKDAY = GoType("time.Weekday", "scalar", methods=_STRINGER)
TAGS = GoType("map[string]string", "map", elem=STRING)
FIELDS = GoType("map[string]interface {}", "map", elem=ANY)
LEVEL = GoType("alert.Level", "scalar", methods={"String": STRING, "MarshalText": ANY})


def _duration(go: Syntax) -> GoType:
    names = ["Hours", "Minutes", "Seconds", "Milliseconds", "Microseconds", "Nanoseconds"]
    methods: dict[str, GoType] = dict.fromkeys(names, SCALAR)
    methods["String"] = STRING
    if go is GO125:
        methods["Abs"] = SCALAR  # Go 1.19
    duration = GoType("time.Duration", "scalar", methods=methods)
    methods["Round"] = duration
    methods["Truncate"] = duration
    return duration


def _time(go: Syntax) -> GoType:
    scalar = [
        "After",
        "Before",
        "Clock",
        "Date",
        "Day",
        "Equal",
        "Hour",
        "ISOWeek",
        "IsZero",
        "Minute",
        "Nanosecond",
        "Second",
        "Unix",
        "UnixNano",
        "YearDay",
        "Year",
        "Zone",
        "MarshalBinary",
        "MarshalJSON",
        "MarshalText",
        "GobEncode",
        "Location",
        "AppendFormat",
    ]
    if go is GO125:
        scalar += ["UnixMilli", "UnixMicro", "IsDST", "GoString", "Compare", "ZoneBounds"]
    methods: dict[str, GoType] = dict.fromkeys(scalar, SCALAR)
    methods.update(String=STRING, Format=STRING, Month=MONTH, Weekday=WEEKDAY, Sub=_duration(go))
    time = GoType("time.Time", "scalar", methods=methods)
    for name in ("UTC", "Local", "In", "Add", "AddDate", "Round", "Truncate"):
        methods[name] = time
    return time


def _struct(name: str, **fields: GoType) -> GoType:
    return GoType(name, "struct", fields=fields)


@cache
def _types(go: Syntax) -> dict[str, GoType]:
    time, duration = _time(go), _duration(go)
    server_info = _struct(
        "kapacitor.serverInfo", Hostname=STRING, ClusterID=STRING, ServerID=STRING
    )
    id_fields = {
        "Name": STRING,
        "TaskName": STRING,
        "Group": STRING,
        "Tags": TAGS,
        "ServerInfo": server_info,
    }
    message_fields = {
        **id_fields,
        "ID": STRING,
        "Fields": FIELDS,
        "Level": STRING,
        "Time": time,
        "Duration": duration,
    }
    row = GoType(  # reached through []*Row, so its pointer method is callable too
        "models.Row",
        "struct",
        fields={
            "Name": STRING,
            "Tags": TAGS,
            "Columns": GoType("[]string", "slice", elem=STRING),
            "Values": GoType(
                "[][]interface {}", "slice", elem=GoType("[]interface {}", "slice", elem=ANY)
            ),
        },
        methods={"UnmarshalJSON": ANY},
    )
    result = GoType(
        "models.Result",
        "struct",
        fields={"Series": GoType("models.Rows", "slice", elem=row), "Err": ANY},
        methods={"String": STRING},
    )
    event_fields = {
        "ID": STRING,
        "Message": STRING,
        "Details": STRING,
        "Time": time,
        "Duration": duration,
    }
    return {
        "idInfo": _struct("kapacitor.idInfo", **id_fields),
        "messageInfo": _struct("kapacitor.messageInfo", **message_fields),
        "detailsInfo": _struct("kapacitor.detailsInfo", **message_fields, Message=STRING),
        "TemplateData": _struct(
            "alert.TemplateData",
            **event_fields,
            Level=STRING,
            Name=STRING,
            TaskName=STRING,
            Group=STRING,
            Tags=TAGS,
            Fields=FIELDS,
        ),
        "eventData": _struct(
            "alerta.eventData", ID=STRING, Name=STRING, TaskName=STRING, Group=STRING, Tags=TAGS
        ),
        "Data": _struct(
            "alert.Data",
            **event_fields,
            Level=LEVEL,
            PreviousLevel=LEVEL,
            Data=result,
            Recoverable=BOOL,
        ),
        "EventData": _struct(
            "alert.EventData",
            Name=STRING,
            TaskName=STRING,
            Category=STRING,
            Group=STRING,
            Tags=TAGS,
            Fields=FIELDS,
            Recoverable=BOOL,
            Result=result,
        ),
        "dataInfo": _struct(
            "servicenow.dataInfo", ID=STRING, Name=STRING, TaskName=STRING, Fields=FIELDS, Tags=TAGS
        ),
        "zenoss": _struct(
            "struct { Name string; ... }",  # an anonymous struct in services/zenoss
            Name=STRING,
            TaskName=STRING,
            ID=STRING,
            Message=STRING,
            Details=STRING,
            Time=time,
            Duration=duration,
            Level=LEVEL,
            Recoverable=BOOL,
            Tags=TAGS,
        ),
    }


# text/template's builtins (funcs.go), with how many arguments each takes:
# (minimum, maximum or None for variadic).  Go checks the count when the
# action runs, so a wrong count fails every execution of that action.
BUILTINS: dict[str, tuple[int, int | None]] = {
    "and": (1, None),
    "call": (1, None),
    "html": (0, None),
    "index": (1, None),
    "slice": (1, None),
    "js": (0, None),
    "len": (1, 1),
    "not": (1, 1),
    "or": (1, None),
    "print": (0, None),
    "printf": (1, None),
    "println": (0, None),
    "urlquery": (0, None),
    "eq": (1, None),
    "ge": (2, 2),
    "gt": (2, 2),
    "le": (2, 2),
    "lt": (2, 2),
    "ne": (2, 2),
}
_JSON = {"json": (1, 1)}
_JSON_COMPACT = {"json": (1, 1), "jsonCompact": (1, 1)}
RESULTS: dict[str, GoType] = {
    "len": INT,
    "print": STRING,
    "printf": STRING,
    "println": STRING,
    "html": STRING,
    "js": STRING,
    "urlquery": STRING,
    "json": STRING,
    "jsonCompact": STRING,
    **dict.fromkeys(("not", "eq", "ne", "lt", "le", "gt", "ge"), BOOL),
}


@dataclass(frozen=True)
class Context:
    """One place Kapacitor parses a template: its name, data, functions and syntax."""

    name: str  # the name Kapacitor gives the template, shown in Go's errors
    data: GoType
    funcs: Mapping[str, tuple[int, int | None]]
    syntax: Syntax

    def function_names(self) -> list[str]:
        return sorted(self.funcs)


def syntax_for(kapacitor_version: tuple[int, ...]) -> Syntax:
    """The Go template syntax of a Kapacitor release.

    1.8 is built with Go 1.25 and 1.5.9 with Go 1.15.  Releases in between are
    checked with Go 1.15's rules, the strictest (no newline inside an action,
    no break/continue), so nothing passes that an older server would refuse.
    """
    return GO125 if kapacitor_version >= (1, 8) else GO115


def context(data: str, name: str, kapacitor_version: tuple[int, ...]) -> Context:
    """The context of data type ``data`` (a key of the table above) for template ``name``.

    ``details`` gets the FuncMap of ``alert.go``; ``body`` (the post URL and
    the httpPost node) that of ``services/httppost/config.go``.  Both add
    ``json``, and ``jsonCompact`` from Kapacitor 1.8.
    """
    syntax = syntax_for(kapacitor_version)
    funcs = dict(BUILTINS)
    if name in ("details", "body"):
        funcs.update(_JSON_COMPACT if kapacitor_version >= (1, 8) else _JSON)
    return Context(name, _types(syntax)[data], funcs, syntax)
