"""Regex literal checks: the errors of Go's regexp/syntax parser, message for message."""

from __future__ import annotations

import pytest

from tickgen.tick.re2 import check_regex


@pytest.mark.parametrize(
    "pattern",
    [
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
        "\\b*",
        "\\Q*+?\\E*",
        "a{,3}",
        "a{01}",
        "x{2,}y{0}z{1000}",
        "(a{10}){100}",
        "()",
        ".*",
    ],
)
def test_valid_re2_patterns(pattern: str) -> None:
    assert check_regex(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
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
        ("\\p{Greek", "invalid character class range: `\\p{Greek`"),
    ],
)
def test_invalid_re2_patterns(pattern: str, error: str) -> None:
    assert check_regex(pattern) == f"error parsing regexp: {error}"
