"""TICKscript: parse, format and check Kapacitor scripts.

``parse`` and ``format`` follow Kapacitor's own lexer, parser and formatter
(``tick/ast``), so ``format(text)`` is what ``tickfmt`` and ``kapacitor show``
print.  ``check`` reports what Kapacitor would refuse when the task is created.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import ast
from .errors import TickSyntaxError
from .formatter import format_program
from .graph import graph
from .lexer import Token, TokenKind, tokenize
from .parser import parse, parse_canonical

if TYPE_CHECKING:
    from .checker import Diagnostic, analyse, check

# The checker, with Kapacitor's node tables and the Go template checker it uses,
# loads on first use: `tickgen fmt` only parses and formats.
_FROM_CHECKER = frozenset({"Diagnostic", "analyse", "check"})


def __getattr__(name: str) -> Any:
    if name not in _FROM_CHECKER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".checker", __name__), name)
    globals()[name] = value  # the next lookup finds it directly
    return value


__all__ = [
    "Diagnostic",
    "TickSyntaxError",
    "Token",
    "TokenKind",
    "analyse",
    "ast",
    "check",
    "format",
    "format_program",
    "graph",
    "parse",
    "parse_canonical",
    "tokenize",
]


def format(text: str) -> str:
    """The canonical layout of ``text``, byte for byte as Kapacitor's ``tickfmt``."""
    return format_program(parse(text))
