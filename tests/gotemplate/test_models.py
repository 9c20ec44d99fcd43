"""model_problems visits only the fields its per-class plan names: the same findings
as a walk over every field of every model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from tests.handlers.full_handlers import FULL
from tickgen.gotemplate.kapacitor import TEMPLATE_ARGS, value_problem
from tickgen.gotemplate.models import GO_TEMPLATE_KEY, model_problems
from tickgen.models import Threshold

BROKEN = "{{ .NoSuchField }} {{ nosuchfunc }}"
VERSIONS = [(1, 5, 9), (1, 8, 3)]


def _every_field(model: BaseModel, version: tuple[int, ...]) -> list[tuple[list[Any], str]]:
    """The walk before the plan: every field, recursing into models and lists of them."""
    found: list[tuple[list[Any], str]] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        extra = info.json_schema_extra
        if isinstance(extra, dict) and GO_TEMPLATE_KEY in extra:
            unless = extra.get("x-go-template-unless")
            if isinstance(unless, str) and getattr(model, unless):
                continue
            handler, _, method = str(extra[GO_TEMPLATE_KEY]).rpartition(".")
            spec = TEMPLATE_ARGS[(handler, method)]
            items: list[tuple[list[Any], str | None]] = []
            if isinstance(value, str):
                items = [([name], value_problem(spec, value, version))]
            elif isinstance(value, list):
                items = [
                    ([name, i], value_problem(spec, v, version, index=i))
                    for i, v in enumerate(value)
                ]
            elif isinstance(value, dict):
                items = [
                    ([name, k], value_problem(spec, v, version, key=k)) for k, v in value.items()
                ]
            found += [(path, message) for path, message in items if message]
            continue
        nested: list[tuple[list[Any], BaseModel]] = []
        if isinstance(value, BaseModel):
            nested = [([name], value)]
        elif isinstance(value, list):
            nested = [([name, i], v) for i, v in enumerate(value) if isinstance(v, BaseModel)]
        for path, item in nested:
            found += [(path + sub, message) for sub, message in _every_field(item, version)]
    return found


def _broken(value: Any) -> Any:
    """Every string (and map value) replaced by a broken template."""
    if isinstance(value, str):
        return BROKEN
    if isinstance(value, list):
        return [_broken(v) for v in value]
    if isinstance(value, dict):
        return {k: _broken(v) for k, v in value.items()}
    return value


def _handler(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with as many values broken as the model still accepts."""
    current = dict(params)
    for key in params:
        if key == "kind":
            continue
        trial = {**current, key: _broken(params[key])}
        try:
            _alert([trial])
        except ValidationError:
            continue
        current = trial
    return current


def _alert(handlers: list[dict[str, Any]]) -> Threshold:
    return Threshold.model_validate(
        {
            "template": "threshold",
            "id": "t",
            "database": "db",
            "measurement": "cpu",
            "field": "f",
            "crit": {"op": ">", "value": 1},
            "message": BROKEN,
            "details": "<b>{{ .Nope }}",
            "alert_id": BROKEN,
            "handlers": handlers,
        }
    )


def test_the_plan_finds_what_a_walk_over_every_field_finds() -> None:
    alert = _alert([_handler(params) for params, _ in FULL.values()])
    for version in VERSIONS:
        expected = _every_field(alert, version)
        assert model_problems(alert, version) == expected
        # the alert's three templates and those of ten handlers are broken
        assert len({tuple(path[:2]) for path, _ in expected}) >= 13
