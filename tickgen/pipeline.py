"""Parameter files -> validated alerts -> rendered tasks, in one streaming pass.

Each alert is checked against its template's JSON Schema, then built into its
pydantic model (built-ins), then rendered and checked.  Problems are collected
across every file so a user sees all of them at once; once one is found,
rendering stops (there is nothing to print) but validation goes on.  Nothing
is kept per alert beyond its id, so memory stays flat however many there are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from .catalog import Catalog, TemplateInfo
from .errors import ParameterError, Problem, TemplateError
from .gotemplate import model_problems
from .handlers import parse_version, version_problems
from .models import Alert, CustomAlert, parameter_findings
from .params import AlertSource, ProjectDefaults, document_alerts, expand_paths, read_document
from .render import RenderedTask, Renderer, shared_renderer

Reading = Callable[[], AbstractContextManager[object]]
"""What a caller wraps around the reading of each parameter file."""

__all__ = ["LoadedAlert", "iter_loaded", "load", "render_paths", "run"]


@dataclass(frozen=True)
class LoadedAlert:
    alert: Alert
    source: AlertSource
    warnings: tuple[Problem, ...] = ()  # likely mistakes in the parameters, located


def _pydantic_problems(source: AlertSource, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        path = _data_path(source.params, error["loc"])
        message = str(error["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        problems.append(source.problem(path, message))
    return problems


def _data_path(data: Any, loc: Sequence[str | int]) -> list[str | int]:
    """Keep the parts of a pydantic location that exist in the data (drop union tags)."""
    path: list[str | int] = []
    for part in loc:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if in_mapping or in_list:
            data = data[part]
            path.append(part)
    return path


class Checked(NamedTuple):
    """One alert checked: its model, or the problems with it; and its warnings."""

    alert: Alert | None
    problems: list[Problem]
    # likely mistakes (a quoted number), each at its file, line and path
    warnings: tuple[Problem, ...] = ()


def validate_source(source: AlertSource, catalog: Catalog, kapacitor_version: str) -> Checked:
    """Check one alert; return its model, or the problems with it."""
    params = source.params
    name = params.get("template")
    if name is None:
        missing = f"missing required parameter 'template' (one of: {', '.join(catalog.names())})"
        return Checked(None, [source.problem((), missing)])
    info = catalog.find(name) if isinstance(name, str) else None
    if info is None:
        unknown = f"unknown template {name!r}; known templates: {', '.join(catalog.names())}"
        return Checked(None, [source.problem(("template",), unknown)])
    try:
        problems = [source.problem(path, message) for path, message in info.check.errors(params)]
    except RecursionError:
        raise TemplateError(
            f"{info.schema_path}: checking parameters against the schema recursed without "
            "end: does a $ref refer to itself without descending into the value?",
            template=info.name,
        ) from None
    if problems:
        return Checked(None, problems)
    alert = _build(source, info)
    if isinstance(alert, list):
        return Checked(None, alert)
    if not isinstance(alert, CustomAlert):
        for rel, message in version_problems(alert.handlers, kapacitor_version):
            problems.append(source.problem(("handlers", *_split_rel(rel)), message))
        # Kapacitor parses these when the task starts, after it has been stored.
        for template_path, message in model_problems(alert, parse_version(kapacitor_version)):
            problems.append(source.problem(template_path, message))
        warnings = []
        for path, message, severity in parameter_findings(alert):
            if severity == "error":
                problems.append(source.problem(path, message))
            else:
                warnings.append(source.problem(path, message))
        if not problems:
            return Checked(alert, [], tuple(warnings))
    return Checked(None, problems) if problems else Checked(alert, [])


def _split_rel(rel: str) -> list[str | int]:
    """``[2].to_templates`` -> ``[2, "to_templates"]``."""
    parts: list[str | int] = []
    for piece in rel.replace("[", ".[").split("."):
        if not piece:
            continue
        if piece.startswith("[") and piece.endswith("]"):
            parts.append(int(piece[1:-1]))
        else:
            parts.append(piece)
    return parts


def _build(source: AlertSource, info: TemplateInfo) -> Alert | list[Problem]:
    if info.model is None:
        return CustomAlert(template=info.name, params=source.params)
    model: type[BaseModel] = info.model
    try:
        built = model.model_validate(source.params)
    except ValidationError as exc:
        return _pydantic_problems(source, exc)
    return built  # type: ignore[return-value]


def iter_loaded(
    paths: Iterable[str | Path],
    catalog: Catalog,
    kapacitor_version: str,
    problems: list[Problem],
    project: ProjectDefaults | None = None,
    reading: Reading = nullcontext,
) -> Iterator[LoadedAlert]:
    """Valid alerts in order; problems (also duplicate ids) are appended to ``problems``.

    ``project``: the project file's defaults, merged into every alert.  ``reading``:
    entered around the reading of each file (the command pauses the cyclic
    collector there: tickgen.cli.collector_paused).
    """
    seen: dict[str, str] = {}
    in_project = _ProjectProblems(project)
    try:
        files = expand_paths(paths)
    except ParameterError as exc:
        problems.extend(exc.problems)
        return
    for path in files:
        try:
            with reading():
                sources = list(document_alerts(read_document(path), project))
        except ParameterError as exc:
            problems.extend(exc.problems)
            continue
        for source in sources:
            alert, found, warnings = validate_source(source, catalog, kapacitor_version)
            if project is not None:
                found = in_project.once(found, source)
                warnings = tuple(in_project.once(list(warnings), source))
            task_id = source.params.get("id")
            if isinstance(task_id, str) and task_id:
                if task_id in seen:
                    found.append(
                        source.problem(
                            ("id",),
                            f"duplicate task id {task_id!r}: also defined at {seen[task_id]}",
                        )
                    )
                    alert = None
                else:
                    seen[task_id] = source.where
            if found:
                problems.extend(found)
            elif alert is not None:
                yield LoadedAlert(alert, source, warnings)


class _ProjectProblems:
    """A problem in the project's defaults is one problem, however many alerts share it.

    It is reported once, at its line of the project file, with the first alert
    it was found in (a default can be wrong for one template and right for another).
    """

    def __init__(self, project: ProjectDefaults | None) -> None:
        self.name = project.document.name if project is not None else None
        self.reported: set[tuple[int | None, str | None, str]] = set()

    def once(self, problems: list[Problem], source: AlertSource) -> list[Problem]:
        kept: list[Problem] = []
        for problem in problems:
            if problem.file != self.name:
                kept.append(problem)
                continue
            key = (problem.line, problem.path, problem.message)
            if key not in self.reported:
                self.reported.add(key)
                merged = f"{problem.message} (merged into the alert of {source.where})"
                kept.append(dataclasses.replace(problem, message=merged))
        return kept


def run(
    paths: Iterable[str | Path],
    renderer: Renderer,
    on_task: Callable[[RenderedTask], None],
    *,
    project: ProjectDefaults | None = None,
    reading: Reading = nullcontext,
) -> list[Problem]:
    """Validate everything; render (and hand to ``on_task``) while no problem is found.

    ``reading`` is entered around the reading of each file (see :func:`iter_loaded`)."""
    return _run(paths, renderer, lambda task, _source: on_task(task), project, reading)


def run_located(
    paths: Iterable[str | Path],
    renderer: Renderer,
    on_task: Callable[[RenderedTask, AlertSource], None],
    *,
    project: ProjectDefaults | None = None,
    reading: Reading = nullcontext,
) -> list[Problem]:
    """:func:`run`, handing each task with the parameters it came from (for findings)."""
    return _run(paths, renderer, on_task, project, reading)


def _run(
    paths: Iterable[str | Path],
    renderer: Renderer,
    on_task: Callable[[RenderedTask, AlertSource], None],
    project: ProjectDefaults | None,
    reading: Reading,
) -> list[Problem]:
    problems: list[Problem] = []
    version = renderer.kapacitor_version
    loading = iter_loaded(paths, renderer.catalog, version, problems, project, reading)
    for loaded in loading:
        if problems:
            continue
        try:
            # "file (alerts[3])", not "file:line": lines cost a second parse of the file
            # validated: iter_loaded checked it for this version, with located warnings
            task = renderer.render(
                loaded.alert, source=loaded.source.where, validated=loaded.warnings
            )
        except TemplateError as exc:
            source = loaded.source
            problems.append(Problem(str(exc), file=source.document.name, line=source.line))
            continue
        on_task(task, loaded.source)
    return problems


def load(
    paths: str | Path | Iterable[str | Path],
    *,
    template_dirs: Sequence[str | Path] = (),
    kapacitor_version: str | None = None,
    project: ProjectDefaults | None = None,
) -> list[Alert]:
    """Read and validate parameter files and directories.

    ``project``: the defaults of a project file, merged into every alert (as
    :func:`render_paths` takes them).  Raises ParameterError with every problem found.
    """
    renderer = shared_renderer(template_dirs, kapacitor_version)
    problems: list[Problem] = []
    path_list = [paths] if isinstance(paths, (str, Path)) else list(paths)
    version = renderer.kapacitor_version
    loading = iter_loaded(path_list, renderer.catalog, version, problems, project)
    alerts = [loaded.alert for loaded in loading]
    if problems:
        raise ParameterError(problems)
    return alerts


def render_paths(
    paths: str | Path | Iterable[str | Path],
    *,
    template_dirs: Sequence[str | Path] = (),
    kapacitor_version: str | None = None,
    renderer: Renderer | None = None,
    project: ProjectDefaults | None = None,
) -> list[RenderedTask]:
    """Render every alert in the given files; raise ParameterError with every problem.

    ``project``: the defaults of a project file, merged into every alert.
    """
    renderer = renderer or shared_renderer(template_dirs, kapacitor_version)
    path_list = [paths] if isinstance(paths, (str, Path)) else list(paths)
    tasks: list[RenderedTask] = []
    problems = run(path_list, renderer, tasks.append, project=project)
    if problems:
        raise ParameterError(problems)
    return tasks
