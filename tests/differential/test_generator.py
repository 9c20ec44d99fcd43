"""The differential generator: valid, reproducible, and covering every option (offline)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
import pytest

from tests.conftest import DIFFERENTIAL_COUNT
from tests.differential.generator import (
    CONFIG_NAMED,
    TEMPLATES,
    USER_TEMPLATES,
    ParamGenerator,
    draw,
)
from tickgen.catalog import Catalog

CATALOG = Catalog([USER_TEMPLATES])
SETS = DIFFERENTIAL_COUNT  # as many as the live test draws in CI


def _sets(version: str, seed: int = 11) -> Iterator[tuple[str, dict[str, Any]]]:
    for index in range(SETS):
        yield draw(CATALOG, seed, index, version=version, log_dir="/logs")


def test_same_seed_and_index_give_the_same_set() -> None:
    assert draw(CATALOG, 5, 17, version="1.5.9", log_dir="/l") == draw(
        CATALOG, 5, 17, version="1.5.9", log_dir="/l"
    )
    assert draw(CATALOG, 5, 17, version="1.5.9", log_dir="/l") != draw(
        CATALOG, 6, 17, version="1.5.9", log_dir="/l"
    )


def _drawn(params: Mapping[str, Any]) -> set[str]:
    """The top-level properties of a set, and ``handlers.<kind>.<property>`` of its handlers."""
    names = set(params)
    for handler in params.get("handlers", ()):
        names |= {f"handlers.{handler['kind']}.{key}" for key in handler if key != "kind"}
    return names


def _offered(template: str, version: str) -> set[str]:
    """The same names for everything the schema offers to ``version``."""
    schema = CATALOG.get(template).schema
    generator = ParamGenerator(schema, random.Random(0), kapacitor_version=version, log_dir="/")
    names = set(schema["properties"])
    if "handlers" not in schema["properties"]:
        return names
    branches = schema["properties"]["handlers"]["items"]["allOf"]
    for kind in generator.handler_kinds():
        spec, definition = generator._resolve(generator._branch(branches, {"kind": kind}))
        for name, sub in spec["properties"].items():
            left_out = not CONFIG_NAMED.get((str(definition), name), True)
            if name != "kind" and not generator._too_new(sub) and not left_out:
                names.add(f"handlers.{kind}.{name}")
    return names


@pytest.mark.parametrize("version", ["1.5.9", "1.8.3"])
def test_sets_are_valid_and_draw_every_handler_kind_and_option(version: str) -> None:
    # draw() validates too; this checks it independently of the generator's own code
    validators = {t: jsonschema.Draft202012Validator(CATALOG.get(t).schema) for t in TEMPLATES}
    drawn: dict[str, set[str]] = {name: set() for name in TEMPLATES}
    for template, params in _sets(version):
        validators[template].validate(params)
        drawn[template] |= _drawn(params)
    handlers_drawn = {
        name for names in drawn.values() for name in names if name.startswith("handlers.")
    }
    for template in TEMPLATES:
        offered = _offered(template, version)
        missing = {n for n in offered if not n.startswith("handlers.")} - drawn[template]
        missing |= {n for n in offered if n.startswith("handlers.")} - handlers_drawn
        assert not missing, (
            f"{template} on {version}: never drawn in {SETS} sets: {sorted(missing)}"
        )
