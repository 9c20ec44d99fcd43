"""Each request of the seed document (shared/seed/kapacitor-task-api.md), through the client.

seed_task.json is the seed's create request verbatim: its id, its dbrps and its
script (a relative-change alert with influxDBOut and httpOut).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tickgen.client import DBRP, NotFound

SEED = json.loads((Path(__file__).parent / "seed_task.json").read_text())


@pytest.fixture
def seed_task(client: Any) -> Iterator[Any]:
    """The seed's POST, then a guaranteed delete (its id is fixed by the seed)."""
    client.delete_task(SEED["id"])
    task = client.create_task(
        SEED["id"],
        SEED["script"],
        dbrps=[DBRP(**d) for d in SEED["dbrps"]],
        type=SEED["type"],
        status=SEED["status"],
    )
    yield task
    client.delete_task(SEED["id"])


def test_create_answers_the_documented_task(seed_task: Any) -> None:
    assert seed_task.id == "dutianze-t"
    assert seed_task.link.href == "/kapacitor/v1/tasks/dutianze-t"
    assert seed_task.template_id == ""
    assert seed_task.type == "stream"
    assert seed_task.dbrps == [DBRP(db="api", rp="autogen")]
    assert seed_task.script == SEED["script"]  # the seed's script is already canonical
    assert seed_task.vars == {}
    assert seed_task.status == "enabled"
    assert seed_task.executing is True
    assert seed_task.error == ""
    assert seed_task.dot.startswith('digraph dutianze-t {\ngraph [throughput="0.00 points/s"];')
    assert "influxdb_out9" in seed_task.dot
    assert seed_task.created is not None
    assert seed_task.last_enabled is not None


def test_patch_dbrps_replaces_them(client: Any, seed_task: Any) -> None:
    new = [DBRP(db="NEW_DATABASE_NAME", rp="NEW_RP_NAME")]
    updated = client.update_task(seed_task.id, dbrps=new)
    assert updated.dbrps == new
    assert client.get_task(seed_task.id).dbrps == new


def test_disable_then_enable(client: Any, seed_task: Any) -> None:
    disabled = client.disable_task(seed_task.id)
    assert (disabled.status, disabled.executing) == ("disabled", False)
    enabled = client.enable_task(seed_task.id)
    assert (enabled.status, enabled.executing) == ("enabled", True)


def test_get(client: Any, seed_task: Any) -> None:
    task = client.get_task(seed_task.id)
    assert task.id == seed_task.id
    assert task.script == SEED["script"]
    assert task.status == "enabled"
    assert task.executing is True
    assert "task-stats" in task.stats
    assert "node-stats" in task.stats


def test_get_raw_script_and_label_dot(client: Any, kapacitor: Any, unique_id: Any) -> None:
    script = "stream|from().measurement('cpu')"  # not canonical: formatted differs
    task_id = unique_id()
    client.create_task(task_id, script, dbrps=[DBRP(db="db", rp="autogen")], status="enabled")
    try:
        assert client.get_task(task_id, script_format="raw").script == script
        formatted = client.get_task(task_id).script
        assert formatted == "stream\n    |from()\n        .measurement('cpu')\n"
        dot = client.get_task(task_id, dot_view="labels").dot
        assert "forcelabels=true" in dot
    finally:
        client.delete_task(task_id)


def test_delete_then_get_is_not_found(client: Any, seed_task: Any) -> None:
    client.delete_task(seed_task.id)
    with pytest.raises(NotFound) as caught:
        client.get_task(seed_task.id)
    assert caught.value.status == 404
    assert caught.value.message == "no task exists"


def test_list_contains_the_task(client: Any, seed_task: Any) -> None:
    listed = {t.id: t for t in client.list_tasks()}
    assert listed[seed_task.id].status == "enabled"
    assert listed[seed_task.id].dbrps == seed_task.dbrps


def test_list_with_pattern(client: Any, seed_task: Any) -> None:
    assert [t.id for t in client.list_tasks(pattern="dutianze*")] == ["dutianze-t"]
    assert client.list_tasks(pattern="no-such-task-*") == []


def test_list_with_fields_returns_only_those(client: Any, seed_task: Any) -> None:
    (task,) = client.list_tasks(pattern=seed_task.id, fields=["status", "executing", "error"])
    assert (task.id, task.status, task.executing, task.error) == (seed_task.id, "enabled", True, "")
    assert task.link.href == f"/kapacitor/v1/tasks/{seed_task.id}"
    # Fields not asked for are absent from the answer, so they keep their empty defaults.
    assert (task.script, task.dot, task.dbrps, task.created) == ("", "", [], None)


def test_ping_answers_with_the_version(
    client: Any, kapacitor: Any, kapacitor_version: str
) -> None:
    pong = client.ping()
    assert pong.version == kapacitor.version == kapacitor_version
    assert 0 <= pong.rtt < 5


def test_routes_lists_the_task_routes(client: Any) -> None:
    routes = client.routes()
    assert "POST" in routes["/kapacitor/v1/tasks"]
    assert "PATCH" in routes["/kapacitor/v1/tasks/"]
