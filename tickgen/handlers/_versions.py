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

# One version parser for the whole package: the checker's.
from tickgen.tick.nodes import Version, parse_version

from ._base import BASELINE, SINCE_KEY, HandlerModel

__all__ = ["Version", "parse_version", "since_version", "version_problems"]


def since_version(handler: HandlerModel, field: str | None = None) -> str:
    """The Kapacitor version that added ``handler``'s type, or one of its fields."""
    if field is None:
        return handler.since()
    extra = type(handler).model_fields[field].json_schema_extra
    return str(extra.get(SINCE_KEY, BASELINE)) if isinstance(extra, dict) else BASELINE


def version_problems(handlers: Sequence[HandlerModel], target: str) -> list[tuple[str, str]]:
    """``(path, message)`` for every handler or set property newer than ``target``.

    ``path`` is relative to the handler list (``[2]``, ``[2].to_templates``);
    a handler that is too new is reported once, without its properties.
    """
    wanted = parse_version(target)
    problems: list[tuple[str, str]] = []
    for index, handler in enumerate(handlers):
        added = handler.since()
        if parse_version(added) > wanted:
            problems.append(
                (
                    f"[{index}]",
                    f"{handler.kind} handler needs Kapacitor {added} or newer; "
                    f"the target is {target}",
                )
            )
            continue
        for name in handler.set_fields():
            added = since_version(handler, name)
            if parse_version(added) > wanted:
                problems.append(
                    (
                        f"[{index}].{name}",
                        f"{handler.kind} handler property {name} needs Kapacitor {added} "
                        f"or newer; the target is {target}",
                    )
                )
    return problems
