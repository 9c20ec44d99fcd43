"""The mark tickgen puts on the tasks it deploys, so it never touches anyone else's.

A deployed script starts with one comment line::

    // managed-by: tickgen template=threshold params=3f2a9c0d1e4b5a67

Kapacitor keeps comments and returns the script as stored when asked for
``script-format=raw``, so the mark survives the round trip.  It is added to
the payload at deploy time only: ``tickgen render`` prints the bare script.
A task whose script does not start with the mark was made by hand (or by
another tool), and tickgen neither changes nor deletes it unless told to adopt it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER_PREFIX = "// managed-by: tickgen"
_MARKER_RE = re.compile(
    r"^// managed-by: tickgen"
    r"(?: template=(?P<template>\S+))?(?: params=(?P<params>[0-9a-f]+))?[ \t]*$"
)


@dataclass(frozen=True)
class Marker:
    """What the mark says: the template and the hash of the parameters behind a task."""

    template: str = ""
    params_hash: str = ""

    def line(self) -> str:
        parts = [MARKER_PREFIX]
        if self.template:
            parts.append(f"template={self.template}")
        if self.params_hash:
            parts.append(f"params={self.params_hash}")
        return " ".join(parts)


def mark(script: str, marker: Marker) -> str:
    """The script as deployed: the mark line, then the script unchanged."""
    return f"{marker.line()}\n{script}"


def read_marker(script: str) -> Marker | None:
    """The mark of a deployed script, or None when tickgen did not deploy it."""
    first, _, _ = script.partition("\n")
    match = _MARKER_RE.match(first)
    if match is None:
        return None
    return Marker(template=match.group("template") or "", params_hash=match.group("params") or "")


def strip_marker(script: str) -> str:
    """The script without its mark line (unchanged when it has none)."""
    if read_marker(script) is None:
        return script
    return script.partition("\n")[2]
