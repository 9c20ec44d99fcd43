"""Reading a user's text file without trusting it: regular, bounded, UTF-8, no NUL.

Parameter files, TICKscripts, template schemas and templates all come from
users.  A path may name ``/dev/zero``, a FIFO nobody writes to, or a 4 GiB
file; its bytes may be Latin-1 or hold NUL.  :func:`read_text` refuses each of
these with a message that says where and what would be right, instead of a
hang, a MemoryError or a UnicodeDecodeError.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ParameterError, Problem

__all__ = ["MAX_FILE_BYTES", "read_text", "text_problem"]

MAX_FILE_BYTES = 16 << 20  # 16 MiB: some 50,000 alerts; split larger files


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES, kind: str = "file") -> str:
    """The text of ``path``; a ParameterError (one Problem, with file and line) if it
    is not a regular file, is larger than ``limit`` bytes, is not UTF-8 or holds NUL."""
    name = str(path)
    try:
        # stat, not open: opening a FIFO blocks until someone writes to it
        info = path.stat()
    except FileNotFoundError:
        raise ParameterError([Problem("no such file", file=name)]) from None
    except OSError as exc:
        raise ParameterError([Problem(f"cannot read: {exc.strerror or exc}", file=name)]) from None
    if not stat.S_ISREG(info.st_mode):
        what = "a directory" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise ParameterError(
            [Problem(f"not a regular file ({what}); give a {kind} to read", file=name)]
        )
    if info.st_size > limit:
        raise ParameterError(
            [
                Problem(
                    f"{info.st_size:,} bytes is larger than the {_size(limit)} tickgen reads "
                    f"from one {kind}; split it into several files",
                    file=name,
                )
            ]
        )
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ParameterError([Problem(f"cannot read: {exc.strerror or exc}", file=name)]) from None
    if len(data) > limit:
        raise ParameterError(
            [Problem(f"larger than the {_size(limit)} tickgen reads from one {kind}", file=name)]
        )
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text without NUL bytes, or a ParameterError at the offending line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise ParameterError(
            [
                Problem(
                    f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column} cannot be "
                    "decoded; save the file as UTF-8",
                    file=name,
                    line=line,
                )
            ]
        ) from None
    problem = text_problem(text, name)
    if problem is not None:
        raise ParameterError([problem])
    return text


def text_problem(text: str, name: str) -> Problem | None:
    """A NUL character makes a binary file, not text: say where the first one is."""
    at = text.find("\x00")
    if at < 0:
        return None
    line, column = _position(text, at)
    return Problem(f"a NUL byte at column {column}: this is not a text file", file=name, line=line)


def _position(data: bytes | str, offset: int) -> tuple[int, int]:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    start = data.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - start + 1


def is_regular(path: str | os.PathLike[str]) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
