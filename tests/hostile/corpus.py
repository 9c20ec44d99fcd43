"""The hostile-input corpus: inputs built to crash, hang or exhaust tickgen.

Each case sets up files in an empty directory and returns the command line
(after ``tickgen``) and a piece of the message the user must see.  The test in
test_hostile.py runs every case in a subprocess with a memory limit and a
timeout and requires exit 1, that message, no traceback, and no file written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD_ALERT = """\
template: threshold
id: cpu-high
database: telegraf
measurement: cpu
field: usage_user
crit:
  op: ">"
  value: 90
handlers:
  - kind: log
    path: /tmp/alerts.log
"""

GOOD_TICK = "stream\n    |from()\n        .measurement('cpu')\n"

USER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["template", "id", "database"],
    "properties": {
        "template": {"type": "string"},
        "id": {"type": "string"},
        "database": {"type": "string"},
    },
}

Setup = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    expect: str  # a piece of the message on stderr (case-insensitive)
    forbid: str = ""  # must not be printed (a secret)


CASES: list[Case] = []


def case(name: str, expect: str, forbid: str = "") -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        CASES.append(Case(name, setup, expect, forbid))
        return setup

    return register


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def render(path: Path, *extra: str) -> list[str]:
    return ["render", "--color", "never", *extra, str(path)]


# -- files that never end or are too big ---------------------------------------------------


@case("yaml-dev-zero", "not a regular file")
def _(tmp: Path) -> list[str]:
    (tmp / "zero.yaml").symlink_to("/dev/zero")
    return render(tmp / "zero.yaml")


@case("fifo-yaml", "not a regular file")
def _(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "pipe.yaml")
    return render(tmp / "pipe.yaml")


@case("huge-yaml", "larger than")
def _(tmp: Path) -> list[str]:
    with (tmp / "huge.yaml").open("wb") as f:
        f.truncate(4 << 30)  # sparse: 4 GiB that take no disk
    return render(tmp / "huge.yaml")


@case("tick-dev-zero-fmt", "not a regular file")
def _(tmp: Path) -> list[str]:
    (tmp / "zero.tick").symlink_to("/dev/zero")
    return ["fmt", str(tmp / "zero.tick")]


@case("tick-fifo-lint", "not a regular file")
def _(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "pipe.tick")
    return ["lint", str(tmp / "pipe.tick")]


@case("tick-huge-lint", "larger than")
def _(tmp: Path) -> list[str]:
    with (tmp / "huge.tick").open("wb") as f:
        f.truncate(4 << 30)
    return ["lint", str(tmp / "huge.tick")]


# -- YAML aliases, nesting and syntax ---------------------------------------------------------


@case("yaml-alias-bomb", "alias")
def _(tmp: Path) -> list[str]:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("template: threshold\nid: x\nbomb: *a11")
    return render(write(tmp / "bomb.yaml", "\n".join(lines) + "\n"))


@case("yaml-recursive-alias", "recursive")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "loop.yaml", "template: threshold\nid: &a [x, *a]\n"))


@case("yaml-deep-nesting", "nesting")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "deep.yaml", "a: " + "[" * 200_000 + "]" * 200_000 + "\n"))


@case("yaml-deep-block-nesting", "nesting")
def _(tmp: Path) -> list[str]:
    text = "".join(" " * i + "- \n" for i in range(3000)) + " " * 3000 + "- x\n"
    return render(write(tmp / "deep.yaml", text))


@case("yaml-nesting-past-limit", "deep.yaml:1: alerts")
def _(tmp: Path) -> list[str]:
    # deep enough for Python's recursion, shallow enough for libyaml's own limit
    return render(write(tmp / "deep.yaml", "alerts: " + "[" * 500 + "]" * 500 + "\n"))


@case("yaml-nesting-through-aliases", "levels deep")
def _(tmp: Path) -> list[str]:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 100)]
    return render(write(tmp / "deep.yaml", "\n".join(lines) + "\n"))


@case("yaml-syntax-label", "invalid yaml")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "bad.yaml", "template: threshold\nid: [unclosed\n"))


@case("yaml-bad-timestamp-label", "bad.yaml:2")
def _(tmp: Path) -> list[str]:
    # a plain scalar that looks like a date but is not one: PyYAML raises ValueError
    return render(write(tmp / "bad.yaml", "template: threshold\nid: 2001-13-45\n"))


@case("yaml-duplicate-key", "dup.yaml:3")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "dup.yaml", "template: threshold\nid: a\nid: b\n"))


@case("yaml-non-utf8", "utf-8")
def _(tmp: Path) -> list[str]:
    return render(
        write(tmp / "latin.yaml", GOOD_ALERT.replace("cpu-high", "cpu\xe9").encode("latin-1"))
    )


@case("yaml-nul-byte", "nul")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "nul.yaml", GOOD_ALERT.encode().replace(b"cpu\n", b"c\x00pu\n")))


@case("yaml-python-tag", "bad.yaml:1")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "bad.yaml", "!!python/object/apply:os.system [echo hi]\n"))


@case("yaml-non-string-key", "key")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "key.yaml", GOOD_ALERT + "? [a, b]\n: 1\n"))


@case("yaml-merge-key-invalid", "merge")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "merge.yaml", "base: 3\nalert:\n  <<: 3\n  id: x\n"))


# -- JSON and TOML -------------------------------------------------------------------------------


@case("json-deep-nesting", "nested")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "deep.json", "[" * 200_000 + "]" * 200_000))


@case("json-duplicate-key-line", "dup.json:4")
def _(tmp: Path) -> list[str]:
    text = '{\n  "template": "threshold",\n  "id": "a",\n  "id": "b"\n}\n'
    return render(write(tmp / "dup.json", text))


@case("json-syntax-line", "bad.json:4")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "bad.json", '{\n  "template": "threshold",\n  "id": \n}\n'))


@case("json-non-utf8", "utf-8")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "latin.json", b'{"template": "threshold", "id": "caf\xe9"}'))


@case("json-nul-byte", "nul")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "nul.json", b'{"template": "threshold", "id": "a\x00b"}'))


@case("toml-deep-nesting", "nested")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "deep.toml", "a = " + "[" * 200_000 + "]" * 200_000 + "\n"))


@case("toml-deep-inline-tables", "nested")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "deep.toml", "a = " + "{b = " * 100_000 + "1" + "}" * 100_000 + "\n"))


@case("toml-syntax-line", "bad.toml:3")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "bad.toml", 'template = "threshold"\nid = "a"\nid = "b"\n'))


@case("toml-non-utf8", "utf-8")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "latin.toml", b'template = "threshold"\nid = "caf\xe9"\n'))


# -- numbers --------------------------------------------------------------------------------------


def _threshold(value: str) -> str:
    return GOOD_ALERT.replace("value: 90", f"value: {value}")


@case("yaml-nan", "crit.value")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "nan.yaml", _threshold(".nan")))


@case("yaml-infinity", "crit.value")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "inf.yaml", _threshold("-.inf")))


@case("yaml-overflowing-float", "crit.value")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "big.yaml", _threshold("1.0e+999")))


@case("yaml-huge-integer", "crit.value")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "big.yaml", _threshold("9" * 5000)))


@case("json-nan", "crit.value")
def _(tmp: Path) -> list[str]:
    alert = {
        "template": "threshold",
        "id": "a",
        "database": "d",
        "measurement": "m",
        "field": "f",
        "crit": {"op": ">", "value": "__NAN__"},
        "handlers": [{"kind": "log", "path": "/tmp/x"}],
    }
    text = json.dumps(alert).replace('"__NAN__"', "NaN")
    return render(write(tmp / "nan.json", text))


@case("json-infinity", "crit.value")
def _(tmp: Path) -> list[str]:
    alert = {
        "template": "threshold",
        "id": "a",
        "database": "d",
        "measurement": "m",
        "field": "f",
        "crit": {"op": ">", "value": "__INF__"},
        "handlers": [{"kind": "log", "path": "/tmp/x"}],
    }
    text = json.dumps(alert).replace('"__INF__"', "1e400")
    return render(write(tmp / "inf.json", text))


@case("json-huge-integer", "crit.value")
def _(tmp: Path) -> list[str]:
    alert = {
        "template": "threshold",
        "id": "a",
        "database": "d",
        "measurement": "m",
        "field": "f",
        "crit": {"op": ">", "value": "__BIG__"},
        "handlers": [{"kind": "log", "path": "/tmp/x"}],
    }
    text = json.dumps(alert).replace('"__BIG__"', "9" * 5000)
    return render(write(tmp / "big.json", text))


@case("toml-nan", "crit.value")
def _(tmp: Path) -> list[str]:
    text = (
        'template = "threshold"\nid = "a"\ndatabase = "d"\nmeasurement = "m"\nfield = "f"\n'
        'handlers = [{kind = "log", path = "/tmp/x"}]\n[crit]\nop = ">"\nvalue = nan\n'
    )
    return render(write(tmp / "nan.toml", text))


@case("number-given-a-list", "is a list; write a number")
def _(tmp: Path) -> list[str]:
    return render(write(tmp / "list.yaml", _threshold("[1]")))


# -- --out --------------------------------------------------------------------------------------


@case("out-is-a-file", "not a directory")
def _(tmp: Path) -> list[str]:
    write(tmp / "taken", "a file\n")
    return render(write(tmp / "a.yaml", GOOD_ALERT), "--out", str(tmp / "taken"))


@case("out-under-a-file", "not a directory")
def _(tmp: Path) -> list[str]:
    write(tmp / "taken", "a file\n")
    return render(write(tmp / "a.yaml", GOOD_ALERT), "--out", str(tmp / "taken" / "build"))


@case("out-tick-is-a-directory", "cpu-high.tick")
def _(tmp: Path) -> list[str]:
    (tmp / "build" / "cpu-high.tick").mkdir(parents=True)
    return render(write(tmp / "a.yaml", GOOD_ALERT), "--out", str(tmp / "build"))


@case("out-id-too-long", "too long")
def _(tmp: Path) -> list[str]:
    write(tmp / "a.yaml", GOOD_ALERT.replace("cpu-high", "short"))
    write(tmp / "b.yaml", GOOD_ALERT.replace("cpu-high", "x" * 300))
    return ["render", "--out", str(tmp / "build"), str(tmp / "a.yaml"), str(tmp / "b.yaml")]


# -- --url ----------------------------------------------------------------------------------------


def _plan(tmp: Path, url: str) -> list[str]:
    return ["plan", "--url", url, str(write(tmp / "a.yaml", GOOD_ALERT))]


@case("url-unclosed-bracket", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://[::1")


@case("url-bad-scheme", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "ftp://localhost:9092")


@case("url-no-host", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://:9092")


@case("url-query", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://localhost:9092/?x=1")


@case("url-password-not-echoed", "names no host", forbid="s3cret")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://user:s3cret@:9092")


@case("url-bad-port", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://localhost:notaport")


@case("url-port-out-of-range", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://localhost:99999")


@case("url-control-character", "--url")
def _(tmp: Path) -> list[str]:
    return _plan(tmp, "http://local\nhost:9092")


@case("config-bad-toml", "tickgen.toml:2")
def _(tmp: Path) -> list[str]:
    write(tmp / "tickgen.toml", "[targets.prod]\nurl = \n")
    return [
        "plan",
        "--config",
        str(tmp / "tickgen.toml"),
        "--target",
        "prod",
        str(write(tmp / "a.yaml", GOOD_ALERT)),
    ]


@case("config-bad-url", "url")
def _(tmp: Path) -> list[str]:
    write(tmp / "tickgen.toml", '[targets.prod]\nurl = "http://[::1"\n')
    return [
        "plan",
        "--config",
        str(tmp / "tickgen.toml"),
        "--target",
        "prod",
        str(write(tmp / "a.yaml", GOOD_ALERT)),
    ]


# -- TICKscripts given to fmt and lint -------------------------------------------------------


@case("tick-non-utf8-fmt", "utf-8")
def _(tmp: Path) -> list[str]:
    return [
        "fmt",
        str(write(tmp / "a.tick", GOOD_TICK.replace("cpu", "caf\xe9").encode("latin-1"))),
    ]


@case("tick-nul-fmt", "nul")
def _(tmp: Path) -> list[str]:
    return ["fmt", str(write(tmp / "a.tick", GOOD_TICK.replace("cpu", "c\x00pu")))]


@case("tick-non-utf8-lint", "utf-8")
def _(tmp: Path) -> list[str]:
    return [
        "lint",
        str(write(tmp / "a.tick", GOOD_TICK.replace("cpu", "caf\xe9").encode("latin-1"))),
    ]


@case("tick-nul-lint", "nul")
def _(tmp: Path) -> list[str]:
    return ["lint", str(write(tmp / "a.tick", GOOD_TICK.replace("cpu", "c\x00pu")))]


@case("tick-deep-parentheses-lint", "nests more than")
def _(tmp: Path) -> list[str]:
    script = "var x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n" + GOOD_TICK
    return ["lint", str(write(tmp / "a.tick", script))]


@case("tick-deep-parentheses-fmt", "nests more than")
def _(tmp: Path) -> list[str]:
    script = "var x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n" + GOOD_TICK
    return ["fmt", str(write(tmp / "a.tick", script))]


@case("tick-deep-unary-fmt", "nests more than")
def _(tmp: Path) -> list[str]:
    script = "var x = " + "-" * 100_000 + "1\n" + GOOD_TICK
    return ["fmt", str(write(tmp / "a.tick", script))]


# -- users' templates ------------------------------------------------------------------------


def _user(tmp: Path, body: str, schema: dict[str, object] | None = None) -> list[str]:
    write(tmp / "tpl" / "t.tick.j2", body)
    write(tmp / "tpl" / "t.schema.json", json.dumps(schema or USER_SCHEMA))
    alert = write(tmp / "a.yaml", "template: t\nid: x\ndatabase: db\n")
    return ["render", "--templates", str(tmp / "tpl"), str(alert)]


@case("template-nested-loops", "template t")
def _(tmp: Path) -> list[str]:
    body = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    return _user(tmp, body)


@case("template-nested-loops-without-calls", "longer than")
def _(tmp: Path) -> list[str]:
    # no call inside the loops for the sandbox to intercept: the timer stops it
    body = (
        "{% set l = range(100000) | list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}"
    )
    return _user(tmp, body)


@case("template-huge-string", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% set s = 'x' * 10000000000 %}{{ s | quote }}")


@case("template-huge-power", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{{ (10 ** 100000000) | number }}")


@case("template-huge-list", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% set l = [0] * 10000000000 %}")


@case("template-string-method", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% set s = 'x'.center(10000000000) %}")


@case("template-format-width", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% set s = '{:>10000000000}'.format(1) %}")


@case("template-huge-output", "template t")
def _(tmp: Path) -> list[str]:
    body = "{% for a in range(100000) %}{% for b in range(100000) %}// {{ 'x' | quote }}\n{% endfor %}{% endfor %}"
    return _user(tmp, body)


@case("template-recursive-macro", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")


@case("template-recursive-include", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% include 't.tick.j2' %}")


@case("template-sandbox-escape", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{{ ''.__class__.__mro__[1].__subclasses__() }}")


@case("template-include-outside", "template t")
def _(tmp: Path) -> list[str]:
    return _user(tmp, "{% include '../a.yaml' %}")


@case("schema-remote-ref", "$ref")
def _(tmp: Path) -> list[str]:
    schema = dict(USER_SCHEMA, properties={"id": {"$ref": "http://127.0.0.1:9/x.json"}})
    return _user(tmp, "stream\n", schema)


@case("schema-local-file-ref", "$ref")
def _(tmp: Path) -> list[str]:
    write(tmp / "tpl" / "other.json", '{"type": "string"}')
    schema = dict(USER_SCHEMA, properties={"id": {"$ref": "other.json"}})
    return _user(tmp, "stream\n", schema)


@case("schema-file-url-ref", "$ref")
def _(tmp: Path) -> list[str]:
    schema = dict(USER_SCHEMA, properties={"id": {"$ref": "file:///etc/passwd"}})
    return _user(tmp, "stream\n", schema)


@case("schema-recursive-ref", "$ref")
def _(tmp: Path) -> list[str]:
    schema = dict(USER_SCHEMA, properties={"id": {"$ref": "#/properties/id"}})
    return _user(tmp, "stream\n", schema)


@case("schema-deep-nesting", "nested")
def _(tmp: Path) -> list[str]:
    write(tmp / "tpl" / "t.tick.j2", "stream\n")
    write(tmp / "tpl" / "t.schema.json", '{"not": ' * 100_000 + "{}" + "}" * 100_000)
    alert = write(tmp / "a.yaml", "template: t\nid: x\ndatabase: db\n")
    return ["render", "--templates", str(tmp / "tpl"), str(alert)]


@case("schema-non-utf8", "utf-8")
def _(tmp: Path) -> list[str]:
    write(tmp / "tpl" / "t.tick.j2", "stream\n")
    write(tmp / "tpl" / "t.schema.json", b'{"title": "caf\xe9"}')
    alert = write(tmp / "a.yaml", "template: t\nid: x\ndatabase: db\n")
    return ["render", "--templates", str(tmp / "tpl"), str(alert)]


@case("template-non-utf8", "utf-8")
def _(tmp: Path) -> list[str]:
    write(tmp / "tpl" / "t.tick.j2", b"stream // caf\xe9\n")
    write(tmp / "tpl" / "t.schema.json", json.dumps(USER_SCHEMA))
    alert = write(tmp / "a.yaml", "template: t\nid: x\ndatabase: db\n")
    return ["render", "--templates", str(tmp / "tpl"), str(alert)]
