"""The line of every key and value of a TOML document, for error messages.

``tomllib`` (the standard library's reader, which tickgen uses for the values)
reports no source positions, nor does any maintained Python TOML reader
(tomli, tomlkit, rtoml, toml), so this walks the text once more, only to find
where each path starts.  It runs after ``tomllib`` has accepted the text, so it
need not check anything: it knows the shape of a valid document and follows it
(table and array-of-tables headers, dotted and quoted keys, arrays, inline
tables, the four kinds of strings, comments).

Paths are tuples of keys and list indexes, as :mod:`tickgen.params` uses them:
``("targets", "prod", "url")``, ``("defaults", "handlers", 0, "kind")``.
"""

from __future__ import annotations

import contextlib
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["toml_lines"]

PathPart = str | int
Lines = dict[tuple[PathPart, ...], int]

_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}#\r\n")


def toml_lines(text: str) -> Lines:
    """Map each path of a valid TOML document to the 1-based line its key is on.

    A document that is not valid TOML, or nested too deeply to walk, gives what
    was found up to there (the caller then reports the nearest parent's line).
    """
    walker = _Walker(text)
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        walker.document()
    return walker.lines


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1
        self.lines: Lines = {(): 1}
        self.arrays: dict[tuple[PathPart, ...], int] = {}  # array of tables -> last index

    # -- characters ------------------------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        index = self.at + offset
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        self.line += self.text.count("\n", self.at, self.at + count)
        self.at += count

    def skip_blanks(self, newlines: bool) -> None:
        """Spaces and tabs; with ``newlines`` also line breaks and comments."""
        while self.at < len(self.text):
            ch = self.text[self.at]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.advance()
            elif ch == "#" and newlines:
                end = self.text.find("\n", self.at)
                self.advance((len(self.text) if end < 0 else end) - self.at)
            else:
                return

    def skip_line(self) -> None:
        """The rest of a line (a comment), and the line break."""
        end = self.text.find("\n", self.at)
        self.advance((len(self.text) if end < 0 else end + 1) - self.at)

    # -- structure -------------------------------------------------------------------

    def document(self) -> None:
        table: tuple[PathPart, ...] = ()
        while True:
            self.skip_blanks(newlines=True)
            if self.at >= len(self.text):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)
            self.skip_blanks(newlines=False)
            if self.peek() in ("#", "\r", "\n"):
                self.skip_line()

    def header(self) -> tuple[PathPart, ...]:
        many = self.peek(1) == "["
        self.advance(2 if many else 1)
        keys = self.key()
        self.advance(2 if many else 1)
        path: tuple[PathPart, ...] = ()
        for position, key in enumerate(keys):
            path = (*path, key)
            last = position == len(keys) - 1
            self.lines.setdefault(path, self.line)
            if path in self.arrays and not (last and many):
                path = (*path, self.arrays[path])
        if many:
            index = self.arrays.get(path, -1) + 1
            self.arrays[path] = index
            path = (*path, index)
            self.lines[path] = self.line
        return path

    def key_value(self, table: tuple[PathPart, ...]) -> None:
        line = self.line
        path = (*table, *self.key())
        for depth in range(len(table) + 1, len(path) + 1):
            self.lines.setdefault(path[:depth], line)
        self.skip_blanks(newlines=False)
        self.advance()  # "="
        self.skip_blanks(newlines=False)
        self.value(path)
        self.lines[path] = line

    def key(self) -> list[str]:
        """A dotted key; the cursor ends after it and the blanks that follow."""
        parts: list[str] = []
        while True:
            self.skip_blanks(newlines=False)
            ch = self.peek()
            if ch in ('"', "'"):
                start = self.at
                self.string()
                parts.append(tomllib.loads(f"k = {self.text[start:self.at]}")["k"])
            else:
                start = self.at
                while self.peek() in _BARE_KEY and self.peek():
                    self.advance()
                if start == self.at:
                    raise ValueError("not a key")
                parts.append(self.text[start : self.at])
            self.skip_blanks(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    def value(self, path: tuple[PathPart, ...]) -> None:
        self.lines[path] = self.line
        ch = self.peek()
        if ch in ('"', "'"):
            self.string()
        elif ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline_table(path)
        else:
            while self.peek() and self.peek() not in _SCALAR_END:
                self.advance()

    def array(self, path: tuple[PathPart, ...]) -> None:
        self.advance()  # "["
        index = 0
        while True:
            self.skip_blanks(newlines=True)
            if self.peek() == "]":
                self.advance()
                return
            self.value((*path, index))
            index += 1
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.advance()

    def inline_table(self, path: tuple[PathPart, ...]) -> None:
        self.advance()  # "{"
        while True:
            self.skip_blanks(newlines=True)
            if self.peek() == "}":
                self.advance()
                return
            self.key_value(path)
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.advance()

    def string(self) -> None:
        quote = self.peek()
        if self.text.startswith(quote * 3, self.at):
            self.advance(3)
            while not self.text.startswith(quote * 3, self.at):
                if not self.peek():
                    raise ValueError("unterminated string")
                self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
            self.advance(3)
            # up to two quotes before the closing three belong to the string
            for _ in range(2):
                if self.peek() == quote:
                    self.advance()
            return
        self.advance()
        while self.peek() != quote:
            if not self.peek() or self.peek() == "\n":
                raise ValueError("unterminated string")
            self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
        self.advance()
