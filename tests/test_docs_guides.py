"""docs/templates.md, docs/output-formats.md and docs/ci.md: their examples run and their claims hold."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tickgen import render_paths
from tickgen.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def blocks(name: str, language: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def rendered(tmp_path: Path, block: str) -> str:
    path = tmp_path / "alert.yaml"
    path.write_text(block, encoding="utf-8")
    [task] = render_paths(path)
    return task.script


def test_every_template_guide_example_validates_and_says_what_the_page_claims(
    tmp_path: Path,
) -> None:
    examples = {yaml.safe_load(b)["template"]: b for b in blocks("templates.md", "yaml")}
    assert set(examples) == {"threshold", "relative", "deadman"}

    threshold = rendered(tmp_path, examples["threshold"])
    assert '.critReset(lambda: "value" < critReset)' in threshold

    relative = rendered(tmp_path, examples["relative"])
    # direction: decrease — a drop is positive
    assert 'float("past.value" - "current.value") / float("past.value") * 100.0' in relative
    assert ".align()" in relative and "|shift(shift)" in relative

    deadman = rendered(tmp_path, examples["deadman"])
    assert "var threshold = 0.0" in deadman
    assert "|deadman(threshold, period)" in deadman


@pytest.mark.parametrize(
    ("direction", "expected"), [("either", 25.0), ("increase", -25.0), ("decrease", 25.0)]
)
def test_the_relative_table_matches_the_rendered_formula(
    tmp_path: Path, direction: str, expected: float
) -> None:
    """Evaluate the rendered eval lambda for past=200, current=150 as the table does."""
    [block] = [b for b in blocks("templates.md", "yaml") if "relative" in b]
    script = rendered(tmp_path, block.replace("direction: decrease", f"direction: {direction}"))
    [expr] = re.findall(r"\|eval\(lambda: (.*)\)\n\s+\.keep\(\)", script)
    python = expr.replace('"past.value"', "200").replace('"current.value"', "150")
    assert eval(python, {"float": float, "abs": abs}) == expected  # the rendered lambda is plain arithmetic
    table = (DOCS / "templates.md").read_text(encoding="utf-8")
    assert re.search(rf"\| `percent` \| `{direction}`[^|]*\| [^|]* \| `{expected:g}` \|", table)


def test_the_findings_example_is_what_validate_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [documented] = [json.loads(b) for b in blocks("output-formats.md", "json")]
    (tmp_path / "alerts").mkdir()
    bad = (ROOT / "examples" / "cpu_mean_threshold.yaml").read_text(encoding="utf-8")
    (tmp_path / "alerts" / "cpu.yaml").write_text(bad.replace("period: 5m", "period: 5"), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--output", "json", "alerts"]) == 1
    printed: dict[str, Any] = json.loads(capsys.readouterr().out)
    documented["findings"][0]["message"] = printed["findings"][0]["message"]
    assert printed == documented


def tickgen_commands(text: str) -> list[list[str]]:
    """Each `tickgen ...` command line in a shell step, without redirections and `||` tails."""
    commands = []
    for match in re.finditer(r"(?m)(?:^|run: |- |\[)(tickgen [^\]\n]*)", text):
        words = shlex.split(re.split(r"\s(?:>|\|\|)\s", match.group(1))[0])
        commands.append(words[1:])
    return commands


def test_ci_recipes_parse_and_name_real_hooks_and_options() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {hook["id"] for hook in hooks}
    pre_commit, github, gitlab = (yaml.safe_load(b) for b in blocks("ci.md", "yaml"))
    assert {h["id"] for h in pre_commit["repos"][0]["hooks"]} <= ids
    assert github["jobs"]["alerts"]["steps"]
    assert set(gitlab) >= {"check", "plan", "apply"}
    parser = build_parser()
    commands = [c for b in blocks("ci.md", "yaml") for c in tickgen_commands(b)]
    assert len(commands) >= 7
    for argv in commands:
        parser.parse_args(argv)  # a usage error would exit
