"""Typed alert parameters: the Python API, and the source of the built-in schemas.

``schemas/<template>.schema.json`` is generated from these models by
``scripts/gen-schemas`` and checked in; ``tests/test_schemas.py`` fails when the
two drift.  Parameter names are snake_case in Python and in parameter files.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from .handlers import Handler
from .tick.quote import DURATION_RE

__all__ = [
    "DBRP",
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
    "task_id_problem",
]

Duration = Annotated[
    str,
    StringConstraints(pattern=f"^{DURATION_RE.pattern}$"),
    Field(
        description="A TICKscript duration: an integer and one unit of u, µ, ms, s, m, h, d, w.",
        examples=["10s", "5m", "1h"],
    ),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
TagValues = Annotated[list[StrictStr], Field(min_length=1)]
Number = StrictInt | StrictFloat
Value = StrictBool | StrictInt | StrictFloat | StrictStr

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


def task_id_problem(task_id: str) -> str | None:
    """Kapacitor's task id rule ``^[-._\\p{L}0-9]+$``, or why ``task_id`` breaks it."""
    if not task_id:
        return "a task id cannot be empty"
    for ch in task_id:
        if ch in "-._0123456789" or unicodedata.category(ch).startswith("L"):
            continue
        return (
            f"task id {task_id!r} contains {ch!r}: Kapacitor allows only letters, digits, "
            "'-', '.' and '_'"
        )
    return None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DBRP(_Model):
    """A database and retention policy the task reads from."""

    db: NonEmpty = Field(description="Database name.")
    rp: NonEmpty = Field(description="Retention policy name.")


class Comparison(_Model):
    """``"value" <op> <value>``."""

    op: Literal[">", "<", ">=", "<=", "==", "!="] = Field(description="Comparison operator.")
    value: Value = Field(description="The number, string or boolean to compare with.")
    reset: Comparison | None = Field(
        default=None,
        description=(
            "Hysteresis: once the level is reached, it stays until this condition holds "
            "(Kapacitor's critReset/warnReset/infoReset)."
        ),
    )

    @field_validator("value")
    @classmethod
    def _orderable(cls, value: Any, info: ValidationInfo) -> Any:
        # Kapacitor compares booleans with == and != only; any other operator fails on
        # every point at run time (the alert never fires), so refuse it here.
        op = info.data.get("op")
        if isinstance(value, bool) and op not in (None, "==", "!="):
            raise ValueError(
                f"a boolean compares only with == or !=, not {op}; "
                f"write op: '==' (or '!=') with value: {str(value).lower()}"
            )
        return value


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
            raise ValueError(f"upper ({upper}) must not be less than lower ({lower})")
        return upper


Condition = Annotated[Comparison | Range, Field(discriminator="op")]


class Aggregate(_Model):
    """Aggregate the field over time windows before the alert sees it."""

    function: Literal[AGGREGATES] = Field(  # type: ignore[valid-type]
        description="The TICKscript aggregate node applied to each window."
    )
    period: Duration = Field(description="Window length.")
    every: Duration = Field(description="How often a window is emitted.")
    percentile: Annotated[Number, Field(ge=0, le=100)] | None = Field(
        default=None,
        validate_default=True,
        description="The percentile (0-100); required with function percentile.",
    )

    @field_validator("percentile")
    @classmethod
    def _percentile(cls, value: float | None, info: ValidationInfo) -> float | None:
        function = info.data.get("function")
        if function == "percentile" and value is None:
            raise ValueError(
                "function percentile needs the percentile (0-100), e.g. percentile: 95"
            )
        if function != "percentile" and value is not None:
            raise ValueError(f"percentile applies to function percentile only, not {function}")
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
            raise ValueError(f"high ({high}) must not be less than low ({low})")
        return high


class Inhibit(_Model):
    """Suppress this alert while an alert of ``category`` with the same ``tags`` is active."""

    category: NonEmpty = Field(description="The category of the inhibiting alert.")
    tags: list[NonEmpty] = Field(default=[], description="Tags that must match.")


class AlertBase(_Model):
    """Parameters every built-in template shares."""

    template: str = Field(description="The template that renders this alert.")
    id: NonEmpty = Field(description="The Kapacitor task id (letters, digits, '-', '.', '_').")
    name: NonEmpty | None = Field(
        default=None, description="The alert name used in ids and outputs; defaults to the id."
    )
    database: NonEmpty = Field(description="Database to read from.")
    retention_policy: NonEmpty = Field(default="autogen", description="Retention policy.")
    measurement: NonEmpty = Field(description="Measurement to read.")
    group_by: list[NonEmpty] = Field(default=[], description="Tags to group by.")
    where: dict[NonEmpty, TagValues] = Field(
        default={},
        description="Accept only points whose tag has one of these values: {tag: [values]}.",
    )
    where_not: dict[NonEmpty, TagValues] = Field(
        default={},
        description="Drop points whose tag has any of these values: {tag: [values]}.",
    )
    field_present_filter: StrictBool = Field(
        default=False,
        description=(
            'Add isPresent("<field>") to the where filter, as current Chronograf does '
            "(older Chronograf, and the default here, does not)."
        ),
    )
    message: StrictStr = Field(
        default="", description="Alert message, Go template text such as '{{.ID}} is {{.Level}}'."
    )
    details: StrictStr = Field(
        default="", description="Alert details (Go html/template text); omitted when empty."
    )
    alert_id: NonEmpty | None = Field(
        default=None,
        description=(
            "Go template for the alert id; by default the name, plus '-{{.Group}}' "
            "when grouping by tags."
        ),
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
    history: Annotated[int, Field(ge=2)] | None = Field(
        default=None, description="Number of states kept for flapping detection (Kapacitor: 21)."
    )
    all: StrictBool = Field(
        default=False, description="With groups: alert only when every point matches."
    )
    category: NonEmpty | None = Field(
        default=None, description="Category of this alert, for inhibit rules."
    )
    inhibit: list[Inhibit] = Field(default=[], description="Inhibit rules.")
    topic: NonEmpty | None = Field(default=None, description="Alert topic to publish events to.")
    handlers: list[Handler] = Field(default=[], description="Where alerts are sent.")
    influxdb_out: InfluxDBOut | None = Field(
        default=InfluxDBOut(),
        description="Write alert points back to InfluxDB; null turns it off.",
    )
    http_out: NonEmpty | None = Field(
        default="output",
        description="The httpOut endpoint serving the last alert points; null turns it off.",
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

    @field_validator("group_by")
    @classmethod
    def _unique_tags(cls, value: list[str]) -> list[str]:
        seen = {tag for tag in value if value.count(tag) > 1}
        if seen:
            raise ValueError(f"group_by lists {sorted(seen)} more than once")
        return value

    @property
    def alert_name(self) -> str:
        return self.name if self.name is not None else self.id

    @property
    def task_dbrps(self) -> list[DBRP]:
        if self.dbrps is not None:
            return list(self.dbrps)
        return [DBRP(db=self.database, rp=self.retention_policy)]


class _ValueAlert(AlertBase):
    field: NonEmpty = Field(description="The field whose value is checked.")
    aggregate: Aggregate | None = Field(
        default=None, description="Aggregate the field over windows first."
    )


class Threshold(_ValueAlert):
    """Alert when the value crosses a threshold or leaves/enters a range."""

    template: Literal["threshold"] = Field(default="threshold", description="The template name.")

    crit: Condition = Field(description="The critical condition.")
    warn: Condition | None = Field(default=None, description="The warning condition.")
    info: Condition | None = Field(default=None, description="The info condition.")


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
    shift: Duration = Field(description="How far back the compared value lies.")
    crit: Comparison = Field(description="The critical condition on the change.")
    warn: Comparison | None = Field(default=None, description="The warning condition.")
    info: Comparison | None = Field(default=None, description="The info condition.")

    @field_validator("crit", "warn", "info")
    @classmethod
    def _numeric(cls, condition: Comparison | None, info: ValidationInfo) -> Comparison | None:
        # the change is always a float; a string or boolean never compares with it
        cond = condition
        while cond is not None:
            if isinstance(cond.value, (bool, str)):
                shown = f"{cond.value!r}" if isinstance(cond.value, str) else "a boolean"
                raise ValueError(
                    f"the change is a number; {shown} never compares with it: write a "
                    "number such as 10 (unquoted)"
                )
            cond = cond.reset
        return condition

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
    period: Duration = Field(description="How often the point count is checked.")
    threshold: Annotated[float, Field(ge=0)] = Field(
        default=0.0, description="Alert when the points per period drop to this or below."
    )


BuiltinAlert = Threshold | Relative | Deadman


class CustomAlert(BaseModel):
    """An alert of a user template: its parameters, checked against the template's schema."""

    model_config = ConfigDict(frozen=True)

    template: str
    params: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.params["id"])


Alert = Threshold | Relative | Deadman | CustomAlert
