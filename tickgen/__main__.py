"""``python -m tickgen``: the same as the ``tickgen`` command."""

from .cli import console_main

console_main()
