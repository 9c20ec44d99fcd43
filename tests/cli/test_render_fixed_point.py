"""tickgen render prints what tickgen fmt leaves alone, byte for byte: the
formatter's fixed point, with every value's characters (a \\r too) intact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tickgen
from tickgen.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTILE = {
    "template": "threshold",
    "id": "hostile",
    "database": "db\r\n",
    "measurement": "m'''\\",
    "field": "usage\ruser",
    "name": "a'''b\\",
    "message": "line\r\nnext\rcr\\",
    "details": "''\\",
    # a line break in the first where term's tag: a multi-line binary in a one-line AND
    "where": {"a\nb": ["v\r"], "z": ["w'''\\"]},
    "where_not": {"zz": ["\r"]},
    "group_by": ["host", "x'''\\"],
    "crit": {"op": "==", "value": "\r\n'''\\"},
    "handlers": [{"kind": "slack", "channel": "#ops'''\\"}],
}


def _check(tmp_path: Path, output: bytes) -> int:
    rendered = tmp_path / "rendered.tick"
    rendered.write_bytes(output)
    return main(["fmt", "--check", str(rendered)])


@pytest.mark.parametrize(
    # *.test.yaml are tickgen test files (tickgen test), not parameter files
    "name", sorted(p.name for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".test.yaml"))
)
def test_fmt_check_passes_on_render_output_of_every_example(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["render", "--color", "never", "--templates", str(EXAMPLES / "templates")]
    assert main([*args, str(EXAMPLES / name)]) == 0
    out = capsys.readouterr().out
    assert out
    assert _check(tmp_path, out.encode("utf-8")) == 0
    assert capsys.readouterr().out == ""  # --check lists no file


def test_render_prints_hostile_values_exactly_and_fmt_check_passes(tmp_path: Path) -> None:
    params = tmp_path / "hostile.json"
    params.write_text(json.dumps(HOSTILE), encoding="utf-8")
    # a real process: stdout as bytes, no capture layer in between
    result = subprocess.run(
        [sys.executable, "-m", "tickgen", "render", "--color", "never", str(params)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    script = tickgen.render(tickgen.load(params)[0])
    assert result.stdout == script.encode("utf-8")
    assert result.stdout.count(b"\r") == script.count("\r") == 7
    assert b"('a\\'\\'\\'b' + '''\\''')" in result.stdout  # the name, as a concatenation
    assert _check(tmp_path, result.stdout) == 0


def test_fmt_keeps_a_carriage_return_inside_a_string(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ugly = tmp_path / "cr.tick"
    ugly.write_bytes(b"var  x = 'a\r\nb\rc'\n")
    assert main(["fmt", str(ugly)]) == 0
    assert ugly.read_bytes() == b"var x = 'a\r\nb\rc'\n"
    assert main(["fmt", "--check", str(ugly)]) == 0
