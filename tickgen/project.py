"""The project file, ``tickgen.toml``: finding it, reading it, its Kapacitor version.

Kept apart from :mod:`tickgen.deploy` (which imports the HTTP client) because the
offline commands read the file too, and must start without httpx.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from .errors import DeployError, ParameterError
from .textfile import read_text
from .tick.nodes import parse_version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_KAPACITOR_VERSION",
    "check_version", "find_config", "project_version", "read_config"]

CONFIG_NAME = "tickgen.toml"
# The newest release tickgen supports and tests (1.5.9 and 1.8.3 live, the table
# also against 1.7.x): what offline commands check for unless told otherwise.
DEFAULT_KAPACITOR_VERSION = "1.8"


def find_config(path: str | Path | None, cwd: Path | None = None) -> Path | None:
    """``path`` (which must exist), else ``./tickgen.toml`` if there is one."""
    if path is not None:
        config = Path(path)
        if not config.is_file():
            raise DeployError(f"config file {config} not found")
        return config
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def read_config(config: Path) -> dict[str, Any]:
    """The TOML document of ``config``; DeployError with the line of a syntax error."""
    try:
        return tomllib.loads(read_text(config, kind="config file"))
    except ParameterError as exc:
        raise DeployError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        if at is None:
            raise DeployError(f"{config}: invalid TOML: {message}") from None
        raise DeployError(
            f"{config}:{at.group(1)}: invalid TOML: {message[: at.start()]} (column {at.group(2)})"
        ) from None
    except RecursionError:
        raise DeployError(f"{config}: invalid TOML: nested too deeply") from None


def check_version(text: str, where: str) -> str:
    """``text`` if it is a Kapacitor version tickgen can compare; DeployError naming ``where``."""
    try:
        parse_version(text)
    except ValueError as exc:
        raise DeployError(f"{where}: {exc}") from None
    return text.strip()


def config_version(where: str, value: Any) -> str:
    """A ``kapacitor_version`` value of the config file, checked."""
    if not isinstance(value, str):
        raise DeployError(f"{where} must be a string such as \"1.8\" or \"1.7.7\"")
    return check_version(value, where)


def project_version(config: Path) -> str | None:
    """The config's top-level ``kapacitor_version``, checked; None when it has none."""
    value = read_config(config).get("kapacitor_version")
    return None if value is None else config_version(f"{config}: kapacitor_version", value)
