"""tickgen.dbrp.DBRP: one value for a database and retention policy, parameters to client."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import tickgen
import tickgen.client
import tickgen.models
from tickgen.client import Task
from tickgen.client._core import _task_body
from tickgen.dbrp import DBRP
from tickgen.deploy import LiveTask, compute_plan, desired_task


def _threshold(**params: object) -> tickgen.Threshold:
    return tickgen.Threshold(
        id="cpu",
        database="telegraf",
        measurement="cpu",
        field="usage_user",
        crit={"op": ">", "value": 90},
        **params,  # type: ignore[arg-type]
    )


def test_every_public_name_is_the_one_type() -> None:
    assert tickgen.DBRP is DBRP
    assert tickgen.client.DBRP is DBRP
    assert tickgen.models.DBRP is DBRP


def test_a_value_equal_hashable_and_ordered() -> None:
    assert DBRP("telegraf", "autogen") == DBRP(db="telegraf", rp="autogen")
    assert len({DBRP("a", "x"), DBRP("a", "x"), DBRP("a", "y")}) == 2
    assert sorted([DBRP("b", "a"), DBRP("a", "z"), DBRP("a", "b")]) == [
        DBRP("a", "b"),
        DBRP("a", "z"),
        DBRP("b", "a"),
    ]
    with pytest.raises(AttributeError):
        DBRP("a", "b").db = "c"  # type: ignore[misc]


def test_kapacitor_json_both_ways() -> None:
    dbrp = DBRP.from_json({"db": "telegraf", "rp": "autogen", "added-later": 1})
    assert dbrp == DBRP("telegraf", "autogen")
    assert dbrp.to_json() == {"db": "telegraf", "rp": "autogen"}
    assert list(dbrp.to_json()) == ["db", "rp"]
    assert DBRP.from_json({"db": "", "rp": ""}) == DBRP("", "")  # Kapacitor takes any names


@pytest.mark.parametrize(
    "value", [{"db": "telegraf"}, {"db": "telegraf", "rp": 7}, ["telegraf", "autogen"], "a.b", None]
)
def test_json_that_is_not_a_dbrp(value: object) -> None:
    with pytest.raises(ValueError, match="a dbrp is an object"):
        DBRP.from_json(value)


def test_tickscript_form() -> None:
    assert str(DBRP("telegraf", "autogen")) == '"telegraf"."autogen"'


def test_parameters_take_objects_and_values() -> None:
    from_dicts = _threshold(dbrps=[{"db": "b", "rp": "x"}, {"db": "a", "rp": "y"}])
    from_values = _threshold(dbrps=[DBRP("b", "x"), DBRP("a", "y")])
    assert from_dicts == from_values
    assert from_dicts.task_dbrps == (DBRP("b", "x"), DBRP("a", "y"))
    assert _threshold().task_dbrps == (DBRP("telegraf", "autogen"),)
    # the ownership hash covers the parameters as JSON: the object form, as before
    assert from_dicts.model_dump(mode="json")["dbrps"] == [
        {"db": "b", "rp": "x"},
        {"db": "a", "rp": "y"},
    ]


@pytest.mark.parametrize(
    ("dbrps", "loc"),
    [
        ([{"db": "", "rp": "autogen"}], ("dbrps", 0, "db")),
        ([DBRP("telegraf", "")], ("dbrps", 0, "rp")),  # a value built in Python is checked too
        ([{"db": "telegraf", "rp": "autogen", "extra": 1}], ("dbrps", 0, "extra")),
        ([{"db": "telegraf"}], ("dbrps", 0, "rp")),
        ([], ("dbrps",)),
    ],
)
def test_parameters_refuse_what_the_schema_refuses(dbrps: list[object], loc: tuple[object]) -> None:
    with pytest.raises(ValidationError) as caught:
        _threshold(dbrps=dbrps)
    assert [error["loc"] for error in caught.value.errors()] == [loc]


def test_rendered_task_to_client_unchanged() -> None:
    task = tickgen.render_task(_threshold(dbrps=[{"db": "b", "rp": "x"}, {"db": "a", "rp": "y"}]))
    assert task.dbrps == (DBRP("b", "x"), DBRP("a", "y"))
    assert task.payload()["dbrps"] == [{"db": "b", "rp": "x"}, {"db": "a", "rp": "y"}]
    # what the client sends for the same values: the payload's objects
    assert _task_body(dbrps=task.dbrps)["dbrps"] == task.payload()["dbrps"]


def test_client_decodes_what_a_server_may_hold() -> None:
    """Kapacitor stores any names; a newer server may add keys: both still decode."""
    task = Task.model_validate(
        {"id": "t", "dbrps": [{"db": "", "rp": "autogen"}, {"db": "d", "rp": "r", "new": True}]}
    )
    assert task.dbrps == [DBRP("", "autogen"), DBRP("d", "r")]
    assert Task.model_validate({"id": "t", "dbrps": None}).dbrps == []
    with pytest.raises(ValidationError, match="a dbrp is an object"):
        Task.model_validate({"id": "t", "dbrps": [{"db": "d"}]})


def test_plans_compare_and_print_values() -> None:
    want = desired_task("t", "stream\n", [DBRP("b", "y"), DBRP("a", "x"), DBRP("a", "x")])
    assert want.dbrps == (DBRP("a", "x"), DBRP("b", "y"))
    live = LiveTask("t", want.script, (DBRP("c", "z"),), "enabled")
    (action,) = compute_plan([want], [live]).actions
    (change,) = [c for c in action.changes if c.field == "dbrps"]
    assert (change.live, change.desired) == ('"c"."z"', '"a"."x", "b"."y"')
