"""Every hostile input is a clear error: exit 1, a message, no traceback, nothing written,
within a memory limit, and no hang (the subprocess timeout is a hang detector, not a
measurement: a case that passes finishes in about a second).  Each case runs in its own
process, forked from a server that has imported tickgen once (forkserver.py)."""

from __future__ import annotations

import itertools
import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .corpus import CASES, Case

MEMORY_LIMIT = 1 << 30  # address space of the tickgen process
HANG = 120  # seconds: only a hang gets near this


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _snapshot(root: Path) -> dict[str, tuple[bool, int]]:
    """Every path below ``root`` with whether it is a directory and its size."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            found[str(path.relative_to(root))] = (path.is_dir(), st.st_size)
    return found


def _text(path: Path) -> str:
    """As ``subprocess.run(text=True, errors="replace")`` reads a stream: universal newlines."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Tickgen:
    """``python -m tickgen`` under the memory limit, one process per case (forkserver.py).

    The server process is started with the limit and with the environment of
    every case; each case runs in a process forked from it, which has its own
    limit and its own address space, so a case is as isolated as in a fresh
    interpreter, without paying the interpreter's start and tickgen's imports
    78 times (~30 CPU s).
    """

    def __init__(self, scratch: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KAPACITOR_", "TICKGEN_"))}
        # a user template's time limit of 1 s instead of 10: the same bound, reached sooner
        env["TICKGEN_TEMPLATE_TIME_LIMIT"] = "1"
        self._scratch = scratch
        self._cases = itertools.count()
        self._server = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("forkserver.py"))],
            cwd=scratch,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            preexec_fn=_limit_memory,
        )

    def run(self, argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        n = next(self._cases)
        out, err = self._scratch / f"{n}.stdout", self._scratch / f"{n}.stderr"
        request = {"argv": argv, "cwd": str(cwd), "stdout": str(out), "stderr": str(err),
                   "timeout": HANG}  # fmt: skip
        assert self._server.stdin and self._server.stdout
        self._server.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        self._server.stdin.flush()
        line = self._server.stdout.readline()
        assert line, f"the fork server exited {self._server.wait()}"
        answer = json.loads(line)
        if answer["timed_out"]:
            raise subprocess.TimeoutExpired(["tickgen", *argv], HANG)
        return subprocess.CompletedProcess(argv, answer["returncode"], _text(out), _text(err))

    def close(self) -> None:
        assert self._server.stdin and self._server.stdout
        self._server.stdin.close()  # end of requests: the server returns
        self._server.wait(timeout=HANG)
        self._server.stdout.close()


@pytest.fixture(scope="module")
def tickgen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tickgen]:
    server = Tickgen(tmp_path_factory.mktemp("hostile-output"))
    yield server
    server.close()


@pytest.mark.parametrize("hostile", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_a_clear_error(hostile: Case, tmp_path: Path, tickgen: Tickgen) -> None:
    argv = hostile.setup(tmp_path)
    before = _snapshot(tmp_path)
    result = tickgen.run(argv, tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, (result.returncode, result.stderr[-3000:])
    said = result.stderr + result.stdout  # lint prints its findings on stdout
    assert hostile.expect.lower() in said.lower(), said[-3000:]
    assert not hostile.forbid or hostile.forbid not in said
    assert _snapshot(tmp_path) == before
    assert result.stdout == "" or argv[0] in {"lint", "fmt"}, result.stdout[:1000]


def test_corpus_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
