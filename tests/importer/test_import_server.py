"""tickgen import against the real Kapacitor: live scripts back into parameter files.

Tasks made from each built-in template (deployed by tickgen apply) and tasks
holding Chronograf's scripts (made by hand here, as Chronograf would) are
imported; rendering the files gives back each live script byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests import servers
from tests.deploy.conftest import BUILTIN_ALERTS, run_cli
from tickgen.client import DBRP, KapacitorClient
from tickgen.deploy import strip_marker
from tickgen.pipeline import render_paths

CHRONOGRAF = Path(__file__).parent / "chronograf"
EXAMPLES = Path(__file__).parents[2] / "examples"



@pytest.mark.slow
def test_import_then_render_reproduces_live_scripts(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    for params in BUILTIN_ALERTS:
        (alerts / f"{params['id']}.yaml").write_text(yaml.safe_dump(params))
    (alerts / "seed.yaml").write_text((EXAMPLES / "account_login_relative.yaml").read_text())
    config = project(kapacitor.url, id_prefix="imp-")
    code, out, err = run_cli(capsys, "apply", str(alerts), "--config", str(config), "--target", "test")
    assert code == 0, out + err

    dbrp = [DBRP(db="telegraf", rp="autogen")]
    by_hand = {
        "imp-chronograf-cpu": (CHRONOGRAF / "cpu_high.tick").read_text(),
        "imp-chronograf-disk": (CHRONOGRAF / "disk_used.tick").read_text(),
        # Chronograf's script with its duplicated .stateChangesOnly(): tickgen writes it once,
        # so the import would change the script and is refused
        "imp-chronograf-login": (CHRONOGRAF / "account_login.tick").read_text(),
        "imp-plain": "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n",
    }
    out_dir = tmp_path / "imported"
    with KapacitorClient(kapacitor.url) as client:
        for task_id, script in by_hand.items():
            client.create_task(task_id, script, dbrps=dbrp)
        try:
            code, out, err = run_cli(
                capsys, "import", "--url", kapacitor.url, "--pattern", "imp-*", "--out", str(out_dir)
            )
            assert code == 0, err
            live = {t.id: t for t in client.list_tasks(pattern="imp-*", script_format="raw")}
        finally:
            for task_id in [*by_hand, *(f"imp-{p['id']}" for p in BUILTIN_ALERTS), "imp-dutianze-t"]:
                client.delete_task(task_id)

    imported = sorted(p.stem for p in out_dir.iterdir())
    expected = sorted(
        [f"imp-{p['id']}" for p in BUILTIN_ALERTS]
        + ["imp-dutianze-t", "imp-chronograf-cpu", "imp-chronograf-disk"]
    )
    assert imported == expected
    assert out.startswith(f"wrote {len(expected)} parameter file(s) to {out_dir}\nnot imported (2):\n")
    assert "  imp-chronograf-login: the parameters read back render a different script: line" in out
    assert "  imp-plain: not in the layout of Chronograf's rule builder or tickgen" in out

    for task_id in imported:
        (task,) = render_paths(out_dir / f"{task_id}.yaml")
        assert task.script == strip_marker(live[task_id].script), task_id
        assert task.status == live[task_id].status
        assert sorted(task.dbrps) == sorted(live[task_id].dbrps)
    params = yaml.safe_load((out_dir / "imp-dutianze-t.yaml").read_text())
    assert params["name"] == "dutianze-t"
    assert params["change"] == "percent"
    assert params["shift"] == "10m"


def test_import_from_a_target_takes_its_prefix_off_and_plans_clean(
    kapacitor: servers.Server,
    tmp_path: Path,
    project: Callable[..., Path],
    unique_id: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``import --target`` reads what ``apply --target`` wrote; the files plan clean there."""
    prefix = unique_id("tgt") + "."
    # threshold-full lists its handlers in another order than its script: the file read
    # back lists them as the script does, and the mark must not see a change in that
    chosen = list(BUILTIN_ALERTS)
    assert any(p["id"] == "threshold-full" for p in chosen)
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    for params in chosen:
        (alerts / f"{params['id']}.yaml").write_text(yaml.safe_dump(params))
    config = project(kapacitor.url, id_prefix=prefix)
    with KapacitorClient(kapacitor.url) as client:
        # a task outside the target's prefix is not the target's: not imported
        outsider = unique_id("outside")
        client.create_task(outsider, "stream\n    |from()\n        .measurement('cpu')\n", dbrps=[DBRP("telegraf", "autogen")])
        try:
            code, out, err = run_cli(capsys, "apply", str(alerts), "--config", str(config), "--target", "test")
            assert code == 0, out + err
            out_dir = tmp_path / "imported"
            code, out, err = run_cli(
                capsys, "import", "--config", str(config), "--target", "test", "--out", str(out_dir)
            )
            assert code == 0, err
            assert sorted(p.stem for p in out_dir.iterdir()) == sorted(p["id"] for p in chosen)
            assert f"imported from target test ({kapacitor.url}" in (out_dir / "deadman.yaml").read_text()
            # --pattern matches the ids as written, after the prefix
            picked = tmp_path / "picked"
            code, out, err = run_cli(
                capsys, "import", "--config", str(config), "--target", "test",
                "--pattern", "relative-*", "--out", str(picked),
            )
            assert code == 0, err
            assert sorted(p.stem for p in picked.iterdir()) == ["relative-abs", "relative-up"]

            code, out, err = run_cli(
                capsys, "plan", str(out_dir), "--config", str(config), "--target", "test",
                "--detailed-exitcode",
            )
            assert code == 0, out + err  # nothing to change: the files are what runs there
        finally:
            client.delete_task(outsider)
            for params in chosen:
                client.delete_task(f"{prefix}{params['id']}")


def test_import_refuses_a_target_with_a_rules_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(
        capsys, "import", "chronograf", str(CHRONOGRAF / "rules.json"), "--target", "prod",
        "--out", str(tmp_path),
    )
    assert code == 1
    assert "--url, --target and --pattern read a server; a rules file needs none of them" in err
