"""Parameter files: YAML, JSON or TOML, one alert or many with shared defaults.

A file holds one alert (a mapping with ``template``), a list of alerts, or a
mapping ``{defaults: {...}, alerts: [...]}`` whose defaults are merged into each
alert (mappings merge key by key; lists and scalars are replaced).  Directories
are read recursively, files in sorted order.

Reading is fast: files are loaded with the C YAML loader, ``json`` or
``tomllib``.  Source positions are only needed for error messages, so a
document works them out on demand, the first time a line is asked for.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ParameterError, Problem
from .textfile import read_text, text_problem
from .tomllines import toml_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "PARAMETER_SUFFIXES",
    "TEST_SUFFIXES",
    "AlertSource",
    "Document",
    "ProjectDefaults",
    "alert_sources",
    "document_alerts",
    "expand_paths",
    "format_path",
    "is_parameter_file",
    "is_task_payload",
    "only_rendered_tasks",
    "read_document",
]

PARAMETER_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
# test files of `tickgen test` (tickgen.testing), which live next to parameter files
TEST_SUFFIXES = tuple(f".test{suffix}" for suffix in PARAMETER_SUFFIXES)
_LABELS = {"yaml": "YAML", "json": "JSON", "toml": "TOML"}
# No alert nests this deep; the limit keeps every later recursive step (schema
# checks, hashing, error messages) far from Python's recursion limit.
MAX_DEPTH = 64
# Values YAML aliases may add beyond those written out: an alias bomb ("billion
# laughs") expands a few lines into billions of values.
MAX_ALIAS_EXPANSION = 1_000_000
# Digits of an integer: Python refuses to read more than 4300 (a DoS guard); a
# longer integer is read as infinity and refused, with its path, like one.
_MAX_INT_DIGITS = 4000
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PathPart = str | int


def format_path(parts: Iterable[PathPart]) -> str:
    """``("alerts", 3, "crit")`` -> ``alerts[3].crit``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class Document:
    """One parameter file as loaded, with its source positions worked out lazily."""

    name: str
    kind: str
    text: str
    data: Any
    _lines: dict[tuple[PathPart, ...], int] | None = field(default=None, repr=False)

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        """The 1-based line of the value at ``path`` (or of its nearest parent)."""
        if self._lines is None:
            self._lines = (
                toml_lines(self.text) if self.kind == "toml" else _yaml_positions(self.text)
            )
        parts = tuple(path)
        while parts:
            if parts in self._lines:
                return self._lines[parts]
            parts = parts[:-1]
        return self._lines.get((), None)


def _yaml_positions(text: str) -> dict[tuple[PathPart, ...], int]:
    """Map each path of a YAML (or JSON) document to the line its value starts on."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[PathPart, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[PathPart, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_path = (*path, str(key.value))
                walk(value, key_path)
                lines[key_path] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    if root is not None:
        walk(root, ())
    return lines


class _StrictLoader(_Loader):  # type: ignore[misc,valid-type]
    """The C safe loader, refusing duplicate keys (PyYAML keeps the last one silently)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    keys: list[Any] = []
    plain = type(node) is yaml.MappingNode
    for key_node, _ in node.value:
        if key_node.tag in _SPECIAL_KEY_TAGS:
            plain = False
            if key_node.tag == _MERGE_TAG:
                continue  # "<<: *base": the merged keys may be overridden, that is its point
        key = loader.construct_object(key_node)
        keys.append(key)
        if not _hashable(key):
            continue  # construct_mapping says "found unhashable key" at its line
        if key in seen:
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    if not plain:  # merge keys and "=" keys: PyYAML rewrites the node first
        return loader.construct_mapping(node)
    # What PyYAML's construct_mapping does next, with the keys built above: calling
    # it took 10 us per alert of the benchmark corpus, to build each key again and
    # look for merge keys again.
    mapping: dict[Any, Any] = {}
    for key, (key_node, value_node) in zip(keys, node.value, strict=True):
        if not _hashable(key):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found unhashable key",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node)
    return mapping


def _hashable(key: object) -> bool:
    return type(key) is str or isinstance(key, Hashable)


_MERGE_TAG = "tag:yaml.org,2002:merge"
_SPECIAL_KEY_TAGS = frozenset({_MERGE_TAG, "tag:yaml.org,2002:value"})


def _int_or_infinity(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | float:
    # the length first: counting the digits of every integer cost 1 us per alert
    long = len(node.value) > _MAX_INT_DIGITS
    if long and sum(ch.isdigit() for ch in node.value) > _MAX_INT_DIGITS:
        return -math.inf if node.value.lstrip().startswith("-") else math.inf
    value: int = loader.construct_yaml_int(node)
    return value


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A plain scalar that looks like a date but is not one (2001-13-45): say where."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{node.value!r} is not a date: {exc}; quote it if it is text",
            node.start_mark,
        ) from None


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _int_or_infinity)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _Refused(Exception):
    """A YAML document refused before it is built: why, and the line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _check_aliases(root: yaml.Node) -> None:
    """Refuse recursive aliases, alias bombs and nesting past MAX_DEPTH, before
    any value is built (building them is what hangs or exhausts memory)."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values when expanded, height)
    total, _ = _expand(root, 0, sizes, set())
    if total - len(sizes) > MAX_ALIAS_EXPANSION:
        raise _Refused(
            f"its aliases expand it to {total:,} values, more than {MAX_ALIAS_EXPANSION:,} "
            "beyond those written out (an alias bomb?); write the values out or use fewer "
            "aliases",
            root.start_mark.line + 1,
        )


def _expand(
    node: yaml.Node, depth: int, sizes: dict[int, tuple[int, int]], open_nodes: set[int]
) -> tuple[int, int]:
    """(values ``node`` stands for once its aliases are expanded, its height)."""
    key = id(node)
    known = sizes.get(key)
    if known is not None:
        if depth + known[1] > MAX_DEPTH:
            raise _Refused(
                f"nested more than {MAX_DEPTH} levels deep (through an alias)",
                node.start_mark.line + 1,
            )
        return known
    if key in open_nodes:
        raise _Refused(
            "recursive alias: the value anchored here contains itself", node.start_mark.line + 1
        )
    if depth > MAX_DEPTH:
        raise _Refused(f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1)
    open_nodes.add(key)
    total, height = 1, 0
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            children += (key_node, value_node)
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    for child in children:
        if type(child) is yaml.ScalarNode:
            # What the call below does for a scalar, without the call: most nodes
            # are scalars, and the call per node made this walk 55 us per alert of
            # the benchmark corpus (whose defaults are aliased), now 25 us.
            if id(child) in sizes:  # an alias of a scalar
                if depth + 1 > MAX_DEPTH:
                    raise _Refused(
                        f"nested more than {MAX_DEPTH} levels deep (through an alias)",
                        child.start_mark.line + 1,
                    )
            elif depth + 1 > MAX_DEPTH:
                raise _Refused(
                    f"nested more than {MAX_DEPTH} levels deep", child.start_mark.line + 1
                )
            else:
                sizes[id(child)] = _SCALAR_SIZE
            total += 1
            height = max(height, 1)
            continue
        size, child_height = _expand(child, depth + 1, sizes, open_nodes)
        total += size
        height = max(height, child_height + 1)
    open_nodes.discard(key)
    sizes[key] = (total, height)
    return total, height


_SCALAR_SIZE = (1, 0)  # a scalar stands for one value and has no height


def _load_yaml(text: str) -> Any:
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if "*" in text:  # only aliases can expand or recurse
            _check_aliases(root)
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _data_problems(data: Any) -> list[tuple[tuple[PathPart, ...], str]]:
    """Values no Kapacitor script can hold, and nesting past MAX_DEPTH, with their paths."""
    if not _has_bad_value(data):
        return []
    found: list[tuple[tuple[PathPart, ...], str]] = []
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(data, ())]
    while stack and len(found) < 20:
        value, path = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            found.append(
                (
                    path,
                    f"{value} is not a number Kapacitor can use: write a finite "
                    "number (NaN and infinity, and numbers beyond a float's "
                    "range, have no TICKscript form)",
                )
            )
        elif len(path) > MAX_DEPTH:
            found.append((path, f"nested more than {MAX_DEPTH} levels deep"))
        elif isinstance(value, dict):
            stack.extend((item, (*path, str(k))) for k, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in reversed(list(enumerate(value))))
    return found


def _has_bad_value(data: Any) -> bool:
    """A fast first pass without paths: most files have nothing to report."""
    if not isinstance(data, (dict, list)):
        return isinstance(data, float) and not math.isfinite(data)
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        container, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return True
        for item in container.values() if isinstance(container, dict) else container:
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
            elif isinstance(item, float) and not math.isfinite(item):
                return True
    return False


def _json_int(text: str) -> int | float:
    if len(text) > _MAX_INT_DIGITS:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def _duplicate_key_line(text: str) -> int | None:
    """The line of the first repeated key of a JSON text (json itself gives no position)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                if key_node.value in seen:
                    line: int = key_node.start_mark.line + 1
                    return line
                seen.add(key_node.value)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_document(path: Path, text: str | None = None) -> Document:
    """Load one parameter file; a syntax error is a ParameterError with its line."""
    name = str(path)
    kind = PARAMETER_SUFFIXES.get(path.suffix.lower())
    if path.name == PROJECT_CONFIG:
        raise ParameterError(
            [
                Problem(
                    "this is the project file, not a parameter file: check it with "
                    f"'tickgen validate {name}', or use it with --config {name}",
                    file=name,
                )
            ]
        )
    if kind is None:
        raise ParameterError(
            [Problem("not a parameter file: use .yaml, .yml, .json or .toml", file=name)]
        )
    if text is None:
        text = read_text(path, kind="parameter file")
    else:
        nul = text_problem(text, name)
        if nul is not None:
            raise ParameterError([nul])
    label = _LABELS[kind]
    try:
        if kind == "yaml":
            data = _load_yaml(text)
        elif kind == "json":
            data = json.loads(text, object_pairs_hook=_json_pairs, parse_int=_json_int)
        else:
            data = tomllib.loads(text)
    except _Refused as exc:
        raise ParameterError([Problem(f"{exc}", file=name, line=exc.line)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ParameterError(
            [Problem(f"invalid YAML: {exc.problem or exc}", file=name, line=line)]
        ) from None
    except yaml.YAMLError as exc:
        raise ParameterError([Problem(f"invalid YAML: {exc}", file=name)]) from None
    except RecursionError:
        raise ParameterError(
            [Problem(f"invalid {label}: nested more than {MAX_DEPTH} levels deep", file=name)]
        ) from None
    except json.JSONDecodeError as exc:
        raise ParameterError(
            [Problem(f"invalid JSON: {exc.msg} (column {exc.colno})", file=name, line=exc.lineno)]
        ) from None
    except ValueError as exc:  # duplicate JSON keys, TOML errors
        message = str(exc)
        at = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        line = None
        if at:
            line = int(at.group(1))
            message = message[: at.start()] + f" (column {at.group(2)})"
        elif kind == "json" and message.startswith("duplicate key"):
            line = _duplicate_key_line(text)
        raise ParameterError(
            [Problem(f"invalid {label}: {message}", file=name, line=line)]
        ) from None
    if kind == "json" and is_task_payload(data):
        raise ParameterError([Problem(_PAYLOAD_NOT_PARAMETERS, file=name, line=1)])
    document = Document(name=name, kind=kind, text=text, data=data)
    bad = _data_problems(data)
    if bad:
        raise ParameterError(
            [
                Problem(
                    message, file=name, line=document.line_of(path), path=format_path(path) or None
                )
                for path, message in bad
            ]
        )
    return document


_PAYLOAD_NOT_PARAMETERS = (
    "this is a Kapacitor task payload (as 'tickgen render --payload' or '--out' writes "
    "it), not a parameter file: give the parameter file it was rendered from; name "
    "payloads <id>.task.json so that directories skip them; tickgen lint checks its script"
)

# Files a directory may hold that are not parameter files: template schemas, test
# files, the task payloads `tickgen render --out` writes beside the scripts, and the
# project config.  Named explicitly they are still read (and rejected).
TASK_PAYLOAD_SUFFIX = ".task.json"
_NOT_PARAMETERS = (".schema.json", TASK_PAYLOAD_SUFFIX, *TEST_SUFFIXES)
PROJECT_CONFIG = "tickgen.toml"


def is_task_payload(data: Any) -> bool:
    """Whether ``data`` is a Kapacitor task body as ``tickgen render`` writes it
    (``{id, type, dbrps, script, status}``), or a non-empty list of them.

    No parameter file looks like this: an alert has a ``template``, and none of
    the built-in or user templates takes a ``script``.
    """
    items = data if isinstance(data, list) and data else [data]
    return all(
        isinstance(item, dict)
        and isinstance(item.get("script"), str)
        and isinstance(item.get("id"), str)
        and item.get("type") in ("stream", "batch")
        and "template" not in item
        for item in items
    )


def is_parameter_file(path: Path, root: Path) -> bool:
    """Whether a file found below directory ``root`` is read as a parameter file."""
    if path.suffix.lower() not in PARAMETER_SUFFIXES or not path.is_file():
        return False
    if path.name == PROJECT_CONFIG or path.name.lower().endswith(_NOT_PARAMETERS):
        return False
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the parameter files found below each directory.

    Below a directory, hidden files and folders, template schemas
    (``*.schema.json``), test files (``*.test.yaml`` ...) and the project config
    (``tickgen.toml``) are skipped.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if is_parameter_file(p, path))
            if not found:
                problems.append(Problem(_nothing_here(path), file=str(path)))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem("no such file or directory", file=str(path)))
    if problems:
        raise ParameterError(problems)
    return files


def only_rendered_tasks(directory: Path) -> bool:
    """Whether ``directory`` holds rendered tasks (``*.tick``, ``*.task.json``, as
    ``tickgen render --out`` writes them) and no parameter file."""
    rendered = False
    for path in directory.rglob("*"):
        if is_parameter_file(path, directory):
            return False
        rendered = rendered or path.suffix == ".tick" or path.name.endswith(TASK_PAYLOAD_SUFFIX)
    return rendered


def _nothing_here(directory: Path) -> str:
    """Why a directory gave no parameter files, and what it would need."""
    if only_rendered_tasks(directory):
        return (
            "no parameter files here, only rendered tasks (*.tick, *.task.json, as "
            "'tickgen render --out' writes them); give the directory of the .yaml, .yml, "
            ".json or .toml files they were rendered from (tickgen lint checks the scripts)"
        )
    return "no .yaml, .yml, .json or .toml files here"


@dataclass(frozen=True)
class ProjectDefaults:
    """The ``defaults`` table of the project file (``tickgen.toml``), merged into every
    alert under the alert's own values and its file's ``defaults``."""

    document: Document  # the project file, for the lines of its values
    values: Mapping[str, Any]


@dataclass
class AlertSource:
    """One alert's parameters (defaults merged in) and where they came from."""

    document: Document
    params: dict[str, Any]
    index: int | None  # position in the file's alert list; None for a one-alert file
    listed_under: str | None  # "alerts" for {defaults, alerts}; None for a plain list
    defaults: Mapping[str, Any]
    project: ProjectDefaults | None = None

    def locate(self, path: Sequence[PathPart]) -> tuple[str, int | None]:
        """The displayed JSON path of a parameter, and its line in its file."""
        document, full = self.origin(path)
        return format_path(full), document.line_of(full)

    def origin(self, path: Sequence[PathPart]) -> tuple[Document, tuple[PathPart, ...]]:
        """The file a parameter's value is written in, and its path there.

        A value that came from the file's ``defaults`` is reported where it is
        written, and one from the project's ``defaults`` in the project file.
        """
        own_prefix = self._own_prefix()
        own = self.document.data
        for part in own_prefix:
            own = own[part]
        if not _has_path(own, path):
            if self.defaults and _has_path(self.defaults, path):
                return self.document, ("defaults", *path)
            if self.project is not None and _has_path(self.project.values, path):
                return self.project.document, ("defaults", *path)
        return self.document, (*own_prefix, *path)

    def problem(self, path: Sequence[PathPart], message: str) -> Problem:
        document, full = self.origin(path)
        return Problem(
            message,
            file=document.name,
            line=document.line_of(full),
            path=format_path(full) or None,
        )

    @property
    def line(self) -> int | None:
        """The line the alert starts on (works out the file's positions: for errors only)."""
        return self.document.line_of(self._own_prefix())

    @property
    def label(self) -> str:
        """``file`` or ``file:line`` of the alert, for messages about it as a whole."""
        line = self.line
        return self.document.name if line is None else f"{self.document.name}:{line}"

    @property
    def where(self) -> str:
        """``file (alerts[3])`` without working out a line: cheap enough for every alert."""
        prefix = format_path(self._own_prefix())
        return f"{self.document.name} ({prefix})" if prefix else self.document.name

    def _own_prefix(self) -> tuple[PathPart, ...]:
        if self.index is None:
            return ()
        return (self.index,) if self.listed_under is None else (self.listed_under, self.index)


def _has_path(data: Any, path: Sequence[PathPart]) -> bool:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False
        elif not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return True


def _merge(defaults: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in own.items():
        base = merged.get(key)
        if isinstance(base, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(base, value)
        else:
            merged[key] = value
    return merged


def document_alerts(
    doc: Document, project: ProjectDefaults | None = None
) -> Iterator[AlertSource]:
    """The alerts of one file, with its defaults (and the project's) merged in."""
    data = doc.data
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield _one(doc, item, index, None, {}, project)
        return
    if not isinstance(data, dict):
        raise ParameterError(
            [
                Problem(
                    "expected an alert (a mapping with 'template'), a list of alerts, or "
                    "{defaults: ..., alerts: [...]}",
                    file=doc.name,
                    line=1,
                )
            ]
        )
    if "alerts" not in data:
        yield _one(doc, data, None, None, {}, project)
        return
    extra = sorted(set(data) - {"alerts", "defaults"})
    problems = [
        Problem(
            f"unknown key {key!r} next to 'alerts': a file of several alerts holds only "
            "'defaults' and 'alerts'",
            file=doc.name,
            line=doc.line_of((key,)),
            path=key,
        )
        for key in extra
    ]
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(
            Problem(
                "must be a mapping of parameters shared by the alerts, such as "
                "{database: telegraf}",
                file=doc.name,
                line=doc.line_of(("defaults",)),
                path="defaults",
            )
        )
    alerts = data["alerts"]
    if not isinstance(alerts, list):
        problems.append(
            Problem(
                "must be a list of alerts (each item a mapping such as "
                "{template: threshold, id: cpu_high, ...})",
                file=doc.name,
                line=doc.line_of(("alerts",)),
                path="alerts",
            )
        )
    if problems:
        raise ParameterError(problems)
    for index, item in enumerate(alerts):
        yield _one(doc, item, index, "alerts", defaults, project)


def _one(
    doc: Document,
    item: Any,
    index: int | None,
    under: str | None,
    defaults: Mapping[str, Any],
    project: ProjectDefaults | None,
) -> AlertSource:
    if not isinstance(item, dict):
        prefix: tuple[PathPart, ...] = (
            () if index is None else ((index,) if under is None else (under, index))
        )
        raise ParameterError(
            [
                Problem(
                    "an alert must be a mapping of parameters, such as "
                    "{template: threshold, id: cpu_high, ...}",
                    file=doc.name,
                    line=doc.line_of(prefix),
                    path=format_path(prefix) or None,
                )
            ]
        )
    params = _merge(defaults, item) if defaults else dict(item)
    if project is not None and project.values:
        params = _merge(project.values, params)
    return AlertSource(doc, params, index, under, defaults, project)


def alert_sources(
    paths: Iterable[str | Path], project: ProjectDefaults | None = None
) -> Iterator[AlertSource]:
    """Every alert in the given files and directories, in order."""
    for path in expand_paths(paths):
        yield from document_alerts(read_document(path), project)
