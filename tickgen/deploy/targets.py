"""Where to deploy: named targets from ``tickgen.toml``, or one server from ``--url``.

A project config names environments::

    default_target = "staging"      # used without --target, --url or $KAPACITOR_URL

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

The file is read and checked by :mod:`tickgen.project` (``--config FILE``, else
``$TICKGEN_CONFIG``, else ``tickgen.toml`` in the current directory); this module
turns its tables into Targets and checks what needs the HTTP client (the URL).
Secrets are read from the named variables when a client is made and are never
part of a Target's repr or of any message.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tickgen.client import AsyncKapacitorClient, Deadline
from tickgen.client.settings import DEFAULT_URL, url_problem
from tickgen.dbrp import DBRP
from tickgen.errors import ConfigError
from tickgen.project import CONFIG_ENV, CONFIG_NAME, Project, find_config, load_project

from .ownership import DEFAULT_OWNER
from .state import DeployError, dbrp_set


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
    return project_targets(load_project(config))


def project_targets(project: Project) -> dict[str, Target]:
    """The targets of a checked project file; ConfigError for a URL the client refuses."""
    targets: dict[str, Target] = {}
    problems = []
    for name, table in project.targets.items():
        problem = url_problem(table.url)
        if problem is not None:
            problems.append(project.problem(("targets", name, "url"), problem))
            continue
        targets[name] = Target(
            name=name,
            url=table.url,
            username_env=table.username_env,
            password_env=table.password_env,
            token_env=table.token_env,
            dbrps=dbrp_set(table.dbrps),
            id_prefix=table.id_prefix,
            kapacitor_version=table.kapacitor_version,
            owner=table.owner or project.owner or table.id_prefix or DEFAULT_OWNER,
        )
    if problems:
        raise ConfigError(problems)
    return targets


def resolve_targets(
    names: Sequence[str],
    url: str | None,
    config_path: str | Path | None,
    *,
    project: Project | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Target]:
    """The targets of one run: ``--target`` names from the config, else ``--url``, else
    ``$KAPACITOR_URL``, else the config's ``default_target``, else the local default.

    ``project`` is the project file already read (the CLI reads it once per run);
    without it, the file is found from ``config_path``.
    """
    env = os.environ if env is None else env
    if names and url:
        raise DeployError("give either --url or --target, not both")
    if not names and (url or env.get("KAPACITOR_URL")):
        return [url_target(url, env)]
    if project is None:
        config = find_config(config_path, env=env)
        project = load_project(config) if config is not None else None
    if not names:
        if project is None or project.default_target is None:
            return [url_target(url, env)]
        names = [project.default_target]
    if project is None:
        raise DeployError(
            f"--target needs a project file: no {CONFIG_NAME} here, no --config and no "
            f"${CONFIG_ENV}; write one with [targets.NAME] tables (see examples/tickgen.toml)"
        )
    known = project_targets(project)
    missing = [n for n in names if n not in known]
    if missing:
        names_known = ", ".join(sorted(known)) or "(none)"
        close = difflib.get_close_matches(missing[0], sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DeployError(
            f"{project.name}: no target named {', '.join(missing)}{hint}; known: {names_known}"
        )
    return [known[n] for n in dict.fromkeys(names)]
