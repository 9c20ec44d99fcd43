"""The one html/template error of ``.details()`` that fails every event.

Kapacitor parses the details with ``html/template``; its escaper runs at the
first execution and refuses a template whose end is not in plain HTML text:
``html/template:details: ends in a non-text context: ...``.  That error comes
back on every event and stops the alert node.  This module follows the HTML
states of Go's ``html/template/transition.go`` that matter for it (text, tag,
attribute value, comment, raw-text elements) over the template's text, with
each action standing for a value, and only for templates without branches
(``if``/``range``/``with``/``template``), where the end state is certain.
"""

from __future__ import annotations

import re

from .parser import ActionNode, ListNode, TextNode

__all__ = ["end_context"]

_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9:-]*")  # Go's eatTagName on ASCII
# HTML's (and Go's) whitespace is these five ASCII characters only; Python's \s also
# takes \v and Unicode spaces, which left the attribute loop below without progress
_ATTR_NAME = re.compile(r"[^ \t\n\r\f/>=\"'<]*")
_RAW_TEXT = {"script": "script", "style": "style", "textarea": "RCDATA", "title": "RCDATA"}


def end_context(root: ListNode) -> str | None:
    """The non-text state ``root`` ends in, or None (text, or not followed)."""
    parts: list[str] = []
    for node in root.nodes:
        if isinstance(node, TextNode):
            parts.append(node.text)
        elif isinstance(node, ActionNode):
            parts.append("\0" if node.pipe.decls else "x")  # an assignment prints nothing
        else:
            return None  # a branch or a template call: the end is not one state
    return _scan("".join(parts).replace("\0", ""))


def _scan(text: str) -> str | None:
    pos, n = 0, len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            return None
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            if end < 0:
                return "stateHTMLCmt"
            pos = end + 3
            continue
        start = lt + 2 if text.startswith("</", lt) else lt + 1
        name = _TAG_NAME.match(text, start)
        if name is None:
            pos = lt + 1  # a '<' that opens no tag is text
            continue
        pos = name.end()
        while True:  # inside the tag
            while pos < n and text[pos] in " \t\n\r\f/":
                pos += 1
            if pos >= n:
                return "stateTag"
            if text[pos] == ">":
                pos += 1
                break
            attr = _ATTR_NAME.match(text, pos)
            pos = attr.end() if attr and attr.end() > pos else pos + 1
            if pos < n and text[pos] in "\"'<":
                return "stateError"  # Go's ErrBadHTML: a quote or '<' in an attribute name
            while pos < n and text[pos] in " \t\n\r\f":
                pos += 1
            if pos < n and text[pos] == "=":
                pos += 1
                while pos < n and text[pos] in " \t\n\r\f":
                    pos += 1
                if pos >= n:
                    return "stateBeforeValue"
                if text[pos] in "\"'":
                    close = text.find(text[pos], pos + 1)
                    if close < 0:
                        return "stateAttr"
                    pos = close + 1
                else:
                    while pos < n and text[pos] not in " \t\n\r\f>":
                        pos += 1
            elif pos >= n:
                return "stateAttrName"
        raw = _RAW_TEXT.get(name.group().lower()) if start == lt + 1 else None
        if raw is not None:
            end_tag = re.compile(f"</{name.group()}", re.IGNORECASE).search(text, pos)
            if end_tag is None:
                return {"script": "stateJS", "style": "stateCSS"}.get(raw, "stateRCDATA")
            pos = end_tag.start()
    return None
