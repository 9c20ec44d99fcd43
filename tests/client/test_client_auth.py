"""Authentication against a real kapacitord with ``[http] auth-enabled = true``.

The OSS builds (1.5.9 and 1.8.3 alike) accept any Basic credentials, and Bearer
JWTs signed (HS256) with the shared secret that carry ``username`` and a future
``exp``; a request without credentials, or with a bad token, is a 401.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from tests import servers
from tickgen.client import DBRP, AuthError

SECRET = "tickgen-shared-secret"


def jwt(claims: dict[str, Any], secret: str = SECRET) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def encode(obj: dict[str, Any]) -> str:
        return part(json.dumps(obj, separators=(",", ":")).encode())

    signed = f"{encode({'alg': 'HS256', 'typ': 'JWT'})}.{encode(claims)}"
    signature = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{part(signature)}"


@pytest.fixture
def secured(kapacitor_factory: Any) -> servers.Server:
    server: servers.Server = kapacitor_factory(shared_secret=SECRET)
    return server


def test_no_credentials_is_an_auth_error(make_client: Any, secured: servers.Server) -> None:
    with pytest.raises(AuthError) as caught:
        make_client(secured.url).ping()  # not even ping is exempt
    assert caught.value.status == 401
    assert "authentication credentials" in caught.value.message


def test_basic_credentials_from_the_url_or_arguments(
    make_client: Any, secured: servers.Server
) -> None:
    from_url = make_client(secured.url.replace("://", "://alice:pw@"))
    assert from_url.ping().version == secured.version
    task = from_url.create_task(
        "t", "stream\n    |from()\n        .measurement('cpu')\n", dbrps=[DBRP(db="d", rp="r")]
    )
    assert task.id == "t"
    from_arguments = make_client(secured.url, username="bob", password="pw")
    assert [t.id for t in from_arguments.list_tasks()] == ["t"]


def test_a_valid_bearer_token(make_client: Any, secured: servers.Server) -> None:
    token = jwt({"username": "alice", "exp": int(time.time()) + 3600})
    assert make_client(secured.url, token=token).ping().version == secured.version


@pytest.mark.parametrize(
    ("claims", "secret"),
    [
        ({"username": "alice", "exp": 1}, SECRET),  # expired
        ({"username": "alice", "exp": 4102444800}, "another secret"),  # forged
        ({"username": "alice"}, SECRET),  # no expiry
    ],
)
def test_a_bad_bearer_token(
    make_client: Any, secured: servers.Server, claims: dict[str, Any], secret: str
) -> None:
    token = jwt(claims, secret)
    with pytest.raises(AuthError) as caught:
        make_client(secured.url, token=token).ping()
    assert caught.value.status == 401
    assert token not in str(caught.value)
