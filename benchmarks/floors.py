"""What the libraries tickgen calls cost on their own: the floor under the render targets.

The render targets (5,000 alerts per CPU second through ``tickgen render`` of
one file; 2,000 when every alert has a shape of its own) leave 200 and 500 µs
per alert for everything.  Some of that time is not tickgen's to save: the
parameter file must be read by a YAML library, and a script seen for the first
time must be lexed and parsed.  This measures those costs with nothing of
tickgen's around them, on the same files the render benchmark uses:

* ``yaml_load``: ``yaml.load(text, Loader=yaml.CSafeLoader)``, PyYAML's C
  parser with its own constructors (no line tracking, no duplicate-key or
  alias checks); CPU per alert of the file.
* ``json_load``: ``json.loads`` of the same data written as JSON, for scale: the
  same parameters in a format whose parser is C all the way.
* ``parse``: ``tickgen.tick.parse`` of every script of the distinct-shape
  corpus (each alert its own shape, so each script is parsed once): the least
  an alert of a new shape costs beyond loading.

Each figure is the best of ``repeats`` runs (the machine is shared; the best
run is the one least disturbed).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from tickgen import tick

__all__ = ["measure_floors"]


def _best_cpu(call: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.process_time()
        call()
        best = min(best, time.process_time() - began)
    return best


def measure_floors(
    one_file: Path, alerts: int, scripts: Sequence[str], repeats: int = 3
) -> dict[str, Any]:
    """Floors per alert: ``one_file`` holds ``alerts`` alerts; each of ``scripts`` a shape."""
    text = one_file.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    as_json = json.dumps(data)
    yaml_s = _best_cpu(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeats)
    json_s = _best_cpu(lambda: json.loads(as_json), repeats)

    def parse_all() -> None:
        for script in scripts:
            tick.parse(script)

    parse_s = _best_cpu(parse_all, repeats)
    return {
        "alerts": alerts,
        "bytes_per_alert": len(text.encode()) / alerts,
        "yaml_load_us": yaml_s / alerts * 1e6,
        "json_load_us": json_s / alerts * 1e6,
        "scripts": len(scripts),
        "parse_us": parse_s / max(len(scripts), 1) * 1e6,
        "repeats": repeats,
    }
