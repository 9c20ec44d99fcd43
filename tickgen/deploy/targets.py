"""Where to deploy: named targets from ``tickgen.toml``, or one server from ``--url``.

A project config names environments::

    [targets.prod]
    url = "https://kapacitor.prod.example.com:9092"
    username_env = "KAP_USER"       # credentials come only from the environment
    password_env = "KAP_PASS"
    # token_env = "KAP_TOKEN"       # a bearer token instead
    dbrps = [{ db = "telegraf", rp = "autogen" }]  # for tasks that name none
    id_prefix = "prod-"             # every task id gets it; prune stays inside it
    # owner = "payments"            # whose tasks these are (default: the top-level owner,
                                    # else id_prefix, else "default"); prune deletes only these
    # kapacitor_version = "1.7"     # render for this version instead of asking the server

A top-level ``owner = "payments"`` names the owner of every target that names
none (a target's own ``owner`` wins; without either, a target's owner is its
``id_prefix``, else the default owner): tickgen writes it into the mark of
each task it deploys, and ``--prune`` deletes only tasks of the same owner.

A top-level ``kapacitor_version = "1.8"`` is the version the offline commands
(render, validate, lint) check for when ``--kapacitor-version`` is not given.
The file is ``--config FILE``, else ``tickgen.toml`` in the current directory.
Secrets are read from the named variables when a client is made and are never
part of a Target's repr or of any message.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tickgen.client import AsyncKapacitorClient, Deadline
from tickgen.client.settings import DEFAULT_URL, url_problem
from tickgen.dbrp import DBRP
from tickgen.models import task_id_problem
from tickgen.project import CONFIG_NAME, config_version, find_config, read_config

from .ownership import DEFAULT_OWNER, owner_problem
from .state import DeployError, dbrp_set

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover - exercised on 3.10 only
    pass

_TARGET_KEYS = {
    "url",
    "username_env",
    "password_env",
    "token_env",
    "dbrps",
    "id_prefix",
    "kapacitor_version",
    "owner",
}


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    username_env: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    dbrps: tuple[DBRP, ...] = ()
    id_prefix: str = ""
    kapacitor_version: str | None = None  # a pin; None: ask the server (deploy.versions)
    owner: str = DEFAULT_OWNER  # written into the mark; prune deletes only this owner's tasks

    def client(
        self, *, timeout: float = 30.0, deadline: Deadline | float | None = None
    ) -> AsyncKapacitorClient:
        """An async client with the credentials the environment holds for this target;
        with ``deadline``, none of its requests outlives it (its ``overall_deadline``)."""
        return AsyncKapacitorClient(
            self.url,
            username=self._secret(self.username_env),
            password=self._secret(self.password_env),
            token=self._secret(self.token_env),
            timeout=timeout,
            overall_deadline=deadline,
        )

    def _secret(self, variable: str | None) -> str | None:
        if variable is None:
            return None
        value = os.environ.get(variable)
        if value is None:
            raise DeployError(
                f"target {self.name}: environment variable {variable} is not set"
            )
        return value


def url_target(url: str | None, env: Mapping[str, str] | None = None) -> Target:
    """The target of ``--url``, else ``$KAPACITOR_URL``, else the local default."""
    env = os.environ if env is None else env
    chosen, origin = (url, "--url") if url else (env.get("KAPACITOR_URL"), "$KAPACITOR_URL")
    if chosen:
        problem = url_problem(chosen)
        if problem is not None:
            raise DeployError(f"{origin}: {problem}")
    return Target(name="default", url=chosen or DEFAULT_URL)


def load_targets(config: Path) -> dict[str, Target]:
    """Every ``[targets.NAME]`` table of a config file, checked."""
    data = read_config(config)
    tables = data.get("targets", {})
    if not isinstance(tables, dict):
        raise DeployError(f"{config}: 'targets' must be a table of [targets.NAME] tables")
    owner = data.get("owner")
    if owner is not None:
        problem = owner_problem(owner)
        if problem:
            raise DeployError(f"{config}: {problem} (got {owner!r})")
    return {name: _target(config, name, table, owner) for name, table in tables.items()}


def _target(config: Path, name: str, table: Any, project_owner: str | None = None) -> Target:
    where = f"{config}: [targets.{name}]"
    if not isinstance(table, dict):
        raise DeployError(f"{where} must be a table")
    unknown = sorted(set(table) - _TARGET_KEYS)
    if unknown:
        known = ", ".join(sorted(_TARGET_KEYS))
        raise DeployError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {known}")
    url = table.get("url")
    if not isinstance(url, str) or not url:
        raise DeployError(f"{where}: 'url' is required")
    problem = url_problem(url)
    if problem is not None:
        raise DeployError(f"{where}: url: {problem}")
    strings: dict[str, str | None] = {}
    for key in ("username_env", "password_env", "token_env"):
        value = table.get(key)
        if value is not None and not (isinstance(value, str) and value):
            raise DeployError(f"{where}: {key!r} must name an environment variable")
        strings[key] = value
    id_prefix = table.get("id_prefix", "")
    if not isinstance(id_prefix, str) or (id_prefix and task_id_problem(id_prefix, whole=False)):
        raise DeployError(f"{where}: id_prefix must be letters, digits, '-', '.' or '_'")
    owner = table.get("owner")
    if owner is not None:
        problem = owner_problem(owner)
        if problem:
            raise DeployError(f"{where}: {problem} (got {owner!r})")
    pinned = table.get("kapacitor_version")
    if pinned is not None:
        pinned = config_version(f"{where}: kapacitor_version", pinned)
    return Target(
        name=name,
        url=url,
        username_env=strings["username_env"],
        password_env=strings["password_env"],
        token_env=strings["token_env"],
        dbrps=_dbrps(where, table.get("dbrps", [])),
        id_prefix=id_prefix,
        kapacitor_version=pinned,
        owner=owner or project_owner or id_prefix or DEFAULT_OWNER,
    )


def _dbrps(where: str, value: Any) -> tuple[DBRP, ...]:
    if not isinstance(value, list):
        raise DeployError(f"{where}: dbrps must be a list of {{ db = ..., rp = ... }}")
    try:
        return dbrp_set(DBRP.from_json(item) for item in value)
    except ValueError:
        raise DeployError(f"{where}: each dbrp needs a 'db' and an 'rp' string") from None


def resolve_targets(
    names: Sequence[str], url: str | None, config_path: str | Path | None
) -> list[Target]:
    """The targets of one run: ``--target`` names from the config, else ``--url``."""
    if names and url:
        raise DeployError("give either --url or --target, not both")
    if not names:
        return [url_target(url)]
    config = find_config(config_path)
    if config is None:
        raise DeployError(f"--target needs a config file: no {CONFIG_NAME} here and no --config")
    known = load_targets(config)
    missing = [n for n in names if n not in known]
    if missing:
        names_known = ", ".join(sorted(known)) or "(none)"
        raise DeployError(f"{config}: no target named {', '.join(missing)}; known: {names_known}")
    return [known[n] for n in dict.fromkeys(names)]
