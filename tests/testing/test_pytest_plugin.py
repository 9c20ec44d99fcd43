"""The pytest plugin, used as a team would use it in its own suite (fixtures by entry point)."""

from __future__ import annotations

import tickgen
from tickgen.testing.pytest_plugin import AlertHarness, KapacitorUnderTest

T0 = 1704067200  # 2024-01-01T00:00:00Z


def test_plugin_fixtures_run_an_alert(tickgen_alerts: AlertHarness) -> None:
    alert = tickgen.Threshold(
        id="disk",
        database="telegraf",
        measurement="disk",
        field="used_percent",
        group_by=["path"],
        warn={"op": ">", "value": 80},
        crit={"op": ">", "value": 90},
        message='{{ index .Tags "path" }} is {{ .Level }}',
    )
    deployed = tickgen_alerts.create(alert)
    tickgen_alerts.write(
        deployed,
        f"disk,path=/var used_percent=85 {T0}",
        f"disk,path=/var used_percent=95 {T0 + 60}",
        f"disk,path=/var used_percent=10 {T0 + 120}",
    )
    events = tickgen_alerts.events(deployed, count=3, start=T0)
    # worked out by hand: 85 > 80 warns, 95 > 90 is critical, 10 recovers
    assert [(e.at // 10**9, e.level, e.id, e.message) for e in events] == [
        (0, "WARNING", "disk-path=/var", "/var is WARNING"),
        (60, "CRITICAL", "disk-path=/var", "/var is CRITICAL"),
        (120, "OK", "disk-path=/var", "/var is OK"),
    ]


def test_plugin_runs_a_script_as_written(
    tickgen_alerts: AlertHarness, tickgen_kapacitor: KapacitorUnderTest
) -> None:
    deployed = tickgen_alerts.create_script(
        "stream|from().measurement('m')|alert().crit(lambda: \"v\" > 5.0).log('/dev/null')"
    )
    tickgen_alerts.write(deployed, f"m v=9 {T0}")
    [event] = tickgen_alerts.events(deployed, count=1, start=T0)
    assert (event.at, event.level, event.id) == (0, "CRITICAL", "m:nil")
    assert tickgen_kapacitor.version
    assert deployed.task_id in [t.id for t in tickgen_kapacitor.client.list_tasks()]
