"""tickgen fmt: in place, --check, --diff, stdin, syntax errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tickgen.cli import main

UGLY = "stream|from().measurement('cpu')|httpOut('x')"
PRETTY = "stream\n    |from()\n        .measurement('cpu')\n    |httpOut('x')\n"


@pytest.fixture
def ugly(tmp_path: Path) -> Path:
    path = tmp_path / "cpu.tick"
    path.write_text(UGLY, encoding="utf-8")
    return path


def test_rewrites_files_in_place(ugly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(ugly)]) == 0
    assert ugly.read_text(encoding="utf-8") == PRETTY
    assert capsys.readouterr().out == ""
    assert main(["fmt", "--check", str(ugly)]) == 0


def test_check_lists_files_that_would_change(
    ugly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pretty = tmp_path / "ok.tick"
    pretty.write_text(PRETTY, encoding="utf-8")
    assert main(["fmt", "--check", str(ugly), str(pretty)]) == 1
    assert capsys.readouterr().out == f"{ugly}\n"
    assert ugly.read_text(encoding="utf-8") == UGLY


def test_diff_prints_a_unified_diff_and_writes_nothing(
    ugly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--diff", str(ugly)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {ugly}\t(original)\n+++ {ugly}\t(formatted)\n@@ ")
    assert f"-{UGLY}\n\\ No newline at end of file\n" in out
    assert "+    |from()\n" in out
    assert ugly.read_text(encoding="utf-8") == UGLY


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(UGLY))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == PRETTY


def test_syntax_error_names_file_line_and_column(
    tmp_path: Path, ugly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.tick"
    bad.write_text("stream\n    |from(\n", encoding="utf-8")
    assert main(["fmt", str(bad), str(ugly)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:3:1: parser: unexpected EOF line 3 char 1")
    assert bad.read_text(encoding="utf-8") == "stream\n    |from(\n"
    assert ugly.read_text(encoding="utf-8") == PRETTY  # the good file is still formatted


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "nope.tick")]) == 1
    assert "nope.tick" in capsys.readouterr().err


def test_rewrite_keeps_the_file_mode_and_leaves_no_temporary_file(ugly: Path) -> None:
    ugly.chmod(0o640)
    assert main(["fmt", str(ugly)]) == 0
    assert ugly.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in ugly.parent.iterdir()] == ["cpu.tick"]
