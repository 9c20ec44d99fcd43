"""Chronograf alert rules -> parameter files -> the script Chronograf writes for them.

The rules in chronograf/rules.json are shaped as chronograf.md §2 describes
(the ``rules`` of Chronograf's rules API); the expected scripts beside them
are written by hand from the canonical layout of §4, bugs included.  Where
Chronograf's script is wrong, tickgen's differs exactly there, and the file it
writes says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.deploy.conftest import run_cli
from tickgen import tick
from tickgen.importer.chronograf import duration, import_rule, params_from_rule, threshold_value
from tickgen.importer.paramfile import ImportProblem, render_params
from tickgen.pipeline import render_paths
from tickgen.render import Renderer

HERE = Path(__file__).parent / "chronograf"

# What tickgen writes instead of each documented Chronograf bug.
FIXES = {
    "account_login": [
        (  # the second .stateChangesOnly(); the PagerDuty v2 key Chronograf drops
            "        .durationField(durationField)\n        .stateChangesOnly()\n"
            "        .pagerDuty2()\n",
            "        .durationField(durationField)\n        .pagerDuty2()\n"
            "        .routingKey('pd-key')\n",
        )
    ],
    "heartbeat": [("var period = 10m\n\n0s\n\n", "var period = 10m\n\n")],  # Go's 10m0s
    "cpu_high": [],
    "disk_used": [],
}


def chronograf_script(name: str) -> str:
    return (HERE / f"{name}.tick").read_text()


@pytest.mark.parametrize("name", sorted(FIXES))
def test_expected_scripts_are_in_kapacitors_canonical_layout(name: str) -> None:
    # The hand-written expectations are themselves what Kapacitor's formatter prints.
    script = chronograf_script(name)
    assert tick.format(script) == script


def test_import_chronograf_rules_renders_chronografs_scripts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "alerts"
    code, out, err = run_cli(
        capsys, "import", "chronograf", str(HERE / "rules.json"), "--out", str(out_dir)
    )
    assert code == 0, err
    assert out.startswith(f"wrote 4 parameter file(s) to {out_dir}\nnot imported (3):\n")
    assert "  chronograf-v1-batch: a batch rule (query.rawText)" in out
    assert "  chronograf-v1-tickscript: the rule has no query" in out
    assert "  chronograf-v1-float: threshold value '1e3' is a number to Go but not to" in out
    assert "account_login: note: Chronograf writes .stateChangesOnly() twice" in err
    assert "account_login: note: Chronograf drops the PagerDuty v2 key" in err

    assert sorted(p.stem for p in out_dir.iterdir()) == sorted(FIXES)
    for name, fixes in FIXES.items():
        (task,) = render_paths(out_dir / f"{name}.yaml")
        expected = chronograf_script(name)
        for bug, fix in fixes:
            assert bug in expected
            expected = expected.replace(bug, fix)
        assert task.script == expected, name
        assert task.id == name
    text = (out_dir / "account_login.yaml").read_text()
    assert text.startswith(f"# imported from Chronograf rules {HERE / 'rules.json'}\n")
    assert "# note: Chronograf drops the PagerDuty v2 key" in text


def test_rule_parameters() -> None:
    rules = json.loads((HERE / "rules.json").read_text())["rules"]
    params, notes = params_from_rule(rules[0])
    assert params == {
        "template": "threshold",
        "id": "cpu_high",
        "name": "cpu high",
        "database": "telegraf",
        "retention_policy": "autogen",
        "measurement": "cpu",
        "group_by": ["host"],
        "where": {"host": ["acc-1", "prod"], "cpu": ["cpu-total"]},
        "field_present_filter": True,
        "field": "usage_user",
        "aggregate": {"function": "mean", "period": "5m", "every": "30s"},
        "message": "{{.ID}} is {{.Level}}: it's hot",
        "crit": {"op": ">", "value": 90},
        "handlers": [
            {"kind": "email", "to": ["ops@example.com"]},
            {"kind": "slack", "channel": "#ops", "username": "kapacitor"},
        ],
    }
    assert notes == []


def test_a_rule_read_from_chronograf_is_checked_against_its_tickscript() -> None:
    # Rules from the API carry their id and script; an id turns off the template's
    # own .stateChangesOnly(), so the box is what decides.
    rule = json.loads((HERE / "rules.json").read_text())["rules"][3]
    script = chronograf_script("disk_used")
    rule = {**rule, "id": "disk_used", "tickscript": script, "alertNodes": {
        **rule["alertNodes"], "stateChangesOnly": True}}
    imported = import_rule(rule, Renderer())
    assert imported.params is not None
    assert imported.note == ""  # rendered == the rule's tickscript
    unticked = import_rule({**rule, "alertNodes": {**rule["alertNodes"], "stateChangesOnly": False}},
                           Renderer())
    assert "differs from the rule's tickscript at line" in unticked.note
    assert "'.stateChangesOnly()' would be '.message(message)'" in unticked.note


def test_values_and_durations() -> None:
    assert duration("10m", "x") == "10m"
    assert duration("10m0s", "x") == "10m"
    assert duration("1h30m0s", "x") == "90m"
    assert duration("24h0m0s", "x") == "24h"
    assert duration("1m30s", "x") == "90s"
    with pytest.raises(ImportProblem, match="is not a duration"):
        duration("", "groupBy.time")
    assert threshold_value("90") == 90
    assert threshold_value("-5.50") == -5.5
    assert threshold_value("TRUE") is True
    assert threshold_value("true") == "true"
    assert threshold_value("down's") == "down's"
    assert threshold_value("") == ""
    for bad in ("1e3", "Inf", "NaN"):
        with pytest.raises(ImportProblem):
            threshold_value(bad)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trigger": "nope"}, "unknown trigger"),
        ({"values": {"operator": "inside range", "value": "1", "rangeValue": ""}},
         "invalid operator 'inside range'"),
        ({"query": {"database": "", "retentionPolicy": "autogen", "measurement": "cpu"}},
         "query.database is empty"),
        ({"name": ""}, "the rule has no name"),
    ],
)
def test_rules_chronograf_cannot_generate_are_refused(change: dict[str, object], message: str) -> None:
    rule = json.loads((HERE / "rules.json").read_text())["rules"][0]
    imported = import_rule({**rule, **change}, Renderer())
    assert imported.params is None
    assert message in imported.reason


# Every handler Chronograf's rule builder knows, each property set (chronograf.md §2.5) ...
ALL_HANDLERS = {
    "post": [{"url": "http://h.example.com/a", "headers": {"X-B": "2", "X-A": "1"}}],
    "tcp": [{"address": "10.0.0.1:9000"}],
    "email": [{"to": ["a@example.com", "", "b@example.com"]}],
    "exec": [{"command": ["/bin/page", "", "--now"]}],
    "log": [{"filePath": "/var/log/alerts.log"}],
    "victorOps": [{"routingKey": "vo"}],
    "pagerDuty": [{"serviceKey": "pd1"}],
    "pagerDuty2": [{"serviceKey": "pd2"}],
    "pushover": [{"userKey": "u", "device": "d", "title": "t", "url": "http://p",
                  "urlTitle": "ut", "sound": "s"}],
    "sensu": [{"source": "src", "handlers": ["h1", "h2"]}],
    "slack": [{"channel": "#c", "username": "u", "iconEmoji": ":e:", "workspace": "w"}],
    "telegram": [{"chatId": "1", "parseMode": "Markdown", "disableWebPagePreview": True,
                  "disableNotification": True}],
    "alerta": [{"token": "t", "resource": "r", "event": "e", "environment": "env", "group": "g",
                "value": "v", "origin": "o", "service": ["s1", "s2"]}],
    "opsGenie": [{"teams": ["t1"], "recipients": ["r1"]}],
    "opsGenie2": [{"teams": ["t2"], "recipients": ["r2"]}],
    "talk": [{}],
    "kafka": [{"cluster": "k", "kafka-topic": "topic", "template": "tpl"}],
    "serviceNow": [{"source": "s", "node": "n", "type": "t", "resource": "r",
                    "metric_name": "m", "message_key": "mk"}],
    "bigPanda": [{"app-key": "ak", "primary-property": "pp", "secondary-property": "sp"}],
    "teams": [{"channel_url": "http://teams"}],
    "zenoss": [{"action": "a", "method": "m", "type": "t", "tid": 3, "device": "d",
                "component": "c", "evclasskey": "ek", "evclass": "ec"}],
}
# ... and the handler block Chronograf writes for them (§4.5: Kapacitor's order,
# zero values dropped), with tickgen's one fix: the PagerDuty v2 key.
ALL_HANDLER_LINES = """\
.post('http://h.example.com/a')
.header('X-A', '1')
.header('X-B', '2')
.tcp('10.0.0.1:9000')
.email()
.to('a@example.com')
.to('b@example.com')
.exec('/bin/page', '--now')
.log('/var/log/alerts.log')
.victorOps()
.routingKey('vo')
.pagerDuty()
.serviceKey('pd1')
.pagerDuty2()
.routingKey('pd2')
.pushover()
.userKey('u')
.device('d')
.title('t')
.uRL('http://p')
.uRLTitle('ut')
.sound('s')
.sensu()
.source('src')
.handlers('h1', 'h2')
.serviceNow()
.source('s')
.node('n')
.type('t')
.resource('r')
.metricName('m')
.messageKey('mk')
.bigPanda()
.appKey('ak')
.primaryProperty('pp')
.secondaryProperty('sp')
.slack()
.workspace('w')
.channel('#c')
.username('u')
.iconEmoji(':e:')
.telegram()
.chatId('1')
.parseMode('Markdown')
.disableWebPagePreview()
.disableNotification()
.kafka()
.cluster('k')
.kafkaTopic('topic')
.template('tpl')
.alerta()
.token('t')
.resource('r')
.event('e')
.environment('env')
.group('g')
.value('v')
.origin('o')
.services('s1', 's2')
.opsGenie()
.teams('t1')
.recipients('r1')
.opsGenie2()
.teams('t2')
.recipients('r2')
.talk()
.zenoss()
.action('a')
.method('m')
.type('t')
.tid(3)
.device('d')
.component('c')
.eventClassKey('ek')
.eventClass('ec')
.teams()
.channelURL('http://teams')
"""


def test_every_chronograf_handler_renders_in_kapacitors_order() -> None:
    rule = json.loads((HERE / "rules.json").read_text())["rules"][0]
    rule = {**rule, "alertNodes": {"stateChangesOnly": False, **ALL_HANDLERS}}
    renderer = Renderer(kapacitor_version="1.8")  # zenoss is 1.6+
    imported = import_rule(rule, renderer)
    assert imported.params is not None, imported.reason
    script = render_params(imported.params, renderer).script
    block = script.split("        .durationField(durationField)\n")[1].split("\n\n")[0]
    assert [line.strip() for line in block.splitlines()] == ALL_HANDLER_LINES.splitlines()
