"""tickgen import: parameter files from the tasks of a live Kapacitor, or from Chronograf rules."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from tickgen.deploy.live import prefix_pattern, read_live
from tickgen.deploy.run import target_version
from tickgen.deploy.state import DeployError, LiveTask
from tickgen.deploy.targets import resolve_targets
from tickgen.deploy.versions import TargetVersion
from tickgen.importer import (
    Imported,
    ImportProblem,
    import_rule,
    import_tasks,
    load_rules,
    write_params,
)
from tickgen.render import Renderer

from ._common import (
    add_deadline_option,
    add_template_options,
    command_deadline,
    command_parser,
    pinned_version,
    project_of,
    renderer_from,
    use_project,
)
from .completion import complete_with, target_names


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command_parser(
        sub,
        "import",
        summary="write parameter files for live tasks or Chronograf alert rules",
        description=(
            "Read the tasks of a Kapacitor server and write a parameter file (DIR/<id>.yaml)\n"
            "for each one built by Chronograf's rule builder or by tickgen's templates,\n"
            "recognised by the canonical layout of its script. Each file is rendered back and\n"
            "written only if it gives exactly the task's script; the other tasks are listed\n"
            "with the reason. With 'chronograf RULES.json', convert Chronograf's alert rules\n"
            "(the JSON of /chronograf/v1/sources/:id/kapacitors/:kid/rules) instead."
        ),
        example=(
            "tickgen import --url http://kapacitor:9092 --out alerts/\n"
            "tickgen import --url http://kapacitor:9092 --pattern 'chronograf-v1-*' --out alerts/\n"
            "tickgen import --target prod --out alerts/   # a target of tickgen.toml\n"
            "tickgen import chronograf rules.json --out alerts/"
        ),
    )
    parser.add_argument(
        "source",
        nargs="*",
        metavar="chronograf RULES.json",
        help="convert a file of Chronograf rules instead of reading a server",
    )
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where to write")
    parser.add_argument(
        "--url", help="the Kapacitor server (default: $KAPACITOR_URL, else http://localhost:9092)"
    )
    complete_with(
        parser.add_argument(
            "--target",
            metavar="NAME",
            help="read this target of tickgen.toml: its URL, credentials and version pin; "
            "with an id_prefix, only its tasks, written without the prefix "
            "(default: --url, $KAPACITOR_URL, default_target, http://localhost:9092)",
        ),
        target_names,
    )
    parser.add_argument(
        "--pattern",
        help="only tasks whose id matches this glob (after a target's id_prefix)",
    )
    add_deadline_option(parser)
    add_template_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    use_project(args, paths=None)  # the project's templates, to recognise their tasks
    if args.source:
        if len(args.source) != 2 or args.source[0] != "chronograf":
            raise DeployError("usage: tickgen import chronograf RULES.json --out DIR")
        if args.url or args.pattern or args.target:
            raise DeployError(
                "--url, --target and --pattern read a server; a rules file needs none of them"
            )
        results, origin = _from_rules(Path(args.source[1]), renderer_from(args))
    else:
        results, origin = _from_server(args)
    _write(results, args.out, origin)
    return 0


def _from_rules(path: Path, renderer: Renderer) -> tuple[list[Imported], str]:
    try:
        rules = load_rules(path)
    except ImportProblem as exc:
        raise DeployError(str(exc)) from None
    return [import_rule(rule, renderer) for rule in rules], f"imported from Chronograf rules {path}"


def _from_server(args: argparse.Namespace) -> tuple[list[Imported], str]:
    """The server's tasks, rendered back for its version (or --kapacitor-version).

    The server is chosen as plan and apply choose it.  A target's ``id_prefix`` is
    taken off the ids written, so that a plan of the files against that target
    finds the tasks they came from.
    """
    deadline = command_deadline(args)
    names = [args.target] if args.target else []
    (target,) = resolve_targets(names, args.url, args.config, project=project_of(args))
    pinned = pinned_version(args)
    prefix = target.id_prefix
    pattern = prefix_pattern(prefix, args.pattern or "*") if prefix else args.pattern

    async def read() -> tuple[tuple[LiveTask, ...], str, TargetVersion]:
        async with target.client(deadline=deadline) as client:
            version = await target_version(target, client, pinned)
            live = await read_live(client, pattern=pattern)
            return live.tasks, client.url, version

    tasks, url, version = asyncio.run(read())
    if prefix:
        tasks = tuple(
            dataclasses.replace(task, id=task.id[len(prefix) :])
            for task in tasks
            if task.id.startswith(prefix) and len(task.id) > len(prefix)
        )
    renderer = renderer_from(args, version.version)
    named = url if target.name == "default" and not names else f"target {target.name} ({url})"
    return import_tasks(tasks, renderer), f"imported from {named}, {version}"


def _write(results: Sequence[Imported], out: Path, origin: str) -> None:
    written = [r for r in results if r.params is not None]
    skipped = [r for r in results if r.params is None]
    for result in written:
        write_params(out, result, f"{origin}\n  tickgen render {out / (result.task_id + '.yaml')}")
        if result.note:
            for line in result.note.splitlines():
                print(f"{result.task_id}: note: {line}", file=sys.stderr)
    print(f"wrote {len(written)} parameter file(s) to {out}")
    if skipped:
        print(f"not imported ({len(skipped)}):")
        for result in skipped:
            print(f"  {result.task_id}: {result.reason}")
