"""Where the built-in templates and schemas are, however tickgen was installed.

A wheel carries them inside the package (``tickgen/_data/``, mapped there by
hatchling's force-include); a source checkout or an editable install has them
at the top of the repository, next to the package, where users read them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import TemplateError

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory of built-in ``templates`` or ``schemas``."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    # Only a source checkout may use the top-level directory: in site-packages
    # it could be another distribution's "templates/".
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    raise TemplateError(
        f"tickgen's built-in {name}/ directory is missing (looked in {installed} and in a "
        f"source checkout at {checkout}); reinstall tickgen"
    )
