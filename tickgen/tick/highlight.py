"""A Pygments lexer for TICKscript (``pip install 'tickgen[highlight]'``).

Registered under the entry point ``tickscript``, so ``pygmentize -l tickscript
cpu.tick`` and Sphinx ``.. code-block:: tickscript`` work once tickgen is
installed.  The token rules follow Kapacitor's lexer (reference §1.1): only
upper-case ``TRUE``/``FALSE``/``AND``/``OR`` are keywords, ``lambda`` only
before ``:``, and a ``/`` starts a regex only where an operand may begin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
)

__all__ = ["TickScriptLexer", "highlight_terminal"]

_IDENT = r"[^\W\d_]\w*"  # a letter, then letters, digits and '_' (no leading '_')
_REGEX = r"/(?:\\/|[^/\n])*/"
_bygroups: Callable[..., Any] = bygroups  # unannotated in types-Pygments


class TickScriptLexer(RegexLexer):
    name = "TICKscript"
    aliases: ClassVar[list[str]] = ["tickscript", "tick"]
    filenames: ClassVar[list[str]] = ["*.tick"]
    mimetypes: ClassVar[list[str]] = ["text/x-tickscript"]
    url = "https://docs.influxdata.com/kapacitor/v1/reference/tick/"

    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            (r"\s+", Text),  # plain Text: a terminal needs no colour codes for blanks
            (r"//.*?$", Comment.Single),
            (r"'''[\s\S]*?'''", String.Single),
            (r"'(?:\\'|[^'])*'", String.Single),
            (r'"(?:\\"|[^"])*"', Name.Variable),
            # a regex can follow only an operator that wants an operand
            (rf"(=~|!~|=|\(|,)(\s*)({_REGEX})", _bygroups(Operator, Text, String.Regex)),
            (rf"(\|)(\s*)({_IDENT})", _bygroups(Operator, Text, Name.Function)),
            (rf"(\.)(\s*)({_IDENT})", _bygroups(Punctuation, Text, Name.Attribute)),
            (rf"(@)(\s*)({_IDENT})", _bygroups(Operator, Text, Name.Decorator)),
            (r"\b(var|dbrp)\b", Keyword.Declaration),
            (r"lambda:", Keyword),
            (r"\b(TRUE|FALSE)\b", Keyword.Constant),
            (r"\b(AND|OR)\b", Operator.Word),
            (r"\d+(?:ms|u|µ|s|m|h|d|w)\b", Number.Other),  # a duration, e.g. 10s, 1d
            (r"\d+\.\d*|\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            (r"\b(stream|batch)\b", Name.Builtin),
            (_IDENT, Name),
            (r"==|!=|<=|>=|=~|!~|[-+*/%<>!=]", Operator),
            (r"[()\[\],]", Punctuation),
        ],
    }


def highlight_terminal(text: str) -> str:
    """``text`` with ANSI colours for a terminal (``tickgen render --color``)."""
    from pygments import highlight
    from pygments.formatters import TerminalFormatter

    coloured: str = highlight(text, TickScriptLexer(), TerminalFormatter())
    return coloured
