"""Render and validate: parameter files through the whole pipeline, timed as a whole and per stage.

The whole path is ``tickgen.pipeline.run`` exactly as ``tickgen render`` calls
it.  Each size runs in a child process of its own (``python -m
benchmarks.render_validate``), so its peak RSS (VmHWM) is that size's alone and
not the high-water mark of whatever ran before it in the parent.

The per-alert latency is the time between two consecutive alerts leaving the
pipeline: it includes the file load for the first alert of each file, which
is why p99 sits well above p50 with 100 alerts per file.

The stage split repeats, on a sample, the calls the pipeline makes one after
another (load, schema, model, handler versions, render, parse, check, format,
payload) with a clock around each, so the shares add up to the whole.  With
the shape cache (tickgen/shapes.py) on, "shape" is the cache's own work (the
key, swapping the literals into the cached tree, the splice), "check" is the
checker inside it (a shape's structure phase once, then each alert's deferred
value checks; the full checker only for a shape it cannot split) plus the
full check of the alerts that miss the cache (a shape's first two sightings,
an alert the value phase refuses), and parse and format are what those
misses cost on the uncached path.

Every figure can be taken with the cache off (``TICKGEN_SHAPE_CACHE=0`` in the
child), which is tickgen before the cache: "before" and "after" in one run.

``cli`` mode times ``tickgen render FILE`` as a user runs it, in a child
process, start-up included (its CPU from the child's rusage).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tickgen import tick
from tickgen.cli import tune_collector
from tickgen.handlers import version_problems
from tickgen.models import AlertBase, CustomAlert
from tickgen.params import document_alerts, read_document
from tickgen.pipeline import run
from tickgen.render import _SLOT, RenderedTask, Renderer, params_hash, shared_renderer
from tickgen.shapes import joined
from tickgen.tick import checker

__all__ = ["STAGES", "measure_size", "percentile", "stage_times"]

STAGES = (
    "load",
    "schema",
    "model",
    "versions",
    "render",
    "shape",
    "parse",
    "check",
    "format",
    "payload",
)


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def peak_rss_mb() -> float:
    """This process's peak resident set: VmHWM on Linux, ru_maxrss elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def _startup() -> tuple[Renderer, float]:
    """The shared renderer with every built-in template compiled and schema loaded."""
    began = time.perf_counter()
    renderer = shared_renderer()
    for info in renderer.catalog:
        _ = info.check  # schema compiled on first use
        # Jinja compiles on first use; a private call, so that compiling is
        # counted as start-up and not as the first alert's latency
        renderer._template(info)
    return renderer, time.perf_counter() - began


def one_process(files: Sequence[Path]) -> dict[str, Any]:
    """The whole path in this process: throughput, latency percentiles, peak RSS."""
    renderer, startup = _startup()
    rss_before = current_rss_mb()
    stamps: list[float] = []
    script_bytes = 0

    def on_task(task: RenderedTask) -> None:
        nonlocal script_bytes
        stamps.append(time.perf_counter())
        script_bytes += len(task.script)

    began, cpu_began = time.perf_counter(), time.process_time()
    problems = run(files, renderer, on_task)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
    if problems:
        raise RuntimeError(f"the generated corpus has problems: {problems[:3]}")
    gaps = sorted(b - a for a, b in zip([began, *stamps], stamps, strict=False))
    return {
        "alerts": len(stamps),
        "files": len(files),
        "seconds": seconds,
        "alerts_per_s": len(stamps) / seconds,
        "cpu_seconds": cpu_seconds,
        "alerts_per_cpu_s": len(stamps) / cpu_seconds,
        "load_average": os.getloadavg()[0],
        "p50_ms": percentile(gaps, 0.50) * 1000,
        "p99_ms": percentile(gaps, 0.99) * 1000,
        "max_ms": gaps[-1] * 1000 if gaps else 0.0,
        "script_mb": script_bytes / 1e6,
        "startup_s": startup,
        "rss_before_run_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_file(path: str) -> tuple[int, float]:
    renderer = shared_renderer()  # one per worker process, cached after the first file
    count = 0

    def on_task(task: RenderedTask) -> None:
        nonlocal count
        count += 1

    problems = run([path], renderer, on_task)
    if problems:
        raise RuntimeError(f"{path}: {problems[:3]}")
    return count, peak_rss_mb()


def _worker_init() -> None:
    _startup()


def all_cores(files: Sequence[Path], workers: int) -> dict[str, Any]:
    """The whole path with one file per job over ``workers`` processes (no cross-file id check)."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pool = context.Pool(workers, initializer=_worker_init)
    try:
        began = time.perf_counter()
        results = pool.map(_worker_file, [str(f) for f in files], chunksize=1)
        seconds = time.perf_counter() - began
    finally:
        pool.close()
        pool.join()  # the workers' CPU time is in RUSAGE_CHILDREN once they are reaped
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (cpu_after.ru_utime + cpu_after.ru_stime) - (
        cpu_before.ru_utime + cpu_before.ru_stime
    )
    alerts = sum(count for count, _ in results)
    return {
        "alerts": alerts,
        "workers": workers,
        "seconds": seconds,
        "alerts_per_s": alerts / seconds,
        "cpu_seconds_incl_startup": cpu_seconds,
        "load_average": os.getloadavg()[0],
        "peak_rss_per_worker_mb": max(rss for _, rss in results),
    }


class _Laps:
    """Adds the time since the previous lap to a stage's total."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys(STAGES, 0.0)
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.totals[stage] += now - self._last
        self._last = now

    def move(self, seconds: float, source: str, target: str) -> None:
        """Count ``seconds`` of a lap just taken for ``source`` as ``target``'s."""
        self.totals[source] -= seconds
        self.totals[target] += seconds


def stage_times(files: Sequence[Path]) -> dict[str, Any]:
    """Seconds per stage over every alert of ``files``, doing what pipeline.run does."""
    renderer, _ = _startup()
    version = renderer.kapacitor_version
    laps = _Laps()
    alerts = 0
    for path in files:
        sources = list(document_alerts(read_document(path)))
        laps.lap("load")
        for source in sources:
            info = renderer.catalog.get(source.params["template"])
            problems = info.check.errors(source.params)
            laps.lap("schema")
            if problems or info.model is None:
                raise RuntimeError(f"the generated corpus has problems: {problems[:3]}")
            model = info.model.model_validate(source.params)
            laps.lap("model")
            if isinstance(model, CustomAlert) or not isinstance(model, AlertBase):
                raise RuntimeError(f"{info.name} built a {type(model).__name__}")
            version_problems(model.handlers, version)
            laps.lap("versions")
            if renderer.shapes is None:
                _uncached(renderer.render_text(model), version, laps)  # type: ignore[arg-type]
            else:
                _cached(renderer, model, laps)
            params_hash(model.model_dump(mode="json", exclude_defaults=True))
            laps.lap("payload")
            alerts += 1
    whole = sum(laps.totals.values())
    return {
        "alerts": alerts,
        "seconds": whole,
        "stages": {
            stage: {
                "seconds": seconds,
                "us_per_alert": seconds / alerts * 1e6,
                "share": seconds / whole,
            }
            for stage, seconds in laps.totals.items()
        },
    }


def _uncached(text: str, version: str, laps: _Laps) -> None:
    laps.lap("render")
    program = tick.parse(text)
    laps.lap("parse")
    tick.check(program, "stream", version=version)
    laps.lap("check")
    tick.format_program(program)
    laps.lap("format")


def _cached(renderer: Renderer, alert: AlertBase, laps: _Laps) -> None:
    """What Renderer.render does with the shape cache, the checker timed apart."""
    assert renderer.shapes is not None
    fragments: list[str] = []
    segments = renderer._render_text(alert, fragments).split(_SLOT)  # type: ignore[arg-type]
    laps.lap("render")
    spent = [0.0]
    with _checker_timed(spent):
        cached = renderer.shapes.canonical(
            alert.template,
            segments,
            fragments,
            kind="stream",
            version=renderer.kapacitor_version,
            inspect=lambda program: None,
        )
    laps.lap("shape")
    laps.move(spent[0], "shape", "check")
    if cached is None:  # a shape's first sightings: the uncached path
        _uncached(joined(segments, fragments), renderer.kapacitor_version, laps)


@contextmanager
def _checker_timed(spent: list[float]) -> Iterator[None]:
    """Add the time the shape cache spends in the checker to ``spent[0]``."""
    saved = checker.analyse, checker.analyse_structure, checker.Structure.clean

    def timed(func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - began

        return call

    checker.analyse, checker.analyse_structure = timed(saved[0]), timed(saved[1])
    checker.Structure.clean = timed(saved[2])  # type: ignore[method-assign]
    try:
        yield
    finally:
        checker.analyse, checker.analyse_structure, checker.Structure.clean = saved  # type: ignore[method-assign]


def measure_size(
    directory: Path,
    mode: str,
    workers: int = 1,
    timeout: float | None = None,
    *,
    cache: bool = True,
) -> dict[str, Any]:
    """Run one size in a fresh child process (so its peak RSS is its own); return its figures."""
    argv = [
        sys.executable,
        "-m",
        "benchmarks.render_validate",
        mode,
        str(directory),
        "--workers",
        str(workers),
    ]
    env = dict(os.environ, PYTHONHASHSEED="0", TICKGEN_SHAPE_CACHE="1" if cache else "0")
    done = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=env,
        cwd=_repo_root(),
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def measure_cli(path: Path, *, cache: bool = True, repeats: int = 3) -> dict[str, Any]:
    """``tickgen render FILE > /dev/null`` as a user runs it: CPU and wall, best of ``repeats``."""
    alerts = sum(1 for _ in document_alerts(read_document(path)))
    env = dict(os.environ, PYTHONHASHSEED="0", TICKGEN_SHAPE_CACHE="1" if cache else "0")
    runs: list[tuple[float, float]] = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tickgen", "render", str(path)],
            stdout=subprocess.DEVNULL,
            check=True,
            env=env,
            cwd=_repo_root(),
        )
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        runs.append((cpu, wall))
    cpu, wall = min(runs)
    return {
        "alerts": alerts,
        "cpu_seconds": cpu,
        "seconds": wall,
        "alerts_per_cpu_s": alerts / cpu,
        "alerts_per_s": alerts / wall,
        "runs": [{"cpu_seconds": c, "seconds": w} for c, w in runs],
        "load_average": os.getloadavg()[0],
    }


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="One render-and-validate run, figures as JSON on stdout."
    )
    parser.add_argument("mode", choices=["one", "all", "stages"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    tune_collector()  # as `tickgen render` does for its process
    files = sorted(args.directory.glob("*.yaml"))
    if args.mode == "one":
        figures = one_process(files)
    elif args.mode == "all":
        figures = all_cores(files, args.workers)
    else:
        figures = stage_times(files)
    json.dump(figures, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
