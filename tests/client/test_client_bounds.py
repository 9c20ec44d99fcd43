"""Every request is bounded: a trickling or endless answer fails within the deadline
and the size limit, with a clear message; error bodies are truncated and redacted.

The server is a fake on 127.0.0.1 (tests/client/hostile_server.py): a real
Kapacitor cannot be made to trickle.  The subprocess timeouts below only detect
a hang; nothing here measures time.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.forkserver import ForkServer
from tickgen.client import AsyncKapacitorClient, KapacitorClient
from tickgen.client.errors import APIError, InvalidResponse, RequestTimeout, redact, shown

from .hostile_server import hostile_server

HANG = 120
ALERT = """\
template: threshold
id: cpu-high
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
handlers: [{kind: log, path: /tmp/alerts.log}]
"""


def _sync_list(url: str, **options: object) -> None:
    with KapacitorClient(url, **options) as client:  # type: ignore[arg-type]
        client.list_tasks()


def _async_list(url: str, **options: object) -> None:
    async def go() -> None:
        async with AsyncKapacitorClient(url, **options) as client:  # type: ignore[arg-type]
            await client.list_tasks()

    asyncio.run(go())


CLIENTS = {"sync": _sync_list, "async": _async_list}


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("mode", ["trickle-headers", "trickle-body"])
def test_a_trickling_server_fails_at_the_deadline(client: str, mode: str) -> None:
    with hostile_server(mode) as url, pytest.raises(RequestTimeout) as caught:
        CLIENTS[client](url, deadline=1.0, timeout=30.0)
    assert "no complete answer within 1 second" in str(caught.value)


@pytest.mark.parametrize("client", CLIENTS)
def test_an_endless_body_stops_at_the_size_limit(client: str) -> None:
    with hostile_server("endless-body") as url, pytest.raises(InvalidResponse) as caught:
        CLIENTS[client](url, max_response_bytes=1 << 20, deadline=600.0)
    assert "larger than 1 MiB" in str(caught.value)


@pytest.mark.parametrize("client", CLIENTS)
def test_an_echoed_error_page_is_truncated_and_redacted(client: str) -> None:
    with hostile_server("echo-error") as url, pytest.raises(APIError) as caught:
        CLIENTS[client](url, username="alice", password="s3cret-pw")
    message = str(caught.value)
    for secret in ("s3cret-pw", "YWxpY2U6czNjcmV0LXB3", "hunter2-db", "tok-9f8e7d"):
        assert secret not in message
    assert "Authorization: Basic ***" in message
    assert "more characters)" in message
    assert len(message) < 1000


def test_redact_catches_the_usual_shapes() -> None:
    text = (
        'Authorization: Bearer abc.def {"password": "pw1"} url=http://u:pw2@h/x '
        "api_key=k3 routing-key: k4 secret=k5"
    )
    cleaned = redact(text)
    for secret in ("abc.def", "pw1", "pw2", "k3", "k4", "k5"):
        assert secret not in cleaned
    assert redact("plain words, no secrets") == "plain words, no secrets"
    assert shown("x" * 600).endswith("... (100 more characters)")


@pytest.fixture(scope="module")
def tickgen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    """``python -m tickgen`` under a memory limit, each run its own process (tests/forkserver.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAPACITOR_", "TICKGEN_"))}
    server = ForkServer(tmp_path_factory.mktemp("tickgen-output"), env,
                        memory_limit=1 << 30, hang=HANG)  # fmt: skip
    yield server
    server.close()


def _tickgen(
    tickgen: ForkServer, args: list[str], tmp_path: Path, *, alert: bool = True, **env: str
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "a.yaml").write_text(ALERT, encoding="utf-8")
    files = [str(tmp_path / "a.yaml")] if alert else []
    return tickgen.run([*args, *files], tmp_path, env)


@pytest.mark.parametrize("command", ["plan", "apply"])
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("trickle-headers", "no complete answer within 1 second"),
        ("trickle-body", "no complete answer within 1 second"),
        ("endless-body", "larger than 1 MiB"),
    ],
)
def test_plan_and_apply_fail_clearly_against_a_hostile_server(
    command: str, mode: str, expected: str, tmp_path: Path, tickgen: ForkServer
) -> None:
    with hostile_server(mode) as url:
        result = _tickgen(
            tickgen,
            [command, "--url", url],
            tmp_path,
            TICKGEN_REQUEST_DEADLINE="1",
            TICKGEN_MAX_RESPONSE_MB="1",
        )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    assert expected in result.stderr


def test_a_bad_deadline_setting_is_a_clear_error(tmp_path: Path, tickgen: ForkServer) -> None:
    result = _tickgen(
        tickgen, ["plan", "--url", "http://127.0.0.1:9"], tmp_path, TICKGEN_REQUEST_DEADLINE="soon"
    )
    assert result.returncode == 1
    assert "TICKGEN_REQUEST_DEADLINE='soon' is not a number" in result.stderr
    assert "Traceback" not in result.stderr


# where the deadline may stop each command: reading the task pages, or, on a machine so
# loaded that start-up and rendering take most of the second, the version read before them
DEADLINE_COMMANDS = {
    "plan": (
        ["plan"],
        (
            "cannot read its tasks: GET /kapacitor/v1/tasks: stopped: ",
            "cannot read its version: GET /kapacitor/v1/ping: stopped: ",
        ),
    ),
    "apply": (["apply"], ("",)),
    "import": (
        ["import", "--out", "imported"],
        ("GET /kapacitor/v1/tasks: stopped: ", "GET /kapacitor/v1/ping: stopped: "),
    ),
}


@pytest.mark.parametrize("command", DEADLINE_COMMANDS)
@pytest.mark.parametrize("how", ["option", "variable"])
def test_a_server_slow_on_every_request_ends_at_the_command_deadline(
    command: str, how: str, tmp_path: Path, tickgen: ForkServer
) -> None:
    # every answer comes well inside the per-request deadline (60 s), and the task
    # list never runs out of full pages: only the command deadline ends the run
    args, where = DEADLINE_COMMANDS[command]
    option = ["--deadline", "1"] if how == "option" else []
    env = {"TICKGEN_COMMAND_DEADLINE": "1"} if how == "variable" else {}
    with hostile_server("slow-pages") as url:
        result = _tickgen(tickgen, [*args, "--url", url, *option], tmp_path,
                          alert=command != "import", **env)  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    reached = "the command deadline of 1 second was reached"
    assert any(f"{place}{reached}" in result.stderr for place in where), result.stderr
    assert "--deadline SECONDS or $TICKGEN_COMMAND_DEADLINE gives it more time" in result.stderr
    if command == "apply":
        assert f"{reached} before any change: nothing was changed" in result.stderr
    assert not (tmp_path / "imported").exists()


@pytest.mark.parametrize(
    ("command", "value", "how"),
    [("plan", "0", "option"), ("plan", "-5", "option"), ("plan", "soon", "option"),
     ("plan", "inf", "option"), ("plan", "nan", "variable"), ("plan", "1e999", "variable"),
     ("apply", "15m", "variable"), ("import", "0", "option"), ("apply", "never", "option")],
)  # fmt: skip
def test_a_bad_command_deadline_is_a_clear_error(
    command: str, value: str, how: str, tmp_path: Path, tickgen: ForkServer
) -> None:
    args = DEADLINE_COMMANDS[command][0]
    if how == "option":
        result = _tickgen(tickgen, [*args, "--url", "http://127.0.0.1:9", f"--deadline={value}"],
                          tmp_path, alert=command != "import")  # fmt: skip
        origin = "--deadline"
    else:
        result = _tickgen(tickgen, [*args, "--url", "http://127.0.0.1:9"], tmp_path,
                          alert=command != "import", TICKGEN_COMMAND_DEADLINE=value)  # fmt: skip
        origin = "$TICKGEN_COMMAND_DEADLINE"
    assert result.returncode == 1
    assert (
        f"tickgen: error: {origin} must be a positive number of seconds (for example 900), "
        f"not {value!r}"
    ) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
