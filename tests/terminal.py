"""Run a command with stdout and stderr on a pseudo-terminal, as a person would see it."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def run_on_a_terminal(
    argv: Sequence[str | Path], *, env: Mapping[str, str], cwd: Path, deadline: float = 120
) -> tuple[int, str]:
    """``(exit code, what it wrote)``; reading stops at ``deadline`` seconds."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [str(part) for part in argv],
        cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    chunks: list[bytes] = []
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        ready, _, _ = select.select([controller], [], [], 1)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")
