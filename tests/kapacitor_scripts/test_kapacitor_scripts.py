"""tickgen's checker gives kapacitord's verdict on every script of Kapacitor's own
tests and examples (extracted by extract.py, verdicts recorded by record.py).

* server accepted  -> the checker reports no error;
* server refused   -> the checker reports an error, or, when the refusal depends
  on the server's configuration (a UDF, an httppost endpoint, a kubernetes
  cluster, a sideload directory, ...), a warning that says so.

Scripts from the 1.8.3 tree are checked against the 1.8 node table, those from
1.5.9 against 1.5.  The live test re-sends every script to the fixture server
of the matching version, so the recorded verdicts cannot go stale.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers
from tests.kapacitor_scripts import cases
from tickgen.tick import TickSyntaxError, check

HERE = Path(__file__).resolve().parent
VERSIONS = [v for v in ("1.5.9", "1.8.3") if (HERE / f"verdicts-{v}.json").is_file()]
# What Kapacitor says when the refusal comes from its configuration, not the script
CONFIG_MARK = "server configuration"


def _load(version: str) -> list[tuple[str, str, dict[str, Any]]]:
    scripts = json.loads((HERE / f"scripts-{version}.json").read_text())
    verdicts = json.loads((HERE / f"verdicts-{version}.json").read_text())
    assert scripts.keys() == verdicts.keys(), "run record.py after extract.py"
    return [(name, scripts[name], verdicts[name]) for name in sorted(scripts)]


CASES = [(version, *case) for version in VERSIONS for case in _load(version)]
IDS = [f"{version}:{name}" for version, name, _, _ in CASES]


def checker_verdict(script: str, version: str) -> tuple[str, list[str]]:
    """``accepted``, ``refused`` or ``config``, with the messages behind it."""
    try:
        diagnostics = check(script, version=version)
    except TickSyntaxError as error:
        return "refused", [str(error)]
    errors = [str(d) for d in diagnostics if d.severity == "error"]
    if errors:
        return "refused", errors
    config = [str(d) for d in diagnostics if CONFIG_MARK in d.message]
    return ("config", config) if config else ("accepted", [])


# A Go template naming a field its data lacks starts, and the first event stops the
# task with this error (seen live on 1.8.3 for server_test.go's `.details('{{ json
# .data }}')`: "alert2: template: details:1:8: executing "details" at <.data>: can't
# evaluate field data in type kapacitor.detailsInfo", executing false).  tickgen
# refuses it up front: an alert that dies at its first event is no accepted alert.
DIES_AT_FIRST_EVENT = "can't evaluate field"


def expected_verdicts(
    script: str, recorded: dict[str, Any], messages: Sequence[str] = ()
) -> set[str]:
    """The checker verdicts that agree with what kapacitord said."""
    if recorded["verdict"] == "accepted":
        if messages and all(DIES_AT_FIRST_EVENT in m for m in messages):
            return {"refused"}
        return {"accepted", "config"}  # a note about configuration is no false alarm
    if cases.config_dependent(script, recorded["error"]):
        return {"config"}
    return {"refused"}


@pytest.mark.parametrize(("version", "name", "script", "recorded"), CASES, ids=IDS)
def test_checker_agrees_with_kapacitord(
    version: str, name: str, script: str, recorded: dict[str, Any]
) -> None:
    verdict, messages = checker_verdict(script, version)
    expected = expected_verdicts(script, recorded, messages)
    assert verdict in expected, (
        f"kapacitord {version}: {recorded['verdict']} {recorded['error']!r}; "
        f"checker: {verdict} {messages}"
    )


def test_both_kinds_of_verdict_are_covered() -> None:
    # the comparison means something only if both kinds occur in the data
    counts = dict.fromkeys(("accepted", "define", "enable"), 0)
    for _, _, _, recorded in CASES:
        counts[recorded["verdict"]] = counts.get(recorded["verdict"], 0) + 1
    assert counts["accepted"] > 200 and counts["define"] > 20 and counts["enable"] > 10


@pytest.mark.servers
def test_recorded_verdicts_are_current(
    influxdb: servers.Server, kapacitor_version: str, tmp_path: Path
) -> None:
    # A kapacitord of its own, configured like the shared one: Kapacitor's test
    # scripts start handlers and nodes with side effects of their own (once, on
    # a busy 1.8.3, its task store stopped answering), which must not reach the
    # server every other test shares.
    kapacitor = servers.start_or_skip(
        lambda: servers.start_kapacitor(
            tmp_path / "kapacitor", influxdb.url, version=kapacitor_version
        )
    )
    version = kapacitor.version
    assert version in VERSIONS, f"no verdicts recorded for kapacitord {version}: run record.py"
    stale = []
    try:
        with httpx.Client(base_url=kapacitor.url, timeout=30) as client:
            for number, (name, script, recorded) in enumerate(_load(version)):
                now = cases.define(client, f"kapacitor-script-{number}", script)
                if now != recorded:
                    stale.append(f"{name}: recorded {recorded}, now {now}")
    finally:
        kapacitor.stop()
    assert not stale, "run tests/kapacitor_scripts/record.py:\n" + "\n".join(stale)
