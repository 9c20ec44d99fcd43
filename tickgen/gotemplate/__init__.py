"""Go ``text/template`` as Kapacitor uses it: parse, and check against a context.

Kapacitor parses the alert's ``.id()``, ``.message()`` and ``.details()`` and
a number of handler properties as Go templates when a task *starts*, not when
it is defined, so a broken one is accepted by ``POST /tasks`` and fails later.
:func:`template_problem` finds it offline: Go's parse errors in Go's words
(``template: id:1: unexpected "}" in operand``), plus what fails every
execution (an unknown field of the data, a builtin with the wrong number of
arguments, a template that is not defined, details whose HTML ends inside a
tag or attribute: see :mod:`.checker` and :mod:`.html`).  Runtime-only
failures that depend on the data (a missing map key, a type mismatch in
``eq``) are not reported: Go runs those templates.

The lexer and parser are written from Go's ``text/template/parse`` (both the
Go 1.15 rules of Kapacitor 1.5.9 and the Go 1.25 rules of 1.8.3).  PyPI has no
pure-Python parser of Go templates: ``go-template`` (2019, unmaintained) and
``cognihub-pygotemplate`` (0.0.2) wrap a compiled Go library through cgo,
which needs a native build per platform, runs one Go release's rules only and
cannot check a context's fields; so the parser is our own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .checker import check, template_problem
from .contexts import Context, context
from .kapacitor import TEMPLATE_ARGS, tick_call_problems
from .parser import GoTemplateError, Tree, parse

if TYPE_CHECKING:
    from .models import GO_TEMPLATE_KEY, go_template, model_problems, template_note

# The parameter-model side (pydantic) loads on first use: `tickgen fmt` and `lint`
# of .tick files check templates through tickgen.tick without any model.
_FROM_MODELS = frozenset({"GO_TEMPLATE_KEY", "go_template", "model_problems", "template_note"})


def __getattr__(name: str) -> Any:
    if name in _FROM_MODELS:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "GO_TEMPLATE_KEY",
    "TEMPLATE_ARGS",
    "Context",
    "GoTemplateError",
    "Tree",
    "check",
    "context",
    "go_template",
    "model_problems",
    "parse",
    "template_note",
    "template_problem",
    "tick_call_problems",
]
