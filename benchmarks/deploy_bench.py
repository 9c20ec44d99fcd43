"""Deploy against a real kapacitord: tickgen, the ``kapacitor`` CLI in a loop, and raw httpx.

Each contender gets a fresh kapacitord (tests/servers.py: free port, temporary
directories) and does the same three things with the same rendered scripts:

* apply N new tasks (each created and enabled),
* update all N (a new script; the running pipeline must take the change, and
  Kapacitor reloads one only on a status change: ``kapacitor define`` PATCHes
  the script, then disables and enables; tickgen and the raw loop send the
  script with the disable and then enable),
* plan with the N tasks live and nothing to change (read every task's script
  and compare it with the desired one).

Requests are counted by the server: its HTTP log has one ``msg="http request"``
line per request, whoever sent it, so the three contenders are counted alike.

Two settings of the server's data directory:

* disk (the realistic one): BoltDB fsyncs every write transaction, one at a
  time, which bounds every contender alike;
* tmpfs (``/dev/shm``): the fsyncs cost nothing, so what is left is the
  server's CPU and the client's own overhead.  Only tickgen and the raw loop
  run there (the comparison it is for); it is left out where there is no
  writable ``/dev/shm``.

tickgen runs as ``tickgen apply`` does once the scripts are rendered:
``tickgen.deploy.plan_target`` then ``apply_plan`` (8 at a time).  The raw loop
sends the same writes with the same concurrency over one ``httpx.AsyncClient``
and nothing else (no plan read, no response models).  The CLI loop runs
``kapacitor define`` / ``enable`` / ``list`` / ``show`` one process at a time,
the way a shell script deploying TICKscripts does.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from tickgen.client import AsyncKapacitorClient
from tickgen.render import RenderedTask

__all__ = ["PARALLEL", "SETTINGS", "measure_deploy"]

PARALLEL = 8  # tickgen.deploy.apply.DEFAULT_PARALLEL; the raw loop uses the same
SETTINGS = ("disk", "tmpfs")
TMPFS = Path("/dev/shm")
_REPO = Path(__file__).resolve().parent.parent
# tests/ is a directory of the checkout, not an installed package
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from tests import servers  # noqa: E402

_REQUEST_LINE = re.compile(r'msg="http request".* duration=(\S+)')
_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def go_duration_seconds(text: str) -> float:
    """Go's ``time.Duration.String()`` (``113.5ms``, ``44.4µs``, ``1m2.5s``) in seconds."""
    return sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _GO_DURATION_PART.findall(text))


class _Server:
    """A fresh kapacitord whose HTTP log says how many requests it served, and for how long."""

    def __init__(self, workdir: Path, influxdb_url: str) -> None:
        self.server = servers.start_kapacitor(workdir, influxdb_url)
        self.url = self.server.url
        self.version = self.server.version

    def log_size(self) -> int:
        # The log is written as requests finish; a short settle keeps the count exact.
        time.sleep(0.2)
        return len(self.server.read_log())

    def requests_since(self, offset: int) -> tuple[int, float]:
        """Requests logged after ``offset``, and the time the server spent on them."""
        durations = _REQUEST_LINE.findall(self.server.read_log()[offset:])
        return len(durations), sum(go_duration_seconds(d) for d in durations)

    def stop(self) -> None:
        self.server.stop()


def _phase(server: _Server, action: Callable[[], Any]) -> dict[str, Any]:
    offset = server.log_size()
    began = time.perf_counter()
    action()
    seconds = time.perf_counter() - began
    server.log_size()
    requests, server_seconds = server.requests_since(offset)
    # server_seconds adds up the handlers' durations; with requests in flight
    # at once it can exceed the wall time, and it shows how much of it the
    # server's own work was.
    return {"seconds": seconds, "requests": requests, "server_seconds": server_seconds}


# -- tickgen ---------------------------------------------------------------------------------


def _tickgen_phases(
    url: str, new: Sequence[RenderedTask], changed: Sequence[RenderedTask], parallel: int
) -> tuple[str, dict[str, Callable[[], Any]]]:
    """``tickgen apply``'s library path, or the client alone where tickgen.deploy is missing."""
    try:
        from tickgen.deploy import apply_plan, plan_target, url_target
    except ImportError:
        return (
            "tickgen.client.AsyncKapacitorClient (tickgen.deploy not importable)",
            _client_phases(url, new, changed),
        )

    target = url_target(url)

    async def apply(tasks: Sequence[RenderedTask], expect: str) -> None:
        async with AsyncKapacitorClient(url, timeout=120.0) as client:
            plan = await plan_target(tasks, target, client)
            kinds = {action.kind for action in plan.changes}
            if len(plan.changes) != len(tasks) or kinds != {expect}:
                raise RuntimeError(
                    f"tickgen planned {plan.summary()}, expected {len(tasks)} {expect}"
                )
            result = await apply_plan(plan, client, parallel=parallel)
            if not result.complete:
                raise RuntimeError(f"tickgen apply failed: {[o.error for o in result.failed][:3]}")

    async def plan_only(tasks: Sequence[RenderedTask]) -> None:
        async with AsyncKapacitorClient(url, timeout=120.0) as client:
            plan = await plan_target(tasks, target, client)
            if plan.has_changes:
                raise RuntimeError(f"tickgen planned {plan.summary()} with everything deployed")

    phases: dict[str, Callable[[], Any]] = {
        "apply": lambda: asyncio.run(apply(new, "create")),
        "update": lambda: asyncio.run(apply(changed, "update")),
        "plan": lambda: asyncio.run(plan_only(changed)),
    }
    return "tickgen.deploy.plan_target + apply_plan", phases


def _client_phases(
    url: str, new: Sequence[RenderedTask], changed: Sequence[RenderedTask]
) -> dict[str, Callable[[], Any]]:
    """The same work through tickgen's client with no plan: creates, updates, a paged read."""

    async def create_all() -> None:
        async with AsyncKapacitorClient(url, timeout=120.0) as client:

            def create(task: RenderedTask) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    await client.create_task(
                        task.id, task.script, dbrps=task.dbrps, status="enabled"
                    )

                return call

            await _bounded([create(t) for t in new])

    async def update_all() -> None:
        async with AsyncKapacitorClient(url, timeout=120.0) as client:

            def update(task: RenderedTask) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    await client.update_task(task.id, script=task.script, status="enabled")

                return call

            await _bounded([update(t) for t in changed])

    async def plan() -> None:
        desired = {t.id: t.script for t in changed}
        async with AsyncKapacitorClient(url, timeout=120.0) as client:
            live = {
                t.id: t.script
                async for t in client.iter_tasks(fields=("type", "dbrps", "script", "status"))
            }
        if any(live.get(i) != s for i, s in desired.items()):
            raise RuntimeError("the client read scripts that differ from the deployed ones")

    return {
        "apply": lambda: asyncio.run(create_all()),
        "update": lambda: asyncio.run(update_all()),
        "plan": lambda: asyncio.run(plan()),
    }


# -- raw httpx ---------------------------------------------------------------------------------


async def _bounded(calls: Sequence[Callable[[], Awaitable[None]]]) -> None:
    gate = asyncio.Semaphore(PARALLEL)

    async def one(call: Callable[[], Awaitable[None]]) -> None:
        async with gate:
            await call()

    await asyncio.gather(*(one(c) for c in calls))


def _raw_phases(
    url: str, new: Sequence[RenderedTask], changed: Sequence[RenderedTask]
) -> dict[str, Callable[[], Any]]:
    base = f"{url}/kapacitor/v1/tasks"

    async def create_all() -> None:
        async with httpx.AsyncClient(timeout=120.0) as http:

            def create(task: RenderedTask) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    # one POST with status enabled; a 500 (stored, but it could not
                    # start) is cleaned up with a DELETE, as tickgen does
                    response = await http.post(base, json={**task.payload(), "status": "enabled"})
                    if response.status_code >= 500:
                        await http.delete(f"{base}/{task.id}")
                    response.raise_for_status()

                return call

            await _bounded([create(t) for t in new])

    async def update_all() -> None:
        async with httpx.AsyncClient(timeout=120.0) as http:

            def update(task: RenderedTask) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    link = f"{base}/{task.id}"
                    # the script rides on the PATCH that stops the task; a second starts it
                    body = {"script": task.script, "status": "disabled"}
                    (await http.patch(link, json=body)).raise_for_status()
                    (await http.patch(link, json={"status": "enabled"})).raise_for_status()

                return call

            await _bounded([update(t) for t in changed])

    async def plan() -> None:
        desired = {t.id: t.script for t in changed}
        live: dict[str, str] = {}
        async with httpx.AsyncClient(timeout=120.0) as http:
            offset = 0
            while True:
                params: list[tuple[str, str | int | float | bool | None]] = [
                    ("fields", f) for f in ("type", "dbrps", "script", "status")
                ]
                params += [("script-format", "raw"), ("offset", offset), ("limit", 100)]
                response = await http.get(base, params=params)
                response.raise_for_status()
                page = response.json()["tasks"]
                live.update((t["id"], t["script"]) for t in page)
                if len(page) < 100:
                    break
                offset += len(page)
        differing = [i for i, script in desired.items() if live.get(i) != script]
        if differing:
            raise RuntimeError(f"raw plan found {len(differing)} differing scripts, expected none")

    return {
        "apply": lambda: asyncio.run(create_all()),
        "update": lambda: asyncio.run(update_all()),
        "plan": lambda: asyncio.run(plan()),
    }


# -- the kapacitor CLI ---------------------------------------------------------------------------


def kapacitor_cli() -> Path | None:
    """The ``kapacitor`` CLI next to the kapacitord the servers use, or on the PATH."""
    try:
        beside = servers.find_binary("kapacitord").parent / "kapacitor"
    except servers.ServerError:
        beside = None
    if beside is not None and beside.exists():
        return beside
    found = shutil.which("kapacitor")
    return Path(found) if found else None


def _cli_phases(
    cli: Path, url: str, workdir: Path, new: Sequence[RenderedTask], changed: Sequence[RenderedTask]
) -> dict[str, Callable[[], Any]]:
    def write(tasks: Sequence[RenderedTask], name: str) -> list[tuple[str, Path]]:
        directory = workdir / name
        directory.mkdir()
        files = []
        for task in tasks:
            path = directory / f"{task.id}.tick"
            path.write_text(task.script, encoding="utf-8")
            files.append((task.id, path))
        return files

    new_files, changed_files = write(new, "new"), write(changed, "changed")

    def kapacitor(*args: str) -> str:
        done = subprocess.run(
            [str(cli), "-url", url, *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"kapacitor {' '.join(args)}: {done.stderr or done.stdout}")
        return done.stdout

    def apply() -> None:
        for task_id, path in new_files:
            kapacitor(
                "define",
                task_id,
                "-type",
                "stream",
                "-tick",
                str(path),
                "-dbrp",
                "telegraf.autogen",
            )
            kapacitor("enable", task_id)

    def update() -> None:
        for task_id, path in changed_files:
            kapacitor("define", task_id, "-tick", str(path))  # reloads an enabled task

    def plan() -> None:
        listed = kapacitor("list", "tasks").splitlines()[1:]
        ids = [line.split()[0] for line in listed if line.strip()]
        if len(ids) != len(changed):
            raise RuntimeError(
                f"kapacitor list tasks shows {len(ids)} tasks, expected {len(changed)}"
            )
        for task_id in ids:
            kapacitor("show", task_id)

    return {"apply": apply, "update": update, "plan": plan}


# -- the run -------------------------------------------------------------------------------------


def _run_contender(
    name: str,
    make: Callable[[str, Path], dict[str, Callable[[], Any]]],
    workdir: Path,
    influxdb_url: str,
) -> dict[str, Any]:
    server = _Server(workdir / f"kapacitord-{name}", influxdb_url)
    try:
        phases = make(server.url, workdir / name)
        figures: dict[str, Any] = {"server_version": server.version}
        for phase in ("apply", "update", "plan"):
            figures[phase] = _phase(server, phases[phase])
        return figures
    finally:
        server.stop()


def measure_deploy(
    new: Sequence[RenderedTask],
    changed: Sequence[RenderedTask],
    *,
    settings: Sequence[str] = SETTINGS,
) -> dict[str, Any]:
    """Figures per contender and phase, and tickgen's ratios to the two baselines.

    The disk setting (always measured) has its figures at the top level; the
    tmpfs setting's, when asked for, are under ``"tmpfs"`` in the same shape
    (tickgen and raw httpx only).
    """
    if [t.id for t in new] != [t.id for t in changed]:
        raise ValueError("the update corpus must have the same ids as the new one")
    if "disk" not in settings or not set(settings) <= set(SETTINGS):
        raise ValueError(f"deploy settings {list(settings)}: disk, and optionally tmpfs")
    cli = kapacitor_cli()
    results: dict[str, Any] = {"tasks": len(new), "parallel": PARALLEL}
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-deploy-") as tmp:
        workdir = Path(tmp)
        # influxDBOut needs a configured InfluxDB for the task to start; one
        # influxd serves every contender's kapacitord (subscriptions off).
        influxdb = servers.start_influxdb(workdir / "influxdb")
        try:
            results["data_dir"] = "disk"
            _run_all(results, new, changed, cli, workdir, influxdb.url)
            results["ratios"] = _ratios(results)
            if "tmpfs" in settings:
                results["tmpfs"] = _run_tmpfs(new, changed, influxdb.url)
        finally:
            influxdb.stop()
    return results


def _run_tmpfs(
    new: Sequence[RenderedTask], changed: Sequence[RenderedTask], influxdb_url: str
) -> dict[str, Any]:
    """tickgen and the raw loop against a kapacitord whose data directory is on tmpfs."""
    if not (TMPFS.is_dir() and os.access(TMPFS, os.W_OK)):
        return {"skipped": f"no writable tmpfs at {TMPFS}"}
    figures: dict[str, Any] = {
        "tasks": len(new),
        "parallel": PARALLEL,
        "data_dir": f"tmpfs ({TMPFS})",
    }
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-deploy-", dir=TMPFS) as tmp:
        workdir = Path(tmp)

        def tickgen(url: str, _: Path) -> dict[str, Callable[[], Any]]:
            path, phases = _tickgen_phases(url, new, changed, PARALLEL)
            figures["tickgen_path"] = path
            return phases

        def raw(url: str, _: Path) -> dict[str, Callable[[], Any]]:
            return _raw_phases(url, new, changed)

        figures["tickgen"] = _run_contender("tickgen", tickgen, workdir, influxdb_url)
        figures["raw_httpx"] = _run_contender("raw", raw, workdir, influxdb_url)
    figures["ratios"] = _ratios(figures)
    return figures


def _run_all(
    results: dict[str, Any],
    new: Sequence[RenderedTask],
    changed: Sequence[RenderedTask],
    cli: Path | None,
    workdir: Path,
    influxdb_url: str,
) -> None:
    def tickgen(url: str, _: Path) -> dict[str, Callable[[], Any]]:
        path, phases = _tickgen_phases(url, new, changed, PARALLEL)
        results["tickgen_path"] = path
        return phases

    def tickgen_one_at_a_time(url: str, _: Path) -> dict[str, Callable[[], Any]]:
        return _tickgen_phases(url, new, changed, 1)[1]

    def raw(url: str, _: Path) -> dict[str, Callable[[], Any]]:
        return _raw_phases(url, new, changed)

    results["tickgen"] = _run_contender("tickgen", tickgen, workdir, influxdb_url)
    results["raw_httpx"] = _run_contender("raw", raw, workdir, influxdb_url)
    # kapacitord serialises task writes; requests in flight at once queue on
    # the server, so tickgen --parallel 1 is measured too
    results["tickgen_parallel_1"] = _run_contender(
        "tickgen-1", tickgen_one_at_a_time, workdir, influxdb_url
    )
    if cli is not None:

        def cli_loop(url: str, where: Path) -> dict[str, Callable[[], Any]]:
            where.mkdir()
            return _cli_phases(cli, url, where, new, changed)

        results["kapacitor_cli"] = _run_contender("cli", cli_loop, workdir, influxdb_url)


def _ratios(results: dict[str, Any]) -> dict[str, Any]:
    ratios: dict[str, Any] = {}
    mine = results["tickgen"]
    for phase in ("apply", "update", "plan"):
        entry: dict[str, float] = {}
        if "kapacitor_cli" in results:
            cli_seconds = results["kapacitor_cli"][phase]["seconds"]
            entry["cli_over_tickgen"] = cli_seconds / mine[phase]["seconds"]
            if "tickgen_parallel_1" in results:
                one = results["tickgen_parallel_1"][phase]["seconds"]
                entry["cli_over_tickgen_parallel_1"] = cli_seconds / one
        entry["tickgen_over_raw"] = mine[phase]["seconds"] / results["raw_httpx"][phase]["seconds"]
        ratios[phase] = entry
    return ratios
