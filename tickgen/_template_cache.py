"""Compiled built-in templates kept on disk between runs, so start-up stays cheap.

Jinja compiles a template's source to Python source and then to bytecode, which
for the built-in templates (an alert template and its partials) costs more CPU
than rendering one alert.  A :class:`jinja2.FileSystemBytecodeCache` keeps the
bytecode; Jinja checks the template source's checksum and its own and Python's
bytecode version on every load, so a changed template is compiled again.

What Jinja does not check is how the environment was configured (whitespace
control, ``finalize``...), which changes the generated code too: the directory
is named after a hash of tickgen's version and those settings, and only the
built-in (unsandboxed) environment uses it.  Users' templates are compiled per
run.  The cache is ``$TICKGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/tickgen``, else
``~/.cache/tickgen``; ``TICKGEN_CACHE_DIR=`` (empty) turns it off, and a
directory that cannot be written, or that others could write to, just means
no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, FileSystemBytecodeCache

from ._version import __version__

__all__ = ["cache_root", "template_bytecode_cache"]


def cache_root() -> Path | None:
    """Where tickgen may keep files between runs; None when turned off."""
    configured = os.environ.get("TICKGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "tickgen"


class _QuietCache(FileSystemBytecodeCache):
    """A bytecode cache whose disk troubles (full, removed, read-only) cost only speed.

    One file per template name: Jinja keys a file by name *and* path, so every
    install of tickgen (each virtualenv, each checkout) would add a set of
    files that nothing ever removes.  By name alone the directory stays as
    large as the template set; Jinja still compares the checksum of the source
    it loads with the one stored, so another install's different template is
    compiled again (and replaces the entry), never run from the wrong bytecode.
    """

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha1(name.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _settings_key(settings: Mapping[str, Any]) -> str:
    def show(value: Any) -> str:
        qualname = getattr(value, "__qualname__", None)
        module = getattr(value, "__module__", None)
        return f"{module}.{qualname}" if qualname is not None else repr(value)

    text = repr(sorted((name, show(value)) for name, value in settings.items()))
    return hashlib.sha256(f"{__version__}\n{text}".encode()).hexdigest()[:16]


def template_bytecode_cache(settings: Mapping[str, Any]) -> FileSystemBytecodeCache | None:
    """A bytecode cache for an environment built with ``settings``, or None (no cache)."""
    root = cache_root()
    if root is None:
        return None
    directory = root / f"jinja-{_settings_key(settings)}"
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(root):
            return None
        directory.mkdir(exist_ok=True, mode=0o700)
        if not _private(directory) or not os.access(directory, os.W_OK | os.X_OK):
            return None
    except OSError:
        return None
    return _QuietCache(str(directory))


def _private(directory: Path) -> bool:
    """Loaded bytecode runs as code: only a directory of ours that no one else can
    write to is used (on POSIX; elsewhere the user's own cache folder is trusted)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    status = directory.stat()
    return bool(status.st_uid == getuid() and not status.st_mode & 0o022)
