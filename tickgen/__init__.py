"""tickgen: Kapacitor alerts as code.

Parameters in (Python models or YAML/JSON/TOML files), checked canonical
TICKscripts and Kapacitor task payloads out; a client to deploy them.

    >>> import tickgen
    >>> alert = tickgen.Threshold(id="cpu", database="telegraf", measurement="cpu",
    ...     field="usage_user", crit={"op": ">", "value": 90})
    >>> print(tickgen.render(alert))            # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import sys
import types

from ._version import __version__

# typing.TYPE_CHECKING's stand-in (type checkers treat it the same): `tickgen
# --version` imports this package and loads neither typing nor dataclasses.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import Any

    from . import tick
    from .client import (
        APIError,
        AsyncKapacitorClient,
        AuthError,
        Conflict,
        InvalidScript,
        KapacitorClient,
        KapacitorError,
        NotFound,
    )
    from .dbrp import DBRP
    from .errors import ParameterError, Problem, TemplateBug, TemplateError, TickgenError
    from .models import (
        Aggregate,
        Alert,
        Comparison,
        CustomAlert,
        Deadman,
        Flapping,
        InfluxDBOut,
        Inhibit,
        Range,
        Relative,
        Threshold,
    )
    from .pipeline import load, render_paths
    from .render import RenderedTask, Renderer

# Each name is imported from its module when first used, so that ``import
# tickgen`` (and so ``tickgen --version``, and every command, which import
# tickgen.cli) costs nothing: the models pull in pydantic, the renderer Jinja,
# the client httpx, the errors dataclasses.  name -> module under tickgen that defines it
_LAZY = {
    **dict.fromkeys(
        (
            "APIError",
            "AsyncKapacitorClient",
            "AuthError",
            "Conflict",
            "InvalidScript",
            "KapacitorClient",
            "KapacitorError",
            "NotFound",
        ),
        "client",
    ),
    "DBRP": "dbrp",
    **dict.fromkeys(
        ("ParameterError", "Problem", "TemplateBug", "TemplateError", "TickgenError"), "errors"
    ),
    **dict.fromkeys(
        (
            "Aggregate",
            "Alert",
            "Comparison",
            "CustomAlert",
            "Deadman",
            "Flapping",
            "InfluxDBOut",
            "Inhibit",
            "Range",
            "Relative",
            "Threshold",
        ),
        "models",
    ),
    "load": "pipeline",
    "render_paths": "pipeline",
    "RenderedTask": "render",
    "Renderer": "render",
}

__all__ = [
    "DBRP",
    "APIError",
    "Aggregate",
    "Alert",
    "AsyncKapacitorClient",
    "AuthError",
    "Comparison",
    "Conflict",
    "CustomAlert",
    "Deadman",
    "Flapping",
    "InfluxDBOut",
    "Inhibit",
    "InvalidScript",
    "KapacitorClient",
    "KapacitorError",
    "NotFound",
    "ParameterError",
    "Problem",
    "Range",
    "Relative",
    "RenderedTask",
    "Renderer",
    "TemplateBug",
    "TemplateError",
    "Threshold",
    "TickgenError",
    "__version__",
    "load",
    "payload",
    "render",
    "render_paths",
    "render_task",
    "tick",
]


def render_task(
    alert: Alert,
    *,
    template_dirs: Sequence[str | Path] = (),
    kapacitor_version: str | None = None,
) -> RenderedTask:
    """Render one alert into a checked script and its task fields."""
    from .render import shared_renderer

    return shared_renderer(template_dirs, kapacitor_version).render(alert)


def render(
    alert: Alert,
    *,
    template_dirs: Sequence[str | Path] = (),
    kapacitor_version: str | None = None,
) -> str:
    """The canonical TICKscript of one alert, parsed and checked."""
    return render_task(
        alert, template_dirs=template_dirs, kapacitor_version=kapacitor_version
    ).script


def payload(
    alert: Alert,
    *,
    template_dirs: Sequence[str | Path] = (),
    kapacitor_version: str | None = None,
) -> dict[str, Any]:
    """The ``POST /kapacitor/v1/tasks`` body of one alert."""
    return render_task(
        alert, template_dirs=template_dirs, kapacitor_version=kapacitor_version
    ).payload()


def __getattr__(name: str) -> Any:
    if name == "tick":
        return importlib.import_module(".tick", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tickgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup finds it directly
    return value


_render_function = render


class _Package(types.ModuleType):
    """tickgen, whose ``render`` stays the function above.

    Importing the submodule tickgen.render sets the package's attribute
    ``render`` to that module; with the submodule imported lazily (by whoever
    needs it first) that would replace the function.  A data descriptor on the
    module's class wins over both; the submodule is ``sys.modules["tickgen.render"]``.
    """

    @property
    def render(self) -> Callable[..., str]:
        return _render_function

    @render.setter
    def render(self, value: object) -> None:
        pass  # the submodule being imported: tickgen.render stays the function


sys.modules[__name__].__class__ = _Package
