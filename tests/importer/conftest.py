"""The import tests share the deploy tests' project fixture (a tickgen.toml in a temp dir)."""

from __future__ import annotations

from tests.deploy.conftest import project

__all__ = ["project"]
