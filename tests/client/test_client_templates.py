"""Templates, and tasks made from them with vars, against the real Kapacitor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tickgen.client import DBRP, Conflict, InvalidScript, NotFound, Var

TEMPLATE = """// Which measurement to watch
var measurement string

var crit = 90

var period = 1m

stream
    |from()
        .measurement(measurement)
    |window()
        .period(period)
        .every(period)
    |mean('usage')
    |alert()
        .crit(lambda: "mean" > crit)
"""
DBRPS = [DBRP(db="telegraf", rp="autogen")]


@pytest.fixture
def template_id(client: Any, unique_id: Any) -> Iterator[str]:
    template_id = unique_id("tpl")
    client.create_template(template_id, TEMPLATE)
    yield template_id
    client.delete_template(template_id)


def test_create_and_get(client: Any, template_id: str) -> None:
    template = client.get_template(template_id)
    assert (template.id, template.type, template.script, template.error) == (
        template_id,
        "stream",
        TEMPLATE,
        "",
    )
    assert template.vars == {
        "measurement": Var(type="string", value=None, description="Which measurement to watch"),
        "crit": Var(type="int", value=90),
        "period": Var(type="duration", value=60_000_000_000),
    }
    assert template.dot.startswith(f"digraph {template_id} {{")


def test_list_with_pattern_and_vars_field(client: Any, template_id: str) -> None:
    (listed,) = client.list_templates(pattern=template_id)
    assert listed.vars == {}  # vars only when asked for
    (with_vars,) = client.list_templates(pattern=template_id, fields=["vars"])
    assert set(with_vars.vars) == {"measurement", "crit", "period"}
    assert template_id in [t.id for t in client.iter_templates(page_size=2)]


def test_task_from_template_with_vars(client: Any, template_id: str, unique_id: Any) -> None:
    task_id = unique_id()
    task = client.create_task(
        task_id,
        template_id=template_id,
        dbrps=DBRPS,
        vars={"measurement": Var.of("cpu"), "crit": Var.of(80)},
        status="enabled",
    )
    try:
        assert (task.template_id, task.type, task.executing) == (template_id, "stream", True)
        assert task.vars["crit"] == Var(type="int", value=80)
        assert task.script == TEMPLATE
    finally:
        client.delete_task(task_id)


def test_a_var_of_the_wrong_type_is_refused(client: Any, template_id: str, unique_id: Any) -> None:
    with pytest.raises(InvalidScript, match="invalid type supplied for crit"):
        client.create_task(
            unique_id(),
            template_id=template_id,
            dbrps=DBRPS,
            vars={"measurement": Var.of("cpu"), "crit": Var.of(80.5)},
        )


def test_updating_the_template_updates_its_tasks(
    client: Any, template_id: str, unique_id: Any
) -> None:
    task_id = unique_id()
    vars = {"measurement": Var.of("cpu")}
    client.create_task(task_id, template_id=template_id, dbrps=DBRPS, vars=vars, status="enabled")
    try:
        new_script = TEMPLATE.replace('"mean" > crit', '"mean" >= crit')
        updated = client.update_template(template_id, script=new_script)
        assert '"mean" >= crit' in updated.script
        task = client.get_task(task_id)
        assert '"mean" >= crit' in task.script
        assert task.executing
    finally:
        client.delete_task(task_id)


def test_duplicate_and_invalid_templates(client: Any, template_id: str, unique_id: Any) -> None:
    with pytest.raises(Conflict, match=f"template {template_id} already exists"):
        client.create_template(template_id, TEMPLATE)
    with pytest.raises(InvalidScript, match="invalid task type"):
        client.create_template(unique_id("tpl"), "")


def test_delete_template(client: Any, unique_id: Any) -> None:
    template_id = unique_id("tpl")
    client.create_template(template_id, TEMPLATE)
    client.delete_template(template_id)
    with pytest.raises(NotFound, match="no template exists"):
        client.get_template(template_id)
