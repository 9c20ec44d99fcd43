"""Generate the blocking client (``tickgen/client/_sync.py``) from the asyncio one.

The ~35 operations of the client are written once, in ``_async.py``; this module
turns that file into the blocking one by renaming, token by token (the idea of
``unasync``, as httpcore uses it):

* the keywords ``async`` and ``await`` are dropped, so ``async def``/``async for``/
  ``async with`` become their blocking forms and ``await f()`` becomes ``f()``;
* each name in :data:`RENAMES` becomes its blocking counterpart (httpx's
  ``AsyncClient`` → ``Client``, ``aclose`` → ``close``, the pairs in
  ``tickgen/client/_io.py``, ...), in code, and as whole words in strings and
  comments so that docstrings and the ``repr`` name the right class;
* a ``from ... import`` whose names a rename changed is sorted again (as ruff's
  isort sorts them), and the module docstring is replaced by :data:`HEADER`.

What renaming cannot express is not generated: it is written once for each
client in ``tickgen/client/_io.py``.  A name that looks asynchronous and has no
entry in the table (``asyncio.timeout``, ``AsyncFoo``, ``aread``) stops the
generation with the line to fix, instead of leaving a coroutine in blocking code.

Why not the ``unasync`` package: it renames tokens much like this, but rewrites
``AsyncX`` to ``SyncX`` by default, leaves comments and f-strings alone (the
sync client's ``repr`` and docstrings would name the async class), does not sort
the imports it renames (ruff then fails the generated file), only writes files
(the drift test needs the text), and imports setuptools.  The rules here are a
table and about a hundred lines on the standard library's tokenizer.

``scripts/gen-sync-client`` writes the file; ``tests/client/test_sync_generated.py``
fails when the checked-in file is not what this module generates.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

__all__ = ["HEADER", "RENAMES", "SOURCE", "TARGET", "UnasyncError", "sync_client", "unasync"]

_CLIENT = Path(__file__).resolve().parent.parent / "client"
SOURCE = _CLIENT / "_async.py"
TARGET = _CLIENT / "_sync.py"

# asynchronous name -> blocking name, for every one that _async.py uses
RENAMES = {
    # the clients
    "AsyncKapacitorClient": "KapacitorClient",
    # httpx
    "AsyncClient": "Client",
    "AsyncBaseTransport": "BaseTransport",
    "aclose": "close",
    # the standard library
    "AsyncIterator": "Iterator",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    # tickgen/client/_io.py: how each client waits
    "async_receive": "receive",
    "async_sleep": "sleep",
}

HEADER = '''\
"""KapacitorClient: the blocking client, GENERATED from _async.py: do not edit.

Change tickgen/client/_async.py (or the renames in tickgen/_build/unasync.py) and
run scripts/gen-sync-client; tests/client/test_sync_generated.py fails when this
file is not what the generator makes of _async.py.
"""
'''

_KEYWORDS = ("async", "await")
# names of asynchronous APIs that must not survive into blocking code
_ASYNC_LOOKING = re.compile(
    r"^(?:_*[Aa]sync\w*|aclose|aread|aiter\w*|anext|asend|athrow|__a(?:enter|exit|iter|next)__)$"
)
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


class UnasyncError(Exception):
    """The asynchronous source has something the table cannot make blocking."""


def sync_client() -> str:
    """The text ``tickgen/client/_sync.py`` should have."""
    return unasync(SOURCE.read_text(encoding="utf-8"))


def unasync(source: str) -> str:
    """``source`` with the blocking names, its docstring replaced by HEADER."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        row, column = position
        return starts[row - 1] + column

    edits: list[tuple[int, int, str]] = []
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    docstring = _module_docstring(tokens)
    if docstring is not None:
        edits.append((offset(docstring.start), offset(docstring.end), HEADER.rstrip("\n")))
    fstring_depth, fstring_start = 0, 0
    for token in tokens:
        if token is docstring:
            continue
        if _FSTRING_START is not None and token.type == _FSTRING_START:
            # an f-string is one piece of text, as before 3.12, whatever its fields hold
            if fstring_depth == 0:
                fstring_start = offset(token.start)
            fstring_depth += 1
        elif _FSTRING_END is not None and token.type == _FSTRING_END:
            fstring_depth -= 1
            if fstring_depth == 0:
                end = offset(token.end)
                edits.append((fstring_start, end, _text(source[fstring_start:end])))
        elif fstring_depth:
            continue
        elif token.type in (tokenize.STRING, tokenize.COMMENT):
            edits.append((offset(token.start), offset(token.end), _text(token.string)))
        elif token.type == tokenize.NAME and token.string in _KEYWORDS:
            end = offset(token.end)
            while source[end] == " ":
                end += 1
            edits.append((offset(token.start), end, ""))
        elif token.type == tokenize.NAME and token.string in RENAMES:
            edits.append((offset(token.start), offset(token.end), RENAMES[token.string]))
        elif token.type == tokenize.NAME and _ASYNC_LOOKING.match(token.string):
            raise UnasyncError(
                f"{SOURCE.name}:{token.start[0]}: {token.string!r} has no blocking counterpart; "
                "add it to RENAMES in tickgen/_build/unasync.py, or write both forms in "
                "tickgen/client/_io.py"
            )
    return _sort_renamed_imports(_apply(source, edits))


def _module_docstring(tokens: list[tokenize.TokenInfo]) -> tokenize.TokenInfo | None:
    for token in tokens:
        if token.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING):
            continue
        return token if token.type == tokenize.STRING else None
    return None


_WORDS = re.compile(r"\b(" + "|".join(map(re.escape, RENAMES)) + r")\b")
# in text only where it reads as code: ``async with``, ``await self.f()``; "await the answer" stays
_TEXT_KEYWORDS = re.compile(r"\basync (?=(?:def|for|with)\b)|\bawait (?=[\w.]+\()")


def _text(text: str) -> str:
    """A string or comment with the blocking names: a docstring's ``async with
    AsyncKapacitorClient()`` becomes ``with KapacitorClient()``."""
    return _TEXT_KEYWORDS.sub("", _WORDS.sub(lambda m: RENAMES[m.group(1)], text))


def _apply(source: str, edits: list[tuple[int, int, str]]) -> str:
    pieces, done = [], 0
    for start, end, replacement in sorted(edits):
        pieces.append(source[done:start])
        pieces.append(replacement)
        done = end
    pieces.append(source[done:])
    return "".join(pieces)


_FROM_IMPORT = re.compile(
    r"^(?P<head>from [\w.]+ import )(?:\((?P<block>\n(?:    \w+,\n)+)\)|(?P<line>\w+(?:, \w+)*))$",
    re.MULTILINE,
)


def _sort_renamed_imports(result: str) -> str:
    """Sort again the names of an import a rename changed, the way ruff's isort does
    (constants, then classes, then the rest)."""
    renamed = set(RENAMES.values())

    def resort(match: re.Match[str]) -> str:
        block = match.group("block")
        names = re.findall(r"\w+", block if block is not None else match.group("line"))
        if renamed.isdisjoint(names):
            return match.group(0)
        names.sort(key=_isort_key)
        if block is not None:
            return match.group("head") + "(\n" + "".join(f"    {n},\n" for n in names) + ")"
        return match.group("head") + ", ".join(names)

    return _FROM_IMPORT.sub(resort, result)


def _isort_key(name: str) -> tuple[int, str]:
    if name.isupper() and len(name) > 1:
        return 0, name
    return (1 if name[:1].isupper() else 2), name
