"""Alerts as code against live Kapacitor servers: plan, apply, prune, import.

    desired (rendered alerts) ─┐
                               ├─ compute_plan ─> Plan ─ apply_plan ─> ApplyResult
    live (read_live, paged) ───┘

The plan is a pure function of both sides (:mod:`.plan`); apply only executes
it (:mod:`.apply`).  tickgen marks the scripts it deploys (:mod:`.ownership`)
and never changes or deletes a task without the mark unless asked to adopt it.
From Python, ``plan_tasks(tasks, target)`` and ``apply_tasks(tasks, target)`` take a list
of RenderedTask (``tickgen.render_paths(...)`` or ``Renderer().render(alert)``)
and a Target (``url_target(url)`` or one of ``load_targets(config)``).
Targets come from ``tickgen.toml`` (:mod:`.targets`).  Turning live tasks and
Chronograf rules back into parameter files is :mod:`tickgen.importer`'s job.
"""

from __future__ import annotations

from .apply import ApplyResult, Outcome, apply_plan
from .desired import desired_for, render_alerts
from .live import LiveState, read_live
from .ownership import Marker, mark, read_marker, strip_marker
from .plan import Action, FieldChange, Plan, compute_plan
from .run import apply_tasks, plan_target, plan_tasks
from .state import DeployError, DesiredTask, LiveTask, desired_task
from .targets import Target, load_targets, resolve_targets, url_target

__all__ = [
    "Action",
    "ApplyResult",
    "DeployError",
    "DesiredTask",
    "FieldChange",
    "LiveState",
    "LiveTask",
    "Marker",
    "Outcome",
    "Plan",
    "Target",
    "apply_plan",
    "apply_tasks",
    "compute_plan",
    "desired_for",
    "desired_task",
    "load_targets",
    "mark",
    "plan_target",
    "plan_tasks",
    "read_live",
    "read_marker",
    "render_alerts",
    "resolve_targets",
    "strip_marker",
    "url_target",
]
