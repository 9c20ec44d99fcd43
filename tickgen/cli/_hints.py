"""What to do about an error, when the command line knows more than the library.

The client says which server it could not reach and why; only the command
knows where that URL came from (``--url``, ``$KAPACITOR_URL``, a target of
tickgen.toml, or the default), so the hint on how to name another is added here.
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_URL = "http://localhost:9092"  # tickgen.client.settings.DEFAULT_URL, without httpx


def server_hint(exc: BaseException, args: argparse.Namespace | None) -> str:
    """``; the URL came from --url: ...`` for an unreachable server, else ``""``."""
    errors = sys.modules.get("tickgen.client.errors")
    if errors is None or args is None:  # no client was used: nothing to add
        return ""
    unreachable = _find(exc, (errors.ConnectError, errors.RequestTimeout))
    if unreachable is None or type(unreachable).__name__ == "DeadlineExceeded":
        return ""
    url = getattr(unreachable, "url", None) or ""
    targets = getattr(args, "target", None) or []
    if targets:
        origin = f"the URL is that of target {', '.join(targets)} in the project file"
    elif getattr(args, "url", None):
        origin = "the URL came from --url"
    elif os.environ.get("KAPACITOR_URL"):
        origin = "the URL came from $KAPACITOR_URL"
    elif url.rstrip("/") == DEFAULT_URL:
        origin = f"no server was named, so tickgen tried its default {DEFAULT_URL}"
    else:
        origin = "the URL is that of the project file's default_target"
    ways = ["--url URL", "$KAPACITOR_URL"]
    if hasattr(args, "target"):
        ways.append("--target NAME (a [targets.NAME] table of tickgen.toml)")
    return f"; {origin}: name another server with {', '.join(ways[:-1])} or {ways[-1]}"


def _find(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """``exc`` or the first of its causes that is one of ``kinds``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
