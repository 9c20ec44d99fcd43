"""TICKscript: parse, format and check Kapacitor scripts.

``parse`` and ``format`` follow Kapacitor's own lexer, parser and formatter
(``tick/ast``), so ``format(text)`` is what ``tickfmt`` and ``kapacitor show``
print.  ``check`` reports what Kapacitor would refuse when the task is created.
"""

from __future__ import annotations

from . import ast
from .checker import Diagnostic, analyse, check
from .errors import TickSyntaxError
from .formatter import format_program
from .graph import graph
from .lexer import Token, TokenKind, tokenize
from .parser import parse, parse_canonical

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
