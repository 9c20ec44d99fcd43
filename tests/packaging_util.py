"""Build, install and run tickgen for real, the way users get it: sdist, wheel, editable.

Everything runs in subprocesses, in fresh virtual environments (no system site
packages), from a copy of the git-tracked files, so nothing of the developer's
checkout or environment can make a broken package look healthy.  PyPI is asked
once, for a wheelhouse of tickgen's dependencies and its build backend; every
later install and every build backend environment (``python -m build`` and pip's
build isolation both install through pip) is then served offline from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # tickgen depends on tomli below 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent

# Environment variables that could point a child at the developer's environment:
# an activated venv, PYTHONPATH (the checkout), user site-packages.
_LEAKY_PREFIXES = ("PYTHON", "VIRTUAL_ENV", "CONDA_PREFIX", "__PYVENV_LAUNCHER__")


class CommandFailed(AssertionError):
    """A subprocess exited non-zero; the message carries its command and output."""


def run(
    cmd: Sequence[str | Path],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    argv = [str(part) for part in cmd]
    proc = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )
    if proc.returncode != 0:
        raise CommandFailed(
            f"`{' '.join(argv)}` (in {cwd}) exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    return proc


def online_env() -> dict[str, str]:
    """For the one step that reaches PyPI: keeps the developer's pip settings (index, cert)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_LEAKY_PREFIXES)}
    env["PYTHONNOUSERSITE"] = "1"  # ~/.local site-packages would be visible to a venv
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def offline_env(wheelhouse: Path) -> dict[str, str]:
    """pip (and so ``python -m build``'s isolated backend env) installs only from the wheelhouse.

    No pip setting of the developer's applies: a find-links, --user or --target
    from the environment or a pip.conf would change what gets installed where.
    """
    env = {k: v for k, v in online_env().items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # pip then reads no configuration file at all
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INDEX"] = "1"
    env["PIP_FIND_LINKS"] = str(wheelhouse)
    return env


def copy_tracked_files(repo: Path, dest: Path) -> Path:
    """Copy the working-tree content of the files git tracks, and nothing else, into ``dest``."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    copied = 0
    for rel in filter(None, listing.split("\0")):
        source = repo / rel
        if not source.is_file():
            continue  # deleted in the working tree but not yet in a commit
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    if copied == 0:
        raise CommandFailed(f"git ls-files listed no files in {repo}")
    return dest


def build_requirements(project: Path) -> list[str]:
    """What installing ``project`` needs: its dependencies and its build backend's."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    requires: list[str] = list(meta["build-system"]["requires"])
    dependencies: list[str] = list(meta["project"]["dependencies"])
    # hatchling's get_requires_for_build_editable always asks for ``editables``;
    # an offline ``pip install -e`` fails without it, so the wheelhouse carries it.
    return [*requires, *dependencies, "editables"]


def fill_wheelhouse(project: Path, wheelhouse: Path) -> None:
    """Download (or build) wheels of everything :func:`build_requirements` names, from PyPI."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", wheelhouse,
         *build_requirements(project)],
        cwd=wheelhouse,
        env=online_env(),
    )  # fmt: skip


def build(source: Path, outdir: Path, kind: str, env: dict[str, str]) -> Path:
    """``python -m build --<kind>`` of a source tree or an sdist; the one file it made."""
    outdir.mkdir(parents=True, exist_ok=True)
    before = set(outdir.iterdir())
    run(
        [sys.executable, "-m", "build", f"--{kind}", "--outdir", outdir, source],
        cwd=outdir,
        env=env,
    )
    made = sorted(set(outdir.iterdir()) - before)
    suffix = ".tar.gz" if kind == "sdist" else ".whl"
    if len(made) != 1 or not made[0].name.endswith(suffix):
        raise CommandFailed(f"python -m build --{kind} made {made}, expected one {suffix}")
    return made[0]


def sdist_names(sdist: Path) -> list[str]:
    """Member paths of an sdist, without its ``name-version/`` top directory."""
    with tarfile.open(sdist) as archive:
        return sorted(name.split("/", 1)[1] for name in archive.getnames() if "/" in name)


def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return sorted(archive.namelist())


def _outer_pip_can_target() -> bool:
    """pip >= 22.3 can install into another interpreter's environment (``pip --python``)."""
    major, minor = (int(part) for part in version("pip").split(".")[:2])
    return (major, minor) >= (22, 3)


@dataclass(frozen=True)
class Venv:
    """A fresh virtual environment; ``env`` is what its subprocesses run with.

    When this process's pip can target it, the venv is made without pip of its own
    (seeding pip is most of the cost of a venv) and this pip installs into it.
    """

    path: Path
    env: dict[str, str]
    own_pip: bool

    @classmethod
    def create(cls, path: Path, env: dict[str, str]) -> Venv:
        own_pip = not _outer_pip_can_target()
        # No --system-site-packages: only what is installed here can be imported.
        cmd: list[str | Path] = [sys.executable, "-m", "venv", path]
        if not own_pip:
            cmd.insert(3, "--without-pip")
        run(cmd, cwd=path.parent, env=env)
        return cls(path, env, own_pip)

    def bin(self, name: str) -> Path:
        scripts = self.path / ("Scripts" if os.name == "nt" else "bin")
        return scripts / (f"{name}.exe" if os.name == "nt" else name)

    @property
    def python(self) -> Path:
        return self.bin("python")

    def pip_install(self, *args: str | Path) -> None:
        pip: list[str | Path] = (
            [self.python, "-m", "pip"]
            if self.own_pip
            else [sys.executable, "-m", "pip", "--python", self.python]
        )
        # --no-compile: the commands under test byte-compile what they import anyway
        run([*pip, "install", "--quiet", "--no-compile", *args], cwd=self.path, env=self.env)

    def run(self, cmd: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
        return run(cmd, cwd=cwd, env=self.env)
