"""Test files and the alerts they name: loaded, checked, with every problem at file:line.

``tickgen test PATHS``: a path is a test file (``*.test.yaml``, ``.yml``,
``.json``, ``.toml``), a parameter file, or a directory, whose test files are
run (its parameter files are not read: a test file names its own in
``params``).  The alerts of every parameter file given on the command line,
and of each test file's ``params``, are known by task id to every test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import ParameterError, Problem
from ..models import Alert, Deadman
from ..params import TEST_SUFFIXES, Document, ProjectDefaults, format_path, read_document
from ..pipeline import LoadedAlert, _data_path, iter_loaded
from ..render import DEFAULT_KAPACITOR_VERSION, Renderer
from .spec import TestCase, TestFile

__all__ = ["LoadedCase", "Suite", "is_test_file", "load_suite"]


def is_test_file(path: Path) -> bool:
    return path.name.lower().endswith(TEST_SUFFIXES)


@dataclass(frozen=True)
class LoadedCase:
    """One test as read, with where it was written and what it tests."""

    case: TestCase
    file: str
    line: int | None
    alert: Alert | None  # None for a .tick test
    alert_source: str  # "file (alerts[2])" or the .tick path
    tick_path: Path | None = None

    @property
    def label(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass
class Suite:
    cases: list[LoadedCase] = field(default_factory=list)
    template_dirs: list[str] = field(default_factory=list)


def _split(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[Problem]]:
    tests: list[Path] = []
    params: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and is_test_file(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            tests.extend(found)
            if not found:
                problems.append(Problem("no test files (*.test.yaml, ...) here", file=str(path)))
        elif is_test_file(path):
            tests.append(path) if path.exists() else problems.append(
                Problem("no such file", file=str(path))
            )
        else:
            params.append(path)
    if not tests and not problems:
        problems.append(
            Problem(
                "no test files given: name *.test.yaml (.yml, .json, .toml) files or directories "
                "holding them; parameter files alone only provide the alerts"
            )
        )
    return tests, params, problems


def _pydantic_problems(doc: Document, exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        path = _data_path(doc.data, error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing":
            message = f"missing required key {error['loc'][-1]!r}"
        elif error["type"] == "extra_forbidden":
            message = f"unknown key {error['loc'][-1]!r}"
        problems.append(
            Problem(message, file=doc.name, line=doc.line_of(path), path=format_path(path) or None)
        )
    return problems


def load_suite(
    paths: Sequence[str | Path],
    *,
    template_dirs: Sequence[str] = (),
    kapacitor_version: str = DEFAULT_KAPACITOR_VERSION,
    project: ProjectDefaults | None = None,
) -> tuple[Suite, Renderer]:
    """Every test in ``paths`` with its alert; ParameterError lists every problem.

    The alerts are validated for ``kapacitor_version``; the runner renders them
    again for the version of the server they run on.
    """
    test_paths, param_paths, problems = _split(paths)
    files: list[tuple[Document, TestFile]] = []
    all_templates = list(template_dirs)
    for path in test_paths:
        try:
            doc = read_document(path)
        except ParameterError as exc:
            problems.extend(exc.problems)
            continue
        try:
            test_file = TestFile.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(doc, exc))
            continue
        for name in test_file.params:
            param_paths.append(path.parent / name)
        all_templates.extend(str(path.parent / name) for name in test_file.templates)
        files.append((doc, test_file))
    renderer = Renderer(all_templates, kapacitor_version=kapacitor_version)
    alerts: dict[str, LoadedAlert] = {}
    unique: list[Path] = []
    for path in param_paths:
        if path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    loading = iter_loaded(unique, renderer.catalog, renderer.kapacitor_version, problems, project)
    for loaded in loading:
        alerts[loaded.alert.id] = loaded
    suite = Suite(template_dirs=all_templates)
    for doc, test_file in files:
        for index, case in enumerate(test_file.tests):
            line = doc.line_of(["tests", index])
            if case.tick is not None:
                tick_path = Path(doc.name).parent / case.tick
                if not tick_path.is_file():
                    problems.append(
                        Problem(
                            f"no such .tick file: {tick_path}",
                            file=doc.name,
                            line=doc.line_of(["tests", index, "tick"]),
                            path=f"tests[{index}].tick",
                        )
                    )
                    continue
                suite.cases.append(
                    LoadedCase(case, doc.name, line, None, str(tick_path), tick_path)
                )
                continue
            found = alerts.get(case.alert or "")
            if found is None:
                known = (
                    ", ".join(sorted(alerts))
                    or "none: name parameter files in 'params' or on the command line"
                )
                problems.append(
                    Problem(
                        f"no alert with task id {case.alert!r}; known: {known}",
                        file=doc.name,
                        line=doc.line_of(["tests", index, "alert"]),
                        path=f"tests[{index}].alert",
                    )
                )
                continue
            problems.extend(_field_problems(doc, index, case, found.alert))
            suite.cases.append(LoadedCase(case, doc.name, line, found.alert, found.source.where))
    if problems:
        raise ParameterError(problems)
    return suite, renderer


def _field_problems(doc: Document, index: int, case: TestCase, alert: Alert) -> list[Problem]:
    problems = []
    for s_index, series in enumerate(case.series):
        if (
            series.values is not None
            and series.field is None
            and not getattr(alert, "field", None)
            and not isinstance(alert, Deadman)  # a deadman counts points, of any field
        ):
            path: list[str | int] = ["tests", index, "series", s_index]
            problems.append(
                Problem(
                    "the alert has no 'field' of its own: name the field of 'values' with 'field'",
                    file=doc.name,
                    line=doc.line_of(path),
                    path=format_path(path),
                )
            )
        if series.measurement is None and not getattr(alert, "measurement", None):
            path = ["tests", index, "series", s_index]
            problems.append(
                Problem(
                    "give the series' 'measurement'",
                    file=doc.name,
                    line=doc.line_of(path),
                    path=format_path(path),
                )
            )
    return problems
