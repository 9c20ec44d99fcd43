"""Desired state: the rendered alerts of parameter files (or of Python), as one target wants them.

Rendering happens once per run; each target then takes the same scripts with
its own id prefix, its default dbrps for tasks that name none, and tickgen's
mark on the first line of every script.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from tickgen import tick
from tickgen.dbrp import DBRP
from tickgen.models import task_id_problem
from tickgen.params import ProjectDefaults
from tickgen.pipeline import render_paths
from tickgen.render import RenderedTask, Renderer

from .state import DeployError, DesiredTask, desired_task
from .targets import Target


def render_alerts(
    paths: Sequence[str | Path], renderer: Renderer, project: ProjectDefaults | None = None
) -> list[RenderedTask]:
    """Every alert of the files and directories (with the project's defaults merged in),
    rendered; ParameterError lists all problems."""
    return render_paths(list(paths), renderer=renderer, project=project)


def desired_for(tasks: Iterable[RenderedTask], target: Target) -> list[DesiredTask]:
    """The tasks as ``target`` should have them; DeployError for a task with no dbrps."""
    desired: list[DesiredTask] = []
    missing: list[str] = []
    for task in tasks:
        problem = _problem(task, target)
        if problem:
            raise DeployError(f"{task.source}: task {task.id!r}: {problem}")
        # A script with its own `dbrp` statement (a user template may write one) takes
        # no dbrps besides: Kapacitor refuses "dbrp in both implicitly and explicitly".
        in_script = () if task.dbrps else _script_dbrps(task.script)
        dbrps = task.dbrps or (() if in_script else target.dbrps)
        if not dbrps and not in_script:
            missing.append(f"{task.source}: task {task.id!r} has no dbrps")
            continue
        desired.append(
            desired_task(
                target.id_prefix + task.id,
                task.script,
                dbrps,
                status=task.status,
                type=task.type,
                source=task.source,
                template=task.template,
                params_hash=task.params_hash,
                owner=target.owner,
                script_dbrps=in_script,
            )
        )
    if missing:
        hint = f"; give them in the parameters or as dbrps of target {target.name}"
        raise DeployError("\n".join(missing) + hint)
    return desired


def _script_dbrps(script: str) -> tuple[DBRP, ...]:
    """The dbrps the script's own ``dbrp`` statements name."""
    try:
        program = tick.parse(script)
    except tick.TickSyntaxError:
        return ()  # Kapacitor will say what is wrong with it
    return tuple(
        DBRP(statement.db.name, statement.rp.name)
        for statement in program.statements
        if isinstance(statement, tick.ast.DBRP)
    )


def _problem(task: RenderedTask, target: Target) -> str | None:
    """What Kapacitor would refuse in a task built in Python, before anything is sent."""
    if task.status not in ("enabled", "disabled"):
        return f"status {task.status!r} is neither enabled nor disabled"
    if task.type not in ("stream", "batch"):
        return f"type {task.type!r} is neither stream nor batch"
    return task_id_problem(target.id_prefix + task.id)
