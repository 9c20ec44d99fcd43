"""Where the client connects and how: resolved once, from arguments, then environment.

* URL: the ``url`` argument, else ``$KAPACITOR_URL``, else ``http://localhost:9092``
  (the kapacitor CLI's order).  A path in it is kept as a prefix, for Kapacitor
  behind a reverse proxy; ``/kapacitor/v1`` is added.
* Credentials: ``token`` (Bearer), else ``username``/``password``, else the URL's
  userinfo (Basic).  They are taken out of the URL so that no URL the client
  prints, logs or puts in an error can carry them.
* Bounds: every answer must arrive whole within ``deadline`` seconds (default 60,
  or ``$TICKGEN_REQUEST_DEADLINE``), headers and body together, and be at most
  ``max_response_bytes`` (default 64 MiB, or ``$TICKGEN_MAX_RESPONSE_MB``):
  a server that trickles or never ends its body fails with a clear error.
  ``overall_deadline`` (a :class:`~tickgen.client.deadline.Deadline`, or seconds from
  now) bounds all requests together: each one's deadline is capped by the time left
  on it, and none starts once it has passed.  None by default: a library client
  lives as long as its program; the commands make one (``--deadline``).
* TLS: verified by default; ``verify=False`` or ``$KAPACITOR_UNSAFE_SSL`` set to a
  true value (Go's strconv.ParseBool, as in the kapacitor CLI) turns it off;
  ``ca_bundle`` names a PEM file of extra roots.
"""

from __future__ import annotations

import base64
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from tickgen._version import __version__
from tickgen.client.deadline import Deadline
from tickgen.client.errors import KapacitorError
from tickgen.client.retry import RetryPolicy

DEFAULT_URL = "http://localhost:9092"
API_PREFIX = "/kapacitor/v1/"
USER_AGENT = f"tickgen/{__version__} (httpx/{httpx.__version__})"

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False", ""}


@dataclass(frozen=True)
class Settings:
    """Everything a client needs to send requests; the repr shows no secret."""

    base_url: str  # scheme://host:port[/prefix]/kapacitor/v1/, without userinfo
    authorization: str | None = field(repr=False)  # the Authorization header value
    auth_scheme: str | None  # "basic", "bearer" or None: safe to show
    verify: ssl.SSLContext | bool
    timeout: httpx.Timeout
    retry: RetryPolicy
    user_agent: str = USER_AGENT
    deadline: float = 60.0  # seconds for one whole answer: headers and body
    max_response_bytes: int = 64 << 20
    secrets: tuple[str, ...] = field(default=(), repr=False)  # redacted from messages
    overall: Deadline | None = None  # caps every request's deadline

    @property
    def display_url(self) -> str:
        return self.base_url.removesuffix(API_PREFIX)


def resolve_settings(
    url: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    token: str | None = None,
    verify: bool | None = None,
    ca_bundle: str | os.PathLike[str] | None = None,
    timeout: float | httpx.Timeout = 10.0,
    retry: RetryPolicy | None = None,
    deadline: float | None = None,
    max_response_bytes: int | None = None,
    overall_deadline: Deadline | float | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    env = os.environ if env is None else env
    raw = url or env.get("KAPACITOR_URL") or DEFAULT_URL
    problem = url_problem(raw)
    if problem is not None:
        raise KapacitorError(problem)
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    if username is None and parts.username is not None:
        username, password = unquote(parts.username), unquote(parts.password or "")
    host = parts.netloc.rpartition("@")[2]
    prefix = parts.path.rstrip("/")
    base_url = urlunsplit((parts.scheme, host, prefix + API_PREFIX, "", ""))

    authorization, scheme = None, None
    if token:
        authorization, scheme = f"Bearer {token}", "bearer"
    elif username is not None:
        pair = f"{username}:{password or ''}".encode()
        authorization, scheme = f"Basic {base64.b64encode(pair).decode()}", "basic"

    secrets = tuple(
        s for s in (token, password, authorization and authorization.split(" ", 1)[-1]) if s
    )
    return Settings(
        base_url=base_url,
        authorization=authorization,
        auth_scheme=scheme,
        verify=_tls(verify, ca_bundle, env),
        timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
        retry=retry or RetryPolicy(),
        deadline=_positive(deadline, env, "TICKGEN_REQUEST_DEADLINE", 60.0),
        max_response_bytes=int(
            _positive(
                None if max_response_bytes is None else max_response_bytes / (1 << 20),
                env,
                "TICKGEN_MAX_RESPONSE_MB",
                64.0,
            )
            * (1 << 20)
        ),
        secrets=secrets,
        overall=_overall(overall_deadline),
    )


def _overall(value: Deadline | float | None) -> Deadline | None:
    if value is None or isinstance(value, Deadline):
        return value
    try:
        return Deadline(value)
    except ValueError as exc:
        raise KapacitorError(f"overall_deadline: {exc}") from None


def _positive(value: float | None, env: Mapping[str, str], variable: str, default: float) -> float:
    """An argument, else the environment variable, else the default; > 0."""
    if value is None:
        raw = env.get(variable)
        if raw is None or raw == "":
            return default
        try:
            value = float(raw)
        except ValueError:
            raise KapacitorError(
                f"{variable}={raw!r} is not a number: write a positive number, such as {default:g}"
            ) from None
        if not value > 0 or value == float("inf"):
            raise KapacitorError(
                f"{variable}={raw!r} must be a positive number, such as {default:g}"
            )
    if not value > 0:
        raise KapacitorError(
            f"a deadline or size limit must be positive, not {value}; the default is {default:g}"
        )
    return value


def _tls(
    verify: bool | None, ca_bundle: str | os.PathLike[str] | None, env: Mapping[str, str]
) -> ssl.SSLContext | bool:
    if verify is None:
        unsafe = env.get("KAPACITOR_UNSAFE_SSL", "")
        if unsafe not in _TRUE | _FALSE:
            raise KapacitorError(
                f"KAPACITOR_UNSAFE_SSL={unsafe!r} is not a boolean: write true to skip TLS "
                "verification, false (or nothing) to keep it"
            )
        verify = unsafe not in _TRUE
    if not verify:
        return False
    if ca_bundle is not None:
        return ssl.create_default_context(cafile=os.fspath(ca_bundle))
    return True


def url_problem(raw: str) -> str | None:
    """Why ``raw`` is not a usable Kapacitor URL (``http[s]://host[:port][/prefix]``), or None.

    The message never shows a password written into the URL.
    """
    shown = repr(_without_userinfo(raw))
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        return f"{shown} is not a URL: it contains whitespace or a control character"
    try:
        parts = urlsplit(raw if "://" in raw else f"http://{raw}")
        port = parts.port  # raises for a port that is not a number in 0-65535
        httpx.URL(raw if "://" in raw else f"http://{raw}")
    except (ValueError, httpx.InvalidURL) as exc:
        return f"{shown} is not a URL: {exc}; write http://HOST:PORT"
    if parts.scheme not in ("http", "https"):
        return f"{shown} is not an http(s) URL for Kapacitor; write http://HOST:PORT"
    if not parts.hostname:
        return f"{shown} names no host; write http://HOST:PORT"
    if port == 0:
        return f"{shown}: port 0 is not a port a server listens on"
    if parts.query or parts.fragment:
        return f"{shown}: a Kapacitor URL has no query or fragment (?... or #...)"
    return None


def _without_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    netloc, slash, path = rest.partition("/")
    netloc = netloc.rpartition("@")[2]
    return f"{scheme}{sep}{netloc}{slash}{path}"
