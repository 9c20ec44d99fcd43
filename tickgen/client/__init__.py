"""A client for Kapacitor's HTTP API, blocking and asyncio, speaking Kapacitor's nouns.

    with KapacitorClient("http://localhost:9092") as kapacitor:
        kapacitor.create_task("cpu", script, dbrps=[DBRP(db="telegraf", rp="autogen")],
                              status="enabled")

Both clients share one I/O-free core (tickgen.client._core); the errors they
raise are drawn as a tree in tickgen.client.errors.
"""

from __future__ import annotations

from tickgen.client._async import AsyncKapacitorClient
from tickgen.client._sync import KapacitorClient
from tickgen.client.errors import (
    APIError,
    AuthError,
    BadRequest,
    Conflict,
    ConnectError,
    ConnectionLost,
    InvalidResponse,
    InvalidScript,
    KapacitorError,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    TransportError,
)
from tickgen.client.models import (
    Event,
    EventState,
    Handler,
    Ping,
    Series,
    Task,
    TaskOutput,
    Template,
    Topic,
    Var,
)
from tickgen.client.retry import RetryPolicy
from tickgen.dbrp import DBRP

__all__ = [
    "DBRP",
    "APIError",
    "AsyncKapacitorClient",
    "AuthError",
    "BadRequest",
    "Conflict",
    "ConnectError",
    "ConnectionLost",
    "Event",
    "EventState",
    "Handler",
    "InvalidResponse",
    "InvalidScript",
    "KapacitorClient",
    "KapacitorError",
    "NotFound",
    "Ping",
    "RateLimited",
    "RequestTimeout",
    "RetryPolicy",
    "Series",
    "ServerError",
    "Task",
    "TaskOutput",
    "Template",
    "Topic",
    "TransportError",
    "Var",
]
