"""docs/parameters.md is generated from the schemas; README promises hold."""

from __future__ import annotations

import re
from pathlib import Path

from tickgen._build.docgen import parameters_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_parameter_reference_is_current() -> None:
    assert (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8") == parameters_markdown(), (
        "run scripts/gen-docs"
    )


def test_readme_links_point_to_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if "://" not in target:
            assert (ROOT / target).exists(), target
