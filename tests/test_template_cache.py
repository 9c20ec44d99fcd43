"""The built-in templates' bytecode cache (tickgen/_template_cache.py)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from tickgen._template_cache import template_bytecode_cache


def _environment(templates: Path) -> jinja2.Environment:
    cache = template_bytecode_cache({"autoescape": False})
    assert cache is not None
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates), bytecode_cache=cache)


def test_one_file_per_template_name_whatever_the_install_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKGEN_CACHE_DIR", str(tmp_path / "cache"))
    for install in ("venv-a", "venv-b", "checkout"):
        templates = tmp_path / install / "templates"
        templates.mkdir(parents=True)
        (templates / "alert.tick.j2").write_text("var x = {{ value }}\n", encoding="utf-8")
        assert _environment(templates).get_template("alert.tick.j2").render(value=1) == "var x = 1"
    assert len(list((tmp_path / "cache").glob("jinja-*/*"))) == 1


def test_another_install_with_another_source_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKGEN_CACHE_DIR", str(tmp_path / "cache"))
    old, new = tmp_path / "old", tmp_path / "new"
    for directory, text in ((old, "old {{ value }}"), (new, "new {{ value }}")):
        directory.mkdir()
        (directory / "alert.tick.j2").write_text(text, encoding="utf-8")
    assert _environment(old).get_template("alert.tick.j2").render(value=1) == "old 1"
    # the same name, a different source: the stored checksum does not match
    assert _environment(new).get_template("alert.tick.j2").render(value=2) == "new 2"
    assert _environment(old).get_template("alert.tick.j2").render(value=3) == "old 3"
