"""docs/templates.md: what the page claims about the scripts holds.

Running every example of the docs (this page's, output-formats.md's findings
document, ci.md's pipelines) is tests/test_docs_examples.py's job; here the
rendered scripts are held to the page's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tickgen import render_paths

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
