"""The benchmark harness runs end to end and reports every figure it promises.

Timings are not asserted (they depend on the machine); only that ``python -m
benchmarks --quick --no-write`` completes, writes nothing, and prints results
with every section, each holding the figures BENCHMARKS.md is made from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.startup_bench import COMMANDS as STARTUP_COMMANDS

ROOT = Path(__file__).resolve().parent.parent
STAGES = {
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
}


@pytest.mark.servers  # the deploy section runs against a real kapacitord
@pytest.mark.slow
def test_quick_run_reports_every_section() -> None:
    files = [ROOT / "BENCHMARKS.md", ROOT / "benchmarks" / "results.json"]
    before = {f: f.stat().st_mtime_ns if f.exists() else None for f in files}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--no-write", "--deploy-tasks", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)

    assert {"machine", "render", "tick", "profile", "deploy", "targets"} <= set(results)
    run = results["render"]["sizes"]["300"]
    assert run["one_process"]["alerts"] == 300
    assert run["all_cores"]["alerts"] == 300
    assert {"alerts_per_s", "alerts_per_cpu_s", "p50_ms", "p99_ms", "peak_rss_mb"} <= set(
        run["one_process"]
    )
    assert set(results["render"]["stages"]["stages"]) == STAGES
    assert set(results["render"]["stages_before"]["stages"]) == STAGES
    assert run["one_process_before"]["alerts"] == 300
    shapes = results["render"]["shapes"]
    for key in ("distinct", "distinct_before", "cli", "cli_before"):
        assert shapes[key]["alerts"] == 300
        assert shapes[key]["alerts_per_cpu_s"] > 0
    floors = results["render"]["floors"]
    assert floors["alerts"] == 300
    assert floors["scripts"] == 300  # the distinct corpus: each script a shape of its own
    for figure in ("yaml_load_us", "json_load_us", "schema_us", "parse_us"):
        assert floors[figure] > 0
    for section in ("two_kb", "corpus"):
        for op in ("parse", "format", "format_ast", "check"):
            assert results["tick"][section][op]["scripts_per_s"] > 0
    assert results["profile"]["alerts"] == 300
    assert results["profile"]["top_own"]
    startup = results["startup"]
    assert set(startup["with_pyc"]) == {"python -c pass (a bare Python start)"} | set(
        STARTUP_COMMANDS
    )
    assert all(f["min_s"] > 0 for f in startup["with_pyc"].values())
    assert startup["without_pyc"][startup["render_label"]]["min_s"] > 0

    deploy = results["deploy"]
    assert "skipped" not in deploy, deploy.get("skipped")
    for contender in ("tickgen", "raw_httpx"):
        for phase in ("apply", "update", "plan"):
            assert deploy[contender][phase]["requests"] > 0
    # 5 tasks: a create is one POST, an update two PATCHes, the plan one page
    assert deploy["raw_httpx"]["apply"]["requests"] == 5
    assert deploy["raw_httpx"]["update"]["requests"] == 10
    assert deploy["tickgen"]["apply"]["requests"] == 5 + 1  # and its plan's read
    assert deploy["tickgen"]["update"]["requests"] == 10 + 1
    assert deploy["tickgen"]["plan"]["requests"] == 1
    assert set(deploy["ratios"]) == {"apply", "update", "plan"}
    # the second setting: kapacitord's data on tmpfs, tickgen and the raw loop only
    fast = deploy["tmpfs"]
    if os.access("/dev/shm", os.W_OK):
        assert "skipped" not in fast, fast.get("skipped")
        assert "kapacitor_cli" not in fast
        for contender in ("tickgen", "raw_httpx"):
            for phase in ("apply", "update", "plan"):
                assert fast[contender][phase]["requests"] > 0
        assert fast["raw_httpx"]["apply"]["requests"] == 5
        assert set(fast["ratios"]) == {"apply", "update", "plan"}
    else:
        assert "skipped" in fast
    assert [row["target"] for row in results["targets"]]
    # --no-write leaves the committed figures alone
    assert before == {f: f.stat().st_mtime_ns if f.exists() else None for f in files}


def test_report_says_when_deploy_was_measured_apart() -> None:
    from benchmarks.report import markdown

    stored = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    if "skipped" in stored["deploy"]:
        pytest.fail("the committed results.json has no deploy figures")
    stored["deploy"]["measured_apart"] = {
        "date": "2026-11-28 17:40 UTC",
        "commit": "abc1234",
        "load_average": 1.25,
    }
    text = markdown(stored)
    assert "--deploy-only`, on 2026-11-28 17:40 UTC at commit abc1234 (load average 1.2" in text


def test_report_shows_the_start_up_of_short_commands() -> None:
    """The start-up table and its targets, from figures of the shape startup_bench writes."""
    from benchmarks.report import markdown
    from benchmarks.startup_bench import SEED, TARGET_RENDER_CPU_S
    from benchmarks.targets import evaluate_targets

    stored = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    render = f"tickgen render {SEED}"
    figures = {"python -c pass (a bare Python start)": 0.011, "tickgen --version": 0.04}
    figures.update({label: 0.2 for label in STARTUP_COMMANDS if label not in figures})
    stored["startup"] = {
        "repeats": 10,
        "with_pyc": {k: {"min_s": v, "median_s": v + 0.01} for k, v in figures.items()},
        "without_pyc": {render: {"min_s": 0.31, "median_s": 0.33}},
        "render_label": render,
        "target_render_cpu_s": TARGET_RENDER_CPU_S,
        "load_average": 2.5,
    }
    stored["targets"] = evaluate_targets(stored)
    text = markdown(stored)
    assert "## Start-up" in text
    assert f"| `{render}` | 0.200 s | 0.210 s | 18.2 |" in text
    assert "compiled from source every run | 0.310 s | 0.330 s | 28.2 |" in text
    rows = {row["target"]: row for row in stored["targets"]}
    assert rows[f"`{render}` in at most 0.3 s of CPU"]["met"] is True
    stored["startup"]["with_pyc"][render]["min_s"] = 0.35
    rows = {row["target"]: row for row in evaluate_targets(stored)}
    assert rows[f"`{render}` in at most 0.3 s of CPU"]["met"] is False
