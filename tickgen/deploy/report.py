"""How plans and applies read to a person: terraform-style text, JSON, and progress.

Nothing here decides anything; it prints what :mod:`.plan` and :mod:`.apply`
computed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TextIO, cast

from .apply import ApplyResult, Outcome
from .plan import Action, Plan
from .versions import Source, TargetVersion

SYMBOLS = {"create": "+", "update": "~", "delete": "-", "conflict": "!", "unchanged": " "}
LEGEND = "Legend: + create, ~ update, - delete, ! conflict (left alone)"
PAST = {"create": "created", "update": "updated", "delete": "deleted"}


def plan_header(plan: Plan) -> str:
    """``Target prod (https://k:9092), Kapacitor 1.8.3 (reported by the server)``."""
    header = f"Target {plan.target} ({plan.url})" if plan.url else f"Target {plan.target}"
    if plan.kapacitor_version:
        source = cast(Source, plan.kapacitor_version_source or "option")
        header += f", {TargetVersion(plan.kapacitor_version, source)}"
    return header


def plan_text(plan: Plan, *, show_unchanged: bool = False) -> str:
    """The whole plan: header, legend, one entry per action, diffs, summary."""
    lines = [plan_header(plan)]
    shown = [a for a in plan.actions if show_unchanged or a.kind != "unchanged"]
    if shown:
        lines += [LEGEND, ""]
        width = max(len(a.task_id) for a in shown)
        for action in shown:
            lines += _action_lines(action, width)
        lines.append("")
    else:
        lines.append("No changes: the server matches the parameter files.")
    lines += ownership_notes(plan)
    lines.append(plan.summary())
    return "\n".join(lines) + "\n"


def _tasks(n: int) -> str:
    return f"{n} managed task{'s' if n != 1 else ''}"


def ownership_notes(plan: Plan) -> list[str]:
    """What prune would delete (without --prune) and how many other owners' tasks it spares."""
    notes: list[str] = []
    if plan.no_file:
        verb = "has" if len(plan.no_file) == 1 else "have"
        shown = ", ".join(plan.no_file[:10]) + (", ..." if len(plan.no_file) > 10 else "")
        notes.append(
            f"{_tasks(len(plan.no_file))} {verb} no file; --prune would delete "
            f"{'it' if len(plan.no_file) == 1 else 'them'}: {shown}"
        )
    if plan.other_owners:
        notes.append(
            f"{_tasks(plan.other_owners)} of other owners left alone "
            f"(this configuration's owner: {plan.owner})"
        )
    return notes


def _action_lines(action: Action, width: int) -> list[str]:
    head = f"  {SYMBOLS[action.kind]} {action.kind:<9} {action.task_id:<{width}}"
    if action.kind == "create" and action.desired is not None:
        detail = action.desired.source
    elif action.kind == "update":
        detail = ", ".join(
            c.field if c.field == "script" else f"{c.field}: {c.live} -> {c.desired}"
            for c in action.changes
        )
        if action.reason:
            detail += f" ({action.reason})"
    else:
        detail = action.reason
    out = [f"{head}  {detail}".rstrip()]
    out += [f"      {line}" for line in action.script_diff]
    return out


def plans_json(plans: Sequence[Plan]) -> str:
    body = [p.to_json() for p in plans]
    return json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n"


class Progress:
    """Apply progress on stderr: a bar redrawn in place on a terminal, plain lines elsewhere."""

    def __init__(
        self, stream: TextIO, total: int, *, target: str = "", tty: bool | None = None
    ) -> None:
        self.stream = stream
        self.total = total
        self.done = 0
        self.failed = 0
        self.prefix = f"{target}: " if target else ""
        self.tty = stream.isatty() if tty is None else tty

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        if not outcome.ok:
            self.failed += 1
        if self.tty:
            if not outcome.ok:
                self._clear()
                self.stream.write(self._line(outcome) + "\n")
            self._bar()
        else:
            self.stream.write(self._line(outcome) + "\n")
        self.stream.flush()

    def _line(self, outcome: Outcome) -> str:
        action = outcome.action
        if outcome.ok:
            return f"{self.prefix}{PAST[action.kind]} {action.task_id}"
        return f"{self.prefix}failed to {action.kind} {action.task_id}: {outcome.error}"

    def _bar(self, width: int = 30) -> None:
        filled = width * self.done // self.total if self.total else width
        bar = "#" * filled + "." * (width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r{self.prefix}[{bar}] {self.done}/{self.total}{failed}")
        if self.done == self.total:
            self.stream.write("\n")

    def _clear(self) -> None:
        self.stream.write("\r\x1b[K")

    def finish(self) -> None:
        """End a bar left mid-line (after an interrupt)."""
        if self.tty and self.done != self.total:
            self.stream.write("\n")
            self.stream.flush()


def apply_summary(result: ApplyResult, states: dict[str, str] | None = None) -> str:
    """Which changes succeeded, which failed and why, which were cut off in flight
    (with the state ``states`` says the server has their tasks in), which never ran."""
    plan = result.plan
    ok = Counter(o.action.kind for o in result.succeeded)
    done = ", ".join(f"{ok[k]} {PAST[k]}" for k in ("create", "update", "delete") if ok[k])
    failed = [o for o in result.failed if not o.interrupted]
    interrupted, not_done = result.interrupted, result.not_done
    lines = [
        f"Apply on {plan.target}: {len(result.succeeded)} succeeded"
        + (f" ({done})" if done else "")
        + f", {len(failed)} failed"
        + (f", {len(interrupted)} interrupted in flight" if interrupted else "")
        + (f", {len(not_done)} not done" if not_done else "")
        + f", in {result.seconds:.1f}s."
    ]
    for outcome in sorted(failed, key=lambda o: o.action.task_id):
        lines.append(f"  failed to {outcome.action.kind} {outcome.action.task_id}: {outcome.error}")
    lines += interrupted_lines(result, states or {})
    for action in not_done:
        lines.append(f"  not done: {action.kind} {action.task_id}")
    conflicts = plan.of_kind("conflict")
    for action in conflicts:
        lines.append(f"  left alone: {action.task_id}: {action.reason}")
    if failed or not_done or interrupted:
        lines.append("Run apply again to finish: it converges from wherever this run stopped.")
    return "\n".join(lines) + "\n"


def interrupted_lines(result: ApplyResult, states: dict[str, str]) -> list[str]:
    """Each change cut off in flight, with the state the server has its task in now."""
    lines: list[str] = []
    for outcome in sorted(result.interrupted, key=lambda o: o.action.task_id):
        action = outcome.action
        state = states.get(action.task_id, "unknown")
        wanted = action.desired.status if action.desired is not None else "absent"
        head = f"  interrupted {action.kind} of {action.task_id}: the server has it {state}"
        if state == wanted:
            lines.append(f"{head}, the status wanted (plan shows anything left to change)")
        else:
            lines.append(f"{head}, not {wanted} as wanted: run apply again to repair it")
    return lines
