"""BENCHMARKS.md from the figures of one run (results.json holds the same figures raw)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .render_validate import STAGES

__all__ = ["markdown"]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _met(value: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[value]


def _machine(results: dict[str, Any]) -> str:
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    loads = results.get("load_averages", [])
    load_text = ", ".join(f"{x:.1f}" for x in loads) if loads else "n/a"
    return f"""## Machine

| | |
|---|---|
| Date | {m["date"]} |
| Commit | {m["commit"] or "unknown"} |
| CPU | {m["cpu"]}, {m["cores"]} cores |
| Memory | {m["memory_gb"]} GB |
| OS | {m["os"]} |
| Python | {m["python"]} |
| Packages | {packages} |
| Load average (1 min) at start | {m["load_average_at_start"][0]} |
| Load average when each measurement ended | {load_text} |
| Whole run | {results["wall_seconds"]:.0f} s{" (--quick)" if results["quick"] else ""} |

The 2 cores are shared with other engineers' test runs, which start and stop
during the benchmark: a load average above 2 means processes were waiting for a
core.  Wall-clock figures include that waiting, so they are lower bounds on what
an idle machine does; the render figures are also given per CPU second, which
the waiting does not change.
"""


def _targets(results: dict[str, Any]) -> str:
    rows = [[r["target"], r["measured"], _met(r["met"])] for r in results["targets"]]
    return (
        "## Targets\n\nReported next to the measured figure, never asserted.  The render "
        "target is judged per CPU second (one core's worth of work) because the cores are "
        "shared.\n\n" + _table(["Target", "Measured", ""], rows) + "\n"
    )


def _short_commands(results: dict[str, Any]) -> str:
    startup = results.get("startup")
    if not startup:
        return ""
    stamp = startup.get("measured_apart")
    when = (
        f" Measured apart (`--startup-only`) on {stamp['date']} at commit {stamp['commit']}."
        if stamp
        else ""
    )
    bare = startup["with_pyc"]["python -c pass (a bare Python start)"]["min_s"]
    rows = [
        [f"`{label}`", f"{f['min_s']:.3f} s", f"{f['median_s']:.3f} s", f"{f['min_s'] / bare:.1f}"]
        for label, f in startup["with_pyc"].items()
    ]
    for label, f in startup["without_pyc"].items():
        rows.append(
            [
                f"`{label}`, tickgen's modules compiled from source every run",
                f"{f['min_s']:.3f} s",
                f"{f['median_s']:.3f} s",
                f"{f['min_s'] / bare:.1f}",
            ]
        )
    target = startup["target_render_cpu_s"]
    return f"""## Start-up

CPU (user + system, from the child's rusage) of one whole command a user types,
each run in a child process of its own: the least of {startup["repeats"]} runs
(other processes on the shared cores only ever add to a run) and the median.
With compiled bytecode (`.pyc`) for every module, as an installed wheel has;
the last row is the same render with tickgen's own modules compiled from
source on every run (`PYTHONDONTWRITEBYTECODE=1` and no `__pycache__`: a
checkout in an environment that never writes bytecode).  The target for the
render of the seed example is {target} s of CPU.  Load average when it
ended: {startup["load_average"]}.{when}  The last column divides by the bare
Python start of the same run: the machine is a shared virtual machine whose
speed moves with the other sessions (a bare start takes 0.011 s on a quiet
minute and half as long again on a busy one), and the ratio moves much less.

{_table(["Command", "CPU, least", "CPU, median", "× bare start"], rows)}

`benchmarks/startup_bench.py` runs it; `python -m benchmarks --startup-only`
measures this section alone.  `tests/cli/test_startup.py` asserts which modules
each offline command imports (never a time).
"""


def _render(results: dict[str, Any]) -> str:
    render = results["render"]
    rows, skipped = [], []
    for size, run in render["sizes"].items():
        if "one_process" not in run:
            skipped.append(f"* {int(size):,} alerts: {run['skipped'].removeprefix('not run: ')}")
            continue
        one, every = run["one_process"], run.get("all_cores")
        before = run.get("one_process_before")
        rows.append(
            [
                f"{int(size):,}",
                f"{one['alerts_per_s']:,.0f}",
                f"{one['alerts_per_cpu_s']:,.0f}",
                f"{before['alerts_per_cpu_s']:,.0f}" if before else "-",
                f"{every['alerts_per_s']:,.0f} ({every['workers']} workers)" if every else "-",
                f"{one['p50_ms']:.2f}",
                f"{one['p99_ms']:.2f}",
                f"{one['peak_rss_mb']:.0f} (+{one['peak_rss_mb'] - one['rss_before_run_mb']:.0f})",
                f"{every['peak_rss_per_worker_mb']:.0f}" if every else "-",
                f"{one['seconds']:.1f}",
            ]
        )
    header = [
        "Alerts",
        "alerts/s, 1 process",
        "alerts per CPU s",
        "before: alerts per CPU s (cache off)",
        "alerts/s, all cores",
        "p50 ms",
        "p99 ms",
        "peak RSS MB (growth in run)",
        "peak RSS per worker MB",
        "seconds, 1 process",
    ]
    stages = render["stages"]
    stage_rows = _stage_rows(render.get("stages_before"), stages)
    added = [
        f"* {int(size):,} alerts: measured in one process only, after the run "
        f"({run['one_process']['added_after_run']}, commit {run['one_process'].get('commit')}, "
        "load average "
        f"{run['one_process']['load_average']:.1f}) with `python -m benchmarks --add-sizes {size}`"
        for size, run in render["sizes"].items()
        if "added_after_run" in run.get("one_process", {})
    ]
    skipped_text = ("\n\nNot run:\n\n" + "\n".join(skipped)) if skipped else ""
    if added:
        skipped_text += "\n\nAdded later:\n\n" + "\n".join(added)
    return f"""## 1. Render and validate

Generated parameter files, {render["per_file"]} alerts per file with `defaults`
(database, retention policy, a slack handler), cycling through the threshold,
relative and deadman templates and four handler mixes (slack, email,
pagerDuty2, log, post, teams).  The whole path is `tickgen.pipeline.run`, as
`tickgen render` calls it: load the file, JSON Schema, pydantic model, handler
version check, Jinja render, parse, check, format, payload.  Each size runs in
a child process of its own so the peak RSS (VmHWM) is that size's alone; the
renderer is built and its templates compiled before the clock starts
(start-up: {_startup(render)}).  "All cores" hands one file at a time to a
process pool (duplicate task ids are then checked per file only).

When "all cores" is no faster than one process, the cores were busy with other
work: with Linux's autogroup scheduling ({_autogroup(results)}) CPU time is shared
between sessions, not processes, so on a loaded machine the extra worker of a
run gets no extra CPU, and the pool's start-up (each worker builds its
renderer) is inside its clock.

p50 and p99 are of the time between two consecutive alerts leaving the
pipeline; an alert that starts a file also carries that file's load, which is
what p99 shows with {render["per_file"]} alerts per file.

{_table(header, rows)}{skipped_text}

Time per stage on a sample of {stages["alerts"]:,} alerts (the same calls the
pipeline makes, one clock around each), before (shape cache off,
`TICKGEN_SHAPE_CACHE=0`) and after, in this run.  With the cache, "shape" is
the cache's own work (the key, swapping the literals into the cached tree,
splicing the canonical text), "check" is the checker: on a cache hit a shape's
structure phase (once per shape) and the alert's deferred value checks, else
the full check (tickgen/shapes.py says why this is sound), and parse and format
are what the alerts that miss the cache cost (each shape's first two sightings).

{_table(["Stage", "before µs per alert", "after µs per alert", "after share"], stage_rows)}

{_render_floor(stages, render.get("floors"))}

{_shapes(render)}
"""


def _stage_rows(before: dict[str, Any] | None, after: dict[str, Any]) -> list[list[str]]:
    def cell(figures: dict[str, Any] | None, stage: str) -> str:
        if figures is None or stage not in figures["stages"]:
            return "-"
        return f"{figures['stages'][stage]['us_per_alert']:,.0f}"

    rows = [
        [s, cell(before, s), cell(after, s), f"{after['stages'][s]['share']:.1%}"]
        for s in STAGES
        if s in after["stages"]
    ]

    def total(figures: dict[str, Any] | None) -> str:
        return "-" if figures is None else f"{figures['seconds'] / figures['alerts'] * 1e6:,.0f}"

    rows.append(["**total**", total(before), total(after), "100%"])
    return rows


def _shapes(render: dict[str, Any]) -> str:
    shapes = render.get("shapes")
    if not shapes:
        return ""
    count = shapes["count"]
    rows = []
    for label, key in (
        ("the corpus above, one file, `tickgen render FILE`, start-up included", "cli"),
        ("every alert a shape of its own (own where filter), `pipeline.run`", "distinct"),
    ):
        before, after = shapes.get(f"{key}_before"), shapes.get(key)
        if before is None or after is None:
            continue
        rows.append(
            [
                label,
                f"{before['alerts_per_cpu_s']:,.0f}",
                f"{after['alerts_per_cpu_s']:,.0f}",
                f"{after['alerts_per_s']:,.0f}",
                f"{after.get('peak_rss_mb', 0):.0f}" if "peak_rss_mb" in after else "-",
            ]
        )
    header = [
        f"{count:,} alerts",
        "before: alerts per CPU s",
        "after: alerts per CPU s",
        "after: alerts/s wall",
        "peak RSS MB",
    ]
    return (
        "The shape cache's best and worst case, before and after in this run: the\n"
        "realistic corpus in one file through the command a user types (Python start-up,\n"
        "imports, template set-up and printing included; CPU and peak RSS from the child's\n"
        "rusage, best of 3), and a corpus where every alert has a shape of its own, so every\n"
        "alert misses the cache (a shape is built on its second sighting, so such alerts pay\n"
        "only the key).  The one file's peak RSS is mostly PyYAML's node tree of the whole\n"
        "file, alive while the file is read (the same alerts as JSON, or in files of 100,\n"
        "need far less: section 1's table).\n\n" + _table(header, rows)
    )


def _render_floor(stages: dict[str, Any], floors: dict[str, Any] | None) -> str:
    """What the libraries tickgen calls cost alone, against the render targets' budgets."""
    if floors is None:
        return "(The libraries' own costs were not measured in this run.)"
    yaml_us, json_us, parse_us = floors["yaml_load_us"], floors["json_load_us"], floors["parse_us"]
    schema_us = floors.get("schema_us")
    per = {name: figures["us_per_alert"] for name, figures in stages["stages"].items()}
    left = 200 - yaml_us
    ours = {k: per[k] for k in ("model", "render", "shape", "check", "payload") if k in per}
    over = ", ".join(f"{k} {v:,.0f}" for k, v in ours.items() if v > left)
    schema = f" and jsonschema-rs's check {schema_us:,.1f} µs" if schema_us is not None else ""
    return (
        "What the libraries alone cost (benchmarks/floors.py, best of "
        f"{floors['repeats']}, CPU, the cyclic collector off during each call): PyYAML's "
        f"C loader reads the one-file corpus ({floors['bytes_per_alert']:,.0f} bytes of YAML "
        f"per alert) in **{yaml_us:,.0f} µs per alert** with nothing of tickgen's around it"
        f"{schema}; the same data as JSON loads in {json_us:,.1f} µs.  Of the 200 µs per "
        f"alert that 5,000 alerts/s allows, loading the YAML leaves {left:,.0f} µs for "
        f"everything else, and each of these stages alone costs more than that (µs per "
        f"alert, table above): {over or 'none'}.  A script of a shape not seen before must "
        f"also be parsed: {parse_us:,.0f} µs per script of the distinct-shape corpus, so "
        f"such an alert costs at least {yaml_us + parse_us:,.0f} µs before it is "
        "validated, rendered or checked, against the 500 µs that 2,000 alerts/s allows; "
        "the parser this one replaced (404 µs on the same scripts, section 2 history) "
        f"would also have left no room ({yaml_us + 404:,.0f} µs)."
    )


def _autogroup(results: dict[str, Any]) -> str:
    value = results["machine"].get("sched_autogroup")
    return {True: "on for this run", False: "off for this run", None: "not recorded"}[value]


def _startup(render: dict[str, Any]) -> str:
    times = [r["one_process"]["startup_s"] for r in render["sizes"].values() if "one_process" in r]
    return f"{min(times):.2f} s" if times else "n/a"


def _tick(results: dict[str, Any]) -> str:
    tick = results["tick"]
    rows = []
    for label, key in (("one 2 KB script", "two_kb"), ("rendered corpus", "corpus")):
        figures = tick[key]
        for op in ("parse", "format", "format_ast", "check"):
            f = figures[op]
            rows.append(
                [
                    f"{label} ({figures['scripts']:,} x {figures['mean_bytes']:,.0f} B)",
                    op,
                    f"{f['scripts_per_s']:,.0f}",
                    f"{f['scripts_per_cpu_s']:,.0f}",
                    f"{f['mb_per_s']:.2f}",
                    f"{f['us_per_script']:,.0f}",
                ]
            )
    return f"""## 2. TICKscript parse, format and check

`parse` is text to AST; `format` is `tick.format` (text to canonical text, as
`tickgen fmt` does: parse, then print); `format_ast` prints an AST already
parsed; `check` is `tick.check` on an AST already parsed.  MB/s is of the
source text in every row.  Each operation repeats over its input for at least
{tick["min_seconds"]} s, one process.

{_table(["Input", "Operation", "scripts/s", "per CPU s", "MB/s", "µs per script"], rows)}
"""


_CONTENDERS = (
    ("tickgen", "tickgen"),
    ("raw_httpx", "raw httpx loop"),
    ("tickgen_parallel_1", "tickgen --parallel 1"),
    ("kapacitor_cli", "kapacitor CLI loop"),
)


def _deploy_table(deploy: dict[str, Any]) -> str:
    contenders = [(key, name) for key, name in _CONTENDERS if key in deploy]
    sequential = "cli_over_tickgen_parallel_1" in deploy["ratios"]["apply"]
    with_cli = "kapacitor_cli" in deploy
    rows = []
    for phase, label in (
        ("apply", f"apply {deploy['tasks']:,} new tasks"),
        ("update", f"update {deploy['tasks']:,} tasks"),
        ("plan", f"plan, {deploy['tasks']:,} live, no changes"),
    ):
        row = [label]
        for key, _ in contenders:
            f = deploy[key][phase]
            server = f.get("server_seconds")
            busy = f" (server {server:.2f} s)" if server is not None else ""
            row.append(f"{f['seconds']:.2f} s, {f['requests']:,} req{busy}")
        ratios = deploy["ratios"][phase]
        if with_cli:
            row.append(
                f"{ratios['cli_over_tickgen']:.2f}x" if "cli_over_tickgen" in ratios else "-"
            )
        if sequential:
            row.append(f"{ratios['cli_over_tickgen_parallel_1']:.2f}x")
        row.append(f"{ratios['tickgen_over_raw']:.2f}")
        rows.append(row)
    header = ["Phase", *[name for _, name in contenders]]
    if with_cli:
        header.append("CLI / tickgen")
    if sequential:
        header.append("CLI / tickgen --parallel 1")
    header.append("tickgen / raw")
    return _table(header, rows)


def _deploy_apart(deploy: dict[str, Any]) -> str:
    stamp = deploy.get("measured_apart")
    if not stamp:
        return ""
    return (
        f"Measured apart from the other sections with `python -m benchmarks --deploy-only`, "
        f"on {stamp['date']} at commit {stamp['commit']} (load average "
        f"{stamp['load_average']:.1f} at the end).\n\n"
    )


def _deploy_limits(deploy: dict[str, Any]) -> str:
    """What the server's own time says about the ratios (computed from the figures)."""
    if "kapacitor_cli" not in deploy:
        return ""
    apply = {key: deploy[key]["apply"] for key, _ in _CONTENDERS if key in deploy}

    def per_request_ms(key: str) -> float:
        f = apply[key]
        return float(f["server_seconds"]) / f["requests"] * 1000 if f["requests"] else 0.0

    cli = apply["kapacitor_cli"]
    bound = cli["seconds"] / cli["server_seconds"] if cli["server_seconds"] else float("inf")
    client_share = 1 - cli["server_seconds"] / cli["seconds"]
    return f"""What limits deploy, from the apply figures: kapacitord spent on average
{per_request_ms("kapacitor_cli"):.0f} ms per request of the CLI loop (requests one at a
time; its GETs take about a millisecond, the POSTs and PATCHes the rest) and
{per_request_ms("tickgen"):.0f} ms per request of tickgen with {deploy["parallel"]} in flight:
requests in flight at once wait for each other inside the server (its task
store, BoltDB, takes one write transaction at a time).  The CLI loop spent
{client_share:.0%} of its time outside the server (starting a process per command), so a
client that cost nothing would be at most {bound:.1f}x faster than the CLI loop at the
server speed the CLI saw: the 10x target cannot be reached against this
server, whatever the client does.  Plan is where the client matters: one paged
read against a `show` per task.

The contenders run one after another, minutes apart, on a machine whose load
changes meanwhile, so a difference between two of them within a phase is only
as good as it repeats."""


def _deploy_tmpfs(deploy: dict[str, Any]) -> str:
    """The second setting: kapacitord's data directory on tmpfs, where the client shows."""
    fast = deploy.get("tmpfs")
    if not fast:
        return ""
    title = "### Data directory on tmpfs (client-bound)"
    if "skipped" in fast:
        return f"{title}\n\nNot run: {fast['skipped']}\n"
    return f"""{title}

The table above is the realistic setting: kapacitord's data directory on disk,
where BoltDB fsyncs each write transaction, one at a time.  Here the same work,
for tickgen and the raw loop only, against a kapacitord whose data directory is
on {fast["data_dir"]}: the fsyncs cost nothing, so what is left is the server's
CPU and each client's own overhead, and "tickgen / raw" shows what tickgen's
client costs.

{_deploy_table(fast)}
"""


def _deploy(results: dict[str, Any]) -> str:
    deploy = results.get("deploy")
    if not deploy:
        return ""
    if "skipped" in deploy:
        return f"## 3. Deploy\n\nNot run: {deploy['skipped']}\n"
    return f"""## 3. Deploy against a real Kapacitor

{_deploy_apart(deploy)}Each contender gets a fresh kapacitord
{deploy["tickgen"]["server_version"]} (started by
`tests/servers.py` on a free port with a temporary directory on disk, DEBUG logging as
the test suite configures it) connected to one influxd (influxDBOut needs
it), and does the same work with the same rendered scripts.  Requests are
counted from the server's HTTP log, so all contenders are counted alike.

* **tickgen**: {deploy.get("tickgen_path", "tickgen.deploy")}, {deploy["parallel"]} at a time, one
  `AsyncKapacitorClient`; apply and update include the plan's read of the live tasks.
* **raw httpx loop**: one `httpx.AsyncClient`, the same writes with the same
  concurrency and nothing else: one POST with status enabled per new task (a
  500, a task stored that could not start, would be deleted, as tickgen does);
  PATCH script with status disabled, then PATCH enabled per update (Kapacitor
  restarts a task's pipeline only on a status change); plan reads pages of 100
  with the same fields and compares scripts.
* **tickgen --parallel 1** (when present): tickgen with one request at a time.
* **kapacitor CLI loop**: one process at a time, as a shell script would:
  `kapacitor define ID -type stream -tick FILE -dbrp telegraf.autogen` then
  `kapacitor enable ID` per new task; `kapacitor define ID -tick FILE` per
  update (it PATCHes the script, then disables and enables an enabled task to
  reload it); `kapacitor list tasks` then
  `kapacitor show ID` per task to see the scripts for a plan.

{_deploy_table(deploy)}

Ratios: "CLI / tickgen" is how many times faster tickgen is than the CLI loop;
"tickgen / raw" above 1.00 is how much slower tickgen is than the raw loop.
"server" is the sum of the durations kapacitord logged for those requests: the
time its handlers took, which no client can save (with 8 requests in flight it
can add up to more than the wall time).

{_deploy_limits(deploy)}

{_deploy_tmpfs(deploy)}"""


def _profile_notes(profile: dict[str, Any]) -> str:
    """Pointers drawn from the entries, for the owners of the code they name."""
    own = {f["function"]: f for f in profile["top_own"]}
    notes = []
    lexer = [f for name, f in own.items() if "tick/lexer.py" in name]
    if lexer:
        notes.append(
            f"* The lexer's heaviest function is `{lexer[0]['function']}` "
            f"({lexer[0]['own_share']:.1%} of own time); the parser and checker spread their "
            "time over many small recursive calls (expression, chain, function, identifier)."
        )
    positions = [f for name, f in own.items() if "parser.py" in name and "(position)" in name]
    if positions:
        per_alert = positions[0]["calls"] / max(profile["alerts"], 1)
        notes.append(
            f"* `position` is called {per_alert:.0f} times per alert "
            f"({positions[0]['own_share']:.1%}): a position is made for every node."
        )
    walks = [f for name, f in own.items() if "params.py" in name and "(walk)" in name]
    if walks:
        notes.append(
            f"* `tickgen/params.py` `walk` ({walks[0]['own_share']:.1%}, plus `yaml.compose`) "
            "builds the YAML line map of every file, although only error messages need it: "
            "`pipeline.run` asks for `source.label` (a file:line) for every rendered task."
        )
    return ("\nPointers:\n\n" + "\n".join(notes) + "\n") if notes else ""


def _profile(results: dict[str, Any]) -> str:
    profile = results["profile"]
    areas = profile["by_area"]
    area_rows = [[area, f"{share:.1%}"] for area, share in list(areas.items())[:12]]
    own_rows = [
        [f"`{f['function']}`", f"{f['calls']:,}", f"{f['own_share']:.1%}"]
        for f in profile["top_own"]
    ]
    cumulative_rows = [
        [f"`{f['function']}`", f"{f['calls']:,}", f"{f['cumulative_share']:.1%}"]
        for f in profile["top_cumulative_tickgen"]
    ]
    tick_front = sum(
        v for k, v in areas.items() if k in ("tickgen.tick.lexer", "tickgen.tick.parser")
    )
    jinja = areas.get("jinja2", 0.0) + areas.get("jinja2 (compiled templates)", 0.0)
    tick_all = sum(v for k, v in areas.items() if k.startswith("tickgen.tick"))
    summary = (
        f"Over {profile['alerts']:,} alerts ({profile['profiled_seconds']:.1f} s under cProfile, "
        f"which inflates call-heavy code), tickgen's own TICKscript code takes {tick_all:.0%} "
        f"of the time, of which the lexer and parser take {tick_front:.0%}; JSON Schema "
        f"validation (jsonschema) takes {areas.get('jsonschema', 0.0):.0%}, YAML loading "
        f"{areas.get('PyYAML', 0.0):.0%}, Jinja {jinja:.0%} "
        f'and pydantic {areas.get("pydantic", 0.0):.0%}.  "builtins" is C functions '
        "(list.append, dict.get, str methods, regular expressions) called from all of these."
    )
    notes = _profile_notes(profile)
    return f"""## What the profile shows

cProfile over `tickgen.pipeline.run` on {profile["alerts"]:,} generated alerts
(renderer warmed first).  {summary}

Own time by area (time spent in the functions of each area, not in what they call):

{_table(["Area", "share of own time"], area_rows)}

Functions with the most time of their own:

{_table(["Function", "calls", "own time"], own_rows)}

tickgen functions by cumulative time (including what they call):

{_table(["Function", "calls", "cumulative"], cumulative_rows)}
{notes}"""


def _fixes() -> str:
    """What the profiles led to: a history, written by hand in benchmarks/fixes.md."""
    text = (Path(__file__).with_name("fixes.md")).read_text(encoding="utf-8")
    return text.split("-->\n", 1)[-1]


def _testing(results: dict[str, Any]) -> str:
    testing = results.get("testing")
    if not testing:
        return ""
    stamp = testing.get("measured_apart", {})
    rows = []
    for key, label in (
        ("examples", "`tickgen test examples/` (every example alert; one deadman test)"),
        ("hundred", "100 generated tests (50 threshold, 50 relative)"),
    ):
        f = testing[key]
        runs = ", ".join(f"{s:.1f}" for s in f["all_seconds"])
        rows.append(
            [
                label,
                f"{f['tests']} ({f['passed']} passed)",
                f"{f['seconds']:.1f}",
                runs,
                f"{f['slowest_test_seconds']:.2f}",
                f"{f['load_average']:.1f}",
            ]
        )
    table = _table(
        ["Suite", "Tests", "best wall s", "every run, s", "slowest test s", "load average"],
        rows,
    )
    return f"""## 4. Alert tests (`tickgen test`)

Measured with `python -m benchmarks --testing-only` on {stamp.get("date", "?")} at commit
{stamp.get("commit", "?")}, apart from the other sections.  Each run is the command a
user types, in a child process: Python start-up, loading the files, starting an
ephemeral kapacitord {testing["hundred"]["server_version"]}, creating each test's task,
writing its points, collecting its events (a test is over when two looks at its task's
counters, 0.1 s apart, agree that every point is through and every event arrived),
deleting the task, stopping the server.  Eight tests run at once.  The
examples' suite holds a deadman test, which runs on the wall clock (about 6 s of its
own: docs/testing.md); the other tests take well under a second each.

{table}
"""


def markdown(results: dict[str, Any]) -> str:
    quick = (
        "\n> **Quick run** (`--quick`): small sizes, figures only show the harness works.\n"
        if results["quick"]
        else ""
    )
    parts = [
        "# Benchmarks\n",
        "Generated by `python -m benchmarks` (the raw figures are in "
        "`benchmarks/results.json`); rerun it rather than editing this file.\n" + quick,
        _targets(results),
        _short_commands(results),
        _render(results),
        _tick(results),
        _deploy(results),
        _testing(results),
        _profile(results),
        _fixes(),
        _machine(results),
        """## Running it

```
python -m benchmarks            # the full run: writes BENCHMARKS.md and benchmarks/results.json
python -m benchmarks --quick    # small sizes, to see that it works
python -m benchmarks --quick --no-write   # print the figures as JSON, write nothing
```

The deploy section needs `influxd` and `kapacitord` (scripts/setup-servers)
and uses the `kapacitor` CLI next to kapacitord when it is there.
""",
    ]
    return "\n".join(p for p in parts if p)
