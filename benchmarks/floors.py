"""What the libraries tickgen calls cost on their own: the floor under the render targets.

The render targets (5,000 alerts per CPU second through ``tickgen render`` of
one file; 2,000 when every alert has a shape of its own) leave 200 and 500 µs
per alert for everything.  Some of that time is not tickgen's to save: the
parameter file must be read by a YAML library, and a script seen for the first
time must be lexed and parsed.  This measures those costs with nothing of
tickgen's around them, on the same files the render benchmark uses:

* ``yaml_load``: ``yaml.load(text, Loader=yaml.CSafeLoader)``, PyYAML's C
  parser with its own constructors (no line tracking, no duplicate-key or
  alias checks); CPU per alert of the file, with the cyclic collector off
  during the call (with Python's default threshold, collections over the
  growing document add more than the load itself on a 10,000-alert file; the
  command raises the threshold, tickgen.cli.tune_collector).
* ``schema``: jsonschema-rs's ``is_valid`` of each alert (its file's defaults
  merged) against its template's schema: the least a valid alert's schema
  check costs.
* ``json_load``: ``json.loads`` of the same data written as JSON, for scale: the
  same parameters in a format whose parser is C all the way.
* ``parse``: ``tickgen.tick.parse`` of every script of the distinct-shape
  corpus (each alert its own shape, so each script is parsed once): the least
  an alert of a new shape costs beyond loading.

Each figure is the best of ``repeats`` runs (the machine is shared; the best
run is the one least disturbed).
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from tickgen import tick
from tickgen.render import shared_renderer

__all__ = ["measure_floors"]


def _best_cpu(call: Callable[[], object], repeats: int) -> float:
    """The least CPU time of ``repeats`` calls, each with the cyclic collector off."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            began = time.process_time()
            call()
            best = min(best, time.process_time() - began)
        finally:
            gc.enable()
    return best


def _schema_predicates(alerts: list[dict[str, Any]]) -> list[tuple[Callable[[Any], bool], Any]]:
    """(jsonschema-rs is_valid of the alert's template schema, the alert) for each alert."""
    import jsonschema_rs

    catalog = shared_renderer().catalog
    validators: dict[str, Callable[[Any], bool]] = {}
    pairs = []
    for alert in alerts:
        name = str(alert["template"])
        if name not in validators:
            validators[name] = jsonschema_rs.validator_for(dict(catalog.get(name).schema)).is_valid
        pairs.append((validators[name], alert))
    return pairs


def measure_floors(
    one_file: Path, alerts: int, scripts: Sequence[str], repeats: int = 3
) -> dict[str, Any]:
    """Floors per alert: ``one_file`` holds ``alerts`` alerts; each of ``scripts`` a shape."""
    text = one_file.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    as_json = json.dumps(data)
    yaml_s = _best_cpu(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeats)
    json_s = _best_cpu(lambda: json.loads(as_json), repeats)
    defaults = data.get("defaults", {})
    merged = [{**defaults, **alert} for alert in data["alerts"]]
    checks = _schema_predicates(merged)
    schema_s = _best_cpu(lambda: [valid(alert) for valid, alert in checks], repeats)

    def parse_all() -> None:
        for script in scripts:
            tick.parse(script)

    parse_s = _best_cpu(parse_all, repeats)
    return {
        "alerts": alerts,
        "bytes_per_alert": len(text.encode()) / alerts,
        "yaml_load_us": yaml_s / alerts * 1e6,
        "json_load_us": json_s / alerts * 1e6,
        "schema_us": schema_s / alerts * 1e6,
        "scripts": len(scripts),
        "parse_us": parse_s / max(len(scripts), 1) * 1e6,
        "repeats": repeats,
    }
