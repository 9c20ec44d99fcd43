"""``python -m benchmarks [--quick] [--no-write]``: measure; write BENCHMARKS.md and results.json.

The steps run one after another (never two measurements at once) and print
their progress on stderr.  With ``--no-write`` the figures go to stdout as JSON
and no file is touched.  A render size whose duration, predicted from the
previous size's rate, exceeds ``--max-seconds`` is not run and the document
says so with the prediction.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tickgen.pipeline import render_paths
from tickgen.render import RenderedTask, shared_renderer

from . import render_validate
from .corpus import DEFAULT_PER_FILE, write_corpus
from .floors import measure_floors
from .machine import describe_machine
from .profile_hot import profile_pipeline
from .report import markdown
from .startup_bench import measure_startup
from .targets import evaluate_targets
from .testing_bench import measure_alert_tests
from .tick_bench import measure_scripts, two_kb_script

ROOT = Path(__file__).resolve().parent.parent
FULL_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (300,)
# sizes also measured with the shape cache off (tickgen before it) in the same run
BEFORE_UP_TO = 10_000


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Run:
    """One benchmark run: settings, the scratch directory, and the figures gathered so far."""

    def __init__(self, args: argparse.Namespace, scratch: Path) -> None:
        self.args = args
        self.scratch = scratch
        self.quick: bool = args.quick
        self.load_averages: list[float] = []

    def note_load(self) -> None:
        self.load_averages.append(round(os.getloadavg()[0], 2))

    def corpus(
        self, count: int, variant: int = 0, *, distinct: bool = False, per_file: int | None = None
    ) -> Path:
        per_file = per_file or DEFAULT_PER_FILE
        name = f"corpus-{count}-v{variant}{'-distinct' if distinct else ''}-{per_file}"
        directory = self.scratch / name
        if not directory.exists():
            write_corpus(directory, count, per_file=per_file, variant=variant, distinct=distinct)
        return directory

    def render(self) -> dict[str, Any]:
        sizes = self.args.sizes or (QUICK_SIZES if self.quick else FULL_SIZES)
        workers = os.cpu_count() or 1
        figures: dict[str, Any] = {"per_file": DEFAULT_PER_FILE, "sizes": {}}
        rate: float | None = None
        for size in sizes:
            predicted = size / rate * (1 + 1 / max(workers, 1)) if rate else 0.0
            if predicted > self.args.max_seconds:
                figures["sizes"][str(size)] = {
                    "skipped": (
                        f"not run: at the {rate:,.0f} alerts/s measured for the size before, "
                        f"one process and all cores would take about {predicted / 60:.0f} min, "
                        f"over the {self.args.max_seconds / 60:.0f} min budget of this run"
                    )
                }
                _say(f"render {size:,}: skipped (predicted {predicted:.0f} s)")
                continue
            directory = self.corpus(size)
            _say(f"render {size:,}: one process")
            one = render_validate.measure_size(directory, "one")
            self.note_load()
            _say(f"render {size:,}: {one['alerts_per_s']:,.0f} alerts/s; all cores ({workers})")
            every = render_validate.measure_size(directory, "all", workers=workers)
            self.note_load()
            figures["sizes"][str(size)] = {"one_process": one, "all_cores": every}
            if size <= BEFORE_UP_TO:
                _say(f"render {size:,}: one process, shape cache off (before)")
                before = render_validate.measure_size(directory, "one", cache=False)
                figures["sizes"][str(size)]["one_process_before"] = before
                self.note_load()
            rate = one["alerts_per_s"]
        sample = min(sizes[0], 1_000)
        for label, cache in (("stages_before", False), ("stages", True)):
            _say(f"render: time per stage on {sample:,} alerts ({label})")
            figures[label] = render_validate.measure_size(
                self.corpus(sample), "stages", cache=cache
            )
            self.note_load()
        figures["shapes"] = self.shapes()
        figures["floors"] = self.floors()
        return figures

    def shapes(self) -> dict[str, Any]:
        """The shape cache's best and worst case, and `tickgen render` of one file."""
        count = 300 if self.quick else 10_000
        figures: dict[str, Any] = {"count": count}
        distinct = self.corpus(count, distinct=True)
        for label, cache in (("distinct_before", False), ("distinct", True)):
            _say(f"render {count:,} alerts of distinct shapes, one process ({label})")
            figures[label] = render_validate.measure_size(distinct, "one", cache=cache)
            self.note_load()
        one_file = next(iter(sorted(self.corpus(count, per_file=count).glob("*.yaml"))))
        for label, cache in (("cli_before", False), ("cli", True)):
            _say(f"tickgen render of one file of {count:,} alerts ({label})")
            figures[label] = render_validate.measure_cli(one_file, cache=cache)
            self.note_load()
        return figures

    def startup(self) -> dict[str, Any]:
        repeats = 3 if self.quick else 15
        _say(f"start-up: tickgen --version, render, validate, fmt, lint; {repeats} runs each")
        figures = measure_startup(repeats)
        self.note_load()
        return figures

    def floors(self) -> dict[str, Any]:
        """The libraries' own cost on the files of the shape benchmark (benchmarks/floors.py)."""
        count = 300 if self.quick else 10_000
        one_file = next(iter(sorted(self.corpus(count, per_file=count).glob("*.yaml"))))
        files = sorted(self.corpus(count, distinct=True).glob("*.yaml"))[:20]
        scripts = [t.script for t in render_paths(files, renderer=shared_renderer())]
        _say(f"floors: YAML load of {count:,} alerts, parse of {len(scripts):,} distinct scripts")
        figures = measure_floors(one_file, count, scripts)
        self.note_load()
        return figures

    def rendered(self, count: int, variant: int = 0) -> list[RenderedTask]:
        return render_paths([self.corpus(count, variant)], renderer=shared_renderer())

    def tick(self, corpus: Sequence[RenderedTask]) -> dict[str, Any]:
        min_seconds = 0.2 if self.quick else 2.0
        _say("tick: one 2 KB script")
        two_kb = measure_scripts([two_kb_script(shared_renderer())], min_seconds)
        _say(f"tick: corpus of {len(corpus):,} rendered scripts")
        on_corpus = measure_scripts([t.script for t in corpus], min_seconds)
        self.note_load()
        return {"min_seconds": min_seconds, "two_kb": two_kb, "corpus": on_corpus}

    def profile(self) -> dict[str, Any]:
        count = 300 if self.quick else 1_000
        _say(f"profile: cProfile over {count:,} alerts")
        return profile_pipeline(sorted(self.corpus(count).glob("*.yaml")))

    def deploy(self, new: list[RenderedTask]) -> dict[str, Any]:
        try:
            from . import deploy_bench
        except ImportError as exc:  # tests/servers.py is not there (an installed copy)
            return {"skipped": f"cannot import the server fixtures: {exc}"}
        count = len(new)
        settings = ("disk",) if self.args.no_tmpfs else deploy_bench.SETTINGS
        _say(
            f"deploy: {count:,} tasks, tickgen, raw httpx and the kapacitor CLI "
            f"({' and '.join(settings)})"
        )
        changed = self.rendered(count, variant=1)
        try:
            figures = deploy_bench.measure_deploy(new, changed, settings=settings)
        except Exception as exc:  # reported in the document; the other sections stand
            _say(f"deploy failed: {exc}")
            return {"skipped": f"failed: {type(exc).__name__}: {exc}"}
        self.note_load()
        return figures


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure render/validate, TICKscript and deploy; write BENCHMARKS.md.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the harness")
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures as JSON; write no file"
    )
    parser.add_argument(
        "--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), help="e.g. 1000,10000"
    )
    parser.add_argument("--deploy-tasks", type=int, help="tasks to deploy (1000; 20 with --quick)")
    parser.add_argument(
        "--no-deploy",
        action="store_true",
        help="measure no deploy; keep the stored deploy section (from --deploy-only) if any",
    )
    parser.add_argument(
        "--no-tmpfs",
        action="store_true",
        help="deploy only against a kapacitord on disk, not also one whose data is on tmpfs",
    )
    parser.add_argument(
        "--add-sizes",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        help="measure these render sizes in one process only and add them to "
        "benchmarks/results.json (a size too slow for the full run), then rewrite BENCHMARKS.md",
    )
    parser.add_argument(
        "--deploy-only",
        action="store_true",
        help="measure only the deploy section and put it in place of the stored one "
        "(stamped with its own date and commit); the other sections stay as stored",
    )
    parser.add_argument(
        "--testing-only",
        action="store_true",
        help="measure only `tickgen test` (the examples' suite and 100 generated tests) and "
        "add it to the stored figures; the other sections stay as stored",
    )
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="measure only the start-up of short commands (tickgen --version, render, "
        "validate, fmt, lint) and put it in place of the stored one; the other sections stay",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write BENCHMARKS.md again from benchmarks/results.json",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=900.0,
        help="budget per render size; a size predicted to take longer is not run",
    )
    return parser.parse_args(argv)


def _add_sizes(results_path: Path, sizes: Sequence[int]) -> int:
    """One-process figures for more sizes, added to a full run's results (marked as added)."""
    stored: dict[str, Any] = json.loads(results_path.read_text())
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-") as tmp:
        for size in sizes:
            directory = Path(tmp) / f"corpus-{size}"
            write_corpus(directory, size, per_file=DEFAULT_PER_FILE)
            _say(f"render {size:,}: one process (added to the stored run)")
            one = render_validate.measure_size(directory, "one")
            machine = describe_machine()
            one["added_after_run"] = machine["date"]
            one["commit"] = machine["commit"]
            stored["render"]["sizes"][str(size)] = {"one_process": one}
            _say(
                f"render {size:,}: {one['alerts_per_s']:,.0f} alerts/s, {one['peak_rss_mb']:.0f} MB"
            )
    stored["targets"] = evaluate_targets(stored)
    results_path.write_text(json.dumps(stored, indent=2) + "\n")
    (ROOT / "BENCHMARKS.md").write_text(markdown(stored))
    return 0


def _stamp() -> dict[str, Any]:
    machine = describe_machine()
    return {
        "date": machine["date"],
        "commit": machine["commit"],
        "load_average": round(os.getloadavg()[0], 2),
    }


def _put_apart(
    args: argparse.Namespace, results_path: Path, section: str, figures: dict[str, Any]
) -> int:
    """Print ``figures`` (--no-write), or put them in place of the stored run's ``section``
    and write BENCHMARKS.md again; a section measured apart says when it was measured."""
    figures["measured_apart"] = _stamp()
    if args.no_write:
        json.dump(figures, sys.stdout, indent=2)
        print()
        return 0
    stored: dict[str, Any] = json.loads(results_path.read_text())
    stored[section] = figures
    stored.pop(f"{section}_check", None)  # an older deploy figure checked apart
    stored["targets"] = evaluate_targets(stored)
    results_path.write_text(json.dumps(stored, indent=2) + "\n")
    (ROOT / "BENCHMARKS.md").write_text(markdown(stored))
    return 0


def _deploy_only(args: argparse.Namespace, results_path: Path) -> int:
    """The deploy section alone, in place of the stored run's (it says when it was measured)."""
    count = args.deploy_tasks or (20 if args.quick else 1_000)
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-") as tmp:
        run = Run(args, Path(tmp))
        deploy = run.deploy(run.rendered(count))
    return _put_apart(args, results_path, "deploy", deploy)


def _testing_only(args: argparse.Namespace, results_path: Path) -> int:
    """The `tickgen test` section alone, added to the stored run (stamped with its own date)."""
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-") as tmp:
        _say("tickgen test: the examples' suite and 100 generated tests, best of 3 each")
        testing = measure_alert_tests(Path(tmp), repeats=1 if args.quick else 3)
    return _put_apart(args, results_path, "testing", testing)


def _startup_only(args: argparse.Namespace, results_path: Path) -> int:
    """The start-up section alone, in place of the stored run's (stamped with its own date)."""
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-") as tmp:
        startup = Run(args, Path(tmp)).startup()
    return _put_apart(args, results_path, "startup", startup)


def _stored_deploy(results_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """With --no-deploy: the deploy figures measured apart (--deploy-only), if stored."""
    if not args.no_write and not args.quick and results_path.exists():
        stored = json.loads(results_path.read_text()).get("deploy", {})
        if "measured_apart" in stored:
            kept: dict[str, Any] = stored
            return kept
    return {"skipped": "left out with --no-deploy"}


def _stored_testing(results_path: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    """The `tickgen test` figures measured apart (--testing-only), if stored."""
    if not args.no_write and not args.quick and results_path.exists():
        stored = json.loads(results_path.read_text()).get("testing", {})
        if "measured_apart" in stored:
            kept: dict[str, Any] = stored
            return kept
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    results_path = ROOT / "benchmarks" / "results.json"
    if args.report_only:
        stored: dict[str, Any] = json.loads(results_path.read_text())
        stored["targets"] = evaluate_targets(stored)
        (ROOT / "BENCHMARKS.md").write_text(markdown(stored))
        return 0
    if args.add_sizes:
        return _add_sizes(results_path, args.add_sizes)
    if args.deploy_only:
        return _deploy_only(args, results_path)
    if args.testing_only:
        return _testing_only(args, results_path)
    if args.startup_only:
        return _startup_only(args, results_path)
    began = time.perf_counter()
    results: dict[str, Any] = {"quick": args.quick, "machine": describe_machine()}
    with tempfile.TemporaryDirectory(prefix="tickgen-bench-") as tmp:
        run = Run(args, Path(tmp))
        results["startup"] = run.startup()
        results["render"] = run.render()
        deploy_count = args.deploy_tasks or (20 if args.quick else 1_000)
        corpus_count = max(deploy_count, 300 if args.quick else 1_000)
        _say(f"rendering {corpus_count:,} alerts for the TICKscript and deploy corpora")
        corpus = run.rendered(corpus_count)
        results["tick"] = run.tick(corpus)
        results["profile"] = run.profile()
        if args.no_deploy:
            results["deploy"] = _stored_deploy(results_path, args)
        else:
            results["deploy"] = run.deploy(corpus[:deploy_count])
        results["load_averages"] = run.load_averages
    stored_testing = _stored_testing(results_path, args)
    if stored_testing:
        results["testing"] = stored_testing  # measured apart (--testing-only); kept
    results["wall_seconds"] = time.perf_counter() - began
    results["targets"] = evaluate_targets(results)
    for row in results["targets"]:
        met = {True: "met", False: "NOT MET", None: "not measured"}[row["met"]]
        _say(f"target: {row['target']}: {row['measured']} ({met})")
    if args.no_write:
        json.dump(results, sys.stdout, indent=2)
        print()
        return 0
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    (ROOT / "BENCHMARKS.md").write_text(markdown(results))
    _say("wrote BENCHMARKS.md and benchmarks/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
