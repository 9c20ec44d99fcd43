"""The little of InfluxQL that Kapacitor checks when a batch task starts.

``batch|query('...')`` is parsed by influxql when the task is enabled
(``query.go`` NewQuery, pipeline-validation §2.2.6-2.2.8): the text must be one
SELECT statement, and each FROM source's ``"db"."rp"`` must be one of the task's
dbrps (§2.1.8; a source without them is ``"".""`` and never is).  This module
splits statements and reads FROM sources; it is not a full InfluxQL parser, so
it reports only what it can tell for sure.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["Query", "read_query"]

# a quoted identifier, a string, a regex or any other run of characters
_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # identifier
    r"|'(?:[^'\\]|\\.)*'"  # string
    r"|/(?:[^/\\\n]|\\.)*/"  # regex (only where a measurement may be one)
    r"|[A-Za-z_][A-Za-z0-9_]*"
    r"|\s+"
    r"|."
)
_IDENTIFIER = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*')


class Query(NamedTuple):
    statements: tuple[str, ...]  # each statement's text, stripped
    sources: tuple[tuple[str, str], ...]  # (db, rp) of each FROM source, "" when not given
    error: str | None  # influxql's complaint, where it is plain from the tokens


# what the influxql parser wants after a statement's last token, when that is all
_WANTS_AFTER = dict.fromkeys(
    ["SELECT", "WHERE", "AND", "OR", "BY", ",", "=", "!=", "<>", "<", "<=", ">", ">=",
     "+", "-", "*", "/", "%", "=~", "!~", "("],
    "identifier, string, number, bool",
) | {"FROM": "identifier", "LIMIT": "integer", "OFFSET": "integer", "SLIMIT": "integer",
     "SOFFSET": "integer"}  # fmt: skip


def _tokens(text: str) -> list[str]:
    tokens = []
    previous = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("/") and len(token) > 1 and previous.upper() not in ("FROM", ".", ","):
            token = "/"  # division, not a regex: rescan what follows
            tokens.append(token)
            rest = text[match.start() + 1 :]
            return tokens + _tokens(rest) if rest else tokens
        if not token.isspace():
            tokens.append(token)
            previous = token
    return tokens


def _unquote(identifier: str) -> str:
    if identifier.startswith('"'):
        return re.sub(r"\\(.)", r"\1", identifier[1:-1])
    return identifier


@functools.lru_cache(maxsize=256)  # a script is checked again on every render and lint
def read_query(text: str) -> Query:
    tokens = _tokens(text)
    statements: list[list[str]] = [[]]
    for token in tokens:
        if token == ";":
            statements.append([])
        else:
            statements[-1].append(token)
    kept = [s for s in statements if s]
    sources = []
    for statement in kept:
        for index, token in enumerate(statement):
            if token.upper() == "FROM":
                sources.extend(_sources(statement[index + 1 :]))
    error = _syntax_error(kept[0]) if len(kept) == 1 else None
    return Query(tuple(" ".join(s) for s in kept), tuple(sources), error)


def _syntax_error(tokens: list[str]) -> str | None:
    """The few parse errors that need no grammar: the text stops where more must
    follow, a SELECT without FROM, a field list that ends in a comma."""
    words = [t.upper() for t in tokens]
    if words[0] != "SELECT":
        return None
    wants = _WANTS_AFTER.get(words[-1])
    if wants is not None and not (
        words[-1] == "*" and len(words) > 1 and words[-2] in (",", "SELECT", "BY", "(")
    ):
        return f"found EOF, expected {wants}"
    if "FROM" not in words:
        return "found EOF, expected FROM"
    start = words.index("FROM")
    if words[start - 1] in ("SELECT", ","):
        return "found FROM, expected identifier, string, number, bool"
    return None


def _sources(tokens: list[str]) -> list[tuple[str, str]]:
    """The (db, rp) of each comma-separated source at the start of ``tokens``."""
    found = []
    parts: list[str] = [""]
    for token in tokens:
        if token == ".":
            parts.append("")
        elif token == ",":
            found.append(_db_rp(parts))
            parts = [""]
        elif _IDENTIFIER.fullmatch(token) or token.startswith("/"):
            if parts[-1]:
                break  # the next clause (WHERE, GROUP ...) begins
            parts[-1] = _unquote(token) if not token.startswith("/") else token
        else:
            break
    if parts != [""]:
        found.append(_db_rp(parts))
    return found


def _db_rp(parts: list[str]) -> tuple[str, str]:
    padded = [""] * max(0, 3 - len(parts)) + parts[-3:]
    return padded[0], padded[1]
