"""The checked-in schemas are generated from the models; they must not drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tickgen._build.schemagen import schema_text
from tickgen.models import BUILTIN_MODELS

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_checked_in_schema_matches_the_model(name: str) -> None:
    checked_in = (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert checked_in == schema_text(BUILTIN_MODELS[name]), (
        f"run scripts/gen-schemas: {name} drifted"
    )


@pytest.mark.parametrize("name", sorted(BUILTIN_MODELS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert "oneOf" not in json.dumps(schema), "tagged unions must be if/then for clear errors"


def test_schemas_and_templates_come_in_pairs() -> None:
    templates = {
        p.name.removesuffix(".tick.j2") for p in (SCHEMAS.parent / "templates").glob("*.tick.j2")
    }
    schemas = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    assert templates == schemas == set(BUILTIN_MODELS)
