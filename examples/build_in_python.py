"""Build alerts in Python and print their scripts: one threshold per service.

python examples/build_in_python.py
"""

from __future__ import annotations

import tickgen

SERVICES = {"checkout": 250, "search": 120, "login": 80}


def latency_alert(service: str, limit_ms: int) -> tickgen.Threshold:
    return tickgen.Threshold(
        id=f"latency-{service}",
        database="apps",
        measurement="requests",
        field="duration_ms",
        where={"service": [service]},
        aggregate=tickgen.Aggregate(function="percentile", percentile=95, period="5m", every="1m"),
        crit=tickgen.Comparison(op=">", value=limit_ms),
        warn=tickgen.Comparison(op=">", value=limit_ms * 0.8),
        message=f'p95 latency of {service} is {{{{ index .Fields "value" }}}} ms',
        topic="latency",
    )


def main() -> None:
    for service, limit in SERVICES.items():
        task = tickgen.render_task(latency_alert(service, limit))
        print(f"// task {task.id}: {task.payload()['dbrps']}")
        print(task.script)


if __name__ == "__main__":
    main()
