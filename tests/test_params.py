"""Loading parameter files: YAML merge keys, and the limits that keep loading bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickgen.errors import ParameterError
from tickgen.params import MAX_DEPTH, document_alerts, read_document

MERGED = """\
base: &base
  template: threshold
  database: telegraf
  measurement: cpu
  field: usage_user
alerts:
  - <<: *base
    id: cpu-a
    crit: {op: ">", value: 90}
  - <<: [*base]
    id: cpu-b
    measurement: mem
"""


def test_yaml_merge_keys_merge_and_own_keys_win(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(MERGED.replace("base: &base", "defaults: &base"), encoding="utf-8")
    alerts = [a.params for a in document_alerts(read_document(path))]
    assert alerts[0]["database"] == "telegraf" and alerts[0]["id"] == "cpu-a"
    assert alerts[1]["measurement"] == "mem"  # written next to the merge: overrides it
    assert "<<" not in alerts[0]


def test_duplicate_key_next_to_a_merge_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("b: &b {x: 1}\na:\n  <<: *b\n  id: 1\n  id: 2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"dup.yaml:5: invalid YAML: duplicate key 'id'"):
        read_document(path)


def test_nesting_limit_is_reported_with_the_path(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}")
    with pytest.raises(ParameterError) as caught:
        read_document(path)
    (problem,) = caught.value.problems
    assert problem.path is not None and problem.path.startswith("a[0][0]")
    assert f"nested more than {MAX_DEPTH} levels deep" in problem.message


def test_nesting_up_to_the_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    depth = MAX_DEPTH - 1
    path.write_text('{"a": ' + "[" * depth + "]" * depth + "}")
    assert read_document(path).data["a"]


def test_aliases_that_only_share_values_load(tmp_path: Path) -> None:
    # a legitimate file may alias the same list many times
    lines = ["x: &x [1, 2, 3]"] + [f"k{i}: *x" for i in range(1000)]
    path = tmp_path / "shared.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_document(path).data["k999"] == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the duplicate is found before the unhashable key that precedes it
        ("m: {[1]: 1, z: 1, z: 2}\n", r"bad.yaml:1: invalid YAML: duplicate key 'z'"),
        ("? [1]\n: 2\n", r"bad.yaml:1: invalid YAML: found unhashable key"),
        ("a: &a x\nb: " + "[" * MAX_DEPTH + "*a" + "]" * MAX_DEPTH + "\n", r"through an alias"),
        ("b: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n", r"levels deep"),
    ],
)
def test_refusals_of_the_strict_loader(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=expected):
        read_document(path)


def test_aliased_scalars_and_merge_keys_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    text = "a: &a x\nb: [*a, *a]\nc: &c {k: 1}\nd: {<<: *c, j: 2}\n" + "e: " + "[" * 60 + "]" * 60
    path.write_text(text + "\n", encoding="utf-8")
    data = read_document(path).data
    assert data["b"] == ["x", "x"] and data["d"] == {"k": 1, "j": 2}
