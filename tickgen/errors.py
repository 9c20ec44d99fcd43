"""The exceptions tickgen raises, drawn as a tree.

    TickgenError                   every error tickgen reports to a user
    ├── ParameterError             bad parameter input; carries every Problem at once
    ├── TemplateError              a template that cannot be loaded or rendered
    │   └── TemplateBug            a rendered script that fails tickgen's own check
    ├── tick.TickSyntaxError       (also a ValueError) a TICKscript that does not parse
    ├── client.KapacitorError      anything that went wrong talking to Kapacitor
    ├── DeployError                a plan or apply that cannot go on
    │                              (also tickgen.deploy.DeployError)
    └── ConfigError                a project file (tickgen.toml) that cannot be used, with
                                   every Problem at once; both a ParameterError (validate
                                   reports its problems like a parameter file's) and a
                                   DeployError (plan and apply cannot go on)

The message of each is written for the person running tickgen: it names the
file, the line, the parameter and what would be right.  The CLI prints it and
exits 1; no traceback reaches a user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class TickgenError(Exception):
    """Base class of every error tickgen reports."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None  # "alerts[3].crit"

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        path = f"{self.path}: " if self.path else ""
        return f"{where}{path}{self.message}"


class ParameterError(TickgenError):
    """Parameter input that cannot be rendered; ``problems`` lists all of it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(TickgenError):
    """A template that cannot be found, loaded or rendered."""

    def __init__(
        self, message: str, *, template: str | None = None, line: int | None = None
    ) -> None:
        self.template = template
        self.line = line
        self.message = message
        where = ""
        if template is not None:
            where = f"template {template}" + (f", line {line}" if line is not None else "") + ": "
        super().__init__(where + message)


class TemplateBug(TemplateError):
    """A template produced a script that tickgen's parser or checker rejects.

    This is a bug in the template, never in the parameters: the message names
    the template, the task id and what the checker found.
    """


class DeployError(TickgenError):
    """A plan or an apply that cannot go on (before anything was written), or a
    project file (tickgen.toml) that cannot be used."""


class ConfigError(ParameterError, DeployError):
    """A project file (tickgen.toml) that cannot be used; ``problems`` lists all of it,
    each at its line of the file with its key path."""


def in_seconds(seconds: float) -> str:
    """``1 second``, ``1.5 seconds``, ``900 seconds``: a time limit as messages word it."""
    return f"{seconds:g} second" if seconds == 1 else f"{seconds:g} seconds"
