"""The seed document's acceptance data: its first create request and the server's answer.

Copies live in tests/golden/ so a clone without ../shared still has them; when
the seed document is beside the repository, the copies are checked against it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"
DOCUMENT = Path(__file__).resolve().parents[2] / "shared" / "seed" / "kapacitor-task-api.md"


def _from_document(pattern: str) -> dict[str, Any] | None:
    if not DOCUMENT.exists():
        return None
    match = re.search(pattern, DOCUMENT.read_text(encoding="utf-8"), re.S)
    assert match, f"the seed document lost {pattern!r}"
    loaded: dict[str, Any] = json.loads(match.group(1))
    return loaded


def _golden(name: str, pattern: str) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    original = _from_document(pattern)
    assert original is None or original == copy, f"tests/golden/{name} differs from the seed"
    return copy


def post_body() -> dict[str, Any]:
    """The body of the seed's first POST /kapacitor/v1/tasks."""
    return _golden("seed_post_body.json", r"POST /kapacitor/v1/tasks\n(\{.*?\n\})\n```")


def post_response() -> dict[str, Any]:
    """Kapacitor's answer to it, with the task's ``dot``."""
    return _golden("seed_post_response.json", r"```http response\n(\{\n    \"link\".*?\n\})\n```")
