"""Alerts in, checked canonical TICKscripts and task payloads out.

One environment factory serves the built-in templates (trusted) and users'
templates (Jinja's sandbox); both use ``StrictUndefined`` and the escaping
filters of :mod:`tickgen.tick.quote`, and both refuse to print a value that did
not pass through one of them.  What a template writes is parsed, checked and
formatted by :mod:`tickgen.tick` (as Chronograf formats and validates its own
scripts); a script that fails there is a :class:`TemplateBug`, never output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2

from . import tick
from ._resources import data_dir
from ._template_cache import template_bytecode_cache
from .catalog import Catalog, TemplateInfo
from .dbrp import DBRP
from .errors import ParameterError, Problem, TemplateBug, TemplateError
from .gotemplate import model_problems
from .handlers import handler_lines, parse_version, version_problems
from .models import (
    Alert,
    AlertBase,
    CustomAlert,
    parameter_findings,
    task_id_problem,
)
from .params import format_path
from .project import DEFAULT_KAPACITOR_VERSION
from .sandbox import BoundedLoader, BoundedSandbox, render_bounded
from .shapes import ShapeCache, enabled_by_default, joined
from .tick import quote
from .tick.quote import QuoteError, Tick

__all__ = [
    "DEFAULT_KAPACITOR_VERSION",
    "RenderedTask",
    "Renderer",
    "list_declaration",
    "shared_renderer",
    "where_filter",
]

GROUP_SUFFIX = "-{{.Group}}"  # Kapacitor expands it per group at run time
_OPERATORS = frozenset({">", "<", ">=", "<=", "==", "!="})
_BOUND_NAMES = {
    ("crit", "lower"): "lower",
    ("crit", "upper"): "upper",
    ("warn", "lower"): "warnLower",
    ("warn", "upper"): "warnUpper",
    ("info", "lower"): "infoLower",
    ("info", "upper"): "infoUpper",
}


@dataclass(frozen=True)
class RenderedTask:
    """A rendered, checked script and the Kapacitor task it makes."""

    id: str
    template: str
    script: str
    dbrps: tuple[DBRP, ...]
    status: str
    type: str = "stream"
    source: str = "<python>"
    params_hash: str = field(default="", compare=False)
    warnings: tuple[tick.Diagnostic, ...] = field(default=(), compare=False)
    # likely mistakes in the parameters (a quoted number...), at their parameter path
    param_warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def warning_lines(self) -> list[str]:
        """Every warning as a line for a person: parameters first, then the script's."""
        lines = [
            str(dataclasses.replace(p, message=f"warning: {p.message}"))
            for p in self.param_warnings
        ]
        return lines + [f"{self.source}: task {self.id}: {d}" for d in self.warnings]

    def payload(self) -> dict[str, Any]:
        """The body of ``POST /kapacitor/v1/tasks`` (keys in the order Kapacitor's docs use)."""
        payload: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.dbrps:  # empty when the script has its own dbrp statements
            payload["dbrps"] = [d.to_json() for d in self.dbrps]
        payload["script"] = self.script
        payload["status"] = self.status
        return payload


# -- filters and helpers the templates call ------------------------------------------------


def _operator(op: str) -> Tick:
    if op not in _OPERATORS:
        raise QuoteError(
            f"{op!r} is not a comparison operator; use one of {' '.join(sorted(_OPERATORS))}"
        )
    return Tick(op)


def _bound_name(level: str, bound: str) -> Tick:
    return Tick(_BOUND_NAMES[(level, bound)])


def where_filter(alert: AlertBase) -> Tick:
    """Chronograf's where lambda: tag groups and isPresent terms, sorted as whole strings.

    ``where`` groups read ``("tag" == 'a' OR "tag" == 'b')``, ``where_not`` groups
    ``("tag" != 'a' AND "tag" != 'b')``; ``lambda: TRUE`` when there is nothing.
    """
    terms: list[str] = []
    for tags, op, joiner in ((alert.where, "==", " OR "), (alert.where_not, "!=", " AND ")):
        for tag, values in tags.items():
            ref = quote.reference(tag)
            terms.append("(" + joiner.join(f"{ref} {op} {quote.string(v)}" for v in values) + ")")
    field_name = getattr(alert, "field", None)
    if alert.field_present_filter and field_name:
        terms.append(f"isPresent({quote.reference(field_name)})")
    terms.sort()
    return Tick("lambda: " + (" AND ".join(terms) if terms else "TRUE"))


def list_declaration(name: str, values: Sequence[str]) -> Tick:
    """``var name = ['a', 'b']``, the list of ``values``.

    A list item must be a literal or a var's name (``tick/eval.go`` resolves
    identifiers in a list), so a value that :func:`quote.string` writes as a
    concatenation goes into a var of its own, ``name`` plus its index, declared
    first, and the list names that var.
    """
    var_name = quote.identifier(name)
    declarations: list[str] = []
    items: list[str] = []
    for index, item in enumerate(values):
        if quote.is_literal(item):
            items.append(quote.string(item))
        else:
            item_var = quote.identifier(f"{name}{index}")
            declarations.append(f"var {item_var} = {quote.string(item)}\n\n")
            items.append(item_var)
    return Tick("".join(declarations) + f"var {var_name} = [" + ", ".join(items) + "]")


def _defined(escape: Callable[[Any], Tick]) -> Callable[[Any], Tick]:
    """An undefined value reaching a filter is reported by its name, like any undefined."""

    def checked(value: Any) -> Tick:
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return escape(value)

    checked.__name__ = escape.__name__
    checked.__doc__ = escape.__doc__
    return checked


_ESCAPES: dict[str, Callable[[Any], Tick]] = {
    "quote": quote.string,
    "quote_list": quote.string_list,
    "go_text": quote.go_template_text,
    "reference": quote.reference,
    "regex": quote.regex,
    "duration": quote.duration,
    "number": quote.number,
    "float_number": quote.float_number,
    "boolean": quote.boolean,
    "identifier": quote.identifier,
    "literal": quote.value,
    "operator": _operator,
}
FILTERS: dict[str, Callable[[Any], Tick]] = {name: _defined(f) for name, f in _ESCAPES.items()}


# While a built-in template renders for the shape cache (tickgen/shapes.py): what
# each ``{{ }}`` printed, in order; the output holds a NUL in its place.
_RECORDING: ContextVar[list[str] | None] = ContextVar("_RECORDING", default=None)
_SLOT = "\x00"


def _refuse_unescaped(value: Any) -> Any:
    """Jinja's finalize: every ``{{ }}`` must print TICKscript made by a filter above."""
    if isinstance(value, Tick):
        recording = _RECORDING.get()
        if recording is None:
            return value
        recording.append(value)
        return _SLOT
    if isinstance(value, jinja2.Undefined):
        return value  # StrictUndefined raises with the variable's name
    raise TemplateError(
        f"the template prints {value!r} without an escaping filter; pass it through one of "
        f"{', '.join(sorted(FILTERS))} (for example {{{{ name | quote }}}})"
    )


def make_environment(
    loader: jinja2.BaseLoader, *, sandboxed: bool, keep_compiled: bool = False
) -> jinja2.Environment:
    """The Jinja environment; ``keep_compiled`` keeps compiled templates on disk
    between runs (for the built-in templates: see tickgen/_template_cache.py)."""
    env_class = BoundedSandbox if sandboxed else jinja2.Environment
    settings: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "finalize": _refuse_unescaped,
        "autoescape": False,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,
    }
    cache = template_bytecode_cache(settings) if keep_compiled and not sandboxed else None
    env = env_class(loader=loader, bytecode_cache=cache, **settings)
    env.filters.update(FILTERS)
    env.globals.update(
        where_filter=where_filter,
        list_declaration=list_declaration,
        handler_lines=handler_lines,
        bound_name=_bound_name,
        group_suffix=GROUP_SUFFIX,
    )
    return env


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line an exception was raised at (Jinja rewrites tracebacks to templates)."""
    line = None
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        if filename is not None and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def with_schema_defaults(schema: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """A user template's parameters, with the schema's top-level defaults filled in."""
    filled = dict(params)
    for name, spec in schema.get("properties", {}).items():
        if name not in filled and isinstance(spec, dict) and "default" in spec:
            filled[name] = spec["default"]
    return filled


def params_hash(params: Mapping[str, Any]) -> str:
    text = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Renderer:
    """Renders alerts with the built-in templates and those in ``template_dirs``."""

    def __init__(
        self,
        template_dirs: Sequence[str | Path] = (),
        *,
        kapacitor_version: str = DEFAULT_KAPACITOR_VERSION,
        shape_cache: bool | None = None,
    ) -> None:
        """``shape_cache``: parse and format each script shape once (tickgen/shapes.py);
        by default on unless ``TICKGEN_SHAPE_CACHE=0``."""
        self.catalog = Catalog(template_dirs)
        self.kapacitor_version = kapacitor_version
        self._builtin_env = make_environment(
            jinja2.FileSystemLoader(str(data_dir("templates"))), sandboxed=False, keep_compiled=True
        )
        self._user_env = make_environment(
            BoundedLoader([str(d) for d in self.catalog.template_dirs]), sandboxed=True
        )
        self._compiled: dict[str, jinja2.Template] = {}
        use_cache = enabled_by_default() if shape_cache is None else shape_cache
        self.shapes: ShapeCache | None = ShapeCache() if use_cache else None

    def _template(self, info: TemplateInfo) -> jinja2.Template:
        compiled = self._compiled.get(info.name)
        if compiled is None:
            env = self._builtin_env if info.builtin else self._user_env
            try:
                compiled = env.get_template(info.template_path.name)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    exc.message or str(exc), template=info.name, line=exc.lineno
                ) from None
            except jinja2.TemplateNotFound as exc:
                raise TemplateError(
                    f"template file {exc.name} not found", template=info.name
                ) from None
            except TemplateError as exc:  # BoundedLoader: not a file, too big, not UTF-8
                raise TemplateError(exc.message, template=info.name) from None
            self._compiled[info.name] = compiled
        return compiled

    def render_text(self, alert: Alert) -> str:
        """What the template writes, before it is parsed and formatted."""
        return self._render_text(alert, None)

    def _render_text(self, alert: Alert, recording: list[str] | None) -> str:
        """:meth:`render_text`; with ``recording`` (a built-in template only), what
        each ``{{ }}`` printed goes there and a NUL into the text in its place."""
        info = self.catalog.get(alert.template)
        template = self._template(info)
        if isinstance(alert, CustomAlert):
            params = with_schema_defaults(info.schema, alert.params)
            context: dict[str, Any] = {**params, "params": params}
        else:
            context = {"alert": alert, "alert_name": alert.alert_name}
        try:
            if info.builtin:
                if recording is None:
                    return template.render(context)
                token = _RECORDING.set(recording)
                try:
                    return template.render(context)
                finally:
                    _RECORDING.reset(token)
            return render_bounded(template, context)
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"{exc.message}: the template uses a parameter the alert does not have",
                template=info.name,
                line=_template_line(exc, template.filename),
            ) from None
        except (QuoteError, TemplateError) as exc:
            message = exc.message if isinstance(exc, TemplateError) else str(exc)
            raise TemplateError(
                message, template=info.name, line=_template_line(exc, template.filename)
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(
                str(exc), template=info.name, line=_template_line(exc, template.filename)
            ) from None

    def render(
        self,
        alert: Alert,
        *,
        source: str = "<python>",
        validated: tuple[Problem, ...] | None = None,
    ) -> RenderedTask:
        """Render, parse, check and format one alert.

        ``validated``: the alert comes from ``pipeline.validate_source`` for this
        renderer's Kapacitor version, which has made the checks of the parameters
        below, and these are the warnings it located (the task's ``param_warnings``).
        Making them twice cost about 80 us per alert on the benchmark corpus.
        """
        if validated is not None:
            param_warnings = validated
        elif isinstance(alert, CustomAlert):
            param_warnings = ()
        else:
            findings = parameter_findings(alert)
            too_new = version_problems(alert.handlers, self.kapacitor_version)
            wrong = [
                Problem(message, file=source, path=format_path(path))
                for path, message, severity in findings
                if severity == "error"
            ]
            if too_new or wrong:
                raise ParameterError(
                    [
                        Problem(message, file=source, path=f"handlers{rel}")
                        for rel, message in too_new
                    ]
                    + wrong
                )
            # Go templates Kapacitor would refuse at task start: the parameter's fault
            broken = model_problems(alert, parse_version(self.kapacitor_version))
            if broken:
                raise ParameterError(
                    [Problem(message, file=source, path=format_path(p)) for p, message in broken]
                )
            param_warnings = tuple(
                Problem(message, file=source, path=format_path(path))
                for path, message, severity in findings
                if severity == "warning"
            )
        # built-ins are stream tasks; a user template's type is what its script says
        expected: Literal["stream", "batch"] | None = (
            None if isinstance(alert, CustomAlert) else "stream"
        )
        text: str | None = None
        if self.shapes is not None and not isinstance(alert, CustomAlert):
            fragments: list[str] = []
            segments = self._render_text(alert, fragments).split(_SLOT)
            if len(segments) == len(fragments) + 1:
                cached = self.shapes.canonical(
                    alert.template,
                    segments,
                    fragments,
                    kind=expected,
                    version=self.kapacitor_version,
                    inspect=lambda p: _check_dbrp_names(p, alert.template),
                )
                if cached is not None:
                    return self._task(alert, source, param_warnings, cached.script, cached.analysis)
                text = joined(segments, fragments)
        if text is None:
            text = self.render_text(alert)
        task_id = alert.id
        try:
            program, script = tick.parse_canonical(text)
            analysis = tick.analyse(program, expected, version=self.kapacitor_version)
        except tick.TickSyntaxError as exc:
            raise TemplateBug(
                f"the script for task {task_id!r} does not parse: {exc}",
                template=alert.template,
                line=exc.line,
            ) from None
        _check_dbrp_names(program, alert.template)
        diagnostics = analysis.diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        if errors and isinstance(alert, CustomAlert) and _all_go_templates(errors):
            # A user template quotes its parameters into .message(), .id() and the like
            # (and its schema cannot mark them as Go templates): the value is at fault.
            raise ParameterError(
                [
                    Problem(
                        f"template {alert.template}, script line {d.line}:{d.column}: {d.message}"
                        " (a parameter's value reaches this Go template; `tickgen render "
                        "--templates ...` shows the script)",
                        file=source,
                    )
                    for d in errors
                ]
            )
        if errors:
            found = "; ".join(str(d) for d in errors)
            raise TemplateBug(
                f"the script for task {task_id!r} ({source}) fails the check: {found}",
                template=alert.template,
            )
        return self._task(alert, source, param_warnings, script, analysis, program)

    def _task(
        self,
        alert: Alert,
        source: str,
        param_warnings: tuple[Problem, ...],
        script: str,
        analysis: tick.checker.Analysis,
        program: tick.ast.Program | None = None,
    ) -> RenderedTask:
        """The task of a checked script (``program`` is needed for a user template)."""
        dbrps, status, params = self._task_fields(alert, program)
        diagnostics = analysis.diagnostics
        return RenderedTask(
            id=alert.id,
            template=alert.template,
            script=script,
            dbrps=dbrps,
            status=status,
            type=analysis.kind or "stream",
            source=source,
            params_hash=params_hash(params),
            warnings=tuple(d for d in diagnostics if d.severity != "error"),
            param_warnings=param_warnings,
        )

    def _task_fields(
        self, alert: Alert, program: tick.ast.Program | None
    ) -> tuple[tuple[DBRP, ...], str, dict[str, Any]]:
        """The task's dbrps and status, and the parameters its ownership hash covers."""
        if not isinstance(alert, CustomAlert):
            params = alert.model_dump(mode="json", exclude_defaults=True)
            return alert.task_dbrps, alert.status, params
        assert program is not None
        in_script = any(isinstance(node, tick.ast.DBRP) for node in program.statements)
        schema = self.catalog.get(alert.template).schema
        filled = CustomAlert(
            template=alert.template, params=with_schema_defaults(schema, alert.params)
        )
        return _custom_task_fields(filled, dbrps_in_script=in_script)

    def render_all(self, alerts: Iterable[Alert]) -> list[RenderedTask]:
        return [self.render(alert) for alert in alerts]


def _check_dbrp_names(program: tick.ast.Program, template: str) -> None:
    """Refuse a ``"`` in a dbrp statement's names.

    Kapacitor reads ``dbrp "a\\"b"."rp"`` as database ``a"b``, but its formatter
    (``DBRPNode.Format``, which tickgen's follows byte for byte) writes the name
    back without the escape, so the formatted script, the one tickgen prints and
    Kapacitor shows, does not parse.
    """
    for statement in program.statements:
        if not isinstance(statement, tick.ast.DBRP):
            continue
        for what, ref in (("database", statement.db), ("retention policy", statement.rp)):
            if '"' in ref.name:
                raise TemplateError(
                    f"the dbrp statement names the {what} {ref.name!r}, which contains a "
                    "double quote: Kapacitor's formatter writes a dbrp name back without "
                    "escaping it, so the script it shows would not parse; use a name "
                    "without '\"'",
                    template=template,
                )


@lru_cache(maxsize=8)
def _cached_renderer(template_dirs: tuple[str, ...], kapacitor_version: str) -> Renderer:
    return Renderer(template_dirs, kapacitor_version=kapacitor_version)


def shared_renderer(
    template_dirs: Sequence[str | Path] = (), kapacitor_version: str | None = None
) -> Renderer:
    """A renderer reused across calls: templates and schemas are compiled once."""
    return _cached_renderer(
        tuple(str(d) for d in template_dirs), kapacitor_version or DEFAULT_KAPACITOR_VERSION
    )


def _custom_task_fields(
    alert: CustomAlert, *, dbrps_in_script: bool
) -> tuple[tuple[DBRP, ...], str, dict[str, Any]]:
    """Task fields from a user template's parameters.

    A script with ``dbrp`` statements must not also carry ``dbrps`` in the payload
    (Kapacitor: "cannot specify dbrp in both implicitly and explicitly").
    """
    params = alert.params
    problem = task_id_problem(str(params.get("id", "")))
    if problem:
        raise TemplateError(problem, template=alert.template)
    status = str(params.get("status", "enabled"))
    if dbrps_in_script:
        return (), status, dict(params)
    raw_dbrps = params.get("dbrps")
    if raw_dbrps:
        # a user template's schema says what the names are; they reach Kapacitor as text
        dbrps = tuple(DBRP(str(d["db"]), str(d["rp"])) for d in raw_dbrps)
    elif raw_dbrps is None and "database" in params:
        dbrps = (DBRP(str(params["database"]), str(params.get("retention_policy", "autogen"))),)
    else:
        raise TemplateError(
            "a task needs its database: give 'dbrps' ([{db, rp}]) or 'database' "
            "(and 'retention_policy') in the parameters",
            template=alert.template,
        )
    return dbrps, status, dict(params)


def _all_go_templates(errors: Iterable[tick.Diagnostic]) -> bool:
    """Whether every error is the Go template checker's (tickgen.gotemplate).

    Its messages keep Go's own prefixes: ``template: `` from text/template, and
    ``html/template:`` from html/template, which parses ``.details()``.
    """
    return all(d.message.startswith(("template: ", "html/template:")) for d in errors)
