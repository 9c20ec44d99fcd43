"""tickgen installs and renders in all three ways a package is installed.

templates/ and schemas/ live at the top of the repository; hatchling's
force-include maps them into the wheel as tickgen/_data/.  An editable install
imports tickgen from the tree, where there is no _data/ (hatchling does copy the
force-included files into its site-packages/tickgen/_data, but nothing imports
from there), and tickgen/_resources.py falls back to the tree's top level (see
STYLE.md).  These tests build and install for real, each into its own fresh
virtual environment, and run the ``tickgen`` console script from an unrelated
directory:

* a wheel built from the sdist (what ``python -m build`` and PyPI users get),
* a wheel built straight from the source tree (``pip install .``),
* an editable install of the tree (``pip install -e .``).

The builds start from a copy of the git-tracked files (their working-tree
content), so untracked files in the developer's checkout cannot hide a file
missing from the repository.  Marked slow: about a minute of CPU.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging_util import (
    REPO,
    Venv,
    build,
    copy_tracked_files,
    offline_env,
    sdist_names,
    wheel_names,
)
from tests.terminal import run_on_a_terminal

pytestmark = pytest.mark.slow

EXAMPLE = Path("examples/account_login_relative.yaml")
# The seed document's create request, verbatim (shared/seed/kapacitor-task-api.md).
SEED_TASK = REPO / "tests" / "client" / "seed_task.json"
BUILTIN_TEMPLATES = {"threshold", "relative", "deadman"}
INSTALLS = ("wheel-from-sdist", "wheel-from-tree", "editable")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packaging")


@pytest.fixture(scope="module")
def tree(workspace: Path) -> Path:
    return copy_tracked_files(REPO, workspace / "tree")


@pytest.fixture(scope="module")
def offline(wheelhouse: Path) -> dict[str, str]:
    """The environment every build and install runs with: pip offline, on one shared wheelhouse."""
    return offline_env(wheelhouse)


@pytest.fixture(scope="module")
def sdist(workspace: Path, tree: Path, offline: dict[str, str]) -> Path:
    return build(tree, workspace / "sdist", "sdist", offline)


@pytest.fixture(scope="module")
def wheel_from_sdist(workspace: Path, sdist: Path, offline: dict[str, str]) -> Path:
    return build(sdist, workspace / "wheel-from-sdist", "wheel", offline)


@pytest.fixture(scope="module")
def wheel_from_tree(workspace: Path, tree: Path, offline: dict[str, str]) -> Path:
    return build(tree, workspace / "wheel-from-tree", "wheel", offline)


@dataclass(frozen=True)
class Installed:
    kind: str
    venv: Venv
    tree: Path
    elsewhere: Path  # an empty working directory, far from the tree and the venv

    def tickgen(self, *args: str | Path) -> str:
        return self.venv.run([self.venv.bin("tickgen"), *args], cwd=self.elsewhere).stdout

    def python(self, code: str) -> str:
        return self.venv.run([self.venv.python, "-c", code], cwd=self.elsewhere).stdout


@pytest.fixture(scope="module", params=INSTALLS)
def installed(
    request: pytest.FixtureRequest, workspace: Path, tree: Path, offline: dict[str, str]
) -> Installed:
    kind: str = request.param
    venv = Venv.create(workspace / f"venv-{kind}", offline)
    if kind == "editable":
        # its own copy: running from it writes __pycache__, which the builds must not see
        tree = copy_tracked_files(REPO, workspace / "tree-editable")
        venv.pip_install("-e", tree)
    else:
        venv.pip_install(request.getfixturevalue(kind.replace("-", "_")))
    elsewhere = workspace / f"cwd-{kind}"
    elsewhere.mkdir()
    return Installed(kind, venv, tree, elsewhere)


def test_render_prints_the_seed_script(installed: Installed) -> None:
    seed_script = json.loads(SEED_TASK.read_text(encoding="utf-8"))["script"]
    assert installed.tickgen("render", installed.tree / EXAMPLE) == seed_script


def test_templates_lists_the_builtins(installed: Installed) -> None:
    lines = installed.tickgen("templates").splitlines()
    builtins = {line.split()[0] for line in lines if line.endswith("[built-in]")}
    assert builtins >= BUILTIN_TEMPLATES, lines


def test_schema_prints_the_shipped_json_schema(installed: Installed) -> None:
    printed = json.loads(installed.tickgen("schema", "threshold"))
    shipped = json.loads((installed.tree / "schemas/threshold.schema.json").read_text("utf-8"))
    assert printed == shipped


def test_data_is_found_where_this_kind_of_install_puts_it(installed: Installed) -> None:
    # Proves which copy of tickgen ran: the venv's wheel, or the tree for -e,
    # never the developer's checkout, and which branch of data_dir() served it.
    package, templates, schemas = installed.python(
        "import tickgen, tickgen._resources as r\n"
        "print(tickgen.__file__, r.data_dir('templates'), r.data_dir('schemas'), sep='\\n')"
    ).splitlines()
    package_dir = Path(package).parent
    if installed.kind == "editable":
        assert package_dir == installed.tree / "tickgen"
        data_root = installed.tree
    else:
        assert package_dir.is_relative_to(installed.venv.path)
        assert package_dir.parent.name == "site-packages"
        data_root = package_dir / "_data"
    assert Path(templates) == data_root / "templates"
    assert Path(schemas) == data_root / "schemas"
    # the JSON Schema of `tickgen test` files ships with the templates' schemas
    assert (Path(schemas) / "testing" / "test-file.schema.json").is_file()


def test_edits_to_the_tree_reach_an_editable_install_only(installed: Installed) -> None:
    # The point of -e: the tree's files are served live.  (hatchling also copies the
    # force-included data into an editable install's site-packages/tickgen/_data,
    # a stale copy that data_dir() must not prefer.)  A wheel keeps its own copy.
    schema_path = installed.tree / "schemas/threshold.schema.json"
    original = schema_path.read_bytes()
    schema = json.loads(original)
    schema["description"] = "edited in the tree"
    try:
        schema_path.write_text(json.dumps(schema), encoding="utf-8")
        lines = installed.tickgen("templates").splitlines()
    finally:
        schema_path.write_bytes(original)
    threshold = next(line for line in lines if line.split()[:1] == ["threshold"])
    assert ("edited in the tree" in threshold) == (installed.kind == "editable"), threshold


def _files_under(root: Path, sub: str) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / sub).rglob("*") if p.is_file())


def test_sdist_carries_templates_schemas_and_examples(sdist: Path, tree: Path) -> None:
    names = set(sdist_names(sdist))
    for sub in ("templates", "schemas", "examples", "tickgen"):
        expected = _files_under(tree, sub)
        assert expected, sub
        assert set(expected) <= names, set(expected) - names
    assert {"pyproject.toml", "README.md", "PKG-INFO"} <= names


def test_wheel_carries_the_data_inside_the_package(wheel_from_sdist: Path, tree: Path) -> None:
    names = wheel_names(wheel_from_sdist)
    assert {
        "tickgen/_data/templates/threshold.tick.j2",
        "tickgen/_data/schemas/threshold.schema.json",
        "tickgen/py.typed",
    } <= set(names)
    for sub in ("templates", "schemas"):
        expected = {f"tickgen/_data/{name}" for name in _files_under(tree, sub)}
        assert expected <= set(names), expected - set(names)
    # Nothing lands at the top of site-packages (a bare templates/ would collide with others).
    name, version = wheel_from_sdist.name.split("-")[:2]
    strays = [n for n in names if not n.startswith(("tickgen/", f"{name}-{version}.dist-info/"))]
    assert strays == []


def test_wheels_from_the_sdist_and_from_the_tree_are_identical(
    wheel_from_sdist: Path, wheel_from_tree: Path
) -> None:
    def contents(wheel: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(wheel) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    from_sdist, from_tree = contents(wheel_from_sdist), contents(wheel_from_tree)
    assert sorted(from_sdist) == sorted(from_tree)
    differing = [name for name in from_sdist if from_sdist[name] != from_tree[name]]
    assert differing == []


SUBCOMMANDS = (
    "render", "validate", "templates", "schema", "fmt", "lint", "graph", "plan", "apply", "import",
    "test",
)


def _on_a_terminal(installed: Installed, *args: str | Path) -> tuple[int, str]:
    """Run the venv's ``tickgen`` with stdout and stderr on a pseudo-terminal."""
    env = {**installed.venv.env, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return run_on_a_terminal(
        [installed.venv.bin("tickgen"), *args], env=env, cwd=installed.elsewhere
    )


def test_plain_install_works_on_a_terminal(installed: Installed) -> None:
    # No extras: Pygments is not there, and colour (auto on a terminal) must not need it.
    assert "pygments" not in installed.python(
        "import importlib.util as u; print(u.find_spec('pygments') and 'pygments')"
    )
    for command in SUBCOMMANDS:
        code, output = _on_a_terminal(installed, command, "--help")
        assert code == 0, (command, output)
        assert "Traceback" not in output, (command, output)
    examples = installed.tree / "examples"
    for example in sorted(p for p in examples.glob("*.yaml") if not p.name.endswith(".test.yaml")):
        code, output = _on_a_terminal(
            installed, "render", "--templates", examples / "templates", example
        )
        assert code == 0, (example.name, output)
        assert "Traceback" not in output and "|from()" in output, (example.name, output)
    code, output = _on_a_terminal(installed, "render", "--color", "always", examples / EXAMPLE.name)
    assert code == 0, output
    assert "needs Pygments" in output and "|alert()" in output, output
