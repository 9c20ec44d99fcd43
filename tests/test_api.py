"""The public surface: what tickgen exports, and nothing it does not mean to."""

from __future__ import annotations

import subprocess
import sys

import tickgen
import tickgen.tick

PUBLIC = {
    "APIError", "Aggregate", "Alert", "AsyncKapacitorClient", "AuthError", "Comparison", "Conflict",
    "CustomAlert", "DBRP", "Deadman", "Flapping", "InfluxDBOut", "Inhibit", "InvalidScript",
    "KapacitorClient", "KapacitorError", "NotFound", "ParameterError", "Problem", "Range", "Relative",
    "RenderedTask", "Renderer", "TemplateBug", "TemplateError", "Threshold", "TickgenError",
    "__version__", "load", "payload", "render", "render_paths", "render_task", "tick",
}  # fmt: skip


def test_all_is_the_public_api() -> None:
    assert set(tickgen.__all__) == PUBLIC
    for name in tickgen.__all__:
        assert getattr(tickgen, name) is not None


def test_tick_surface() -> None:
    for name in ("parse", "format", "check", "graph", "TickSyntaxError", "Diagnostic"):
        assert name in tickgen.tick.__all__
    assert issubclass(tickgen.tick.TickSyntaxError, ValueError)
    assert issubclass(tickgen.tick.TickSyntaxError, tickgen.TickgenError)


def test_client_errors_are_tickgen_errors() -> None:
    assert issubclass(tickgen.KapacitorError, tickgen.TickgenError)
    assert issubclass(tickgen.NotFound, tickgen.APIError)


def test_importing_tickgen_does_not_import_httpx() -> None:
    code = "import sys, tickgen; print('httpx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_py_typed_is_shipped() -> None:
    from importlib.resources import files

    assert files("tickgen").joinpath("py.typed").is_file()
