"""Where render-and-validate spends its time: cProfile over the whole path.

Two views of one profile: the functions with the most time of their own, and
that own time summed by area (TICKscript lexer, parser, checker, jsonschema,
Jinja, ...), which is what says which owner has the most to gain.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tickgen.pipeline import run
from tickgen.render import RenderedTask, shared_renderer

__all__ = ["profile_pipeline"]

# (substring of the code's file path, area); the first match wins
_AREAS = (
    ("tickgen/tick/lexer", "tickgen.tick.lexer"),
    ("tickgen/tick/parser", "tickgen.tick.parser"),
    ("tickgen/tick/checker", "tickgen.tick.checker"),
    ("tickgen/tick/nodes", "tickgen.tick.nodes"),
    ("tickgen/tick/formatter", "tickgen.tick.formatter"),
    ("tickgen/tick/", "tickgen.tick (other)"),
    ("tickgen/handlers", "tickgen.handlers"),
    ("tickgen/schema", "tickgen.schema"),
    ("tickgen/", "tickgen (other)"),
    ("jsonschema", "jsonschema"),
    ("referencing", "jsonschema"),
    ("pydantic", "pydantic"),
    ("jinja2", "jinja2"),
    ("yaml", "PyYAML"),
    ("<template>", "jinja2 (compiled templates)"),
    ("templates/", "jinja2 (compiled templates)"),
)


def _area(filename: str) -> str:
    for needle, area in _AREAS:
        if needle in filename:
            return area
    if filename.startswith(("~", "<")):
        return "builtins"
    return "other (stdlib)"


def _short(filename: str) -> str:
    for marker in ("/tickgen/", "/site-packages/", "/lib/python"):
        at = filename.find(marker)
        if at >= 0:
            return filename[at + 1 :]
    return filename


def profile_pipeline(files: Sequence[Path], top: int = 15) -> dict[str, Any]:
    """Profile ``pipeline.run`` over ``files`` (renderer warmed first); the heaviest entries."""
    renderer = shared_renderer()
    warm = sorted(files)[:1]
    run(warm, renderer, lambda task: None)  # compile templates and schemas outside the profile
    count = 0

    def on_task(task: RenderedTask) -> None:
        nonlocal count
        count += 1

    profiler = cProfile.Profile()
    profiler.enable()
    run(files, renderer, on_task)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    areas: dict[str, float] = {}
    functions = []
    for (filename, line, name), (_, calls, own, cumulative, _) in raw.items():
        area = _area(filename)
        areas[area] = areas.get(area, 0.0) + own
        functions.append(
            {
                "function": f"{_short(filename)}:{line}({name})",
                "calls": calls,
                "own_s": own,
                "own_share": own / total,
                "cumulative_s": cumulative,
                "cumulative_share": cumulative / total,
            }
        )
    functions.sort(key=lambda f: f["own_s"], reverse=True)
    by_cumulative = sorted(
        (f for f in functions if f["function"].startswith("tickgen/")),
        key=lambda f: f["cumulative_s"],
        reverse=True,
    )
    return {
        "alerts": count,
        "profiled_seconds": total,
        "by_area": dict(sorted(((a, s / total) for a, s in areas.items()), key=lambda kv: -kv[1])),
        "top_own": functions[:top],
        "top_cumulative_tickgen": by_cumulative[:top],
    }
