"""A cancel of the caller is never lost inside a request.

``apply`` stops at its command deadline, and at Ctrl-C, by cancelling its main
task.  ``asyncio.wait_for`` (Python 3.10/3.11) returns its answer and drops a cancel
that lands in the loop turn the answer completes in; CI once saw ``apply --deadline 1``
page a slow server for two minutes after it.  Here the cancel is made to land exactly
there: the transport's handler cancels the caller and answers at once.  A real
server cannot be timed to a loop turn, hence httpx.MockTransport.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable

import httpx

from tickgen.cli.apply import Interrupts
from tickgen.client import AsyncKapacitorClient, Deadline
from tickgen.deploy.apply import ApplyResult, Outcome
from tickgen.deploy.plan import Action, Plan
from tickgen.deploy.run import TargetRun, left_states
from tickgen.deploy.targets import Target

URL = "http://127.0.0.1:9"
TASK = {"id": "x", "status": "enabled", "type": "stream", "dbrps": [], "script": ""}


def _cancelling_on_answer(caller: list[asyncio.Future[str]]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        caller[0].cancel()  # the deadline passes as the answer arrives
        return httpx.Response(200, content=json.dumps(TASK).encode())

    return httpx.MockTransport(handler)


def _run_cancelled_on_answer(
    body: Callable[[AsyncKapacitorClient], Awaitable[None]],
) -> str:
    """ "cancelled" if the cancel landing with the first answer ends ``body``'s task."""

    async def go() -> str:
        caller: list[asyncio.Future[str]] = []
        async with AsyncKapacitorClient(URL, transport=_cancelling_on_answer(caller)) as client:

            async def then_more() -> str:
                await body(client)
                await asyncio.sleep(0.2)  # the next page, had the cancel been lost
                return "went on"

            caller.append(asyncio.ensure_future(then_more()))
            try:
                return await caller[0]
            except asyncio.CancelledError:
                return "cancelled"

    return asyncio.run(go())


def _cut_off(client: AsyncKapacitorClient) -> TargetRun:
    """A run whose one change (task "x") was interrupted in flight."""
    run = TargetRun(Target(name="t", url=URL), client=client)
    action = Action(kind="update", task_id="x")
    run.result = ApplyResult(Plan(actions=(action,)))
    run.result.outcomes.append(Outcome(action, "interrupted in flight", 0.1, True))
    return run


def test_a_cancel_landing_with_the_answer_cancels_the_caller() -> None:
    async def body(client: AsyncKapacitorClient) -> None:
        await client.get_task("x")

    assert _run_cancelled_on_answer(body) == "cancelled"


def test_the_read_back_after_an_interrupt_stays_cancellable() -> None:
    # the states of tasks cut off in flight are read within a bound of their own;
    # a second Ctrl-C there must still end it at once (the read-back runs under
    # gather, which re-raises a cancel of its own even when a child drops it: this
    # guards against the read-back catching the cancel, not against wait_for)
    async def body(client: AsyncKapacitorClient) -> None:
        await left_states(_cut_off(client))

    assert _run_cancelled_on_answer(body) == "cancelled"


def test_the_read_back_gives_up_on_a_task_after_its_bound() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, content=json.dumps(TASK).encode())

    async def go() -> dict[str, str]:
        async with AsyncKapacitorClient(URL, transport=httpx.MockTransport(slow)) as client:
            return await left_states(_cut_off(client), timeout=0.05)

    assert asyncio.run(go()) == {"x": "unknown (cannot read it: no answer within 0.05 seconds)"}


def test_apply_cancels_again_when_a_library_swallows_its_cancel() -> None:
    # whatever may drop a cancel next (a library's bug), the deadline still ends the run
    async def swallows_one_cancel(interrupts: Interrupts) -> str:
        interrupts.install()
        try:
            with contextlib.suppress(asyncio.CancelledError):  # lost, as wait_for lost it
                await asyncio.sleep(10)
            await asyncio.sleep(10)
            return "went on"
        finally:
            interrupts.uninstall()

    async def go() -> str:
        interrupts = Interrupts(grace=5.0, deadline=Deadline(0.05))
        try:
            return await asyncio.wait_for(swallows_one_cancel(interrupts), 8)
        except asyncio.CancelledError:
            return "cancelled" if interrupts.deadline_reached else "cancelled otherwise"

    assert asyncio.run(go()) == "cancelled"
