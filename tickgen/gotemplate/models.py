"""Template fields of tickgen's pydantic models: the marker, and the check.

A model field that Kapacitor parses as a Go template carries
``json_schema_extra=go_template("alerta", "resource")``: the TICKscript
method it is written with, a key of :data:`~.kapacitor.TEMPLATE_ARGS`.  The
marker shows in the JSON Schema as ``x-go-template`` and :func:`model_problems`
checks every marked value of a validated model, recursing into nested models
and lists of them, for the Kapacitor version in use.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from .contexts import context
from .kapacitor import TEMPLATE_ARGS, TemplateArg, value_problem

__all__ = ["GO_TEMPLATE_KEY", "go_template", "model_problems", "template_note"]

GO_TEMPLATE_KEY = "x-go-template"
_UNLESS_KEY = "x-go-template-unless"

Path = list[str | int]


def go_template(handler: str, method: str, *, unless: str | None = None) -> dict[str, Any]:
    """``json_schema_extra`` of a field that is the template ``.method()`` of ``handler``.

    ``handler`` is ``""`` for the alert itself.  ``unless`` names a sibling
    field that, when set, makes Kapacitor ignore this one (post's ``endpoint``).
    """
    key = (handler, method)
    if key not in TEMPLATE_ARGS:
        raise KeyError(f"no Go template argument {key} in TEMPLATE_ARGS")
    extra: dict[str, Any] = {GO_TEMPLATE_KEY: f"{handler}.{method}" if handler else method}
    if unless is not None:
        extra[_UNLESS_KEY] = unless
    return extra


def template_note(handler: str, method: str) -> str:
    """The sentence a schema description ends with: a Go template, and its data."""
    spec = TEMPLATE_ARGS[(handler, method)]
    data = context(spec.data, spec.name, (1, 5, 9)).data
    fields = ", ".join(f".{name}" for name in data.field_names())
    return f" Go template data: {data.name} ({fields})."


def _spec_key(extra: dict[str, Any]) -> tuple[str, str]:
    handler, _, method = str(extra[GO_TEMPLATE_KEY]).rpartition(".")
    return handler, method


def model_problems(model: BaseModel, version: tuple[int, ...]) -> list[tuple[Path, str]]:
    """``(path, message)`` for every marked field of ``model`` that is a broken template."""
    problems: list[tuple[Path, str]] = []
    for name, spec, unless in _plan(type(model)):
        value = getattr(model, name)
        if spec is None:
            for path, item in _nested(name, value):
                found = model_problems(item, version)
                problems += [(path + sub, message) for sub, message in found]
        elif not (unless is not None and getattr(model, unless)):
            problems += _value_problems(spec, value, [name], version)
    return problems


# (field, its template spec or None for a field that may hold models, the field
# that turns it off) per model class.  Worked out once per class: walking every
# field of every model (30 on an alert, each handler's own) took 50 us per alert
# twice over (validate and render) on the benchmark corpus; only the few fields
# that are templates or can hold a model are visited now.
_PLANS: dict[type[BaseModel], list[tuple[str, TemplateArg | None, str | None]]] = {}


def _plan(cls: type[BaseModel]) -> list[tuple[str, TemplateArg | None, str | None]]:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = []
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra
            if isinstance(extra, dict) and GO_TEMPLATE_KEY in extra:
                unless = extra.get(_UNLESS_KEY)
                spec = TEMPLATE_ARGS[_spec_key(extra)]
                plan.append((name, spec, unless if isinstance(unless, str) else None))
            elif _may_hold_model(info.annotation):
                plan.append((name, None, None))
        _PLANS[cls] = plan
    return plan


def _may_hold_model(annotation: Any) -> bool:
    """Whether a field of this type can hold a model (or a list of them): a model
    class anywhere in it, or a type that takes anything."""
    if annotation is Any or annotation is object:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(arg) for arg in get_args(annotation))


def _value_problems(
    spec: TemplateArg, value: object, path: Path, version: tuple[int, ...]
) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str | None]] = []
    if isinstance(value, str):
        found.append((path, value_problem(spec, value, version)))
    elif isinstance(value, list):
        found += [
            ([*path, i], value_problem(spec, item, version, index=i))
            for i, item in enumerate(value)
        ]
    elif isinstance(value, dict):
        found += [
            ([*path, key], value_problem(spec, item, version, key=key))
            for key, item in value.items()
        ]
    return [(where, message) for where, message in found if message]


def _nested(name: str, value: object) -> list[tuple[Path, BaseModel]]:
    if isinstance(value, BaseModel):
        return [([name], value)]
    if isinstance(value, list):
        return [([name, i], item) for i, item in enumerate(value) if isinstance(item, BaseModel)]
    return []
