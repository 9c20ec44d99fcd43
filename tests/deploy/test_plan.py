"""The plan as a pure function of desired and live tasks: no server here."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from tickgen import render_task
from tickgen.dbrp import DBRP
from tickgen.deploy import DeployError, DesiredTask, LiveTask, compute_plan, desired_task, mark
from tickgen.deploy.desired import desired_for
from tickgen.deploy.ownership import DEFAULT_OWNER, Marker, read_marker, strip_marker
from tickgen.deploy.report import plan_text
from tickgen.deploy.targets import Target
from tickgen.models import Threshold
from tickgen.render import RenderedTask

SCRIPT = "var x = 1\n\nstream\n    |from()\n        .measurement('cpu')\n"
DBRPS = [DBRP("telegraf", "autogen")]


def want(
    task_id: str, script: str = SCRIPT, *, owner: str = DEFAULT_OWNER, status: str = "enabled"
) -> DesiredTask:
    return desired_task(
        task_id, script, DBRPS, template="threshold", params_hash="abc123", owner=owner,
        status=status,
    )  # fmt: skip


def live_of(desired: DesiredTask, **changes: Any) -> LiveTask:
    """The live task apply would have made from ``desired``, with ``changes``."""
    live = LiveTask(desired.id, desired.script, desired.dbrps, desired.status, desired.type)
    return dataclasses.replace(live, **changes)


def hand_made(task_id: str) -> LiveTask:
    return LiveTask(task_id, SCRIPT, (DBRP("telegraf", "autogen"),), "enabled")


def test_marker_round_trip() -> None:
    marked = mark(SCRIPT, Marker("threshold", "0123abcd"))
    assert marked.splitlines()[0] == "// managed-by: tickgen template=threshold params=0123abcd"
    assert read_marker(marked) == Marker("threshold", "0123abcd")
    assert strip_marker(marked) == SCRIPT
    assert read_marker(SCRIPT) is None
    assert strip_marker(SCRIPT) == SCRIPT
    # a look-alike further down, or a different first comment, is not a mark
    assert read_marker("// managed-by: someone else\n" + SCRIPT) is None
    assert read_marker(SCRIPT + "// managed-by: tickgen\n") is None


def test_everything_new_is_created() -> None:
    desired = [want(f"t{i}") for i in range(3)]
    plan = compute_plan(desired, [])
    assert [a.kind for a in plan.actions] == ["create"] * 3
    assert plan.has_changes
    assert plan.summary() == "Plan: 3 to create, 0 to update, 0 to delete, 0 unchanged."


def test_identical_tasks_are_unchanged() -> None:
    desired = [want("a"), want("b")]
    plan = compute_plan(desired, [live_of(d) for d in desired])
    assert [a.kind for a in plan.actions] == ["unchanged", "unchanged"]
    assert not plan.has_changes
    assert plan.changes == ()


def test_update_lists_what_differs_with_a_script_diff() -> None:
    new = want("a", SCRIPT.replace("cpu", "mem"), status="disabled")
    old = live_of(want("a"), dbrps=(DBRP("other", "autogen"),))
    (action,) = compute_plan([new], [old]).actions
    assert action.kind == "update"
    assert action.changed_fields == ("script", "dbrps", "status")
    assert "-        .measurement('cpu')" in action.script_diff
    assert "+        .measurement('mem')" in action.script_diff
    assert action.script_diff[0] == "--- live/a"
    by_field = {c.field: c for c in action.changes}
    assert by_field["status"].live == "enabled"
    assert by_field["status"].desired == "disabled"
    assert by_field["dbrps"].live == '"other"."autogen"'


def test_dbrps_order_does_not_matter() -> None:
    two = [DBRP("a", "x"), DBRP("b", "y")]
    desired = desired_task("t", SCRIPT, two)
    live = LiveTask("t", desired.script, (DBRP("b", "y"), DBRP("a", "x")), "enabled")
    assert compute_plan([desired], [live]).actions[0].kind == "unchanged"


def test_hand_made_task_with_a_desired_id_is_a_conflict_unless_adopted() -> None:
    desired = [want("mine")]
    live = [hand_made("mine")]
    (action,) = compute_plan(desired, live).actions
    assert action.kind == "conflict"
    assert "--adopt" in action.reason
    plan = compute_plan(desired, live)
    assert not plan.has_changes
    assert plan.summary().endswith("0 unchanged, 1 conflict left alone.")
    (adopted,) = compute_plan(desired, live, adopt=True).actions
    assert adopted.kind == "update"
    assert adopted.changed_fields == ("script",)
    assert adopted.script_diff[2].startswith("@@")
    assert "+// managed-by: tickgen template=threshold params=abc123" in adopted.script_diff


def test_prune_deletes_only_owned_tasks_in_scope() -> None:
    kept = want("keep")
    gone = want("gone")
    other_env = want("prod-gone")
    live = [live_of(kept), live_of(gone), live_of(other_env), hand_made("by-hand")]
    without = compute_plan([kept], live)
    assert [a.kind for a in without.actions] == ["unchanged"]
    pruned = compute_plan([kept], live, prune=True)
    assert {a.task_id: a.kind for a in pruned.actions} == {
        "keep": "unchanged",
        "gone": "delete",
        "prod-gone": "delete",
    }
    scoped = compute_plan([], live, prune=True, id_prefix="prod-")
    assert [(a.task_id, a.kind) for a in scoped.actions] == [("prod-gone", "delete")]


def test_owners_scope_prune_and_legacy_marks_are_the_default_owner() -> None:
    mine = want("a", owner="team-a")
    assert mine.script.startswith("// managed-by: tickgen owner=team-a template=threshold ")
    assert read_marker(mine.script) == Marker("threshold", "abc123", "team-a")
    # the default owner's mark is the mark written before owners existed, byte for byte
    assert (
        want("a").script.splitlines()[0]
        == "// managed-by: tickgen template=threshold params=abc123"
    )
    live = [
        live_of(mine),
        live_of(want("gone-a", owner="team-a")),
        live_of(want("gone-b", owner="team-b")),
        live_of(want("gone-legacy")),
        hand_made("hand"),
    ]
    pruned = compute_plan([mine], live, prune=True, owner="team-a")
    assert [(a.kind, a.task_id) for a in pruned.changes] == [("delete", "gone-a")]
    assert pruned.other_owners == 2 and pruned.no_file == ()
    plain = compute_plan([mine], live, owner="team-a")
    assert not plain.changes and plain.no_file == ("gone-a",)
    text = plan_text(plain)
    assert "1 managed task has no file; --prune would delete it: gone-a\n" in text
    assert "2 managed tasks of other owners left alone (this configuration's owner: team-a)" in text
    # the default owner prunes the legacy task and nothing of the named owners
    default = compute_plan([], live, prune=True)
    assert [a.task_id for a in default.changes] == ["gone-legacy"]
    assert default.other_owners == 3


def test_a_named_owner_takes_over_a_legacy_task_once_but_not_another_owners() -> None:
    legacy = live_of(want("a"))
    (action,) = compute_plan([want("a", owner="team-a")], [legacy], owner="team-a").actions
    assert action.kind == "update" and action.reason == "owner default -> team-a"
    assert action.changed_fields == ("script",)
    theirs = live_of(want("a", owner="team-b"))
    (action,) = compute_plan([want("a", owner="team-a")], [theirs], owner="team-a").actions
    assert action.kind == "conflict" and "for owner team-b" in action.reason
    (action,) = compute_plan(
        [want("a", owner="team-a")], [theirs], owner="team-a", adopt=True
    ).actions
    assert action.kind == "update" and action.reason == "owner team-b -> team-a"


def test_duplicate_desired_ids_are_an_error_naming_both_sources() -> None:
    one = desired_task("dup", SCRIPT, DBRPS, source="a.yaml:1")
    two = desired_task("dup", SCRIPT, DBRPS, source="b.yaml:1")
    with pytest.raises(DeployError, match=r"'dup' is given twice: a.yaml:1 and b.yaml:1"):
        compute_plan([one, two], [])


def test_plan_is_sorted_frozen_and_the_same_each_time() -> None:
    desired = [want("b"), want("a"), want("c", SCRIPT + "\n")]
    live = [live_of(want("c")), live_of(want("z"))]
    first = compute_plan(desired, live, prune=True)
    assert first == compute_plan(list(reversed(desired)), list(reversed(live)), prune=True)
    assert [a.task_id for a in first.actions] == ["a", "b", "c", "z"]
    with pytest.raises(AttributeError):
        first.actions = ()  # type: ignore[misc]


def test_text_and_json_reports() -> None:
    desired = [want("new"), want("changed", SCRIPT.replace("1", "2")), want("same"), want("theirs")]
    live = [
        live_of(want("changed")),
        live_of(want("same")),
        live_of(want("old")),
        hand_made("theirs"),
    ]
    plan = compute_plan(desired, live, prune=True, target="prod", url="http://k:9092")
    text = plan_text(plan)
    assert text.startswith("Target prod (http://k:9092)\nLegend: + create, ~ update, - delete")
    assert "  + create    new" in text
    assert "  ~ update    changed  script" in text
    assert "      -var x = 1" in text
    assert "      +var x = 2" in text
    assert "  - delete    old" in text
    assert "  ! conflict  theirs" in text
    assert "same" not in text  # unchanged tasks are only counted
    assert text.endswith(
        "Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged, 1 conflict left alone.\n"
    )
    body = json.loads(json.dumps(plan.to_json()))
    assert body["summary"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 1, "conflict": 1}
    changed = next(a for a in body["actions"] if a["id"] == "changed")
    assert changed["changes"] == {"script": {"live": "(see the diff)", "desired": "(see the diff)"}}
    assert "+var x = 2\n" in changed["script_diff"]


def test_empty_plan_text() -> None:
    plan = compute_plan([want("a")], [live_of(want("a"))])
    assert plan_text(plan) == (
        "Target default\nNo changes: the server matches the parameter files.\n"
        "Plan: 0 to create, 0 to update, 0 to delete, 1 unchanged.\n"
    )


# The params hash in the mark, when parameters written differently give the same script.
_LOG = {"kind": "log", "path": "/tmp/alerts.log"}
_SLACK = {"kind": "slack", "channel": "#ops"}


def _threshold(percentile: float, *handlers: dict[str, str]) -> RenderedTask:
    return render_task(
        Threshold.model_validate(
            {"template": "threshold", "id": "cpu", "database": "telegraf", "measurement": "cpu",
             "field": "usage", "crit": {"op": ">", "value": 90}, "handlers": list(handlers),
             "aggregate": {"function": "percentile", "percentile": percentile, "period": "5m",
                           "every": "1m"}}
        )
    )  # fmt: skip


def _desired(task: RenderedTask) -> DesiredTask:
    (desired,) = desired_for([task], Target(name="t", url="http://127.0.0.1:9"))
    return desired


def test_parameters_written_otherwise_for_the_same_script_are_no_change() -> None:
    # tickgen import writes handlers in the script's order and 95.0 for 95: a new
    # hash alone would restart the task (an update), which forgets its alert states
    deployed = _desired(_threshold(95, _SLACK, _LOG))
    imported = _desired(_threshold(95.0, _LOG, _SLACK))
    assert read_marker(deployed.script) != read_marker(imported.script)
    assert strip_marker(deployed.script) == strip_marker(imported.script)
    live = live_of(deployed)
    assert [a.kind for a in compute_plan([imported], [live]).actions] == ["unchanged"]
    # a change of the script is an update, and the new mark comes with it
    changed = _desired(_threshold(90, _LOG, _SLACK))
    (action,) = compute_plan([changed], [live]).actions
    assert action.kind == "update"
    assert f"+{changed.script.splitlines()[0]}" in action.script_diff


def test_the_owner_and_template_in_the_mark_still_count() -> None:
    desired = want("t1")
    for marker in (Marker("threshold", "abc123", owner="payments"), Marker("relative", "abc123")):
        live = LiveTask("t1", mark(SCRIPT, marker), tuple(DBRPS), "enabled")
        (action,) = compute_plan([desired], [live], adopt=True).actions
        assert action.kind == "update", marker
    # a hand-made task with the same body is not tickgen's: still a conflict
    assert [a.kind for a in compute_plan([desired], [hand_made("t1")]).actions] == ["conflict"]
