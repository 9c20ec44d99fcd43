"""Where the built-in templates and schemas are, however tickgen was installed.

A wheel carries them inside the package (``tickgen/_data/``, mapped there by
hatchling's force-include); a source checkout or an editable install has them
at the top of the repository, next to the package, where users read them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory of built-in ``templates`` or ``schemas``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"tickgen's built-in {name}/ directory is missing: looked in {_PACKAGE / '_data'} "
        f"and {_PACKAGE.parent}; reinstall tickgen"
    )
