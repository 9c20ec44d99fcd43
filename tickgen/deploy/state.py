"""The two sides a plan compares: tasks as tickgen wants them, and as a server has them.

Both are small frozen records holding only what a plan looks at (id, type,
dbrps, script, status), so a plan is a pure function of two lists of values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tickgen.dbrp import DBRP

# re-exported: tickgen.deploy.state.DeployError is where callers have found it
from tickgen.errors import DeployError as DeployError

from .ownership import DEFAULT_OWNER, Marker, mark, read_marker


def dbrp_set(dbrps: Iterable[DBRP]) -> tuple[DBRP, ...]:
    """dbrps sorted and without duplicates: Kapacitor does not care about their order."""
    return tuple(sorted(set(dbrps)))


def format_dbrps(dbrps: tuple[DBRP, ...]) -> str:
    return ", ".join(map(str, dbrps)) or "(none)"


@dataclass(frozen=True)
class DesiredTask:
    """A task as it should be on the server; ``script`` already carries the mark.

    dbrps are kept sorted and without duplicates: Kapacitor does not care about
    their order, so neither does a plan."""

    id: str
    script: str
    dbrps: tuple[DBRP, ...]
    status: str = "enabled"
    type: str = "stream"
    source: str = "<python>"  # where the alert came from, for messages
    template: str = ""
    # what the script's own `dbrp` statements name (then ``dbrps`` is empty: Kapacitor
    # refuses both); the server reports them as the task's dbrps
    script_dbrps: tuple[DBRP, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "dbrps", dbrp_set(self.dbrps))
        object.__setattr__(self, "script_dbrps", dbrp_set(self.script_dbrps))

    @property
    def effective_dbrps(self) -> tuple[DBRP, ...]:
        """The dbrps the server will report for the task."""
        return self.dbrps or self.script_dbrps

    @property
    def marker(self) -> Marker | None:
        return read_marker(self.script)


@dataclass(frozen=True)
class LiveTask:
    """A task as the server has it, read with ``script-format=raw``."""

    id: str
    script: str
    dbrps: tuple[DBRP, ...]
    status: str
    type: str = "stream"

    def __post_init__(self) -> None:
        object.__setattr__(self, "dbrps", dbrp_set(self.dbrps))

    @property
    def marker(self) -> Marker | None:
        return read_marker(self.script)

    @property
    def owned(self) -> bool:
        """Whether tickgen deployed it (for any owner)."""
        return self.marker is not None

    @property
    def owner(self) -> str | None:
        """The owner its mark names (the default owner for a mark without one);
        None when tickgen did not deploy it."""
        marker = self.marker
        return None if marker is None else marker.owner


def desired_task(
    task_id: str,
    script: str,
    dbrps: Iterable[DBRP],
    *,
    status: str = "enabled",
    type: str = "stream",
    source: str = "<python>",
    template: str = "",
    params_hash: str = "",
    owner: str = DEFAULT_OWNER,
    script_dbrps: Iterable[DBRP] = (),
) -> DesiredTask:
    """A DesiredTask whose script carries tickgen's mark."""
    return DesiredTask(
        id=task_id,
        script=mark(script, Marker(template, params_hash, owner)),
        dbrps=tuple(dbrps),
        status=status,
        type=type,
        source=source,
        template=template,
        script_dbrps=tuple(script_dbrps),
    )
