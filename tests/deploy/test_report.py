"""Apply progress and summaries as a person reads them (no server)."""

from __future__ import annotations

import io

from tickgen.dbrp import DBRP
from tickgen.deploy import Plan, compute_plan, desired_task
from tickgen.deploy.apply import ApplyResult, Outcome
from tickgen.deploy.report import Progress, apply_summary

DBRPS = [DBRP("telegraf", "autogen")]


def plan_of(count: int) -> Plan:
    return compute_plan([desired_task(f"t{i}", "stream\n", DBRPS) for i in range(count)], [])


def test_plain_progress_lines_when_not_a_terminal() -> None:
    plan = plan_of(2)
    stream = io.StringIO()
    progress = Progress(stream, 2, tty=False)
    progress(Outcome(plan.actions[0]))
    progress(Outcome(plan.actions[1], error="POST /kapacitor/v1/tasks: boom"))
    assert stream.getvalue() == (
        "created t0\nfailed to create t1: POST /kapacitor/v1/tasks: boom\n"
    )


def test_progress_bar_on_a_terminal() -> None:
    plan = plan_of(4)
    stream = io.StringIO()
    progress = Progress(stream, 4, target="prod", tty=True)
    progress(Outcome(plan.actions[0]))
    assert stream.getvalue() == "\rprod: [#######.......................] 1/4"
    progress(Outcome(plan.actions[1], error="boom"))
    assert stream.getvalue().endswith(
        "\r\x1b[Kprod: failed to create t1: boom\n\rprod: [###############...............] 2/4, 1 failed"
    )
    progress(Outcome(plan.actions[2]))
    progress(Outcome(plan.actions[3]))
    assert stream.getvalue().endswith("] 4/4, 1 failed\n")


def test_summary_names_failures_and_what_was_not_done() -> None:
    plan = plan_of(3)
    result = ApplyResult(plan, seconds=1.25)
    result.outcomes.append(Outcome(plan.actions[0]))
    result.outcomes.append(Outcome(plan.actions[1], error="connection lost"))
    assert not result.complete
    assert apply_summary(result) == (
        "Apply on default: 1 succeeded (1 created), 1 failed, 1 not done, in 1.2s.\n"
        "  failed to create t1: connection lost\n"
        "  not done: create t2\n"
        "Run apply again to finish: it converges from wherever this run stopped.\n"
    )
    result.outcomes.append(Outcome(plan.actions[2]))
    result.outcomes[1] = Outcome(plan.actions[1])
    assert result.complete
    assert apply_summary(result) == "Apply on default: 3 succeeded (3 created), 0 failed, in 1.2s.\n"
