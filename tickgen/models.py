"""Typed alert parameters: the Python API, and the source of the built-in schemas.

``schemas/<template>.schema.json`` is generated from these models by
``scripts/gen-schemas`` and checked in; ``tests/test_schemas.py`` fails when the
two drift.  Parameter names are snake_case in Python and in parameter files.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .dbrp import DBRP
from .gotemplate import go_template, template_note
from .handlers import Handler
from .handlers._base import fits_int64, int64_only
from .schema import ERROR_KEY, POSITIVE_DURATION_PATTERN
from .tick.quote import DURATION_RE

__all__ = [
    "BUILTIN_MODELS",
    "DBRP",
    "HTTP_OUT_PATTERN",
    "HTTP_OUT_REASON",
    "Aggregate",
    "Alert",
    "AlertBase",
    "BuiltinAlert",
    "Comparison",
    "Condition",
    "Deadman",
    "Flapping",
    "InfluxDBOut",
    "Inhibit",
    "Range",
    "Relative",
    "Threshold",
    "comparison_findings",
    "parameter_findings",
    "task_id_problem",
    "topic_problem",
]

Duration = Annotated[
    str,
    StringConstraints(pattern=f"^{DURATION_RE.pattern}$"),
    AfterValidator(fits_int64),
    Field(
        description="A TICKscript duration: an integer and one unit of u, µ, ms, s, m, h, d, w.",
        examples=["10s", "5m", "1h"],
    ),
]
PositiveDuration = Annotated[
    str,
    StringConstraints(pattern=POSITIVE_DURATION_PATTERN),
    AfterValidator(fits_int64),
    Field(
        description=(
            "A TICKscript duration greater than zero: an integer above 0 and one unit of "
            "u, µ, ms, s, m, h, d, w."
        ),
        examples=["10s", "5m", "1h"],
    ),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
TagValues = Annotated[list[StrictStr], Field(min_length=1)]
# An integer beyond int64 has no TICKscript form: refused at its parameter, not in the template.
Number = Annotated[StrictInt | StrictFloat, BeforeValidator(int64_only)]
Value = Annotated[StrictBool | StrictInt | StrictFloat | StrictStr, BeforeValidator(int64_only)]

AGGREGATES = (
    "mean",
    "median",
    "mode",
    "count",
    "distinct",
    "sum",
    "min",
    "max",
    "spread",
    "stddev",
    "first",
    "last",
    "percentile",
)


MAX_HISTORY = 10_000


NAME_ENDS_IN_BACKSLASH = (
    "cannot end in a backslash: TICKscript names a field or tag only as a "
    '"reference", where \\" is an escape, so the final backslash would escape '
    "the closing quote; rename the field or tag"
)


def task_id_problem(task_id: str, *, whole: bool = True) -> str | None:
    """Kapacitor's task id rule ``^[-._\\p{L}0-9]+$``, or why ``task_id`` breaks it.

    Also ``.`` and ``..`` (when ``whole``; a prefix may be a dot): Kapacitor's
    create takes them, but its HTTP paths ``/kapacitor/v1/tasks/.`` and ``/..``
    are cleaned to other URLs, so the task could never be read, updated or
    deleted again.
    """
    if not task_id:
        return "a task id cannot be empty"
    if whole and task_id in (".", ".."):
        return (
            f"task id {task_id!r} cannot be used: Kapacitor creates it, but its URL "
            f"/kapacitor/v1/tasks/{task_id} means another path, so the task could never be "
            "updated or deleted; use an id with a letter or digit, such as 'cpu.high'"
        )
    for ch in task_id:
        if ch in "-._0123456789" or unicodedata.category(ch).startswith("L"):
            continue
        return (
            f"task id {task_id!r} contains {ch!r}: Kapacitor allows only letters, digits, "
            "'-', '.' and '_'"
        )
    return None


# Kapacitor serves httpOut(name) at /kapacitor/v1/tasks/<id>/<name>, and Go's
# router cleans a path before it matches: an empty, '.' or '..' part moves it
# (differential-findings D11: '.', '/' or 'a/..' even hide the task's own
# GET, so plan and apply could no longer read it).  One part: not empty, not
# '.' or '..'; parts joined by single slashes.
_HTTP_OUT_PART = r"(?:[^/.][^/]*|\.[^/.][^/]*|\.\.[^/]+)"
HTTP_OUT_PATTERN = f"^{_HTTP_OUT_PART}(?:/{_HTTP_OUT_PART})*$"
HTTP_OUT_REASON = (
    "cannot be served: Kapacitor's router cleans /kapacitor/v1/tasks/<id>/<http_out> to "
    "another path when a part between '/' is empty, '.' or '..', so the output could not "
    "be read (and '.', '/' or 'a/..' would hide the task itself); use a name such as 'output'"
)


def topic_problem(topic: str) -> str | None:
    """Why no handler could ever subscribe to ``topic``, or None.

    The alert node publishes to any topic name, but Kapacitor creates a topic
    handler only for ids matching ``^[-:._\\p{L}0-9]+$`` (services/alert/dao.go),
    and ``.`` or ``..`` in /kapacitor/v1/alerts/topics/<topic> is another path.
    """
    if topic in (".", ".."):
        return (
            f"topic {topic!r} cannot be used: its URL /kapacitor/v1/alerts/topics/{topic} "
            "means another path, so no handler could subscribe to it; use a name with a "
            "letter or digit"
        )
    if _PLAIN_TOPIC.fullmatch(topic):
        return None  # the usual case, without a look at each character
    bad = [ch for ch in topic if not _topic_char(ch)]
    if not bad:
        return None
    fixed = "".join(ch if _topic_char(ch) else "-" for ch in topic)
    return (
        f"topic {topic!r} contains {bad[0]!r}: Kapacitor publishes to it, but refuses every "
        "handler for it (a topic handler's topic may hold only letters, digits, '-', ':', "
        f"'.' and '_'), so no topic handler could deliver its events; write e.g. {fixed!r}"
    )


_PLAIN_TOPIC = re.compile(r"[-:._0-9A-Za-z]+")


def _topic_char(ch: str) -> bool:
    return ch in "-:._0123456789" or unicodedata.category(ch).startswith("L")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# Kapacitor has ==, != (and AND, OR) for booleans, no ordering (tick/stateful/
# evaluation_funcs.go): "value" > TRUE fails on every point and never fires.
BOOLEAN_ORDERING = (
    "cannot compare with a boolean: Kapacitor orders numbers, strings and durations, never "
    "booleans, so this level could never be reached (every point logs a type error); "
    "use == or != with a boolean"
)


class Comparison(_Model):
    """``"value" <op> <value>``."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"value": {"type": "boolean"}}, "required": ["value"]},
            "then": {"properties": {"op": {"enum": ["==", "!="], ERROR_KEY: BOOLEAN_ORDERING}}},
        }
    )

    op: Literal[">", "<", ">=", "<=", "==", "!="] = Field(description="Comparison operator.")
    value: Value = Field(
        description=(
            "The number, string or boolean to compare with. Kapacitor compares the field's "
            "type with this value's on every point and never matches a number with a string "
            "or boolean, and orders no booleans: '>' with true is an error, and a string "
            "spelling a number ('10') is a warning (an error with --strict)."
        )
    )
    reset: Comparison | None = Field(
        default=None,
        description=(
            "Hysteresis: once the level is reached, it stays until this condition holds "
            "(Kapacitor's critReset/warnReset/infoReset)."
        ),
    )


class Range(_Model):
    """``"value"`` inside or outside ``lower``..``upper`` (bounds included when inside)."""

    op: Literal["inside", "outside"] = Field(description="Alert inside or outside the range.")
    lower: Number = Field(description="Lower bound.")
    upper: Number = Field(description="Upper bound.")
    reset: Comparison | None = Field(
        default=None, description="Hysteresis condition, as for a comparison."
    )

    @field_validator("upper")
    @classmethod
    def _ordered(cls, upper: float, info: ValidationInfo) -> float:
        lower = info.data.get("lower")
        if lower is not None and lower > upper:
            raise ValueError(
                f"upper ({upper}) must not be less than lower ({lower}): swap them "
                f"(lower: {upper}, upper: {lower})"
            )
        return upper


Condition = Annotated[Comparison | Range, Field(discriminator="op")]


# InfluxQL's percentile picks the point at floor(n * p / 100 + 0.5) - 1 of a
# window's n sorted points, and nothing when that is below 0: p = 0 never
# gives a value, so the alert would start and never fire.  Kapacitor itself
# does not check p (pipeline-validation.md 1.6.5).
Percentile = Annotated[
    Number,
    Field(
        gt=0,
        le=100,
        json_schema_extra={
            ERROR_KEY: {
                "exclusiveMinimum": "must be greater than 0: percentile 0 selects no point of "
                "any window, so the alert would start and never fire (e.g. 1, 50, 95)"
            }
        },
    ),
]


class Aggregate(_Model):
    """Aggregate the field over time windows before the alert sees it."""

    function: Literal[AGGREGATES] = Field(  # type: ignore[valid-type]
        description="The TICKscript aggregate node applied to each window."
    )
    period: PositiveDuration = Field(description="Window length, greater than zero.")
    every: Duration = Field(
        description="How often a window is emitted; 0s emits one at every point."
    )
    percentile: Percentile | None = Field(
        default=None,
        validate_default=True,
        description=(
            "The percentile, above 0 and at most 100; required with function percentile. "
            "A window yields a value only when it holds at least 50/percentile points."
        ),
    )

    @field_validator("percentile")
    @classmethod
    def _percentile(cls, value: float | None, info: ValidationInfo) -> float | None:
        function = info.data.get("function")
        if function == "percentile" and value is None:
            raise ValueError(
                "function percentile needs the percentile (above 0, at most 100), "
                "e.g. percentile: 95"
            )
        if function != "percentile" and value is not None:
            raise ValueError(
                f"percentile applies to function percentile only, not {function}: remove "
                "it, or write function: percentile"
            )
        return value


class InfluxDBOut(_Model):
    """Where ``influxDBOut()`` writes the alert points (Chronograf's defaults)."""

    database: NonEmpty = Field(default="chronograf", description="Output database.")
    retention_policy: NonEmpty = Field(default="autogen", description="Output retention policy.")
    measurement: NonEmpty = Field(default="alerts", description="Output measurement.")


class Flapping(_Model):
    """Kapacitor's flapping detection thresholds (fractions of state changes)."""

    low: Annotated[float, Field(ge=0, le=1)] = Field(description="Flapping stops below this.")
    high: Annotated[float, Field(ge=0, le=1)] = Field(description="Flapping starts above this.")

    @field_validator("high")
    @classmethod
    def _ordered(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        if low is not None and low > high:
            raise ValueError(
                f"high ({high}) must not be less than low ({low}): flapping starts above "
                "high and stops below low, e.g. low: 0.25, high: 0.5"
            )
        return high


class Inhibit(_Model):
    """Suppress this alert while an alert of ``category`` with the same ``tags`` is active."""

    category: NonEmpty = Field(description="The category of the inhibiting alert.")
    tags: list[NonEmpty] = Field(default=[], description="Tags that must match.")


_CONDITION_EXAMPLES = [{"op": ">", "value": 90}, {"op": "outside", "lower": 10, "upper": 90}]
_COMPARISON_EXAMPLES = [{"op": ">", "value": 50}]
_TAG_EXAMPLES = [{"host": ["web1", "web2"]}]


class AlertBase(_Model):
    """Parameters every built-in template shares."""

    template: str = Field(description="The template that renders this alert.")
    id: NonEmpty = Field(description="The Kapacitor task id (letters, digits, '-', '.', '_').")
    name: NonEmpty | None = Field(
        default=None,
        description="The alert name used in ids and outputs; defaults to the id. Plain text: "
        "'{{' in it is escaped where it enters the id template.",
    )
    database: NonEmpty = Field(description="Database to read from.")
    retention_policy: NonEmpty = Field(default="autogen", description="Retention policy.")
    measurement: NonEmpty = Field(description="Measurement to read.")
    group_by: list[NonEmpty] = Field(default=[], description="Tags to group by.")
    where: dict[NonEmpty, TagValues] = Field(
        default={},
        description="Accept only points whose tag has one of these values: {tag: [values]}.",
        examples=_TAG_EXAMPLES,
    )
    where_not: dict[NonEmpty, TagValues] = Field(
        default={},
        description="Drop points whose tag has any of these values: {tag: [values]}.",
        examples=_TAG_EXAMPLES,
    )
    field_present_filter: StrictBool = Field(
        default=False,
        description=(
            'Add isPresent("<field>") to the where filter, as current Chronograf does '
            "(older Chronograf, and the default here, does not)."
        ),
    )
    message: StrictStr = Field(
        default="",
        description="Alert message, a Go template such as '{{.ID}} is {{.Level}}'."
        + template_note("", "message"),
        json_schema_extra=go_template("", "message"),
    )
    details: StrictStr = Field(
        default="",
        description="Alert details, a Go html/template (functions: json; jsonCompact from "
        "Kapacitor 1.8); omitted when empty." + template_note("", "details"),
        json_schema_extra=go_template("", "details"),
    )
    alert_id: NonEmpty | None = Field(
        default=None,
        description=(
            "Go template for the alert id; by default the name (written so that Go prints it "
            "as is), plus '-{{.Group}}' when grouping by tags."
        )
        + template_note("", "id"),
        json_schema_extra=go_template("", "id"),
    )
    id_tag: NonEmpty = Field(default="alertID", description="Tag holding the alert id.")
    level_tag: NonEmpty = Field(default="level", description="Tag holding the alert level.")
    message_field: NonEmpty = Field(default="message", description="Field holding the message.")
    duration_field: NonEmpty = Field(
        default="duration", description="Field holding the alert duration."
    )
    level_field: NonEmpty | None = Field(
        default=None, description="Also store the level in this field."
    )
    id_field: NonEmpty | None = Field(default=None, description="Also store the id in this field.")
    state_changes_only: StrictBool | Duration = Field(
        default=True,
        description=(
            "Send an event only when the level changes (true), or also every this duration "
            "while it stays (a duration)."
        ),
    )
    no_recoveries: StrictBool = Field(default=False, description="Do not send OK events.")
    flapping: Flapping | None = Field(default=None, description="Flapping detection.")
    # Kapacitor allocates this many states per group when the group's first point
    # arrives, unchecked: .history(9223372036854775807) panics and stops kapacitord.
    history: Annotated[int, Field(ge=2, le=MAX_HISTORY)] | None = Field(
        default=None,
        description=(
            "Number of states kept for flapping detection (Kapacitor: 21; at most "
            f"{MAX_HISTORY}: Kapacitor keeps them for every group)."
        ),
    )
    all: StrictBool = Field(
        default=False, description="With groups: alert only when every point matches."
    )
    category: NonEmpty | None = Field(
        default=None, description="Category of this alert, for inhibit rules."
    )
    inhibit: list[Inhibit] = Field(default=[], description="Inhibit rules.")
    topic: NonEmpty | None = Field(
        default=None,
        description=(
            "Alert topic to publish events to (letters, digits, '-', ':', '.', '_': the only "
            "topics Kapacitor lets a handler subscribe to)."
        ),
    )
    handlers: list[Handler] = Field(default=[], description="Where alerts are sent.")
    influxdb_out: InfluxDBOut | None = Field(
        default=InfluxDBOut(),
        description="Write alert points back to InfluxDB; null turns it off.",
    )
    http_out: NonEmpty | None = Field(
        default="output",
        description=(
            "The httpOut endpoint serving the last alert points at "
            "/kapacitor/v1/tasks/<id>/<http_out>; null turns it off. Parts between '/' "
            "must not be empty, '.' or '..'."
        ),
        json_schema_extra={
            "pattern": HTTP_OUT_PATTERN,
            ERROR_KEY: {"pattern": HTTP_OUT_REASON},
        },
    )
    status: Literal["enabled", "disabled"] = Field(default="enabled", description="Task status.")
    dbrps: list[DBRP] | None = Field(
        default=None,
        min_length=1,
        description="Databases the task reads; defaults to database and retention_policy.",
    )

    @field_validator("id")
    @classmethod
    def _task_id(cls, value: str) -> str:
        problem = task_id_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("http_out")
    @classmethod
    def _http_out(cls, value: str | None) -> str | None:
        # the schema's pattern, for the Python API (pydantic checks no json_schema_extra)
        if value is not None and not re.fullmatch(HTTP_OUT_PATTERN, value):
            raise ValueError(f"{value!r} {HTTP_OUT_REASON}")
        return value

    @field_validator("where", "where_not")
    @classmethod
    def _tag_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for tag in value:
            if tag.endswith("\\"):
                raise ValueError(f"tag {tag!r} {NAME_ENDS_IN_BACKSLASH}")
        return value

    @model_validator(mode="after")
    def _field_name(self) -> Any:
        name = getattr(self, "field", None)
        if isinstance(name, str) and name.endswith("\\") and self._field_is_reference():
            # a ValidationError keeps the location, so the problem points at `field`
            message = f"{name!r} {NAME_ENDS_IN_BACKSLASH}"
            error = PydanticCustomError("value_error", "{message}", {"message": message})
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [InitErrorDetails(type=error, loc=("field",), input=name)],
            )
        return self

    def _field_is_reference(self) -> bool:
        """Whether the templates write ``field`` as a "reference" (not a string)."""
        return self.field_present_filter

    @field_validator("group_by")
    @classmethod
    def _unique_tags(cls, value: list[str]) -> list[str]:
        seen = {tag for tag in value if value.count(tag) > 1}
        if seen:
            raise ValueError(f"group_by lists {sorted(seen)} more than once: list each tag once")
        return value

    @property
    def alert_name(self) -> str:
        return self.name if self.name is not None else self.id

    @property
    def task_dbrps(self) -> tuple[DBRP, ...]:
        if self.dbrps is not None:
            return tuple(self.dbrps)
        return (DBRP(self.database, self.retention_policy),)


class _ValueAlert(AlertBase):
    field: NonEmpty = Field(description="The field whose value is checked.")
    aggregate: Aggregate | None = Field(
        default=None, description="Aggregate the field over windows first."
    )

    def _field_is_reference(self) -> bool:
        # without an aggregate the value is |eval(lambda: "field"); the
        # aggregate's argument is a string, which can hold any name
        return self.field_present_filter or self.aggregate is None


class Threshold(_ValueAlert):
    """Alert when the value crosses a threshold or leaves/enters a range."""

    template: Literal["threshold"] = Field(default="threshold", description="The template name.")

    crit: Condition = Field(description="The critical condition.", examples=_CONDITION_EXAMPLES)
    warn: Condition | None = Field(
        default=None, description="The warning condition.", examples=_CONDITION_EXAMPLES
    )
    info: Condition | None = Field(
        default=None, description="The info condition.", examples=_CONDITION_EXAMPLES
    )


class Relative(_ValueAlert):
    """Alert on the change of the value against the value ``shift`` ago."""

    template: Literal["relative"] = Field(default="relative", description="The template name.")

    change: Literal["percent", "absolute"] = Field(
        default="percent",
        description=(
            "percent: abs(current - past) / past * 100 (Chronograf's '% change'); "
            "absolute: current - past (Chronograf's 'change')."
        ),
    )
    direction: Literal["either", "increase", "decrease"] = Field(
        default="either",
        validate_default=True,
        description=(
            "For percent change: count increases only, decreases only, or either "
            "(Chronograf's formula, the default)."
        ),
    )
    shift: PositiveDuration = Field(
        description="How far back the compared value lies, greater than zero."
    )
    crit: Comparison = Field(
        description="The critical condition on the change.", examples=_COMPARISON_EXAMPLES
    )
    warn: Comparison | None = Field(
        default=None, description="The warning condition.", examples=_COMPARISON_EXAMPLES
    )
    info: Comparison | None = Field(
        default=None, description="The info condition.", examples=_COMPARISON_EXAMPLES
    )

    @field_validator("direction")
    @classmethod
    def _direction(cls, direction: str, info: ValidationInfo) -> str:
        if info.data.get("change") == "absolute" and direction != "either":
            raise ValueError(
                "direction applies to change: percent only; for absolute change the sign "
                "of the threshold gives the direction"
            )
        return direction


class Deadman(AlertBase):
    """Alert when at most ``threshold`` points arrived in the last ``period`` (none, by default)."""

    template: Literal["deadman"] = Field(default="deadman", description="The template name.")

    field: NonEmpty | None = Field(
        default=None, description="Optional field; only used by field_present_filter."
    )
    period: PositiveDuration = Field(
        description="How often the point count is checked, greater than zero."
    )
    threshold: Annotated[float, Field(ge=0)] = Field(
        default=0.0, description="Alert when the points per period drop to this or below."
    )


BuiltinAlert = Threshold | Relative | Deadman

# The built-in templates by name: templates/<name>.tick.j2 renders an alert of this model.
BUILTIN_MODELS: dict[str, type[BaseModel]] = {
    "threshold": Threshold,
    "relative": Relative,
    "deadman": Deadman,
}


class CustomAlert(BaseModel):
    """An alert of a user template: its parameters, checked against the template's schema."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    template: str
    params: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.params["id"])


Alert = Threshold | Relative | Deadman | CustomAlert


# -- comparisons that can never be true ----------------------------------------------------

Severity = Literal["error", "warning"]
Finding = tuple[tuple[str | int, ...], str, Severity]  # (parameter path, message, severity)

_ORDERING = frozenset({">", "<", ">=", "<="})
# Aggregates whose result is always a number (Kapacitor's mean, median, spread,
# stddev and sum give floats or ints; count an int; min, max and percentile
# select a numeric value).  mode, distinct, first and last keep the field's type.
_NUMERIC_AGGREGATES = frozenset(
    {"mean", "median", "spread", "stddev", "sum", "count", "min", "max", "percentile"}
)
_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


def _as_number(text: str) -> int | float | None:
    """The number a string spells (``"10"`` -> 10, ``" 2.5 "`` -> 2.5), or None."""
    if not _NUMBER_TEXT.fullmatch(text):
        return None
    stripped = text.strip()
    if re.fullmatch(r"[+-]?[0-9]+", stripped):
        return int(stripped)
    number = float(stripped)
    return number if math.isfinite(number) else None


def _numeric_value(alert: AlertBase) -> str | None:
    """What makes the compared ``"value"`` a number, when the template decides it."""
    if isinstance(alert, Relative):
        return f"the {alert.change} change (always a float)"
    aggregate = getattr(alert, "aggregate", None)
    if isinstance(aggregate, Aggregate) and aggregate.function in _NUMERIC_AGGREGATES:
        return f"the {aggregate.function} of the field (a number)"
    return None


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _comparison_findings(
    path: tuple[str | int, ...], cond: Comparison, numeric: str | None
) -> list[Finding]:
    value = cond.value
    found: list[Finding] = []
    if isinstance(value, bool) and cond.op in _ORDERING:
        found.append(((*path, "op"), f"{cond.op!r} {BOOLEAN_ORDERING}", "error"))
    elif isinstance(value, (bool, str)) and numeric is not None:
        spelled = _as_number(value) if isinstance(value, str) else None
        fix = (
            f"write the number without quotes: value: {spelled}"
            if spelled is not None
            else "write a number"
        )
        found.append(
            (
                (*path, "value"),
                f"{_show(value)} is not a number, but the value compared is {numeric}: "
                "Kapacitor never matches a number with a "
                f"{'boolean' if isinstance(value, bool) else 'string'}, so this level could "
                f"never be reached; {fix}",
                "error",
            )
        )
    elif isinstance(value, str) and (spelled := _as_number(value)) is not None:
        found.append(
            (
                (*path, "value"),
                f"{value!r} is a string that looks like a number: it matches only a field "
                "that holds strings, and Kapacitor never matches a number with a string; "
                f"if the field is numeric, write the number without quotes: value: {spelled}",
                "warning",
            )
        )
    if cond.reset is not None:
        found.extend(_comparison_findings((*path, "reset"), cond.reset, numeric))
    return found


def comparison_findings(alert: Alert) -> list[Finding]:
    """Level conditions that can never be true on Kapacitor, or likely will not.

    Kapacitor compares the type of the field's value with the type of the
    literal on each point (pipeline-validation.md §2.4): a number never equals
    or orders against a string, booleans only take == and !=.  When the
    template fixes the value's type (relative change, numeric aggregates), a
    string or boolean is an error; otherwise only what is wrong for every
    type (ordering a boolean) is an error, and a string that spells a number
    is a warning.
    """
    if not isinstance(alert, (Threshold, Relative)):
        return []
    numeric = _numeric_value(alert)
    found: list[Finding] = []
    for level in ("crit", "warn", "info"):
        cond = getattr(alert, level)
        if isinstance(cond, Comparison):
            found.extend(_comparison_findings((level,), cond, numeric))
        elif isinstance(cond, Range) and cond.reset is not None:
            found.extend(_comparison_findings((level, "reset"), cond.reset, numeric))
    return found


def parameter_findings(alert: Alert) -> list[Finding]:
    """Everything wrong or doubtful in a valid built-in alert that its types cannot say."""
    if isinstance(alert, CustomAlert):
        return []
    found = comparison_findings(alert)
    problem = None if alert.topic is None else topic_problem(alert.topic)
    if problem:
        # Kapacitor publishes to it; only subscribing is impossible, so a warning
        found.append((("topic",), problem, "warning"))
    return found
