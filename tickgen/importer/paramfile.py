"""What importers share: checking imported parameters by rendering them, and writing them out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from tickgen.errors import TickgenError
from tickgen.render import RenderedTask, Renderer


class ImportProblem(ValueError):
    """Why a task or rule cannot be turned into parameters."""


@dataclass(frozen=True)
class Imported:
    """One task or rule: its parameters, or the reason it could not be imported."""

    task_id: str
    params: dict[str, Any] | None = None
    reason: str = ""
    note: str = ""  # imported, but worth saying (a Chronograf bug not copied, ...)


def render_params(params: Mapping[str, Any], renderer: Renderer) -> RenderedTask:
    """Validate and render imported parameters; ImportProblem says what is wrong."""
    info = renderer.catalog.find(str(params.get("template")))
    if info is None or info.model is None:
        raise ImportProblem(f"no built-in template {params.get('template')!r}")
    model: type[BaseModel] = info.model
    try:
        alert = model.model_validate(dict(params))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        message = f"the parameters read back are not valid: {where}: {first['msg']}"
        raise ImportProblem(message) from None
    try:
        return renderer.render(alert)  # type: ignore[arg-type]
    except TickgenError as exc:
        raise ImportProblem(f"the parameters read back do not render: {exc}") from None


def first_difference(expected: str, got: str) -> str:
    """``line N: 'expected' != 'got'`` for the first line that differs."""
    left, right = expected.splitlines(), got.splitlines()
    for number, (a, b) in enumerate(zip(left, right, strict=False), start=1):
        if a != b:
            return f"line {number}: {a.strip()!r} would be {b.strip()!r}"
    number = min(len(left), len(right)) + 1
    return f"line {number}: the scripts differ in length ({len(left)} and {len(right)} lines)"


def to_yaml(params: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(params), sort_keys=False, allow_unicode=True, width=100)


def write_params(directory: Path, imported: Imported, header: str) -> Path:
    """``DIR/<id>.yaml`` with a comment saying where it came from."""
    assert imported.params is not None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{imported.task_id}.yaml"
    lines = [f"# {line}" for line in header.splitlines()]
    if imported.note:
        lines += [f"# note: {line}" for line in imported.note.splitlines()]
    path.write_text("\n".join(lines) + "\n" + to_yaml(imported.params), encoding="utf-8")
    return path
