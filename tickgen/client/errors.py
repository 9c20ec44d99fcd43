"""What can go wrong talking to Kapacitor, drawn as a tree.

    tickgen.errors.TickgenError
    └── KapacitorError                 anything that went wrong talking to Kapacitor
        ├── TransportError             no usable HTTP response arrived
        │   ├── ConnectError           nothing listening, DNS, TLS handshake
        │   ├── RequestTimeout         connect, read, write or pool timeout, or no whole
        │   │   │                      answer within the request's deadline
        │   │   └── DeadlineExceeded   the overall deadline (tickgen.client.Deadline) passed
        │   └── ConnectionLost         the server went away mid-request
        ├── InvalidResponse            a success status with a body that is not what the API sends
        └── APIError(status, message)  Kapacitor answered with an error status
            ├── BadRequest             400 not covered below
            │   ├── InvalidScript      400 "invalid TICKscript: ..."; .line and .char when given
            │   └── Conflict           the id is taken ("task X already exists")
            ├── AuthError              401 and 403
            ├── NotFound               404 (and the 500 for the events of an unknown topic)
            ├── RateLimited            429
            └── ServerError            5xx (a task that fails to start is a 500)

Messages name the request (method and path, never the credentials) and the
server's own words, decoded from either error body Kapacitor sends:
``{"error": ...}`` (1.5) or ``{"error": ..., "message": ...}`` (1.6+); plain-text
bodies (``/write`` errors, proxies) are quoted as text, at most
:data:`MAX_SHOWN` characters, with anything that looks like a credential (an
echoed ``Authorization`` header, ``password=``, tokens, a URL's password)
replaced by ``***`` (:func:`redact`).
"""

from __future__ import annotations

import re

from tickgen.errors import TickgenError

MAX_SHOWN = 500  # characters of a server's body quoted in a message

_AUTH_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization\b[\"']?\s*[:=]\s*[\"']?)((?:basic|bearer|token)\s+)?[^\s\"',;}]+"
)
_KEY_VALUE = re.compile(
    r"(?i)\b((?:password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|"
    r"routing[-_]?key|auth[-_]?token)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;}]+"
)
_URL_PASSWORD = re.compile(r"(://[^/\s:@]+:)[^/\s@]+@")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with credentials replaced by ``***``: the client's own ``secrets``
    wherever they appear, and whatever looks like one."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2) or ''}***", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}***", text)
    return _URL_PASSWORD.sub(r"\1***@", text)


def shown(text: str, secrets: tuple[str, ...] = ()) -> str:
    """A server's body as a message quotes it: redacted, and truncated."""
    text = redact(text, secrets)
    if len(text) > MAX_SHOWN:
        text = f"{text[:MAX_SHOWN]}... ({len(text) - MAX_SHOWN:,} more characters)"
    return text


class KapacitorError(TickgenError):
    """Base class of every error raised by tickgen.client."""


class TransportError(KapacitorError):
    """The request did not get a complete HTTP response; ``url`` is the server tried
    (``http://host:port``, without credentials), when known."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class ConnectError(TransportError):
    """Could not connect (refused, unreachable, DNS, TLS)."""


class RequestTimeout(TransportError):
    """A connect, read, write or pool timeout expired."""


class DeadlineExceeded(RequestTimeout):
    """The overall deadline passed before the request could end (or start)."""


class ConnectionLost(TransportError):
    """The connection closed before the response was complete."""


class InvalidResponse(KapacitorError):
    """A success status whose body cannot be decoded as the API's answer."""

    def __init__(self, message: str, *, status: int) -> None:
        self.status = status
        super().__init__(message)


class APIError(KapacitorError):
    """Kapacitor answered with an error status; ``message`` is the server's text."""

    status: int = 0  # pinned by each subclass; the actual status otherwise

    def __init__(self, status: int, message: str, *, request: str = "") -> None:
        self.status = status
        self.message = message
        self.request = request  # "PATCH /kapacitor/v1/tasks/cpu", for the reader
        where = f"{request}: " if request else ""
        super().__init__(f"{where}{status}: {message}{self.advice(status, message)}")

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        """What would help, after the server's words ("; ..."); empty when they say it all."""
        if status in (502, 503, 504):
            return (
                "; a proxy in front of Kapacitor, or Kapacitor itself, cannot serve now: "
                "try again later, and check that Kapacitor is running"
            )
        return ""


class BadRequest(APIError):
    status = 400


_LINE_CHAR = re.compile(r"\bline (\d+) char (\d+)\b")


class InvalidScript(BadRequest):
    """The server rejected the TICKscript; ``line``/``char`` locate it when it says so.

    Node validation messages (for example a join without ``.as()``) carry no
    position, so both are then None.
    """

    def __init__(self, status: int, message: str, *, request: str = "") -> None:
        super().__init__(status, message, request=request)
        match = _LINE_CHAR.search(message)
        self.line = int(match.group(1)) if match else None
        self.char = int(match.group(2)) if match else None

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        if message.startswith("invalid task type"):
            return "; a task's type is stream or batch"
        return (
            "; Kapacitor refused the script: correct it where its words point "
            "(tickgen lint finds such problems offline, at file:line)"
        )


class Conflict(BadRequest):
    """The id is already taken (Kapacitor answers 400, not 409)."""

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        return "; choose another id, or update or delete the task that has it"


class AuthError(APIError):
    status = 401

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        if status == 403:
            return (
                "; the credentials were accepted but may not do this: use a user "
                "with the permission for this request"
            )
        if "unable to parse" in message or "credentials" in message:
            return (
                "; Kapacitor has authentication on: give a username and password "
                "(or user:password@ in the URL) or a token"
            )
        return "; the credentials were refused: check the username and password, or the token"


class NotFound(APIError):
    status = 404

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        if message in ("Not Found", "404 page not found", "Not Found\n"):
            # no such route (Kapacitor's router, or another server): not a missing task
            return (
                "; nothing of Kapacitor's API answers at this address: is the URL "
                "Kapacitor's (http://HOST:9092), with no wrong path after the port?"
            )
        return ""


class RateLimited(APIError):
    status = 429

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        return "; the server (or a proxy) asks for fewer requests: try again later"


class ServerError(APIError):
    status = 500

    @classmethod
    def advice(cls, status: int, message: str) -> str:
        if status == 500:
            return (
                "; Kapacitor failed on its side: its words say what (for a task, what to "
                "change in the script), its log says more"
            )
        return super().advice(status, message)


def error_for_status(status: int, message: str, *, request: str = "") -> APIError:
    """The APIError subclass for an error answer (a pure function of status and text)."""
    cls: type[APIError]
    if status == 400:
        if message.startswith(("invalid TICKscript", "invalid task type")):
            cls = InvalidScript
        elif message.endswith("already exists"):
            cls = Conflict
        else:
            cls = BadRequest
    elif status in (401, 403):
        cls = AuthError
    elif status == 404:
        cls = NotFound
    elif status == 429:
        cls = RateLimited
    elif status >= 500 and "unknown topic" in message:
        # 1.5.9 answers the events of a topic that does not exist (yet) with a 500
        # "failed to get topic events: unknown topic"; the topic itself is a 404.
        cls = NotFound
    elif status >= 500:
        cls = ServerError
    else:
        cls = APIError
    return cls(status, message, request=request)
