"""tickgen lint: output format and exit status."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickgen.cli import main

CLEAN = "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .topic('cpu')\n"
WARNS = "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n"
FAILS = "stream\n    |from()\n    |window()\n    |period(1m)\n    |httpOut('x')\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(write(tmp_path, "a.tick", CLEAN))]) == 0
    assert capsys.readouterr().out == ""


def test_warnings_print_but_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.tick", WARNS)
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().out == (
        f"{path}:4:6: warning: alert has no handler and no .topic(): "
        "its events reach no topic and notify no one\n"
    )
    assert main(["lint", "--strict", str(path)]) == 1


def test_errors_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "bad.tick", FAILS)
    good = write(tmp_path, "good.tick", CLEAN)
    assert main(["lint", str(good), str(bad)]) == 1
    assert capsys.readouterr().out == (
        f'{bad}:4:6: error: no chaining method "period" on window, but property does exist. '
        "Use '.' operator instead\n"
    )


def test_syntax_error_is_an_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.tick", "stream|from(")
    assert main(["lint", str(path)]) == 1
    assert capsys.readouterr().out.startswith(f"{path}:1:13: error: parser: unexpected EOF")


def test_kind_and_version_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.tick", CLEAN.replace(".topic('cpu')", ".zenoss()"))
    assert main(["lint", "--kapacitor-version", "1.6", str(path)]) == 0
    assert main(["lint", "--kapacitor-version", "1.5", str(path)]) == 1
    assert "needs Kapacitor 1.6.0 or later" in capsys.readouterr().out
    assert main(["lint", "--kind", "batch", "--kapacitor-version", "1.6", str(path)]) == 1
    assert "this is a stream task, but a batch task was expected" in capsys.readouterr().out


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_parameter_files_are_rendered_then_checked(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "account_login_relative.yaml"
    assert main(["lint", str(path)]) == 0
    out = capsys.readouterr().out
    # the seed's layout: the alert feeds influxDBOut and httpOut but has no handler
    assert out.endswith(
        ": task dutianze-t: line 58:6: warning: alert has no handler and no .topic(): "
        "its events reach no topic and notify no one\n"
    )
    assert out.startswith(str(path))
    assert main(["lint", "--strict", str(path)]) == 1


def test_bad_parameter_file_fails_with_the_renderers_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "alerts.yaml", "alerts:\n  - template: nope\n")
    assert main(["lint", str(path)]) == 1
    assert "unknown template" in capsys.readouterr().err


def test_missing_tick_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.tick"
    assert main(["lint", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{path}:1:1: error: cannot read the file\n"
    assert "no such file" in captured.err.lower()


def test_unknown_kapacitor_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.tick", CLEAN)
    assert main(["lint", "--kapacitor-version", "latest", str(path)]) == 1
    assert "not a Kapacitor version: 'latest'" in capsys.readouterr().err


def test_directory_with_scripts_and_parameter_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scripts = tmp_path / "tasks"
    (scripts / "sub").mkdir(parents=True)
    bad = write(scripts / "sub", "bad.tick", FAILS)
    write(scripts, "good.tick", CLEAN)
    (scripts / "alerts.yaml").write_bytes((EXAMPLES / "account_login_relative.yaml").read_bytes())
    assert main(["lint", str(scripts)]) == 1
    out = capsys.readouterr().out.splitlines()
    # sorted by file: tasks/alerts.yaml before tasks/sub/bad.tick
    assert out[0].endswith(
        "task dutianze-t: line 58:6: warning: alert has no handler and no "
        ".topic(): its events reach no topic and notify no one"
    )
    assert out[1].startswith(f"{bad}:4:6: error: no chaining method")
    assert len(out) == 2


def test_directory_with_nothing_to_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"tickgen: error: {tmp_path}: nothing to lint here: give .tick scripts, <id>.task.json "
        "payloads or parameter files (.yaml, .yml, .json, .toml)\n"
    )


def test_a_long_operator_chain_is_checked_not_a_recursion_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # each operator nests the tree one level: 5,000 of them were a RecursionError
    path = write(tmp_path, "long.tick", "var x = 1" + " + 1" * 5000 + "\n" + CLEAN)
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().out == ""
