"""The fast path of template_problem (every action a field chain that resolves)
agrees exactly with the full lex, parse and check, on many generated templates."""

from __future__ import annotations

import random

from tickgen.gotemplate.checker import _full_problem, _plain_fields_resolve, template_problem
from tickgen.gotemplate.contexts import context
from tickgen.gotemplate.kapacitor import TEMPLATE_ARGS

VERSIONS = [(1, 5, 9), (1, 8, 3)]
CONTEXTS = sorted({(spec.data, spec.name) for spec in TEMPLATE_ARGS.values()})

# Pieces near the fast path's edges: field chains that resolve or not, methods,
# map keys, spacing, trim markers, comments, newlines, stray and tripled braces,
# unclosed actions, pipelines and functions.
ACTIONS = [
    "{{ .ID }}",
    "{{.ID}}",
    "{{  .Level  }}",
    "{{ .Level.String }}",
    "{{ .Name }}",
    "{{ .TaskName }}",
    "{{ .Group }}",
    "{{ .Tags.host }}",
    "{{ .Fields.value }}",
    "{{ .Time.Unix }}",
    "{{ .Time.Month.String }}",
    "{{ .Duration.Seconds }}",
    "{{ .ServerInfo.Hostname }}",
    "{{ .Message }}",
    "{{ .Details }}",
    "{{ .Nope }}",
    "{{ .ID.Foo }}",
    "{{ ._x }}",
    "{{ .ID1 }}",
    "{{ .1 }}",
    "{{ . }}",
    "{{ .ID -}}",
    "{{- .ID }}",
    "{{-.ID}}",
    "{{ .ID}}",
    "{{.ID }}",
    "{{ .ID\n}}",
    "{{\t.ID\t}}",
    "{{ .ID",
    "{{ .ID }",
    "{{ .ID }}}",
    "{{{ .ID }}",
    "{{{{.ID}}}}",
    "{{/* c */}}",
    "{{- /* c */ -}}",
    "{{ .Tags.host | len }}",
    '{{ index .Tags "host" }}',
    "{{ len .ID }}",
    "{{ if .ID }}x{{ end }}",
    "{{ range .Tags }}{{ . }}{{ end }}",
    "{{ end }}",
    "{{ $x := .ID }}{{ $x }}",
    "{{ .Level.String.Foo }}",
    "{{ .Time.Nope }}",
    "{{ .Tags.host.x }}",
    "{{ .Data }}",
    "{{ .Data.Series }}",
    "{{ .Event }}",
    "{{ .Tags.é }}",
    "{{ .Té }}",
]
TEXTS = ["", " ", "x", "alert ", "\n", "}}", "{", "}", "-", "is ", "<b>", "'", '"', "é"]


def _template(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 5)):
        parts.append(rng.choice(TEXTS))
        # half from the chains that resolve in most contexts, so that the fast path
        # is taken often
        parts.append(rng.choice(ACTIONS[:13] if rng.random() < 0.5 else ACTIONS))
    parts.append(rng.choice(TEXTS))
    return "".join(parts)


def test_fast_path_agrees_with_the_full_path() -> None:
    rng = random.Random(15)
    fast = slow = 0
    for _ in range(4000):
        text = _template(rng)
        data, name = rng.choice(CONTEXTS)
        ctx = context(data, name, rng.choice(VERSIONS))
        assert template_problem(text, ctx) == _full_problem(text, ctx), (text, data, name)
        if ctx.name != "details" and _plain_fields_resolve(text, ctx):
            fast += 1
        else:
            slow += 1
    # both paths are exercised, neither by a handful of cases
    assert fast > 400 and slow > 400, (fast, slow)


def test_every_single_action_agrees_in_every_context() -> None:
    for data, name in CONTEXTS:
        for version in VERSIONS:
            ctx = context(data, name, version)
            for action in ACTIONS:
                for text in (action, f"a {action} b", f"x\n{action}\n{action}"):
                    assert template_problem(text, ctx) == _full_problem(text, ctx), (text, name)
