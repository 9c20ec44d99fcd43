"""handler_lines: every handler's exact lines, Chronograf parity, and the order."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from tests.handlers.full_handlers import FULL
from tickgen.handlers import HANDLER_ORDER, Handler, HandlerModel, handler_lines
from tickgen.tick.quote import Tick

_ADAPTER: TypeAdapter[list[Handler]] = TypeAdapter(list[Handler])


def load(*items: dict[str, Any]) -> list[HandlerModel]:
    return list(_ADAPTER.validate_python(list(items)))


def test_every_kind_has_a_full_case() -> None:
    assert set(FULL) == set(HANDLER_ORDER)


@pytest.mark.parametrize("kind", list(FULL))
def test_full_case_sets_every_property(kind: str) -> None:
    (handler,) = load(FULL[kind][0])
    assert handler.set_fields() == [n for n in type(handler).model_fields if n != "kind"]


@pytest.mark.parametrize("kind", list(FULL))
def test_every_property_renders(kind: str) -> None:
    params, expected = FULL[kind]
    lines = handler_lines(load(params))
    assert lines == expected
    assert all(type(line) is Tick for line in lines)


# Chronograf's own expectations (kapacitor/alerts_test.go, tickscripts_test.go
# and the handler table of reference/chronograf.md §4.5).
CHRONOGRAF = [
    pytest.param(
        [{"kind": "slack"}, {"kind": "victorOps"}, {"kind": "email"}],
        [".email()", ".victorOps()", ".slack()"],
        id="several-services",
    ),
    pytest.param(
        [
            {
                "kind": "pushover",
                "device": "asdf",
                "title": "asdf",
                "sound": "asdf",
                "url": "http://moo.org",
                "url_title": "influxdata",
            }
        ],
        [
            ".pushover()",
            ".device('asdf')",
            ".title('asdf')",
            ".uRL('http://moo.org')",
            ".uRLTitle('influxdata')",
            ".sound('asdf')",
        ],
        id="pushover",
    ),
    pytest.param(
        [{"kind": "slack", "channel": "#general"}],
        [".slack()", ".channel('#general')"],
        id="slack-channel",
    ),
    pytest.param([{"kind": "tcp", "address": "myaddress:22"}], [".tcp('myaddress:22')"], id="tcp"),
    pytest.param(
        [{"kind": "log", "path": "/tmp/alerts.log"}], [".log('/tmp/alerts.log')"], id="log"
    ),
    pytest.param(
        [{"kind": "post", "url": "http://myaddress"}], [".post('http://myaddress')"], id="post"
    ),
    pytest.param(
        [{"kind": "post", "url": "http://myaddress", "headers": {"key": "value"}}],
        [".post('http://myaddress')", ".header('key', 'value')"],
        id="post-headers",
    ),
    pytest.param(
        [
            {
                "kind": "serviceNow",
                "source": "a",
                "type": "b",
                "node": "c",
                "resource": "d",
                "metric_name": "e",
                "message_key": "f",
            }
        ],
        [
            ".serviceNow()",
            ".source('a')",
            ".node('c')",
            ".type('b')",
            ".resource('d')",
            ".metricName('e')",
            ".messageKey('f')",
        ],
        id="serviceNow",
    ),
    pytest.param(
        [{"kind": "bigPanda", "app_key": "a", "primary_property": "b", "secondary_property": "c"}],
        [".bigPanda()", ".appKey('a')", ".primaryProperty('b')", ".secondaryProperty('c')"],
        id="bigPanda",
    ),
    pytest.param(
        [{"kind": "teams", "channel_url": "https://outlook.office.com/webhook/..."}],
        [".teams()", ".channelURL('https://outlook.office.com/webhook/...')"],
        id="teams",
    ),
    pytest.param(
        [{"kind": "email", "to": ["me@me.com", "you@you.com"]}],
        [".email()", ".to('me@me.com')", ".to('you@you.com')"],
        id="email-to",
    ),
    pytest.param(
        [
            {"kind": "slack", "channel": "#ch", "username": "u", "icon_emoji": ":e:"},
            {"kind": "victorOps", "routing_key": "rk"},
            {"kind": "email", "to": ["howdy@howdy.com"]},
        ],
        [
            ".email()",
            ".to('howdy@howdy.com')",
            ".victorOps()",
            ".routingKey('rk')",
            ".slack()",
            ".channel('#ch')",
            ".username('u')",
            ".iconEmoji(':e:')",
        ],
        id="threshold-three-handlers",
    ),
    pytest.param(
        [{"kind": "exec", "command": ["/bin/echo", "it's"]}],
        [".exec('/bin/echo', 'it\\'s')"],
        id="exec-escaped",
    ),
    pytest.param(
        [{"kind": "sensu", "source": "s", "handlers": ["h1", "h2"]}],
        [".sensu()", ".source('s')", ".handlers('h1', 'h2')"],
        id="sensu",
    ),
    pytest.param(
        [
            {
                "kind": "telegram",
                "chat_id": "1",
                "parse_mode": "HTML",
                "disable_web_page_preview": True,
                "disable_notification": True,
            }
        ],
        [
            ".telegram()",
            ".chatId('1')",
            ".parseMode('HTML')",
            ".disableWebPagePreview()",
            ".disableNotification()",
        ],
        id="telegram",
    ),
    pytest.param(
        [{"kind": "kafka", "cluster": "c", "kafka_topic": "t", "template": "x"}],
        [".kafka()", ".cluster('c')", ".kafkaTopic('t')", ".template('x')"],
        id="kafka",
    ),
    pytest.param(
        [
            {
                "kind": "alerta",
                "token": "t",
                "resource": "r",
                "event": "e",
                "environment": "env",
                "group": "g",
                "value": "v",
                "origin": "o",
                "services": ["s1", "s2"],
            }
        ],
        [
            ".alerta()",
            ".token('t')",
            ".resource('r')",
            ".event('e')",
            ".environment('env')",
            ".group('g')",
            ".value('v')",
            ".origin('o')",
            ".services('s1', 's2')",
        ],
        id="alerta",
    ),
    pytest.param(
        [
            {
                "kind": "zenoss",
                "action": "a",
                "method": "m",
                "type": "t",
                "tid": 1,
                "device": "d",
                "component": "c",
                "event_class_key": "k",
                "event_class": "/e",
            }
        ],
        [
            ".zenoss()",
            ".action('a')",
            ".method('m')",
            ".type('t')",
            ".tid(1)",
            ".device('d')",
            ".component('c')",
            ".eventClassKey('k')",
            ".eventClass('/e')",
        ],
        id="zenoss",
    ),
    pytest.param(
        [{"kind": "opsGenie2", "teams": ["t"]}, {"kind": "talk"}, {"kind": "teams"}],
        [".opsGenie2()", ".teams('t')", ".talk()", ".teams()"],
        id="talk-separates-opsgenie-and-teams",
    ),
]


@pytest.mark.parametrize(("handlers", "expected"), CHRONOGRAF)
def test_chronograf_parity(handlers: list[dict[str, Any]], expected: list[str]) -> None:
    assert handler_lines(load(*handlers)) == expected


def test_all_kinds_follow_kapacitor_builder_order() -> None:
    shuffled = [FULL[kind][0] for kind in reversed(HANDLER_ORDER)]
    expected = [line for kind in HANDLER_ORDER for line in FULL[kind][1]]
    assert handler_lines(load(*shuffled)) == expected


def test_same_kind_keeps_list_order() -> None:
    lines = handler_lines(
        load(
            {"kind": "slack", "channel": "#b"},
            {"kind": "email"},
            {"kind": "slack", "channel": "#a"},
        )
    )
    assert lines == [".email()", ".slack()", ".channel('#b')", ".slack()", ".channel('#a')"]


def test_zero_values_are_left_out() -> None:
    lines = handler_lines(
        load(
            {"kind": "slack", "channel": "", "username": ""},
            {"kind": "mqtt", "topic": "t", "qos": 0, "retained": False},
            {"kind": "telegram", "disable_notification": False},
            {"kind": "pagerDuty2", "routing_key": ""},
        )
    )
    assert lines == [".pagerDuty2()", ".slack()", ".telegram()", ".mqtt('t')"]


@pytest.mark.parametrize("opsgenie", ["opsGenie", "opsGenie2"])
def test_teams_never_directly_follows_opsgenie(opsgenie: str) -> None:
    lines = handler_lines(
        load(
            {"kind": "teams", "channel_url": "https://t/1"},
            {"kind": opsgenie, "teams": ["ops"]},
            {"kind": "alerta"},
            {"kind": "teams"},
        )
    )
    assert lines == [
        ".alerta()",
        ".teams()",
        ".channelURL('https://t/1')",
        ".teams()",
        f".{opsgenie}()",
        ".teams('ops')",
    ]


def test_teams_moves_before_the_first_opsgenie_block() -> None:
    lines = handler_lines(
        load({"kind": "opsGenie2"}, {"kind": "teams"}, {"kind": "opsGenie"}, {"kind": "slack"})
    )
    assert lines == [".slack()", ".teams()", ".opsGenie()", ".opsGenie2()"]


@pytest.mark.parametrize("separator", ["talk", "mqtt", "snmpTrap", "zenoss"])
def test_teams_stays_in_place_when_something_separates_it(separator: str) -> None:
    params = FULL[separator][0]
    lines = handler_lines(load({"kind": "teams"}, params, {"kind": "opsGenie"}))
    assert lines == [".opsGenie()", *FULL[separator][1], ".teams()"]


@pytest.mark.parametrize(
    ("mode", "written"),
    [("0644", "0644"), (0o640, "0640"), (420, "0644"), ("0755", "0755"), ("0200", "0200")],
)
def test_log_mode_is_written_in_octal(mode: int | str, written: str) -> None:
    (handler,) = load({"kind": "log", "path": "/tmp/a.log", "mode": mode})
    assert handler_lines([handler]) == [".log('/tmp/a.log')", f".mode({written})"]


def test_strings_use_the_quoting_module() -> None:
    lines = handler_lines(
        load({"kind": "slack", "channel": "it's", "username": "back\\"}, {"kind": "talk"})
    )
    assert lines == [".slack()", ".channel('it\\'s')", ".username('''back\\''')", ".talk()"]


def test_float_and_negative_map_values() -> None:
    lines = handler_lines(
        load({"kind": "sensu", "metadata": {"a": 100.0, "b": -2, "c": -0.25, "d": ""}})
    )
    assert lines == [
        ".sensu()",
        ".metadata('a', 100.0)",
        ".metadata('b', -2)",
        ".metadata('c', -0.25)",
        ".metadata('d', '')",
    ]


def test_post_with_endpoint_only() -> None:
    lines = handler_lines(load({"kind": "post", "endpoint": "ops", "headers": {"b": "", "a": "1"}}))
    assert lines == [".post()", ".endpoint('ops')", ".header('a', '1')", ".header('b', '')"]


def test_no_handlers_no_lines() -> None:
    assert handler_lines([]) == []
