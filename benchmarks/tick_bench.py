"""TICKscript alone: parse, format and check throughput on one 2 KB script and on a corpus.

``parse`` is text to AST; ``format`` is ``tick.format`` (text to canonical
text, what ``tickgen fmt`` does: parse and print); ``format_ast`` prints an
already parsed AST; ``check`` walks an already parsed AST as a task create
would.  MB/s is of the source text in every case, so the rows compare.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from tickgen import tick
from tickgen.models import Alert
from tickgen.render import Renderer

from .corpus import alert_params

__all__ = ["measure_scripts", "two_kb_script"]


def two_kb_script(renderer: Renderer) -> str:
    """A rendered threshold alert with enough handlers to be about 2 KB."""
    params = alert_params(0)
    params.update(database="telegraf", retention_policy="autogen")
    params["handlers"] = [
        {"kind": "slack", "channel": "#ops", "username": "kapacitor", "icon_emoji": ":fire:"},
        {"kind": "email", "to": ["oncall@example.com", "team@example.com"]},
        {"kind": "pagerDuty2", "routing_key": "0123456789abcdef0123456789abcdef"},
        {"kind": "log", "path": "/var/log/kapacitor/alerts.log"},
        {
            "kind": "post",
            "url": "https://hooks.example.com/kapacitor",
            "headers": {"X-Source": "kapacitor"},
        },
        {"kind": "teams", "channel_url": "https://outlook.office.com/webhook/replace-me"},
    ]
    info = renderer.catalog.get(params["template"])
    assert info.model is not None
    alert: Alert = info.model.model_validate(params)  # type: ignore[assignment]
    return renderer.render(alert).script


def _repeat(
    scripts: Sequence[Any], call: Callable[[Any], object], min_seconds: float
) -> tuple[int, float, float]:
    """Run ``call`` over ``scripts`` until ``min_seconds`` have passed: (done, wall s, CPU s)."""
    done = 0
    began, cpu_began = time.perf_counter(), time.process_time()
    while True:
        for item in scripts:
            call(item)
        done += len(scripts)
        elapsed = time.perf_counter() - began
        if elapsed >= min_seconds:
            return done, elapsed, time.process_time() - cpu_began


def measure_scripts(scripts: Sequence[str], min_seconds: float) -> dict[str, Any]:
    """scripts/s and MB/s for parse, format (text to text), format of an AST, and check."""
    programs = [tick.parse(s) for s in scripts]
    total_bytes = sum(len(s.encode()) for s in scripts)
    mean_bytes = total_bytes / len(scripts)

    def check(program: tick.ast.Program) -> object:
        return tick.check(program, "stream")

    operations: dict[str, tuple[Sequence[Any], Callable[[Any], object]]] = {
        "parse": (scripts, tick.parse),
        "format": (scripts, tick.format),
        "format_ast": (programs, tick.format_program),
        "check": (programs, check),
    }
    figures: dict[str, Any] = {"scripts": len(scripts), "mean_bytes": mean_bytes}
    for name, (inputs, call) in operations.items():
        done, seconds, cpu_seconds = _repeat(inputs, call, min_seconds)
        per_second = done / seconds
        figures[name] = {
            "scripts_per_s": per_second,
            "scripts_per_cpu_s": done / cpu_seconds,
            "mb_per_s": per_second * mean_bytes / 1e6,
            "us_per_script": 1e6 / per_second,
        }
    return figures
