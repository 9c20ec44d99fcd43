"""The render path frees what it makes as it goes: no reference cycles per alert.

Garbage in reference cycles is freed only by Python's cyclic collector, whose
runs then dominate a long batch (they walk every object in the process); so
the whole path (load, schema, model, render, parse, check, format, payload)
must leave none behind, for every template, handler and example.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from tickgen.cli import collector_paused, main
from tickgen.params import Document, expand_paths
from tickgen.pipeline import run
from tickgen.render import RenderedTask, shared_renderer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("*.yaml") if not p.name.endswith(".test.yaml")
)


@pytest.fixture
def cyclic_garbage() -> Iterator[Callable[[], list[object]]]:
    """Call it to start keeping the cyclic garbage made from then on; it returns the list.

    The collector runs only when asked, and keeps what it finds (DEBUG_SAVEALL)
    instead of freeing it.
    """
    was_enabled = gc.isenabled()
    gc.disable()

    def start() -> list[object]:
        gc.set_debug(0)
        gc.collect()  # free (for real) what is garbage already
        gc.garbage.clear()
        gc.set_debug(gc.DEBUG_SAVEALL)
        return gc.garbage

    try:
        yield start
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()
        if was_enabled:
            gc.enable()


def _kinds(objects: list[object]) -> Counter[str]:
    return Counter(type(o).__qualname__ for o in objects)


def test_rendering_makes_no_cyclic_garbage(
    tmp_path: Path, cyclic_garbage: Callable[[], list[object]]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", 60, per_file=30)
    renderer = shared_renderer([ROOT / "examples" / "templates"])
    assert not run(EXAMPLES, renderer, lambda task: None)  # compiles the templates
    tasks: list[RenderedTask] = []
    garbage = cyclic_garbage()
    problems = run([*corpus, *EXAMPLES], renderer, tasks.append)
    assert not problems
    assert len(tasks) > 60
    del tasks
    gc.collect()
    assert not garbage, f"reference cycles left behind: {_described(garbage)}"


def _described(objects: list[object]) -> str:
    kinds = ", ".join(f"{count} {kind}" for kind, count in _kinds(objects).most_common(8))
    named = sorted(
        {f"{getattr(o, '__module__', '')}.{o.__qualname__}" for o in objects if callable(o)}
    )
    return f"{kinds}; callables: {', '.join(named[:12])}"


def test_the_library_leaves_the_collector_alone() -> None:
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    renderer = shared_renderer([ROOT / "examples" / "templates"])
    assert not run(EXAMPLES, renderer, lambda task: during.append(gc.get_threshold()))
    assert during
    assert all(t == before for t in during)


def test_the_command_runs_the_collector_less_often() -> None:
    """tickgen.cli sets the threshold for its own process (the measured reason is there)."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_threshold()[0]))\n"
        "sys.argv = ['tickgen', '--version']\n"
        "from tickgen.cli import console_main\n"
        "console_main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "10000", done.stderr


def test_the_collector_is_paused_while_a_command_reads_each_file_only() -> None:
    """``render``, ``validate`` and ``lint`` pause the collector around each file's
    read (tickgen.cli.collector_paused: the measured reason is there), never longer."""
    states: list[tuple[str, bool]] = []

    @contextmanager
    def reading() -> Iterator[None]:
        with collector_paused():
            states.append(("read", gc.isenabled()))
            yield

    renderer = shared_renderer([ROOT / "examples" / "templates"])
    assert not run(EXAMPLES, renderer, lambda task: states.append(("task", gc.isenabled())),
                   reading=reading)  # fmt: skip
    reads = [enabled for what, enabled in states if what == "read"]
    assert len(reads) == len(expand_paths(EXAMPLES)) and not any(reads)
    assert all(enabled for what, enabled in states if what == "task")
    assert gc.isenabled()
    # a collector the user turned off stays off
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("command", ["render", "validate", "lint"])
def test_each_command_that_reads_files_pauses_the_collector_there(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tickgen.params

    during: list[bool] = []
    read = tickgen.params.read_document

    def watched(path: Path, text: str | None = None) -> Document:
        during.append(gc.isenabled())
        return read(path, text)

    monkeypatch.setattr("tickgen.pipeline.read_document", watched)
    main([command, str(ROOT / "examples" / "account_login_relative.yaml")])
    capsys.readouterr()
    assert during == [False]
    assert gc.isenabled()
