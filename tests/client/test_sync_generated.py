"""The blocking client is generated from the asyncio one (tickgen._build.unasync).

The first test is the drift check: it fails when tickgen/client/_sync.py is not
what scripts/gen-sync-client makes of _async.py.  The others pin the rules.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from tickgen._build.unasync import HEADER, RENAMES, SOURCE, TARGET, UnasyncError, unasync
from tickgen.client import AsyncKapacitorClient, KapacitorClient


def test_the_sync_client_is_generated_from_the_async_one() -> None:
    expected = unasync(SOURCE.read_text(encoding="utf-8"))
    assert TARGET.read_text(encoding="utf-8") == expected, (
        "tickgen/client/_sync.py is out of date: run scripts/gen-sync-client "
        "(and edit _async.py, never _sync.py)"
    )


def test_the_generated_file_says_so() -> None:
    assert TARGET.read_text(encoding="utf-8").startswith(HEADER)
    assert "GENERATED from _async.py: do not edit" in HEADER


def test_every_rename_is_used() -> None:
    """An entry nothing in _async.py needs is dead weight in the table."""
    names = {
        token.string
        for token in tokenize.generate_tokens(io.StringIO(SOURCE.read_text()).readline)
        if token.type == tokenize.NAME
    }
    assert sorted(set(RENAMES) - names) == []


def test_the_two_clients_keep_their_own_names() -> None:
    assert KapacitorClient.__name__ == "KapacitorClient"
    assert KapacitorClient.__doc__ is not None
    assert "``with KapacitorClient() as c:``" in KapacitorClient.__doc__
    assert "``async with AsyncKapacitorClient() as c:``" in (AsyncKapacitorClient.__doc__ or "")
    assert hasattr(KapacitorClient, "__enter__") and hasattr(KapacitorClient, "close")
    assert not hasattr(KapacitorClient, "aclose")


SOURCE_SNIPPET = '''\
"""The module docstring, replaced."""

from collections.abc import AsyncIterator, Iterable
from x import (
    AsyncClient,
    Base,
)


class AsyncKapacitorClient:
    """Use as ``async with AsyncKapacitorClient() as c:``; we await the answer."""

    async def __aenter__(self) -> AsyncKapacitorClient:  # an AsyncKapacitorClient
        return self

    def __repr__(self) -> str:
        return f"AsyncKapacitorClient({self.url!r}, {{braces}})"

    async def pages(self) -> AsyncIterator[int]:
        async with self._http as http:
            async for chunk in self.chunks(http):
                yield await  _io.async_receive(chunk)
        await self._http.aclose()
'''

EXPECTED_SNIPPET = (
    HEADER
    + '''
from collections.abc import Iterable, Iterator
from x import (
    Base,
    Client,
)


class KapacitorClient:
    """Use as ``with KapacitorClient() as c:``; we await the answer."""

    def __enter__(self) -> KapacitorClient:  # an KapacitorClient
        return self

    def __repr__(self) -> str:
        return f"KapacitorClient({self.url!r}, {{braces}})"

    def pages(self) -> Iterator[int]:
        with self._http as http:
            for chunk in self.chunks(http):
                yield _io.receive(chunk)
        self._http.close()
'''
)


def test_the_rules_on_a_sample() -> None:
    assert unasync(SOURCE_SNIPPET) == EXPECTED_SNIPPET


@pytest.mark.parametrize(
    "line",
    [
        "await asyncio.sleep(1)",
        "x = AsyncFoo()",
        "await response.aread()",
        "async def __aiter__(self): pass",
    ],
)
def test_an_async_name_without_a_counterpart_stops_the_generation(line: str) -> None:
    with pytest.raises(UnasyncError, match=r"_async\.py:3: '\w+' has no blocking counterpart"):
        unasync(f'"""doc."""\n\n{line}\n')


def test_text_keeps_words_that_only_look_asynchronous() -> None:
    out = unasync('"""doc."""\n\n# the asyncio loop; awaited in a thread; __all__ stays\n__all__ = []\n')
    assert out.endswith("# the asyncio loop; awaited in a thread; __all__ stays\n__all__ = []\n")


def test_the_generator_script_checks(tmp_path: Path) -> None:
    """scripts/gen-sync-client --check is what a developer runs; same answer as above."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(root / "scripts" / "gen-sync-client"), "--check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
