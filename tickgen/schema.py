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
import json
import re
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

__all__ = [
    "ERROR_KEY",
    "POSITIVE_DURATION_PATTERN",
    "SchemaCheck",
    "compile_schema",
    "plain_text",
]

# A subschema may carry the reason it fails under this key (a text, or a
# mapping from keyword to text); the message is then "<value> <reason>"
# instead of the keyword's generic text.
ERROR_KEY = "x-tickgen-error"


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
        # a value of the wrong type fails its other keywords too: say only the type,
        # once (the first schema to say it is the property's own, with its examples)
        mistyped = {_path(e) for e in errors if e.validator == "type"}
        typed: set[tuple[str | int, ...]] = set()
        for error in errors:
            if _path(error) in mistyped:
                if error.validator != "type" or _path(error) in typed:
                    continue
                typed.add(_path(error))
            found.extend(_described(error, self.noun))
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

# Patterns whose rule tickgen can say in words (the schemas' own duration patterns).
_DURATION_RULE = "an integer and one unit of u, µ, ms, s, m, h, d, w"
_DURATION_PATTERNS = {
    f"^{DURATION_RE.pattern}$": ("a duration", _DURATION_RULE),
    POSITIVE_DURATION_PATTERN: (
        "a duration",
        _DURATION_RULE + ", greater than zero",
    ),
}
_DURATION_EXAMPLES = ["10s", "5m", "1h"]
GO_TEMPLATE_KEY = "x-go-template"  # tickgen.gotemplate.models.GO_TEMPLATE_KEY (no import cycle)


def _sorted_types(expected: Any) -> list[str]:
    names = [str(n) for n in (expected if isinstance(expected, list) else [expected])]
    return sorted(names, key=lambda n: _TYPE_ORDER.index(n) if n in _TYPE_ORDER else 99)


def _examples(schema: Mapping[str, Any], fallback: list[str] | None = None) -> list[Any]:
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[:3]
    if "default" in schema and schema["default"] not in ("", None, [], {}):
        return [schema["default"]]
    return fallback or []


def _such_as(examples: list[Any], *, quote: bool = True) -> str:
    if not examples:
        return ""
    if any(isinstance(e, (dict, list)) for e in examples):
        examples = examples[:1]  # one mapping or list says enough
    shown = [_example(e, quote) for e in examples]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f" (such as {listed})"


def _example(value: Any, quote: bool) -> str:
    if isinstance(value, (dict, list)):
        return _plain(value)
    return value if isinstance(value, str) and not quote else _show(value)


def _expected_one(name: str, schema: Mapping[str, Any]) -> str:
    """What a value of JSON type ``name`` must look like under ``schema``, in words.

    Taken from the schema itself: a duration pattern names a duration, an
    ``x-go-template`` marker a Go template, ``enum`` its values, a range its
    bounds, and ``examples`` (or a default) give an example.
    """
    if name == "string":
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and pattern in _DURATION_PATTERNS:
            positive = pattern == POSITIVE_DURATION_PATTERN
            what = "a duration greater than zero" if positive else "a duration"
            examples = _examples(schema, _DURATION_EXAMPLES)
            return what + _such_as(examples, quote=False)
        if schema.get(GO_TEMPLATE_KEY):
            return "a string (Go template text, such as '{{ .ID }} is {{ .Level }}')"
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return "one of " + ", ".join(_show(v) for v in enum)
        return "a string" + _such_as([e for e in _examples(schema) if isinstance(e, str)])
    if name in ("number", "integer"):
        words = "a number" if name == "number" else "a whole number"
        words += _bounds(schema)
        examples = [e for e in _examples(schema) if isinstance(e, (int, float))]
        return words + _such_as(examples)
    if name == "boolean":
        return "a boolean (true/false)"
    if name == "object":
        mappings = [e for e in _examples(schema) if isinstance(e, dict)]
        return "a mapping (key: value)" + _such_as(mappings)
    if name == "array":
        return "a list" + _such_as([e for e in _examples(schema) if isinstance(e, list)])
    return "null" if name == "null" else name


def _bounds(schema: Mapping[str, Any]) -> str:
    """`` from 1 to 10`` / `` above 0 and at most 100`` from a number's range keywords."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f" from {low} to {high}"
    parts = []
    if low is not None:
        parts.append(f"at least {low}")
    elif schema.get("exclusiveMinimum") is not None:
        parts.append(f"above {schema['exclusiveMinimum']}")
    if high is not None:
        parts.append(f"at most {high}")
    elif schema.get("exclusiveMaximum") is not None:
        parts.append(f"below {schema['exclusiveMaximum']}")
    return " " + " and ".join(parts) if parts else ""


def _expected(schema: Mapping[str, Any], expected: Any = None) -> str:
    """Every type ``schema`` allows, in words (``expected`` overrides its ``type``)."""
    names = _sorted_types(schema.get("type") if expected is None else expected)
    words = list(dict.fromkeys(_expected_one(name, schema) for name in names))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _not_a(value: Any, expected: str) -> str:
    """``'high' is not a number``; for a list or mapping, say what it is first."""
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        return f"{_show(value)} is {kind}; write {expected}"
    return f"{_show(value)} is not {expected}"


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


_BOOLEAN_WORDS = {"true", "false", "yes", "no", "on", "off", "1", "0"}


def _boolean_hint(value: Any, expected: Any) -> str:
    """A quoted or spelled-out boolean where a boolean belongs."""
    names = expected if isinstance(expected, list) else [expected]
    if isinstance(value, str) and "boolean" in names and value.strip().lower() in _BOOLEAN_WORDS:
        return " (write true or false without quotes)"
    return ""


def _list_hint(value: Any, expected: Any) -> str:
    """One value where a list belongs: the same value as a list of one."""
    names = expected if isinstance(expected, list) else [expected]
    if names == ["array"] and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return f" (a list of one is written [{_plain(value)}])"
    return ""


def _unit_hint(value: Any, schema: Mapping[str, Any], expected: Any) -> str:
    """A bare number where a duration belongs: a duration needs its unit."""
    names = expected if isinstance(expected, list) else [expected]
    pattern = schema.get("pattern")
    if (
        "string" in names
        and pattern in _DURATION_PATTERNS
        and isinstance(value, int)
        and not isinstance(value, bool)
    ):
        return f"; a duration needs its unit: {value}s, {value}m, ..."
    return ""


def _type_message(value: Any, schema: Mapping[str, Any], expected: Any) -> str:
    return (
        _not_a(value, _expected(schema, expected))
        + _yaml_hint(value, expected)
        + _number_hint(value, expected)
        + _boolean_hint(value, expected)
        + _list_hint(value, expected)
        + _unit_hint(value, schema, expected)
    )


def _property_hint(schema: Mapping[str, Any], name: str) -> str:
    """``: add it, e.g. shift: 1h (How far back ...)`` from the property's own schema."""
    properties = schema.get("properties")
    sub = properties.get(name) if isinstance(properties, Mapping) else None
    if not isinstance(sub, Mapping) or "const" in sub:
        return ""  # a union's tag: each branch would name only its own value
    example = _examples(sub)
    if not example and isinstance(sub.get("pattern"), str) and sub["pattern"] in _DURATION_PATTERNS:
        example = _DURATION_EXAMPLES
    hint = f", e.g. {name}: {_plain(example[0])}" if example else ""
    purpose = _purpose(sub)
    hint += f" ({purpose})" if purpose else ""
    return f"; add it{hint}" if hint else ""


_ROLE = re.compile(r":[a-z:]+:`([^`]+)`")  # :func:`x`
_LITERAL = re.compile(r"``(.+?)``|`([^`]+)`")  # ``x`` (reStructuredText), `x` (Markdown)


def plain_text(text: str) -> str:
    """A description as plain text for a terminal: inline literals of reStructuredText
    (the model docstrings) or Markdown (a user's schema) as 'quoted' words, on one line."""
    text = _ROLE.sub(r"'\1'", text)
    text = _LITERAL.sub(lambda m: f"'{m.group(1) or m.group(2)}'", text)
    return " ".join(text.split())


def _purpose(schema: Mapping[str, Any]) -> str:
    """The first clause of a schema's description: what the value is for."""
    description = schema.get("description")
    if not isinstance(description, str) or not description:
        return ""
    first = plain_text(description).split(". ")[0].split("; ")[0].strip().rstrip(".")
    return first if len(first) <= 120 else first[:117] + "..."


def _plain(value: Any) -> str:
    """A value as it would be written in YAML."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _described(
    error: ValidationError, noun: str
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """:func:`_describe`, but a key that breaks ``propertyNames`` is reported as a key.

    jsonschema checks each key as an instance of its own, at the mapping's path
    (the message would read as if the mapping were the string).
    """
    if "propertyNames" not in error.absolute_schema_path:
        yield from _describe(error, noun)
        return
    key = error.instance
    for path, message in _describe(error, noun):
        if message.startswith(_show(key)):
            message = message[len(_show(key)) :].lstrip()
        yield (*path, key) if isinstance(key, str) else path, f"the key {_show(key)}: {message}"


def _describe(
    error: ValidationError, noun: str = "parameter"
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    path = _path(error)
    kind = str(error.validator)
    value = error.instance
    bound: Any = error.validator_value  # the keyword's value in the schema
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    reason = schema.get(ERROR_KEY)
    if isinstance(reason, Mapping):
        reason = reason.get(kind)  # a reason for this keyword only
    if isinstance(reason, str):
        yield path, f"{_show(value)} {reason}"
    elif kind in ("anyOf", "oneOf"):
        yield from _describe_union(error, noun)
    elif kind == "type":
        yield path, _type_message(value, schema, bound)
    elif kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield path, f"missing required {noun} {missing!r}{_property_hint(schema, missing)}"
    elif kind == "dependentRequired":
        yield path, f"{error.message.replace('is a dependency of', 'is needed with')}"
    elif kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        for extra in extras:
            hint = difflib.get_close_matches(extra, allowed, n=1)
            if hint:
                yield (*path, extra), f"unknown {noun} {extra!r} (did you mean {hint[0]!r}?)"
            elif allowed:
                yield (*path, extra), f"unknown {noun} {extra!r}; allowed: {', '.join(allowed)}"
            else:
                yield (*path, extra), f"unknown {noun} {extra!r}: none is allowed here"
    elif kind == "enum":
        yield path, _one_of(value, list(bound))
    elif kind == "const":
        yield path, f"must be {_show(bound)}, not {_show(value)}"
    elif kind == "pattern":
        yield path, _pattern_message(error)
    elif kind in ("minLength", "maxLength"):
        yield path, _length_message(value, kind, int(bound), schema)
    elif kind in ("minItems", "maxItems"):
        yield path, _items_message(value, kind, int(bound))
    elif kind in ("minProperties", "maxProperties"):
        count = bound
        size = len(value) if isinstance(value, dict) else 0
        if kind == "minProperties":
            need = "must not be an empty mapping" if count == 1 else f"needs at least {count} keys"
            yield path, f"{need} (it has {size})"
        else:
            yield path, f"has {size} keys; at most {count} are allowed"
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield path, _range_message(value, kind, bound, schema)
    elif kind == "multipleOf":
        step = bound
        yield path, f"{_show(value)} is not a multiple of {step}; write one such as {step * 2}"
    elif kind == "uniqueItems":
        yield path, _repeated_message(value)
    elif kind == "not":
        yield path, f"{_show(value)} is not allowed here ({_schema_words(bound)})"
    elif kind == "format":
        yield path, f"{_show(value)} is not a valid {bound}"
    else:
        yield path, error.message


def _schema_words(schema: Any) -> str:
    """A short description of a subschema, for ``not``."""
    if isinstance(schema, Mapping):
        description = schema.get("description")
        if isinstance(description, str) and description:
            return description.rstrip(".")
        if "const" in schema:
            return f"it must not be {_show(schema['const'])}"
        if "enum" in schema:
            return "it must not be one of " + ", ".join(_show(v) for v in schema["enum"])
    return "the schema excludes it"


def _one_of(value: Any, options: list[Any]) -> str:
    listed = ", ".join(_show(option) for option in options)
    suggestion = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
        if not close:  # a case slip: 'Mean' for 'mean'
            close = [str(o) for o in options if str(o).lower() == value.lower()][:1]
        suggestion = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{_show(value)} is not one of {listed}{suggestion}"


def _length_message(value: Any, kind: str, limit: int, schema: Mapping[str, Any]) -> str:
    size = len(value) if isinstance(value, str) else 0
    if kind == "minLength":
        if limit == 1:
            examples = [e for e in _examples(schema) if isinstance(e, str) and e]
            example = f" such as {_show(examples[0])}" if examples else ""
            purpose = _purpose(schema)
            purpose = f" ({purpose})" if purpose else ""
            return f"must not be empty: write a value{example}{purpose}"
        return f"{_show(value)} has {size} characters; write at least {limit}"
    return f"{_show(value)} has {size} characters; write at most {limit}"


def _items_message(value: Any, kind: str, limit: int) -> str:
    size = len(value) if isinstance(value, list) else 0
    if kind == "minItems":
        if limit == 1:
            return "must not be an empty list: give at least one item"
        return f"has {size} item{'s' if size != 1 else ''}; give at least {limit}"
    return f"has {size} items; give at most {limit}"


def _range_message(value: Any, kind: str, bound: Any, schema: Mapping[str, Any]) -> str:
    relation = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "greater than",
        "exclusiveMaximum": "less than",
    }[kind]
    allowed = _bounds(schema)
    both = f" (allowed: {allowed.strip()})" if " and " in allowed or " to " in allowed else ""
    return f"{_show(value)} must be {relation} {bound}{both}"


def _repeated_message(value: Any) -> str:
    if isinstance(value, list):
        seen: list[Any] = []
        repeated: list[Any] = []
        for item in value:
            if item in seen and item not in repeated:
                repeated.append(item)
            seen.append(item)
        if repeated:
            listed = ", ".join(_show(item) for item in repeated)
            return f"lists {listed} more than once; give each item once"
    return "lists an item more than once; give each item once"


def _pattern_message(error: ValidationError) -> str:
    value = error.instance
    pattern = error.validator_value
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if (
        pattern == POSITIVE_DURATION_PATTERN
        and isinstance(value, str)
        and DURATION_RE.fullmatch(value)
    ):
        return (
            f"{_show(value)} is zero: Kapacitor needs a duration greater than zero here "
            f"and refuses the task when it starts; write at least 1{value.lstrip('0')}"
        )
    if pattern in _DURATION_PATTERNS:
        what, rule = _DURATION_PATTERNS[pattern]
        listed = ", ".join(map(str, _examples(schema, _DURATION_EXAMPLES)))
        return f"{_show(value)} is not {what}: write {rule} (for example {listed})"
    # A pattern tickgen cannot put in words: the schema's description and example say
    # what it is for, and the pattern itself is the rule.
    purpose = _purpose(schema)
    what = f" ({purpose})" if purpose else ""
    examples = [e for e in _examples(schema) if isinstance(e, str)]
    write = f"; write one such as {_show(examples[0])}" if examples else ""
    return f"{_show(value)} does not match the pattern {pattern!r}{what}{write}"


def _describe_union(
    error: ValidationError, noun: str
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Explain a failed anyOf/oneOf: follow the branch whose type fits, else list what
    each branch would take."""
    path = _path(error)
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    fitting = [
        sub for sub in error.context or () if not (sub.validator == "type" and _path(sub) == path)
    ]
    if error.validator == "oneOf" and not fitting and not error.context:
        # every branch matched: oneOf needs exactly one
        message = f"{_show(error.instance)} fits more than one of the allowed forms"
        yield path, message + "; make it fit exactly one"
        return
    subs = list(error.context or ())
    if subs and all(sub.validator == "required" and _path(sub) == path for sub in subs):
        # each branch asks for another key: any one of them would do
        named = (sub.message.split("'")[1] for sub in subs if "'" in sub.message)
        missing = list(dict.fromkeys(named))
        if len(missing) > 1:
            listed = ", ".join(map(repr, missing[:-1])) + f" or {missing[-1]!r}"
            yield path, f"missing required {noun}: give {listed}"
            return
    if fitting:
        # branches whose type matched: report their own errors
        best_branch = min({sub.relative_schema_path[0] for sub in fitting})
        for sub in fitting:
            if sub.relative_schema_path[0] == best_branch:
                yield from _describe(sub, noun)
        return
    ranked: dict[str, int] = {}
    names: list[str] = []
    for branch in branches:
        if isinstance(branch, Mapping) and "type" in branch:
            types = _sorted_types(branch["type"])
            rank = _TYPE_ORDER.index(types[0]) if types[0] in _TYPE_ORDER else 99
            ranked.setdefault(_expected(branch), rank)
            names.extend(types)
    words = sorted(ranked, key=ranked.__getitem__) or ["a value of another form"]
    expected = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    yield path, _not_a(error.instance, expected) + _number_hint(error.instance, names)
