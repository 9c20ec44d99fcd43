"""Regex literal checks: the errors of Go's regexp/syntax parser, message for message."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tickgen.tick.re2 import check_regex

VALID = [
    "",
    "^cpu[0-9]+$",
    "(?i)host",
    "(?i:x)|(?m-s:y)",
    "(?P<name>a)",
    "(?<name>a)",
    "\\12",
    "\\x{41}\\x41",
    "[]a]",
    "[^]a]",
    "[a-]",
    "[[:alpha:][:^digit:]]",
    "[\\d-z]",
    "\\pL\\p{Greek}\\PN\\p{^Lu}",
    # Go 1.25+ canonicalises names: case, "_" and "-" do not matter ...
    "\\p{latin}\\p{Letter}\\p{cased_letter}\\p{Cn}\\p{lc}\\pl",
    "\\b*",
    "\\Q*+?\\E*",
    "a{,3}",
    "a{01}",
    "x{2,}y{0}z{1000}",
    "(a{10}){100}",
    "()",
    ".*",
]


@pytest.mark.parametrize("pattern", VALID)
def test_valid_re2_patterns(pattern: str) -> None:
    assert check_regex(pattern) is None


INVALID = [
    ("(a", "missing closing ): `(a`"),
    ("a)", "unexpected ): `a)`"),
    ("a|)", "unexpected ): `a|)`"),
    ("*", "missing argument to repetition operator: `*`"),
    ("a|*?", "missing argument to repetition operator: `*?`"),
    ("{2}", "missing argument to repetition operator: `{2}`"),
    ("\\Q\\E*", "missing argument to repetition operator: `*`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("a*?*", "invalid nested repetition operator: `*?*`"),
    ("x{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("x{2,1}", "invalid repeat count: `{2,1}`"),
    ("x{1001}", "invalid repeat count: `{1001}`"),
    ("(x{100}){100}", "invalid repeat count: `{100}`"),
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
    ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
    ("(?<=a)", "invalid named capture: `(?<=a)`"),
    ("(?P<>a)", "invalid named capture: `(?P<>`"),
    ("(?P<a-b>c)", "invalid named capture: `(?P<a-b>`"),
    ("\\1", "invalid escape sequence: `\\1`"),
    ("\\8", "invalid escape sequence: `\\8`"),
    ("\\q", "invalid escape sequence: `\\q`"),
    ("\\Z", "invalid escape sequence: `\\Z`"),
    ("\\C", "invalid escape sequence: `\\C`"),
    ("\\xZZ", "invalid escape sequence: `\\xZZ`"),
    ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
    ("a\\", "trailing backslash at end of expression: ``"),
    ("[a", "missing closing ]: `[a`"),
    ("x[a\\]", "missing closing ]: `[a\\]`"),
    ("[z-a]", "invalid character class range: `z-a`"),
    ("[\\r-\\n]", "invalid character class range: `\\r-\\n`"),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("\\p{Foo1}", "invalid character class range: `\\p{Foo1}`"),
    ("\\pX", "invalid character class range: `\\pX`"),
    # ... so no multi-word script matches any more, nor SignWriting
    ("\\p{Old_Italic}", "invalid character class range: `\\p{Old_Italic}`"),
    ("\\p{SignWriting}", "invalid character class range: `\\p{SignWriting}`"),
    ("[\\p{Zz}]", "invalid character class range: `\\p{Zz}`"),
    ("\\p{Greek", "invalid character class range: `\\p{Greek`"),
]


@pytest.mark.parametrize(("pattern", "error"), INVALID)
def test_invalid_re2_patterns(pattern: str, error: str) -> None:
    assert check_regex(pattern) == f"error parsing regexp: {error}"


def test_patterns_match_the_real_kapacitor(kapacitor: Any) -> None:
    cases = [(pattern, None) for pattern in VALID] + [
        (pattern, f"error parsing regexp: {error}") for pattern, error in INVALID
    ]
    with httpx.Client(base_url=kapacitor.url + "/kapacitor/v1", timeout=30) as client:
        for pattern, error in cases:
            if pattern.endswith("\\"):
                continue  # a literal cannot end in a backslash: it would escape the "/"
            literal = pattern.replace("/", "\\/")
            script = f'stream|from().where(lambda: "host" =~ /{literal}/)'
            task = {"id": "re2", "type": "stream", "script": script, "status": "disabled"}
            response = client.post("/tasks", json={**task, "dbrps": [{"db": "d", "rp": "r"}]})
            client.delete("/tasks/re2")
            if error is None:
                assert response.status_code == 200, (pattern, response.text)
            else:
                assert response.json()["error"] == f"invalid TICKscript: parser: {error}", pattern
