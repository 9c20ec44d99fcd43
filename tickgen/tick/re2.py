"""Go RE2 syntax check for TICKscript regex literals.

Kapacitor compiles every regex literal with Go's ``regexp`` package while
parsing (``node.go`` ``newRegex``), so a pattern RE2 rejects is a parse error.
:func:`check_regex` walks a pattern the way Go's ``regexp/syntax`` parser does,
keeping only what decides its errors: a stack of groups, alternation bars and
expressions, the previous repetition operator, and the product of nested
``{n,m}`` counts.  It returns Go's message (``error parsing regexp: missing
closing ): `(a` ``) or None.

The rules are those of the Go that builds kapacitord here (1.26): ``(?<name>x)``
is a named group as well as ``(?P<name>x)`` (Go 1.22+), and ``\\p{Name}``
canonicalises the name (Go 1.25+).  Go's size and nesting-depth limits
(thousands of nodes) are not modelled.
"""

from __future__ import annotations

import re

__all__ = ["check_regex"]

_LPAREN, _BAR = -1, -2  # pseudo entries; an expression is its repeat product (>= 1)
_PERL_CLASSES = frozenset({"\\d", "\\D", "\\s", "\\S", "\\w", "\\W"})
_POSIX_CLASSES = frozenset(
    [
        "alnum",
        "alpha",
        "ascii",
        "blank",
        "cntrl",
        "digit",
        "graph",
        "lower",
        "print",
        "punct",
        "space",
        "upper",
        "word",
        "xdigit",
    ]
)
# \p{Name}: Go (1.25 and later, which the kapacitord we test against is built
# with) looks the name up after canonicalising it: underscores, hyphens and
# spaces dropped, first letter upper case, the rest lower case.  Only table keys
# already in that form can match, so \p{latin} works while multi-word scripts
# such as Old_Italic no longer resolve at all.
_CATEGORY_MINORS = {
    "C": "cfnos",
    "L": "lmotu",
    "M": "cen",
    "N": "dlo",
    "P": "cdefios",
    "S": "ckmo",
    "Z": "lps",
}
_CATEGORY_ALIASES = (
    "Cased_Letter Close_Punctuation Combining_Mark Connector_Punctuation Control "
    "Currency_Symbol Dash_Punctuation Decimal_Number Enclosing_Mark Final_Punctuation "
    "Format Initial_Punctuation Letter Letter_Number Line_Separator Lowercase_Letter Mark "
    "Math_Symbol Modifier_Letter Modifier_Symbol Nonspacing_Mark Number Open_Punctuation "
    "Other Other_Letter Other_Number Other_Punctuation Other_Symbol Paragraph_Separator "
    "Private_Use Punctuation Separator Space_Separator Spacing_Mark Surrogate Symbol "
    "Titlecase_Letter Unassigned Uppercase_Letter cntrl digit punct"
)
# Unicode 15.0 scripts whose name is one word (the others cannot match, see above).
_SCRIPTS = (
    "Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo "
    "Brahmi Braille Buginese Buhid Carian Chakma Cham Cherokee Chorasmian Common Coptic "
    "Cuneiform Cypriot Cyrillic Deseret Devanagari Dogra Duployan Elbasan Elymaic Ethiopic "
    "Georgian Glagolitic Gothic Grantha Greek Gujarati Gurmukhi Han Hangul Hanunoo Hatran "
    "Hebrew Hiragana Inherited Javanese Kaithi Kannada Katakana Kawi Kharoshthi Khmer "
    "Khojki Khudawadi Lao Latin Lepcha Limbu Lisu Lycian Lydian Mahajani Makasar Malayalam "
    "Mandaic Manichaean Marchen Medefaidrin Miao Modi Mongolian Mro Multani Myanmar "
    "Nabataean Nandinagari Newa Nko Nushu Ogham Oriya Osage Osmanya Palmyrene Phoenician "
    "Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham Sinhala Sogdian Soyombo "
    "Sundanese Syriac Tagalog Tagbanwa Takri Tamil Tangsa Tangut Telugu Thaana Thai "
    "Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Yezidi Yi"
)


def _canonical(name: str) -> str:
    """Go's canonicalName: drop ``_``, ``-`` and spaces; ASCII letters become
    upper case first, lower case after (other characters stay as they are)."""
    letters = [c for c in name if c not in "_- "]
    return "".join(
        (c.upper() if i == 0 else c.lower()) if c.isascii() else c for i, c in enumerate(letters)
    )


_UNICODE_CLASSES = frozenset(
    [*_CATEGORY_MINORS, "Any", "Assigned", "Ascii", "Lc"]
    + [major + minor for major, minors in _CATEGORY_MINORS.items() for minor in minors]
    + [_canonical(alias) for alias in _CATEGORY_ALIASES.split()]
    + _SCRIPTS.split()
)
_REPEAT = re.compile(r"\{(0|[1-9][0-9]*)(?:(,)(0|[1-9][0-9]*)?)?\}")


class _RegexError(Exception):
    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")


def check_regex(pattern: str) -> str | None:
    """Go's error for ``pattern`` (the unescaped text of a regex literal), or None."""
    try:
        _Re2Check(pattern).run()
    except _RegexError as exc:
        return str(exc)
    return None


class _Re2Check:
    def __init__(self, pattern: str) -> None:
        self.whole = pattern
        self.stack: list[int] = []

    def run(self) -> None:
        t = self.whole
        i = 0
        last_repeat = -1  # where the previous token, if a repetition, started
        while i < len(t):
            repeat_at = -1
            c = t[i]
            if c == "(":
                i = self._group(i) if t.startswith("(?", i) else self._push_paren(i + 1)
            elif c == "|":
                self._concat()
                if not self._swap_bar():
                    self.stack.append(_BAR)
                i += 1
            elif c == ")":
                self._right_paren()
                i += 1
            elif c == "[":
                i = self._class(i)
                self.stack.append(1)
            elif c in "*+?":
                repeat_at, i = i, self._repeat(i, i + 1, 0, last_repeat)
            elif c == "{" and (m := _REPEAT.match(t, i)) is not None:
                low = int(m.group(1))
                high = low if m.group(2) is None else int(m.group(3) or -1)
                if low > 1000 or high > 1000 or (high >= 0 and low > high):
                    raise _RegexError("invalid repeat count", m.group())
                count = low if high < 0 else high
                repeat_at, i = i, self._repeat(i, m.end(), count, last_repeat)
            elif c == "\\":
                i = self._escape(i)
            else:
                self.stack.append(1)  # a literal, "{" that is no repeat, ^ $ .
                i += 1
            last_repeat = repeat_at
        self._concat()
        if self._swap_bar():
            self.stack.pop()
        self._alternate()
        if len(self.stack) != 1:
            raise _RegexError("missing closing )", self.whole)

    # -- stack, as Go's concat / alternate / swapVerticalBar -------------------

    def _collapse(self) -> None:
        """Replace the expressions above the topmost pseudo entry by one."""
        stack = self.stack
        product = 1
        while stack and stack[-1] > 0:
            product = max(product, stack.pop())
        stack.append(product)

    _concat = _alternate = _collapse

    def _swap_bar(self) -> bool:
        stack = self.stack
        if len(stack) >= 2 and stack[-2] == _BAR:
            stack[-2], stack[-1] = stack[-1], _BAR
            return True
        return False

    def _push_paren(self, i: int) -> int:
        self.stack.append(_LPAREN)
        return i

    def _right_paren(self) -> None:
        self._concat()
        if self._swap_bar():
            self.stack.pop()
        self._alternate()
        stack = self.stack
        if len(stack) < 2 or stack[-2] != _LPAREN:
            raise _RegexError("unexpected )", self.whole)
        inner = stack.pop()
        stack[-1] = inner

    def _repeat(self, start: int, end: int, count: int, last_repeat: int) -> int:
        t = self.whole
        if t.startswith("?", end):  # non-greedy
            end += 1
        if last_repeat >= 0:
            raise _RegexError("invalid nested repetition operator", t[last_repeat:end])
        if not self.stack or self.stack[-1] < 0:
            raise _RegexError("missing argument to repetition operator", t[start:end])
        if t[start] == "{":
            # Go's repeatIsValid: nested counts may multiply to 1000 at most.
            product = self.stack[-1] * count if count else 1
            if product > 1000:
                raise _RegexError("invalid repeat count", t[start:end])
            self.stack[-1] = max(product, 1)
        return end

    # -- groups, escapes and classes ----------------------------------------------

    def _group(self, i: int) -> int:
        t = self.whole
        name_at = 4 if t.startswith("(?P<", i) and len(t) - i > 4 else 0
        if not name_at and t.startswith("(?<", i) and len(t) - i > 3:
            name_at = 3
        if name_at:
            end = t.find(">", i)
            if end < 0:
                raise _RegexError("invalid named capture", t[i:])
            name = t[i + name_at : end]
            if not name or not all(c == "_" or (c.isascii() and c.isalnum()) for c in name):
                raise _RegexError("invalid named capture", t[i : end + 1])
            return self._push_paren(end + 1)
        j = i + 2
        negated = saw_flag = False
        while j < len(t):
            c = t[j]
            j += 1
            if c in "imsU":
                saw_flag = True
            elif c == "-" and not negated:
                negated, saw_flag = True, False
            elif c in ":)" and (saw_flag or not negated):
                return self._push_paren(j) if c == ":" else j
            else:
                break
        raise _RegexError("invalid or unsupported Perl syntax", t[i:j])

    def _escape(self, i: int) -> int:
        """A backslash sequence outside a class: assertion, class or one character."""
        t = self.whole
        two = t[i : i + 2]
        if two == "\\C":
            raise _RegexError("invalid escape sequence", two)
        if two == "\\Q":  # literal text up to \E; nothing at all if empty
            end = t.find("\\E", i + 2)
            if end != i + 2:
                self.stack.append(1)
            return len(t) if end < 0 else end + 2
        self.stack.append(1)
        if two in ("\\A", "\\b", "\\B", "\\z") or two in _PERL_CLASSES:
            return i + 2
        if two in ("\\p", "\\P"):
            return self._unicode_class(i)
        return self._char_escape(i)

    def _char_escape(self, i: int) -> int:
        """Go's parseEscape: the end of the single-character escape at ``i``."""
        t = self.whole
        if i + 1 >= len(t):
            raise _RegexError("trailing backslash at end of expression", "")
        c = t[i + 1]
        j = i + 2
        if c.isascii() and not c.isalnum():
            return j
        if c in "1234567" and not (j < len(t) and t[j] in "01234567"):
            raise _RegexError("invalid escape sequence", t[i:j])  # a backreference
        if c in "01234567":
            while j < len(t) and j < i + 4 and t[j] in "01234567":
                j += 1
            return j
        if c in "afnrtv":
            return j
        if c == "x" and j < len(t):
            if t[j] == "{":  # any number of hex digits, at least one, up to U+10FFFF
                value = 0
                for k in range(j + 1, len(t)):
                    if t[k] == "}" and k > j + 1:
                        return k + 1
                    if t[k] not in _HEX:
                        break
                    value = value * 16 + int(t[k], 16)
                    if value > 0x10FFFF:
                        break
                else:
                    k = len(t) - 1
                raise _RegexError("invalid escape sequence", t[i : k + 1])
            pair = t[j : j + 2]
            if len(pair) == 2 and all(h in _HEX for h in pair):
                return j + 2
            raise _RegexError("invalid escape sequence", t[i : j + 2])
        raise _RegexError("invalid escape sequence", t[i:j])

    def _unicode_class(self, i: int) -> int:
        t = self.whole
        if i + 2 >= len(t):  # Go reads no name and fails on the empty one
            raise _RegexError("invalid character class range", t[i:])
        if t[i + 2] != "{":
            seq, name = t[i : i + 3], t[i + 2]
        else:
            end = t.find("}", i)
            if end < 0:
                raise _RegexError("invalid character class range", t[i:])
            seq, name = t[i : end + 1], t[i + 3 : end]
        name = name.removeprefix("^")
        if _canonical(name) not in _UNICODE_CLASSES:
            raise _RegexError("invalid character class range", seq)
        return i + len(seq)

    def _class(self, start: int) -> int:
        """Go's parseClass: the end of the bracket expression at ``start``."""
        t = self.whole
        i = start + 1
        if t.startswith("^", i):
            i += 1
        first = True
        while i >= len(t) or t[i] != "]" or first:
            first = False
            if t.startswith("[:", i) and len(t) - i > 2:
                end = t.find(":]", i + 2)
                if end >= 0:
                    name = t[i + 2 : end]
                    if name.removeprefix("^") not in _POSIX_CLASSES:
                        raise _RegexError("invalid character class range", t[i : end + 2])
                    i = end + 2
                    continue
            two = t[i : i + 2]
            if two in ("\\p", "\\P"):
                i = self._unicode_class(i)
                continue
            if two in _PERL_CLASSES:
                i += 2
                continue
            low_at = i
            low, i = self._class_char(i, start)
            if i + 1 < len(t) and t[i] == "-" and t[i + 1] != "]":
                high, end = self._class_char(i + 1, start)
                if high < low:
                    raise _RegexError("invalid character class range", t[low_at:end])
                i = end
        return i + 1

    def _class_char(self, i: int, class_start: int) -> tuple[str, int]:
        t = self.whole
        if i >= len(t):
            raise _RegexError("missing closing ]", t[class_start:])
        if t[i] == "\\":
            end = self._char_escape(i)
            return _escaped_char(t[i:end]), end
        return t[i], i + 1


_HEX = frozenset("0123456789abcdefABCDEF")
_C_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _escaped_char(escape: str) -> str:
    """The character a valid single-character escape stands for."""
    body = escape[1:]
    if body[0] == "x":
        return chr(int(body[1:].strip("{}"), 16))
    if body[0] in "01234567":
        return chr(int(body, 8))
    return _C_ESCAPES.get(body, body)
