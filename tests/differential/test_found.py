"""Regression tests for classes the differential test found and this directory fixed.

The other classes it found (/work/notes/differential-findings.md) are fixed,
with their own tests, where their code lives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import servers
from tickgen import render_paths
from tickgen.cli import main
from tickgen.client import KapacitorClient
from tickgen.models import MAX_HISTORY

DEADMAN = "template: deadman\nid: {id}\ndatabase: d\nmeasurement: m\nperiod: {period}\nhistory: {history}\n"


def test_history_above_the_bound_is_refused_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # .history(9223372036854775807) made kapacitord 1.5.9 panic (makeslice: len out of
    # range) and exit when the alert's first group appeared: every task on it stopped.
    path = tmp_path / "history.yaml"
    path.write_text(DEADMAN.format(id="h", period="1m", history=9223372036854775807))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:6: history: 9223372036854775807 must be at most {MAX_HISTORY}" in err, err
    assert "Traceback" not in err


def test_the_largest_history_runs_through_a_group(
    kapacitor: servers.Server, client: KapacitorClient, tmp_path: Path
) -> None:
    # a deadman's stats node emits a point every period even with no data, so the
    # alert node makes its group (and allocates the history) within a second
    path = tmp_path / "history.yaml"
    path.write_text(DEADMAN.format(id="found-history", period="100ms", history=MAX_HISTORY))
    [task] = render_paths(path, kapacitor_version=kapacitor.version)
    client.create_task(
        task.id, task.script, dbrps=task.dbrps, type="stream", status="enabled"
    )
    try:

        def alerted() -> bool:
            stats = client.get_task(task.id).stats.get("node-stats", {})
            return any(
                name.startswith("alert") and node.get("emitted", 0) > 0
                for name, node in stats.items()
            )

        servers.wait_for(alerted, what="the deadman's first alert")
        assert kapacitor.running
        assert client.get_task(task.id).executing
    finally:
        client.delete_task(task.id)
