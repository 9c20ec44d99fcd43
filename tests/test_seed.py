"""The acceptance data of the seed document: its POST body, rendered from examples/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tickgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "account_login_relative.yaml"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "kapacitor-task-api.md"
SEED_COPY = Path(__file__).parent / "golden" / "seed_post_body.json"


def seed_post_body() -> dict[str, Any]:
    """The first POST /kapacitor/v1/tasks body of the seed document (a copy is kept in golden/)."""
    if SEED.exists():
        text = SEED.read_text(encoding="utf-8")
        match = re.search(r"POST /kapacitor/v1/tasks\n(\{.*?\n\})\n```", text, re.S)
        assert match, "the seed document lost its POST body"
        body: dict[str, Any] = json.loads(match.group(1))
        assert body == json.loads(SEED_COPY.read_text(encoding="utf-8"))
        return body
    loaded: dict[str, Any] = json.loads(SEED_COPY.read_text(encoding="utf-8"))
    return loaded


def test_render_prints_the_seed_script_byte_for_byte(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--color", "never", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == seed_post_body()["script"]


def test_render_payload_equals_the_seed_post_body(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--payload", str(EXAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out) == seed_post_body()
