"""Settings: URL, credentials, TLS, User-Agent; and credentials never leak."""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.client.fakes import FakeServer, Reply
from tickgen import _version
from tickgen.client import (
    ConnectError,
    InvalidResponse,
    KapacitorClient,
    KapacitorError,
    RequestTimeout,
    ServerError,
)
from tickgen.client.settings import resolve_settings

PING = Reply(204, b"", headers={"X-Kapacitor-Version": "1.5.9"})


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAPACITOR_URL", raising=False)
    monkeypatch.delenv("KAPACITOR_UNSAFE_SSL", raising=False)


def test_url_from_argument_then_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_settings().display_url == "http://localhost:9092"
    monkeypatch.setenv("KAPACITOR_URL", "http://env-host:9999")
    assert resolve_settings().display_url == "http://env-host:9999"
    assert resolve_settings("https://arg-host").display_url == "https://arg-host"


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("localhost:9092", "http://localhost:9092/kapacitor/v1/"),
        ("http://h:1/", "http://h:1/kapacitor/v1/"),
        ("https://h/behind/proxy/", "https://h/behind/proxy/kapacitor/v1/"),
        ("http://u:p@h:1", "http://h:1/kapacitor/v1/"),
    ],
)
def test_base_url(url: str, base: str) -> None:
    assert resolve_settings(url).base_url == base


@pytest.mark.parametrize("url", ["ftp://h", "http://"])
def test_a_url_that_is_not_http_is_refused(url: str) -> None:
    with pytest.raises(KapacitorError, match=r"not an http|names no host"):
        resolve_settings(url)


def test_requests_go_under_the_url_prefix(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(PING)
    make_client(fake_server.url + "/proxy/").ping()
    assert fake_server.requests[0].path == "/proxy/kapacitor/v1/ping"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("userinfo", "options", "expected"),
    [
        ("alice:s3cr3t@", {}, basic("alice", "s3cr3t")),
        ("alice:p%40ss@", {}, basic("alice", "p@ss")),  # percent-decoded, as curl does
        ("alice:s3cr3t@", {"username": "bob", "password": "pw"}, basic("bob", "pw")),
        ("", {"username": "bob", "password": "pw"}, basic("bob", "pw")),
        ("alice:s3cr3t@", {"token": "tok.en"}, "Bearer tok.en"),
        ("", {}, None),
    ],
)
def test_credentials_are_sent(
    make_client: Any, fake_server: FakeServer, userinfo: str, options: Any, expected: Any
) -> None:
    fake_server.answer(PING)
    make_client(fake_server.url.replace("://", f"://{userinfo}"), **options).ping()
    assert fake_server.requests[0].headers.get("authorization") == expected


def test_user_agent_names_tickgen_and_its_version(
    make_client: Any, fake_server: FakeServer
) -> None:
    fake_server.answer(PING)
    make_client(fake_server.url).ping()
    agent = fake_server.requests[0].headers["user-agent"]
    assert agent.startswith(f"tickgen/{_version.__version__} ")


def test_connections_are_reused(make_client: Any, fake_server: FakeServer) -> None:
    fake_server.answer(PING)
    client = make_client(fake_server.url)
    for _ in range(5):
        client.ping()
    assert (len(fake_server.requests), fake_server.connections) == (5, 1)


SECRET = "s3cr3t-pa55"
TOKEN = "t0ken-value"


@pytest.mark.parametrize(
    "reply", [Reply(500, b'{"error": "boom"}'), Reply(200, b"not json"), Reply(delay=2)]
)
def test_credentials_never_appear_in_reprs_errors_or_logs(
    make_client: Any, fake_server: FakeServer, caplog: pytest.LogCaptureFixture, reply: Reply
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: tickgen's, httpx's, httpcore's
    fake_server.answer(reply)
    url = fake_server.url.replace("://", f"://alice:{SECRET}@")
    clients = [
        make_client(url, timeout=0.5),
        make_client(fake_server.url, token=TOKEN, timeout=0.5),
    ]
    texts = []
    for client in clients:
        texts.append(repr(client))
        with pytest.raises((ServerError, InvalidResponse, RequestTimeout)) as caught:
            client.get_task("x")
        texts += [str(caught.value), repr(caught.value)]
    texts.append(caplog.text)
    assert "connect_tcp.started" in caplog.text  # the debug logs were really captured
    if reply.status == 500:
        assert "retrying GET /kapacitor/v1/tasks/x" in caplog.text
    encoded = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    for text in texts:
        for secret in (SECRET, TOKEN, encoded):
            assert secret not in text
    assert fake_server.requests[0].headers["authorization"] == f"Basic {encoded}"


def test_credentials_never_appear_in_connect_errors(refused_url: str) -> None:
    url = refused_url.replace("://", f"://alice:{SECRET}@")
    with KapacitorClient(url) as client, pytest.raises(ConnectError) as caught:
        client.ping()
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(client)
    assert client.url == refused_url


# -- TLS -----------------------------------------------------------------------------


def test_tls_is_verified_by_default(make_client: Any, tls_server: FakeServer) -> None:
    with pytest.raises(ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        make_client(tls_server.url).ping()
    assert tls_server.requests == []


def test_a_ca_bundle_makes_the_certificate_trusted(
    make_client: Any, tls_server: FakeServer, certificate: tuple[Path, Path]
) -> None:
    assert make_client(tls_server.url, ca_bundle=certificate[0]).ping().version == "1.5.9"


def test_verify_false_skips_verification(make_client: Any, tls_server: FakeServer) -> None:
    assert make_client(tls_server.url, verify=False).ping().version == "1.5.9"


@pytest.mark.parametrize("value", ["true", "1", "T", "TRUE"])
def test_kapacitor_unsafe_ssl_skips_verification(
    make_client: Any, tls_server: FakeServer, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KAPACITOR_UNSAFE_SSL", value)
    assert make_client(tls_server.url).ping().version == "1.5.9"


@pytest.mark.parametrize("value", ["false", "0", ""])
def test_kapacitor_unsafe_ssl_false_keeps_verification(
    make_client: Any, tls_server: FakeServer, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KAPACITOR_UNSAFE_SSL", value)
    with pytest.raises(ConnectError):
        make_client(tls_server.url).ping()


def test_an_explicit_verify_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPACITOR_UNSAFE_SSL", "true")
    assert resolve_settings("https://h", verify=True).verify is True


def test_kapacitor_unsafe_ssl_must_be_a_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPACITOR_UNSAFE_SSL", "yes please")
    with pytest.raises(KapacitorError, match="KAPACITOR_UNSAFE_SSL"):
        resolve_settings("https://h")
