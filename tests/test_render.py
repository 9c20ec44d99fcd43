"""Golden scripts for each template and option, and the render pipeline's guarantees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tickgen
from tickgen import tick
from tickgen.errors import TemplateError

GOLDEN = Path(__file__).parent / "golden" / "render"
CASES = sorted(p.stem for p in GOLDEN.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_golden_script(case: str) -> None:
    (alert,) = tickgen.load(GOLDEN / f"{case}.yaml")
    script = tickgen.render(alert)
    assert script == (GOLDEN / f"{case}.tick").read_text(encoding="utf-8")
    assert [d for d in tick.check(script) if d.severity == "error"] == []
    assert tick.format(script) == script


def test_every_option_has_a_golden() -> None:
    assert len(CASES) >= 12


def test_payload_carries_status_and_dbrps() -> None:
    (alert,) = tickgen.load(GOLDEN / "threshold_outputs_custom.yaml")
    payload = tickgen.payload(alert)
    assert payload["status"] == "disabled"
    assert payload["type"] == "stream"
    assert payload["dbrps"] == [
        {"db": "telegraf", "rp": "autogen"},
        {"db": "telegraf", "rp": "long"},
    ]
    assert list(payload) == ["id", "type", "dbrps", "script", "status"]


def test_python_api_builds_the_same_alert_as_a_file() -> None:
    alert = tickgen.Relative(
        id="dutianze-t",
        database="api",
        measurement="account_login",
        field="value",
        group_by=["third_type"],
        shift="10m",
        crit=tickgen.Comparison(op=">", value=10),
    )
    (from_file,) = tickgen.load(
        Path(__file__).parents[1] / "examples" / "account_login_relative.yaml"
    )
    assert alert == from_file
    assert tickgen.render(alert) == tickgen.render(from_file)


def test_extras_change_the_script_only_when_used() -> None:
    base = {
        "id": "c",
        "database": "d",
        "measurement": "m",
        "field": "f",
        "crit": {"op": ">", "value": 1},
    }
    plain = tickgen.render(tickgen.Threshold(**base))  # type: ignore[arg-type]
    defaults = tickgen.render(
        tickgen.Threshold(
            **base,  # type: ignore[arg-type]
            where_not={},
            field_present_filter=False,
            no_recoveries=False,
            inhibit=[],
            all=False,
            handlers=[],
        )
    )
    assert plain == defaults
    assert ".warn(" not in plain and ".noRecoveries()" not in plain and "isPresent" not in plain


def test_a_value_that_cannot_be_written_names_the_template_and_line(tmp_path: Path) -> None:
    # every string can be written; a field name ending in a backslash cannot
    schema = {
        "type": "object",
        "required": ["template", "id", "database", "field"],
        "properties": {
            "template": {"type": "string"},
            "id": {"type": "string"},
            "database": {"type": "string"},
            "field": {"type": "string"},
        },
    }
    (tmp_path / "refs.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "refs.tick.j2").write_text(
        "stream\n    |from()\n        .measurement('m')\n"
        "    |alert()\n        .crit(lambda: {{ field | reference }} > 1)\n"
        "        .topic('x')\n",
        encoding="utf-8",
    )
    alert = tickgen.CustomAlert(
        template="refs", params={"template": "refs", "id": "c", "database": "d", "field": "f\\"}
    )
    renderer = tickgen.Renderer([tmp_path])
    with pytest.raises(
        TemplateError, match=r"template refs, line 5: a field or tag name cannot end in a backslash"
    ):
        renderer.render(alert)


def test_target_version_is_checked_for_handlers() -> None:
    alert = tickgen.Threshold(
        id="c",
        database="d",
        measurement="m",
        field="f",
        crit={"op": ">", "value": 1},
        handlers=[{"kind": "zenoss"}],
    )
    assert ".zenoss()" in tickgen.render(alert, kapacitor_version="1.6")
    with pytest.raises(tickgen.ParameterError, match=r"<python>: handlers\[0\]: .*1\.6"):
        tickgen.render(alert, kapacitor_version="1.5")
