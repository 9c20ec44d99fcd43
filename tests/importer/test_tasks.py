"""Live scripts back into parameters, offline: render -> import -> render gives the same script."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.deploy.conftest import BUILTIN_ALERTS
from tests.handlers.full_handlers import FULL
from tickgen.dbrp import DBRP
from tickgen.deploy import LiveTask, mark
from tickgen.deploy.ownership import Marker
from tickgen.importer.handlers import property_table
from tickgen.importer.paramfile import ImportProblem, render_params
from tickgen.importer.tasks import import_task, params_from_script
from tickgen.render import Renderer

CHRONOGRAF = Path(__file__).parent / "chronograf"
EXAMPLES = Path(__file__).parents[2] / "examples"
RENDERER = Renderer()


def live(task_id: str, script: str, dbrps: tuple[DBRP, ...] = (DBRP("telegraf", "autogen"),),
         status: str = "enabled") -> LiveTask:
    return LiveTask(task_id, script, dbrps, status)


@pytest.mark.parametrize(
    "params",
    [*BUILTIN_ALERTS, yaml.safe_load((EXAMPLES / "account_login_relative.yaml").read_text())],
    ids=lambda p: str(p["id"]),
)
def test_rendered_scripts_import_back_to_the_same_script(params: dict[str, object]) -> None:
    task = render_params(params, RENDERER)
    marked = mark(task.script, Marker(task.template, task.params_hash))
    imported = import_task(live(task.id, marked, task.dbrps, task.status), RENDERER)
    assert imported.reason == ""
    assert imported.params is not None
    again = render_params(imported.params, RENDERER)
    assert again.script == task.script
    assert (again.status, again.dbrps) == (task.status, task.dbrps)


def test_parameters_read_back_keep_only_what_differs_from_defaults() -> None:
    task = render_params(yaml.safe_load((EXAMPLES / "account_login_relative.yaml").read_text()),
                         RENDERER)
    assert params_from_script("dutianze-t", task.script) == {
        "template": "relative",
        "id": "dutianze-t",
        "database": "api",
        "measurement": "account_login",
        "group_by": ["third_type"],
        "field": "value",
        "shift": "10m",
        "change": "percent",
        "crit": {"op": ">", "value": 10},
    }


@pytest.mark.parametrize("name", ["cpu_high", "disk_used"])
def test_chronograf_scripts_import(name: str) -> None:
    script = (CHRONOGRAF / f"{name}.tick").read_text()
    imported = import_task(live(f"chronograf-v1-{name}", script), RENDERER)
    assert imported.params is not None, imported.reason
    assert render_params(imported.params, RENDERER).script == script


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ((CHRONOGRAF / "account_login.tick").read_text(),
         "render a different script: line 67: '.stateChangesOnly()' would be '.pagerDuty2()'"),
        ((CHRONOGRAF / "heartbeat.tick").read_text(), "a stray top-level 0s"),
        ("stream\n    |from()\n        .measurement('cpu')\n", "not in the layout"),
        ("var triggerType = 'threshold'\n\nstream|from(", "does not parse"),
        ((CHRONOGRAF / "cpu_high.tick").read_text().replace("|mean(", "|spread("),
         ""),  # another aggregate is still the layout
        ((CHRONOGRAF / "cpu_high.tick").read_text().replace(".slack()", ".slack()\n.foo()"),
         ".foo() after a handler"),
        ((CHRONOGRAF / "cpu_high.tick").read_text().replace(
            "var idVar = name + '-{{.Group}}'", "var idVar = name + ':{{.Group}}'"),
         "var idVar = name + ':{{.Group}}' cannot be written as a parameter"),
    ],
)
def test_scripts_that_cannot_be_imported_say_why(script: str, reason: str) -> None:
    imported = import_task(live("t", script), RENDERER)
    if not reason:
        assert imported.params is not None, imported.reason
        return
    assert imported.params is None
    assert reason in imported.reason


def test_handler_methods_are_learnt_from_the_models() -> None:
    assert property_table("slack")["iconEmoji"].field == "icon_emoji"
    assert property_table("email")["to"].shape == "each"
    assert property_table("opsGenie2")["teams"].shape == "strings"
    assert property_table("telegram")["disableNotification"].shape == "flag"
    assert property_table("zenoss")["tid"].shape == "int"
    assert property_table("post")["header"].shape == "pairs"
    assert property_table("post")["timeout"].shape == "duration"
    assert property_table("log")["mode"].shape == "octal"


def test_not_importable_script_raises_for_the_python_api() -> None:
    with pytest.raises(ImportProblem, match="no 'var db'"):
        params_from_script("t", "var triggerType = 'threshold'\n\nvar name = 'x'\n")


@pytest.mark.parametrize("kind", sorted(FULL))
def test_every_handler_with_every_property_imports_back(kind: str) -> None:
    params = {
        "template": "threshold", "id": f"h-{kind}", "database": "telegraf",
        "measurement": "cpu", "field": "usage", "crit": {"op": ">", "value": 1},
        "handlers": [FULL[kind][0]],
    }
    renderer = Renderer(kapacitor_version="1.8")  # some properties are newer than 1.5
    task = render_params(params, renderer)
    imported = import_task(live(task.id, task.script), renderer)
    assert imported.params is not None, imported.reason
    assert render_params(imported.params, renderer).script == task.script
    expected = dict(FULL[kind][0])
    if kind == "log":
        expected["mode"] = 0o644  # read back as the number the octal literal means
    assert imported.params["handlers"] == [expected]


def test_values_written_as_concatenations_import_back() -> None:
    # ''' plus a trailing backslash: ('head' + '''\\''') in vars, lambdas, calls, and a
    # list item in a var of its own (tickgen.tick.quote.string, render.list_declaration)
    odd = "a'''b\\"
    params = {
        "template": "threshold",
        "id": "odd",
        "database": "telegraf",
        "measurement": "cpu",
        "field": "usage",
        "name": odd,
        "message": odd,
        "details": odd,
        "alert_id": odd,
        "category": odd,
        "group_by": ["host", odd],
        "where": {"host": [odd, "b"]},
        "where_not": {"region": [odd]},
        "crit": {"op": "==", "value": odd},
        "http_out": odd,
        "handlers": [{"kind": "slack", "channel": odd}],
    }
    task = render_params(params, RENDERER)
    assert "('a\\'\\'\\'b' + '''\\''')" in task.script and "groupBy1" in task.script
    read = params_from_script("odd", task.script)
    assert {k: read[k] for k in params if k not in ("template", "id")} == {
        k: v for k, v in params.items() if k not in ("template", "id")
    }
    assert render_params(read | {"id": "odd"}, RENDERER).script == task.script
