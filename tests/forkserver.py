"""Runs ``python -m tickgen`` many times, each run in its own process forked from one server.

Starting a fresh interpreter and importing tickgen costs about half a CPU second,
far more than most runs of the hostile corpus (tests/hostile) and of the client's
bounds (tests/client/test_client_bounds.py) take once tickgen is loaded.  The
server is started once (per test module and pytest worker) under the tests'
memory limit (``RLIMIT_AS``, which ``fork`` passes on: each run's process has its
own limit over its own address space), imports the modules the commands import,
and then forks one child per run.  The child is a separate process, as a fresh
``python -m tickgen`` would be: its own working directory, standard streams
(stdin from /dev/null, stdout and stderr into files), ``sys.argv`` and
``sys.path[0]`` as ``-m`` sets them; it runs tickgen's ``__main__`` with
:func:`runpy.run_module`, exactly as ``-m`` does, and ends the way that
interpreter would: ``sys.exit``'s code, a traceback and exit 1 on an uncaught
exception, ``atexit`` handlers and flushed streams on the way out.  Nothing a
run changes (modules imported, caches filled, signal handlers, the collector's
thresholds, the environment) reaches the server or the next run.  The server waits for each
child with a hang timeout and kills it when that passes.

Protocol, one JSON object per line: the request ``{"argv", "cwd", "env", "stdout",
"stderr", "timeout"}`` on the server's stdin (``env``: the child's whole environment); the answer ``{"returncode",
"timed_out"}`` on its stdout.  The server itself never touches ``sys.stdin`` or
``sys.stdout`` (it reads and writes the file descriptors), so the child's stream
objects start empty, as in a fresh process.

:class:`ForkServer` starts the server (this file, run by path; as a script it
imports nothing from the tests) and sends it the runs.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import resource
import runpy
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

# What ``tickgen.__main__`` and the commands the tests run (render, validate, lint,
# fmt, plan, apply, import) import before they look at their input.
PRELOAD = (
    "tickgen.cli", "tickgen.params", "tickgen.pipeline", "tickgen.tick", "tickgen.client",
    "tickgen.deploy",
)  # fmt: skip


def _read_line(fd: int) -> bytes:
    """One line from ``fd``, read unbuffered (nothing is left behind for a child)."""
    line = bytearray()
    while not line.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            break
        line += chunk
    return bytes(line)


def _child(request: dict[str, Any]) -> NoReturn:
    """Become ``python -m tickgen *argv`` run in ``cwd``; never returns."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    stdin = os.open(os.devnull, os.O_RDONLY)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    stdout = os.open(request["stdout"], flags, 0o600)
    stderr = os.open(request["stderr"], flags, 0o600)
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
        os.close(fd)
    sys.argv = ["-m", *request["argv"]]  # run_module puts the file of __main__ first
    sys.path[0] = os.getcwd()  # what -m puts first
    runpy.run_module("tickgen", run_name="__main__", alter_sys=True)
    # tickgen's __main__ ends with sys.exit; an exception propagates from here and
    # the interpreter prints its traceback and exits 1, as it would for -m.
    raise SystemExit(0)


def _wait(pid: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return {"returncode": os.waitstatus_to_exitcode(status), "timed_out": False}
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            return {"returncode": os.waitstatus_to_exitcode(status), "timed_out": True}
        time.sleep(0.005)


def main() -> None:
    # What tickgen.cli.console_main sets before anything builds a model; set here
    # too, so that the preloaded modules are in the state a command's would be.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    sys.path[0] = os.getcwd()  # not this file's directory: what -m would put first
    for name in PRELOAD:
        importlib.import_module(name)
    while line := _read_line(0):
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)  # the child's SystemExit ends the child here
        answer = json.dumps(_wait(pid, request["timeout"])) + "\n"
        os.write(1, answer.encode("utf-8"))


if __name__ == "__main__":
    main()


def _text(path: Path) -> str:
    """As ``subprocess.run(text=True, errors="replace")`` reads a stream: universal newlines."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ForkServer:
    """The test side: ``run`` is ``subprocess.run([python, "-m", "tickgen", *argv], ...)``
    with a memory limit, captured text output and a hang timeout, served by the server."""

    def __init__(
        self, scratch: Path, env: Mapping[str, str], *, memory_limit: int, hang: float
    ) -> None:
        self._scratch = scratch  # the runs' captured output; not any run's directory
        self._env = dict(env)  # the server's, and each run's unless it adds to it
        self._hang = hang
        self._runs = itertools.count()

        def limit_memory() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

        self._server = subprocess.Popen(
            [sys.executable, __file__],
            cwd=scratch,
            env=self._env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            preexec_fn=limit_memory,
        )

    def run(
        self, argv: Sequence[str], cwd: Path, extra_env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        n = next(self._runs)
        out, err = self._scratch / f"{n}.stdout", self._scratch / f"{n}.stderr"
        env = {**self._env, **(extra_env or {})}
        request = {"argv": list(argv), "cwd": str(cwd), "env": env, "stdout": str(out),
                   "stderr": str(err), "timeout": self._hang}  # fmt: skip
        assert self._server.stdin and self._server.stdout
        self._server.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        self._server.stdin.flush()
        line = self._server.stdout.readline()
        assert line, f"the fork server exited {self._server.wait()}"
        answer = json.loads(line)
        if answer["timed_out"]:
            raise subprocess.TimeoutExpired([sys.executable, "-m", "tickgen", *argv], self._hang)
        return subprocess.CompletedProcess(argv, answer["returncode"], _text(out), _text(err))

    def close(self) -> None:
        assert self._server.stdin and self._server.stdout
        self._server.stdin.close()  # end of requests: the server returns
        self._server.wait(timeout=self._hang)
        self._server.stdout.close()
