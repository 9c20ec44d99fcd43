"""Every kind of client failure says what went wrong, where, and what would help.

Real kapacitord where a real server can produce the failure (a closed port,
https spoken to a plain server, an unknown task, a wrong path prefix, a script
it refuses, authentication); the fake servers and mock transports only for what
it cannot (a DNS failure, a TLS certificate, a silent or dropping server, a
proxy's answers).  Each test runs with the sync and the async client.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers
from tests.client.fakes import FakeServer, Reply
from tickgen.cli import main
from tickgen.client import (
    DBRP,
    AuthError,
    ConnectError,
    ConnectionLost,
    InvalidResponse,
    InvalidScript,
    KapacitorError,
    NotFound,
    RequestTimeout,
    ServerError,
    errors,
)
from tickgen.client.settings import resolve_settings, url_problem

DBRPS = [DBRP(db="telegraf", rp="autogen")]

REFUSED = "connection refused (nothing listens there): is Kapacitor running, and on that host and port?"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAPACITOR_URL", "KAPACITOR_UNSAFE_SSL", "SSL_CERT_FILE", "TICKGEN_CONFIG"):
        monkeypatch.delenv(name, raising=False)


# -- against the real kapacitord ---------------------------------------------------------


def test_connection_refused_names_the_url(make_client: Any, refused_url: str) -> None:
    with pytest.raises(ConnectError) as caught:
        make_client(refused_url).ping()
    assert str(caught.value) == f"GET /kapacitor/v1/ping: cannot connect to {refused_url}: {REFUSED}"
    assert caught.value.url == refused_url


def test_https_to_a_plain_http_kapacitor(make_client: Any, kapacitor: servers.Server) -> None:
    url = kapacitor.url.replace("http://", "https://")
    with pytest.raises(ConnectError) as caught:
        make_client(url).ping()
    message = str(caught.value)
    assert message.startswith(f"GET /kapacitor/v1/ping: cannot connect to {url}: the TLS handshake failed (")
    assert message.endswith("); if the server speaks plain HTTP, write its URL with http://")


def test_unknown_task_is_the_servers_words(client: Any) -> None:
    with pytest.raises(NotFound) as caught:
        client.get_task("wording-no-such-task")
    assert str(caught.value) == "GET /kapacitor/v1/tasks/wording-no-such-task: 404: no task exists"


def test_a_wrong_path_prefix_says_the_url_is_not_kapacitors(
    make_client: Any, kapacitor: servers.Server
) -> None:
    with pytest.raises(NotFound) as caught:
        make_client(kapacitor.url + "/alerts").ping()
    assert str(caught.value) == (
        "GET /kapacitor/v1/ping: 404: Not Found; nothing of Kapacitor's API answers at "
        "this address: is the URL Kapacitor's (http://HOST:9092), with no wrong path after the port?"
    )


def test_a_refused_script_points_at_the_servers_words(client: Any) -> None:
    with pytest.raises(InvalidScript) as caught:
        client.create_task("wording-bad", "stream|from(.measurement('c')", dbrps=DBRPS)
    message = str(caught.value)
    assert message.startswith(
        "POST /kapacitor/v1/tasks: 400: invalid TICKscript: parser: unexpected . line 1 char 13"
    )
    assert message.endswith(
        "; Kapacitor refused the script: correct it where its words point "
        "(tickgen lint finds such problems offline, at file:line)"
    )
    assert (caught.value.line, caught.value.char) == (1, 13)


def test_a_task_that_fails_to_start_is_the_servers_words(client: Any) -> None:
    script = "stream\n    |from()\n        .measurement('m')\n    |window()\n"
    with pytest.raises(ServerError) as caught:
        client.create_task("wording-start", script, dbrps=DBRPS, status="enabled")
    assert str(caught.value) == (
        "POST /kapacitor/v1/tasks: 500: window node must have either a non zero period or "
        "non zero period count; Kapacitor failed on its side: its words say what (for a task, "
        "what to change in the script), its log says more"
    )


@pytest.fixture
def secured(kapacitor_factory: Any) -> servers.Server:
    server: servers.Server = kapacitor_factory(shared_secret="tickgen-wording-secret")
    return server


def test_authentication(make_client: Any, secured: servers.Server) -> None:
    with pytest.raises(AuthError) as caught:
        make_client(secured.url).ping()
    assert str(caught.value).endswith(
        "; Kapacitor has authentication on: give a username and password "
        "(or user:password@ in the URL) or a token"
    )
    with pytest.raises(AuthError) as caught:
        make_client(secured.url, token="not.a.token").ping()
    assert caught.value.status == 401
    assert str(caught.value).endswith(
        "; the credentials were refused: check the username and password, or the token"
    )


# -- what a real server cannot be made to do ----------------------------------------------


def test_tls_certificate_not_trusted(make_client: Any, tls_server: FakeServer) -> None:
    with pytest.raises(ConnectError) as caught:
        make_client(tls_server.url).ping()
    message = str(caught.value)
    assert message.startswith(
        f"GET /kapacitor/v1/ping: cannot connect to {tls_server.url}: its TLS certificate is "
        "not trusted ([SSL: CERTIFICATE_VERIFY_FAILED]"
    )
    assert message.endswith(
        "; give the CA that signed it in $SSL_CERT_FILE (or the client's ca_bundle), or turn "
        "verification off with KAPACITOR_UNSAFE_SSL=true"
    )


def test_plain_http_to_a_tls_server(make_client: Any, tls_server: FakeServer) -> None:
    url = tls_server.url.replace("https://", "http://")
    with pytest.raises(ConnectionLost) as caught:
        make_client(url).ping()
    assert str(caught.value).endswith("; if it speaks TLS, write its URL with https://")
    assert url in str(caught.value)


def _raising(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


def test_dns_failure_names_the_host(make_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc

    client = make_client("http://kapacitor.invalid:9092", transport=httpx.MockTransport(handler))
    with pytest.raises(ConnectError) as caught:
        client.ping()
    assert str(caught.value) == (
        "GET /kapacitor/v1/ping: cannot connect to http://kapacitor.invalid:9092: the host name "
        "'kapacitor.invalid' does not resolve ([Errno -2] Name or service not known); check the "
        "host in the URL"
    )


def test_connect_timeout(make_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    client = make_client("http://10.1.2.3:9092", transport=httpx.MockTransport(handler))
    with pytest.raises(RequestTimeout) as caught:
        client.ping()
    assert str(caught.value) == (
        "GET /kapacitor/v1/ping: no connection to http://10.1.2.3:9092 within the connect "
        "timeout (timed out): is the host up and the port open to you (a firewall may drop "
        "the packets)?"
    )


def test_read_timeout(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(delay=3.0))
    with pytest.raises(RequestTimeout) as caught:
        make_client(fake_server.url, timeout=0.3).ping()
    message = str(caught.value)
    assert message.startswith(f"GET /kapacitor/v1/ping: {fake_server.url} took the request but")
    assert message.endswith(
        "the server is overloaded or stuck, or the URL names something that is not Kapacitor"
    )


def test_connection_dropped(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(drop=True))
    with pytest.raises(ConnectionLost) as caught:
        make_client(fake_server.url).ping()
    assert str(caught.value).startswith(
        f"GET /kapacitor/v1/ping: {fake_server.url} closed the connection without a complete answer"
    )


def test_an_answer_that_is_not_kapacitors(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(Reply(200, b"<html>login</html>"))
    with pytest.raises(InvalidResponse) as caught:
        make_client(fake_server.url).list_tasks()
    assert str(caught.value).endswith(
        "Kapacitor's API does not answer like this: is the URL Kapacitor's (not a proxy's or "
        "another service's), and is its version one tickgen supports (1.5 or later)?"
    )
    fake_server.answer(Reply(200, b'{"tasks": [{"no": "id"}]}'))
    with pytest.raises(InvalidResponse) as caught:
        make_client(fake_server.url).list_tasks()
    assert "\n" not in str(caught.value)
    assert "is the URL Kapacitor's" in str(caught.value)


# -- statuses and settings: pure functions ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message", "advice"),
    [
        (400, "invalid task type: x", "; a task's type is stream or batch"),
        (400, "task cpu already exists", "; choose another id, or update or delete the task that has it"),
        (400, "must specify dbrp", ""),
        (403, "forbidden", "; the credentials were accepted but may not do this: use a user with the permission for this request"),
        (404, "404 page not found", "; nothing of Kapacitor's API answers at this address"),
        (429, "slow down", "; the server (or a proxy) asks for fewer requests: try again later"),
        (502, "Bad Gateway", "; a proxy in front of Kapacitor, or Kapacitor itself, cannot serve now: try again later, and check that Kapacitor is running"),
        (503, "unavailable", "; a proxy in front of Kapacitor"),
        (500, "failed to start", "; Kapacitor failed on its side: its words say what"),
    ],
)  # fmt: skip
def test_status_advice(status: int, message: str, advice: str) -> None:
    error = errors.error_for_status(status, message, request="GET /kapacitor/v1/tasks")
    text = str(error)
    assert text.startswith(f"GET /kapacitor/v1/tasks: {status}: {message}")
    rest = text.removeprefix(f"GET /kapacitor/v1/tasks: {status}: {message}")
    assert rest.startswith(advice) if advice else rest == ""
    assert error.message == message  # the server's words stay as they were


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://k:9092", "'ftp://k:9092' is not an http(s) URL for Kapacitor; write http://HOST:PORT"),
        ("http://", "'http://' names no host; write http://HOST:PORT"),
        ("http://k:99999", "write http://HOST:PORT"),
        ("http://k :9092", "'http://k :9092' is not a URL: it contains whitespace"),
        ("http://k:0", "port 0 is not a port a server listens on"),
        ("http://k:9092/?x=1", "a Kapacitor URL has no query or fragment"),
    ],
)
def test_bad_urls_say_how_to_write_one(url: str, expected: str) -> None:
    problem = url_problem(url)
    assert problem is not None and expected in problem
    with pytest.raises(KapacitorError, match=r"HOST:PORT|port 0|no query|whitespace"):
        resolve_settings(url)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"KAPACITOR_UNSAFE_SSL": "maybe"},
            "KAPACITOR_UNSAFE_SSL='maybe' is not a boolean: write true to skip TLS verification, "
            "false (or nothing) to keep it",
        ),
        (
            {"TICKGEN_REQUEST_DEADLINE": "soon"},
            "TICKGEN_REQUEST_DEADLINE='soon' is not a number: write a positive number, such as 60",
        ),
        (
            {"TICKGEN_MAX_RESPONSE_MB": "-1"},
            "TICKGEN_MAX_RESPONSE_MB='-1' must be a positive number, such as 64",
        ),
    ],
)
def test_bad_settings_say_what_to_write(env: dict[str, str], expected: str) -> None:
    with pytest.raises(KapacitorError) as caught:
        resolve_settings("http://k:9092", env=env)
    assert str(caught.value) == expected


# -- the command adds where the URL came from ---------------------------------------------

ALERT = """template: threshold
id: cpu
database: telegraf
measurement: cpu
field: usage_user
crit: {op: ">", value: 90}
topic: ops
"""

WAYS = "name another server with --url URL, $KAPACITOR_URL or --target NAME (a [targets.NAME] table of tickgen.toml)"


def _plan(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["plan", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tickgen: error: ")
    assert err.count("\n") == 1  # one line
    return err


def test_the_command_says_where_the_url_came_from(
    tmp_path: Path,
    refused_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "a.yaml").write_text(ALERT)
    monkeypatch.chdir(tmp_path)
    refused = f"cannot connect to {refused_url}: {REFUSED}"

    err = _plan(["a.yaml", "--url", refused_url], capsys)
    assert err.endswith(f"{refused}; the URL came from --url: {WAYS}\n"), err

    monkeypatch.setenv("KAPACITOR_URL", refused_url)
    err = _plan(["a.yaml"], capsys)
    assert err.endswith(f"{refused}; the URL came from $KAPACITOR_URL: {WAYS}\n"), err
    monkeypatch.delenv("KAPACITOR_URL")

    (tmp_path / "tickgen.toml").write_text(f'[targets.prod]\nurl = "{refused_url}"\n')
    err = _plan(["a.yaml", "--target", "prod"], capsys)
    assert err.endswith(
        f"{refused}; the URL is that of target prod in the project file: {WAYS}\n"
    ), err
