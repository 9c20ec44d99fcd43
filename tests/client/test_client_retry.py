"""The retry policy's pure methods: which answers, how long, how often."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickgen.client.retry import RetryPolicy, parse_retry_after


class Ceiling(random.Random):
    """A Random whose uniform(a, b) is always b: the backoff without its jitter."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE", "get"])
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_safe_methods_retry_5xx_and_429(method: str, status: int) -> None:
    assert RetryPolicy().retry_status(method, status)


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT"])
@pytest.mark.parametrize("status", [429, 500, 503])
def test_unsafe_methods_never_retry_a_status(method: str, status: int) -> None:
    assert not RetryPolicy().retry_status(method, status)


@pytest.mark.parametrize("status", [200, 204, 400, 401, 403, 404, 409])
def test_other_statuses_are_final(status: int) -> None:
    assert not RetryPolicy().retry_status("GET", status)


def test_backoff_doubles_up_to_the_maximum() -> None:
    policy = RetryPolicy(backoff_base=0.25, backoff_max=4.0, rng=Ceiling())
    assert [policy.backoff(a) for a in range(7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


@settings(max_examples=50, deadline=None)
@given(
    attempt=st.integers(min_value=0, max_value=60),
    base=st.floats(min_value=0.001, max_value=5),
    cap=st.floats(min_value=0.001, max_value=60),
    seed=st.integers(),
)
def test_backoff_is_jittered_within_bounds(
    attempt: int, base: float, cap: float, seed: int
) -> None:
    policy = RetryPolicy(backoff_base=base, backoff_max=cap, rng=random.Random(seed))
    assert 0 <= policy.backoff(attempt) <= min(cap, base * 2**attempt)


def test_jitter_spreads_the_waits() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=1.0, rng=random.Random(7))
    waits = {round(policy.backoff(0), 6) for _ in range(20)}
    assert len(waits) == 20


def test_delay_gives_up_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2, rng=Ceiling())
    assert [policy.delay(a) for a in range(4)] == [0.25, 0.5, None, None]
    assert RetryPolicy(max_retries=0).delay(0) is None


def test_delay_prefers_a_sane_retry_after() -> None:
    policy = RetryPolicy(retry_after_max=30, rng=Ceiling())
    assert policy.delay(0, "7") == 7.0
    assert policy.delay(0, "3600") is None  # too long to wait: give up, report the 429
    assert policy.delay(0, "soon") == 0.25  # unreadable: ordinary backoff


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert (
        parse_retry_after(format_datetime(now + timedelta(seconds=10), usegmt=True), now=now) == 10
    )
    assert (
        parse_retry_after(format_datetime(now - timedelta(seconds=10), usegmt=True), now=now) == 0
    )
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:05 -0000", now=now) == 5
    assert parse_retry_after("next tuesday") is None
