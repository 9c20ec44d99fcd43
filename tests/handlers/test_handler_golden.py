"""Whole scripts for an alert with each handler, every property set.

``tests/golden/handlers/<kind>.tick`` is what tickgen renders for
:func:`golden_alert` with that handler; each must pass tickgen's own checker
without a diagnostic at the lowest Kapacitor version that has every property.
Rewrite them after a deliberate change with
``python -m tests.handlers.test_handler_golden``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from tests.handlers.full_handlers import FULL
from tickgen import tick
from tickgen.handlers import HANDLER_ORDER, version_problems
from tickgen.models import Alert
from tickgen.pipeline import render_paths
from tickgen.render import Renderer

GOLDEN = Path(__file__).parent.parent / "golden" / "handlers"
EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "handlers.yaml"
_ALERT: TypeAdapter[Alert] = TypeAdapter(Alert)


def golden_params(kind: str) -> dict[str, Any]:
    return {
        "template": "threshold",
        "id": f"handler-{kind}",
        "database": "telegraf",
        "measurement": "cpu",
        "field": "usage_user",
        "crit": {"op": ">", "value": 90},
        "handlers": [FULL[kind][0]],
    }


def target_version(kind: str) -> str:
    """1.5.9, the Kapacitor the live tests run, unless the handler needs 1.6+."""
    alert = _ALERT.validate_python(golden_params(kind))
    return "1.5.9" if not version_problems(alert.handlers, "1.5.9") else "1.7"


def unchecked_script(kind: str) -> str:
    """The formatted script, without the checker (to write a golden file)."""
    text = Renderer().render_text(_ALERT.validate_python(golden_params(kind)))
    return tick.format(text)


def test_a_golden_file_per_kind() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.tick")) == sorted(HANDLER_ORDER)


@pytest.mark.parametrize("kind", HANDLER_ORDER)
def test_golden_holds_the_handler_lines(kind: str) -> None:
    script = (GOLDEN / f"{kind}.tick").read_text()
    assert unchecked_script(kind) == script
    block = "".join(" " * 8 + line + "\n" for line in FULL[kind][1])
    assert block in script


@pytest.mark.parametrize("kind", HANDLER_ORDER)
def test_golden_renders_and_checks_clean(kind: str) -> None:
    version = target_version(kind)
    task = Renderer(kapacitor_version=version).render(_ALERT.validate_python(golden_params(kind)))
    assert task.script == (GOLDEN / f"{kind}.tick").read_text()
    program = tick.parse(task.script)
    found = tick.check(program, "stream", version=version)
    # what only the server's configuration can settle (kafka's cluster) is said, not refused
    assert [str(d) for d in found if "server configuration" not in d.message] == []


def test_the_example_renders() -> None:
    (task,) = render_paths(EXAMPLE)
    assert task.warnings == ()
    assert "        .slack()\n        .channel('#ops')\n" in task.script


if __name__ == "__main__":
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for each in HANDLER_ORDER:
        (GOLDEN / f"{each}.tick").write_text(unchecked_script(each))
