"""The TICKscript syntax tree, node for node as Kapacitor's ``tick/ast/node.go``.

Every node records where it starts (``line`` and ``column`` are 1-based; ``column``
counts bytes of UTF-8 like Kapacitor's ``char``); positions take no part in
equality, so ``parse(format(x)) == parse(x)`` compares structure only.

A node's ``comment`` is the comment block the parser attached to it (Kapacitor
attaches a comment to the node of the *next* token).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(slots=True)
class Position:
    offset: int = 0
    line: int = 1
    column: int = 1


@dataclass(slots=True)
class Comment:
    """Consecutive ``//`` lines; ``lines`` holds each line's text without ``//``
    and one following space.  A ``"\\n"`` entry stands for a blank line kept
    between two comment groups."""

    lines: list[str]
    pos: Position = field(default_factory=Position, compare=False, repr=False)


@dataclass(slots=True)
class Number:
    value: int | float
    is_int: bool
    octal: bool = False  # an int written with a leading 0 prints back as octal
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Duration:
    literal: str  # exactly as written: "10m", "1d", "500ms"
    nanoseconds: int
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Bool:
    value: bool
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class String:
    value: str  # the value after unescaping (``\'`` -> ``'``); raw for triple quotes
    triple: bool = False
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Reference:
    name: str  # after unescaping ``\"`` -> ``"``
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Regex:
    literal: str  # the raw text between the slashes, as written
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Star:
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Identifier:
    name: str
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class List:
    items: list[Identifier | String | Star]
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Unary:
    op: str  # "-" or "!"
    operand: Expr
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Binary:
    op: str  # "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "AND", "OR"
    left: Expr
    right: Expr
    parens: bool = False
    multiline: bool = False
    pos: Position = field(
        default_factory=Position, compare=False, repr=False
    )  # the operator's position, as in Kapacitor
    comment: Comment | None = None


@dataclass(slots=True)
class Lambda:
    expr: Expr
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


class FuncKind(Enum):
    GLOBAL = "global"  # name(...) at the start of an expression, e.g. time(1m)
    CHAIN = "chain"  # |name(...)
    PROPERTY = "property"  # .name(...)
    DYNAMIC = "dynamic"  # @name(...)


@dataclass(slots=True)
class Function:
    name: str
    args: list[Expr]
    kind: FuncKind = FuncKind.GLOBAL
    multiline: bool = False
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class Chain:
    """``left <op> right`` with op one of ``|``, ``.``, ``@``; chains nest to the left."""

    left: Expr
    op: str
    right: Function | Identifier
    pos: Position = field(
        default_factory=Position, compare=False, repr=False
    )  # the operator's position
    comment: Comment | None = None


@dataclass(slots=True)
class Declaration:
    name: Identifier
    value: Expr
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class TypeDeclaration:
    name: Identifier
    type: Identifier
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


@dataclass(slots=True)
class DBRP:
    db: Reference
    rp: Reference
    pos: Position = field(default_factory=Position, compare=False, repr=False)
    comment: Comment | None = None


Expr = (
    Number
    | Duration
    | Bool
    | String
    | Reference
    | Regex
    | Star
    | Identifier
    | List
    | Unary
    | Binary
    | Lambda
    | Function
    | Chain
)

Statement = Declaration | TypeDeclaration | DBRP | Expr | Comment


@dataclass(slots=True)
class Program:
    statements: list[Statement]
    pos: Position = field(default_factory=Position, compare=False, repr=False)
