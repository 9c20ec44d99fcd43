"""Pull the TICKscripts out of Kapacitor's own tests and examples into test data.

Usage (from the repository root)::

    python tests/kapacitor_scripts/extract.py [VERSION ...]    # default: 1.5.9 1.8.3

reads the read-only Kapacitor source tree of each version from the Go module
cache (``$(go env GOMODCACHE)/github.com/influxdata/kapacitor@vVERSION``) and
writes ``tests/kapacitor_scripts/scripts-VERSION.json``: ``{name: script}``,
deduplicated by text, where the name is ``path:line`` of the first occurrence.

Scripts come from ``*.tick`` files and from Go string literals (raw and
interpreted) in ``*_test.go`` files that read as a TICKscript: a literal that
uses ``stream`` or ``batch`` as the start of a chain or as a var's value.
Literals with ``fmt`` verbs (``%s``, ``%v`` ...) are templates filled in by the
test and are left out, as are the fragments of the lexer and parser tests
(``tick/ast``), which test syntax, not tasks.  Verdicts are added separately by
``record.py``; this file never touches the network.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERSIONS = ("1.5.9", "1.8.3")
# where scripts live in the tree (relative to the module root)
_SKIP_DIRS = ("vendor/", "tick/ast/", "node_modules/")
_LOOKS_LIKE_TASK = re.compile(
    r"(^|[^\w.'\"])(stream|batch)\s*(\||$|\n|\r)|=\s*(stream|batch)\b", re.M
)
_FMT_VERB = re.compile(r"%(\[\d+\])?[-+# 0-9.]*[svdqfTxX]")


def module_root(version: str) -> Path:
    modcache = (
        os.environ.get("GOMODCACHE")
        or subprocess.run(
            ["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    return Path(modcache) / "github.com" / "influxdata" / f"kapacitor@v{version}"


def go_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, value) of every whole string literal in Go source, comments skipped.

    A literal joined to something else with ``+`` (``".post('" + ts.URL + "')"``)
    is only a piece of a script and is left out."""
    for line, start, end, value in _literals(source):
        before = source[:start].rstrip()[-1:]
        after = source[end:].lstrip()[:1]
        if before != "+" and after != "+":
            yield line, value


def _literals(source: str) -> Iterator[tuple[int, int, int, str]]:
    """(line, start, end, value) of every string literal, comments skipped."""
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c == "`":
            end = source.find("`", i + 1)
            end = n if end < 0 else end
            # Go drops carriage returns from raw strings
            text = source[i + 1 : end].replace("\r", "")
            yield source.count("\n", 0, i) + 1, i, end + 1, text
            i = end + 1
        elif c == '"':
            j = i + 1
            while j < n and source[j] != '"' and source[j] != "\n":
                j += 2 if source[j] == "\\" else 1
            yield source.count("\n", 0, i) + 1, i, j + 1, _unquote(source[i : j + 1])
            i = j + 1
        elif c == "'":  # a rune literal: skip it whole ('\'' included)
            j = i + 1
            while j < n and source[j] != "'" and source[j] != "\n":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
        else:
            i += 1


def _unquote(literal: str) -> str:
    """A Go interpreted string literal's value (the escapes TICKscripts use)."""
    body = literal[1:-1]
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return body


def is_script(text: str) -> bool:
    return bool(_LOOKS_LIKE_TASK.search(text)) and not _FMT_VERB.search(text)


def extract(root: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    seen: set[str] = set()

    def add(name: str, text: str) -> None:
        key = text.strip()
        if key and key not in seen:
            seen.add(key)
            found[name] = text

    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(rel.startswith(d) or f"/{d}" in rel for d in _SKIP_DIRS) or not path.is_file():
            continue
        if path.suffix == ".tick":
            add(rel, path.read_text(encoding="utf-8"))
        elif path.name.endswith("_test.go"):
            for line, value in go_strings(path.read_text(encoding="utf-8")):
                if is_script(value):
                    add(f"{rel}:{line}", value)
    return found


def main(argv: list[str]) -> int:
    for version in argv or VERSIONS:
        root = module_root(version)
        if not root.is_dir():
            print(
                f"{root}: not in the Go module cache (go mod download "
                f"github.com/influxdata/kapacitor@v{version})",
                file=sys.stderr,
            )
            return 1
        scripts = extract(root)
        out = HERE / f"scripts-{version}.json"
        out.write_text(json.dumps(scripts, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{out.name}: {len(scripts)} scripts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
