"""The one error the TICKscript lexer and parser raise.

Kapacitor reports a syntax error as one line of text (``tick/ast/parser.go``,
``unexpected()``), and users paste that text into searches, so ``str()`` of a
:class:`TickSyntaxError` reproduces it byte for byte::

    parser: unexpected EOF line 1 char 9 in "var x = ". expected: "number",...

Line, column and the snippet are computed only when an error is raised (as
tomli does): the parser itself deals in offsets alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tickgen.errors import TickgenError

__all__ = ["TickSyntaxError"]

_SNIPPET_BYTES = 10  # Kapacitor shows at most 10 bytes either side of the token
_STRAY_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape decodes a bad byte


class TickSyntaxError(TickgenError, ValueError):
    """A TICKscript that does not lex or parse.

    ``line`` and ``column`` are 1-based; ``column`` counts bytes of UTF-8, like
    Kapacitor's ``char``.  ``offset`` is the index into the Python string.
    ``message`` says what went wrong without the position (``unexpected EOF``,
    ``unterminated string``, ``illegal number syntax: "09"``); ``expected`` names
    the tokens the parser would have accepted, in Kapacitor's order.
    """

    def __init__(
        self,
        message: str,
        source: str,
        offset: int,
        *,
        expected: Sequence[str] = (),
        unexpected: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.offset = offset
        self.expected = tuple(expected)
        prefix = source[:offset]
        self.line = prefix.count("\n") + 1
        line_start = prefix.rfind("\n") + 1
        self.column = _utf8_len(source[line_start:offset]) + 1
        if unexpected is None:
            text = f"parser: {message}"
        else:
            wanted = ",".join(f'"{name}"' for name in self.expected)
            text = (
                f"parser: unexpected {unexpected} line {self.line} char {self.column} "
                f'in "{_snippet(source, offset)}". expected: {wanted}'
            )
        super().__init__(text)


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _snippet(source: str, offset: int) -> str:
    """Up to 10 bytes either side of ``offset``, clipped to its line (as Kapacitor)."""
    data = source.encode("utf-8", "surrogatepass")
    pos = _utf8_len(source[:offset])
    start = max(pos - _SNIPPET_BYTES, 0)
    newline = data.rfind(b"\n", start, pos)
    if newline != -1:
        start = newline + 1
    stop = min(pos + _SNIPPET_BYTES, len(data))
    newline = data.find(b"\n", pos, stop)
    if newline != -1:
        stop = newline
    # Kapacitor slices bytes and may cut a character in half; its JSON encoder
    # then prints one U+FFFD per stray byte, as done here.
    text = data[start:stop].decode("utf-8", "surrogateescape")
    return _STRAY_BYTE.sub("\ufffd", text)
