"""The shape of the project file, ``tickgen.toml``, as pydantic models.

They are the source of truth of its JSON Schema: ``scripts/gen-schemas`` writes
``schemas/project/tickgen.schema.json`` from them (editors validate and complete
the file with it), and :func:`tickgen.project.load_project` checks a file
against that schema, then builds :class:`ProjectFile` from it.  What a schema
cannot say (a version tickgen knows, a default target that exists, a task id
prefix in Unicode letters) is checked by :mod:`tickgen.project`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from .dbrp import DBRP

__all__ = ["ProjectFile", "TargetTable"]

ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
VERSION = r"^v?[0-9]+\.[0-9]+(\.[0-9]+)?$"
OWNER = r"^[A-Za-z0-9._-]{1,255}$"
URL = r"^https?://[^/?#\s]+"

_FORBID = ConfigDict(extra="forbid")



def _says(reason: str) -> Any:
    """What tickgen says when a value does not match the pattern (tickgen.schema.ERROR_KEY)."""
    return Field(json_schema_extra={"x-tickgen-error": {"pattern": reason}})


# Optional keys: TOML has no null, so the schema says only what may be written.
EnvName = (
    Annotated[
        str,
        StringConstraints(pattern=ENV_NAME),
        _says(
            "is not the name of an environment variable: write letters, digits and '_', "
            "not starting with a digit (the variable's name, never the secret)"
        ),
    ]
    | SkipJsonSchema[None]
)
Version = (
    Annotated[
        str,
        StringConstraints(pattern=VERSION),
        _says("is not a Kapacitor version: write one such as \"1.8\" or \"1.7.7\""),
    ]
    | SkipJsonSchema[None]
)
Owner = (
    Annotated[
        str,
        StringConstraints(pattern=OWNER),
        _says("is not an owner: write 1 to 255 letters, digits, '-', '.' or '_'"),
    ]
    | SkipJsonSchema[None]
)
Paths = Annotated[list[Annotated[str, StringConstraints(min_length=1)]], Field(min_length=1)]


def _env(what: str, example: str) -> Any:
    return Field(
        default=None,
        description=f"The environment variable that holds the {what} (never the secret "
        "itself: it is read when tickgen talks to the server).",
        examples=[example],
    )


class TargetTable(BaseModel):
    """A Kapacitor server that ``tickgen plan`` and ``apply`` deploy to (``--target NAME``)."""

    model_config = _FORBID
    url: Annotated[
        str,
        StringConstraints(pattern=URL),
        _says("is not an http(s) URL: write http://HOST:PORT or https://HOST:PORT"),
    ] = Field(
        description="The server's URL, http(s)://HOST:PORT, with a path prefix if it has one.",
        examples=["https://kapacitor.prod.example.com:9092"],
    )
    username_env: EnvName = _env("username", "KAP_USER")
    password_env: EnvName = _env("password", "KAP_PASS")
    token_env: EnvName = _env("bearer token", "KAP_TOKEN")
    dbrps: list[DBRP] = Field(
        default_factory=list,
        description="The dbrps of tasks whose parameters name none.",
    )
    id_prefix: str = Field(
        default="",
        description="Put before every task id on this server (letters, digits, '-', '.', "
        "'_'); --prune deletes only tasks with it.",
        examples=["prod-"],
    )
    kapacitor_version: Version = Field(
        default=None,
        description="Render and check for this Kapacitor version instead of asking the server.",
        examples=["1.7"],
    )
    owner: Owner = Field(
        default=None,
        description="Whose tasks these are on this server (default: the top-level owner, "
        "else id_prefix, else 'default'); --prune deletes only this owner's tasks.",
    )


class ProjectFile(BaseModel):
    """tickgen's project file (tickgen.toml): the alerts of a project, their templates
    and defaults, and the Kapacitor servers they are deployed to."""

    model_config = ConfigDict(extra="forbid", title="tickgen.toml")
    paths: Paths | SkipJsonSchema[None] = Field(
        default=None,
        description="The parameter files and directories of the project, relative to this "
        "file: what render, validate, lint, plan and apply read when no FILE|DIR is given.",
        examples=[["alerts/"]],
    )
    template_dirs: Paths | SkipJsonSchema[None] = Field(
        default=None,
        description="Directories of the project's own templates (NAME.tick.j2 + "
        "NAME.schema.json), relative to this file; --templates replaces them.",
        examples=[["templates/"]],
    )
    defaults: dict[str, Any] = Field(
        default_factory=dict,
        description="Parameters merged into every alert, under a parameter file's own "
        "defaults and the alert's values (mappings merge key by key; lists and other "
        "values are replaced).",
        examples=[{"database": "telegraf", "retention_policy": "autogen"}],
    )
    default_target: Annotated[str, StringConstraints(min_length=1)] | SkipJsonSchema[None] = Field(
        default=None,
        description="The target plan and apply use without --target, --url or "
        "$KAPACITOR_URL.",
        examples=["staging"],
    )
    kapacitor_version: Version = Field(
        default=None,
        description="The Kapacitor version render, validate and lint check for without "
        "--kapacitor-version (default 1.8).",
        examples=["1.8"],
    )
    owner: Owner = Field(
        default=None,
        description="Whose tasks these are: written into every deployed task's mark; "
        "--prune deletes only this owner's tasks. A target's own owner wins.",
        examples=["ops-alerts"],
    )
    targets: dict[str, TargetTable] = Field(
        default_factory=dict,
        description="The Kapacitor servers, as [targets.NAME] tables.",
    )
