"""tickgen completion: bash's own completion machinery, driven as a TAB press drives it.

Each case sets COMP_LINE/COMP_POINT/COMP_WORDS/COMP_CWORD as bash does and calls
the function that ``tickgen completion bash`` registered with ``complete -F``;
that function runs ``tickgen`` (this checkout's console script) for the candidates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tickgen.cli import main

# one function per TAB press: fills COMP_* from the line, calls the registered function
DRIVER = r"""
eval "$(tickgen completion bash)"
function_name=$(complete -p tickgen | sed -n 's/.*-F \([^ ]*\) tickgen$/\1/p')
press_tab() {
  COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
  read -r -a COMP_WORDS <<< "$COMP_LINE"
  [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  "$function_name" tickgen "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  echo "$1=>$(printf '%s|' "${COMPREPLY[@]}")"
}
"""

LINES = {
    "tickgen pl": ["plan "],
    "tickgen v": ["validate "],
    "tickgen schema th": ["threshold "],
    "tickgen schema --templates my-templates d": ["deadman", "disk_free"],
    "tickgen plan alerts --target ": ["prod", "staging"],
    "tickgen apply alerts --target st": ["staging "],
    "tickgen plan alerts --config other.toml --target ": ["lab "],  # one candidate: a space
    "tickgen schema di": ["disk_free "],  # template_dirs of tickgen.toml
    "tickgen lint --output s": ["sarif "],
    "tickgen completion ": ["-h", "--help", "bash", "zsh", "fish"],
}


def press_tab(lines: list[str], cwd: Path) -> dict[str, list[str]]:
    script = DRIVER + "".join(f"press_tab {_quote(line)}\n" for line in lines)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    answers = {}
    for out in proc.stdout.splitlines():
        line, _, replies = out.partition("=>")
        answers[line] = [r for r in replies.split("|") if r]
    return answers


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def test_bash_completes_commands_options_templates_and_targets(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    (tmp_path / "my-templates").symlink_to(examples / "templates")
    (tmp_path / "tickgen.toml").write_text(
        'template_dirs = ["my-templates"]\n'
        '[targets.staging]\nurl = "http://a:9092"\n\n[targets.prod]\nurl = "http://b:9092"\n',
        encoding="utf-8",
    )
    (tmp_path / "other.toml").write_text('[targets.lab]\nurl = "http://c:9092"\n', "utf-8")
    answers = press_tab(list(LINES), tmp_path)
    assert answers == LINES


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nospace"),
        ("zsh", "#compdef tickgen"),
        ("fish", "complete --command tickgen"),
    ],
)
def test_each_shell_gets_its_own_code(
    shell: str, marker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", shell]) == 0
    assert marker in capsys.readouterr().out


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["completion", "csh"])
    assert exit_.value.code == 1
    assert "invalid choice: 'csh'" in capsys.readouterr().err
