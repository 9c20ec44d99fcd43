"""The mark tickgen puts on the tasks it deploys, so it never touches anyone else's.

A deployed script starts with one comment line::

    // managed-by: tickgen owner=payments template=threshold params=3f2a9c0d1e4b5a67

The owner scopes ``--prune``: a configuration deletes only tasks of its own
owner (``owner`` in ``tickgen.toml``, else the target's ``id_prefix``, else the
default owner).  The default owner writes no ``owner=`` at all, so a mark
written before owners existed reads as the default owner's, byte for byte.
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
DEFAULT_OWNER = "default"
OWNER_RE = re.compile(r"[A-Za-z0-9._-]{1,255}")
_MARKER_RE = re.compile(
    r"^// managed-by: tickgen"
    r"(?: owner=(?P<owner>[A-Za-z0-9._-]{1,255}))?"
    r"(?: template=(?P<template>\S+))?(?: params=(?P<params>[0-9a-f]+))?[ \t]*$"
)


@dataclass(frozen=True)
class Marker:
    """What the mark says: the owner, the template and the hash of the parameters."""

    template: str = ""
    params_hash: str = ""
    owner: str = DEFAULT_OWNER

    def line(self) -> str:
        parts = [MARKER_PREFIX]
        if self.owner != DEFAULT_OWNER:
            parts.append(f"owner={self.owner}")
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
    return Marker(
        template=match.group("template") or "",
        params_hash=match.group("params") or "",
        owner=match.group("owner") or DEFAULT_OWNER,
    )


def strip_marker(script: str) -> str:
    """The script without its mark line (unchanged when it has none)."""
    if read_marker(script) is None:
        return script
    return script.partition("\n")[2]


def owner_problem(owner: object) -> str | None:
    """Why ``owner`` cannot name an owner in the mark, or None."""
    if not isinstance(owner, str) or OWNER_RE.fullmatch(owner) is None:
        return "owner must be 1 to 255 letters, digits, '-', '.' or '_'"
    return None
