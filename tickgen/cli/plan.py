"""tickgen plan: what apply would change on a Kapacitor server, and nothing else."""

from __future__ import annotations

import argparse
import asyncio
import sys
from contextlib import AsyncExitStack

from tickgen.client import Deadline
from tickgen.deploy.desired import render_alerts
from tickgen.deploy.report import plan_text, plans_json
from tickgen.deploy.run import Render, TargetRun, plan_all
from tickgen.deploy.targets import resolve_targets
from tickgen.errors import ParameterError
from tickgen.render import RenderedTask
from tickgen.tick.nodes import LATEST

from . import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, output
from ._common import (
    add_deadline_option,
    add_template_options,
    command_deadline,
    command_parser,
    pinned_version,
    project_defaults,
    renderer_from,
    stderr_line,
    use_project,
)
from .colour import add_color_option, colour_plan, wants_colour
from .completion import complete_with, target_names


def add_deploy_options(parser: argparse.ArgumentParser) -> None:
    """The options plan and apply share."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="FILE|DIR",
        help="parameter files or directories (default: paths of tickgen.toml)",
    )
    parser.add_argument(
        "--url",
        help="the Kapacitor server (default: $KAPACITOR_URL, else http://localhost:9092)",
    )
    complete_with(
        parser.add_argument(
            "--target",
            metavar="NAME",
            action="append",
            default=[],
            help="a target of the config file (repeatable; several run concurrently)",
        ),
        target_names,
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="also delete tasks tickgen deployed that no parameter file describes any more",
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="take over tasks with a desired id that tickgen did not deploy (else: conflict)",
    )
    add_deadline_option(parser)
    add_color_option(parser)
    add_template_options(parser)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "plan",
        summary="show what apply would change on a Kapacitor server",
        description=(
            "Render the alerts of the given files and directories, read the tasks of the\n"
            "server (a page of 100 per request) and print, for every task, whether apply\n"
            "would create it, update it (with a diff), delete it (--prune, only tasks\n"
            "tickgen deployed), leave it unchanged, or leave it alone because someone else\n"
            "made a task with that id (a conflict). Nothing on the server changes.\n"
            "Exit status: 0 success; 1 error; with --detailed-exitcode, 2 when something\n"
            "would change."
        ),
        example=(
            "tickgen plan                  # paths and default_target of ./tickgen.toml\n"
            "tickgen plan alerts/ --url http://kapacitor:9092\n"
            "tickgen plan alerts/ --target prod --target staging --prune --detailed-exitcode\n"
            "tickgen plan alerts/ --output json | jq '.summary'\n"
            "tickgen plan alerts/ --target prod --output github   # in a GitHub Actions job"
        ),
    )
    add_deploy_options(parser)
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 2 when the plan has changes (0: none, 1: error)",
    )
    parser.add_argument(
        "--output",
        choices=("text", "json", "github"),
        default="text",
        help="plan format: text; json (docs/output-formats.md); github (the text plan in a "
        "collapsed log group, conflicts and parameter problems as GitHub Actions annotations)",
    )
    parser.add_argument(
        "--show-unchanged", action="store_true", help="list unchanged tasks too (text output)"
    )
    parser.set_defaults(run=run)


def desired_renderer(args: argparse.Namespace) -> Render:
    """Render the parameter files for a Kapacitor version (once per version, printing
    their warnings once).

    The first call, before any server is asked its version, renders for the
    pinned version or the newest supported one: parameter and template problems
    then stop the run offline, and a server of that version costs no second pass.
    """
    done: dict[str, list[RenderedTask]] = {}
    warned: set[str] = set()

    def render(version: str) -> list[RenderedTask]:
        if version not in done:
            tasks = render_alerts(
                args.paths, renderer_from(args, version), project=project_defaults(args)
            )
            for task in tasks:
                for line in task.warning_lines():
                    if line not in warned:
                        warned.add(line)
                        stderr_line(line)
            done[version] = tasks
        return done[version]

    render(pinned_version(args) or str(LATEST))
    return render


async def _plan(
    runs: list[TargetRun], render: Render, args: argparse.Namespace, deadline: Deadline
) -> None:
    async with AsyncExitStack() as stack:
        await plan_all(
            runs,
            render,
            stack,
            pinned_version=pinned_version(args),
            prune=args.prune,
            adopt=args.adopt,
            deadline=deadline,  # a request that would outlive it fails: exit 1, nothing else
        )


def run(args: argparse.Namespace) -> int:
    deadline = command_deadline(args)
    project = use_project(args)
    targets = resolve_targets(args.target, args.url, args.config, project=project)
    try:
        render = desired_renderer(args)  # offline problems stop the run before any request
    except ParameterError as exc:
        if args.output == "text":
            raise
        # CI reads the problems in the format it asked for (json: the findings document)
        sys.stdout.write(output.render(list(map(output.from_problem, exc.problems)),
                                       args.output, "plan"))  # fmt: skip
        return EXIT_ERROR
    runs = [TargetRun(t) for t in targets]
    asyncio.run(_plan(runs, render, args, deadline))
    plans = [r.plan for r in runs if r.plan is not None]
    if args.output == "json":
        sys.stdout.write(plans_json(plans))
    elif args.output == "github":
        sys.stdout.write("".join(map(output.plan_as_github, plans)))
    else:
        text = "\n".join(plan_text(p, show_unchanged=args.show_unchanged) for p in plans)
        sys.stdout.write(colour_plan(text) if wants_colour(sys.stdout, args.color) else text)
    sys.stdout.flush()
    changes = any(p.has_changes for p in plans)
    return EXIT_CHANGES if changes and args.detailed_exitcode else EXIT_OK
