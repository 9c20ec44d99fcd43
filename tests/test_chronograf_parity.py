"""Scripts that Chronograf's own tests expect from its rule builder, rendered by tickgen."""

from __future__ import annotations

from pathlib import Path

import pytest

import tickgen

GOLDEN = Path(__file__).parent / "golden" / "chronograf"
CASES = sorted(p.stem for p in GOLDEN.glob("*.yaml"))


def test_all_chronograf_cases_present() -> None:
    assert CASES == [
        "deadman",
        "relative_change",
        "relative_percent",
        "threshold",
        "threshold_detail",
        "threshold_inside_range",
        "threshold_no_aggregate",
        "threshold_outside_range",
        "threshold_string_crit",
    ]


@pytest.mark.parametrize("case", CASES)
def test_byte_identical_to_chronograf(case: str) -> None:
    (alert,) = tickgen.load(GOLDEN / f"{case}.yaml")
    assert tickgen.render(alert) == (GOLDEN / f"{case}.tick").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_template_output_is_already_canonical(case: str) -> None:
    # the templates write the canonical layout themselves; formatting changes nothing
    (alert,) = tickgen.load(GOLDEN / f"{case}.yaml")
    raw = tickgen.Renderer().render_text(alert)
    assert tickgen.tick.format(raw) == raw
