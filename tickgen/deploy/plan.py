"""The plan: what apply would do to one server, computed once as data.

:func:`compute_plan` is a pure function of the desired tasks and the live ones.
Each task gets one :class:`Action`:

* ``create``    desired, not on the server;
* ``update``    desired and owned by tickgen (or adopted), but different; the
                action lists what differs (script as a unified diff, dbrps,
                type, status);
* ``unchanged`` desired, owned, identical;
* ``conflict``  desired, but a task of that id exists that tickgen did not
                deploy: left alone unless ``adopt``;
* ``delete``    (with ``prune``) deployed by tickgen for this owner, in scope,
                no longer desired.

Tasks on the server that tickgen does not own and does not want are not in the
plan at all: they are someone else's.  Tasks tickgen deployed for another
owner (the ``owner=`` of their mark, :mod:`.ownership`) are never deleted; the
plan only counts them (``other_owners``).  A desired id held by another
owner's task is a conflict, except that a task of the default owner (every
task deployed before owners existed) is taken over by a named owner: that
shows once, as an update of the mark's first line.  Without ``prune``, the
plan lists this owner's tasks that no parameter file describes any more
(``no_file``): what ``--prune`` would delete.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .ownership import DEFAULT_OWNER, read_marker, strip_marker
from .state import DeployError, DesiredTask, LiveTask, format_dbrps

Kind = Literal["create", "update", "unchanged", "conflict", "delete"]
CHANGING: tuple[Kind, ...] = ("create", "update", "delete")


@dataclass(frozen=True)
class FieldChange:
    """One task field that differs: its name and both values as shown to a reader."""

    field: str
    live: str
    desired: str


@dataclass(frozen=True)
class Action:
    kind: Kind
    task_id: str
    desired: DesiredTask | None = None
    live: LiveTask | None = None
    changes: tuple[FieldChange, ...] = ()
    script_diff: tuple[str, ...] = ()  # unified diff lines, without line ends
    reason: str = ""

    @property
    def changed_fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.kind, "id": self.task_id}
        if self.desired is not None:
            out["source"] = self.desired.source
        if self.changes:
            out["changes"] = {c.field: {"live": c.live, "desired": c.desired} for c in self.changes}
        if self.script_diff:
            out["script_diff"] = "\n".join(self.script_diff) + "\n"
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Plan:
    """Every action for one target, sorted by task id."""

    actions: tuple[Action, ...]
    target: str = "default"
    url: str = ""
    live_requests: int = 0  # how many list requests reading the live state took
    kapacitor_version: str = ""  # what the desired scripts were rendered and checked for
    kapacitor_version_source: str = ""  # where that came from (deploy.versions.Source)
    owner: str = DEFAULT_OWNER
    other_owners: int = 0  # managed tasks in scope deployed for other owners, left alone
    no_file: tuple[str, ...] = ()  # (without prune) this owner's tasks no file describes
    counts: Counter[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", Counter(a.kind for a in self.actions))

    def of_kind(self, *kinds: Kind) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.kind in kinds)

    @property
    def changes(self) -> tuple[Action, ...]:
        """The actions apply executes."""
        return self.of_kind(*CHANGING)

    @property
    def has_changes(self) -> bool:
        return any(self.counts[k] for k in CHANGING)

    def summary(self) -> str:
        """``Plan: 3 to create, 2 to update, 1 to delete, 194 unchanged.`` (+ conflicts)."""
        c = self.counts
        text = (
            f"Plan: {c['create']} to create, {c['update']} to update, "
            f"{c['delete']} to delete, {c['unchanged']} unchanged"
        )
        if c["conflict"]:
            text += f", {c['conflict']} conflict{'s' if c['conflict'] != 1 else ''} left alone"
        return text + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "url": self.url,
            "kapacitor_version": self.kapacitor_version,
            "kapacitor_version_from": self.kapacitor_version_source,
            "summary": {k: self.counts[k] for k in (*CHANGING, "unchanged", "conflict")},
            "owner": self.owner,
            "other_owners": self.other_owners,
            "no_file": list(self.no_file),
            "live_requests": self.live_requests,
            "actions": [a.to_json() for a in self.actions],
        }


def in_scope(task_id: str, id_prefix: str) -> bool:
    return task_id.startswith(id_prefix)


def compute_plan(
    desired: Sequence[DesiredTask],
    live: Iterable[LiveTask],
    *,
    prune: bool = False,
    adopt: bool = False,
    id_prefix: str = "",
    target: str = "default",
    url: str = "",
    live_requests: int = 0,
    kapacitor_version: str = "",
    kapacitor_version_source: str = "",
    owner: str = DEFAULT_OWNER,
) -> Plan:
    """Compare desired and live tasks; raise DeployError for a desired id given twice.

    Pruning only ever considers tasks tickgen deployed for ``owner`` whose id
    starts with ``id_prefix``: another target's or another owner's tasks on a
    shared server are out of scope.
    """
    wanted = _unique(desired)
    have = {task.id: task for task in live}
    actions: list[Action] = []
    for task_id, want in wanted.items():
        current = have.get(task_id)
        if current is None:
            actions.append(Action("create", task_id, desired=want))
        elif current.owner not in (None, owner, DEFAULT_OWNER) and not adopt:
            actions.append(
                Action(
                    "conflict",
                    task_id,
                    desired=want,
                    live=current,
                    reason=f"tickgen deployed this task for owner {current.owner}; "
                    "it is left alone (use --adopt to take it over)",
                )
            )
        elif not current.owned and not adopt:
            actions.append(
                Action(
                    "conflict",
                    task_id,
                    desired=want,
                    live=current,
                    reason="a task with this id exists that tickgen did not deploy; "
                    "it is left alone (use --adopt to take it over)",
                )
            )
        else:
            actions.append(_compare(want, current))
    other_owners = 0
    no_file: list[str] = []
    for task_id, current in sorted(have.items()):
        if task_id in wanted or not current.owned or not in_scope(task_id, id_prefix):
            continue
        if current.owner != owner:
            other_owners += 1
        elif prune:
            reason = "deployed by tickgen, no longer desired"
            actions.append(Action("delete", task_id, live=current, reason=reason))
        else:
            no_file.append(task_id)
    actions.sort(key=lambda a: a.task_id)
    return Plan(
        tuple(actions),
        target=target,
        url=url,
        live_requests=live_requests,
        kapacitor_version=kapacitor_version,
        kapacitor_version_source=kapacitor_version_source,
        owner=owner,
        other_owners=other_owners,
        no_file=tuple(no_file),
    )


def _unique(desired: Sequence[DesiredTask]) -> dict[str, DesiredTask]:
    wanted: dict[str, DesiredTask] = {}
    clashes: list[str] = []
    for task in desired:
        first = wanted.setdefault(task.id, task)
        if first is not task:
            clashes.append(f"task id {task.id!r} is given twice: {first.source} and {task.source}")
    if clashes:
        raise DeployError("\n".join(clashes))
    return wanted


def _compare(want: DesiredTask, current: LiveTask) -> Action:
    changes: list[FieldChange] = []
    diff: tuple[str, ...] = ()
    if not _same_script(want.script, current.script):
        changes.append(FieldChange("script", "(see the diff)", "(see the diff)"))
        diff = script_diff(current.script, want.script, want.id)
    if want.effective_dbrps != current.dbrps:
        changes.append(
            FieldChange("dbrps", format_dbrps(current.dbrps), format_dbrps(want.effective_dbrps))
        )
    if want.type != current.type:
        changes.append(FieldChange("type", current.type, want.type))
    if want.status != current.status:
        changes.append(FieldChange("status", current.status, want.status))
    if not changes:
        return Action("unchanged", want.id, desired=want, live=current)
    if not current.owned:
        reason = "adopted: tickgen takes over a task it did not deploy"
    elif current.owner != want_owner(want):
        reason = f"owner {current.owner} -> {want_owner(want)}"
    else:
        reason = ""
    return Action(
        "update", want.id, desired=want, live=current, changes=tuple(changes), script_diff=diff,
        reason=reason,
    )


def _same_script(desired: str, live: str) -> bool:
    """Whether the live script is the desired one, its mark's params hash aside.

    The hash records the parameters a script was deployed from.  Parameters
    written differently can render the same script (handlers listed in another
    order, ``95`` for ``95.0``: what ``tickgen import`` writes back), and a new
    hash alone would make an update: Kapacitor restarts a task whose script
    changes, which forgets its alert states.  So the hash stays as deployed until
    the script itself changes; the owner and the template in the mark still count.
    """
    if desired == live:
        return True
    want, have = read_marker(desired), read_marker(live)
    if want is None or have is None or replace(have, params_hash=want.params_hash) != want:
        return False
    return strip_marker(desired) == strip_marker(live)


def script_diff(live: str, desired: str, task_id: str) -> tuple[str, ...]:
    return tuple(
        difflib.unified_diff(
            live.splitlines(),
            desired.splitlines(),
            fromfile=f"live/{task_id}",
            tofile=f"desired/{task_id}",
            lineterm="",
        )
    )


def want_owner(want: DesiredTask) -> str:
    marker = want.marker
    return DEFAULT_OWNER if marker is None else marker.owner
