"""Importing: live Kapacitor tasks and Chronograf rules back into parameter files.

    live task script ─ tasks.params_from_script ─┐
                                                 ├─ paramfile.render_params ─> Imported
    Chronograf rule ─ chronograf.params_from_rule┘

The reverse of rendering.  A script is read back into the parameters of a
built-in template (:mod:`.tasks`, with handlers read through :mod:`.handlers`),
a Chronograf rule is mapped onto them (:mod:`.chronograf`), and every import is
rendered again and compared with what runs (:mod:`.paramfile`): only an exact
match is written, so an import never changes an alert.  Importing only reads
from a server; deploying lives in :mod:`tickgen.deploy`.
"""

from __future__ import annotations

from .chronograf import import_rule, load_rules
from .paramfile import Imported, ImportProblem, write_params
from .tasks import import_task, import_tasks, params_from_script

__all__ = [
    "ImportProblem",
    "Imported",
    "import_rule",
    "import_task",
    "import_tasks",
    "load_rules",
    "params_from_script",
    "write_params",
]
