"""validate/lint --output text|json|github|sarif: the shapes, the order, the escaping."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tickgen.cli import main
from tickgen.cli.output import Finding, as_github
from tickgen.dbrp import DBRP

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOOD = (EXAMPLES / "cpu_mean_threshold.yaml").read_text(encoding="utf-8")
BAD = GOOD.replace("period: 5m", "period: 5").replace("cpu-mean-high", "cpu-mean-b")  # line 13
WARNS = "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n"
FAILS = "stream\n    |from()\n    |window()\n    |period(1m)\n    |httpOut('x')\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with problems in three files, linted from its top (relative paths)."""
    (tmp_path / "alerts").mkdir()
    (tmp_path / "tasks").mkdir()
    (tmp_path / "alerts" / "b.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "alerts" / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "tasks" / "z.tick").write_text(WARNS, encoding="utf-8")
    (tmp_path / "tasks" / "m.tick").write_text(FAILS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_validate_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, body = run_json(capsys, "validate", "--output", "json", "alerts")
    assert code == 1
    assert body["format"] == "tickgen.findings" and body["version"] == 1
    assert body["command"] == "validate"
    assert body["summary"] == {"errors": 1, "warnings": 0, "notes": 0}
    [finding] = body["findings"]
    assert finding == {
        "file": os.path.join("alerts", "b.yaml"),
        "line": 13,
        "column": None,
        "severity": "error",
        "rule": "parameters",
        "parameter": "aggregate.period",
        "task": None,
        "message": finding["message"],
    }
    assert finding["message"].startswith("5 is not a duration greater than zero (such as 10s, 5m or 1h)")


def test_validate_json_when_all_is_valid(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, body = run_json(capsys, "validate", "--output", "json", "alerts/a.yaml")
    assert code == 0
    assert body["findings"] == [] and body["summary"] == {"errors": 0, "warnings": 0, "notes": 0}


def test_lint_json_is_sorted_by_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, body = run_json(capsys, "lint", "--output", "json", "tasks", "alerts")
    assert code == 1
    places = [(f["file"], f["line"], f["severity"]) for f in body["findings"]]
    assert places == [
        (os.path.join("alerts", "b.yaml"), 13, "error"),
        (os.path.join("tasks", "m.tick"), 4, "error"),
        (os.path.join("tasks", "z.tick"), 4, "warning"),
    ]
    assert body["summary"] == {"errors": 2, "warnings": 1, "notes": 0}


def test_lint_github_annotations(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--output", "github", "tasks/z.tick"]) == 0
    assert capsys.readouterr().out == (
        "::warning file=tasks/z.tick,line=4,col=6,title=tickgen lint::"
        "alert has no handler and no .topic(): its events reach no topic and notify no one\n"
    )


def test_validate_github_annotation_names_the_parameter(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--output", "github", "alerts/b.yaml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "::error file=alerts/b.yaml,line=13,title=tickgen validate%3A aggregate.period::5 is not"
    )
    assert out.count("\n") == 1


def test_github_escaping() -> None:
    """Data escapes % CR LF; properties also : and , (as the Actions runner unescapes)."""
    finding = Finding(
        "100% wrong\r\nsecond line: a, b",
        "error",
        "tickscript",
        file="dir,1/a:b%.tick",
        line=2,
        column=3,
    )
    assert as_github([finding], "lint") == (
        "::error file=dir%2C1/a%3Ab%25.tick,line=2,col=3,title=tickgen lint::"
        "100%25 wrong%0D%0Asecond line: a, b\n"
    )


def test_text_output_is_unchanged(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "alerts/b.yaml"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("tickgen: error: alerts/b.yaml:13: aggregate.period: ")


def test_plan_github_groups_the_plan_and_annotates_conflicts() -> None:
    from tickgen.cli.output import plan_as_github
    from tickgen.deploy import LiveTask, compute_plan, desired_task

    script = "stream\n    |from()\n        .measurement('cpu')\n"
    dbrps = [DBRP("telegraf", "autogen")]
    desired = [desired_task(i, script, dbrps, template="threshold") for i in ("new", "theirs")]
    live = [LiveTask("theirs", script, (DBRP("telegraf", "autogen"),), "enabled")]
    plan = compute_plan(desired, live, target="prod", url="http://k:9092")
    out = plan_as_github(plan).splitlines()
    assert out[0] == "::group::tickgen plan: Target prod (http://k:9092)"
    assert "  + create    new     <python>" in out
    assert out[out.index("::endgroup::") + 1].startswith(
        "::warning title=tickgen plan%3A conflict on prod::theirs: "
    )
    assert out[-1] == (
        "::notice title=tickgen plan%3A prod::"
        "Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged, 1 conflict left alone."
    )


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_plan_reports_parameter_problems_in_the_format_asked_for(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    # the parameters fail before any server is asked (nothing listens on port 9)
    code = main(["plan", "alerts", "--url", "http://127.0.0.1:9", "--output", fmt])
    assert code == 1
    out = capsys.readouterr().out
    if fmt == "json":
        body = json.loads(out)
        assert body["command"] == "plan" and body["findings"][0]["line"] == 13
    else:
        assert out.startswith("::error file=alerts/b.yaml,line=13,title=tickgen plan%3A ")


@pytest.mark.servers
def test_plan_github_against_a_real_kapacitor(
    kapacitor: Any, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "alerts" / "b.yaml").unlink()
    code = main(["plan", "alerts", "--url", kapacitor.url, "--output", "github"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(
        f"::group::tickgen plan: Target default ({kapacitor.url}), "
        f"Kapacitor {kapacitor.version} (reported by the server)\n"
    )
    assert "  + create    cpu-mean-high  alerts/a.yaml" in out
    assert "\x1b[" not in out  # no colour in a CI log file
    assert out.endswith(
        "::notice title=tickgen plan%3A default::"
        "Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged.\n"
    )


def test_parameter_warnings_are_findings_and_strict_fails_on_them(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # without an aggregate the field's type is unknown: a string spelling a number warns
    quoted = GOOD.replace("aggregate:\n  function: mean\n  period: 5m\n  every: 1m\n", "")
    quoted = quoted.replace("value: 90", 'value: "90"')  # now line 14
    assert quoted.count("\n") == GOOD.count("\n") - 4
    (project / "alerts" / "a.yaml").write_text(quoted, encoding="utf-8")
    code, body = run_json(capsys, "validate", "--output", "json", "alerts/a.yaml")
    assert code == 0
    [finding] = body["findings"]
    assert (finding["file"], finding["line"], finding["severity"], finding["parameter"]) == (
        os.path.join("alerts", "a.yaml"), 14, "warning", "crit.value"
    )
    assert main(["validate", "--strict", "--output", "github", "alerts/a.yaml"]) == 1
    assert capsys.readouterr().out.startswith(
        "::warning file=alerts/a.yaml,line=14,title=tickgen validate%3A crit.value::"
    )
    assert main(["lint", "--output", "json", "alerts/a.yaml"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["warnings"] == 1
