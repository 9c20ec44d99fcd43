"""Lambda functions: what the checker says about a name, shown on the real kapacitord.

Kapacitor looks a lambda's function up only when a point is evaluated
(tick/stateful/eval_function_node.go), so a task calling an unknown one is
created and starts, and then every point fails with ``undefined function``:
the alert never fires.  The checker calls that an error, and ``rand()`` an
error below 1.6.5, where it does not exist.  Here each verdict meets the server:
the refused call starts and never fires (the server logs why), the accepted
one fires.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests import servers
from tests.kapacitor_scripts.extract import module_root
from tickgen import tick
from tickgen.client import KapacitorClient
from tickgen.client.errors import NotFound
from tickgen.client.models import DBRP
from tickgen.tick.nodes import LAMBDA_FUNCTIONS, Version, parse_version

SCRIPT = """stream
    |from()
        .measurement('{measurement}')
    |alert()
        .crit(lambda: {condition})
        .topic('{topic}')
"""


def _script(measurement: str, condition: str) -> str:
    return SCRIPT.format(measurement=measurement, condition=condition, topic=measurement)


def _errors(script: str, version: str) -> list[str]:
    return [d.message for d in tick.check(script, version=version) if d.severity == "error"]


def _fired(client: KapacitorClient, task_id: str, measurement: str, script: str) -> list[str]:
    """Create the task enabled, send it one point, and return the levels it published."""
    client.create_task(
        task_id, script, dbrps=[DBRP(db="telegraf", rp="autogen")], type="stream", status="enabled"
    )
    task = client.get_task(task_id)
    assert task.executing and task.error == "", task.error
    client.write_points(
        [f"{measurement} value=5 1700000000"], db="telegraf", rp="autogen", precision="s"
    )
    client.disable_task(task_id)  # returns once the task has handled what it was sent
    try:
        return [event.state.level for event in client.list_topic_events(measurement)]
    except NotFound:  # a topic exists from its first event on
        return []


@pytest.mark.servers
def test_an_unknown_lambda_function_starts_and_never_fires(
    kapacitor: servers.Server,
    kapacitor_version: str,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    typo = unique_id("typo")
    script = _script(typo, 'abss("value") > 1')
    assert _errors(script, kapacitor_version) == [
        'undefined function: "abss" (did you mean "abs"?) (Kapacitor creates and starts the '
        "task, then fails every point: the alert never fires)"
    ]
    task_ids.append(typo)
    assert _fired(client, typo, typo, script) == []
    # logfmt quotes the error: err="undefined function: \"abss\""
    assert 'err="undefined function: \\"abss\\""' in kapacitor.read_log()

    fixed = unique_id("fixed")
    script = _script(fixed, 'abs("value") > 1')
    assert _errors(script, kapacitor_version) == []
    task_ids.append(fixed)
    assert _fired(client, fixed, fixed, script) == ["CRITICAL"]


@pytest.mark.servers
def test_rand_exists_from_1_6_5(
    kapacitor: servers.Server,
    kapacitor_version: str,
    client: KapacitorClient,
    task_ids: list[str],
    unique_id: Callable[[str], str],
) -> None:
    task_id = unique_id("rand")
    script = _script(task_id, 'rand() >= 0 AND "value" > 1')
    errors = _errors(script, kapacitor_version)
    task_ids.append(task_id)
    levels = _fired(client, task_id, task_id, script)
    if parse_version(kapacitor_version) >= Version(1, 6, 5):
        assert errors == []
        assert levels == ["CRITICAL"]
    else:
        assert errors == [
            f"rand() in a lambda needs Kapacitor 1.6.5 or later; the target is "
            f'{parse_version(kapacitor_version)} (where every point fails with '
            'undefined function: "rand")'
        ]
        assert levels == []
        assert 'err="undefined function: \\"rand\\""' in kapacitor.read_log()


@pytest.mark.servers  # Kapacitor's source is in the Go module cache once its server is built
def test_the_function_table_is_kapacitors(kapacitor_version: str) -> None:
    # the names functions.go registers, read from the source the test server was built from
    source = module_root(kapacitor_version) / "tick" / "stateful" / "functions.go"
    names = set(re.findall(r'\bfuncs\["(\w+)"\]', source.read_text(encoding="utf-8")))
    names |= set(re.findall(r'statelessFuncs\["(\w+)"\]', source.read_text(encoding="utf-8")))
    version = parse_version(kapacitor_version)
    assert names == {name for name, since in LAMBDA_FUNCTIONS.items() if since <= version}


@pytest.mark.parametrize("name", sorted(LAMBDA_FUNCTIONS))
def test_every_known_function_passes_where_it_exists(name: str) -> None:
    script = _script("m", f'{name}("value") > 1')
    assert _errors(script, "1.8") == []
    expected = [] if LAMBDA_FUNCTIONS[name] <= Version(1, 5) else [f"{name}() in a lambda"]
    assert [e.split(" needs")[0] for e in _errors(script, "1.5")] == expected
