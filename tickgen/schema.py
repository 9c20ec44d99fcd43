"""Check parameters against a template's JSON Schema and say what is wrong in words.

Every error is reported at once, each with its JSON path; the messages say what
would be right ("'high' is not a number", "unknown parameter 'feild' (did you
mean 'field'?)") rather than echoing the validator.

Two libraries share the work.  Almost every alert is valid, and for a valid one
all that matters is *that* it is valid: jsonschema-rs (a compiled Draft 2020-12
validator) answers that in microseconds.  jsonschema, which reports every error
with its path and keyword, runs only for an alert jsonschema-rs rejects, to word
what is wrong, and has the last word: an alert is valid exactly when jsonschema
finds no error.  So the results are the same with or without jsonschema-rs
(where it cannot be installed, jsonschema alone decides, only slower), and
tests/test_schema.py compares the two verdicts on generated alerts.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .tick.quote import DURATION_RE

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

try:
    import jsonschema_rs
except ImportError:  # no wheel for this platform: jsonschema alone decides
    jsonschema_rs = None  # type: ignore[assignment]

# A duration literal whose number is not all zeros.  Kapacitor refuses a zero
# window period, shift and deadman/stats interval when the task starts
# (pipeline-validation.md 2.2.1-2.2.3); models use it so editors see it too.
POSITIVE_DURATION_PATTERN = f"^0*[1-9][0-9]*{DURATION_RE.pattern.removeprefix('[0-9]+')}$"

__all__ = ["ERROR_KEY", "POSITIVE_DURATION_PATTERN", "SchemaCheck", "compile_schema"]

# A subschema may carry the reason it fails under this key (a text, or a
# mapping from keyword to text); the message is then "<value> <reason>"
# instead of the keyword's generic text.
ERROR_KEY = "x-tickgen-error"

_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "a boolean (true/false)",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def tag_branches(subschemas: list[Any]) -> tuple[str, dict[str, list[int]]] | None:
    """For ``allOf`` branches that are all ``{if: {properties: {tag: {const|enum}}}, then}``
    with string values: the tag and, per value, the branches whose ``if`` it can pass."""
    tag: str | None = None
    by_value: dict[str, list[int]] = {}
    for index, branch in enumerate(subschemas):
        if not isinstance(branch, Mapping) or set(branch) != {"if", "then"}:
            return None
        condition = branch["if"]
        if not isinstance(condition, Mapping) or set(condition) != {"properties"}:
            return None
        properties = condition["properties"]
        if not isinstance(properties, Mapping) or len(properties) != 1:
            return None
        ((name, test),) = properties.items()
        if tag is not None and name != tag:
            return None
        tag = name
        if not isinstance(test, Mapping):
            return None
        if set(test) == {"const"}:
            values = [test["const"]]
        elif set(test) == {"enum"}:
            values = list(test["enum"])
        else:
            return None
        if not values or not all(isinstance(v, str) for v in values):
            return None
        for value in values:
            by_value.setdefault(value, []).append(index)
    return (tag, by_value) if tag is not None else None


_TAGS: dict[int, tuple[list[Any], tuple[str, dict[str, list[int]]] | None]] = {}


def _all_of(
    validator: Any, all_of: list[Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """allOf, with a direct jump for a tagged union written as if/then branches.

    Checking every ``if`` of a 25-handler union costs milliseconds per alert; an
    ``if`` on another tag value can only pass vacuously, so only the branches
    of the instance's own tag can produce errors.  A mapping without the tag
    passes every ``if``, so every ``then`` applies: the verdict stays exact
    (jsonschema alone decides where jsonschema-rs is missing), but only the
    first failing branch is reported, as the schema's ``required`` already says
    that the tag is missing.
    """
    if isinstance(instance, dict):
        cached = _TAGS.get(id(all_of))
        if cached is None or cached[0] is not all_of:
            cached = (all_of, tag_branches(all_of))
            _TAGS[id(all_of)] = cached
        tagged = cached[1]
        if tagged is not None:
            tag, by_value = tagged
            if tag not in instance:
                for index, branch in enumerate(all_of):
                    errors = list(validator.descend(instance, branch["then"], schema_path=index))
                    if errors:
                        yield from errors
                        return
                return
            value = instance[tag]
            for index in by_value.get(value, ()) if isinstance(value, str) else ():
                yield from validator.descend(instance, all_of[index]["then"], schema_path=index)
            return
    for index, subschema in enumerate(all_of):
        yield from validator.descend(instance, subschema, schema_path=index)


def compile_schema(schema: Mapping[str, Any], *, check: bool = True) -> Any:
    """jsonschema's Draft 2020-12 validator for ``schema``, with the tagged-union jump.

    jsonschema is imported here, not at the top: a run whose alerts are all
    valid never needs it when jsonschema-rs is there (it costs 0.1 s to import).
    """
    from jsonschema import Draft202012Validator, validators

    if check:
        Draft202012Validator.check_schema(schema)
    extended = validators.extend(Draft202012Validator, {"allOf": _all_of})  # type: ignore[no-untyped-call]
    return extended(schema)


def _refuse_retrieval(uri: str) -> Any:
    # jsonschema resolves no remote $ref either; nothing is fetched over the network
    raise ValueError(f"cannot resolve {uri}: only references inside the schema are followed")


def _fast_predicate(schema: Mapping[str, Any]) -> Callable[[Any], bool] | None:
    """jsonschema-rs's ``is_valid`` for ``schema``, or None where it cannot be had.

    None when jsonschema-rs is not installed, and when it cannot build a
    validator for the schema (a pattern its regex engine does not take, a
    reference it cannot resolve, a schema it finds invalid): jsonschema then
    checks every instance, and decides whether the schema itself is valid.
    """
    if jsonschema_rs is None:
        return None
    try:
        jsonschema_rs.meta.validate(dict(schema))
        validator = jsonschema_rs.Draft202012Validator(
            dict(schema), retriever=_refuse_retrieval
        )
    except Exception:  # any refusal means: let jsonschema decide
        return None
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


class SchemaCheck:
    """A compiled schema that turns validation errors into (path, message) pairs."""

    def __init__(self, schema: Mapping[str, Any], *, noun: str = "parameter") -> None:
        self.schema = schema
        self.noun = noun  # what a key is called in messages: "unknown parameter 'x'"
        self._valid = _fast_predicate(schema)
        self._validator: Any = None
        if self._valid is None:
            self._validator = compile_schema(schema)  # raises when the schema is invalid

    def errors(self, instance: Any) -> list[tuple[tuple[str | int, ...], str]]:
        """Every problem with ``instance`` as (JSON path, message); empty when it is valid.

        jsonschema-rs recognises a valid instance; jsonschema runs only for an
        instance it rejects, to find what is wrong (and finds nothing if the two
        disagree: jsonschema's verdict is the one that counts).
        """
        if self._valid is not None:
            try:
                if self._valid(instance):
                    return []
            except Exception:
                pass  # a value jsonschema-rs cannot take (a date, an int key): jsonschema decides
        if self._validator is None:
            self._validator = compile_schema(self.schema, check=False)
        found: list[tuple[tuple[str | int, ...], str]] = []
        errors = list(self._validator.iter_errors(instance))
        # a value of the wrong type fails its other keywords too: say only the type
        mistyped = {_path(e) for e in errors if e.validator == "type"}
        for error in errors:
            if error.validator != "type" and _path(error) in mistyped:
                continue
            found.extend(_describe(error, self.noun))
        # one message per place and text, in document order of the paths
        unique = dict.fromkeys(found)
        return sorted(unique, key=lambda item: [str(p) for p in item[0]])


def _path(error: ValidationError) -> tuple[str | int, ...]:
    return tuple(error.absolute_path)


def _show(value: Any) -> str:
    text = repr(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    return text if len(text) <= 60 else text[:57] + "..."


# the order types are named in: the likeliest meaning first ("a number, a string or
# a boolean", never "not a boolean" first for a value that should be a number)
_TYPE_ORDER = ("number", "integer", "string", "boolean", "object", "array", "null")


def _type_words(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    names = sorted(names, key=lambda n: _TYPE_ORDER.index(n) if n in _TYPE_ORDER else 99)
    words = [_TYPE_WORDS.get(str(name), str(name)) for name in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _not_a(value: Any, expected: Any) -> str:
    """``'high' is not a number``; for a list or mapping, say what it is first."""
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        return f"{_show(value)} is {kind}; write {_type_words(expected)}"
    return f"{_show(value)} is not {_type_words(expected)}"


def _yaml_hint(value: Any, expected: Any) -> str:
    """YAML 1.1 reads on/off/yes/no as booleans; say so when a string was meant."""
    names = expected if isinstance(expected, list) else [expected]
    if isinstance(value, bool) and "string" in names and "boolean" not in names:
        return " (YAML reads on, off, yes and no as true/false: quote the value)"
    return ""


def _number_hint(value: Any, expected: Any) -> str:
    """A quoted number where a number belongs: say how to write it."""
    names = expected if isinstance(expected, list) else [expected]
    if isinstance(value, str) and ("number" in names or "integer" in names):
        try:
            number = float(value)
        except ValueError:
            return ""
        if number == number and abs(number) != float("inf"):
            shown = value.strip()
            return f" (write the number without quotes: {shown})"
    return ""


def _describe(
    error: ValidationError, noun: str = "parameter"
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    path = _path(error)
    kind = error.validator
    value = error.instance
    reason = error.schema.get(ERROR_KEY) if isinstance(error.schema, Mapping) else None
    if isinstance(reason, Mapping):
        reason = reason.get(kind)  # a reason for this keyword only
    if isinstance(reason, str):
        yield path, f"{_show(value)} {reason}"
    elif kind in ("anyOf", "oneOf"):
        yield from _describe_union(error, noun)
    elif kind == "type":
        expected = error.validator_value
        yield path, _not_a(value, expected) + _yaml_hint(value, expected) + _number_hint(
            value, expected
        )
    elif kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield path, f"missing required {noun} {missing!r}"
    elif kind == "additionalProperties":
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        allowed = sorted(schema.get("properties", {}))
        extras = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        for extra in extras:
            hint = difflib.get_close_matches(extra, allowed, n=1)
            if hint:
                yield (*path, extra), f"unknown {noun} {extra!r} (did you mean {hint[0]!r}?)"
            else:
                yield (*path, extra), f"unknown {noun} {extra!r}; allowed: {', '.join(allowed)}"
    elif kind in ("enum", "const"):
        expected_values: Any = error.validator_value
        options: list[Any] = list(expected_values) if kind == "enum" else [expected_values]
        listed = ", ".join(_show(option) for option in options)
        suggestion = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else ""
        yield path, f"{_show(value)} is not one of {listed}{suggestion}"
    elif kind == "pattern":
        yield path, _pattern_message(error)
    elif kind == "minLength":
        yield path, "must not be empty"
    elif kind == "minItems":
        count = error.validator_value
        yield path, "must not be an empty list" if count == 1 else f"needs at least {count} items"
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "greater than",
            "exclusiveMaximum": "less than",
        }[str(kind)]
        yield path, f"{_show(value)} must be {relation} {error.validator_value}"
    elif kind == "uniqueItems":
        yield path, "lists an item more than once"
    else:
        yield path, error.message


def _pattern_message(error: ValidationError) -> str:
    value = error.instance
    if error.validator_value == f"^{DURATION_RE.pattern}$":
        return (
            f"{_show(value)} is not a duration: write an integer and one unit of "
            "u, µ, ms, s, m, h, d, w (for example 10s, 5m, 1h)"
        )
    if error.validator_value == POSITIVE_DURATION_PATTERN:
        if isinstance(value, str) and DURATION_RE.fullmatch(value):
            return (
                f"{_show(value)} is zero: Kapacitor needs a duration greater than zero here "
                f"and refuses the task when it starts; write at least 1{value.lstrip('0')}"
            )
        return (
            f"{_show(value)} is not a duration: write an integer and one unit of "
            "u, µ, ms, s, m, h, d, w, greater than zero (for example 10s, 5m, 1h)"
        )
    return f"{_show(value)} does not match the pattern {error.validator_value!r}"


def _describe_union(
    error: ValidationError, noun: str
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Explain a failed anyOf: follow the branch whose type fits, else list the types."""
    path = _path(error)
    fitting = [
        sub for sub in error.context or () if not (sub.validator == "type" and _path(sub) == path)
    ]
    if fitting:
        # branches whose type matched: report their own errors
        best_branch = min({sub.relative_schema_path[0] for sub in fitting})
        for sub in fitting:
            if sub.relative_schema_path[0] == best_branch:
                yield from _describe(sub, noun)
        return
    expected: list[str] = []
    for sub in error.context or ():
        names = (
            sub.validator_value if isinstance(sub.validator_value, list) else [sub.validator_value]
        )
        expected.extend(str(name) for name in names if str(name) not in expected)
    yield path, _not_a(error.instance, expected) + _number_hint(error.instance, expected)
