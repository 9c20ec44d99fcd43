"""Record what a real kapacitord says about each extracted script.

Usage (from the repository root)::

    python tests/kapacitor_scripts/record.py VERSION [KAPACITORD]

starts a private InfluxDB and a kapacitord (``KAPACITORD``, default the one
tests/servers.py finds, i.e. ~/.cache/tickgen/kapacitor-VERSION/kapacitord) with
the same configuration as the test fixture ``kapacitor``, sends every script of
``scripts-VERSION.json`` as ``cases.define`` does, and writes
``verdicts-VERSION.json``: ``{name: {"verdict": ..., "error": ...}}``.
``test_kapacitor_scripts.py`` re-checks these against the running server, so
they cannot go stale unnoticed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # the repository root

from tests import servers  # noqa: E402
from tests.kapacitor_scripts import cases  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 1
    version = argv[0]
    binary = (
        Path(argv[1])
        if len(argv) > 1
        else (Path.home() / ".cache" / "tickgen" / f"kapacitor-{version}" / "kapacitord")
    )
    os.environ["KAPACITORD"] = str(binary)
    scripts = json.loads((HERE / f"scripts-{version}.json").read_text())
    with tempfile.TemporaryDirectory(prefix="kapacitor-scripts-") as tmp:
        influxdb = servers.start_influxdb(Path(tmp) / "influxdb")
        kapacitor = servers.start_kapacitor(Path(tmp) / "kapacitor", influxdb.url)
        try:
            print(f"kapacitord {kapacitor.version} at {kapacitor.url}", file=sys.stderr)
            verdicts = {}
            with httpx.Client(base_url=kapacitor.url, timeout=30) as client:
                for number, (name, script) in enumerate(sorted(scripts.items())):
                    verdicts[name] = cases.define(client, f"script{number}", script)
                    if not kapacitor.running:
                        print(f"kapacitord exited on {name}", file=sys.stderr)
                        return 1
        finally:
            kapacitor.stop()
            influxdb.stop()
    out = HERE / f"verdicts-{version}.json"
    out.write_text(json.dumps(verdicts, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    counts: dict[str, int] = {}
    for verdict in verdicts.values():
        counts[verdict["verdict"]] = counts.get(verdict["verdict"], 0) + 1
    print(f"{out.name}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
