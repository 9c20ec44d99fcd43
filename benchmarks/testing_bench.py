"""``tickgen test`` wall time: the examples' suite, and 100 threshold/relative tests.

Each run is the command a user types (``python -m tickgen test DIR``) in a
child process, so the wall time includes Python's start-up, loading the files,
starting the ephemeral kapacitord and stopping it.  The 100 tests are
generated: 50 threshold tests (warning, critical, recovery) and 50 relative
tests (percent change against one interval earlier), each with its own alert,
expectations computed by the same hand-made rules as the examples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0

__all__ = ["measure_alert_tests", "write_hundred"]


def write_hundred(directory: Path, count: int = 100) -> None:
    """``count`` alerts (half threshold, half relative) and one test file testing each."""
    directory.mkdir(parents=True, exist_ok=True)
    alerts: list[dict[str, Any]] = []
    tests: list[dict[str, Any]] = []
    for n in range(count):
        if n % 2 == 0:
            alerts.append(
                {
                    "id": f"thr-{n}",
                    "template": "threshold",
                    "warn": {"op": ">", "value": 80},
                    "crit": {"op": ">", "value": 90},
                }
            )
            tests.append(
                {
                    "name": f"threshold {n}",
                    "alert": f"thr-{n}",
                    "series": [{"tags": {"host": "a"}, "values": "50 85 95 95 40"}],
                    "expect": [
                        {"at": "1m", "level": "WARNING"},
                        {"at": "2m", "level": "CRITICAL"},
                        {"at": "4m", "level": "OK"},
                    ],
                }
            )
        else:
            alerts.append(
                {
                    "id": f"rel-{n}",
                    "template": "relative",
                    "shift": "1m",
                    "crit": {"op": ">", "value": 20},
                }
            )
            tests.append(
                {
                    "name": f"relative {n}",
                    "alert": f"rel-{n}",
                    # 100 -> 150 (+50 %), 150 -> 150 (0 %), 150 -> 100 (33 %)
                    "series": [{"tags": {"host": "a"}, "values": "100 150 150 100"}],
                    "expect": [
                        {"at": "1m", "level": "CRITICAL"},
                        {"at": "2m", "level": "OK"},
                        {"at": "3m", "level": "CRITICAL"},
                    ],
                }
            )
    defaults = {
        "database": "telegraf",
        "measurement": "m",
        "field": "v",
        "group_by": ["host"],
        "handlers": [{"kind": "log", "path": "/dev/null"}],
    }
    (directory / "alerts.yaml").write_text(yaml.safe_dump({"defaults": defaults, "alerts": alerts}))
    (directory / "hundred.test.yaml").write_text(
        yaml.safe_dump({"params": ["alerts.yaml"], "tests": tests}, sort_keys=False)
    )


def _run(paths: list[Path]) -> dict[str, Any]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tickgen", "test", "--output", "json", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        try:
            failed = [t for t in json.loads(done.stdout)["tests"] if t["status"] != "passed"]
        except ValueError:
            failed = []
        raise RuntimeError(
            f"tickgen test failed ({done.returncode}):\n{done.stderr[-2000:]}\n"
            + json.dumps(failed, indent=1)[-4000:]
        )
    report = json.loads(done.stdout)
    return {
        "seconds": round(seconds, 2),
        "tests": len(report["tests"]),
        "passed": report["passed"],
        "inside_seconds": report["seconds"],
        "server_version": report["server"]["version"],
        "slowest_test_seconds": max(t["seconds"] for t in report["tests"]),
        "load_average": round(os.getloadavg()[0], 2),
    }


def measure_alert_tests(scratch: Path, repeats: int = 3) -> dict[str, Any]:
    """Best of ``repeats`` runs of each suite (the machine is shared), and every run's time."""
    write_hundred(scratch / "hundred")
    figures: dict[str, Any] = {"target_seconds": TARGET_SECONDS}
    for name, paths in (
        ("examples", [ROOT / "examples"]),
        ("hundred", [scratch / "hundred"]),
    ):
        runs = [_run(paths) for _ in range(repeats)]
        best = min(runs, key=lambda r: r["seconds"])
        figures[name] = {**best, "all_seconds": [r["seconds"] for r in runs]}
    return figures
