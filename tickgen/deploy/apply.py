"""Executing a plan: its changes run concurrently, each on its own, none stopping the others.

At most ``parallel`` tasks are being changed at once, through one
AsyncKapacitorClient.  Each action is done the way that leaves no task
half-made, whatever happens to the server meanwhile:

* create: one POST with the task's status; a task Kapacitor stored but could
  not start (it answers 500) or whose answer was lost is deleted again;
* update: one PATCH carries every changed field and, for a task that is to
  run, stops it; a second PATCH starts it, so the running pipeline reloads
  (Kapacitor restarts a pipeline only on a status change).  If that fails
  while the server still answers, the old script, dbrps and status are put
  back (a PATCH refused with a 4xx changed nothing and needs no putting back);
  if the server died, what it stored is either the old or the new definition,
  and the next plan shows what is left to do;
* delete: one DELETE (a task already gone counts as deleted).

Every outcome is recorded as it happens in the ApplyResult the caller holds,
so an interrupted run can still report what it did.  Setting ``stop`` lets the
changes in flight finish and starts no new one; cancelling the run records each
change cut off in flight as ``interrupted`` (its task may be half-changed, e.g.
left disabled between the two PATCHes of an update: the caller reads and
reports its state, and the next plan shows the repair).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from tickgen.client import AsyncKapacitorClient, BadRequest, KapacitorError
from tickgen.client.models import TaskStatus, TaskType

from .plan import Action, Plan

DEFAULT_PARALLEL = 8


@dataclass(frozen=True)
class Outcome:
    action: Action
    error: str | None = None  # None: done
    seconds: float = 0.0
    interrupted: bool = False  # cut off in flight: the task's state is whatever the server has

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ApplyResult:
    """What an apply did to one target; filled in while it runs."""

    plan: Plan
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def succeeded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def interrupted(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.interrupted]

    @property
    def not_done(self) -> list[Action]:
        """Changes that never finished (the run was interrupted)."""
        finished = {o.action.task_id for o in self.outcomes}
        return [a for a in self.plan.changes if a.task_id not in finished]

    @property
    def complete(self) -> bool:
        return not self.failed and not self.not_done


def _type(value: str) -> TaskType:
    if value not in ("stream", "batch"):
        raise KapacitorError(f"task type {value!r} is neither stream nor batch")
    return cast(TaskType, value)


def _status(value: str) -> TaskStatus:
    if value not in ("enabled", "disabled"):
        raise KapacitorError(f"task status {value!r} is neither enabled nor disabled")
    return cast(TaskStatus, value)


async def execute(client: AsyncKapacitorClient, action: Action) -> None:
    """Do one action; raise KapacitorError if it could not be done."""
    if action.kind == "create":
        want = action.desired
        assert want is not None
        await client.create_task(
            want.id, want.script, dbrps=want.dbrps, type=_type(want.type),
            status=_status(want.status),
        )
    elif action.kind == "update":
        await _update(client, action)
    elif action.kind == "delete":
        await client.delete_task(action.task_id)
    else:
        raise ValueError(f"{action.kind} is not a change")


async def _update(client: AsyncKapacitorClient, action: Action) -> None:
    want, before = action.desired, action.live
    assert want is not None
    assert before is not None
    changed = set(action.changed_fields)
    try:
        await client.update_task(
            want.id,
            script=want.script if "script" in changed else None,
            dbrps=want.dbrps if "dbrps" in changed else None,
            type=_type(want.type) if "type" in changed else None,
            status=_status(want.status),
        )
    except BadRequest:
        raise  # the PATCH itself was refused: nothing changed, nothing to put back
    except KapacitorError as exc:
        restored = await _restore(client, action)
        if restored:
            note = " (the previous definition was restored)"
        elif want.status == "enabled":
            # the server may have taken the disabling PATCH and not the enabling one
            note = (
                " (the previous definition could not be put back either: the task may be "
                "left disabled; the next plan shows it and the next apply repairs it)"
            )
        else:
            note = " (the previous definition could not be put back either)"
        raise KapacitorError(f"{exc}{note}") from exc


async def _restore(client: AsyncKapacitorClient, action: Action) -> bool:
    """Put the live definition back after a failed update; False if even that fails."""
    before = action.live
    assert before is not None
    try:
        await client.update_task(
            before.id,
            script=before.script,
            dbrps=before.dbrps,
            status=_status(before.status),
        )
    except KapacitorError:
        return False
    return True


async def apply_plan(
    plan: Plan,
    client: AsyncKapacitorClient,
    *,
    parallel: int = DEFAULT_PARALLEL,
    on_outcome: Callable[[Outcome], None] | None = None,
    result: ApplyResult | None = None,
    stop: asyncio.Event | None = None,
) -> ApplyResult:
    """Run every change of ``plan``; outcomes go into ``result`` (made if not given).

    Once ``stop`` is set no further change starts (those in flight finish)."""
    if parallel < 1:
        raise ValueError("parallel must be at least 1")
    result = result if result is not None else ApplyResult(plan)
    gate = asyncio.Semaphore(parallel)
    started = time.monotonic()

    async def run(action: Action) -> None:
        async with gate:
            if stop is not None and stop.is_set():
                return  # never started: reported as not done
            began = time.monotonic()
            try:
                await execute(client, action)
            except asyncio.CancelledError:
                seconds = time.monotonic() - began
                result.outcomes.append(Outcome(action, "interrupted in flight", seconds, True))
                raise
            except KapacitorError as exc:
                outcome = Outcome(action, str(exc) or type(exc).__name__, time.monotonic() - began)
            else:
                outcome = Outcome(action, None, time.monotonic() - began)
        result.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    try:
        await asyncio.gather(*(run(action) for action in plan.changes))
    finally:
        result.seconds = time.monotonic() - started
    return result
