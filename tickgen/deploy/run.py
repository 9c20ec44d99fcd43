"""One run over several targets: read each server, plan, and (for apply) execute, concurrently.

Each target's alerts are rendered and checked for the Kapacitor version it
runs (:mod:`.versions`: ``--kapacitor-version``, the target's pin, else the
server's ping), once per distinct version.  Every target's plan is computed
before the first write to any of them, so a bad config, an unreachable server,
an alert too new for a server or a duplicate id stops the run while nothing
has changed yet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass

import anyio

from tickgen.client import AsyncKapacitorClient, Deadline, KapacitorError, NotFound
from tickgen.errors import ParameterError, in_seconds
from tickgen.render import RenderedTask
from tickgen.tick import check

from .apply import DEFAULT_PARALLEL, ApplyResult, Outcome, apply_plan
from .desired import desired_for
from .live import prefix_pattern, read_live
from .plan import Plan, compute_plan
from .state import DeployError
from .targets import Target
from .versions import TargetVersion, server_version

Render = Callable[[str], Sequence[RenderedTask]]  # Kapacitor version -> rendered alerts


@dataclass
class TargetRun:
    target: Target
    client: AsyncKapacitorClient | None = None
    version: TargetVersion | None = None
    plan: Plan | None = None
    result: ApplyResult | None = None


async def target_version(
    target: Target, client: AsyncKapacitorClient, pinned: str | None = None
) -> TargetVersion:
    """The version to render for: ``pinned`` (the option), the target's pin, else the server's."""
    if pinned:
        return TargetVersion(pinned, "option")
    if target.kapacitor_version:
        return TargetVersion(target.kapacitor_version, "target")
    try:
        return TargetVersion(await server_version(client), "server")
    except KapacitorError as exc:
        raise DeployError(
            f"target {target.name} ({client.url}): cannot read its version: {exc}"
        ) from exc


async def plan_target(
    tasks: Sequence[RenderedTask],
    target: Target,
    client: AsyncKapacitorClient,
    *,
    prune: bool = False,
    adopt: bool = False,
    version: TargetVersion | None = None,
) -> Plan:
    """Read the target's live tasks (in its id_prefix) and plan against ``tasks``
    (rendered for ``version``, which the plan shows)."""
    desired = desired_for(tasks, target)
    live = await read_live(client, pattern=prefix_pattern(target.id_prefix))
    return compute_plan(
        desired,
        live.tasks,
        prune=prune,
        adopt=adopt,
        id_prefix=target.id_prefix,
        owner=target.owner,
        target=target.name,
        url=client.url,
        live_requests=live.requests,
        kapacitor_version=version.version if version else "",
        kapacitor_version_source=version.source if version else "",
    )


async def plan_all(
    runs: Sequence[TargetRun],
    render: Render,
    stack: AsyncExitStack,
    *,
    pinned_version: str | None = None,
    prune: bool = False,
    adopt: bool = False,
    deadline: Deadline | None = None,
) -> None:
    """Open a client per target (closed with ``stack``), find each one's version,
    render for it and plan them all at once.  With ``deadline``, no request of
    any of those clients outlives it (it fails with DeadlineExceeded).

    Only pings are sent before every target's alerts are rendered and checked:
    an alert its server is too old for stops the run before any other request.
    """
    for run in runs:
        run.client = await stack.enter_async_context(run.target.client(deadline=deadline))

    async def find_version(run: TargetRun) -> None:
        assert run.client is not None
        run.version = await target_version(run.target, run.client, pinned_version)

    await asyncio.gather(*(find_version(run) for run in runs))
    rendered: dict[str, Sequence[RenderedTask]] = {}
    for run in runs:
        assert run.client is not None and run.version is not None
        version = run.version.version
        if version not in rendered:
            try:
                rendered[version] = render(version)
            except ParameterError as exc:
                where = f"for target {run.target.name} ({run.client.url}), {run.version}"
                raise DeployError(f"{where}:\n{exc}") from None
        # desired_for raises on a task with no dbrps before any task is read
        desired_for(rendered[version], run.target)

    async def one(run: TargetRun) -> None:
        assert run.client is not None and run.version is not None
        tasks = rendered[run.version.version]
        try:
            run.plan = await plan_target(
                tasks, run.target, run.client, prune=prune, adopt=adopt, version=run.version
            )
        except KapacitorError as exc:
            where = f"target {run.target.name} ({run.client.url})"
            raise DeployError(f"{where}: cannot read its tasks: {exc}") from exc

    await asyncio.gather(*(one(run) for run in runs))


async def apply_all(
    runs: Sequence[TargetRun],
    *,
    parallel: int = DEFAULT_PARALLEL,
    on_outcome: Callable[[TargetRun], Callable[[Outcome], None]] | None = None,
    stop: asyncio.Event | None = None,
    deadline: Deadline | None = None,
) -> None:
    """Execute every planned target concurrently; outcomes land in each ``run.result``.

    Once ``stop`` is set or ``deadline`` has passed no further change starts
    (see :func:`.apply.apply_plan`)."""

    async def one(run: TargetRun) -> None:
        assert run.client is not None
        assert run.plan is not None
        run.result = ApplyResult(run.plan)
        callback = on_outcome(run) if on_outcome is not None else None
        await apply_plan(
            run.plan, run.client, parallel=parallel, on_outcome=callback, result=run.result,
            stop=stop, deadline=deadline,
        )

    await asyncio.gather(*(one(run) for run in runs))


async def left_states(run: TargetRun, timeout: float = 5.0) -> dict[str, str]:
    """What the server now has of each task whose change was cut off in flight:
    ``enabled``, ``disabled``, ``absent``, or why it could not be read (within ``timeout``)."""
    if run.result is None or run.client is None:
        return {}
    client = run.client

    async def one(task_id: str) -> tuple[str, str]:
        try:
            with anyio.fail_after(timeout):  # not wait_for: see tickgen/client/_io.py
                task = await client.get_task(task_id)
        except NotFound:
            return task_id, "absent"
        except TimeoutError:
            return task_id, f"unknown (cannot read it: no answer within {in_seconds(timeout)})"
        except KapacitorError as exc:
            return task_id, f"unknown (cannot read it: {str(exc) or type(exc).__name__})"
        return task_id, task.status or "unknown"

    ids = sorted({o.action.task_id for o in run.result.interrupted})
    return dict(await asyncio.gather(*(one(task_id) for task_id in ids)))


async def checked_plan(
    tasks: Sequence[RenderedTask],
    target: Target,
    client: AsyncKapacitorClient,
    *,
    prune: bool = False,
    adopt: bool = False,
) -> Plan:
    """:func:`plan_target` for tasks rendered elsewhere (in Python, for any version):
    each script is checked again for the version the target runs (its pin, else
    the server's ping) before anything else is read, so an alert the server is too
    old for stops here, as it does for ``tickgen plan``."""
    version = await target_version(target, client)
    problems = [
        f"{task.source}: task {task.id}: {d}"
        for task in tasks
        for d in check(task.script, version=version.version)
        if d.severity == "error"
    ]
    if problems:
        raise DeployError(
            f"target {target.name} ({client.url}) runs {version}; "
            "these scripts would fail there:\n  " + "\n  ".join(problems)
        )
    return await plan_target(tasks, target, client, prune=prune, adopt=adopt, version=version)


def plan_tasks(
    tasks: Sequence[RenderedTask],
    target: Target,
    *,
    prune: bool = False,
    adopt: bool = False,
    deadline: Deadline | float | None = None,
) -> Plan:
    """The plan for ``tasks`` (rendered in Python or from files) on one target,
    checked for the Kapacitor version it runs (see :func:`checked_plan`);
    ``deadline`` (seconds, or a Deadline) bounds the whole of it (DeadlineExceeded)."""

    async def run() -> Plan:
        async with target.client(deadline=deadline) as client:
            return await checked_plan(tasks, target, client, prune=prune, adopt=adopt)

    return asyncio.run(run())


def apply_tasks(
    tasks: Sequence[RenderedTask],
    target: Target,
    *,
    prune: bool = False,
    adopt: bool = False,
    parallel: int = DEFAULT_PARALLEL,
    deadline: Deadline | float | None = None,
) -> ApplyResult:
    """Plan and apply ``tasks`` on one target; the result says what succeeded and failed.

    Nothing is written when a script would fail on the version the target runs.
    With ``deadline`` (seconds, or a Deadline) every request ends by then: the
    plan fails with DeadlineExceeded if it is not read in time; during the
    changes, none starts once it has passed (``not_done``) and those in flight
    are cut off where they are (failed, with what that left: an update cut off
    between its two PATCHes says its task may be left disabled, and the next
    plan repairs it).  ``tickgen apply`` instead gives them a grace period.
    """
    limit = Deadline(deadline) if isinstance(deadline, (int, float)) else deadline

    async def run() -> ApplyResult:
        async with target.client(deadline=limit) as client:
            planned = await checked_plan(tasks, target, client, prune=prune, adopt=adopt)
            return await apply_plan(planned, client, parallel=parallel, deadline=limit)

    return asyncio.run(run())
