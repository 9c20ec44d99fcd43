"""Start-up: the CPU of one whole short command, each run in a child process of its own.

Each command runs ``repeats`` times, the commands taking turns run by run; the
figure is the least CPU (user + system, from the child's rusage) of those runs,
because the machine is shared and other processes only ever add to a run's
time (cache misses, frequency, the hypervisor's steal), never take from it.
The median is given too.

Runs use the compiled bytecode (``.pyc``) of every module, as an installed
wheel does: one run before the measured ones writes whatever is missing (with
``PYTHONDONTWRITEBYTECODE`` unset for the child).  One more figure is taken
without tickgen's own bytecode: a copy of the package with no ``__pycache__``,
first on the path, run with ``PYTHONDONTWRITEBYTECODE=1``, so tickgen's modules
are compiled from source on every run (the libraries keep theirs).  That is
what this environment, which sets ``PYTHONDONTWRITEBYTECODE``, shows for a
checkout whose ``.pyc`` files were never written.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["COMMANDS", "TARGET_RENDER_CPU_S", "measure_startup"]

ROOT = Path(__file__).resolve().parent.parent
SEED = "examples/account_login_relative.yaml"
SCRIPT = "tests/golden/render/deadman_threshold.tick"

# issue 15: `tickgen render` of the seed example in at most 0.3 s of CPU
TARGET_RENDER_CPU_S = 0.3

# label -> arguments of the tickgen command (paths relative to the repository)
COMMANDS: dict[str, tuple[str, ...]] = {
    "tickgen --version": ("--version",),
    f"tickgen render {SEED}": ("render", SEED),
    f"tickgen validate {SEED}": ("validate", SEED),
    "tickgen fmt --check (one 40-line script)": ("fmt", "--check", SCRIPT),
    "tickgen lint (the same script)": ("lint", SCRIPT),
}


def _tickgen() -> list[str]:
    """The installed ``tickgen`` script next to this Python, else ``python -m tickgen``."""
    script = Path(sys.executable).with_name("tickgen")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "tickgen"]


def _cpu_seconds(argv: Sequence[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    """User + system CPU of one child process, from its own rusage."""
    child = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed (status {status})")
    return usage.ru_utime + usage.ru_stime


def _source_copy(scratch: Path) -> Path:
    """The package, its templates and schemas and the seed example, without bytecode."""
    no_cache = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("tickgen", "templates", "schemas"):
        shutil.copytree(ROOT / name, scratch / name, ignore=no_cache)
    shutil.copy(ROOT / "pyproject.toml", scratch)  # marks a source checkout (_resources.py)
    (scratch / SEED).parent.mkdir(parents=True)
    shutil.copy(ROOT / SEED, scratch / SEED)
    return scratch


def _figures(times: list[float]) -> dict[str, Any]:
    return {"min_s": min(times), "median_s": statistics.median(times), "runs_s": times}


def measure_startup(repeats: int = 10) -> dict[str, Any]:
    """Each of :data:`COMMANDS` and a bare ``python -c pass``, ``repeats`` runs each."""
    compiled = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    compiled.pop("PYTHONPYCACHEPREFIX", None)
    tickgen = _tickgen()
    commands: dict[str, list[str]] = {
        "python -c pass (a bare Python start)": [sys.executable, "-c", "pass"]
    }
    commands.update({label: [*tickgen, *args] for label, args in COMMANDS.items()})
    figures: dict[str, Any] = {"repeats": repeats, "command": " ".join(tickgen), "with_pyc": {}}
    for argv in commands.values():
        _cpu_seconds(argv, compiled)  # writes the .pyc files (and the template cache) if missing
    # round by round, each command once per round: a slow minute slows them all alike
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(repeats):
        for label, argv in commands.items():
            times[label].append(_cpu_seconds(argv, compiled))
    figures["with_pyc"] = {label: _figures(runs) for label, runs in times.items()}
    render_label = f"tickgen render {SEED}"
    with tempfile.TemporaryDirectory(prefix="tickgen-nopyc-") as scratch:
        copy = _source_copy(Path(scratch))
        source_only = {**compiled, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(copy)}
        argv = [*tickgen, *COMMANDS[render_label]]
        source_runs = [
            _cpu_seconds(argv, source_only, cwd=copy) for _ in range(max(3, repeats // 2))
        ]
    figures["without_pyc"] = {render_label: _figures(source_runs)}
    figures["render_label"] = render_label
    figures["target_render_cpu_s"] = TARGET_RENDER_CPU_S
    figures["load_average"] = round(os.getloadavg()[0], 2)
    return figures


if __name__ == "__main__":
    import json

    json.dump(measure_startup(int(sys.argv[1]) if len(sys.argv) > 1 else 10), sys.stdout, indent=2)
    print()
