"""One run over several targets: read each server, plan, and (for apply) execute, concurrently.

Every target's plan is computed before the first write to any of them, so a
bad config, an unreachable server or a duplicate id stops the run while
nothing has changed yet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass

from tickgen.client import AsyncKapacitorClient, KapacitorError
from tickgen.render import RenderedTask

from .apply import DEFAULT_PARALLEL, ApplyResult, Outcome, apply_plan
from .desired import desired_for
from .live import prefix_pattern, read_live
from .plan import Plan, compute_plan
from .state import DeployError
from .targets import Target


@dataclass
class TargetRun:
    target: Target
    client: AsyncKapacitorClient | None = None
    plan: Plan | None = None
    result: ApplyResult | None = None


async def plan_target(
    tasks: Sequence[RenderedTask],
    target: Target,
    client: AsyncKapacitorClient,
    *,
    prune: bool = False,
    adopt: bool = False,
) -> Plan:
    """Read the target's live tasks (in its id_prefix) and plan against ``tasks``."""
    desired = desired_for(tasks, target)
    live = await read_live(client, pattern=prefix_pattern(target.id_prefix))
    return compute_plan(
        desired,
        live.tasks,
        prune=prune,
        adopt=adopt,
        id_prefix=target.id_prefix,
        target=target.name,
        url=client.url,
        live_requests=live.requests,
    )


async def plan_all(
    runs: Sequence[TargetRun],
    tasks: Sequence[RenderedTask],
    stack: AsyncExitStack,
    *,
    prune: bool = False,
    adopt: bool = False,
) -> None:
    """Open a client per target (closed with ``stack``) and plan them all at once."""
    for run in runs:
        # desired_for raises on a task with no dbrps before any request is sent
        desired_for(tasks, run.target)
    for run in runs:
        run.client = await stack.enter_async_context(run.target.client())

    async def one(run: TargetRun) -> None:
        assert run.client is not None
        try:
            run.plan = await plan_target(tasks, run.target, run.client, prune=prune, adopt=adopt)
        except KapacitorError as exc:
            where = f"target {run.target.name} ({run.client.url})"
            raise DeployError(f"{where}: cannot read its tasks: {exc}") from exc

    await asyncio.gather(*(one(run) for run in runs))


async def apply_all(
    runs: Sequence[TargetRun],
    *,
    parallel: int = DEFAULT_PARALLEL,
    on_outcome: Callable[[TargetRun], Callable[[Outcome], None]] | None = None,
) -> None:
    """Execute every planned target concurrently; outcomes land in each ``run.result``."""

    async def one(run: TargetRun) -> None:
        assert run.client is not None
        assert run.plan is not None
        run.result = ApplyResult(run.plan)
        callback = on_outcome(run) if on_outcome is not None else None
        await apply_plan(
            run.plan, run.client, parallel=parallel, on_outcome=callback, result=run.result
        )

    await asyncio.gather(*(one(run) for run in runs))


def plan_tasks(
    tasks: Sequence[RenderedTask],
    target: Target,
    *,
    prune: bool = False,
    adopt: bool = False,
) -> Plan:
    """The plan for ``tasks`` (rendered in Python or from files) on one target."""

    async def run() -> Plan:
        async with target.client() as client:
            return await plan_target(tasks, target, client, prune=prune, adopt=adopt)

    return asyncio.run(run())


def apply_tasks(
    tasks: Sequence[RenderedTask],
    target: Target,
    *,
    prune: bool = False,
    adopt: bool = False,
    parallel: int = DEFAULT_PARALLEL,
) -> ApplyResult:
    """Plan and apply ``tasks`` on one target; the result says what succeeded and failed."""

    async def run() -> ApplyResult:
        async with target.client() as client:
            planned = await plan_target(tasks, target, client, prune=prune, adopt=adopt)
            return await apply_plan(planned, client, parallel=parallel)

    return asyncio.run(run())
