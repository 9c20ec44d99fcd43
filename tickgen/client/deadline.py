"""An overall deadline: one point in time by which a whole piece of work must be over.

Each request already has its own bound (``deadline=``, whole answer within so
many seconds).  A :class:`Deadline` bounds many requests together: a client
given one (``overall_deadline=``) caps every request's own bound by the time
left on it and refuses to start a request once it has passed, so a server
that answers each request just inside the per-request limit, or thousands of
slow requests in a row, still end by then.  Several clients may share one
(``tickgen apply`` to several targets); the commands make one from
``--deadline`` or ``$TICKGEN_COMMAND_DEADLINE``.

No I/O and no timers here: whoever waits asks :meth:`Deadline.remaining`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from tickgen.errors import in_seconds


class Deadline:
    """``seconds`` from now (on ``clock``); ``str()`` names it for messages.

    ``hint`` says how to change it ("--deadline raises it"); :meth:`extend`
    moves it later, for time that should not count (a person answering a prompt).
    """

    def __init__(
        self,
        seconds: float,
        *,
        name: str = "the overall deadline",
        hint: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (seconds > 0 and math.isfinite(seconds)):
            raise ValueError(f"a deadline must be a positive number of seconds, not {seconds}")
        self.seconds = seconds
        self.name = name
        self.hint = hint
        self._clock = clock
        self._end = clock() + seconds

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g}, remaining={self.remaining():.3g})"

    def __str__(self) -> str:
        return f"{self.name} of {in_seconds(self.seconds)}"

    def remaining(self) -> float:
        """Seconds left; zero or less once it has passed."""
        return self._end - self._clock()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def extend(self, seconds: float) -> None:
        """Move the end ``seconds`` later."""
        self._end += seconds

    def reached(self) -> str:
        """The sentence for when it has passed: what it was, and how to change it."""
        return f"{self} was reached" + (f"; {self.hint}" if self.hint else "")
