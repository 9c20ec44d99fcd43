"""Go ``text/template`` lexer, written from Go's ``text/template/parse/lex.go``.

The states below are Go's, one function each (``lexText``, ``lexLeftDelim``,
``lexComment``, ``lexInsideAction``...), so a reader can hold the two side by
side.  Two rule sets matter to Kapacitor (see :class:`Syntax`): Go 1.15
(Kapacitor 1.5.9) ends an action at a newline with ``unclosed action`` and has
no ``break``/``continue`` keywords; Go 1.25 (Kapacitor 1.8.3) allows both.
Delimiters are always ``{{`` ``}}``: Kapacitor never calls ``Delims``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["GO115", "GO125", "Item", "ItemType", "Syntax", "lex"]

LEFT = "{{"
RIGHT = "}}"
TRIM = "-"
COMMENT_OPEN = "/*"
COMMENT_CLOSE = "*/"


@dataclass(frozen=True)
class Syntax:
    """The template syntax of one Go release."""

    go: str
    newline_in_action: bool  # Go 1.16, golang/go#29770
    break_continue: bool  # Go 1.18
    else_with: bool  # Go 1.23
    # Go 1.15 ends a field at the first rune of "}}" and emits a stray ")" before
    # its error; later releases need all of "}}" and report the ")" itself.
    full_delim_terminator: bool


GO115 = Syntax(
    "1.15",
    newline_in_action=False,
    break_continue=False,
    else_with=False,
    full_delim_terminator=False,
)
GO125 = Syntax(
    "1.25", newline_in_action=True, break_continue=True, else_with=True, full_delim_terminator=True
)


class ItemType(enum.Enum):
    ERROR = enum.auto()
    BOOL = enum.auto()
    CHAR = enum.auto()  # a printable ASCII character such as ',' or '}'
    CHAR_CONSTANT = enum.auto()
    COMMENT = enum.auto()
    COMPLEX = enum.auto()
    ASSIGN = enum.auto()
    DECLARE = enum.auto()
    EOF = enum.auto()
    FIELD = enum.auto()
    IDENTIFIER = enum.auto()
    LEFT_DELIM = enum.auto()
    LEFT_PAREN = enum.auto()
    NUMBER = enum.auto()
    PIPE = enum.auto()
    RAW_STRING = enum.auto()
    RIGHT_DELIM = enum.auto()
    RIGHT_PAREN = enum.auto()
    SPACE = enum.auto()
    STRING = enum.auto()
    TEXT = enum.auto()
    VARIABLE = enum.auto()
    # keywords
    BLOCK = enum.auto()
    BREAK = enum.auto()
    CONTINUE = enum.auto()
    DOT = enum.auto()
    DEFINE = enum.auto()
    ELSE = enum.auto()
    END = enum.auto()
    IF = enum.auto()
    NIL = enum.auto()
    RANGE = enum.auto()
    TEMPLATE = enum.auto()
    WITH = enum.auto()


# A lexer state returns the next state (Go's stateFn); Any because the type is recursive.
_State = Callable[[], Any]

KEYWORDS = {
    ".": ItemType.DOT,
    "block": ItemType.BLOCK,
    "break": ItemType.BREAK,
    "continue": ItemType.CONTINUE,
    "define": ItemType.DEFINE,
    "else": ItemType.ELSE,
    "end": ItemType.END,
    "if": ItemType.IF,
    "range": ItemType.RANGE,
    "nil": ItemType.NIL,
    "template": ItemType.TEMPLATE,
    "with": ItemType.WITH,
}
_KEYWORD_TYPES = frozenset(KEYWORDS.values())


@dataclass(frozen=True)
class Item:
    typ: ItemType
    pos: int
    val: str
    line: int

    def __str__(self) -> str:  # Go's item.String, used in error messages
        if self.typ is ItemType.EOF:
            return "EOF"
        if self.typ is ItemType.ERROR:
            return self.val
        if self.typ in _KEYWORD_TYPES and self.typ is not ItemType.DOT:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote(self.val[:10]) + "..."
        return go_quote(self.val)


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string (printable runes kept, the rest escaped)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def rune_repr(ch: str) -> str:
    """Go's ``%#U``: ``U+002D '-'``."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if ch.isprintable() else code


def _is_alphanumeric(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or unicodedata.category(ch) == "Nd"


# Runs scanned with one regex call instead of a Python call per character
# (validate parses every template parameter: 1.5 ms -> 0.5 ms for a 160-char message).
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]*")
_SPACES = re.compile(r"[ \t]*")
_SPACES_NEWLINES = re.compile(r"[ \t\r\n]*")
_QUOTED_REST = re.compile(r'(?:[^"\\\n]|\\[^\n])*"')


class _Lexer:
    def __init__(self, text: str, syntax: Syntax) -> None:
        self.input = text
        self.syntax = syntax
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.paren_depth = 0
        self.items: list[Item] = []
        self.done = False

    # -- cursor (Go's next/peek/backup/emit/ignore) -------------------------------

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.pos = len(self.input) + 1  # so that backup() after EOF is a no-op
            return ""
        ch = self.input[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def backup(self) -> None:
        if self.pos > len(self.input):
            self.pos = len(self.input)
            return
        self.pos -= 1
        if self.input[self.pos] == "\n":
            self.line -= 1

    def emit(self, typ: ItemType) -> None:
        self.items.append(Item(typ, self.start, self.input[self.start : self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def error(self, message: str) -> None:
        self.items.append(Item(ItemType.ERROR, self.start, message, self.start_line))
        self.done = True

    def is_space(self, ch: str) -> bool:
        if self.syntax.newline_in_action:
            return ch in " \t\r\n" and ch != ""
        return ch in (" ", "\t")

    def has_left_trim(self, at: int) -> bool:
        s = self.input[at : at + 2]
        return len(s) == 2 and s[0] == TRIM and self.is_space(s[1])

    def has_right_trim(self, at: int) -> bool:
        s = self.input[at : at + 2]
        return len(s) == 2 and self.is_space(s[0]) and s[1] == TRIM

    def at_right_delim(self) -> tuple[bool, bool]:
        if self.has_right_trim(self.pos) and self.input.startswith(RIGHT, self.pos + 2):
            return True, True
        return self.input.startswith(RIGHT, self.pos), False

    def at_terminator(self) -> bool:
        ch = self.peek()
        if ch == "" or self.is_space(ch) or ch in "\r\n.,|:)(":
            return True
        if self.syntax.full_delim_terminator:
            return self.input.startswith(RIGHT, self.pos)
        return ch == RIGHT[0]

    # -- states -------------------------------------------------------------------

    def run(self) -> list[Item]:
        state = self.lex_text
        while not self.done:
            state = state()
        return self.items

    def lex_text(self) -> _State:
        found = self.input.find(LEFT, self.pos)
        if found < 0:
            self.pos = len(self.input)
            if self.pos > self.start:
                self.line += self.input.count("\n", self.start, self.pos)
                self.emit(ItemType.TEXT)
            self.emit(ItemType.EOF)
            self.done = True
            return self.lex_text
        self.pos = found
        trim = 0
        if self.has_left_trim(found + len(LEFT)):
            text = self.input[self.start : found]
            trim = len(text) - len(text.rstrip(" \t\r\n"))
        self.pos -= trim
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            self.emit(ItemType.TEXT)
        self.pos += trim
        self.ignore()
        return self.lex_left_delim

    def lex_left_delim(self) -> _State:
        self.pos += len(LEFT)
        trim = self.has_left_trim(self.pos)
        after_marker = 2 if trim else 0
        if self.input.startswith(COMMENT_OPEN, self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment
        self.emit(ItemType.LEFT_DELIM)
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self) -> _State:
        self.pos += len(COMMENT_OPEN)
        end = self.input.find(COMMENT_CLOSE, self.pos)
        if end < 0:
            self.error("unclosed comment")
            return self.lex_text
        self.pos = end + len(COMMENT_CLOSE)
        delim, trim = self.at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
            return self.lex_text
        self.line += self.input.count("\n", self.start, self.pos)
        self.emit(ItemType.COMMENT)
        if trim:
            self.pos += 2
        self.pos += len(RIGHT)
        if trim:
            self.skip_leading_space()
        self.ignore()
        return self.lex_text

    def skip_leading_space(self) -> None:
        rest = self.input[self.pos :]
        self.pos += len(rest) - len(rest.lstrip(" \t\r\n"))

    def lex_right_delim(self) -> _State:
        trim = self.has_right_trim(self.pos)
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT)
        self.emit(ItemType.RIGHT_DELIM)
        if trim:
            self.skip_leading_space()
            self.ignore()
        return self.lex_text

    def lex_inside_action(self) -> _State:
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            self.error("unclosed left paren")
            return self.lex_text
        ch = self.next()
        if ch == "" or (not self.syntax.newline_in_action and ch in "\r\n"):
            self.error("unclosed action")
        elif self.is_space(ch):
            self.backup()
            return self.lex_space
        elif ch == "=":
            self.emit(ItemType.ASSIGN)
        elif ch == ":":
            if self.next() != "=":
                self.error("expected :=")
            else:
                self.emit(ItemType.DECLARE)
        elif ch == "|":
            self.emit(ItemType.PIPE)
        elif ch == '"':
            return self.lex_quote
        elif ch == "`":
            return self.lex_raw_quote
        elif ch == "$":
            return self.lex_variable
        elif ch == "'":
            return self.lex_char
        elif ch == "." and self.pos < len(self.input) and not "0" <= self.peek() <= "9":
            return self.lex_field
        elif ch in ".+-" or ("0" <= ch <= "9"):
            self.backup()
            return self.lex_number
        elif _is_alphanumeric(ch):
            self.backup()
            return self.lex_identifier
        elif ch == "(":
            self.emit(ItemType.LEFT_PAREN)
            self.paren_depth += 1
        elif ch == ")":
            self.paren_depth -= 1
            if self.paren_depth >= 0:
                self.emit(ItemType.RIGHT_PAREN)
            elif self.syntax.full_delim_terminator:  # Go 1.20+: the error, not the ')'
                self.error("unexpected right paren")
            else:  # Go 1.15 emits the ')' first, which the parser then finds unexpected
                self.emit(ItemType.RIGHT_PAREN)
                self.error(f"unexpected right paren {rune_repr(ch)}")
        elif ord(ch) < 0x80 and ch.isprintable():
            self.emit(ItemType.CHAR)
        else:
            self.error(f"unrecognized character in action: {rune_repr(ch)}")
        return self.lex_inside_action

    def lex_space(self) -> _State:
        run = _SPACES_NEWLINES if self.syntax.newline_in_action else _SPACES
        end = run.match(self.input, self.pos).end()  # type: ignore[union-attr]
        spaces = end - self.pos
        self.line += self.input.count("\n", self.pos, end)
        self.pos = end
        # A space may be the first half of a " -}}" trim marker.
        if self.has_right_trim(self.pos - 1) and self.input.startswith(RIGHT, self.pos + 1):
            self.backup()
            if spaces == 1:
                return self.lex_right_delim
        self.emit(ItemType.SPACE)
        return self.lex_inside_action

    def skip_alphanumerics(self) -> None:
        while True:
            self.pos = _ASCII_WORD.match(self.input, self.pos).end()  # type: ignore[union-attr]
            ch = self.peek()
            if not (ch and ord(ch) >= 0x80 and _is_alphanumeric(ch)):
                return
            self.pos += 1

    def lex_identifier(self) -> _State:
        self.skip_alphanumerics()
        word = self.input[self.start : self.pos]
        if not self.at_terminator():
            self.error(f"bad character {rune_repr(self.peek())}")
            return self.lex_text
        keyword = KEYWORDS.get(word)
        if keyword is not None and word != ".":
            if keyword in (ItemType.BREAK, ItemType.CONTINUE) and not (self.syntax.break_continue):
                self.emit(ItemType.IDENTIFIER)
            else:
                self.emit(keyword)
        elif word.startswith("."):
            self.emit(ItemType.FIELD)
        elif word in ("true", "false"):
            self.emit(ItemType.BOOL)
        else:
            self.emit(ItemType.IDENTIFIER)
        return self.lex_inside_action

    def lex_field(self) -> _State:
        return self.lex_field_or_variable(ItemType.FIELD)

    def lex_variable(self) -> _State:
        if self.at_terminator():  # "$" alone
            self.emit(ItemType.VARIABLE)
            return self.lex_inside_action
        return self.lex_field_or_variable(ItemType.VARIABLE)

    def lex_field_or_variable(self, typ: ItemType) -> _State:
        if self.at_terminator():  # "." alone
            self.emit(ItemType.VARIABLE if typ is ItemType.VARIABLE else ItemType.DOT)
            return self.lex_inside_action
        self.skip_alphanumerics()
        if not self.at_terminator():
            self.error(f"bad character {rune_repr(self.peek())}")
            return self.lex_text
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self) -> _State:
        while True:
            ch = self.next()
            if ch == "\\":
                ch = self.next()
                if ch not in ("", "\n"):
                    continue
            if ch in ("", "\n"):
                self.error("unterminated character constant")
                return self.lex_text
            if ch == "'":
                break
        self.emit(ItemType.CHAR_CONSTANT)
        return self.lex_inside_action

    def lex_number(self) -> _State:
        if not self.scan_number():
            self.error(f"bad number syntax: {go_quote(self.input[self.start : self.pos])}")
            return self.lex_text
        if self.peek() in ("+", "-") and self.peek():
            # complex: 1+2i
            if not self.scan_number() or self.input[self.pos - 1] != "i":
                self.error(f"bad number syntax: {go_quote(self.input[self.start : self.pos])}")
                return self.lex_text
            self.emit(ItemType.COMPLEX)
        else:
            self.emit(ItemType.NUMBER)
        return self.lex_inside_action

    def accept(self, valid: str) -> bool:
        ch = self.next()
        if ch and ch in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            ch = self.next()
            if not (ch and ch in valid):
                self.backup()
                return

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if self.peek() and _is_alphanumeric(self.peek()):
            self.next()
            return False
        return True

    def lex_quote(self) -> _State:
        match = _QUOTED_REST.match(self.input, self.pos)
        if match is None:  # a newline or the end before the closing quote
            self.error("unterminated quoted string")
            return self.lex_text
        self.pos = match.end()
        self.emit(ItemType.STRING)
        return self.lex_inside_action

    def lex_raw_quote(self) -> _State:
        end = self.input.find("`", self.pos)
        if end < 0:
            self.error("unterminated raw quoted string")
            return self.lex_text
        self.line += self.input.count("\n", self.pos, end + 1)
        self.pos = end + 1
        self.emit(ItemType.RAW_STRING)
        return self.lex_inside_action


def lex(text: str, syntax: Syntax = GO125) -> list[Item]:
    """Every item of ``text``, ending with EOF or the first ERROR."""
    return _Lexer(text, syntax).run()
