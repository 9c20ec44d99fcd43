"""Which handlers and properties a target Kapacitor version has.

Each model and field added after the 1.5 series records the version that
added it under ``x-kapacitor-since`` (see ``_base.since``).  Everything in
1.5.9, the last 1.5 release and the oldest tickgen tests against, is the
baseline: the handlers and properties that arrived during 1.5.x (teams and
discord in 1.5.6, serviceNow in 1.5.7, ...) say so in their descriptions but
are not version-checked, just as ``tickgen.tick.check`` treats them, so that
a target of "1.5" means the 1.5 series.  The versions come from Kapacitor's
CHANGELOG and from comparing ``pipeline/alert.go`` at v1.5.9 and v1.7.6.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

# One version parser for the whole package: the checker's.
from tickgen.tick.nodes import Version, parse_version

from ._base import BASELINE, SINCE_KEY, HandlerModel, _defaults

__all__ = ["Version", "parse_version", "since_version", "version_problems"]


def since_version(handler: HandlerModel, field: str | None = None) -> str:
    """The Kapacitor version that added ``handler``'s type, or one of its fields."""
    if field is None:
        return handler.since()
    return since_version_of(type(handler), field)


def since_version_of(model: type[HandlerModel], field: str) -> str:
    extra = model.model_fields[field].json_schema_extra
    return str(extra.get(SINCE_KEY, BASELINE)) if isinstance(extra, dict) else BASELINE


def version_problems(handlers: Sequence[HandlerModel], target: str) -> list[tuple[str, str]]:
    """``(path, message)`` for every handler or set property newer than ``target``.

    ``path`` is relative to the handler list (``[2]``, ``[2].to_templates``);
    a handler that is too new is reported once, without its properties.
    """
    wanted = _version(target)
    problems: list[tuple[str, str]] = []
    for index, handler in enumerate(handlers):
        added, fields = _since_table(type(handler))
        if added[1] > wanted:
            problems.append(
                (
                    f"[{index}]",
                    f"{handler.kind} handler needs Kapacitor {added[0]} or newer; "
                    f"the target is {target}: send these alerts another way there, or "
                    "upgrade it",
                )
            )
            continue
        for name, (field_added, version), default in fields:
            if version > wanted and getattr(handler, name) != default:
                problems.append(
                    (
                        f"[{index}].{name}",
                        f"{handler.kind} handler property {name} needs Kapacitor {field_added} "
                        f"or newer; the target is {target}: leave it out for that version",
                    )
                )
    return problems


_Since = tuple[str, Version]


@cache
def _version(text: str) -> Version:
    return parse_version(text)


@cache
def _since_table(
    model: type[HandlerModel],
) -> tuple[_Since, tuple[tuple[str, _Since, Any], ...]]:
    """A handler type's version, and each field's version and default, worked out once."""
    added = model.since()
    fields = []
    for name, default in _defaults(model).items():
        field_added = since_version_of(model, name)
        fields.append((name, (field_added, parse_version(field_added)), default))
    return (added, parse_version(added)), tuple(fields)
