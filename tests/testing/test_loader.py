"""Test files are checked like parameter files: every problem, at file:line with its path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tickgen._build.schemagen import TEST_FILE_SCHEMA, test_file_schema_text
from tickgen.errors import ParameterError
from tickgen.params import expand_paths
from tickgen.testing import load_suite
from tickgen.testing.loader import is_test_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TESTS = sorted((ROOT / "examples").glob("*.test.yaml"))
ALL_TESTS = [*EXAMPLE_TESTS, *sorted((ROOT / "tests" / "testing" / "cases").glob("*.test.yaml"))]
SCHEMA = ROOT / "schemas" / TEST_FILE_SCHEMA


def problems_of(tmp_path: Path, text: str, name: str = "t.test.yaml") -> list[str]:
    (tmp_path / "alert.yaml").write_text(
        "template: threshold\nid: cpu\ndatabase: db\nmeasurement: cpu\nfield: usage\n"
        "crit: {op: '>', value: 90}\n"
    )
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ParameterError) as caught:
        load_suite([path])
    return [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_every_problem_is_reported_at_its_line(tmp_path: Path) -> None:
    text = """params: [alert.yaml]
tests:
  - name: one
    alert: nosuch
    series: [{values: 1 2 3}]
    expect: []
  - name: two
    alert: cpu
    series:
      - values: 1 2 %
    expect:
      - {at: 1m, level: CRIT}
  - name: three
    alert: cpu
    series: [{values: 1}]
"""
    problems = problems_of(tmp_path, text)
    assert (
        "t.test.yaml:10: tests[1].series[0].values: value 3 ('%'): expected a number" in problems[0]
        or any("t.test.yaml:10: tests[1].series[0].values: value 3 ('%')" in p for p in problems)
    )
    assert any(
        p.startswith("t.test.yaml:12: tests[1].expect[0].level: Input should be 'OK'")
        for p in problems
    )
    assert any(p == "t.test.yaml:13: tests[2]: missing required key 'expect'" for p in problems)


def test_unknown_alert_and_unknown_key(tmp_path: Path) -> None:
    text = """params: [alert.yaml]
tests:
  - name: one
    alert: nosuch
    series: [{values: 1 2 3, colour: red}]
    expect: []
"""
    problems = problems_of(tmp_path, text)
    assert problems == ["t.test.yaml:5: tests[0].series[0].colour: unknown key 'colour'"]
    text = text.replace(", colour: red", "")
    assert problems_of(tmp_path, text) == [
        "t.test.yaml:4: tests[0].alert: no alert with task id 'nosuch'; known: cpu"
    ]


def test_json_and_toml_test_files(tmp_path: Path) -> None:
    body = {"params": ["alert.yaml"], "tests": [{"name": "x", "alert": "cpu", "expect": []}]}
    assert problems_of(tmp_path, json.dumps(body, indent=1), "t.test.json") == [
        "t.test.json:6: tests[0]: give input points: 'series' or 'lines'"
    ]
    toml = 'params = ["alert.yaml"]\n[[tests]]\nname = "x"\nalert = "cpu"\nexpect = []\n'
    assert problems_of(tmp_path, toml, "t.test.toml") == [
        "t.test.toml:2: tests[0]: give input points: 'series' or 'lines'"  # its [[tests]]
    ]


def test_test_files_are_not_parameter_files(tmp_path: Path) -> None:
    assert is_test_file(Path("a/cpu.test.yaml")) and not is_test_file(Path("cpu.yaml"))
    assert [p.name for p in expand_paths([ROOT / "examples"]) if ".test." in p.name] == []


def test_checked_in_test_file_schema_matches_the_model() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == test_file_schema_text(), "run scripts/gen-schemas"
    Draft202012Validator.check_schema(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", ALL_TESTS, ids=lambda p: p.name)
def test_every_example_test_file_is_valid_by_the_schema(path: Path) -> None:
    import yaml

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text())))
    assert errors == []


def test_every_example_alert_has_tests() -> None:
    suite, _ = load_suite(EXAMPLE_TESTS)
    tested = {case.alert.id for case in suite.cases if case.alert is not None}
    assert tested >= {
        "memory-used",
        "server-room-temperature",
        "cpu-mean-high",
        "dutianze-t",
        "queue-growth",
        "host-heartbeat",
        "web-shop-latency",
        "web-api-latency",
        "cpu_high",
    }


def test_json_and_toml_say_the_same_as_yaml(tmp_path: Path) -> None:
    yaml_text = """params: [alert.yaml]
tests:
  - name: x
    alert: cpu
    series: [{tags: {host: a}, values: 50 95x2 _ 10}]
    expect: [{at: 1m, level: CRITICAL}, {at: 4m, level: OK}]
"""
    json_text = json.dumps(
        {
            "params": ["alert.yaml"],
            "tests": [
                {
                    "name": "x",
                    "alert": "cpu",
                    "series": [{"tags": {"host": "a"}, "values": "50 95x2 _ 10"}],
                    "expect": [{"at": "1m", "level": "CRITICAL"}, {"at": "4m", "level": "OK"}],
                }
            ],
        }
    )
    toml_text = """params = ["alert.yaml"]
[[tests]]
name = "x"
alert = "cpu"
series = [{tags = {host = "a"}, values = "50 95x2 _ 10"}]
expect = [{at = "1m", level = "CRITICAL"}, {at = "4m", level = "OK"}]
"""
    (tmp_path / "alert.yaml").write_text(
        "template: threshold\nid: cpu\ndatabase: db\nmeasurement: cpu\nfield: usage\n"
        "crit: {op: '>', value: 90}\n"
    )
    cases = []
    for name, text in (
        ("a.test.yaml", yaml_text),
        ("b.test.json", json_text),
        ("c.test.toml", toml_text),
    ):
        (tmp_path / name).write_text(text)
        suite, _ = load_suite([tmp_path / name])
        cases.append(suite.cases[0].case)
    assert cases[0] == cases[1] == cases[2]
