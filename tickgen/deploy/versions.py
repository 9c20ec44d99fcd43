"""Which Kapacitor version a command renders and checks for.

Commands that talk to a server follow it: the version is, in this order,

1. ``--kapacitor-version`` (or ``$TICKGEN_KAPACITOR_VERSION``), for every target;
2. the target's ``kapacitor_version`` in ``tickgen.toml`` (a pin);
3. the server's own ``X-Kapacitor-Version`` header, from ``GET /kapacitor/v1/ping``.

Offline commands (render, validate, lint) have no server: the option, then the
project file's top-level ``kapacitor_version``, then the newest release tickgen
supports (:data:`tickgen.render.DEFAULT_KAPACITOR_VERSION`).

:func:`server_version` and :func:`server_version_sync` are the one way to ask a
server, for any command (``tickgen test`` included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tickgen.client import AsyncKapacitorClient, KapacitorClient
from tickgen.client.models import Ping
from tickgen.project import check_version

from .state import DeployError

__all__ = [
    "TargetVersion",
    "check_version",
    "server_version",
    "server_version_sync",
    "version_from_ping",
]

Source = Literal["option", "target", "project", "server", "default"]

_SOURCE_TEXT = {
    "option": "from --kapacitor-version",
    "target": "pinned by the target",
    "project": "from the project file",
    "server": "reported by the server",
    "default": "the default",
}

# A release answers "1.8.3"; tolerate a "v" and a suffix ("1.8.3-rc1", "1.7.0~rc2").
_LEADING_VERSION = re.compile(r"v?\d+\.\d+(?:\.\d+)?")


@dataclass(frozen=True)
class TargetVersion:
    """The version one command run renders for, and where that came from."""

    version: str  # "1.8.3", "1.7"
    source: Source

    def __str__(self) -> str:
        """``Kapacitor 1.8.3 (reported by the server)``."""
        return f"Kapacitor {self.version} ({_SOURCE_TEXT[self.source]})"


def version_from_ping(ping: Ping, url: str) -> str:
    """The version in a ping's ``X-Kapacitor-Version``; DeployError when it has none.

    A kapacitord built without its version (``go build`` with no ``-ldflags``)
    answers with an empty header: tickgen cannot tell what it has, so it asks for
    a pin instead of guessing.
    """
    match = _LEADING_VERSION.match(ping.version.strip())
    if match is None:
        said = repr(ping.version) if ping.version else "nothing"
        raise DeployError(
            f"the Kapacitor at {url} does not say which version it is (X-Kapacitor-Version: "
            f"{said}); pin one with kapacitor_version in the target's tickgen.toml table "
            "or with --kapacitor-version"
        )
    return match.group(0).lstrip("v")


async def server_version(client: AsyncKapacitorClient) -> str:
    """The server's version (``"1.8.3"``), from one ``GET /kapacitor/v1/ping``."""
    return version_from_ping(await client.ping(), client.url)


def server_version_sync(client: KapacitorClient) -> str:
    """:func:`server_version` for the blocking client."""
    return version_from_ping(client.ping(), client.url)
