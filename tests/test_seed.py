"""The acceptance data of the seed document: its POST body, rendered from examples/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import seed
from tickgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "account_login_relative.yaml"


def test_render_prints_the_seed_script_byte_for_byte(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--color", "never", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == seed.post_body()["script"]


def test_render_payload_equals_the_seed_post_body(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--payload", str(EXAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out) == seed.post_body()
