"""DBRP: a database and retention policy, the one shape of that fact from parameters to client.

An alert's ``dbrps`` parameter, a rendered task's dbrps, a target's default
dbrps, the desired and live tasks a plan compares, and what the client sends and
decodes are all tuples of this one frozen, hashable, ordered value.  Its two
outside forms are written here and nowhere else:

* Kapacitor's JSON (``{"db": "telegraf", "rp": "autogen"}``, Go's ``client.DBRP``):
  ``DBRP.from_json`` / ``DBRP.to_json``; parameter files and ``tickgen.toml`` use
  the same object form;
* TICKscript's ``"telegraf"."autogen"`` (after ``dbrp``, and in plans):
  ``str(dbrp)``, written as Kapacitor's ``DBRPNode.Format`` writes it.

The type itself accepts any two strings, as Kapacitor does; the parameter models
validate it with the constraints below (names not empty, no other keys), which
are also what ``schemas/*.schema.json`` says (``scripts/gen-schemas``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import ConfigDict, Field

__all__ = ["DBRP"]


@dataclass(frozen=True, order=True, slots=True)
class DBRP:
    """A database and retention policy a task reads from; ``DBRP("telegraf", "autogen")``.

    Equal pairs are equal and hash alike; pairs sort by database, then retention
    policy (a plan lists them sorted: Kapacitor does not care about their order).
    """

    # How the parameter models validate it: the object form, names not empty.
    # A DBRP built in Python is checked again when it enters a model.
    __pydantic_config__ = ConfigDict(
        extra="forbid",
        revalidate_instances="always",
        json_schema_extra={"description": "A database and retention policy the task reads from."},
    )

    db: Annotated[str, Field(min_length=1, description="Database name.")]
    rp: Annotated[str, Field(min_length=1, description="Retention policy name.")]

    @classmethod
    def from_json(cls, value: object) -> DBRP:
        """The DBRP of Kapacitor's ``{"db": ..., "rp": ...}`` (other keys are ignored).

        ValueError unless ``value`` is an object with a ``db`` and an ``rp`` string.
        """
        if isinstance(value, Mapping):
            db, rp = value.get("db"), value.get("rp")
            if isinstance(db, str) and isinstance(rp, str):
                return cls(db, rp)
        raise ValueError(f'a dbrp is an object {{"db": "...", "rp": "..."}}, not {value!r}')

    def to_json(self) -> dict[str, str]:
        """Kapacitor's JSON object, keys in its order: ``{"db": ..., "rp": ...}``."""
        return {"db": self.db, "rp": self.rp}

    def __str__(self) -> str:
        """The TICKscript form ``"db"."rp"``, unescaped as Kapacitor's formatter writes it."""
        return f'"{self.db}"."{self.rp}"'
