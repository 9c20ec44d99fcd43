"""The kapacitord that ``tickgen test`` starts by itself in these tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tickgen.testing import KapacitordNotFound, find_kapacitord


@pytest.fixture(scope="session")
def kapacitord_binary() -> Path:
    """The binary tickgen test would find; skip without one (fail in CI)."""
    try:
        return find_kapacitord()
    except KapacitordNotFound as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
