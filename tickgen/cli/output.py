"""Findings of validate and lint, printed for a person, a program, a CI log or a code scanner.

One :class:`Finding` per problem, with its place in a file; one function per
output format (``--output``):

* ``text``   — ``FILE:LINE:COL: severity: message``, the lines a person reads;
* ``json``   — ``{"format": "tickgen.findings", "version": 1, ...}``, documented in
  docs/output-formats.md; a new key is a compatible change, a renamed or removed
  one raises ``version``;
* ``github`` — GitHub Actions workflow commands (``::error file=F,line=L,col=C::message``),
  which the Actions runner shows as annotations on the lines of a pull request;
* ``sarif``  — a SARIF 2.1.0 log, which code-scanning tools (GitHub code scanning,
  GitLab, IDEs) show on the lines of the files.

Every format lists the findings sorted by file, line and column.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from .._version import __version__
from ..errors import Problem

if TYPE_CHECKING:  # validate and lint use this module too, and never the deploy side
    from ..deploy.plan import Plan
    from ..params import AlertSource
    from ..render import RenderedTask
    from ..tick.checker import Diagnostic

Severity = Literal["error", "warning", "note"]
FORMATS = ("text", "json", "github", "sarif")
JSON_FORMAT_VERSION = 1

# What kind of check found it; SARIF's ruleId, JSON's "rule".
RULES: dict[str, str] = {
    "parameters": "A parameter file that its template's schema or model rejects.",
    "tickscript": "A TICKscript that Kapacitor would reject, or a likely mistake in one.",
    "rendered-script": "A finding in the script that a parameter file renders.",
}


@dataclass(frozen=True)
class Finding:
    """One problem at one place; ``text`` is how the text format prints it."""

    message: str
    severity: Severity
    rule: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    parameter: str | None = None  # "alerts[3].crit"
    task: str | None = None
    text: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.message)

    def __str__(self) -> str:
        return self.text or f"{self.severity}: {self.message}"


def from_problem(problem: Problem, severity: Severity = "error") -> Finding:
    """A parameter problem (schema, model, file format, template), or a located warning."""
    if severity == "error":
        text = str(problem)
    else:  # FILE:LINE: path: warning: message, as lint and validate print warnings
        where = str(dataclasses.replace(problem, message="")).removesuffix(": ")
        text = f"{where}: {severity}: {problem.message}"
    return Finding(
        problem.message,
        severity,
        "parameters",
        file=problem.file,
        line=problem.line,
        parameter=problem.path,
        text=text,
    )


def sort(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


# -- one function per format --------------------------------------------------------


def as_text(findings: Sequence[Finding], command: str) -> str:
    return "".join(f"{f}\n" for f in sort(findings))


def as_json(findings: Sequence[Finding], command: str) -> str:
    ordered = sort(findings)
    body = {
        "format": "tickgen.findings",
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "tickgen", "version": __version__},
        "command": command,
        "summary": {
            "errors": sum(f.severity == "error" for f in ordered),
            "warnings": sum(f.severity == "warning" for f in ordered),
            "notes": sum(f.severity == "note" for f in ordered),
        },
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "severity": f.severity,
                "rule": f.rule,
                "parameter": f.parameter,
                "task": f.task,
                "message": f.message,
            }
            for f in ordered
        ],
    }
    return json.dumps(body, indent=2) + "\n"


def as_github(findings: Sequence[Finding], command: str) -> str:
    """Workflow commands; values escaped as the Actions runner unescapes them."""
    lines = []
    for f in sort(findings):
        props = [
            f"{key}={_github_property(str(value))}"
            for key, value in (
                ("file", f.file),
                ("line", f.line),
                ("col", f.column),
                ("title", f"tickgen {command}" + (f": {f.parameter}" if f.parameter else "")),
            )
            if value is not None
        ]
        message = f"task {f.task}: {f.message}" if f.task else f.message
        command_name = "notice" if f.severity == "note" else f.severity
        lines.append(f"::{command_name} {','.join(props)}::{_github_data(message)}\n")
    return "".join(lines)


def plan_as_github(plan: Plan) -> str:
    from ..deploy.report import plan_header, plan_text

    """``plan --output github``: the text plan in a collapsed log group, each conflict as
    a warning annotation and the summary as a notice."""
    out = [
        f"::group::tickgen plan: {_github_data(plan_header(plan))}\n",
        plan_text(plan),
        "::endgroup::\n",
    ]
    for action in plan.of_kind("conflict"):
        title = _github_property(f"tickgen plan: conflict on {plan.target}")
        message = _github_data(f"{action.task_id}: {action.reason}")
        out.append(f"::warning title={title}::{message}\n")
    title = _github_property(f"tickgen plan: {plan.target}")
    out.append(f"::notice title={title}::{_github_data(plan.summary())}\n")
    return "".join(out)


def _github_data(text: str) -> str:
    """A workflow command's message: the runner unescapes %25, %0D and %0A."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value: also %3A for ':' and %2C for ','."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def as_sarif(findings: Sequence[Finding], command: str) -> str:
    """A SARIF 2.1.0 log with one run; file locations relative to %SRCROOT% (the cwd)."""
    ordered = sort(findings)
    rule_ids = sorted({f.rule for f in ordered})
    results = []
    for f in ordered:
        message = f"task {f.task}: {f.message}" if f.task else f.message
        if f.parameter:  # code-scanning views show the text alone: name the parameter in it
            message = f"{f.parameter}: {message}"
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": rule_ids.index(f.rule),
            "level": f.severity,  # SARIF's levels include error, warning and note
            "message": {"text": message},
        }
        if f.file is not None:
            physical: dict[str, Any] = {"artifactLocation": _artifact(f.file)}
            if f.line is not None:
                region = {"startLine": f.line}
                if f.column is not None:
                    region["startColumn"] = f.column
                physical["region"] = region
            location: dict[str, Any] = {"physicalLocation": physical}
            if f.parameter:
                location["logicalLocations"] = [
                    {"fullyQualifiedName": f.parameter, "kind": "member"}
                ]
            result["locations"] = [location]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tickgen",
                        "version": __version__,
                        "rules": [
                            {"id": rule, "shortDescription": {"text": RULES[rule]}}
                            for rule in rule_ids
                        ],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "automationDetails": {"id": f"tickgen/{command}/"},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _artifact(file: str) -> dict[str, str]:
    path = PurePath(file)
    if path.is_absolute():
        resolved = Path(file)
        try:
            path = resolved.relative_to(Path.cwd())
        except ValueError:
            return {"uri": resolved.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": "%SRCROOT%"}


WRITERS: dict[str, Callable[[Sequence[Finding], str], str]] = {
    "text": as_text,
    "json": as_json,
    "github": as_github,
    "sarif": as_sarif,
}


def render(findings: Sequence[Finding], output: str, command: str) -> str:
    return WRITERS[output](findings, command)


def add_output_option(parser: Any, *, default: str = "text") -> None:
    parser.add_argument(
        "--output",
        choices=FORMATS,
        default=default,
        help="how to print the findings: text; json (docs/output-formats.md); github "
        "(GitHub Actions annotations); sarif (SARIF 2.1.0 for code scanning)",
    )


def rendered_finding(task: RenderedTask, source: AlertSource, d: Diagnostic) -> Finding:
    """A checker finding in a rendered script, placed at the alert in its parameter file."""
    return Finding(
        f"{d.message} (line {d.line}:{d.column} of the script 'tickgen render' prints)",
        d.severity,
        "rendered-script",
        file=source.document.name,
        line=source.line,
        task=task.id,
        text=f"{task.source}: task {task.id}: {d}",
    )
