"""Every fenced block of README.md and docs/*.md is run, or checked as what it is.

The blocks are found with markdown-it-py (a CommonMark parser, so what counts as a
block is what a reader sees rendered), each with its file and line.  Every block is
classified by :func:`classify`: a block no rule knows fails its test, so a new page
or a new example cannot slip past unchecked.  What each kind of block gets:

* parameter files (YAML/JSON/TOML with ``template`` or ``alerts``): ``tickgen
  validate`` on the block as a file;
* ``# PATH (abridged)`` blocks: every key and list item of the block is in PATH
  with the same value, and both PATH and the block (put in its place) validate;
* test files (``tests:``) and fragments of a test: the test-file loader, and the
  whole test run on a real Kapacitor (``servers``);
* ``tickgen.toml``: the config loader;
* ``.pre-commit-config.yaml``: pre-commit's own config schema, the hook ids of
  ``.pre-commit-hooks.yaml``, and each hook's command run on the matching files;
* GitHub/GitLab pipelines: SchemaStore's schema for them (check-jsonschema), then
  every shell step run in order in a project whose targets point at a real
  Kapacitor (``servers``);
* the findings document (JSON): what ``tickgen validate --output json`` prints;
* Python: run in a subprocess in a project directory (a pytest file under pytest),
  against a real Kapacitor when it talks to one (``servers``);
* shell: each command run for real in a project (``tickgen`` in-process; with a
  server for plan/apply/import/test, ``servers``), with the exit status the text
  promises; commands that cannot run inside the suite have one rule each in
  :func:`run_other`, which says why and checks what can be checked;
* plain blocks: the command list against each command's ``--help``, the pipeline
  sketch against the rendered scripts, a timeline against the test it describes.

The project the examples run in (:class:`Project`): ``examples/`` copied,
``alerts/`` holding the CPU example as ``cpu.yaml`` with its test ``cpu.test.yaml``,
Chronograf's ``rules.json`` and ``examples/tickgen.toml`` as ``tickgen.toml``; for
a server test, every URL of the block and of the targets is the private kapacitord
of the test.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from tests import servers
from tickgen.cli import COMMANDS, build_parser, main
from tickgen.testing.loader import load_suite
from tickgen.testing.notation import expand

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
# the URLs the docs use for "your Kapacitor"; a server test puts its own there
DOC_URLS = ("http://kapacitor:9092", "http://localhost:9092")
# The credentials' variables examples/tickgen.toml names for its prod target, as a
# user's shell or GitLab's CI/CD variables hold them (the test servers take any).  A
# GitHub workflow gets none: its steps must map them from secrets, as docs/ci.md does.
CREDENTIALS = {"KAP_USER": "ops", "KAP_PASS": "doc-example"}


# ---------------------------------------------------------------------------
# the blocks


@dataclass(frozen=True)
class Block:
    file: str  # relative to the repository, e.g. "docs/ci.md"
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    context: str  # the page's text between the previous block and this one

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def header(self) -> str:
        """The first line when it is a comment naming what the block is (``# .gitlab-ci.yml``)."""
        first = self.text.split("\n", 1)[0]
        return first[1:].strip() if first.startswith("#") else ""

    def data(self) -> Any:
        if self.lang == "json":
            return json.loads(self.text)
        if self.lang == "toml":
            return tomllib.loads(self.text)
        return yaml.safe_load(self.text)


def doc_blocks() -> list[Block]:
    found = []
    parser = MarkdownIt("commonmark")
    for name in DOC_FILES:
        text = (ROOT / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        previous_end = 0
        for token in parser.parse(text):
            if token.type not in ("fence", "code_block") or token.map is None:
                continue
            start, end = token.map
            context = "\n".join(lines[previous_end:start])
            found.append(Block(name, start + 1, token.info.strip(), token.content, context))
            previous_end = end
    return found


BLOCKS = doc_blocks()


# ---------------------------------------------------------------------------
# the project the examples run in


@dataclass
class Server:
    url: str
    version: str
    kapacitord: Path


@dataclass
class Project:
    root: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch
    pytestconfig: pytest.Config
    server: Server | None = None
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        root: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        pytestconfig: pytest.Config,
        server: Server | None = None,
        credentials: dict[str, str] | None = None,
    ) -> Project:
        root.mkdir(exist_ok=True)
        shutil.copytree(ROOT / "examples", root / "examples")
        alerts = root / "alerts"
        alerts.mkdir()
        cpu = ROOT / "examples" / "cpu_mean_threshold"
        shutil.copy(cpu.with_suffix(".yaml"), alerts / "cpu.yaml")
        test = cpu.with_suffix(".test.yaml").read_text(encoding="utf-8")
        (alerts / "cpu.test.yaml").write_text(
            test.replace("params: [cpu_mean_threshold.yaml]", "params: [cpu.yaml]"), "utf-8"
        )
        shutil.copy(ROOT / "tests" / "importer" / "chronograf" / "rules.json", root / "rules.json")
        env: dict[str, str] = {}
        credentials = CREDENTIALS if credentials is None else credentials
        if server is not None:
            # no $KAPACITOR_URL: a command without --url or --target uses the project's
            # default_target, as on the pages (run_python sets it for the Python API)
            env = {"KAPACITORD": str(server.kapacitord), **credentials}
        (root / "home").mkdir()
        monkeypatch.chdir(root)
        project = cls(root, capsys, monkeypatch, pytestconfig, server, env)
        # examples/tickgen.toml as the project's file, its paths still meaning examples/
        project.install_config((ROOT / "examples" / "tickgen.toml").read_text(encoding="utf-8"), "examples")
        return project

    def install_config(self, text: str, base: str = "") -> Path:
        """``text`` as the project's tickgen.toml.  Relative ``paths`` and
        ``template_dirs`` are rebased onto ``base``, and what they name that the
        project lacks is made (a directory empty, a file a copy of an example alert);
        with a server, every target is it, pinned (where pinned) to its version."""
        for key in ("paths", "template_dirs"):
            match = re.search(rf"(?m)^{key} = (\[.*?\])", text)
            if match is None:
                continue
            names = [str(Path(base, n)) if base and not Path(n).is_absolute() else n
                     for n in tomllib.loads(f"x = {match.group(1)}")["x"]]
            text = text[: match.start(1)] + json.dumps(names) + text[match.end(1) :]
            for name in names:
                path = self.root / name
                if path.exists():
                    continue
                if key == "paths" and path.suffix:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / "examples" / "memory_warn_crit.yaml", path)
                else:
                    path.mkdir(parents=True)
        if self.server is not None:
            minor = ".".join(self.server.version.split(".")[:2])
            text = re.sub(r'(?m)^url = ".*?"', f'url = "{self.server.url}"', text)
            text = re.sub(r'(?m)^kapacitor_version = "[\d.]+"', f'kapacitor_version = "{minor}"', text)
        path = self.root / "tickgen.toml"
        path.write_text(text, "utf-8")
        return path

    def localise(self, text: str) -> str:
        """``text`` with the docs' server URLs made the test's, and ``~`` the project's home."""
        if self.server is not None:
            for url in DOC_URLS:
                text = text.replace(url, self.server.url)
        return re.sub(r"^~(?=/)", str(self.root / "home"), text)

    def tickgen(self, args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """``tickgen ARGS`` in-process, in the project; (exit status, stdout, stderr)."""
        self.capsys.readouterr()
        with self.monkeypatch.context() as patch:
            for name, value in {**self.env, **(env or {})}.items():
                patch.setenv(name, value)
            try:
                code = main([self.localise(a) for a in args])
            except SystemExit as exc:  # --help, and argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
        out, err = self.capsys.readouterr()
        return code, out, err


# ---------------------------------------------------------------------------
# shell


@dataclass(frozen=True)
class Command:
    text: str  # as written, for messages
    env: dict[str, str]
    argv: list[str]
    ok: frozenset[int]  # the exit statuses the doc accepts
    stdout: str | None = None  # `> FILE`
    pipe: list[str] | None = None  # `| COMMAND`


def shell_commands(text: str) -> list[Command]:
    """The commands of a shell snippet: `&&` lists, `> FILE`, `| CMD`, `|| test $? -eq 2`."""
    commands = []
    for line in re.sub(r"\\\n\s*", " ", text).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = list(lexer)
        if not tokens:
            continue
        code = line.split(" #", 1)[0].strip()
        segments: list[list[str]] = [[]]
        for token in tokens:
            if token == "&&":
                segments.append([])
            else:
                segments[-1].append(token)
        for words in segments:
            ok = {0}
            if "||" in words:
                at = words.index("||")
                # `|| test $? -eq 2`: exit status 2 (changes pending) passes the step
                assert words[at + 1 :] == ["test", "$?", "-eq", "2"], f"unknown `||` in {line!r}"
                words, ok = words[:at], {0, 2}
            stdout = pipe = None
            if ">" in words:
                at = words.index(">")
                words, stdout = words[:at] + words[at + 2 :], words[at + 1]
            if "|" in words:
                at = words.index("|")
                words, pipe = words[:at], words[at + 1 :]
            env = {}
            while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
                name, _, value = words.pop(0).partition("=")
                env[name] = value
            if "--detailed-exitcode" in words:
                ok |= {2}  # 0 nothing to do, 2 changes pending
            commands.append(Command(code, env, words, frozenset(ok), stdout, pipe))
    return commands


def needs_server(command: Command) -> bool:
    argv = command.argv
    if argv[:1] != ["tickgen"] or len(argv) < 2:
        return False
    return argv[1] in ("plan", "apply", "test") or (argv[1] == "import" and argv[2:3] != ["chronograf"])


def run_command(block: Block, command: Command, project: Project) -> None:
    if command.argv[:1] == ["tickgen"]:
        argv = command.argv
        if "--config" in argv and argv[argv.index("--config") + 1].startswith("../"):
            # run from a directory below the project file, holding the alerts it names
            below = project.root / "team"
            if not below.exists():
                shutil.copytree(project.root / "alerts", below / "alerts")
            project.monkeypatch.chdir(below)
        try:
            code, out, err = project.tickgen(argv[1:], command.env)
        finally:
            project.monkeypatch.chdir(project.root)
        assert code in command.ok, (
            f"{block.where}: `{command.text}` exited {code}, the doc promises "
            f"{sorted(command.ok)}\n{err}{out[-2000:]}"
        )
        if command.stdout is not None:
            target = Path(project.localise(command.stdout))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(out, "utf-8")
        assert command.pipe is None, f"{block.where}: no rule for piping tickgen into {command.pipe}"
    else:
        run_other(block, command, project)


def run_python_main(argv: list[str], *, module: str | None = None, path: Path | None = None) -> tuple[int, str]:
    """A Python script or ``python -m`` module run in-process as __main__: (exit status, stdout)."""
    out = io.StringIO()
    saved = sys.argv
    sys.argv = [str(path or module), *argv]
    code = 0
    try:
        with contextlib.redirect_stdout(out):
            if module is not None:
                with warnings.catch_warnings():
                    # runpy warns when another test of this process imported the module
                    # already; running it as __main__ is still a fresh run of its code
                    warnings.filterwarnings("ignore", "'.*' found in sys.modules", RuntimeWarning)
                    runpy.run_module(module, run_name="__main__", alter_sys=False)
            else:
                assert path is not None
                runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    return code, out.getvalue()


def bash_syntax_ok(source: str, shell: str = "bash") -> None:
    subprocess.run([shell, "-n"], input=source, text=True, check=True, timeout=30)


def executable_script(name: str) -> Path:
    path = ROOT / name
    assert path.is_file() and os.access(path, os.X_OK), f"{name} is not an executable file"
    bash_syntax_ok(path.read_text(encoding="utf-8"))
    return path


def run_other(block: Block, command: Command, project: Project) -> None:
    """The commands other than `tickgen ...`: one rule each, with why it is not run as written."""
    argv, where = command.argv, f"{block.where}: `{command.text}`"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    match argv:
        case ["eval", script] if (m := re.fullmatch(r"\$\(tickgen completion (\w+)\)", script)):
            # Meant for ~/.bashrc, which a test must not touch: the code it evaluates
            # is generated and parsed by the shell instead (zsh too when installed).
            for shell in ("bash", "zsh"):
                code, out, err = project.tickgen(["completion", shell])
                assert code == 0 and out, f"{where}: {err}"
                if shell == m.group(1) or shutil.which(shell):
                    bash_syntax_ok(out, shell)
        case ["python", "-m", "pip", "install", *rest]:
            # Would reinstall tickgen into the environment running this test: check what
            # pip would install instead, the distribution name, its extras and its command.
            [spec] = [a for a in rest if not a.startswith("-")]
            name, extras = re.fullmatch(r"([^\[]+)(?:\[(.*)\])?", spec).groups(default="")  # type: ignore[union-attr]
            assert name in (".", pyproject["project"]["name"]), where
            for extra in filter(None, extras.split(",")):
                assert extra in pyproject["project"]["optional-dependencies"], f"{where}: no extra {extra}"
            module, _, function = pyproject["project"]["scripts"]["tickgen"].partition(":")
            assert callable(getattr(__import__(module, fromlist=[function]), function)), where
        case ["pip", "install", name]:
            # A CI image installing tickgen from the package index: the name is ours.
            assert name == pyproject["project"]["name"], where
        case ["scripts/test", *_]:
            # The whole suite, this test included (it would recurse), with apt-get as
            # root: the script parses, CI runs it, and it runs the three checks it names.
            text = executable_script("scripts/test").read_text(encoding="utf-8")
            assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), where
            for step in ("ruff check", "mypy", "python -m pytest"):
                assert step in text, f"{where}: scripts/test does not run {step}"
        case ["scripts/kapacitor-build", version]:
            # A build takes minutes and Go/Rust; a cached one is printed at once, so
            # that is run when the version is cached (as after scripts/test).
            path = executable_script("scripts/kapacitor-build")
            cache = Path(os.environ.get("TICKGEN_CACHE", Path.home() / ".cache" / "tickgen"))
            dest = cache / f"kapacitor-{version}"
            if (dest / "kapacitord").is_file() and (dest / "kapacitor").is_file():
                done = subprocess.run([path, version], capture_output=True, text=True, check=True, timeout=30)
                assert done.stdout.splitlines()[-1] == str(dest), where
        case ["scripts/check-version-table", _version]:
            # Needs a live Kapacitor of that version (a build of minutes): the script
            # parses and the tests it runs exist.
            text = executable_script("scripts/check-version-table").read_text(encoding="utf-8")
            nodes = re.findall(r"(tests/\S+\.py)::(\w+)", text)
            assert nodes, where
            for path, name in nodes:
                assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), f"{where}: {path}::{name}"
        case [script] if re.fullmatch(r"scripts/gen-[\w-]+", script):
            # Rewrites checked-in files: their --check mode (exit 1 on drift) instead.
            code, out = run_python_main(["--check"], path=ROOT / script)
            assert code == 0, f"{where}: {script} --check: {out}"
        case ["python", "-m", "benchmarks", *_]:
            # Minutes of measuring: its --help (the module loads and parses options).
            code, out = run_python_main(["--help"], module="benchmarks")
            assert code == 0 and "usage:" in out, where
            assert (ROOT / "BENCHMARKS.md").is_file(), where
        case ["python", "-m", "tests.differential.generator", *args]:
            # Cheap: run as written; it prints one parameter set as YAML.
            code, out = run_python_main(args, module="tests.differential.generator")
            assert code == 0 and "template" in yaml.safe_load(out), where
        case ["python", "-m", "pytest", *args]:
            # The suite, or part of it, inside the suite (it would recurse): its paths
            # exist, its -m markers are registered and its options are pytest's or ours.
            markers = {m.split(":")[0] for m in pyproject["tool"]["pytest"]["ini_options"]["markers"]}
            config = project.pytestconfig
            words = iter(args)
            for word in words:
                if word == "-m":
                    assert set(re.findall(r"\w+", next(words))) - {"not", "and", "or"} <= markers, where
                elif word.startswith("--"):
                    name, equals, _ = word.partition("=")
                    value = config.getoption(name)  # ValueError when no plugin registered it
                    if not equals and not isinstance(value, bool):  # a flag takes no value
                        next(words)
                elif word == "-n":  # pytest-xdist's workers (a dev dependency)
                    assert config.pluginmanager.hasplugin("xdist"), f"{where}: no xdist"
                    workers = next(words)
                    assert workers.isdigit() or workers in ("auto", "logical"), where
                else:
                    assert (ROOT / word).exists(), f"{where}: no {word}"
            for name in command.env:
                assert name in (ROOT / "tests" / "servers.py").read_text(encoding="utf-8"), where
        case ["sed", "-i", _, name]:
            # An edit of a project file: run as written, in the project; the file must
            # still be what it was (a tickgen.toml still loads).
            subprocess.run(argv, cwd=project.root, check=True, timeout=30)
            if name.endswith(".toml"):
                tomllib.loads((project.root / name).read_text(encoding="utf-8"))
        case ["ruff", "check", *paths]:
            # Linting the repository is scripts/test's first step: the paths exist.
            for checked in paths:
                assert (ROOT / checked).exists(), f"{where}: no {checked}"
            assert shutil.which("ruff") or (Path(sys.executable).parent / "ruff").exists(), where
        case ["mypy"]:
            # Bare `mypy` checks what pyproject configures, strictly.
            assert pyproject["tool"]["mypy"]["strict"] is True and pyproject["tool"]["mypy"]["files"], where
        case _:
            pytest.fail(f"{where}: no rule for this command in tests/test_docs_examples.py")


# ---------------------------------------------------------------------------
# data files


def subset_problems(part: Any, whole: Any, path: str = "") -> list[str]:
    """Where ``part`` is not an abridgement of ``whole``: mappings key by key, lists as
    ordered sub-sequences of matching items, everything else equal."""
    if isinstance(part, dict):
        if not isinstance(whole, dict):
            return [f"{path or '.'}: a mapping in the doc, {whole!r} in the file"]
        problems = []
        for key, value in part.items():
            if key not in whole:
                problems.append(f"{path}.{key}: not in the file")
            else:
                problems.extend(subset_problems(value, whole[key], f"{path}.{key}"))
        return problems
    if isinstance(part, list) and isinstance(whole, list):
        at = 0
        for index, item in enumerate(part):
            while at < len(whole) and subset_problems(item, whole[at]):
                at += 1
            if at == len(whole):
                return [f"{path}[{index}]: {item!r} is not in the file (in this order)"]
            at += 1
        return []
    return [] if part == whole else [f"{path}: {part!r} in the doc, {whole!r} in the file"]


def is_test_file(data: Any) -> bool:
    return isinstance(data, dict) and "tests" in data


def is_parameter_file(data: Any) -> bool:
    return isinstance(data, dict) and ("template" in data or "alerts" in data)


def validate_parameters(block: Block, path: Path, project: Project) -> None:
    code, out, err = project.tickgen(["validate", str(path)])
    assert code == 0, f"{block.where}: tickgen validate {path.name}:\n{err}{out}"


def validate_tests(block: Block, path: Path) -> None:
    suite, _ = load_suite([path])  # ParameterError: every problem at its line
    assert suite.cases, f"{block.where}: no test in it"


def check_abridged(block: Block, project: Project) -> None:
    name = re.fullmatch(r"(\S+) \(abridged\)", block.header).group(1)  # type: ignore[union-attr]
    original = ROOT / name
    assert original.is_file(), f"{block.where}: abridged from {name}, which does not exist"
    text = original.read_text(encoding="utf-8")
    whole = tomllib.loads(text) if original.suffix == ".toml" else yaml.safe_load(text)
    problems = subset_problems(block.data(), whole)
    assert not problems, f"{block.where}: not an abridgement of {name}:\n" + "\n".join(problems)
    # the file validates, and so does the block in its place
    path = project.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    for text in (original.read_text(encoding="utf-8"), block.text):
        path.write_text(text, "utf-8")
        if is_test_file(whole):
            validate_tests(block, path)
        else:
            validate_parameters(block, path, project)


def check_parameter_file(block: Block, project: Project) -> None:
    config = page_project_file(block)
    if config is not None:  # "with the file above and this parameter file"
        project.install_config(config.text)
    path = project.root / f"doc-example.{block.lang}"
    path.write_text(block.text, "utf-8")
    validate_parameters(block, path, project)


FRAGMENT_ALERT = {  # what a fragment of a test (`lines:` ...) is a test of: its points' alert
    "template": "threshold", "id": "fragment", "database": "telegraf", "measurement": "m",
    "field": "v", "crit": {"op": ">", "value": 50},
}


def written_test_file(block: Block, project: Project) -> Path:
    """The block as a test file in examples/, where the ``params`` it names are.

    A fragment (the keys of one test, indented as in a test file) becomes a test of
    an alert on its points, ``m`` above 50, expecting CRITICAL at the first point and
    OK at the second: offsets in seconds, as the page says.
    """
    text = block.text
    if block.text.startswith(" "):
        (project.root / "examples" / "fragment.yaml").write_text(yaml.safe_dump(FRAGMENT_ALERT), "utf-8")
        expect = [{"at": "0s", "level": "CRITICAL"}, {"at": "30s", "level": "OK"}]
        case = {"name": "fragment", "alert": "fragment", **yaml.safe_load(block.text), "expect": expect}
        text = yaml.safe_dump({"params": ["fragment.yaml"], "tests": [case]})
    path = project.root / "examples" / "doc-example.test.yaml"
    path.write_text(text, "utf-8")
    return path


def check_test_file(block: Block, project: Project) -> None:
    validate_tests(block, written_test_file(block, project))


def run_test_file(block: Block, project: Project) -> None:
    assert project.server is not None
    code, out, err = project.tickgen(["test", str(written_test_file(block, project)), "--url", project.server.url])
    assert code == 0, f"{block.where}: tickgen test:\n{out}{err}"


def check_project_file(block: Block, project: Project) -> None:
    from tickgen.deploy.targets import load_targets
    from tickgen.project import project_version

    path = project.install_config(block.text)
    load_targets(path)  # DeployError names the file, the table and what is wrong
    project_version(path)
    if (ROOT / "schemas" / "project" / "tickgen.schema.json").is_file():
        # tickgen ships the project file's schema: validate checks the file with it
        code, out, err = project.tickgen(["validate", "tickgen.toml"])
        assert code == 0, f"{block.where}: tickgen validate tickgen.toml:\n{err}{out}"


def page_project_file(block: Block) -> Block | None:
    """The last tickgen.toml the page shows before ``block``: the project it means."""
    earlier = [b for b in BLOCKS if b.file == block.file and b.line < block.line]
    chosen = [b for b in earlier if (k := classify(b)) is not None and k.name == "tickgen.toml"]
    return chosen[-1] if chosen else None


def following(block: Block) -> Block | None:
    later = [b for b in BLOCKS if b.file == block.file and b.line > block.line]
    return later[0] if later else None


OUTPUT_COMMAND = re.compile(r"`(tickgen [^`]+)`[^`]*:\s*$")


def shown_with_output(block: Block) -> tuple[str, Block] | None:
    """(the command, the output block) when the page shows what a command prints for
    ``block``: the next block is plain text and the words between end in "...
    `tickgen ...`:"."""
    output = following(block)
    if output is None or output.lang not in ("", "text"):
        return None
    match = OUTPUT_COMMAND.search(output.context.strip())
    return (match.group(1), output) if match else None


def check_output_input(block: Block, project: Project) -> None:
    # the input of an example whose output the page shows next: it parses here, and
    # the output block's test runs the command on it
    block.data()


def check_output_shown(block: Block, project: Project) -> None:
    # The page's input block is written to the file the command names, the command
    # runs and prints exactly this block (exit 1 when it shows an error).
    source = [b for b in BLOCKS if b.file == block.file and b.line < block.line][-1]
    shown = shown_with_output(source)
    assert shown is not None and shown[1] == block
    command = shown[0]
    argv = shlex.split(command)
    [name] = [a for a in argv if re.search(r"\.(toml|ya?ml|json)$", a)]
    if name == "tickgen.toml":
        project.install_config(source.text)
    else:
        (project.root / name).write_text(source.text, "utf-8")
    code, out, err = project.tickgen(argv[1:])
    printed = (err + out).strip()
    assert printed == block.text.strip(), f"{block.where}: `{command}` prints:\n{printed}"
    # an error is printed on stderr, whole lines of it
    errors = [line for line in block.text.splitlines() if line.startswith("tickgen: error:")]
    assert all(line in err.splitlines() for line in errors), f"{block.where}: stderr: {err}"
    assert code == (1 if "error" in block.text else 0), f"{block.where}: exit {code}"


def check_taplo_config(block: Block, project: Project) -> None:
    # Taplo (the TOML language server) reading tickgen.toml's schema: its rules
    # include tickgen.toml, and the schema they name is what `tickgen schema
    # tickgen.toml` writes (the page's shell block writes it there).
    import fnmatch

    rules = block.data()["rule"]
    assert any(fnmatch.fnmatch("sub/tickgen.toml", g) for r in rules for g in r["include"]), block.where
    code, out, err = project.tickgen(["schema", "tickgen.toml"])
    assert code == 0, err
    assert json.loads(out)["$schema"], block.where
    for rule in rules:
        assert rule["schema"]["path"].endswith(".json"), block.where


def check_findings_document(block: Block, project: Project) -> None:
    # The document of output-formats.md is what validate prints for alerts/cpu.yaml
    # with `period: 5` (a number) where a duration belongs; the message's wording
    # is the schema's and is not compared.
    documented = block.data()
    cpu = project.root / "alerts" / "cpu.yaml"
    cpu.write_text(cpu.read_text(encoding="utf-8").replace("period: 5m", "period: 5"), "utf-8")
    code, out, err = project.tickgen(["validate", "--output", "json", "alerts"])
    assert code == 1, err
    printed = json.loads(out)
    documented["findings"][0]["message"] = printed["findings"][0]["message"]
    assert printed == documented, block.where


def check_pre_commit_config(block: Block, project: Project) -> None:
    import pre_commit.clientlib as clientlib  # type: ignore[import-untyped]

    config_path = project.root / ".pre-commit-config.yaml"
    config_path.write_text(block.text, "utf-8")
    config = clientlib.load_config(str(config_path))  # pre-commit's own schema
    manifest = {h["id"]: h for h in clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    # each hook as pre-commit runs it: its entry and args on the project's files it matches
    code, script, _ = project.tickgen(["render", "alerts/cpu.yaml"])
    (project.root / "alerts" / "cpu.tick").write_text(script, "utf-8")
    files = sorted(str(p.relative_to(project.root)) for p in project.root.rglob("*") if p.is_file())
    for hook in config["repos"][0]["hooks"]:
        assert hook["id"] in manifest, f"{block.where}: no hook {hook['id']} in .pre-commit-hooks.yaml"
        spec = manifest[hook["id"]]
        chosen = [
            f for f in files
            if re.search(spec["files"], f) and not (spec.get("exclude") and re.search(spec["exclude"], f))
        ]
        assert chosen, f"{block.where}: {hook['id']} matches no file of the project"
        argv = shlex.split(spec["entry"])[1:] + list(hook.get("args", [])) + chosen
        code, out, err = project.tickgen(argv)
        assert code == 0, f"{block.where}: hook {hook['id']}: tickgen {' '.join(argv)}:\n{out}{err}"


def github_steps(data: Any) -> list[tuple[str, dict[str, str]]]:
    """The shell steps of a GitHub workflow in order, with their env; checks its shape."""
    assert data.get("on", data.get(True)), "no `on:`"  # PyYAML reads `on` as true
    steps: list[tuple[str, dict[str, str]]] = []
    for name, job in data["jobs"].items():
        assert job.get("runs-on"), f"job {name} has no runs-on"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"job {name}: a step needs uses or run: {step}"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[\w.-]+", step["uses"]), step["uses"]
            else:
                env = {k: re.sub(r"\$\{\{.*?\}\}", "from-ci-secrets", v) for k, v in step.get("env", {}).items()}
                steps.append((step["run"], env))
    return steps


GITLAB_KEYWORDS = {"image", "before_script", "after_script", "stages", "variables", "default", "include", "workflow"}


def gitlab_steps(data: Any) -> list[tuple[str, dict[str, str]]]:
    steps: list[tuple[str, dict[str, str]]] = [(line, {}) for line in data.get("before_script", [])]
    for name, job in data.items():
        if name in GITLAB_KEYWORDS:
            continue
        assert job.get("script"), f"job {name} has no script"
        for rule in job.get("rules", []):
            assert set(rule) <= {"if", "when", "changes", "exists"}, rule
        steps.extend((line, {}) for line in job["script"])
    return steps


def pipeline_commands(block: Block) -> list[Command]:
    data = block.data()
    steps = github_steps(data) if ".github/workflows/" in block.header else gitlab_steps(data)
    commands = []
    for script, env in steps:
        for command in shell_commands(script):
            commands.append(Command(command.text, {**env, **command.env}, command.argv,
                                    command.ok, command.stdout, command.pipe))
    assert commands, f"{block.where}: no shell step"
    return commands


def check_pipeline(block: Block, project: Project) -> None:
    # offline: the CI system's schema (SchemaStore's, as vendored by check-jsonschema),
    # the shape, and every tickgen command parses (the run is live_pipeline)
    schema = "vendor.github-workflows" if ".github/workflows/" in block.header else "vendor.gitlab-ci"
    path = project.root / "pipeline.yml"
    path.write_text(block.text, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, f"{block.where}: not a valid {schema}:\n{done.stdout}{done.stderr}"
    parser = build_parser()
    for command in pipeline_commands(block):
        if command.argv[:1] == ["tickgen"]:
            parser.parse_args(command.argv[1:])


def live_pipeline(block: Block, project: Project) -> None:
    for command in pipeline_commands(block):
        run_command(block, command, project)


# ---------------------------------------------------------------------------
# python


def python_needs_server(block: Block) -> bool:
    return bool(re.search(r"KapacitorClient|url_target|run_tests|tickgen_alerts|:9092", block.text))


def run_python(block: Block, project: Project) -> None:
    env = {
        **os.environ,
        **project.env,
        "CI": "true",  # a missing kapacitord fails
        # the tickgen of this tree, also when another one is installed
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    if project.server is not None:
        env["KAPACITOR_URL"] = project.server.url
    if re.search(r"(?m)^def test_", block.text):  # a pytest file, as the page says
        path = project.root / "test_doc_example.py"
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)]
    else:
        path = project.root / "doc_example.py"
        argv = [sys.executable, str(path)]
    path.write_text(project.localise(block.text), "utf-8")
    done = subprocess.run(argv, cwd=project.root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{block.where}: exit {done.returncode}\n{done.stdout}{done.stderr}"


def compile_python(block: Block, project: Project) -> None:
    compile(block.text, block.where, "exec")


# ---------------------------------------------------------------------------
# plain blocks


def check_command_list(block: Block, project: Project) -> None:
    listed = set()
    for line in block.text.splitlines():
        usage = re.split(r"\s{2,}", line.strip())[0]
        words = usage.split()
        command = words[1]
        listed.add(command)
        code, help_text, err = project.tickgen([command, "--help"])
        assert code == 0, f"{block.where}: tickgen {command} --help: {err}"
        if len(words) > 2 and words[2].islower() and words[2].isalpha() and command != "completion":
            assert words[2] in help_text, f"{block.where}: {usage}: {words[2]} not in --help"
        for option, choices in re.findall(r"(--[\w-]+)(?: ([a-z]+(?:\|[a-z]+)+))?", usage):
            assert option in help_text, f"{block.where}: tickgen {command} --help has no {option}"
            for choice in filter(None, choices.split("|")):
                assert choice in help_text, f"{block.where}: {option} {choice} not in --help"
        if command == "completion":  # `completion bash|zsh|fish`: positional choices
            for shell in words[2].split("|"):
                assert project.tickgen(["completion", shell])[0] == 0, f"{block.where}: {shell}"
    assert listed == set(COMMANDS), f"{block.where}: the list and the commands differ: {listed ^ set(COMMANDS)}"


def check_pipeline_sketch(block: Block, project: Project) -> None:
    # "(all templates)": the calls appear in this order in every built-in template's script
    sketch = re.sub(r"\s+", "", block.text)
    for example in ("cpu_mean_threshold", "account_login_relative", "heartbeat_deadman"):
        code, script, err = project.tickgen(["render", f"examples/{example}.yaml"])
        assert code == 0, err
        assert sketch in re.sub(r"\s+", "", script), f"{block.where}: not what {example} renders"


def check_timeline(block: Block, project: Project) -> None:
    # a `minute:`/`value:` table of the example the page names just before it: the
    # values are a series of that example's test file (which `tickgen test examples/`
    # of the same pages runs on the server)
    rows = dict(line.split(":", 1) for line in block.text.splitlines())
    minutes, values = rows["minute"].split(), rows["value"].split()
    assert minutes == [str(i) for i in range(len(values))], block.where
    [named] = re.findall(r"`(examples/\w+)\.yaml`", block.context)
    tests = yaml.safe_load((ROOT / f"{named}.test.yaml").read_text(encoding="utf-8"))
    series = [s["values"] for t in tests["tests"] for s in t.get("series", [])]
    assert any(expand(str(s)) == expand(" ".join(values)) for s in series), (
        f"{block.where}: no series of {named}.test.yaml has these values"
    )


# ---------------------------------------------------------------------------
# classification


@dataclass(frozen=True)
class Kind:
    name: str
    check: Callable[[Block, Project], None]  # offline
    live: Callable[[Block, Project], None] | None = None  # with a server


def check_shell(block: Block, project: Project) -> None:
    commands = shell_commands(block.text)
    assert commands, block.where
    parser = build_parser()
    for command in commands:
        if needs_server(command):
            parser.parse_args(command.argv[1:])  # run by live_shell
        else:
            run_command(block, command, project)


def live_shell(block: Block, project: Project) -> None:
    for command in shell_commands(block.text):
        if needs_server(command):
            run_command(block, command, project)


def classify(block: Block) -> Kind | None:
    lang, header = block.lang, block.header
    if lang in ("sh", "bash", "shell"):
        live = any(needs_server(c) for c in shell_commands(block.text))
        return Kind("shell", check_shell, live_shell if live else None)
    if lang == "python":
        if python_needs_server(block):
            return Kind("python (server)", compile_python, run_python)
        return Kind("python", run_python)
    if lang in ("", "text"):
        previous = [b for b in BLOCKS if b.file == block.file and b.line < block.line]
        if previous and (shown := shown_with_output(previous[-1])) and shown[1] == block:
            return Kind("output shown", check_output_shown)
    if lang == "":
        lines = block.text.strip().splitlines()
        if all(line.startswith("tickgen ") for line in lines):
            return Kind("command list", check_command_list)
        if "|from()" in block.text:
            return Kind("pipeline sketch", check_pipeline_sketch)
        if [line.split(":")[0] for line in lines] == ["minute", "value"]:
            return Kind("timeline", check_timeline)
        return None
    if lang not in ("yaml", "yml", "json", "toml"):
        return None
    if shown_with_output(block) is not None:
        return Kind("output example input", check_output_input)
    if re.fullmatch(r"\S+ \(abridged\)", header):
        return Kind("abridged", check_abridged)
    if header == ".pre-commit-config.yaml":
        return Kind("pre-commit config", check_pre_commit_config)
    if header.startswith(".github/workflows/") or header == ".gitlab-ci.yml":
        return Kind("pipeline", check_pipeline, live_pipeline)
    if header == "tickgen.toml":
        return Kind("tickgen.toml", check_project_file)
    if block.text.startswith(" "):  # keys of one test, shown indented as in a test file
        return Kind("test fragment", check_test_file, run_test_file)
    data = block.data()
    if isinstance(data, dict) and data.get("format") == "tickgen.findings":
        return Kind("findings document", check_findings_document)
    if is_test_file(data):
        return Kind("test file", check_test_file, run_test_file)
    if is_parameter_file(data):
        return Kind("parameter file", check_parameter_file)
    if lang == "toml" and isinstance(data, dict) and "rule" in data:
        return Kind("taplo config", check_taplo_config)
    if lang == "toml":  # the only other TOML tickgen reads
        return Kind("tickgen.toml", check_project_file)
    return None


LIVE = [b for b in BLOCKS if (kind := classify(b)) is not None and kind.live is not None]


@pytest.fixture
def project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    pytestconfig: pytest.Config,
) -> Project:
    return Project.create(tmp_path, capsys, monkeypatch, pytestconfig)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_doc_block(block: Block, project: Project) -> None:
    kind = classify(block)
    assert kind is not None, (
        f"{block.where}: a ```{block.lang} block no rule of tests/test_docs_examples.py knows; "
        "give it a language and a rule there, so that it is run or checked"
    )
    kind.check(block, project)


@pytest.mark.parametrize("block", LIVE, ids=[b.where for b in LIVE])
def test_doc_block_on_kapacitor(
    block: Block,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pytestconfig: pytest.Config,
    influxdb: servers.Server,
    kapacitor_version: str,
) -> None:
    # A private kapacitord (on the shared InfluxDB, for influxDBOut): the examples
    # apply --prune, which must not see other tests' tasks.
    started = servers.start_or_skip(
        lambda: servers.start_kapacitor(tmp_path / "kapacitord", influxdb.url, version=kapacitor_version)
    )
    try:
        server = Server(started.url, kapacitor_version, servers.find_binary("kapacitord", kapacitor_version))
        github = ".github/workflows/" in block.header
        project = Project.create(
            tmp_path / "project", capsys, monkeypatch, pytestconfig, server, {} if github else None
        )
        kind = classify(block)
        assert kind is not None and kind.live is not None
        kind.live(block, project)
    finally:
        started.stop()


def test_blocks_are_found() -> None:
    # the extraction itself: every page is read and the README's blocks are all there
    assert {b.file for b in BLOCKS} >= {"README.md", "docs/ci.md", "docs/testing.md"}
    for name in DOC_FILES:
        text = (ROOT / name).read_text(encoding="utf-8")
        fences = len(re.findall(r"(?m)^ *```", text)) // 2
        assert len([b for b in BLOCKS if b.file == name]) == fences, name
