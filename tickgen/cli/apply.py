"""tickgen apply: make Kapacitor servers match the parameter files."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from contextlib import AsyncExitStack

from tickgen.deploy.apply import DEFAULT_PARALLEL, Outcome
from tickgen.deploy.report import Progress, apply_summary, plan_text
from tickgen.deploy.run import Render, TargetRun, apply_all, plan_all
from tickgen.deploy.state import DeployError
from tickgen.deploy.targets import resolve_targets

from . import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK
from ._common import command_parser, pinned_version
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


def _progress(run: TargetRun, several: bool, bars: list[Progress]) -> Callable[[Outcome], None]:
    assert run.plan is not None
    if several:  # bars of several targets would overwrite each other: plain lines
        bar = Progress(sys.stderr, len(run.plan.changes), target=run.target.name, tty=False)
    else:
        bar = Progress(sys.stderr, len(run.plan.changes))
    bars.append(bar)
    return bar


async def _apply(
    runs: list[TargetRun], render: Render, args: argparse.Namespace, bars: list[Progress]
) -> None:
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
            return
        _confirm_deletes(runs, args.yes)
        several = len(runs) > 1
        await apply_all(
            runs, parallel=args.parallel, on_outcome=lambda r: _progress(r, several, bars)
        )


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
    targets = resolve_targets(args.target, args.url, args.config)
    render = desired_renderer(args)  # offline problems stop the run before any request
    runs = [TargetRun(t) for t in targets]
    bars: list[Progress] = []
    try:
        asyncio.run(_apply(runs, render, args, bars))
    except KeyboardInterrupt:
        for bar in bars:
            bar.finish()
        _summaries(runs)
        print("tickgen: interrupted; run apply again to finish what is not done", file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.dry_run:
        return EXIT_OK
    return _summaries(runs)


def _summaries(runs: list[TargetRun]) -> int:
    code = EXIT_OK
    for run in runs:
        if run.result is None:
            continue
        sys.stdout.write(apply_summary(run.result))
        if not run.result.complete or run.result.plan.of_kind("conflict"):
            code = EXIT_ERROR
    sys.stdout.flush()
    return code
