"""Property tests: Kapacitor reads back exactly the handlers we wrote, in any mix."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from tests.handlers.full_handlers import FULL
from tickgen import tick
from tickgen.handlers import HANDLER_ORDER, Handler, handler_lines

_ADAPTER: TypeAdapter[list[Handler]] = TypeAdapter(list[Handler])


def _name(line: str) -> str:
    return line[1:].split("(", 1)[0]


# Each handler's own property names, as its full case writes them.
PROPERTIES = {kind: {_name(line) for line in lines[1:]} for kind, (_, lines) in FULL.items()}


def replay(lines: list[str]) -> list[str]:
    """The handler kinds Kapacitor creates from ``lines``.

    Kapacitor resolves ``.name()`` on the current handler first (its own
    fields and methods shadow the alert's), and only then on the alert, where
    a handler name creates a new handler.
    """
    kinds: list[str] = []
    for line in lines:
        name = _name(line)
        if kinds and name in PROPERTIES[kinds[-1]]:
            continue
        assert name in HANDLER_ORDER, line
        kinds.append(name)
    return kinds


@st.composite
def handler_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    # Bias towards the kinds whose order matters (OpsGenie, Teams and what
    # may separate them), with every other kind possible too.
    interesting = ["opsGenie", "opsGenie2", "teams", "talk", "mqtt", "zenoss", "snmpTrap"]
    kinds = draw(
        st.lists(
            st.one_of(st.sampled_from(interesting), st.sampled_from(HANDLER_ORDER)), max_size=8
        )
    )
    full = draw(st.lists(st.booleans(), min_size=len(kinds), max_size=len(kinds)))
    minimal = {"tcp": {"address": "h:1"}, "exec": {"command": ["/bin/true"]}}
    minimal |= {"log": {"path": "/tmp/x"}, "mqtt": {"topic": "t"}, "snmpTrap": {"trap_oid": "1"}}
    minimal |= {"post": {"url": "http://x"}, "kafka": {"cluster": "c"}}
    return [
        FULL[kind][0] if use_full else {"kind": kind, **minimal.get(kind, {})}
        for kind, use_full in zip(kinds, full, strict=True)
    ]


@settings(max_examples=200, deadline=None)
@given(handler_lists())
def test_kapacitor_sees_the_handlers_we_wrote(items: list[dict[str, Any]]) -> None:
    lines = handler_lines(_ADAPTER.validate_python(items))
    assert Counter(replay(lines)) == Counter(item["kind"] for item in items)


@settings(max_examples=50, deadline=None)
@given(handler_lists())
def test_the_lines_parse_as_an_alert_chain(items: list[dict[str, Any]]) -> None:
    lines = handler_lines(_ADAPTER.validate_python(items))
    script = "stream\n    |from()\n    |alert()\n" + "".join(f"        {x}\n" for x in lines)
    assert tick.format(script) == script
