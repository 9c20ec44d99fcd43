"""Limits for users' templates, on top of Jinja's sandbox.

Jinja's sandbox stops a template from reaching Python's internals, but not from
running for hours or filling memory: ``{% for %}`` inside ``{% for %}`` over
``range(100000)``, ``'x' * 10**10``, ``10 ** 10 ** 10``, ``'x'.center(10**10)``
or a macro that calls itself.  A user's template runs here within

- a size bound on every string and list an operator or method builds
  (:data:`MAX_SIZE`) and on the exponent of ``**``;
- a bound on the script it writes (:data:`MAX_OUTPUT`);
- a time limit per alert (:data:`TIME_LIMIT`): checked on every call the template
  makes, and in the main thread also by a timer signal, which stops loops that
  make no call;
- Python's recursion limit, reported as a template that recurses.

Each limit is a :class:`~tickgen.errors.TemplateError` naming the template and
its line.  Built-in templates are trusted and render without these checks.
"""

from __future__ import annotations

import math
import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .errors import TemplateError, in_seconds

__all__ = [
    "MAX_OUTPUT",
    "MAX_SIZE",
    "MAX_TEMPLATE_BYTES",
    "TIME_LIMIT",
    "BoundedLoader",
    "BoundedSandbox",
    "render_bounded",
    "time_limit",
]

MAX_SIZE = 1_000_000  # items of a string or list a template builds with an operator or method
MAX_EXPONENT = 1024
MAX_OUTPUT = 4 << 20  # characters of one rendered script (Kapacitor scripts are kilobytes)
MAX_TEMPLATE_BYTES = 1 << 20
TIME_LIMIT = 10.0  # seconds per alert, unless $TICKGEN_TEMPLATE_TIME_LIMIT says otherwise
_WIDTH = re.compile(r"[{%][^}%]*?(\d{7,}|\*)")  # a format width of a million or more, or *


class _Deadline(threading.local):
    at: float | None = None
    seconds: float = TIME_LIMIT


def time_limit() -> float:
    """Seconds a user template may run for one alert: ``$TICKGEN_TEMPLATE_TIME_LIMIT``,
    else TIME_LIMIT."""
    value = os.environ.get("TICKGEN_TEMPLATE_TIME_LIMIT", "")
    if not value:
        return TIME_LIMIT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds <= 3600):
        raise TemplateError(
            f"$TICKGEN_TEMPLATE_TIME_LIMIT must be a number of seconds above 0 and at most "
            f"3600 (for example 10), not {value!r}"
        )
    return seconds


def _too_long() -> TemplateError:
    return TemplateError(
        f"the template ran longer than {in_seconds(_deadline.seconds)} for one alert "
        "($TICKGEN_TEMPLATE_TIME_LIMIT sets the limit)"
    )


_deadline = _Deadline()


def _check_deadline() -> None:
    at = _deadline.at
    if at is not None and time.monotonic() > at:
        raise _too_long()


def _too_big(what: str) -> TemplateError:
    return TemplateError(f"the template builds {what} larger than {MAX_SIZE:,} items")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with operators, calls and time bounded."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        _check_deadline()
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise TemplateError(
                    f"the template raises to the power {right}: at most {MAX_EXPONENT}"
                )
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_SIZE:
                    raise _too_big("a string or list")
        elif operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_SIZE:
                raise _too_big("a string or list")
        elif operator == "%" and isinstance(left, str) and _WIDTH.search(left):
            raise _too_big("a formatted string")
        return super().call_binop(context, operator, left, right)

    def call(
        __self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:
        _check_deadline()
        if _is_str_or_list_method(__obj):
            for value in (*args, *kwargs.values()):
                if isinstance(value, int) and abs(value) > MAX_SIZE:
                    raise _too_big("a string or list")
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str) and name in ("format", "format_map") and _WIDTH.search(owner):
            raise _too_big("a formatted string")
        return super().call(__context, __obj, *args, **kwargs)


def _is_str_or_list_method(obj: Any) -> bool:
    return isinstance(getattr(obj, "__self__", None), (str, list, tuple, bytes))


class BoundedLoader(jinja2.FileSystemLoader):
    """Loads only regular files of at most MAX_TEMPLATE_BYTES, as UTF-8."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        pieces = jinja2.loaders.split_template_path(template)
        for directory in self.searchpath:
            path = os.path.join(directory, *pieces)
            if os.path.exists(path):
                if not os.path.isfile(path):
                    raise TemplateError(f"{path} is not a regular file")
                if os.path.getsize(path) > MAX_TEMPLATE_BYTES:
                    raise TemplateError(f"{path} is larger than {MAX_TEMPLATE_BYTES >> 20} MiB")
                break
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise TemplateError(
                f"{template} is not UTF-8 (byte {exc.start}); save it as UTF-8"
            ) from None


@contextmanager
def _timer(seconds: float) -> Iterator[None]:
    """Deadline for this thread; in the main thread also a SIGALRM that raises."""
    previous, previous_seconds = _deadline.at, _deadline.seconds
    _deadline.at, _deadline.seconds = time.monotonic() + seconds, seconds
    use_signal = (
        threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if use_signal:

        def expired(signum: int, frame: FrameType | None) -> None:
            raise _too_long()

        signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _deadline.at, _deadline.seconds = previous, previous_seconds


def render_bounded(
    template: jinja2.Template, context: Mapping[str, Any], *, seconds: float | None = None
) -> str:
    """Render within the time (``seconds``, else :func:`time_limit`), output, size and
    recursion limits."""
    if seconds is None:
        seconds = time_limit()
    parts: list[str] = []
    written = 0
    try:
        with _timer(seconds):
            for chunk in template.generate(context):
                written += len(chunk)
                if written > MAX_OUTPUT:
                    raise TemplateError(
                        f"the template writes more than {MAX_OUTPUT >> 20} MiB for one alert"
                    )
                parts.append(chunk)
    except RecursionError:
        raise TemplateError(
            "the template recurses without end (a macro or include that calls itself?)"
        ) from None
    except MemoryError:
        raise TemplateError("the template needs more memory than there is") from None
    except OverflowError as exc:
        raise TemplateError(f"the template computes a number too large: {exc}") from None
    return "".join(parts)
