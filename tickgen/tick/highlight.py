"""A Pygments lexer for TICKscript (``pip install 'tickgen[highlight]'``).

Registered under the entry point ``tickscript``, so ``pygmentize -l tickscript
cpu.tick`` and Sphinx ``.. code-block:: tickscript`` work once tickgen is
installed.  The tokens are those of :func:`tickgen.tick.tokenize`, the lexer
the parser uses (which follows Kapacitor's, reference §1.1), so there is one
TICKscript grammar: only upper-case ``TRUE``/``FALSE``/``AND``/``OR`` are
keywords, ``lambda`` only before ``:``, a ``/`` starts a regex only where an
operand may begin, and what Kapacitor cannot lex is an error token here too.
This module maps each token kind to a Pygments token type, and an identifier by
the token before it: a node after ``|``, a property or method after ``.``, a
UDF after ``@``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pygments.lexer import Lexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    _TokenType,
)

from .lexer import TokenKind, tokenize

__all__ = ["TickScriptLexer", "highlight_terminal"]

K = TokenKind
_BY_KIND: dict[TokenKind, _TokenType] = {
    # the binary operators (AND and OR are words: below)
    **dict.fromkeys((k for k in TokenKind if K.PLUS <= k <= K.REGEX_NOT_EQUAL), Operator),
    K.VAR: Keyword.Declaration,
    K.DBRP: Keyword.Declaration,
    K.LAMBDA: Keyword,
    K.TRUE: Keyword.Constant,
    K.FALSE: Keyword.Constant,
    K.AND: Operator.Word,
    K.OR: Operator.Word,
    K.REFERENCE: Name.Variable,
    K.STRING: String.Single,
    K.REGEX: String.Regex,
    K.DURATION: Number.Other,
    K.COMMENT: Comment.Single,
    K.DOT: Punctuation,
    K.LPAREN: Punctuation,
    K.RPAREN: Punctuation,
    K.LSBRACKET: Punctuation,
    K.RSBRACKET: Punctuation,
    K.COMMA: Punctuation,
    K.ASGN: Operator,
    K.PIPE: Operator,
    K.AT: Operator,
    K.STAR: Operator,
    K.NOT: Operator,
}
# what an identifier names, by the token before it
_NAME_AFTER = {K.PIPE: Name.Function, K.DOT: Name.Attribute, K.AT: Name.Decorator}
_SOURCES = frozenset({"stream", "batch"})


class TickScriptLexer(Lexer):
    name = "TICKscript"
    aliases: ClassVar[list[str]] = ["tickscript", "tick"]
    filenames: ClassVar[list[str]] = ["*.tick"]
    mimetypes: ClassVar[list[str]] = ["text/x-tickscript"]
    url = "https://docs.influxdata.com/kapacitor/v1/reference/tick/"

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        """(offset, type, text) for all of ``text``: tokenize's tokens, the blanks
        between them as Text, and where tokenize stops at an error, that
        character as Error and the rest lexed again after it."""
        position = 0
        previous: TokenKind | None = None
        while position < len(text):
            error_at = len(text)
            base = position  # tokenize's offsets are into text[base:]
            for token in tokenize(text[base:]):
                start = base + token.start
                if token.kind is K.EOF:
                    break
                if token.kind is K.ERROR:
                    error_at = start
                    break
                yield from _blank(text, position, start)
                if token.kind is K.COMMENT:
                    yield from _comment_lines(start, token.text)
                else:
                    yield start, _token_type(token.kind, token.text, previous), token.text
                    previous = token.kind
                position = start + len(token.text)
            else:  # tokenize always ends with EOF or ERROR
                raise AssertionError("tokenize returned no EOF")
            yield from _blank(text, position, error_at)
            if error_at < len(text):
                # what Kapacitor cannot lex (an unknown character, an unterminated
                # quote): one character is an error, and lexing goes on after it
                yield error_at, Error, text[error_at]
                previous = None
                position = error_at + 1
            else:
                position = len(text)


def _token_type(kind: TokenKind, value: str, previous: TokenKind | None) -> _TokenType:
    if kind is K.IDENT:
        after = _NAME_AFTER.get(previous) if previous is not None else None
        if after is not None:
            return after
        return Name.Builtin if value in _SOURCES else Name
    if kind is K.NUMBER:
        return Number.Float if "." in value else Number.Integer
    return _BY_KIND.get(kind, Error)


def _blank(text: str, start: int, end: int) -> Iterator[tuple[int, _TokenType, str]]:
    """The text between two tokens: blanks (plain Text needs no colour codes)."""
    if end > start:
        gap = text[start:end]
        yield start, Text if gap.isspace() else Error, gap


def _comment_lines(start: int, value: str) -> Iterator[tuple[int, _TokenType, str]]:
    """A comment token spans its consecutive ``//`` lines: one Comment per line,
    the line breaks and indentation between them as Text."""
    offset = start
    for line in value.splitlines(keepends=True):
        body = line.strip()
        if body:
            lead = line.index(body)
            if lead:
                yield offset, Text, line[:lead]
            yield offset + lead, Comment.Single, body
            tail = line[lead + len(body) :]
            if tail:
                yield offset + lead + len(body), Text, tail
        else:
            yield offset, Text, line
        offset += len(line)


def highlight_terminal(text: str) -> str:
    """``text`` with ANSI colours for a terminal (``tickgen render --color``)."""
    from pygments import highlight
    from pygments.formatters import TerminalFormatter

    coloured: str = highlight(text, TickScriptLexer(), TerminalFormatter())
    return coloured
