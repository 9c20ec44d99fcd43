"""tickgen graph: DOT on stdout, SVG through Graphviz, a clear error without it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml

from tickgen.cli import main

SCRIPT = "stream\n    |from()\n        .measurement('cpu')\n    |httpOut('x')\n"
DOT = "digraph cpu {\nstream0 -> from1;\nfrom1 -> http_out2;\n}\n"


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "cpu.tick"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def test_prints_dot_named_after_the_file(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(script)]) == 0
    assert capsys.readouterr().out == DOT


def test_name_option_and_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SCRIPT))
    assert main(["graph", "-", "--name", "cpu_alert"]) == 0
    assert capsys.readouterr().out == DOT.replace("digraph cpu ", "digraph cpu_alert ")


def test_svg_through_graphviz(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "cpu.svg"
    assert main(["graph", str(script), "--svg", str(out), "--name", "my-task"]) == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<title>my&#45;task</title>" in svg
    assert "http_out2" in svg


def test_svg_without_graphviz_is_a_clear_error(
    script: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["graph", str(script), "--svg", str(tmp_path / "x.svg")]) == 1
    assert "Graphviz's 'dot' command is not installed" in capsys.readouterr().err


def test_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.tick"
    path.write_text("stream|from(", encoding="utf-8")
    assert main(["graph", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:1:13: parser: unexpected EOF")


def test_graphviz_failure_is_reported(
    script: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/bin/false")
    assert main(["graph", str(script), "--svg", str(tmp_path / "x.svg")]) == 1
    assert "tickgen: error: dot failed" in capsys.readouterr().err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(tmp_path / "nope.tick")]) == 1
    assert "nope.tick: No such file or directory" in capsys.readouterr().err


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_parameter_file_graphs_each_alert_under_its_task_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", str(EXAMPLES / "account_login_relative.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph dutianze-t {\nstream0 -> from1;\n")
    assert "eval2 -> join5;\n" in out
    assert out.endswith("eval8 -> influxdb_out9;\n}\n")


def test_svg_of_a_file_with_several_alerts_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alerts = [
        yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
        for name in ("account_login_relative.yaml", "handlers.yaml")
    ]
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump({"alerts": alerts}), encoding="utf-8")
    assert main(["graph", str(path)]) == 0
    assert capsys.readouterr().out.count("digraph ") == 2
    assert main(["graph", str(path), "--svg", str(tmp_path / "x.svg")]) == 1
    assert "holds 2 alerts; --svg draws one" in capsys.readouterr().err
