"""The project file, ``tickgen.toml``: finding it, reading it, checking it.

A project file says where a project's alerts are (``paths``), its own templates
(``template_dirs``), parameters every alert gets (``defaults``), the Kapacitor
version the offline commands check for, the owner of its tasks, and the servers
it deploys to (``[targets.NAME]``, ``default_target``).  Its shape is
:class:`tickgen.projectmodel.ProjectFile`, whose JSON Schema is shipped as
``schemas/project/tickgen.schema.json``; a file is checked against that schema
and every problem is reported at once, at its line, with its key path.

Kept apart from :mod:`tickgen.deploy` (which imports the HTTP client) because the
offline commands read the file too, and must start without httpx; pydantic,
jsonschema and PyYAML are imported only when a project file is loaded.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, DeployError, ParameterError, Problem
from .textfile import read_text

if TYPE_CHECKING:
    from .catalog import Catalog
    from .params import Document, ProjectDefaults
    from .projectmodel import TargetTable
    from .schema import SchemaCheck

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "CONFIG_ENV",
    "CONFIG_NAME",
    "DEFAULT_KAPACITOR_VERSION",
    "PROJECT_SCHEMA",
    "Project",
    "check_version",
    "find_config",
    "load_project",
    "project_version",
    "read_config",
]

CONFIG_NAME = "tickgen.toml"
CONFIG_ENV = "TICKGEN_CONFIG"
# The project file's schema, under the built-in schemas/ (tickgen._build.schemagen writes it).
PROJECT_SCHEMA = "project/tickgen.schema.json"
# The newest release tickgen supports and tests (1.5.9 and 1.8.3 live, the table
# also against 1.7.x): what offline commands check for unless told otherwise.
DEFAULT_KAPACITOR_VERSION = "1.8"


def find_config(
    path: str | Path | None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Path | None:
    """``path`` (``--config``, which must exist), else ``$TICKGEN_CONFIG`` (which must
    exist too), else ``./tickgen.toml`` if there is one."""
    if path is not None:
        config = Path(path)
        if not config.is_file():
            raise DeployError(
                f"--config {config}: no such file; name the project file ({CONFIG_NAME})"
            )
        return config
    named = (os.environ if env is None else env).get(CONFIG_ENV)
    if named:
        config = Path(named)
        if not config.is_file():
            raise DeployError(
                f"${CONFIG_ENV} is {named}, which is not a file; name the project file "
                f"or unset {CONFIG_ENV} to use ./{CONFIG_NAME}"
            )
        return config
    # relative when found in the current directory: messages then say tickgen.toml:3
    candidate = cwd / CONFIG_NAME if cwd is not None else Path(CONFIG_NAME)
    return candidate if candidate.is_file() else None


def read_config(config: Path) -> dict[str, Any]:
    """The TOML document of ``config``; ConfigError with the line of a syntax error."""
    return _read(config)[1]


def _read(config: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = read_text(config, kind="config file")
    except ParameterError as exc:
        raise ConfigError(exc.problems) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        if at is None:
            raise ConfigError([Problem(f"invalid TOML: {message}", file=str(config))]) from None
        raise ConfigError(
            [
                Problem(
                    f"invalid TOML: {message[: at.start()]} (column {at.group(2)})",
                    file=str(config),
                    line=int(at.group(1)),
                )
            ]
        ) from None
    except RecursionError:
        raise ConfigError(
            [Problem("invalid TOML: nested too deeply", file=str(config))]
        ) from None


def check_version(text: str, where: str) -> str:
    """``text`` if it is a Kapacitor version tickgen can compare; DeployError naming ``where``."""
    # the checker's version parser; its module (Kapacitor's node tables) loads when needed
    from .tick.nodes import parse_version

    try:
        parse_version(text)
    except ValueError as exc:
        raise DeployError(f"{where}: {exc}") from None
    return text.strip()


def project_version(config: Path) -> str | None:
    """The config's top-level ``kapacitor_version``, checked; None when it has none."""
    return load_project(config).kapacitor_version


@dataclass(frozen=True)
class Project:
    """A checked project file; paths are resolved against its directory."""

    path: Path
    document: Document  # the file as read: its values and the lines they are on
    paths: tuple[str, ...]
    template_dirs: tuple[str, ...]
    defaults: Mapping[str, Any]
    default_target: str | None
    kapacitor_version: str | None
    owner: str | None
    targets: Mapping[str, TargetTable]

    @property
    def name(self) -> str:
        return str(self.path)

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        """A problem at the line of ``path`` (a key path such as ``("targets", "prod", "url")``)."""
        from .params import format_path

        return Problem(
            message, file=self.name, line=self.document.line_of(path), path=format_path(path)
        )

    def defaults_source(self) -> ProjectDefaults | None:
        """The ``defaults`` to merge into every alert, with their lines; None without any."""
        from .params import ProjectDefaults

        return ProjectDefaults(self.document, self.defaults) if self.defaults else None

    def default_problems(self, catalog: Catalog) -> list[Problem]:
        """Keys of ``defaults`` that no template of ``catalog`` takes, with a did-you-mean.

        Each alert's merged parameters are checked against its own template (a
        default must suit every alert it reaches); this catches a misspelt key
        even where no alert is read, as when the project file alone is validated.
        """
        taken: set[str] = {"template"}
        for name in catalog.names():
            schema = catalog.get(name).schema
            if schema.get("additionalProperties", True) is not False:
                return []  # a template that takes any parameter: every key may be meant
            taken.update(schema.get("properties", {}))
        problems = []
        for key in self.defaults:
            if key in taken:
                continue
            close = difflib.get_close_matches(key, sorted(taken), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                self.problem(
                    ("defaults", key),
                    f"unknown parameter {key!r}: no template takes it{hint}; templates: "
                    f"{', '.join(catalog.names())}",
                )
            )
        return problems


def load_project(config: Path) -> Project:
    """Read and check a project file; ConfigError lists every problem, each at its line."""
    from .params import Document, format_path
    from .projectmodel import ProjectFile

    text, data = _read(config)
    document = Document(name=str(config), kind="toml", text=text, data=data)
    problems = [
        Problem(_what_to_write(data, path, message), file=str(config),
                line=document.line_of(path), path=format_path(path) or None)
        for path, message in _schema_check().errors(data)
    ]  # fmt: skip
    problems.extend(_meaning_problems(document, data))
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line or 0))
    model = ProjectFile.model_validate(data)
    return Project(
        path=config,
        document=document,
        paths=tuple(_resolve(config, p) for p in model.paths or ()),
        template_dirs=tuple(_resolve(config, p) for p in model.template_dirs or ()),
        defaults=model.defaults,
        default_target=model.default_target,
        kapacitor_version=model.kapacitor_version,
        owner=model.owner,
        targets=model.targets,
    )


# What to write, for the schema's messages that say only what is wrong: by the last
# key of the path (or the missing key) and the end of the message.
_WHAT_TO_WRITE = {
    ("paths", "is not a list"): 'write a list: paths = ["alerts/"]',
    ("template_dirs", "is not a list"): 'write a list: template_dirs = ["templates/"]',
    ("paths", "must not be an empty list"): "name at least one file or directory, or leave "
    "paths out",
    ("template_dirs", "must not be an empty list"): "name at least one directory, or leave "
    "template_dirs out",
    ("targets", "is not a mapping"): 'write one table per server: [targets.NAME] with url = "..."',
    ("defaults", "is not a mapping"): "write a [defaults] table of parameters",
    ("dbrps", "is not a list"): 'write a list: dbrps = [{ db = "telegraf", rp = "autogen" }]',
    ("url", "missing required key"): 'write url = "http://HOST:9092"',
    ("db", "missing required key"): 'write { db = "telegraf", rp = "autogen" }',
    ("rp", "missing required key"): 'write { db = "telegraf", rp = "autogen" }',
}


def _what_to_write(data: Any, path: Sequence[str | int], message: str) -> str:
    """The schema's message, with what to write in TOML where tickgen knows better.

    The schema's own hints are written for parameter files (YAML's spelling of
    lists and booleans); where this table has a hint for the key, the message is
    cut after what is wrong and the TOML hint follows.  A number where the file
    wants text (a version, an owner, a name) is the commonest mistake: TOML reads
    kapacitor_version = 1.8 as a number.
    """
    value: Any = data
    for part in path:
        value = value[part] if isinstance(value, (dict, list)) else None  # type: ignore[index]
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and "is not a string" in message:
        return f'{_cut(message, "is not a string")} (write it in quotes: "{value}")'
    if len(path) == 2 and path[0] == "targets" and "is not a mapping" in message:
        core = _cut(message, "is not a mapping")
        return f'{core}; write a [targets.{path[1]}] table with url = "http://HOST:9092"'
    missing = re.match(r"missing required key '(\w+)'", message)
    key = missing.group(1) if missing else (str(path[-1]) if path else "")
    for (name, ending), hint in _WHAT_TO_WRITE.items():
        if name == key and ending in message:
            return f"{_cut(message, ending)}; {hint}"
    return message.replace(_YAML_BOOLEANS, "")


# the schema's hint for parameter files that TOML does not need (it has no yes/no)
_YAML_BOOLEANS = " (YAML reads on, off, yes and no as true/false: quote the value)"


def _cut(message: str, ending: str) -> str:
    """The message up to and including ``ending`` (for a missing key: and its name)."""
    end = message.index(ending) + len(ending)
    if ending == "missing required key":
        end = message.index("'", message.index("'", end) + 1) + 1
    return message[:end]


def _meaning_problems(document: Document, data: dict[str, Any]) -> list[Problem]:
    """What the schema cannot say: a default target that exists, an id prefix Kapacitor
    takes (letters of any script).  Read from the raw file, so that they are reported
    with the schema's problems, all at once; values of the wrong type are the schema's."""
    from .models import task_id_problem
    from .params import format_path

    def problem(path: tuple[str | int, ...], message: str) -> Problem:
        return Problem(
            message, file=document.name, line=document.line_of(path), path=format_path(path)
        )

    problems = []
    targets = data.get("targets")
    targets = targets if isinstance(targets, dict) else {}
    default = data.get("default_target")
    if isinstance(default, str) and default and default not in targets:
        known = sorted(targets)
        close = difflib.get_close_matches(default, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(
            problem(
                ("default_target",),
                f"no target named {default!r}{hint}; "
                + (f"known: {', '.join(known)}" if known else "add a [targets.NAME] table"),
            )
        )
    for name, table in targets.items():
        prefix = table.get("id_prefix") if isinstance(table, dict) else None
        if isinstance(prefix, str) and prefix and task_id_problem(prefix, whole=False):
            problems.append(
                problem(
                    ("targets", name, "id_prefix"),
                    f"{prefix!r} cannot start a task id: write letters, digits, '-', '.' or '_'",
                )
            )
    return problems


def _resolve(config: Path, raw: str) -> str:
    """``raw`` relative to the directory of ``config``; shown relative to the current
    directory when it is below it (as if typed on the command line there)."""
    path = Path(os.path.normpath(config.parent / raw))
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cache
def _schema_check() -> SchemaCheck:
    import json

    from ._resources import data_dir
    from .schema import SchemaCheck

    schema = json.loads((data_dir("schemas") / PROJECT_SCHEMA).read_text(encoding="utf-8"))
    return SchemaCheck(schema, noun="key")
