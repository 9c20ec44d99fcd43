"""Runs ``python -m tickgen`` for many hostile cases, each in its own forked process.

Starting a fresh interpreter and importing tickgen costs about half a CPU second,
far more than most hostile cases take once tickgen is loaded.  This server is
started once (per pytest worker) under the memory limit of the hostile test
(``RLIMIT_AS``, which ``fork`` passes on: each case's process has its own limit
over its own address space), imports the modules every command imports, and then
forks one child per case.  The child is a separate process, as a fresh
``python -m tickgen`` would be: its own working directory, standard streams
(stdin from /dev/null, stdout and stderr into files), ``sys.argv`` and
``sys.path[0]`` as ``-m`` sets them; it runs tickgen's ``__main__`` with
:func:`runpy.run_module`, exactly as ``-m`` does, and ends the way that
interpreter would: ``sys.exit``'s code, a traceback and exit 1 on an uncaught
exception, ``atexit`` handlers and flushed streams on the way out.  Nothing a
case changes (modules imported, caches filled, signal handlers, the collector's
thresholds) reaches the server or the next case.  The server waits for each
child with a hang timeout and kills it when that passes.

Protocol, one JSON object per line: the request ``{"argv", "cwd", "stdout",
"stderr", "timeout"}`` on the server's stdin; the answer ``{"returncode",
"timed_out"}`` on its stdout.  The server itself never touches ``sys.stdin`` or
``sys.stdout`` (it reads and writes the file descriptors), so the child's stream
objects start empty, as in a fresh process.

Run by path (``python tests/hostile/forkserver.py``), with the environment the
cases run with; it imports nothing from the tests.
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import signal
import sys
import time
from typing import Any, NoReturn

# What ``tickgen.__main__`` and the commands of the corpus (render, validate, lint,
# fmt, plan) import before they look at their input.
PRELOAD = ("tickgen.cli", "tickgen.params", "tickgen.pipeline", "tickgen.tick")


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
