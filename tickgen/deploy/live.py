"""Reading what a server has: every task, a page of 100 per request, only the fields a plan needs.

``GET /tasks?fields=type&fields=dbrps&fields=script&fields=status&script-format=raw``
returns the scripts as stored (so tickgen's mark is there, and the text is
compared byte for byte) and leaves out the dot graphs and stats that make a
full listing heavy.  ``id`` and ``link`` always come along.
"""

from __future__ import annotations

from dataclasses import dataclass

from tickgen.client import AsyncKapacitorClient, Task

from .state import LiveTask

LIVE_FIELDS = ("type", "dbrps", "script", "status")
PAGE_SIZE = 100


@dataclass(frozen=True)
class LiveState:
    tasks: tuple[LiveTask, ...]
    requests: int  # list requests it took: one per page, plus the short last one


def live_task(task: Task) -> LiveTask:
    return LiveTask(
        id=task.id,
        script=task.script,
        dbrps=tuple(task.dbrps),
        status=task.status or "disabled",
        type=task.type or "stream",
    )


async def read_live(
    client: AsyncKapacitorClient, *, pattern: str | None = None, page_size: int = PAGE_SIZE
) -> LiveState:
    """Every task whose id matches ``pattern`` (a Go path.Match glob), page by page."""
    pages = client.iter_tasks(
        pattern=pattern, fields=LIVE_FIELDS, page_size=page_size, script_format="raw"
    )
    tasks = tuple([live_task(t) async for t in pages])
    # the pager stops after the first short page, so every full page cost one request more
    return LiveState(tasks, len(tasks) // page_size + 1)


def prefix_pattern(id_prefix: str, rest: str = "*") -> str | None:
    """The list pattern for ids starting with ``id_prefix`` (glob characters escaped)
    and going on as the glob ``rest`` says."""
    if not id_prefix:
        return None
    escaped = "".join("\\" + ch if ch in "*?[\\" else ch for ch in id_prefix)
    return escaped + rest
