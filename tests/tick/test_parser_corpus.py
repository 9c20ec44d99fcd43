"""The lexer and parser behave exactly as they did before their rewrite for readability.

``parser_expected.json.xz`` was written by the old lexer and parser (see
``parser_corpus.py``): tokens, syntax trees with every position and comment,
canonical text, and error messages with their positions, for the Kapacitor
test scripts, every ``.tick`` file of the tests, the hostile corpus and
thousands of seeded mutations of them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.tick.parser_corpus import MUTATIONS, load, outcome

Cases = list[tuple[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def cases() -> Cases:
    """The 12 MB record, read once for both tests (--dist loadfile keeps a file on one worker)."""
    return load()


def test_the_corpus_is_large(cases: Cases) -> None:
    assert len(cases) > MUTATIONS
    assert sum("error" in expected for _, expected in cases) > 1_000
    assert sum("ast" in expected for _, expected in cases) > 1_000


def test_tokens_trees_and_errors_are_unchanged(cases: Cases) -> None:
    differences = []
    for text, expected in cases:
        got = json.loads(json.dumps(outcome(text)))  # as stored: tuples become lists
        if got != expected:
            differences.append((text, expected, got))
    for text, expected, got in differences[:3]:
        print(f"input: {text!r}")
        for key in sorted(expected.keys() | got.keys()):
            if expected.get(key) != got.get(key):
                print(
                    f"  {key}: expected {expected.get(key)!r}\n  {key}:      got {got.get(key)!r}"
                )
    assert not differences, f"{len(differences)} of the inputs changed (the first 3 printed)"
