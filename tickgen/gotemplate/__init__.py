"""Go ``text/template`` as Kapacitor uses it: parse, and check against a context.

Kapacitor parses the alert's ``.id()``, ``.message()`` and ``.details()`` and
a number of handler properties as Go templates when a task *starts*, not when
it is defined, so a broken one is accepted by ``POST /tasks`` and fails later.
:func:`template_problem` finds it offline: Go's parse errors in Go's words
(``template: id:1: unexpected "}" in operand``), plus what fails every
execution (an unknown field of the data, a builtin with the wrong number of
arguments, a template that is not defined).

The lexer and parser are written from Go's ``text/template/parse`` (both the
Go 1.15 rules of Kapacitor 1.5.9 and the Go 1.25 rules of 1.8.3).  PyPI has no
pure-Python parser of Go templates: ``go-template`` (2019, unmaintained) and
``cognihub-pygotemplate`` (0.0.2) wrap a compiled Go library through cgo,
which needs a native build per platform, runs one Go release's rules only and
cannot check a context's fields; so the parser is our own.
"""

from __future__ import annotations

from .checker import check_tree
from .contexts import Context, context
from .parser import GoTemplateError, Tree, parse

__all__ = ["Context", "GoTemplateError", "Tree", "check", "context", "parse", "template_problem"]


def check(text: str, ctx: Context) -> Tree:
    """Parse ``text`` in ``ctx`` and check it; raise :class:`GoTemplateError`."""
    tree = parse(text, ctx.name, ctx.funcs, ctx.syntax)
    check_tree(tree, ctx)
    return tree


def template_problem(text: str, ctx: Context) -> str | None:
    """Why Kapacitor would refuse or always fail ``text`` in ``ctx``, or None.

    The message is Go's, followed by what would be right: the functions or
    fields the context has.
    """
    try:
        check(text, ctx)
    except GoTemplateError as error:
        hint = error.hint
        if not hint and "function" in error.message and "not defined" in error.message:
            hint = "the functions here are " + ", ".join(ctx.function_names())
        elif not hint and error.message.startswith("unclosed action") and "\n" in text:
            hint = f"Go {ctx.syntax.go} does not allow a newline inside {{{{ }}}}"
        where = f"Go template, Go {ctx.syntax.go} syntax" if not hint else f"Go template; {hint}"
        return f"{error} ({where})"
    return None
