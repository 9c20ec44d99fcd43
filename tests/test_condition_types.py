"""Levels whose value can never compare at run time are refused with what would be right.

Kapacitor 1.5.9 defines ==/!= only for two booleans (tick/stateful/evaluation_funcs.go),
and a relative alert's value is always a float: a boolean with > or a string threshold
on a change would fail on every point and the alert would never fire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tickgen import ParameterError, render_paths

BASE = "id: t\ndatabase: d\nmeasurement: m\nfield: f\ntopic: x\n"


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "a.yaml"
    path.write_text(BASE + text, encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        render_paths(path)
    return [str(p) for p in caught.value.problems]


def test_boolean_with_an_ordering_operator(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, 'template: threshold\ncrit: {op: ">", value: true}\n')
    assert problem.endswith(
        "a.yaml:7: crit.value: a boolean compares only with == or !=, not >; "
        "write op: '==' (or '!=') with value: true"
    )


def test_boolean_equality_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(BASE + 'template: threshold\ncrit: {op: "==", value: false}\n', "utf-8")
    [task] = render_paths(path)
    assert "var crit = FALSE" in task.script


@pytest.mark.parametrize("value", ['"10"', "true"])
def test_relative_threshold_must_be_a_number(tmp_path: Path, value: str) -> None:
    text = f'template: relative\nshift: 1h\ncrit: {{op: "==", value: {value}}}\n'
    [problem] = problems(tmp_path, text)
    assert "crit: the change is a number" in problem
    assert problem.endswith("write a number such as 10 (unquoted)")


def test_relative_reset_must_be_a_number_too(tmp_path: Path) -> None:
    text = 'template: relative\nshift: 1h\nwarn: {op: ">", value: 5, reset: {op: "<", value: "2"}}\ncrit: {op: ">", value: 10}\n'
    [problem] = problems(tmp_path, text)
    assert "warn: the change is a number; '2' never compares" in problem
