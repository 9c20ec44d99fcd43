"""When to send a request again, and how long to wait first: pure functions only.

A retry must never repeat an effect.  Kapacitor's POST and PATCH are not
idempotent (a repeated create answers "already exists"; a create that timed
out may have stored the task), so they are retried only when the connection
was never made, which means nothing was sent.  GET, HEAD and DELETE (DELETE
of a missing id answers 204) are also retried on 5xx and 429.  Read timeouts are
not retried: a slow server only gets slower when asked twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter; ``max_retries`` extra attempts at most."""

    max_retries: int = 2
    backoff_base: float = 0.25  # seconds before the first retry, before jitter
    backoff_max: float = 4.0
    retry_after_max: float = 30.0  # a Retry-After above this is not waited for
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def retry_status(self, method: str, status: int) -> bool:
        """Whether an answer with this status may be retried for this method."""
        return method.upper() in IDEMPOTENT_METHODS and (status == 429 or status >= 500)

    def attempts_left(self, attempt: int) -> bool:
        """``attempt`` counts from 0 for the first try."""
        return attempt < self.max_retries

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2**attempt)]."""
        ceiling = min(self.backoff_max, self.backoff_base * (2**attempt))
        return self.rng.uniform(0, ceiling)

    def delay(self, attempt: int, retry_after: str | None = None) -> float | None:
        """Seconds to wait before the next attempt; None means give up.

        The server's Retry-After wins when it is readable and not absurd.
        """
        if not self.attempts_left(attempt):
            return None
        wait = parse_retry_after(retry_after) if retry_after else None
        if wait is not None:
            return wait if wait <= self.retry_after_max else None
        return self.backoff(attempt)


def parse_retry_after(value: str, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), else None."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with unknown origin
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())
