"""Test results for people (text), programs (JSON) and CI systems (JUnit XML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .events import ActualEvent, Row, expected_at, format_offset
from .runner import TestResult
from .spec import ExpectedEvent

__all__ = ["junit_xml", "result_json", "summary_line", "text_report"]


def _expected_cell(event: ExpectedEvent | None) -> str:
    if event is None:
        return "-"
    text = f"{format_offset(expected_at(event))} {event.level}"
    if event.id is not None:
        text += f" {event.id}"
    if event.message is not None:
        text += f" {event.message!r}"
    return text


def _actual_cell(event: ActualEvent | None) -> str:
    if event is None:
        return "-"
    text = f"{format_offset(event.at)} {event.level} {event.id}"
    if event.message:
        text += f" {event.message!r}"
    return text


def comparison_table(rows: Sequence[Row]) -> list[str]:
    """Expected and actual events side by side; ``x`` marks a row that does not match."""
    cells = [(_expected_cell(r.expected), _actual_cell(r.actual), r) for r in rows]
    width = max([len("expected")] + [len(e) for e, _, _ in cells])
    lines = [f"      {'expected'.ljust(width)}   actual"]
    for expected, actual, row in cells:
        mark = "  " if row.ok else "x "
        note = f"   ({', '.join(row.differs)} differ" if row.differs else ""
        if row.actual is not None and any(d.startswith("fields.") for d in row.differs):
            note += f"; fields {json.dumps(row.actual.fields, sort_keys=True)}"
        if row.actual is not None and any(d.startswith("tags.") for d in row.differs):
            note += f"; tags {json.dumps(row.actual.tags, sort_keys=True)}"
        if row.actual is not None and "duration" in row.differs:
            note += f"; duration {format_offset(row.actual.duration)}"
        note += ")" if row.differs else ""
        lines.append(f"    {mark}{expected.ljust(width)}   {actual}{note}")
    if not rows:
        lines.append(f"      {'(none)'.ljust(width)}   (none)")
    return lines


def text_report(result: TestResult, *, show_script: bool = False, verbose: bool = False) -> str:
    status = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}[result.status]
    lines = [f"{status}  {result.label}: {result.name}  [{result.alert}]"]
    if result.status == "error":
        lines.append(f"      {result.error}")
    if result.status == "failed" or verbose:
        lines.extend(f"      note: {note}" for note in result.notes)
        lines.extend(comparison_table(result.rows))
    else:  # a wall-clock test says how it ran, passed or not
        lines.extend(f"      note: {note}" for note in result.notes if note.startswith("deadman"))
    if show_script and result.script:
        lines.append("      script:")
        lines.extend(f"        {line}" for line in result.script.rstrip().splitlines())
    return "\n".join(lines)


def summary_line(results: Sequence[TestResult], seconds: float, server: str) -> str:
    passed = sum(r.status == "passed" for r in results)
    failed = sum(r.status == "failed" for r in results)
    errors = sum(r.status == "error" for r in results)
    text = f"{passed} passed, {failed} failed"
    if errors:
        text += f", {errors} error(s)"
    return f"{text} in {seconds:.2f}s ({server})"


def _expected_json(event: ExpectedEvent) -> dict[str, Any]:
    data = event.model_dump(exclude_none=True)
    data["at"] = format_offset(expected_at(event))
    return data


def result_json(result: TestResult) -> dict[str, Any]:
    return {
        "name": result.name,
        "file": result.file,
        "line": result.line,
        "alert": result.alert,
        "task_id": result.task_id,
        "status": result.status,
        "error": result.error or None,
        "seconds": round(result.seconds, 4),
        "notes": result.notes,
        "rows": [
            {
                "ok": row.ok,
                "expected": _expected_json(row.expected) if row.expected else None,
                "actual": row.actual.as_json() if row.actual else None,
                "differs": list(row.differs),
            }
            for row in result.rows
        ],
        "script": result.script,
    }


def json_report(results: Sequence[TestResult], seconds: float, server: dict[str, str]) -> str:
    return json.dumps(
        {
            "server": server,
            "seconds": round(seconds, 3),
            "passed": sum(r.passed for r in results),
            "failed": sum(r.status == "failed" for r in results),
            "errors": sum(r.status == "error" for r in results),
            "tests": [result_json(r) for r in results],
        },
        indent=2,
        ensure_ascii=False,
    )


def junit_xml(results: Sequence[TestResult], seconds: float, path: Path) -> None:
    suite = ET.Element(
        "testsuite",
        name="tickgen test",
        tests=str(len(results)),
        failures=str(sum(r.status == "failed" for r in results)),
        errors=str(sum(r.status == "error" for r in results)),
        time=f"{seconds:.3f}",
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=result.file,
            name=result.name,
            time=f"{result.seconds:.3f}",
        )
        if result.notes:
            ET.SubElement(case, "system-out").text = "\n".join(result.notes)
        if result.status == "failed":
            failure = ET.SubElement(case, "failure", message="alert events differ")
            failure.text = "\n".join(comparison_table(result.rows))
        elif result.status == "error":
            error = ET.SubElement(case, "error", message=result.error.splitlines()[0])
            error.text = result.error
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
