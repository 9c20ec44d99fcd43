"""Every hostile input is a clear error: exit 1, a message, no traceback, nothing written,
within a memory limit, and no hang (the subprocess timeout is a hang detector, not a
measurement: a case that passes finishes in about a second).  Each case runs in its own
process, forked from a server that has imported tickgen once (tests/forkserver.py), instead
of 78 interpreters each importing tickgen (~30 CPU s)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.forkserver import ForkServer

from .corpus import CASES, Case

MEMORY_LIMIT = 1 << 30  # address space of the tickgen process
HANG = 120  # seconds: only a hang gets near this


def _snapshot(root: Path) -> dict[str, tuple[bool, int]]:
    """Every path below ``root`` with whether it is a directory and its size."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            found[str(path.relative_to(root))] = (path.is_dir(), st.st_size)
    return found


@pytest.fixture(scope="module")
def tickgen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAPACITOR_", "TICKGEN_"))}
    # a user template's time limit of 1 s instead of 10: the same bound, reached sooner
    env["TICKGEN_TEMPLATE_TIME_LIMIT"] = "1"
    server = ForkServer(tmp_path_factory.mktemp("hostile-output"), env,
                        memory_limit=MEMORY_LIMIT, hang=HANG)  # fmt: skip
    yield server
    server.close()


@pytest.mark.parametrize("hostile", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_a_clear_error(hostile: Case, tmp_path: Path, tickgen: ForkServer) -> None:
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
