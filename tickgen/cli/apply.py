"""tickgen apply: make Kapacitor servers match the parameter files."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from contextlib import AsyncExitStack, suppress

from tickgen.client import Deadline
from tickgen.deploy.apply import DEFAULT_PARALLEL, Outcome
from tickgen.deploy.report import Progress, apply_summary, plan_text
from tickgen.deploy.run import Render, TargetRun, apply_all, left_states, plan_all
from tickgen.deploy.state import DeployError
from tickgen.deploy.targets import resolve_targets

from . import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK
from ._common import command_deadline, command_parser, pinned_version, use_project
from .colour import colour_plan, wants_colour
from .plan import add_deploy_options, desired_renderer


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "apply",
        summary="create, update (and with --prune delete) tasks so the server matches",
        description=(
            "Plan as 'tickgen plan' does, print the plan, then carry it out: every alert\n"
            "is rendered and checked and every server read before the first write. Changes\n"
            "run concurrently (--parallel); updates restart running tasks so the new\n"
            "script takes effect. A failure on one task does not stop the others; the run\n"
            "ends with what succeeded and what failed, and exits 1 if anything failed or\n"
            "was left alone as a conflict. Running apply again converges.\n"
            "Deletes (--prune) touch only tasks of this configuration's owner and are\n"
            "confirmed first: on a terminal by typing yes, elsewhere by --yes."
        ),
        example=(
            "tickgen apply                 # paths and default_target of ./tickgen.toml\n"
            "tickgen apply alerts/ --url http://kapacitor:9092\n"
            "tickgen apply alerts/ --target prod --prune --parallel 16\n"
            "tickgen apply alerts/ --target prod --prune --yes   # in CI: delete without asking\n"
            "tickgen apply alerts/ --dry-run        # print the plan only"
        ),
    )
    add_deploy_options(parser)
    parser.add_argument(
        "--parallel",
        type=int,
        default=DEFAULT_PARALLEL,
        metavar="N",
        help="changes in flight at once per target (default: %(default)s)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan and change nothing"
    )
    parser.add_argument(
        "--yes",
        "--auto-approve",
        dest="yes",
        action="store_true",
        help="delete without asking (--prune asks on a terminal and refuses elsewhere)",
    )
    parser.set_defaults(run=run)


GRACE_SECONDS = 10.0  # how long changes in flight may take to finish after a signal
EXIT_SIGTERM = 143  # 128 + SIGTERM, as a shell reports a process it terminated


def grace_seconds() -> float:
    """``$TICKGEN_INTERRUPT_GRACE`` seconds, else GRACE_SECONDS."""
    value = os.environ.get("TICKGEN_INTERRUPT_GRACE", "")
    try:
        seconds = float(value) if value else GRACE_SECONDS
    except ValueError:
        raise DeployError(
            f"$TICKGEN_INTERRUPT_GRACE must be a number of seconds, not {value!r}"
        ) from None
    if not 0 <= seconds <= 3600:
        raise DeployError("$TICKGEN_INTERRUPT_GRACE must be between 0 and 3600 seconds")
    return seconds


class Interrupts:
    """SIGINT and SIGTERM during an apply, and the command deadline passing.

    Before the first write, a signal or the deadline stops the run at once
    (nothing changed).  While changes run, the first signal or the deadline
    lets those in flight finish (at most ``grace`` seconds) and starts no new
    one; a signal after that, or the grace running out, cancels them where
    they are, and their tasks' states are read back and reported.
    """

    def __init__(self, grace: float, deadline: Deadline | None = None) -> None:
        self.grace = grace
        self.deadline = deadline
        self.received: list[int] = []
        self.deadline_reached = False
        self.stop = asyncio.Event()
        self.applying = False
        self._main: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._watch: asyncio.TimerHandle | None = None
        self._again: asyncio.TimerHandle | None = None

    def install(self) -> bool:
        loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        self._watch_deadline()
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_signal, signum)
        except (NotImplementedError, RuntimeError):  # no signal handlers on this loop
            return False
        return True

    def uninstall(self) -> None:
        loop = asyncio.get_running_loop()
        self._unwatch()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)

    @property
    def triggered(self) -> bool:
        """Whether a signal or the deadline cut the run short."""
        return bool(self.received) or self.deadline_reached

    @property
    def exit_code(self) -> int:
        if not self.received:
            return EXIT_ERROR  # the deadline alone
        return EXIT_SIGTERM if self.received[0] == signal.SIGTERM else EXIT_INTERRUPTED

    def _on_signal(self, signum: int) -> None:
        self.received.append(signum)
        name = signal.Signals(signum).name
        if not self.applying or len(self.received) > 1 or self.deadline_reached:
            self._abort()
            return
        self._wind_down(name, f"{name} again aborts at once")

    def _wind_down(self, cause: str, then: str) -> None:
        """Start no new change; cancel those in flight after the grace period."""
        self.stop.set()
        print(
            f"\ntickgen: {cause}: finishing the changes in flight (at most {self.grace:g}s), "
            f"starting no new one; {then}",
            file=sys.stderr,
            flush=True,
        )
        self._timer = asyncio.get_running_loop().call_later(self.grace, self._abort)

    def _watch_deadline(self) -> None:
        # Looked at again at least every second rather than once at the end: the end
        # moves (the time spent at the confirmation prompt does not count), and a
        # deadline on another clock than the loop's (a test's) is still seen.
        if self.deadline is None or self.deadline_reached:
            return
        left = self.deadline.remaining()
        if left > 0:
            self._watch = asyncio.get_running_loop().call_later(
                min(left, 1.0), self._watch_deadline
            )
            return
        self.deadline_reached = True
        if not self.applying:
            self._abort()
        elif not self.received:  # after a signal its grace period is already running
            self._wind_down(f"{self.deadline} was reached", "Ctrl-C aborts at once")

    def _unwatch(self) -> None:
        for handle in (self._watch, self._again):
            if handle is not None:
                handle.cancel()
        self._watch = self._again = None

    def settled(self) -> None:
        """The changes are over (finished or cut off): no abort is pending any more."""
        self.applying = False  # a further signal stops the read-back at once
        self._unwatch()  # the read-back has its own short bound
        if self._timer is not None:
            self._timer.cancel()
        task = asyncio.current_task()
        if task is not None and sys.version_info >= (3, 11):
            while task.uncancel():  # the cancel we caught must not hit the read-back
                pass

    def _abort(self) -> None:
        if self._main is not None and not self._main.done():
            self._main.cancel()
            # A cancel some library swallows is sent again until the run ends: one lost
            # to asyncio.wait_for left apply paging a slow server past its deadline.
            self._again = asyncio.get_running_loop().call_later(1.0, self._abort)


def _progress(run: TargetRun, several: bool, bars: list[Progress]) -> Callable[[Outcome], None]:
    assert run.plan is not None
    if several:  # bars of several targets would overwrite each other: plain lines
        bar = Progress(sys.stderr, len(run.plan.changes), target=run.target.name, tty=False)
    else:
        bar = Progress(sys.stderr, len(run.plan.changes))
    bars.append(bar)
    return bar


async def _apply(
    runs: list[TargetRun],
    render: Render,
    args: argparse.Namespace,
    bars: list[Progress],
    interrupts: Interrupts,
) -> dict[str, dict[str, str]]:
    """Plan, confirm and apply; the states of tasks cut off in flight, by target name."""
    interrupts.install()
    try:
        return await _plan_and_apply(runs, render, args, bars, interrupts)
    finally:
        interrupts.uninstall()


async def _plan_and_apply(
    runs: list[TargetRun],
    render: Render,
    args: argparse.Namespace,
    bars: list[Progress],
    interrupts: Interrupts,
) -> dict[str, dict[str, str]]:
    async with AsyncExitStack() as stack:
        await plan_all(
            runs,
            render,
            stack,
            pinned_version=pinned_version(args),
            prune=args.prune,
            adopt=args.adopt,
        )
        for run in runs:
            assert run.plan is not None
            text = plan_text(run.plan)
            sys.stdout.write(colour_plan(text) if wants_colour(sys.stdout, args.color) else text)
        sys.stdout.flush()
        if args.dry_run:
            return {}
        if interrupts.deadline is not None and interrupts.deadline.expired:
            interrupts.deadline_reached = True  # planning took it all: change nothing
            return {}
        interrupts.uninstall()  # the prompt blocks: Ctrl-C there must end it the plain way
        asked = time.monotonic()
        try:
            _confirm_deletes(runs, args.yes)
        finally:
            if interrupts.deadline is not None:  # waiting for a person does not count
                interrupts.deadline.extend(time.monotonic() - asked)
            interrupts.install()
        several = len(runs) > 1
        interrupts.applying = True
        try:
            await apply_all(
                runs,
                parallel=args.parallel,
                on_outcome=lambda r: _progress(r, several, bars),
                stop=interrupts.stop,
                deadline=interrupts.deadline,  # no change starts once it has passed
            )
        except asyncio.CancelledError:
            if not interrupts.triggered:
                raise
        interrupts.settled()
        deadline = interrupts.deadline
        left = any(r.result is not None and r.result.not_done for r in runs)
        if left and deadline is not None and deadline.expired:
            interrupts.deadline_reached = True  # it stopped changes before the watch saw it
        if not interrupts.triggered:
            return {}
        # Cut off in flight: read back what the server has of those tasks.
        states = await asyncio.gather(*(left_states(run) for run in runs))
        return {run.target.name: s for run, s in zip(runs, states, strict=True)}


def _confirm_deletes(runs: list[TargetRun], approved: bool) -> None:
    """Ask before deleting anything: on a terminal a person says yes; elsewhere --yes must.

    Raises DeployError (exit 1, nothing changed) when the deletes are not approved."""
    deletes = sum(len(r.plan.of_kind("delete")) for r in runs if r.plan is not None)
    if not deletes or approved:
        return
    what = f"{deletes} task{'s' if deletes != 1 else ''}"
    if not sys.stdin.isatty():
        raise DeployError(
            f"--prune would delete {what} and nobody is here to confirm it: "
            "nothing was changed; run again with --yes (or --auto-approve) to delete them"
        )
    sys.stderr.write(f"Delete {what} as planned above? Only 'yes' goes ahead: ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip()
    if answer != "yes":
        raise DeployError(f"apply cancelled (answered {answer!r}): nothing was changed")


def run(args: argparse.Namespace) -> int:
    if args.parallel < 1:
        raise DeployError("--parallel must be at least 1")
    deadline = command_deadline(args)
    grace = grace_seconds()
    project = use_project(args)
    targets = resolve_targets(args.target, args.url, args.config, project=project)
    render = desired_renderer(args)  # offline problems stop the run before any request
    runs = [TargetRun(t) for t in targets]
    bars: list[Progress] = []
    interrupts = Interrupts(grace, deadline)
    states: dict[str, dict[str, str]] = {}
    try:
        states = asyncio.run(_apply(runs, render, args, bars, interrupts))
    except (KeyboardInterrupt, asyncio.CancelledError):
        if not interrupts.triggered:
            interrupts.received.append(signal.SIGINT)  # Ctrl-C before the handlers were in
    if interrupts.triggered:
        for bar in bars:
            bar.finish()
        _summaries(runs, states)
        if interrupts.received:
            print("tickgen: interrupted; run apply again to finish what is not done",
                  file=sys.stderr)  # fmt: skip
        elif any(r.result is not None for r in runs):
            print(f"tickgen: error: {deadline} was reached; run apply again to finish what "
                  f"is not done ({deadline.hint})", file=sys.stderr)  # fmt: skip
        else:
            print(f"tickgen: error: {deadline} was reached before any change: nothing was "
                  f"changed ({deadline.hint})", file=sys.stderr)  # fmt: skip
        return interrupts.exit_code
    if args.dry_run:
        return EXIT_OK
    return _summaries(runs, states)


def _summaries(runs: list[TargetRun], states: dict[str, dict[str, str]]) -> int:
    code = EXIT_OK
    for run in runs:
        if run.result is None:
            continue
        sys.stdout.write(apply_summary(run.result, states.get(run.target.name)))
        if not run.result.complete or run.result.plan.of_kind("conflict"):
            code = EXIT_ERROR
    sys.stdout.flush()
    return code
