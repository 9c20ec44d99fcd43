"""Build-time generators, kept apart from the runtime package.

* :mod:`.schemagen` writes ``schemas/*.schema.json`` from the pydantic models
  (``scripts/gen-schemas``);
* :mod:`.docgen` writes ``docs/parameters.md`` from those schemas
  (``scripts/gen-docs``);
* :mod:`.unasync` writes the blocking client ``tickgen/client/_sync.py`` from the
  asyncio one, ``_async.py`` (``scripts/gen-sync-client``).

Only those scripts and the tests that fail when a generated file is stale
import this package; no command imports it at run time (``tests/cli/test_startup.py``
checks that).  The generated files are what tickgen reads when it runs.
"""
