"""The shape cache (tickgen/shapes.py) changes nothing but speed.

Every alert is rendered by a renderer with the cache and one without, and the
outcomes must be identical: script, payload, parameter hash, warnings, or the
error with its message and problems.  The cached renderer sees each input list
twice, so the second sighting of a shape builds it and the alerts after that
(the second pass, and every further alert of a shape with other values) take
the cached path.  Each corpus also asserts that the cache was used, so a cache
that silently never hits fails here rather than passing for the wrong reason.

Inputs: every example, the golden parameter files, the differential test's
random parameter sets (hostile text included), a hypothesis corpus of alerts
that differ only in their values, and -- through the cache's own interface --
Kapacitor's scripts and the formatter's golden inputs with their literals
replaced by random ones.

The check of a hit is split (a structure phase per shape, deferred value checks
per alert): the tests at the end show that hits skip the full checker, that the
value phase refuses exactly what the full checker finds anything wrong with
(targeted cases for every deferred check, random invalid values of each slot
kind), and that breaking any deferred check makes that comparison fail.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import alert_params
from tests.differential.generator import USER_TEMPLATES, draw
from tickgen import tick
from tickgen.errors import ParameterError, TickgenError
from tickgen.models import Alert
from tickgen.pipeline import iter_loaded
from tickgen.render import Renderer
from tickgen.shapes import ShapeCache, joined
from tickgen.tick import checker, quote

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _outcome(renderer: Renderer, alert: Alert) -> tuple[Any, ...]:
    try:
        task = renderer.render(alert, source="alerts.yaml (alerts[0])")
    except TickgenError as exc:
        problems = exc.problems if isinstance(exc, ParameterError) else None
        return ("error", type(exc).__name__, str(exc), problems)
    return (
        "task",
        task,
        task.payload(),
        task.params_hash,
        task.warnings,
        task.param_warnings,
    )


def _compare(alerts: Sequence[Alert], template_dirs: Sequence[Path] = ()) -> ShapeCache:
    """Render ``alerts`` both ways (the cached renderer twice over); return its cache."""
    plain = Renderer(template_dirs, shape_cache=False)
    cached = Renderer(template_dirs, shape_cache=True)
    expected = [_outcome(plain, alert) for alert in alerts]
    for _ in range(2):
        for alert, want in zip(alerts, expected, strict=True):
            assert _outcome(cached, alert) == want, alert
    assert cached.shapes is not None
    return cached.shapes


def _loaded(paths: Iterable[Path], template_dirs: Sequence[Path] = ()) -> list[Alert]:
    """Each file's alerts (loaded one file at a time: ids repeat across files)."""
    renderer = Renderer(template_dirs, shape_cache=False)
    alerts: list[Alert] = []
    for path in paths:
        problems: list[Any] = []
        found = iter_loaded([path], renderer.catalog, renderer.kapacitor_version, problems)
        alerts += [loaded.alert for loaded in found]
        assert not problems
    return alerts


def _alert(renderer: Renderer, params: dict[str, Any]) -> Alert:
    """The built-in model of ``params`` (raises ValueError when it does not validate)."""
    model = renderer.catalog.get(params["template"]).model
    assert model is not None
    return cast(Alert, model.model_validate(params))


def _example_files() -> list[Path]:
    return [p for p in sorted(EXAMPLES.glob("*.yaml")) if not p.name.endswith(".test.yaml")]


def test_examples_render_the_same_with_and_without_the_cache() -> None:
    alerts = _loaded(_example_files(), [EXAMPLES / "templates"])
    shapes = _compare(alerts, [EXAMPLES / "templates"])
    assert shapes.hits > 0


def test_golden_parameters_render_the_same_with_and_without_the_cache() -> None:
    files = sorted((ROOT / "tests" / "golden").rglob("*.yaml"))
    alerts = _loaded([f for f in files if "template" in f.read_text(encoding="utf-8")])
    shapes = _compare(alerts)
    assert shapes.hits > 0


def test_the_benchmark_corpus_is_mostly_cached(tmp_path: Path) -> None:
    from benchmarks.corpus import write_corpus

    alerts = _loaded(write_corpus(tmp_path, 300))
    shapes = _compare(alerts)
    # 300 alerts, a few dozen shapes: each built on its second sighting
    assert shapes.hits > 400


def _differential_alerts(count: int) -> tuple[list[Alert], list[dict[str, Any]]]:
    renderer = Renderer([USER_TEMPLATES], shape_cache=False)
    alerts: list[Alert] = []
    rejected: list[dict[str, Any]] = []
    for index in range(count):
        template, params = draw(
            renderer.catalog, 15, index, version=renderer.kapacitor_version, log_dir="/tmp"
        )
        if renderer.catalog.get(template).model is None:
            continue  # a user template: rendered without recording, nothing to compare
        try:
            alerts.append(_alert(renderer, {**params, "template": template}))
        except ValueError:
            rejected.append(params)
    return alerts, rejected


def test_random_parameter_sets_render_the_same_with_and_without_the_cache() -> None:
    alerts, _ = _differential_alerts(400)
    assert len(alerts) > 80
    # each set is its own shape mostly; render each with other values too by
    # pairing it with itself, so that the second sighting builds and the pass
    # after it uses the cache
    shapes = _compare(alerts + alerts)
    assert shapes.hits > 0


# -- alerts that differ only in their values ------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
    min_size=1,
    max_size=12,
)
_NUMBER = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)


@st.composite
def _variants(draw_: st.DrawFn) -> list[dict[str, Any]]:
    """Alerts of a few shapes of the benchmark corpus, with drawn values."""
    sets = []
    for _ in range(draw_(st.integers(3, 8))):
        index = draw_(st.integers(0, 11))
        params = alert_params(index)
        params["id"] = draw_(st.from_regex(r"[A-Za-z0-9_.\-]{1,20}", fullmatch=True))
        params["message"] = draw_(_TEXT)
        params["measurement"] = draw_(_TEXT)
        params["where"] = {"region": [draw_(_TEXT)], "env": ["prod"]}
        if params["template"] == "deadman":
            params["threshold"] = abs(draw_(st.floats(0, 1e6, allow_nan=False)))
            params["period"] = f"{draw_(st.integers(1, 10**6))}{draw_(st.sampled_from('smhd'))}"
        else:
            params["field"] = draw_(_TEXT)
            params["crit"] = {
                "op": draw_(st.sampled_from([">", "<", "=="])),
                "value": draw_(_NUMBER),
            }
            if "warn" in params:
                params["warn"] = {"op": ">", "value": draw_(_NUMBER)}
        params.update(database="telegraf", retention_policy="autogen")
        params.setdefault("handlers", [{"kind": "slack", "channel": draw_(_TEXT)}])
        sets.append(params)
    return sets


_PLAIN = Renderer(shape_cache=False)
_CACHED = Renderer(shape_cache=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_variants())
def test_alerts_differing_in_values_render_the_same(sets: list[dict[str, Any]]) -> None:
    for params in sets:
        try:
            alert = _alert(_PLAIN, params)
        except ValueError:
            continue
        assert _outcome(_CACHED, alert) == _outcome(_PLAIN, alert)


def test_the_hypothesis_corpus_went_through_the_cache() -> None:
    """(Runs after the hypothesis test in file order; also alone, with its own alerts.)"""
    for index in range(30):
        params = {**alert_params(index), "database": "telegraf", "retention_policy": "autogen"}
        params.setdefault("handlers", [{"kind": "slack", "channel": "#x"}])
        alert = _alert(_PLAIN, params)
        assert _outcome(_CACHED, alert) == _outcome(_PLAIN, alert)
    assert _CACHED.shapes is not None and _CACHED.shapes.hits > 0


# -- any script, through the cache's own interface -------------------------------------

_LITERALS = {
    tick.TokenKind.STRING,
    tick.TokenKind.NUMBER,
    tick.TokenKind.DURATION,
    tick.TokenKind.REGEX,
    tick.TokenKind.REFERENCE,
}


def _split(text: str) -> tuple[list[str], list[str]] | None:
    """A script as the recorder would give it if every literal were a ``{{ }}``."""
    tokens = tick.tokenize(text)
    if tokens[-1].kind is tick.TokenKind.ERROR:
        return None
    segments, fragments, at = [], [], 0
    for token in tokens:
        if token.kind in _LITERALS:
            segments.append(text[at : token.start])
            fragments.append(token.text)
            at = token.start + len(token.text)
    segments.append(text[at:])
    return segments, fragments


def _other(fragment: str, rng: random.Random) -> str:
    """Another literal of the same kind and first character class."""
    first = fragment[0]
    if first == "'" and not fragment.startswith("'''"):
        value = rng.choice(["x", "a'b", "\\", "é日本", "{{ .ID }}", "//c", "a\\'b", ""])
        return quote.string(value) if quote.is_literal(value) else fragment
    if first == '"':
        return quote.reference(rng.choice(["host", 'a"b', "é", "x y"]))
    if first.isdigit() and fragment[-1].isalpha():
        return f"{rng.randint(1, 10**6)}{rng.choice(['s', 'm', 'h', 'ms', 'u', 'd', 'w'])}"
    if first.isdigit():
        return str(rng.randint(0, 10**9)) if "." not in fragment else f"{rng.random() * 1e3:.4f}"
    if first == "/":
        return rng.choice(["/a/", "/^x.*$/", "/\\//", "/[a-z]+/"])
    return fragment


def _scripts() -> list[str]:
    data = json.loads((ROOT / "tests/kapacitor_scripts/scripts-1.8.3.json").read_text())
    scripts: list[str] = []
    for value in data.values():
        if isinstance(value, str):
            scripts.append(value)
    golden = sorted((ROOT / "tests/golden/tickfmt").glob("*.in.tick"))
    scripts += [p.read_text(encoding="utf-8") for p in golden]
    return scripts


def _uncached(text: str) -> tuple[str, tick.checker.Analysis] | None:
    try:
        program, script = tick.parse_canonical(text)
    except tick.TickSyntaxError:
        return None
    return script, tick.analyse(program, None, version="1.8")


def test_scripts_with_other_literals_go_through_the_cache_unchanged() -> None:
    rng = random.Random(15)
    cache = ShapeCache()
    compared = 0
    for text in _scripts():
        split = _split(text)
        if split is None:
            continue
        segments, fragments = split
        for round_ in range(4):
            if round_ >= 2:
                fragments = [_other(f, rng) for f in fragments]
            want = _uncached(joined(segments, fragments))
            got = cache.canonical(
                "script",
                segments,
                fragments,
                kind=None,
                version="1.8",
                inspect=lambda p: None,
            )
            if got is None:
                continue
            compared += 1
            assert want is not None, joined(segments, fragments)
            script, analysis = want
            assert got.script == script
            assert analysis.diagnostics == [] and got.analysis.diagnostics == []
            assert got.analysis.kind == analysis.kind
    assert compared > 50


_FROM = "stream\n    |from()\n        .measurement('cpu')\n"


@pytest.mark.parametrize(
    ("text", "good", "bad"),
    [
        (_FROM + "    |window()\n        .period(5m)\n    |httpOut('x')\n", "5m", "0s"),
        (
            _FROM + "    |alert()\n        .message('{{ .ID }}')\n        .log('/tmp/a.log')\n",
            "'{{ .ID }}'",
            "'{{ .ID '",
        ),
        (_FROM + "    |alert()\n        .log('/tmp/a.log')\n", "'/tmp/a.log'", "'a.log'"),
    ],
)
def test_a_value_the_checker_refuses_is_refused_on_the_cached_path(
    text: str, good: str, bad: str
) -> None:
    """The value phase: a value the checker refuses in a cached shape is refused."""
    cache = ShapeCache()
    split = _split(text)
    assert split is not None
    segments, fragments = split
    results = [
        cache.canonical(
            "t", segments, fragments, kind=None, version="1.8", inspect=lambda p: None
        )
        for _ in range(2)
    ]
    assert results[0] is None and results[1] is not None  # built on the second sighting
    swapped = [bad if f == good else f for f in fragments]
    assert swapped != fragments
    want = _uncached(joined(segments, swapped))
    assert want is not None and any(d.severity == "error" for d in want[1].diagnostics)
    # left to the uncached path, which places the diagnostics at the alert's own columns
    assert (
        cache.canonical(
            "t", segments, swapped, kind=None, version="1.8", inspect=lambda p: None
        )
        is None
    )


def test_the_environment_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKGEN_SHAPE_CACHE", "0")
    assert Renderer().shapes is None
    assert Renderer(shape_cache=True).shapes is not None
    monkeypatch.delenv("TICKGEN_SHAPE_CACHE")
    assert Renderer().shapes is not None


# -- the value phase: what the checker finds per value ----------------------------------
#
# A cache hit runs the checker's structure phase once per shape and then only the
# deferred value checks (tickgen/shapes.py, "What is still done per alert").  The
# tests below show that hits skip the full checker, that the value phase refuses
# exactly the values the full checker finds anything wrong with, and that they
# fail when a deferred check is broken.


class _FullRuns:
    """Counts the full checker's runs (the structure phase is not one)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        run = checker._Checker.run

        def counting(self_: checker._Checker, program: tick.ast.Program) -> checker.Analysis:
            if not self_.structural:
                self.count += 1
            return run(self_, program)

        monkeypatch.setattr(checker._Checker, "run", counting)


def test_cache_hits_skip_the_full_checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.corpus import write_corpus

    alerts = _loaded(write_corpus(tmp_path, 300))
    renderer = Renderer(shape_cache=True)
    assert renderer.shapes is not None
    runs = _FullRuns(monkeypatch)
    hits_without_checker = 0
    for _ in range(2):
        for alert in alerts:
            hits, before = renderer.shapes.hits, runs.count
            renderer.render(alert)
            if renderer.shapes.hits > hits:
                assert runs.count == before, alert  # a hit: no full check at all
                hits_without_checker += 1
            else:
                assert runs.count == before + 1  # the uncached path checks in full
    assert hits_without_checker > 400
    assert renderer.shapes.full_checks == 0  # every corpus shape splits


_BASE = "stream\n    |from()\n        .measurement('cpu')\n"
_ALERT = "    |alert()\n        .message('{{ .ID }}')\n        .log('/tmp/a.log')\n"

# (script, a slot's value in it, values of the same kind the checker finds wrong);
# every deferred check of tickgen/tick/checker.py has a case here
_VALUE_CASES: list[tuple[str, str, list[str]]] = [
    # node rules and start errors: a zero period, interval, shift, rate, count
    (_BASE + "    |window()\n        .period(5m)\n        .every(5m)\n    |httpOut('x')\n",
     "5m", ["0s", "0m"]),
    (_BASE + "    |window()\n        .periodCount(10)\n        .everyCount(5)\n    |httpOut('x')\n",
     "5", ["0"]),
    (_BASE + "    |shift(5m)\n    |httpOut('x')\n", "5m", ["0s"]),
    (_BASE + "    |shift(- 5m)\n    |httpOut('x')\n", "5m", ["0s", "0h"]),
    (_BASE + "    |sample(10)\n    |httpOut('x')\n", "10", ["0"]),
    (_BASE + "    |barrier()\n        .idle(5m)\n    |httpOut('x')\n", "5m", ["0s"]),
    (_BASE + "    |deadman(1.0, 5m)\n        .log('/tmp/a.log')\n", "5m", ["0s"]),
    (_BASE + "    |groupBy('host')\n    |httpOut('x')\n", "'host'", ["''"]),
    # integer division by zero, a negated value, string concatenation into a template
    ("var x = 10 / 2\n" + _BASE + "    |httpOut('x')\n", "2", ["0"]),
    ("var x = 10 % 3\n" + _BASE + "    |httpOut('x')\n", "3", ["0"]),
    ("var m = 'host ' + '{{ .ID }}'\n" + _BASE + "    |alert()\n        .message(m)\n"
     "        .log('/tmp/a.log')\n", "'{{ .ID }}'", ["'{{ .ID '", "'{{ .Nope }}'"]),
    # Go templates, and the tags they read against the group-by (several slots)
    (_BASE + _ALERT, "'{{ .ID }}'", ["'{{ .ID '", "'{{ .Nope }}'", "'{{ template \"x\" }}'"]),
    (_BASE + "    |groupBy('host')\n" + _ALERT.replace("{{ .ID }}", '{{ index .Tags "host" }}'),
     "'host'", ["'dc'", "'hos'"]),
    (_BASE + "    |groupBy('host')\n    |alert()\n        .id('{{ .Tags.host }}')\n"
     "        .log('/tmp/a.log')\n", "'{{ .Tags.host }}'", ["'{{ .Tags.dc }}'", "'{{ .Tags.host'"]),
    # handler checks
    (_BASE + _ALERT, "'/tmp/a.log'", ["'a.log'", "'tmp/a'"]),
    (_BASE + "    |alert()\n        .post('http://x')\n        .header('X-A', 'v')\n",
     "'X-A'", ["'Authenticate'", "'authenticate'"]),
    (_BASE + "    |alert()\n        .snmpTrap('1.1')\n        .data('1.1.1', 'i', '{{ .ID }}')\n",
     "'i'", ["'x'", "'int'"]),
    (_BASE + "    |alert()\n        .snmpTrap('1.1')\n        .data('1.1.1', 'i', 'v')\n",
     "'1.1'", ["''"]),
    (_BASE + "    |alert()\n        .flapping(0.25, 0.5)\n        .log('/tmp/a.log')\n",
     "0.5", ["1.5", "2.0"]),
    (_BASE + "    |alert()\n        .log('/tmp/a.log')\n            .mode(0644)\n",
     "0644", ["0444", "0400"]),
    # join prefixes (several slots), a batch query against the dbrp statement
    ("var a = stream\n    |from()\n        .measurement('a')\nvar b = stream\n    |from()\n"
     "        .measurement('b')\na\n    |join(b)\n        .as('a', 'b')\n    |httpOut('x')\n",
     "'b'", ["'a'", "''", "'a.b'"]),
    ('dbrp "db"."rp"\n\nbatch\n    |query(\'SELECT mean(v) FROM "db"."rp"."cpu"\')\n'
     "        .period(5m)\n        .every(1m)\n    |httpOut('x')\n",
     "'SELECT mean(v) FROM \"db\".\"rp\".\"cpu\"'",
     ["'SELECT'", "'DELETE FROM x'", "'SELECT mean(v) FROM \"other\".\"rp\".\"cpu\"'"]),
]  # fmt: skip


def _bad(fragment: str, rng: random.Random) -> str:
    """A literal of the same slot kind, often one the checker finds wrong."""
    first = fragment[0]
    if first == "'" and not fragment.startswith("'''"):
        value = rng.choice(
            ["", "{{ .ID ", '{{ index .Tags "nothere" }}', "{{ .Nope }}", "a.log", "Authenticate",
             "bogus", "SELECT", "x", "{{ .Tags.dc }}", "0 0", "@every 1m", "a.b"]
        )  # fmt: skip
        return quote.string(value)
    if first == '"':
        return quote.reference(rng.choice(["nothere", "", "host", "db"]))
    if first.isdigit() and fragment[-1].isalpha():
        return rng.choice(["0s", "0m", "1ns", "1u", f"{rng.randint(1, 10**6)}s"])
    if first.isdigit():
        if "." in fragment:
            return rng.choice(["0.0", "1.5", "2.0", "0.5", "1e300"])
        return rng.choice(["0", "1", "9223372036854775807", "9223372036854775808", "0444"])
    if first == "/":
        return rng.choice(["/(a/", "/a{2,1}/", "/[z-a]/", "/ok/"])
    return fragment


def _value_phase_agrees(
    cache: ShapeCache, segments: list[str], fragments: list[str]
) -> tuple[bool, bool]:
    """Assert the cached result of ``fragments`` is the full check's; return
    (taken from the cache, the full check found something)."""
    text = joined(segments, fragments)
    want = _uncached(text)
    got = cache.canonical(
        "script", segments, fragments, kind=None, version="1.8", inspect=lambda p: None
    )
    dirty = want is None or bool(want[1].diagnostics)
    if got is not None:
        assert want is not None and not dirty, text  # the value phase let a finding through
        assert got.script == want[0]
        assert got.analysis.kind == want[1].kind
    elif not dirty:
        key, _ = cache.key("script", segments, fragments)
        assert cache._shapes.get(key) is None, text  # a clean value refused by a built shape
    return got is not None, dirty


def _check_value_cases() -> tuple[int, int]:
    """Every case's values, through a fresh cache; (values refused, values accepted)."""
    refused = accepted = 0
    for text, good, bads in _VALUE_CASES:
        split = _split(text)
        assert split is not None, text
        segments, fragments = split
        assert good in fragments, (text, good)
        cache = ShapeCache()
        for _ in range(2):  # the second sighting builds the shape
            _value_phase_agrees(cache, segments, fragments)
        cached, dirty = _value_phase_agrees(cache, segments, fragments)
        assert cached and not dirty, text  # the good script is clean and cached
        for bad in bads:
            swapped = [bad if f == good else f for f in fragments]
            # the same shape: decided by the value phase, not by another key
            assert cache.key("script", segments, swapped)[0] == cache.key(
                "script", segments, fragments
            )[0], (text, bad)
            cached, dirty = _value_phase_agrees(cache, segments, swapped)
            assert dirty, (text, bad)  # each bad value is one the checker refuses
            refused += 1
        cached, _ = _value_phase_agrees(cache, segments, fragments)
        assert cached  # and the good one is still taken after them
        accepted += 1
        assert cache.full_checks == 0, text  # all of it decided by the value phase
    return refused, accepted


def test_the_value_phase_refuses_what_the_full_checker_refuses() -> None:
    refused, accepted = _check_value_cases()
    assert refused == sum(len(bads) for _, _, bads in _VALUE_CASES)
    assert accepted == len(_VALUE_CASES)


def test_random_invalid_values_are_refused_exactly_as_by_the_full_checker() -> None:
    """Kapacitor's scripts and the formatter's inputs, each shape built, then its
    slots filled with random values of their kinds, many of them wrong."""
    rng = random.Random(1515)
    cache = ShapeCache()
    taken = refused = 0
    for text in _scripts() + [case[0] for case in _VALUE_CASES]:
        split = _split(text)
        if split is None:
            continue
        segments, fragments = split
        for _ in range(2):
            _value_phase_agrees(cache, segments, fragments)
        for _ in range(6):
            swapped = [_bad(f, rng) if rng.random() < 0.5 else f for f in fragments]
            cached, dirty = _value_phase_agrees(cache, segments, swapped)
            taken += cached
            refused += dirty
    assert taken > 100 and refused > 300
    # the value phase decided; the full checker ran only for shapes it cannot split
    assert cache.full_checks < taken // 10


@pytest.mark.parametrize(
    "name",
    [
        "_is_zero",
        "_negated",
        "_concatenated",
        "_dimension_names",
        "_authenticate",
        "_bad_snmp_type",
        "_is_empty",
        "_relative_path",
        "_tags_not_grouped",
        "_node_findings",
        "tick_call_problems",
    ],
)
def test_a_broken_deferred_check_fails_the_comparison(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each deferred check matters: made to find nothing (or, for a derived value,
    to give a wrong one), the cases above no longer agree with the full checker."""
    original = getattr(checker, name)
    broken_checker = checker._Checker.flag
    broken_derive = checker._Checker.derive

    def flag(self: checker._Checker, func: Any, *args: object) -> Any:
        if self.structural and func is original:
            # deferred as a check that never finds anything
            return broken_checker(self, lambda *_: None, *args)
        return broken_checker(self, func, *args)

    def derive(self: checker._Checker, func: Any, *args: object) -> Any:
        if self.structural and func is original:
            return broken_derive(self, lambda *_: None, *args)
        return broken_derive(self, func, *args)

    monkeypatch.setattr(checker._Checker, "flag", flag)
    monkeypatch.setattr(checker._Checker, "derive", derive)
    if name == "_node_findings":
        monkeypatch.setattr(checker, name, lambda *_: [])
    with pytest.raises(AssertionError):
        _check_value_cases()


def test_a_value_read_outside_a_deferred_check_falls_back_to_the_full_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With derive and flag reading placeholders directly (a rule that forgot to
    defer), the structure phase cannot finish: the shape is checked in full per
    alert, and the results are still exactly the full checker's."""
    monkeypatch.setattr(checker._Checker, "derive", lambda self, func, *args: func(*args))
    monkeypatch.setattr(checker._Checker, "flag", lambda self, func, *args: func(*args))
    cache = ShapeCache()
    for text, good, bads in _VALUE_CASES:
        split = _split(text)
        assert split is not None
        segments, fragments = split
        for values in [fragments, fragments, fragments] + [
            [bad if f == good else f for f in fragments] for bad in bads
        ]:
            _value_phase_agrees(cache, segments, values)
    assert cache.full_checks >= len(_VALUE_CASES)


@pytest.mark.parametrize(
    "use",
    [
        lambda p: isinstance(p, str),
        lambda p: isinstance(p, (int, float)),
        lambda p: p == 0,
        lambda p: 0 == p,  # noqa: SIM300
        lambda p: p != "",
        lambda p: p < 1,
        lambda p: 1 <= p,  # noqa: SIM300
        lambda p: hash(p),
        lambda p: {p: 1},
        lambda p: p in {"a"},
        lambda p: "" in (p,),
        lambda p: bool(p),
        lambda p: not p,
        lambda p: str(p),
        lambda p: f"{p}",
        lambda p: f"{p!r}",
        lambda p: len(p),
        lambda p: list(p),
        lambda p: "x" in p,
        lambda p: p[0],
        lambda p: p + "a",
        lambda p: "a" + p,
        lambda p: -p,
        lambda p: p * 2,
        lambda p: 10 / p,
        lambda p: 10 % p,
        lambda p: p | frozenset(),
        lambda p: frozenset() | p,
        lambda p: p.lower(),
        lambda p: getattr(p, "startswith", None),
        lambda p: hasattr(p, "x"),
        lambda p: int(p),
        lambda p: float(p),
        lambda p: sorted([p, p]),
    ],
)
def test_every_use_of_a_placeholder_raises(use: Any) -> None:
    from tickgen.tick.deferred import Slot, ValueRead

    with pytest.raises(ValueRead):
        use(Slot(0, 0))


def test_the_structure_is_per_kapacitor_version() -> None:
    """Kapacitor 1.5 does not parse .mqtt()'s topic as a Go template, 1.8 does:
    one shape, one structure per version, each agreeing with the full check."""
    text = _BASE + "    |alert()\n        .mqtt('{{ .ID }}')\n"
    split = _split(text)
    assert split is not None
    segments, fragments = split
    bad = ["'{{ .ID '" if f == "'{{ .ID }}'" else f for f in fragments]
    cache = ShapeCache()

    def cached(values: list[str], version: str) -> bool:
        got = cache.canonical(
            "t", segments, values, kind=None, version=version, inspect=lambda p: None
        )
        return got is not None

    cached(fragments, "1.8")  # the first sighting; the second builds
    for version in ("1.8", "1.5"):
        assert cached(fragments, version)
    assert tick.check(joined(segments, bad), version="1.5") == []
    assert tick.check(joined(segments, bad), version="1.8") != []
    assert cached(bad, "1.5") and not cached(bad, "1.8")
    assert cache.full_checks == 0
