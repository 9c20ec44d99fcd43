"""Generated parameter files: many alerts of the three built-in templates, with handlers.

Each file holds ``per_file`` alerts under ``alerts`` with shared ``defaults``
(database, retention policy, handlers), the layout a team with many alerts
would write.  Alerts cycle through threshold, relative and deadman and through
a few handler mixes, so every template and the handler rendering are exercised
in the same proportions at every size.  ``variant`` changes every alert's
message (and so every script) without changing its id: the corpus of an update.
``distinct`` gives every alert a where filter of its own (``region-<index>``), so
that no two scripts have the same shape (tickgen/shapes.py: a where filter is
one fragment of the script, kept whole in its shape): the shape cache's worst case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["DEFAULT_PER_FILE", "alert_params", "write_corpus"]

DEFAULT_PER_FILE = 100

_MEASUREMENTS = (
    ("cpu", "usage_user"),
    ("mem", "used_percent"),
    ("disk", "used_percent"),
    ("net", "bytes_recv"),
    ("system", "load5"),
)
# Handler mixes in addition to the defaults' slack handler; an alert's own
# ``handlers`` replaces the defaults' list (lists are not merged), so each mix
# repeats slack to keep every alert notifying somewhere.
_HANDLER_MIXES: tuple[list[dict[str, Any]], ...] = (
    [],  # the defaults' handlers
    [
        {"kind": "slack", "channel": "#ops"},
        {"kind": "email", "to": ["oncall@example.com"]},
    ],
    [
        {"kind": "slack", "channel": "#db"},
        {"kind": "pagerDuty2", "routing_key": "0123456789abcdef0123456789abcdef"},
        {"kind": "log", "path": "/var/log/kapacitor/alerts.log"},
    ],
    [
        {
            "kind": "post",
            "url": "https://hooks.example.com/kapacitor",
            "headers": {"X-Source": "kapacitor"},
        },
        {"kind": "teams", "channel_url": "https://outlook.office.com/webhook/replace-me"},
    ],
)


def alert_params(index: int, variant: int = 0, *, distinct: bool = False) -> dict[str, Any]:
    """The parameters of alert ``index`` (the file's defaults supply database and handlers)."""
    measurement, field = _MEASUREMENTS[index % len(_MEASUREMENTS)]
    template = ("threshold", "relative", "deadman")[index % 3]
    params: dict[str, Any] = {
        "template": template,
        "id": f"bench-{index:06d}",
        "measurement": measurement,
        "group_by": ["host"] if index % 2 else ["host", "region"],
        "where": {"region": [f"region-{index if distinct else index % 7}"], "env": ["prod"]},
        "message": f"{{{{ .ID }}}} is {{{{ .Level }}}} (alert {index}, variant {variant})",
    }
    mix = _HANDLER_MIXES[index % len(_HANDLER_MIXES)]
    if mix:
        params["handlers"] = mix
    if template == "deadman":
        params["period"] = "5m"
        params["threshold"] = float(index % 5)
        return params
    params["field"] = field
    params["aggregate"] = {"function": "mean", "period": "5m", "every": "1m"}
    params["crit"] = {"op": ">", "value": 90 + index % 10}
    if index % 4 == 0:
        params["warn"] = {"op": ">", "value": 80 + index % 10}
    if template == "relative":
        params["change"] = "percent" if index % 2 else "absolute"
        params["shift"] = "10m"
    return params


def _defaults() -> dict[str, Any]:
    return {
        "database": "telegraf",
        "retention_policy": "autogen",
        "handlers": [{"kind": "slack", "channel": "#alerts"}],
    }


def write_corpus(
    directory: Path,
    count: int,
    *,
    per_file: int = DEFAULT_PER_FILE,
    variant: int = 0,
    distinct: bool = False,
) -> list[Path]:
    """Write ``count`` alerts into YAML files of ``per_file`` alerts each; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for start in range(0, count, per_file):
        alerts = [
            alert_params(i, variant, distinct=distinct)
            for i in range(start, min(start + per_file, count))
        ]
        path = directory / f"alerts-{start // per_file:05d}.yaml"
        text = yaml.dump({"defaults": _defaults(), "alerts": alerts}, sort_keys=False, width=120)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files
