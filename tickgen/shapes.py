"""Parse and format each script *shape* once, not once per alert.

Many alerts render the same script with different literal values (a name, a
message, a threshold).  :class:`ShapeCache` parses such a script once, and for
every further alert of the same shape only swaps the literals in: the syntax
tree is the cached one with this alert's literal values, and the canonical
text is the cached layout with this alert's literals printed into it.  The
checker runs once per shape with the values unknown, and per alert only the
checks that depend on values (see "What is still done per alert").

How a shape is found without lexing the script
----------------------------------------------
Every value reaches a built-in template's output through an escaping filter
(tickgen/tick/quote.py), and Jinja hands every ``{{ }}`` output to the
environment's ``finalize``.  While a built-in template renders for the cache,
``finalize`` records each printed fragment and writes a NUL in its place
(tickgen/render.py).  The template's own text between the fragments (the
*segments*) plus, per fragment, either its slot kind or, when it is not a slot,
its whole text, is the shape key.  A render whose output has a NUL of its own
is not cached (the count of NULs must match the fragments).

A fragment is a *slot* (left out of the key) only when all of these hold:

* on its own it lexes as exactly one STRING, NUMBER, DURATION, REGEX or
  REFERENCE token spanning the whole fragment, and parses to that one literal
  node (:func:`_literal`, or :func:`_derived` for a fragment that says which
  escaping function wrote it, see below; a value the parser refuses, such as
  an invalid regex or a number beyond int64, is no slot, so it is in the key
  and the alert takes the uncached path, which reports the error exactly as
  before);
* it contains no line break, and neither does its printed form: so every
  token of every alert of a shape is on the same line, the parser's
  ``multiline`` flags (a line break between operands, tickgen/tick/parser.py)
  and the formatter's layout are the same, and only columns differ;
* the template text right before it ends with a space, tab, line break, ``(``,
  ``[`` or ``,`` (or the script starts there) and the text right after starts
  with a space, tab, line break, ``)``, ``]`` or ``,`` (or the script ends).

The slot kind is the token kind, the node type, for a string whether it is
triple-quoted, for a number whether it is an int, and the fragment's first
character class.  Why that is enough: Kapacitor's lexer reads left to right,
and which token starts at a position depends only on the state (set by the
kind of the token before) and the text from there.  The text before the first
slot is the same for every alert of a shape, so the token stream up to it is;
a slot starts after a delimiter that no token extends over, so a token starts
there, in the same state, and the fragment's first character class picks the
same alternative; it ends at its closing quote or at a character no number or
duration continues with, so it spans exactly the fragment, and the state after
it depends only on its kind.  By induction every alert of a shape has the same
tokens but for the slots' texts, and the slots' kinds.  The parser builds the
tree from the token kinds and makes each literal node from its token's text
alone (``_primary``, ``_number``, ``_duration``, ``_string``, ``_reference``,
``_regex``), so the trees are equal but for the slots' literal nodes, which are
the nodes :func:`_literal` builds from the fragments alone.  When a shape is
built (the second time its key is seen, so that a run of scripts that never
repeat pays no more than before), this is also verified on that alert's text:
each slot must be a literal node of its kind at its fragment's offset, the
formatted marked tree must hold each marker once and in order, and the splice
of this alert's literals must equal ``tick.parse_canonical``'s text; a shape
that fails any of these is remembered as not cacheable.

Literals from the function that wrote them
------------------------------------------
Lexing and parsing each fragment on its own (:func:`_literal`) was most of the
cache's work per alert: an alert's id and message are its own, so the memo of
fragments (keyed by their text) rarely holds them.  But every value reaches a
built-in template's output through an escaping function of
tickgen/tick/quote.py, and each of them that writes one literal token (a
string that is not a concatenation, a reference, a regex, a duration, a number
that is not negative) returns a ``LiteralTick``: the text, the function that
wrote it (``escape``) and the value the literal node holds (``value``).  For
such a fragment :func:`_derived` gives the slot kind, node type, value fields
and printed text from those two alone, as the parser and formatter would make
them: a string's value, triple-quoted exactly when it ends in a backslash
(``quote.string`` writes no other value so); a reference's name; a regex's
text between the slashes, no slot unless the parser's own RE2 check
(``check_regex``, on the text with ``\\/`` unescaped, as ``_Parser.regex``)
passes; a duration's text and its nanoseconds (``quote.duration_nanoseconds``;
quote.duration refuses a duration beyond int64); an int (never octal: ``str``
writes no leading 0) or a float (``-0.0`` is written, and held, as ``0.0``);
no slot if the value holds a line break.  The printed text is the fragment
itself: the formatter escapes each literal exactly as quote.py does.

What makes this sound is one property of each escaping function, which
tests/tick/test_quote.py (``test_a_literal_tick_is_what_lexing_and_parsing_its_text_gives``)
checks with hypothesis for every function of quote.py and random values
(quotes, backslashes, line breaks, non-ASCII, ``-0.0``, the int64 bounds...):
whenever it returns a ``LiteralTick``, its text on its own lexes as exactly
one literal token spanning the whole text, parses to a node holding ``value``,
and :func:`_derived` of it equals :func:`_literal` of its text -- the same slot
kind, node type, value fields (compared also by ``repr``: ``0.0`` is not
``-0.0``, ``1`` not ``1.0``) and printed text, or both say "no slot".  So the
key and the slots' literals are exactly what lexing and parsing each fragment
would give, and the argument above holds as it stands.  (The test found three
things, now fixed in quote.py: ``//``, an empty regex, starts a comment where
a token starts, so it changed the structure of ``f(//)``, and is refused; a
regex whose first character is not ASCII, which Kapacitor's lexer can misread,
carries no provenance; a ``Tick`` given back to a filter was held as a ``str``
subclass, and ``value`` is now a plain ``str``.)  A fragment without
provenance (``where_filter``, a handler's line, an identifier, an operator, a
negative number, a concatenation, a user's template) is lexed and parsed on
its own, as before.  Provenance cannot be forged by a template: only quote.py
makes a ``LiteralTick``, its text is immutable, and any operation on it yields
a plain ``str`` (which ``finalize`` refuses) or a ``Tick`` without provenance.
The memo is keyed by text: the same text gives the same literal whichever way
it is found.

Formatting without parsing
--------------------------
The formatter prints a literal node as its comment and indentation (from the
node's place, the same for the whole shape) followed by text that depends on
the node alone (``_number``, ``_duration``, ``_string``, ``_reference``,
``_regex`` in tickgen/tick/formatter.py, and the inlined string argument in
``_function``).  The shape's tree is formatted once with a unique marker value
in every slot; the text between the markers is kept, and an alert's script is
those pieces joined with its literals as the formatter prints them on their
own (``format_program`` of a one-literal program).  ``parse_canonical`` formats
again only when the first layout is not a fixed point; a shape is cached only
when it is (``format(parse(text)) == parse_canonical(text)``), and that fixed
point depends on the layout's line breaks, which are the same for the shape.

What is still done per alert
----------------------------
The checker (tickgen/tick/checker.py and what it calls: rules.py, start.py,
influxql.py, and the Go template checks of tickgen.gotemplate) runs in two
phases.  The *structure phase* runs once per shape (and task kind and
Kapacitor version), on the cached tree with every slot's value fields holding
a placeholder (tickgen/tick/deferred.py) -- but the fields that are part of
the slot kind, a string's quoting and a number's int/float type, which are the
same for every alert of the shape.  The *value phase* runs per alert: it
replays, with the alert's literal values, the checks the structure phase
deferred, and answers only "the full check finds nothing" or "it may find
something".  An alert of the second kind takes the uncached path (parse, full
check), so the value phase never has to word a diagnostic, only to be sure.

Which checker results depend on literal values, and so are checked per value:

* integer division and modulo by zero (``var x = 10 / 0``), outside lambdas;
* values computed from literals: string concatenation (``'a' + name``, which
  may then be a message), the negation of a number or duration (``-5m``),
  the tag names of a ``groupBy`` (string slots) and the tags each node's
  group therefore has, the ``.as()`` and ``.tags()`` names and the join
  delimiter -- these are derived values, computed per alert by the same
  functions the full check uses;
* the Go templates of ``.id()``, ``.message()``, ``.details()`` and the
  handler properties Kapacitor parses as templates, and the tags a template
  reads that the pipeline does not group by (across slots: the template and
  the group-by names are separate slots);
* the handler checks: a ``.log()`` path that is not absolute, an empty SNMP
  trap oid, an SNMP data type, an ``Authenticate`` header;
* every node rule of rules.py and start.py (and the configuration notes) of a
  node that holds a value from a slot: zero or negative periods, intervals,
  counts and shifts, flapping thresholds, log file modes, fill options, the
  text of a batch query and its FROM against the dbrp statements, join and
  combine prefixes, empty dimensions, ...: such a node's whole validation is
  deferred and runs per alert on a copy of the node holding the alert's values.

What does not depend on them and is found once: every type (a slot's type is
in its kind), method names and their arity, the pipeline's nodes and edges,
undefined names, the task type, and the rules of nodes that hold no slot value
or whose kind no rule looks at.

Why it is sound.  The checker reads a value only through two methods:
``derive`` (a value computed from others) and ``flag`` (a check whose finding
depends on values).  Given a placeholder, ``derive`` returns a placeholder for
the computation and ``flag`` records the check and returns "no finding": the
walk goes on as for values that pass, which are the only ones the structure
matters for, since an alert whose deferred check finds something is refused.
For every other alert, each derived value is what the full check computes,
each control-flow decision is the same, so the full check's findings are the
structure phase's, which hold for every value: an alert is taken from the
cache only when the structure phase found nothing and no deferred check finds
anything.  A read anywhere else cannot give a silently wrong answer: every use
of a placeholder -- comparison, hashing, truth, arithmetic, ``str`` and
formatting, ``len``, iteration, indexing, attribute access (also
``getattr`` with a default), ``isinstance`` (through ``__class__``) --
raises ``ValueRead``, a ``BaseException`` so that no ``except Exception`` can
swallow it; the structure phase then gives no structure (so does any other
exception, such as a C function refusing a placeholder), and that shape runs
the full checker on every alert, as before.  tests/test_shape_cache.py breaks
each deferred check in turn and makes derive and flag read placeholders
directly, and the comparison with the full checker must fail, resp. fall back.

Audited, because no placeholder method can intercept them:

* identity tests: ``is None``, ``is UNSET``, ``type(x) is int``.  In the
  checker's walk they apply to tree nodes, types, scope entries and method
  tables, not to values, except two that are meant: an ``.id()`` or
  ``.message()`` text that is a placeholder is kept (the tag check resolves
  it), and a ``groupBy`` group that is a placeholder is a group set, never
  ``UNSET``.  rules.py and start.py test values with ``type(x) is int`` and
  ``is None``, but never see a placeholder: validate_nodes defers any node
  that holds one (``has_placeholder`` over all its fields but its links), so
  they run only on resolved copies;
* the identity shortcut of containers (``p in (p,)``, tuple equality) answers
  without ``__eq__``: sound, since a placeholder resolves to one value per
  alert and no literal is a NaN;
* C functions given a placeholder (``re``, ``str.join``) raise ``TypeError``:
  no structure, as above; the ``lru_cache`` of ``read_query`` and of the Go
  template check hashes its argument: raises;
* exceptions: rules.py, start.py and the checker catch none; the Go template
  code runs only on resolved values (through ``flag``);
* the fields of a slot node that are not placeholders (a string's quoting, a
  number's int/float) are in the slot kind; a regex's validity is checked by
  :func:`_literal`; a reference's name is read only as a dbrp name.

The value phase itself catches any exception as "may find something": the
uncached path then behaves exactly as without the cache.

Positions: the cached tree's positions are those of the alert the shape was
built from; lines are the same for every alert of a shape, columns are not.
The value phase reports no diagnostic, only whether there is one; the
structure phase's diagnostics (which hold for every value of the shape) are
never shown either: any finding sends the alert to the uncached path, whose
diagnostics carry the alert's own positions.  The tree with the alert's values
swapped in is still used, for tickgen's own check of ``dbrp`` names.

The tree is shared by the alerts of a shape and holds one alert's literals at
a time: a lock guards the swap, the structure phase and the value phase, and a
call that finds it held takes the uncached path instead of waiting.

``TICKGEN_SHAPE_CACHE=0`` (or ``Renderer(shape_cache=False)``) turns the cache
off; tests/test_shape_cache.py renders every test input and a random corpus
both ways and compares scripts, payloads and diagnostics.

Measured reason (BENCHMARKS.md, section 1, before and after in one run):
parse and format were a third of an alert's time (959 of 2,951 us on a loaded
machine); with the cache they are 75 us (the first sightings), plus the
cache's own work, which on a 1,000-alert sample, with each of its 84 shapes
built once, is 474 us per alert.  Whole path over 10,000 alerts: 404 -> 563
alerts per CPU second; ``tickgen render`` of one 10,000-alert file, start-up
included: 536 -> 620.  Checking each shape once (the structure and value
phases above), per cache hit over one 10,000-alert file: the full checker took
439 us, the value phase takes 157-165 us, of which about 95 us is parsing the
alert's own Go templates (its ``.id()``), which the full check does too; with
the templates already parsed, 234-338 us against 62-65 us.  Taking each
slot's literal from its escaping function (and building a shape with one parse
instead of two, walking its tree without ``dataclasses.fields`` per node; base
and change alternated, minutes apart): on the 1,000-alert sample the cache's
own work went from 334-380 to 155-164 us per alert, about 55 % less, most of
what is left being the one parse of each of its 84 shapes; on one
10,000-alert file, from 154-181 to 65-68 us; ``tickgen render`` of that file,
start-up included, 8.2 -> 7.3 s of CPU.  Keeping the tree that a shape's first
sighting parsed on the uncached path would save that parse (86-99 us on the
sample), but a tree kept alive outlasts young collections: on a corpus whose
scripts never repeat the collector's time grew sevenfold (0.03 to 0.24-0.37 s
per 2,000 alerts), more than the parse saves on a realistic file (~6 us per
alert).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, NamedTuple, TypeVar

from . import tick
from .tick import ast, checker, quote
from .tick.checker import Analysis, Structure, TaskKind
from .tick.deferred import Slot
from .tick.formatter import format_program
from .tick.parser import parse_formatted
from .tick.quote import LiteralTick
from .tick.re2 import check_regex

__all__ = ["Cached", "ShapeCache", "enabled_by_default", "joined"]

T = TypeVar("T")

_LITERAL_TOKENS = frozenset(
    {
        tick.TokenKind.STRING,
        tick.TokenKind.NUMBER,
        tick.TokenKind.DURATION,
        tick.TokenKind.REGEX,
        tick.TokenKind.REFERENCE,
    }
)
# the fields of each literal node that hold its value (position and comment excluded)
_VALUE_FIELDS: dict[type, tuple[str, ...]] = {
    ast.String: ("value", "triple"),
    ast.Number: ("value", "is_int", "octal"),
    ast.Duration: ("literal", "nanoseconds"),
    ast.Regex: ("literal",),
    ast.Reference: ("name",),
}
# value fields that are part of the slot kind (the same for every alert of a shape):
# they keep their value in the structure phase; the others hold placeholders
_KIND_FIELDS = frozenset(["triple", "is_int"])
# Python's str.splitlines breaks; the lexer counts "\n", this is stricter
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_BEFORE_SLOT = frozenset(" \t\n([,")
_AFTER_SLOT = frozenset(" \t\n)],")
_MAX_SHAPES = 256  # a cached tree is some tens of kB
_MAX_SEEN = 1024  # keys seen once, waiting for a second sighting (a few kB each)
# most values are one alert's own (a name, a message): a small memo holds those that repeat
_MAX_LITERALS = 4096


def enabled_by_default() -> bool:
    return os.environ.get("TICKGEN_SHAPE_CACHE", "1") != "0"


class _Literal(NamedTuple):
    """A fragment that is one literal token: its slot kind, value fields, printed text.

    (A named tuple: one is made per slot of every alert, and a frozen dataclass
    takes three times as long to make.)
    """

    kind: tuple[object, ...]
    node_type: type
    values: tuple[object, ...]
    printed: str


@dataclass(slots=True)
class _Shape:
    program: ast.Program
    slots: list[Any]  # the program's literal nodes, in slot order
    pieces: list[str]  # the canonical text around the slots
    lock: threading.Lock
    # per (task kind, Kapacitor version): the structure phase's check, or None when
    # the checker reads a value where it does not defer (then it runs in full per alert)
    structures: dict[tuple[TaskKind | None, str], Structure | None] = field(
        default_factory=dict
    )


@dataclass(frozen=True, slots=True)
class Cached:
    """What ``parse_canonical`` and ``analyse`` give, with ``inspected`` from the caller.

    ``analysis.diagnostics`` is empty (an alert with any is not cached) and
    ``analysis.kind`` is the script's; ``analysis.pipeline`` is the shape's,
    which holds placeholders where the structure phase did not know a value:
    for the pipeline of one alert (``tickgen graph``), call ``tick.analyse``.
    """

    script: str
    analysis: Analysis
    inspected: object


def _print_literal(node: Any) -> str:
    text = format_program(ast.Program([node]))
    return text[:-1]  # a program ends with a line break


def _literal(fragment: str) -> _Literal | None:
    """The literal that ``fragment`` is on its own, or None if it is no slot."""
    if not fragment or not _LINE_BREAKS.isdisjoint(fragment):
        return None
    tokens = tick.tokenize(fragment)
    if (
        len(tokens) != 2
        or tokens[0].kind not in _LITERAL_TOKENS
        or tokens[0].start != 0
        or len(tokens[0].text) != len(fragment)
        or tokens[1].kind is not tick.TokenKind.EOF
    ):
        return None
    try:
        program = tick.parse(fragment)
    except tick.TickSyntaxError:
        return None
    if len(program.statements) != 1:
        return None
    node = program.statements[0]
    node_type = type(node)
    fields_ = _VALUE_FIELDS.get(node_type)
    if fields_ is None or node.comment is not None or node.pos.offset != 0:  # type: ignore[union-attr]
        return None
    printed = _print_literal(node)
    if not _LINE_BREAKS.isdisjoint(printed):
        return None
    first = fragment[0]
    kind: tuple[object, ...] = (
        tokens[0].kind,
        node_type,
        "digit" if first.isdigit() else first,
        getattr(node, "triple", None),
        getattr(node, "is_int", None),
    )
    return _Literal(kind, node_type, tuple(getattr(node, f) for f in fields_), printed)


_STRING_KIND = (tick.TokenKind.STRING, ast.String, "'", False, None)
_TRIPLE_KIND = (tick.TokenKind.STRING, ast.String, "'", True, None)
_REFERENCE_KIND = (tick.TokenKind.REFERENCE, ast.Reference, '"', None, None)
_REGEX_KIND = (tick.TokenKind.REGEX, ast.Regex, "/", None, None)
_DURATION_KIND = (tick.TokenKind.DURATION, ast.Duration, "digit", None, None)
_INT_KIND = (tick.TokenKind.NUMBER, ast.Number, "digit", None, True)
_FLOAT_KIND = (tick.TokenKind.NUMBER, ast.Number, "digit", None, False)


def _derived(fragment: LiteralTick) -> _Literal | None:
    """What :func:`_literal` gives for ``fragment``, from the function that wrote it
    and the value it wrote, without lexing or parsing (see "Literals from the
    function that wrote them" in the module docstring)."""
    escape, value = fragment.escape, fragment.value
    if escape is quote.string:
        assert isinstance(value, str)
        if not _LINE_BREAKS.isdisjoint(value):
            return None
        triple = value.endswith("\\")  # string() writes only such a value triple-quoted
        kind = _TRIPLE_KIND if triple else _STRING_KIND
        return _Literal(kind, ast.String, (value, triple), fragment)
    if escape is quote.reference:
        assert isinstance(value, str)
        if not _LINE_BREAKS.isdisjoint(value):
            return None
        return _Literal(_REFERENCE_KIND, ast.Reference, (value,), fragment)
    if escape is quote.duration:
        assert isinstance(value, str)
        return _Literal(
            _DURATION_KIND, ast.Duration, (value, quote.duration_nanoseconds(value)), fragment
        )
    if escape is quote.number:
        return _Literal(_INT_KIND, ast.Number, (value, True, False), fragment)
    if escape is quote.float_number:
        return _Literal(_FLOAT_KIND, ast.Number, (value, False, False), fragment)
    if escape is quote.regex:
        assert isinstance(value, str)
        # the parser refuses a regex Go's RE2 does not compile: no slot, as in _literal
        if not _LINE_BREAKS.isdisjoint(value) or check_regex(value.replace("\\/", "/")):
            return None
        return _Literal(_REGEX_KIND, ast.Regex, (value,), fragment)
    return None


def _marker(node_type: type, index: int) -> tuple[object, ...]:
    """Value fields that print as a text found nowhere else in a script (checked)."""
    text = f"\x00{index}\x00"
    if node_type is ast.String:
        return (text, False)
    if node_type is ast.Number:
        return (7_303_030_303_030_303_030_303 + index * 1_000_003, True, False)
    if node_type is ast.Duration:
        return (text, 0)
    return (text,)  # Regex.literal, Reference.name


_NODE_TYPES = frozenset(t for t in vars(ast).values() if isinstance(t, type) and is_dataclass(t))
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a node type that may hold nodes (all but position and comment)."""
    names = _CHILD_FIELDS.get(node_type)
    if names is None:
        names = tuple(f.name for f in fields(node_type) if f.name not in ("pos", "comment"))
        _CHILD_FIELDS[node_type] = names
    return names


def _literal_nodes(program: ast.Program) -> dict[int, Any] | None:
    """Every literal node of ``program`` by source offset; None if two share one."""
    found: dict[int, Any] = {}
    stack: list[Any] = list(program.statements)
    while stack:
        node = stack.pop()
        if type(node) in _VALUE_FIELDS:
            if node.pos.offset in found:
                return None
            found[node.pos.offset] = node
            continue
        for name in _child_fields(type(node)):
            child = getattr(node, name)
            if type(child) is list:
                stack.extend(c for c in child if type(c) in _NODE_TYPES)
            elif type(child) in _NODE_TYPES:
                stack.append(child)
    return found


def joined(segments: list[str], fragments: list[str]) -> str:
    """The rendered text: the segments with the recorded fragments back in place."""
    parts = [segments[0]]
    for fragment, segment in zip(fragments, segments[1:], strict=True):
        parts += (fragment, segment)
    return "".join(parts)


def _set_string(node: ast.String, values: Sequence[object]) -> None:
    node.value, node.triple = values  # type: ignore[assignment]


def _set_number(node: ast.Number, values: Sequence[object]) -> None:
    node.value, node.is_int, node.octal = values  # type: ignore[assignment]


def _set_duration(node: ast.Duration, values: Sequence[object]) -> None:
    node.literal, node.nanoseconds = values  # type: ignore[assignment]


def _set_regex(node: ast.Regex, values: Sequence[object]) -> None:
    (node.literal,) = values  # type: ignore[assignment]


def _set_reference(node: ast.Reference, values: Sequence[object]) -> None:
    (node.name,) = values  # type: ignore[assignment]


# Per literal node type: set its _VALUE_FIELDS, in order, from a sequence of values.
# One assignment per type rather than setattr over _VALUE_FIELDS, because every slot
# of every cache hit is set: 0.25 against 0.99 us per slot (timeit), some 14 us per
# alert of the benchmark's one-file corpus (19 slots an alert).
_SETTERS: dict[type, Callable[[Any, Sequence[object]], None]] = {
    ast.String: _set_string,
    ast.Number: _set_number,
    ast.Duration: _set_duration,
    ast.Regex: _set_regex,
    ast.Reference: _set_reference,
}


def _set(node: Any, values: Sequence[object]) -> None:
    _SETTERS[type(node)](node, values)


class ShapeCache:
    """Per-shape syntax trees and layouts for one renderer (see the module docstring)."""

    def __init__(self) -> None:
        self._literals: dict[str, _Literal | None] = {}
        self._shapes: dict[tuple[object, ...], _Shape | None] = {}
        self._seen: set[tuple[object, ...]] = set()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.full_checks = 0  # hits whose shape the checker cannot split (see _structure)

    def literal(self, fragment: str) -> _Literal | None:
        """The literal ``fragment`` is on its own, or None if it is no slot: from the
        escaping function that wrote it if it says (:func:`_derived`), else from
        lexing and parsing it (:func:`_literal`); both give the same for the same
        text, which is what the memo is keyed by."""
        found = self._literals.get(fragment, _UNBUILT)
        if found is not _UNBUILT:
            return found  # type: ignore[return-value]
        if len(self._literals) >= _MAX_LITERALS:
            self._literals.clear()
        made = _derived(fragment) if type(fragment) is LiteralTick else _literal(fragment)
        self._literals[fragment] = made
        return made

    def key(
        self, template: str, segments: list[str], fragments: list[str]
    ) -> tuple[tuple[object, ...], list[_Literal | None]]:
        """The shape key of a recorded render, and each fragment's literal if it is a slot."""
        parts: list[object] = [template]
        slots: list[_Literal | None] = []
        last = len(fragments) - 1
        for index, fragment in enumerate(fragments):
            before = segments[index]
            parts.append(before)
            literal = None
            if before[-1] in _BEFORE_SLOT if before else index == 0:
                after = segments[index + 1]
                if after[0] in _AFTER_SLOT if after else index == last:
                    literal = self.literal(fragment)
            slots.append(literal)
            parts.append(fragment if literal is None else literal.kind)
        parts.append(segments[-1])
        return tuple(parts), slots

    def canonical(
        self,
        template: str,
        segments: list[str],
        fragments: list[str],
        *,
        kind: TaskKind | None,
        version: str,
        inspect: Callable[[ast.Program], T],
    ) -> Cached | None:
        """The script and check of a recorded render, or None: take the uncached path.

        ``kind`` and ``version`` are the caller's arguments of ``tick.analyse``;
        ``inspect`` runs on the tree with this alert's literals (tickgen's own
        checks of it).
        """
        key, literals = self.key(template, segments, fragments)
        shape = self._shapes.get(key)
        if shape is None:
            if key in self._shapes or not self._build_now(key):
                self.misses += 1
                return None
            shape = self._build(key, segments, fragments, literals)
            if shape is None:
                self.misses += 1
                return None
        slot_literals = [literal for literal in literals if literal is not None]
        if not shape.lock.acquire(blocking=False):
            self.misses += 1
            return None
        try:
            structure = shape.structures.get((kind, version), _UNBUILT)
            if structure is _UNBUILT:
                structure = _structure(shape, kind, version)
                shape.structures[(kind, version)] = structure
            for node, literal in zip(shape.slots, slot_literals, strict=True):
                _set(node, literal.values)
            if structure is None:
                self.full_checks += 1
                analysis = checker.analyse(shape.program, kind, version=version)
                clean = not analysis.diagnostics
            else:
                assert isinstance(structure, Structure)
                clean = structure.clean([literal.values for literal in slot_literals])
                found = structure.analysis
                analysis = Analysis([], found.pipeline, found.kind)
            if not clean:
                # positions are the building alert's: let the uncached path place them
                self.misses += 1
                return None
            inspected = inspect(shape.program)
        finally:
            shape.lock.release()
        pieces = shape.pieces
        out = [pieces[0]]
        for literal, piece in zip(slot_literals, pieces[1:], strict=True):
            out.append(literal.printed)
            out.append(piece)
        self.hits += 1
        return Cached("".join(out), analysis, inspected)

    def _build_now(self, key: tuple[object, ...]) -> bool:
        """Build a shape the second time its key is seen (scripts that never repeat
        cost nothing more than before)."""
        with self._lock:
            if key in self._seen:
                self._seen.discard(key)
                return True
            if len(self._seen) >= _MAX_SEEN:
                self._seen.clear()
            self._seen.add(key)
            return False

    def _build(
        self,
        key: tuple[object, ...],
        segments: list[str],
        fragments: list[str],
        literals: list[_Literal | None],
    ) -> _Shape | None:
        shape = _make_shape(segments, fragments, literals)
        with self._lock:
            if len(self._shapes) >= _MAX_SHAPES:
                del self._shapes[next(iter(self._shapes))]
            self._shapes[key] = shape
        return shape


_UNBUILT = object()


def _structure(shape: _Shape, kind: TaskKind | None, version: str) -> Structure | None:
    """The structure phase of the shape's check: each slot's value fields (but those
    that are part of its kind) hold placeholders (caller holds the shape's lock)."""
    for index, node in enumerate(shape.slots):
        names = _VALUE_FIELDS[type(node)]
        _set(
            node,
            [
                getattr(node, name) if name in _KIND_FIELDS else Slot(index, position)
                for position, name in enumerate(names)
            ],
        )
    return checker.analyse_structure(shape.program, kind, version=version)


def _make_shape(
    segments: list[str], fragments: list[str], literals: list[_Literal | None]
) -> _Shape | None:
    """The cached tree and layout of one shape, verified on this render; None if not cacheable."""
    offsets: list[int] = []
    at = 0
    for segment, fragment, literal in zip(segments, fragments, literals, strict=False):
        at += len(segment)
        if literal is not None:
            offsets.append(at)
        at += len(fragment)
    text = joined(segments, fragments)
    try:
        program, canonical, settled = parse_formatted(text)
        if not settled and tick.parse_canonical(text)[1] != canonical:
            return None  # the layout moves: parse_canonical formats again
    except tick.TickSyntaxError:
        return None
    by_offset = _literal_nodes(program)
    if by_offset is None:
        return None
    slot_literals = [literal for literal in literals if literal is not None]
    slots: list[Any] = []
    for offset, literal in zip(offsets, slot_literals, strict=True):
        node = by_offset.get(offset)
        if type(node) is not literal.node_type:
            return None
        slots.append(node)
    saved = [tuple(getattr(n, f) for f in _VALUE_FIELDS[type(n)]) for n in slots]
    markers: list[str] = []
    for index, node in enumerate(slots):
        _set(node, _marker(type(node), index))
        markers.append(_print_literal(node))
    marked = format_program(program)
    for node, values in zip(slots, saved, strict=True):
        _set(node, values)
    pieces: list[str] = []
    start = 0
    for marker in markers:
        found = marked.find(marker, start)
        if found < 0 or marked.count(marker) != 1:
            return None
        pieces.append(marked[start:found])
        start = found + len(marker)
    pieces.append(marked[start:])
    spliced = [pieces[0]]
    for literal, piece in zip(slot_literals, pieces[1:], strict=True):
        spliced += (literal.printed, piece)
    if "".join(spliced) != canonical:
        return None
    return _Shape(program, slots, pieces, threading.Lock())
