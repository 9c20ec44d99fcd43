"""tickgen: Kapacitor alerts as code.

Parameters in (Python models or YAML/JSON/TOML files), checked canonical
TICKscripts and Kapacitor task payloads out; a client to deploy them.

    >>> import tickgen
    >>> alert = tickgen.Threshold(id="cpu", database="telegraf", measurement="cpu",
    ...     field="usage_user", crit={"op": ">", "value": 90})
    >>> print(tickgen.render(alert))            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tick
from ._version import __version__
from .errors import ParameterError, Problem, TemplateBug, TemplateError, TickgenError
from .models import (
    DBRP,
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
from .render import RenderedTask, Renderer, shared_renderer

if TYPE_CHECKING:
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

# the client pulls in httpx: these names load it only when first used
_CLIENT_NAMES = (
    "APIError",
    "AsyncKapacitorClient",
    "AuthError",
    "Conflict",
    "InvalidScript",
    "KapacitorClient",
    "KapacitorError",
    "NotFound",
)

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
    if name in _CLIENT_NAMES:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module 'tickgen' has no attribute {name!r}")
