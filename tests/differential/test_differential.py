"""What tickgen accepts, the real kapacitord accepts, starts and stores unchanged.

Random schema-valid parameter sets (tests/differential/generator.py) for every
template (the three built-ins and examples/templates/disk_free) and every handler
kind are written to a YAML file and rendered by tickgen for the version of the
server under test.  A set tickgen refuses is tickgen's verdict: counted by class,
not a failure (unless tickgen blames its own template, which is a bug).  Every
set it accepts is created enabled on kapacitord through tickgen.KapacitorClient,
read back (same script, executing, no error) and deleted.

Reproduce a failure with the seed it prints:
    pytest tests/differential --differential-seed S --differential-count N
(the i-th set depends only on the seed and i, not on the count.)
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests import servers
from tests.differential.generator import USER_TEMPLATES, draw
from tickgen import ParameterError, render_paths
from tickgen.catalog import Catalog
from tickgen.client import KapacitorClient
from tickgen.client.errors import APIError, InvalidResponse, TransportError
from tickgen.dbrp import DBRP

# tickgen blaming its own template for a schema-valid set is a bug, not a verdict
_TEMPLATE_BUG = ("does not parse", "fails the check")


@dataclass
class Tally:
    """Outcomes by template and by handler kind, and the failures to report."""

    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    refusals: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    failure_classes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # the first failure of each class

    def fail(self, keys: list[str], failure_class: str, report: str, script: str = "") -> None:
        """Count a failure; the report file also gets the script, the failure message does not."""
        self.count(keys, "failed")
        self.failure_classes[failure_class] += 1
        self.failures.append(f"{report}script:\n{script}" if script else report)
        self.examples.setdefault(failure_class, report)

    def count(self, keys: list[str], outcome: str) -> None:
        for key in keys:
            self.outcomes[key][outcome] += 1

    def table(self) -> str:
        lines = [f"{'':24} {'sets':>5} {'refused':>8} {'ran':>5} {'failed':>7} {'accept%':>8}"]
        for key in sorted(self.outcomes, key=lambda k: (not k.startswith("template"), k)):
            c = self.outcomes[key]
            total = sum(c.values())
            good = c["ran"]
            judged = good + c["failed"]
            rate = f"{100 * good / judged:.0f}" if judged else "-"
            lines.append(f"{key:24} {total:5} {c['refused']:8} {good:5} {c['failed']:7} {rate:>8}")
        return "\n".join(lines)


def _class(message: str) -> str:
    """An error's class: its text with values, quotes and numbers blurred."""
    text = re.sub(r"(?s)'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "Q", message)
    text = re.sub(r"\d+", "N", text)
    text = re.sub(r"\s+", " ", text)
    return text[:160]


def _refusal_class(message: str) -> str:
    # "file (alerts[0]): handlers[2].path: what is wrong" -> "handlers[].path: what is wrong"
    text = re.sub(r"^.*?\.yaml(?::\d+)?(?: \([^)]*\))?:\s*", "", message.splitlines()[0])
    return _class(re.sub(r"\[\d+\]", "[]", text))


def _version(kapacitor: servers.Server, client: KapacitorClient) -> str:
    version = kapacitor.version or client.ping().version
    assert version, "the server did not say its version (X-Kapacitor-Version)"
    return version


def _answer(exc: APIError | InvalidResponse) -> str:
    return f"{exc.status}: {exc.message}" if isinstance(exc, APIError) else str(exc)


def _check_on_server(
    client: KapacitorClient, task_id: str, script: str, dbrps: tuple[DBRP, ...], kind: str
) -> str | None:
    """Create enabled, read back, delete; the server's complaint, if any.

    Transport errors (no answer at all) propagate: the caller asks whether the
    server is still alive.
    """
    try:
        client.create_task(
            task_id,
            script,
            dbrps=dbrps,
            type=kind,  # type: ignore[arg-type]
            status="enabled",
        )
    except (APIError, InvalidResponse) as exc:
        return f"create answered {_answer(exc)}"
    complaint = _read_back(client, task_id, script)
    try:
        client.delete_task(task_id)
    except (APIError, InvalidResponse) as exc:  # a task we cannot delete is a finding too
        complaint = f"{complaint or 'it ran'}; then delete answered {_answer(exc)}"
    return complaint


def _read_back(client: KapacitorClient, task_id: str, script: str) -> str | None:
    """GET answers the script formatted by Kapacitor: a rendered script must be its fixed point."""
    try:
        task = client.get_task(task_id)
    except (APIError, InvalidResponse) as exc:
        return f"reading the task back: {_answer(exc)}"
    if task.script != script:
        diff = difflib.unified_diff(
            script.splitlines(), task.script.splitlines(), "sent", "stored", lineterm=""
        )
        return "stored script differs from the one sent:\n" + "\n".join(diff)
    if not task.executing or task.error:
        return f"not executing (executing={task.executing}), error: {task.error!r}"
    return None


ATTEMPTS = 6  # draws per turn while tickgen refuses them


@pytest.mark.slow
def test_random_schema_valid_alerts_run_on_kapacitor(
    kapacitor: servers.Server,
    client: KapacitorClient,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    seed: int = request.config.getoption("--differential-seed")
    count: int = request.config.getoption("--differential-count")
    version = _version(kapacitor, client)
    catalog = Catalog([USER_TEMPLATES])
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    tally = Tally()
    print(f"\ndifferential: seed {seed}, {count} sets, kapacitord {version}")

    def one_set(index: int, attempt: int) -> bool:
        """Render, create and read back one set; True when tickgen refused it."""
        template, params = draw(
            catalog, seed, index, version=version, log_dir=str(log_dir), attempt=attempt
        )
        text = yaml.safe_dump(params, allow_unicode=True, sort_keys=False)
        assert yaml.safe_load(text) == params, "the YAML writer changed the set"
        handler_keys = sorted({f"  handler {h['kind']}" for h in params.get("handlers", ())})
        keys = [f"template {template}", *handler_keys]
        where = f"seed {seed}, index {index}, attempt {attempt} ({template}, kapacitord {version})"

        path = tmp_path / f"set-{index}.yaml"
        path.write_text(text)
        try:
            [task] = render_paths(path, template_dirs=[USER_TEMPLATES], kapacitor_version=version)
        except ParameterError as exc:
            message = str(exc)
            if any(marker in message for marker in _TEMPLATE_BUG):
                tally.fail(
                    keys,
                    f"tickgen template bug: {_refusal_class(message)}",
                    f"{where}: tickgen blames its own template:\n{message}\n{text}",
                )
            else:
                tally.count(keys, "refused")
                tally.refusals[_refusal_class(message)] += 1
                return True
            return False
        except Exception as exc:  # a crash is never a verdict
            pytest.fail(f"{where}: tickgen raised {exc!r}\nparameters:\n{text}", pytrace=True)
        finally:
            path.unlink()

        try:
            complaint = _check_on_server(client, task.id, task.script, task.dbrps, task.type)
        except TransportError as exc:  # no answer: did this set stop the server?
            state = "kapacitord has died" if not kapacitor.running else "kapacitord did not answer"
            pytest.fail(
                f"{where}: {state} ({exc}).\nparameters:\n{text}\nscript:\n{task.script}",
                pytrace=False,
            )
        if complaint is None:
            tally.count(keys, "ran")
            return False
        tally.fail(
            keys,
            _class(complaint.splitlines()[0]),
            f"{where}: tickgen accepted it, kapacitord did not.\n"
            f"server: {complaint}\nparameters:\n{text}",
            task.script,
        )
        return False

    # A set tickgen refuses proves little about the server: draw again in the same
    # turn (template and handler kind), so most turns reach kapacitord.
    for index in range(count):
        for attempt in range(ATTEMPTS):
            if not one_set(index, attempt):
                break

    summary = (
        f"seed {seed}, {count} sets on kapacitord {version}\n{tally.table()}\n"
        "tickgen refused (its verdict, by class):\n"
        + "".join(f"  {n:4} {c}\n" for c, n in tally.refusals.most_common())
    )
    print(summary)
    classes = "".join(f"  {n:4} {c}\n" for c, n in tally.failure_classes.most_common())
    report: str | None = request.config.getoption("--differential-report")
    if report:
        Path(report).write_text(
            f"{summary}\nfailure classes:\n{classes}\n" + "\n---\n".join(tally.failures),
            encoding="utf-8",
        )
    if tally.failures:
        shown = "\n---\n".join(tally.examples.values())
        pytest.fail(
            f"{len(tally.failures)} of {count} schema-valid sets failed on kapacitord "
            f"(rerun: --differential-seed {seed} --differential-count {count}).\n"
            f"failure classes:\n{classes}\n{summary}\nthe first failure of each class "
            f"(scripts: --differential-report FILE):\n{shown}",
            pytrace=False,
        )
