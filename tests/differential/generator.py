"""Random schema-valid parameter sets, driven by the templates' JSON Schemas.

``ParamGenerator(schema, rng, ...)`` walks a template's schema (the one tickgen's
catalog serves, so it stays in step with the schema files) and draws a value
for every keyword our schemas use: ``type`` (also lists), ``const``, ``enum``,
``anyOf``, ``allOf`` of ``if``/``then`` tagged unions (the handler ``kind``
and the condition ``op``), ``$ref`` into ``$defs``, ``properties`` /
``required`` / ``additionalProperties`` / ``propertyNames``, ``items`` /
``minItems``, ``minLength``, ``pattern``, ``minimum`` / ``maximum`` /
``exclusiveMinimum`` and ``x-kapacitor-since``.  Optional properties are
included at random, so over a few hundred sets every option of every handler
is drawn.  A keyword it does not know is an error, so a schema change that
the generator would silently ignore fails the test instead.

Free text is hostile about a third of the time (names a little less): quotes,
backslashes (also trailing), ``'''``, newlines, ``\\r``, ``{{ }}``, ``{% %}``, ``//``,
non-ASCII and very long values.  Where a schema description says a value is a Go
template, the text is valid Go template syntax using the fields of that context
(go-templates.md §2) most of the time, and broken template text otherwise (tickgen
must refuse that, or Kapacitor will).  Properties newer than the target Kapacitor
(``x-kapacitor-since``) and properties naming a section of the server's
configuration (``CONFIG_NAMED``) are left out.

Why not hypothesis-jsonschema (0.23.1): it cannot resolve our ``$defs``
references ("Could not resolve recursive references") and supports drafts 4-7
only, not 2020-12; and a Hypothesis strategy is not driven by a plain integer
seed that a failure message can print.  Every draw of a set here comes from one
``random.Random`` seeded with the run's seed and the set's index, so the two
reproduce the set exactly (``draw``; ``python -m tests.differential.generator``).
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path as FilePath
from typing import Any

import jsonschema
import yaml

from tickgen.catalog import Catalog
from tickgen.models import HTTP_OUT_PATTERN
from tickgen.schema import POSITIVE_DURATION_PATTERN

Path = tuple[str | int, ...]

# Kapacitor's durations are int64 nanoseconds (tick/ast: time.Duration).
_MAX_DURATION_NS = 2**63 - 1
_UNIT_NS = {
    "u": 10**3, "µ": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9,
    "d": 86400 * 10**9, "w": 7 * 86400 * 10**9,
}

# -- hostile text --------------------------------------------------------------------------

PLAIN = ["cpu", "host", "value", "usage_idle", "a", "x1", "Mem.Free", "disk-io", "zone_b"]

HOSTILE = [
    "'",
    '"',
    "\\",
    "\\\\",
    "'''",
    "\\'",
    '\\"',
    "\n",
    "\r",
    "\r\n",
    "\t",
    "{{",
    "}}",
    "{{ }}",
    "{{ .Name",
    "{% if x %}",
    "{%",
    "%}",
    "{#",
    "//",
    "/*",
    "*/",
    "|",
    "lambda:",
    "$",
    "${x}",
    " ",
    "é",
    "日本語",
    "Ω≈ç√",
    "😀",
    "\u200b",
    "\u202e",
    "ß",
    "\x1b[0m",
    "true",
    "10",
    "-1.5e3",
    "var x = 1",
    "dbrp",
    "TRUE",
    "\u00a0",
]

# Go template actions by the fields their context provides
# (/work/shared/reference/go-templates.md §2): idInfo, messageInfo, detailsInfo,
# alert.TemplateData, alerta.eventData, alert.Data, servicenow dataInfo.
_ID_FIELDS = ["Name", "TaskName", "Group"]
_MESSAGE_FIELDS = [*_ID_FIELDS, "ID", "Level", "Time", "Duration"]
_DETAILS_FIELDS = [*_MESSAGE_FIELDS, "Message"]
_DATA_FIELDS = [*_DETAILS_FIELDS, "Details"]
_ALERT_DATA_FIELDS = ["ID", "Message", "Details", "Time", "Duration", "Level"]
_TAGGED = {"id", "message", "details", "data", "event", "servicenow"}
CONTEXT_FIELDS: dict[str, list[str]] = {
    "id": _ID_FIELDS,
    "message": _MESSAGE_FIELDS,
    "details": _DETAILS_FIELDS,
    "data": _DATA_FIELDS,
    "event": ["ID", "Name", "TaskName", "Group"],
    "alert_data": _ALERT_DATA_FIELDS,
    "servicenow": ["ID", "Name", "TaskName"],
}

# which context a template-valued property is executed with; "data" otherwise
_PROPERTY_CONTEXT = {
    ("", "alert_id"): "id",
    ("", "message"): "message",
    ("", "details"): "details",
    ("AlertaHandler", "event"): "event",
    ("KafkaHandler", "template"): "alert_data",
    ("PostHandler", "url"): "alert_data",
    ("ServiceNowHandler", "*"): "servicenow",
}

BROKEN_TEMPLATES = [
    "{{",
    "{{ .Name",
    "{{ }}",
    "{{ end }}",
    "{{ if .Name }}",
    "{{ nosuchfunc .Name }}",
    "{{ .Name | }}",
    '{{ "unterminated }}',
    "{{ range .Tags }}",
    "{{ .Name }}}}{{",
    "{{/* open comment }}",
    "{{ $x }}",
    "{{ index }}x",
]


REDRAWS = 20  # draws of one set before a schema the walk cannot satisfy is an error
OPTIONAL = 0.7  # chance of drawing an optional property: every handler option within 240 sets

# Properties whose value must name a section of kapacitord's configuration, and the
# names the test server has: another name fails at task start whatever tickgen does.
# tests/servers.py configures no [[kafka]] cluster and no [[httppost]] endpoint, so both
# are left out.  Not Kapacitor's registered but disabled kafka "default": a task using it
# starts, and its first event panics kapacitord ("cannot create a kafka writer with an
# empty list of brokers"), which would stop the shared server.
CONFIG_NAMED: dict[tuple[str, str], Sequence[str]] = {
    ("KafkaHandler", "cluster"): (),
    ("PostHandler", "endpoint"): (),
}


_VALIDATORS: dict[int, tuple[Mapping[str, Any], jsonschema.Draft202012Validator]] = {}


def _validator(schema: Mapping[str, Any]) -> jsonschema.Draft202012Validator:
    """One validator per schema object (building one walks the whole schema)."""
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, jsonschema.Draft202012Validator(schema))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


def _is_go_template(spec: Mapping[str, Any]) -> bool:
    """The schema marks a Go template with ``x-go-template`` (or says so in words)."""
    description = str(spec.get("description", ""))
    return (
        "x-go-template" in spec or "Go template" in description or "Go html/template" in description
    )


# contexts of the ``x-go-template`` marks that differ from alert.TemplateData
_MARK_CONTEXT = {
    "id": "id",
    "message": "message",
    "details": "details",
    "alerta.event": "event",
    "kafka.template": "alert_data",
    "post url": "alert_data",
}


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


class GeneratorError(Exception):
    """The schema uses something the generator does not know (update the generator)."""


class ParamGenerator:
    """Draw random parameter sets valid for one template's JSON Schema."""

    KNOWN = frozenset(
        {
            "$schema",
            "title",
            "description",
            "default",
            "examples",
            "type",
            "const",
            "enum",
            "anyOf",
            "allOf",
            "if",
            "then",
            "$ref",
            "$defs",
            "properties",
            "required",
            "additionalProperties",
            "propertyNames",
            "items",
            "minItems",
            "minLength",
            "pattern",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "x-kapacitor-since",
            "x-go-template",
            "x-go-template-unless",
            "x-tickgen-error",  # the message for a failed pattern: nothing to generate
        }
    )

    def __init__(
        self,
        schema: Mapping[str, Any],
        rng: random.Random,
        *,
        kapacitor_version: str,
        log_dir: str,
        hostility: float = 0.35,
        configured: Mapping[tuple[str, str], Sequence[str]] | None = None,
    ) -> None:
        self.schema = schema
        # properties that name a section of the server's configuration, and the names
        # this server has (none by default: such a property is then left out)
        self.configured = dict(CONFIG_NAMED if configured is None else configured)
        self.rng = rng
        self.version = _version_tuple(kapacitor_version)
        self.log_dir = log_dir.rstrip("/")
        self.hostility = hostility
        self.validator = _validator(schema)
        self._def_name = ""

    # -- entry point ---------------------------------------------------------------------

    def generate(self, task_id: str, forced: Mapping[Path, Any] | None = None) -> dict[str, Any]:
        """One schema-valid parameter set; ``forced`` fixes enum/const choices at paths."""
        self._forced = dict(forced or {})
        # Constraints between properties that the walk does not model (a boolean value
        # allows only == and != in a condition) are met by drawing again: the draws
        # still depend on the seed and index alone.
        for _ in range(REDRAWS):
            drawn = self._value(self.schema, ())
            if not isinstance(drawn, dict):
                raise GeneratorError("a template's schema must describe an object")
            # the template name picks the schema, so a file always says it (tickgen needs it)
            params = {"template": self.schema["properties"]["template"]["const"], **drawn}
            params["id"] = task_id
            problems = sorted(self.validator.iter_errors(params), key=lambda e: list(e.path))
            if not problems:
                break
        if problems:
            raise GeneratorError(
                f"generated an invalid set: {problems[0].message} at {list(problems[0].path)}"
            )
        return params

    def handler_kinds(self) -> list[str]:
        """The handler kinds the schema offers that the target Kapacitor has (and that
        need no name of the server's configuration that it lacks: kafka's cluster)."""
        handlers = self.schema.get("properties", {}).get("handlers")
        if handlers is None:
            return []
        items = handlers["items"]
        branches = [part for part in items.get("allOf", ()) if "if" in part]
        return [
            kind
            for kind in items["properties"]["kind"]["enum"]
            if not self._too_new(self._resolve(self._branch(branches, {"kind": kind}))[0])
            and not self._needs_unconfigured(self._branch(branches, {"kind": kind}))
        ]

    # -- schema walk ---------------------------------------------------------------------

    def _resolve(self, spec: Mapping[str, Any]) -> tuple[Mapping[str, Any], str | None]:
        ref = spec.get("$ref")
        if ref is None:
            return spec, None
        prefix = "#/$defs/"
        if not ref.startswith(prefix):
            raise GeneratorError(f"unsupported $ref {ref}")
        name = ref[len(prefix) :]
        return self.schema["$defs"][name], name

    def _too_new(self, spec: Mapping[str, Any]) -> bool:
        since = spec.get("x-kapacitor-since")
        return since is not None and _version_tuple(str(since)) > self.version

    def _value(self, spec: Mapping[str, Any], path: Path, key: str = "") -> Any:
        unknown = set(spec) - self.KNOWN
        if unknown:
            raise GeneratorError(f"schema keyword(s) {sorted(unknown)} at {list(path)}")
        resolved, name = self._resolve(spec)
        if name is not None:
            outer = self._def_name
            self._def_name = name
            try:
                return self._value(resolved, path, key)
            finally:
                self._def_name = outer
        if path in self._forced and ("enum" in spec or "const" in spec):
            return self._forced[path]
        if "const" in spec:
            return spec["const"]
        if "enum" in spec:
            return self.rng.choice(spec["enum"])
        if "anyOf" in spec and "properties" in spec:
            # "at least one of": an object's properties with one branch's demands merged in
            demands = [
                d
                for d in spec["anyOf"]
                if not any(self._unconfigured(r) for r in d.get("required", ()))
            ]
            return self._object(self._merge(spec, self.rng.choice(demands)), path)
        if "anyOf" in spec:
            branches = list(spec["anyOf"])
            nulls = [b for b in branches if b.get("type") == "null"]
            others = [b for b in branches if b.get("type") != "null"]
            branch = self.rng.choice(nulls if nulls and self.rng.random() < 0.25 else others)
            return self._value(branch, path, key)
        types = spec.get("type")
        if types is None and "properties" in spec:
            types = "object"
        if types is None:
            raise GeneratorError(f"no type at {list(path)}")
        if isinstance(types, list):
            choices = [t for t in types if t != "null"] or types
            if "null" in types and self.rng.random() < 0.2:
                return None
            kind = self.rng.choice(choices)
        else:
            kind = types
        if kind == "object":
            return self._object(spec, path)
        if kind == "array":
            return self._array(spec, path, key)
        if kind == "string":
            return self._string(spec, path, key)
        if kind == "integer":
            return self._integer(spec)
        if kind == "number":
            return self._number(spec)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        raise GeneratorError(f"unknown type {kind!r} at {list(path)}")

    def _object(self, spec: Mapping[str, Any], path: Path) -> dict[str, Any]:
        properties: Mapping[str, Any] = spec.get("properties", {})
        required = set(spec.get("required", ()))
        result: dict[str, Any] = {}
        branches = [part for part in spec.get("allOf", ()) if "if" in part]
        if branches:
            # a tagged union: draw the tag, then generate the object its "then" names
            for name in sorted(required):
                sub = dict(properties[name])
                if "enum" in sub and (*path, name) not in self._forced:
                    allowed = [
                        v
                        for v in sub["enum"]
                        if not self._too_new(self._resolve(self._branch(branches, {name: v}))[0])
                        and not self._needs_unconfigured(self._branch(branches, {name: v}))
                    ]
                    sub["enum"] = allowed
                result[name] = self._value(sub, (*path, name), name)
            then = self._branch(branches, result)
            chosen: dict[str, Any] = self._value(then, path)
            return {**chosen, **result}
        for name, sub in properties.items():
            if self._too_new(sub) or self._unconfigured(name):
                continue
            if name not in required and self.rng.random() >= OPTIONAL:
                continue
            if (self._def_name, name) in self.configured:
                result[name] = self.rng.choice(self.configured[self._def_name, name])
            else:
                result[name] = self._value(sub, (*path, name), name)
        extra = spec.get("additionalProperties", False)
        if isinstance(extra, dict):
            names_spec = spec.get("propertyNames", {})
            for _ in range(self.rng.randrange(4)):
                name = self._text(int(names_spec.get("minLength", 0)), name_like=True)
                if name not in properties:
                    result[name] = self._value(extra, (*path, name), name)
        if "if" in spec and _validator(spec["if"]).is_valid(result):
            # a constraint between properties (a boolean value allows only == and !=):
            # draw again just the properties that "then" narrows
            for name, narrower in spec["then"].get("properties", {}).items():
                if name in result:
                    result[name] = self._value({**properties[name], **narrower}, (*path, name), name)
        return result

    @staticmethod
    def _merge(spec: Mapping[str, Any], demand: Mapping[str, Any]) -> dict[str, Any]:
        merged = {k: v for k, v in spec.items() if k != "anyOf"}
        properties = {name: dict(sub) for name, sub in spec["properties"].items()}
        for name, extra in demand.get("properties", {}).items():
            properties[name] = {**properties[name], **extra}
        merged["properties"] = properties
        merged["required"] = [*spec.get("required", ()), *demand.get("required", ())]
        return merged

    def _needs_unconfigured(self, spec: Mapping[str, Any]) -> bool:
        """A branch (a handler kind) that requires a name this server is not configured with."""
        resolved, def_name = self._resolve(spec)
        owner = def_name or self._def_name
        return any(
            not self.configured.get((owner, required), True)
            for required in resolved.get("required", ())
        )

    def _unconfigured(self, name: str) -> bool:
        return not self.configured.get((self._def_name, name), True)

    def _branch(self, branches: Sequence[Mapping[str, Any]], partial: Mapping[str, Any]) -> Any:
        for part in branches:
            if _validator(part["if"]).is_valid(partial):
                return part["then"]
        raise GeneratorError(f"no if/then branch matches {dict(partial)}")

    def _array(self, spec: Mapping[str, Any], path: Path, key: str) -> list[Any]:
        low = int(spec.get("minItems", 0))
        count = low + self.rng.choice([0, 0, 1, 1, 2, 3])
        if any(p[: len(path)] == path and len(p) > len(path) for p in self._forced):
            count = max(count, 1)
        items = spec.get("items", {})
        return [self._value(items, (*path, i), key) for i in range(count)]

    def _integer(self, spec: Mapping[str, Any]) -> int:
        low = spec.get("minimum", -(2**63) + 1)
        high = spec.get("maximum", 2**63 - 1)
        if "exclusiveMinimum" in spec:
            low = max(low, int(spec["exclusiveMinimum"]) + 1)
        picks = [
            low,
            high,
            self.rng.randint(low, high),
            self.rng.randint(low, min(high, low + 100)),
        ]
        if low <= 0 <= high:
            picks.append(0)
        return int(self.rng.choice(picks))

    def _number(self, spec: Mapping[str, Any]) -> float | int:
        low = float(spec.get("minimum", -1e12))
        high = float(spec.get("maximum", 1e12))
        exclusive = "exclusiveMinimum" in spec
        if exclusive:
            low = max(low, float(spec["exclusiveMinimum"]))
        candidates: list[float | int] = [
            self.rng.uniform(low, high),
            round(self.rng.uniform(low, min(high, low + 100)), self.rng.randrange(5)),
            self.rng.randint(int(max(low, -1000)), int(min(high, 1000)))
            if high - low >= 1
            else low,
            high,
            1e-7 if low <= 1e-7 <= high else high,
        ]
        if not exclusive:
            candidates.append(low)
            if low <= 0 <= high:
                candidates += [0, 0.0]
        if high >= 1e300 and low <= -1e300:
            candidates += [1e300, -1e300, 2**63 - 1, -(2**63) + 1]
        value = self.rng.choice(candidates)
        if exclusive and value <= low:
            value = high
        # floats cannot hold the int64 bounds some properties have: keep those exact
        if "minimum" in spec and value < spec["minimum"]:
            value = spec["minimum"]
        if "maximum" in spec and value > spec["maximum"]:
            value = spec["maximum"]
        return value

    # -- strings -------------------------------------------------------------------------

    def _string(self, spec: Mapping[str, Any], path: Path, key: str) -> str:
        low = int(spec.get("minLength", 0))
        pattern = spec.get("pattern")
        if pattern is not None:
            value = self._patterned(pattern, spec)
        elif _is_go_template(spec):
            mark = str(spec.get("x-go-template", ""))
            if mark.startswith("serviceNow."):
                context = "servicenow"
            else:
                context = _MARK_CONTEXT.get(mark) or self._context(key)
            value = self._go_template(context)
            if len(value) < low:
                value += "x" * low
        else:
            value = self._text(low)
        if pattern is not None and not re.search(pattern, value):
            raise GeneratorError(f"no generator for pattern {pattern!r} at {list(path)}")
        return value

    def _patterned(self, pattern: str, spec: Mapping[str, Any]) -> str:
        rng = self.rng
        if pattern == "^[0-9]+(?:ms|u|µ|s|m|h|d|w)$":
            return self._duration(zero=True)
        if pattern == POSITIVE_DURATION_PATTERN:  # greater than zero
            return self._duration(zero=False)
        if pattern == HTTP_OUT_PATTERN:  # parts that Go's path cleaning leaves alone
            parts = []
            for _ in range(rng.randint(1, 3)):
                part = self._text(1).replace("/", "_")
                parts.append(part if part.strip(".") else "x" + part)
            return "/".join(parts)
        if pattern == "^/":
            return f"{self.log_dir}/{self._text(1, name_like=True).replace('/', '_')}.log"
        if pattern == "^0[0-7]{1,4}$":
            return "0" + "".join(rng.choice("01234567") for _ in range(rng.randint(1, 4)))
        if pattern.startswith("^(?:[Mm][Aa][Rr][Kk]"):
            return rng.choice(["", "Markdown", "HTML", "markdown", "html", "hTmL"])
        raise GeneratorError(f"no generator for pattern {pattern!r}")

    def _duration(self, *, zero: bool) -> str:
        """A duration, nearly always one Kapacitor can hold (int64 nanoseconds, about
        292 years): a set holds several, so overflowing ones drawn often would make
        the model refuse most sets before they reach the server.  One in 30 is past
        the limit, which tickgen must refuse."""
        rng = self.rng
        unit = rng.choice(list(_UNIT_NS))
        most = _MAX_DURATION_NS // _UNIT_NS[unit]
        if rng.random() < 1 / 30:
            number = str(most + rng.choice([1, 10**6, 10**12]))  # one past the limit, or far
        else:
            number = rng.choice(
                ["0" if zero else "1", "1", "10", "90", "007", str(rng.randrange(1, 10**6)),
                 str(most)]
            )
            if int(number) > most:
                number = str(most)
        return number + unit

    def _context(self, key: str) -> str:
        if not self._def_name.endswith("Handler") and self._def_name not in (
            "PagerDutyLink",
            "SnmpData",
        ):
            return _PROPERTY_CONTEXT.get(("", key), "data")
        return (
            _PROPERTY_CONTEXT.get((self._def_name, key))
            or _PROPERTY_CONTEXT.get((self._def_name, "*"))
            or "data"
        )

    def _text(self, min_length: int, *, name_like: bool = False) -> str:
        rng = self.rng
        hostility = self.hostility * (0.6 if name_like else 1.0)
        if rng.random() >= hostility:
            value = rng.choice(PLAIN)
        else:
            pieces = []
            for _ in range(rng.randint(1, 4)):
                pieces.append(rng.choice(HOSTILE) if rng.random() < 0.6 else rng.choice(PLAIN))
            if rng.random() < 0.04:
                pieces.append(rng.choice(PLAIN) * rng.randint(200, 1500))
            if rng.random() < 0.1:
                pieces.append("\\")  # a trailing backslash
            value = "".join(pieces)
        while len(value) < min_length:
            value += rng.choice(PLAIN)
        return value

    def _go_template(self, context: str) -> str:
        rng = self.rng
        if rng.random() < self.hostility * 0.5:
            return self._text(0) + rng.choice(BROKEN_TEMPLATES) + self._text(0)
        fields = CONTEXT_FIELDS[context]
        parts: list[str] = []
        for _ in range(rng.randint(0, 4)):
            parts.append(
                self._action(fields, context) if rng.random() < 0.6 else self._template_text()
            )
        return "".join(parts)

    def _template_text(self) -> str:
        # text outside actions: anything but "{{"
        text = self._text(0).replace("{{", "{ {")
        return text[:-1] + "x" if text.endswith("{") else text

    def _action(self, fields: list[str], context: str) -> str:
        rng = self.rng
        field = rng.choice(fields)
        if field == "Level" and context == "alert_data":
            field = "Level.String"
        left, right = rng.choice([("{{", "}}"), ("{{ ", " }}"), ("{{- ", " -}}"), ("{{- ", " }}")])
        choices = [
            f"{left}.{field}{right}",
            f'{left}printf "%v" .{field}{right}',
            f'{left}.{field} | printf "%q"{right}',
            f"{left}html .{field}{right}",
            f"{left}urlquery .{field}{right}",
            f'{left}len "abc"{right}',
            rng.choice(["{{/* a comment */}}", "{{- /* a comment */ -}}"]),
            f"{left}\"quoted \\\" {{{{ }}}} '''\"{right}",
            f"{left}`raw {{{{ \\ text`{right}",
            f"{left}if .{field}{right}yes{left}else{right}no{left}end{right}",
            f"{left}with $v := .{field}{right}{{{{ $v }}}}{left}end{right}",
            f"{left}if and (eq 1 1) (ne 1 2) (lt 1 2){right}ok{left}end{right}",
        ]
        if context in _TAGGED or context == "data":
            choices += [
                f'{left}index .Tags "{rng.choice(PLAIN)}"{right}',
                f"{left}range $k, $v := .Tags{right}{{{{ $k }}}}={{{{ $v }}}};{left}end{right}",
            ]
        if context in ("message", "details", "data"):
            choices += [
                f'{left}index .Fields "value"{right}',
                f'{left}if eq .Level "CRITICAL"{right}!!{left}end{right}',
            ]
        return rng.choice(choices)


# -- one set from a seed and an index --------------------------------------------------------

USER_TEMPLATES = FilePath(__file__).resolve().parents[2] / "examples" / "templates"
TEMPLATES = ("threshold", "relative", "deadman", "disk_free")
# suffixes that make some task ids hostile; a bare "." or ".." is left out: Kapacitor
# stores it but its HTTP paths cannot reach it, so the test could not delete it
_ID_SUFFIXES = ["é", "..", ".x", "-", "_", "日本", " x", "/x", "'", "\\", "{{"]


def draw(
    catalog: Catalog, seed: int, index: int, *, version: str, log_dir: str, attempt: int = 0
) -> tuple[str, dict[str, Any]]:
    """The index-th set of a seed: its template and parameters (independent of the count).

    Templates take turns; so do handler kinds, as the first handler of the
    built-ins, so that a few hundred sets cover every kind with every template.
    ``attempt`` draws another set in the same turn (when tickgen refused the first).
    """
    rng = random.Random(f"{seed}/{index}" if attempt == 0 else f"{seed}/{index}/{attempt}")
    template = TEMPLATES[index % len(TEMPLATES)]
    generator = ParamGenerator(
        catalog.get(template).schema, rng, kapacitor_version=version, log_dir=log_dir
    )
    kinds = generator.handler_kinds()
    turn = (index // len(TEMPLATES)) % len(kinds) if kinds else 0
    forced: dict[Path, Any] = {("handlers", 0, "kind"): kinds[turn]} if kinds else {}
    suffix = rng.choice(_ID_SUFFIXES) if rng.random() < 0.2 else ""
    params = generator.generate(f"diff-{seed}-{index}{suffix}", forced)
    if rng.random() < MODEL_RULES_SHARE:
        meet_model_rules(params, rng)
    return template, params


# Most sets are made to meet the rules tickgen's models check beyond the schema;
# the rest keep what the schema walk drew, so those refusals are still exercised.
MODEL_RULES_SHARE = 0.85
_CONDITIONS = ("crit", "warn", "info")


def meet_model_rules(params: dict[str, Any], rng: random.Random) -> None:
    """Change a schema-valid set so that it also meets the rules between values that
    JSON Schema does not express and tickgen.models checks (each rule below names
    its validator).  Without this, nearly every relative set was refused before
    reaching the server: its five comparisons each drew a string or a boolean
    most of the time, and any one refuses the set."""
    relative = params.get("template") == "relative"
    for name in _CONDITIONS:
        condition = params.get(name)
        if not isinstance(condition, dict):
            continue
        part: Any = condition
        while isinstance(part, dict):  # the condition, its reset, the reset's reset...
            if relative:  # models.comparison_findings: the change is always a float
                for key in ("value", "lower", "upper"):
                    if key in part and isinstance(part[key], (str, bool)):
                        part[key] = round(rng.uniform(-50, 50), 2)
            if (  # models.Range._upper: upper must not be less than lower
                isinstance(part.get("lower"), (int, float))
                and isinstance(part.get("upper"), (int, float))
                and part["upper"] < part["lower"]
            ):
                part["lower"], part["upper"] = part["upper"], part["lower"]
            part = part.get("reset")
    flapping = params.get("flapping")
    if isinstance(flapping, dict) and flapping.get("high", 1) < flapping.get("low", 0):
        # models.Flapping._high: high must not be less than low
        flapping["low"], flapping["high"] = flapping["high"], flapping["low"]
    if relative and params.get("change") == "absolute":
        params.pop("direction", None)  # models.Relative._direction: percent only
    aggregate = params.get("aggregate")
    if isinstance(aggregate, dict):  # models.Aggregate._percentile
        if aggregate.get("function") == "percentile":
            aggregate.setdefault("percentile", rng.choice([50, 90, 95, 99.9]))
        else:
            aggregate.pop("percentile", None)


def main(argv: Sequence[str]) -> int:
    """python -m tests.differential.generator SEED INDEX [VERSION [LOG_DIR]]: print one set."""
    if len(argv) < 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    version = argv[2] if len(argv) > 2 else "1.5.9"
    log_dir = argv[3] if len(argv) > 3 else "/tmp"
    _, params = draw(
        Catalog([USER_TEMPLATES]), int(argv[0]), int(argv[1]), version=version, log_dir=log_dir
    )
    print(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
