"""Which kapacitord ``tickgen test`` runs, and the version it renders for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tickgen.render import DEFAULT_KAPACITOR_VERSION
from tickgen.testing import KapacitordNotFound, _render_version, find_kapacitord


def fake_binary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def empty_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("TICKGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KAPACITORD", raising=False)
    return tmp_path


def test_the_newest_cached_build_wins(empty_env: Path) -> None:
    for version in ("1.5.9", "1.8.3", "1.10.0", "1.6.6"):
        fake_binary(empty_env / "cache" / f"kapacitor-{version}" / "kapacitord")
    (empty_env / "cache" / "kapacitor-2.0.0").mkdir()  # no binary inside: ignored
    assert find_kapacitord() == empty_env / "cache" / "kapacitor-1.10.0" / "kapacitord"


def test_order_explicit_env_path_cache(empty_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = fake_binary(empty_env / "cache" / "kapacitor-1.5.9" / "kapacitord")
    on_path = fake_binary(empty_env / "bin" / "kapacitord")
    from_env = fake_binary(empty_env / "env" / "kapacitord")
    explicit = fake_binary(empty_env / "explicit" / "kapacitord")
    assert find_kapacitord() == on_path
    monkeypatch.setenv("KAPACITORD", str(from_env))
    assert find_kapacitord() == from_env
    assert find_kapacitord(explicit) == explicit
    os.unlink(on_path)
    monkeypatch.delenv("KAPACITORD")
    assert find_kapacitord() == cached


def test_a_bad_explicit_binary_is_an_error(empty_env: Path) -> None:
    with pytest.raises(KapacitordNotFound, match="not an executable file"):
        find_kapacitord(empty_env / "nothing")


def test_render_for_the_servers_version() -> None:
    assert _render_version("1.8.3") == "1.8.3"
    assert _render_version("1.5.9-rc1") == "1.5.9"
    assert _render_version("v1.7") == "1.7"
    assert _render_version("") == DEFAULT_KAPACITOR_VERSION
