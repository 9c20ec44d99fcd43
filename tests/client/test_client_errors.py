"""The error tree: which class for which answer, and what the message says."""

from __future__ import annotations

import httpx
import pytest

from tickgen.client import errors
from tickgen.client._core import error_message
from tickgen.errors import TickgenError

# The reference's example (§4.2), a 400 from POST /tasks with the script "stream|from(".
PARSE_ERROR = (
    'invalid TICKscript: parser: unexpected EOF line 1 char 13 in "ream|from(". expected: '
    '"number","string","duration","identifier","TRUE","FALSE","==","(","-","!"'
)


def test_the_tree() -> None:
    assert issubclass(errors.KapacitorError, TickgenError)
    for transport in (errors.ConnectError, errors.RequestTimeout, errors.ConnectionLost):
        assert issubclass(transport, errors.TransportError)
    for api in (errors.BadRequest, errors.AuthError, errors.NotFound, errors.ServerError):
        assert issubclass(api, errors.APIError)
    assert issubclass(errors.InvalidScript, errors.BadRequest)
    assert issubclass(errors.Conflict, errors.BadRequest)
    assert not issubclass(errors.InvalidResponse, errors.APIError)


@pytest.mark.parametrize(
    ("status", "message", "cls"),
    [
        (400, PARSE_ERROR, errors.InvalidScript),
        (400, "invalid TICKscript: line 3 char 6: no method or property", errors.InvalidScript),
        (400, "invalid task type: invalid", errors.InvalidScript),
        (400, "task cpu_alert already exists", errors.Conflict),
        (400, "template t already exists", errors.Conflict),
        (400, "must specify dbrp", errors.BadRequest),
        (400, "invalid JSON", errors.BadRequest),
        (401, "unable to parse authentication credentials", errors.AuthError),
        (403, "forbidden", errors.AuthError),
        (404, "no task exists", errors.NotFound),
        (429, "slow down", errors.RateLimited),
        (500, "failed to start", errors.ServerError),
        (503, "unavailable", errors.ServerError),
        (500, 'failed to get topic events: unknown topic "t"', errors.NotFound),
        (418, "teapot", errors.APIError),
    ],
)
def test_error_for_status(status: int, message: str, cls: type[errors.APIError]) -> None:
    error = errors.error_for_status(status, message, request="POST /kapacitor/v1/tasks")
    assert type(error) is cls
    assert (error.status, error.message) == (status, message)
    assert str(error) == f"POST /kapacitor/v1/tasks: {status}: {message}" + cls.advice(
        status, message
    )


def test_each_class_pins_its_status() -> None:
    assert errors.BadRequest.status == 400
    assert errors.NotFound.status == 404
    assert errors.RateLimited.status == 429
    assert errors.ServerError.status == 500


def test_invalid_script_position() -> None:
    parse = errors.error_for_status(400, PARSE_ERROR)
    assert isinstance(parse, errors.InvalidScript)
    assert (parse.line, parse.char) == (1, 13)
    node = errors.InvalidScript(400, "invalid TICKscript: a call to join.as() is required")
    assert (node.line, node.char) == (None, None)


def response(status: int, body: bytes) -> httpx.Response:
    return httpx.Response(status, content=body, request=httpx.Request("GET", "http://k/x"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{\n    "error": "no task exists"\n}', "no task exists"),  # 1.5
        (b'{"error": "no task exists", "message": "no task exists"}', "no task exists"),  # 1.6+
        (b'{"message": "only message"}', "only message"),
        (b"unable to parse 'x': missing fields\n", "unable to parse 'x': missing fields"),
        (b'["not", "an", "object"]', '["not", "an", "object"]'),
        (b'{"error": ""}', '{"error": ""}'),
        (b"", "Not Found"),
    ],
)
def test_error_message_from_any_body(body: bytes, message: str) -> None:
    assert error_message(response(404, body)) == message
