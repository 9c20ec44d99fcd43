"""scripts/kapacitor-build's bookkeeping, with a stand-in ``go`` (no real build).

The real builds run in CI (scripts/setup-servers) and every ``servers`` test
uses their binaries; what is checked here is what a real build cannot show
cheaply: a build that fails halfway leaves nothing in the cache, and a bad
version is refused before anything is downloaded.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "kapacitor-build"

# A `go` that "downloads" a stub module, lists fine, and fails the build after
# writing half a binary to its -o path.
FAKE_GO = """#!/bin/sh
case "$1 $2" in
    "env GOPATH") echo "$FAKE_ROOT/gopath" ;;
    "mod download")
        mkdir -p "$FAKE_ROOT/module/cmd/kapacitord"
        printf '{\\n\\t"Dir": "%s",\\n}\\n' "$FAKE_ROOT/module" ;;
    "list -deps"|"list -m") ;;
    build*)
        while [ "$#" -gt 0 ]; do
            if [ "$1" = "-o" ]; then echo partial >"$2"; fi
            shift
        done
        echo "compile: something broke" >&2
        exit 2 ;;
esac
"""


def _run(tmp_path: Path, version: str) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    go = bin_dir / "go"
    go.write_text(FAKE_GO)
    go.chmod(go.stat().st_mode | stat.S_IXUSR)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "TICKGEN_CACHE": str(tmp_path / "cache"),
        "FAKE_ROOT": str(tmp_path),
    }
    env.pop("GOPATH", None)
    return subprocess.run(
        ["bash", str(SCRIPT), version], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_failed_build_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    done = _run(tmp_path, "1.5.1")
    assert done.returncode == 2, done.stderr
    assert "compile: something broke" in done.stderr
    cache = tmp_path / "cache"
    # only the lock file remains: no kapacitor-1.5.1/, no half-built staging directory
    assert sorted(p.name for p in cache.iterdir()) == [".kapacitor-1.5.1.lock"]


def test_a_bad_version_is_refused_first(tmp_path: Path) -> None:
    for version, message in [
        ("latest", "VERSION must look like 1.8.3, got 'latest'"),
        ("1.4.3", "only Kapacitor 1.5 and later are supported, got 1.4.3"),
    ]:
        done = _run(tmp_path, version)
        assert (done.returncode, done.stderr) == (1, f"kapacitor-build: {message}\n")
        assert not (tmp_path / "cache").exists()
