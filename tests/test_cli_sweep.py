"""A bad-input sweep over every stato command: a clear one-line error, a 1/2 exit, nothing lost.

The commands come from ``stato.cli.COMMANDS`` and the click groups' subcommands, so a new
command is swept without touching this file. Each gets a battery of bad inputs chosen from its
parameters (``--path``, file arguments, choices, numbers) plus broken projects; after each run
the whole temp tree (project, fixtures, a fake HOME) must be byte for byte as before.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from stato.cli import cli
from tests.conftest import entries, on_a_terminal

# ---------------------------------------------------------------------------- the commands


def _walk(cmd: click.Command, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    ctx = click.Context(cli)
    if isinstance(cmd, click.Group):
        if prefix and cmd.invoke_without_command and prefix != ("mcp",):
            yield prefix  # `stato plan` shows the plan; bare `stato mcp` serves stdio (not swept)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None
            yield from _walk(sub, (*prefix, name))
    else:
        yield prefix


def _command(words: tuple[str, ...]) -> click.Command:
    ctx = click.Context(cli)
    cmd: click.Command = cli
    for word in words:
        assert isinstance(cmd, click.Group)
        found = cmd.get_command(ctx, word)
        assert found is not None
        cmd = found
    return cmd


def _groups(cmd: click.Command, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if isinstance(cmd, click.Group):
        yield prefix
        ctx = click.Context(cli)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None
            yield from _groups(sub, (*prefix, name))


LEAVES: list[tuple[str, ...]] = list(_walk(cli, ()))
EVERY: list[tuple[str, ...]] = sorted(set(LEAVES) | set(_groups(cli, ())))

# Commands that change files (in the project, beside it, or in HOME).
WRITERS = {
    ("init",), ("write",), ("validate",), ("rollback",), ("import",), ("graft",), ("convert",),
    ("import-bundle",), ("plan", "add"), ("plan", "block"), ("plan", "done"), ("plan", "fail"),
    ("plan", "start"), ("lesson", "add"), ("memory", "add-issue"), ("memory", "set"),
    ("bridge",), ("hooks", "install"), ("hooks", "uninstall"), ("mcp", "install"),
    ("mcp", "uninstall"), ("registry", "install"), ("registry", "add"), ("registry", "remove"),
    ("registry", "publish"), ("snapshot",), ("slice",), ("merge",), ("crystallize",),
    ("merge-file",), ("git", "install"), ("git", "uninstall"),
}  # fmt: skip

# A plausible call in the example project, by parameter name. "{x}" names a fixture file.
# A command missing here gets values from its parameter types (see _sample).
SAMPLES: dict[tuple[str, ...], dict[str, object]] = {
    ("bridge",): {"platform": "claude"},
    ("convert",): {"files": ["{md}"]},
    ("diff",): {"old": "{module}", "new": "{module2}"},
    ("graft",): {"source": "{archive}", "module": "skills/qc.py", "on_conflict": "replace"},
    ("history",): {"module": "skills/qc.py"},
    ("hooks", "install"): {"agent": "claude"},
    ("hooks", "uninstall"): {"agent": "claude"},
    ("hooks", "doctor"): {"agent": "claude"},
    ("import",): {"archive": "{archive}", "on_conflict": "replace"},
    ("import-bundle",): {"file": "{bundle}", "no_bridge": True},
    ("inspect",): {"archive": "{archive}"},
    ("lesson", "add"): {"skill": "qc_filtering", "text": "a new lesson"},
    ("mcp", "install"): {"agent": "claude"},
    ("mcp", "uninstall"): {"agent": "claude"},
    ("memory", "add-issue"): {"key": "k", "text": "t"},
    ("memory", "set"): {"field": "phase", "value": "x"},
    ("merge",): {"left": "{archive}", "right": "{archive}", "output": "{out}"},
    ("plan", "add"): {"action": "new_step"},
    ("plan", "block"): {"step_id": "6"},
    ("plan", "done"): {"step_id": "5"},
    ("plan", "fail"): {"step_id": "5"},
    ("plan", "start"): {"step_id": "5"},
    ("registry", "add"): {"address": "{registry}"},
    ("registry", "remove"): {"address": "{registry}"},
    ("registry", "install"): {"spec": "no-such-package", "registry_url": "{registry}"},
    ("registry", "list"): {"registry_url": "{registry}"},
    ("registry", "search"): {"query": "qc", "registry_url": "{registry}"},
    ("registry", "publish"): {"archive": "{archive}", "folder": "{registry}"},
    ("rollback",): {"module": "skills/qc.py"},
    ("scan",): {"paths": ["{module}"]},
    ("slice",): {"modules": ["skills/qc.py"], "output": "{out}"},
    ("snapshot",): {"name": "x", "output": "{out}"},
    ("validate",): {"paths": ["{module}"]},
    ("write",): {"target": "skills/qc.py", "source": "{module}"},  # its own name: no E011
}

# Cases where success (or a report with exit 1) is the right answer, not an `error:` line.
# (command, case) -> why.
LEGIT: dict[tuple[tuple[str, ...], str], str] = {
    (("init",), "empty-folder"): "init makes a project there",
    (("init",), "path-missing"): "init creates the folder",
    (("init",), "all-invalid"): "init is safe to run twice: it creates only what is missing",
    (("import",), "empty-folder"): "importing into a new folder makes it a project",
    (("import",), "path-missing"): "importing into a new folder makes it a project",
    (("crystallize",), "empty-folder"): "the prompt goes in .stato/prompts/: a new project",
    (("crystallize",), "path-missing"): "the prompt goes in .stato/prompts/: a new project",
    (("convert",), "empty-folder"): "converting into a new folder makes it a project, as import",
    (("convert",), "path-missing"): "converting into a new folder makes it a project, as import",
    (("import-bundle",), "empty-folder"): "a bundle into a new folder makes it a project",
    (("import-bundle",), "path-missing"): "a bundle into a new folder makes it a project",
    (("inspect",), "empty-folder"): "inspect needs no project",
    (("merge",), "empty-folder"): "merge needs no project",
    (("diff",), "empty-folder"): "diff of two files needs no project",
    (("scan",), "empty-folder"): "scan of a file needs no project",
    (("validate",), "empty-folder"): "validate of a file needs no project",
    (("hooks", "run"), "empty-folder"): "a hook never fails the agent",
    (("hooks", "run"), "stato-file"): "a hook never fails the agent",
    (("hooks", "run"), "all-invalid"): "a hook never fails the agent",
    (("registry", "list"), "empty-folder"): "an explicit --registry needs no project",
    (("registry", "search"), "empty-folder"): "an explicit --registry needs no project",
    (("registry", "publish"), "empty-folder"): "publishing an archive needs no project",
    (("scan",), "file-empty"): "an empty file has nothing to report",
    (("scan",), "file-dir"): "scan walks folders",
    (("scan",), "file-binary"): "scan reports on what it reads",
    (("scan",), "file-nonutf8"): "scan reports on what it reads",
    (("scan",), "file-huge"): "scan reports on what it reads",
    (("validate",), "file-dir"): "validate walks folders",
    (("validate",), "file-empty"): "a bad module is a diagnostic (exit 1), not an error",
    (("validate",), "file-binary"): "a bad module is a diagnostic (exit 1), not an error",
    (("validate",), "file-nonutf8"): "a bad module is a diagnostic (exit 1), not an error",
    (("validate",), "file-huge"): "a bad module is a diagnostic (exit 1), not an error",
    (("status",), "all-invalid"): "status lists invalid modules",
    (("verify",), "all-invalid"): "verify checks the lock, not whether modules compile",
    (("diff",), "file-huge"): "two different modules: the diff is shown (exit 0, as git diff)",
    (("graft",), "file-huge"): "a module without a class is refused with its diagnostics",
    (("write",), "file-empty"): "a bad module is refused with its diagnostics (exit 1)",
    (("write",), "file-binary"): "a bad module is refused with its diagnostics (exit 1)",
    (("write",), "file-nonutf8"): "a bad module is refused with its diagnostics (exit 1)",
    (("write",), "file-huge"): "a bad module is refused with its diagnostics (exit 1)",
    (("write",), "all-invalid"): "the new module is checked on its own",
    (("registry", "publish"), "path-missing"): "publishing an explicit archive needs no project",
    (("registry", "publish"), "path-loop"): "publishing an explicit archive needs no project",
    (("registry", "list"), "path-missing"): "an explicit --registry needs no project",
    (("registry", "list"), "path-loop"): "an explicit --registry needs no project",
    (("registry", "search"), "path-missing"): "an explicit --registry needs no project",
    (("registry", "search"), "path-loop"): "an explicit --registry needs no project",
    (("rollback",), "all-invalid"): "restoring a valid backup over a broken module is the point",
    (("slice",), "stato-readonly"): "writes the archive elsewhere",
    (("registry", "add"), "empty-folder"): "outside a project it edits the user config",
    (("registry", "add"), "stato-file"): "outside a project it edits the user config",
    (("bridge",), "all-invalid"): "bridge leaves invalid modules out, with a note",
    (("validate",), "all-invalid"): "validate reports them (exit 1)",
    (("scan",), "all-invalid"): "scan reads text, not modules",
    (("scan",), "stato-file"): "scan of an explicit file needs no project",
    (("inspect",), "stato-file"): "inspect needs no project",
    (("merge",), "stato-file"): "merge needs no project",
    (("diff",), "stato-file"): "diff of two files needs no project",
    (("validate",), "stato-file"): "validate of a file needs no project",
    (("registry", "publish"), "stato-file"): "publishing an archive needs no project",
    (("registry", "list"), "stato-file"): "an explicit --registry needs no project",
    (("registry", "search"), "stato-file"): "an explicit --registry needs no project",
    (("resume",), "all-invalid"): "resume recaps what it can read",
    (("history",), "all-invalid"): "history lists backups",
    (("hooks", "doctor"), "all-invalid"): "doctor reports on the hooks",
    (("registry", "list"), "all-invalid"): "the registry is not the modules",
    (("registry", "search"), "all-invalid"): "the registry is not the modules",
    (("registry", "publish"), "all-invalid"): "publishing an archive reads no module",
    (("registry", "add"), "all-invalid"): "registries are not modules",
    (("inspect",), "all-invalid"): "inspect reads the archive",
    (("merge",), "all-invalid"): "merge reads the archives",
    (("diff",), "all-invalid"): "diff reads the two files",
    (("crystallize",), "all-invalid"): "the prompt does not read modules",
    (("hooks", "install"), "all-invalid"): "hooks do not read modules",
    (("context",), "all-invalid"): "context reads the agents' instruction files, not modules",
    (("hooks", "uninstall"), "all-invalid"): "hooks do not read modules",
    (("mcp", "install"), "all-invalid"): "registering the server reads no module",
    (("mcp", "uninstall"), "all-invalid"): "registering the server reads no module",
    (("import",), "all-invalid"): "import replaces them",
    (("graft",), "all-invalid"): "graft replaces it",
    (("import-bundle",), "all-invalid"): "import-bundle writes new modules",
    (("snapshot",), "all-invalid"): "snapshot refuses or exports; checked for no traceback",
    (("slice",), "all-invalid"): "slice refuses or exports; checked for no traceback",
    (("bridge",), "stato-readonly"): "writes the instruction files beside .stato/",
    (("hooks", "install"), "stato-readonly"): "writes the agent's settings, not .stato/",
    (("hooks", "uninstall"), "stato-readonly"): "writes the agent's settings, not .stato/",
    (("mcp", "install"), "stato-readonly"): "writes the agent's MCP config, not .stato/",
    (("mcp", "uninstall"), "stato-readonly"): "writes the agent's MCP config, not .stato/",
    (("init",), "stato-readonly"): "nothing to create",
    (("merge",), "stato-readonly"): "writes the merged archive elsewhere",
    (("registry", "publish"), "stato-readonly"): "writes into the registry folder",
    (("snapshot",), "stato-readonly"): "writes the archive elsewhere",
    (("validate",), "stato-readonly"): "the module checked is outside .stato/",
    (("git", "install"), "all-invalid"): "registering the merge driver reads no module",
    (("git", "uninstall"), "all-invalid"): "registering the merge driver reads no module",
    (("git", "install"), "stato-readonly"): "writes .gitattributes and .git/config",
    (("git", "uninstall"), "stato-readonly"): "writes .gitattributes and .git/config",
    (("git", "install"), "skills-readonly"): "writes .gitattributes and .git/config",
    (("git", "uninstall"), "skills-readonly"): "writes .gitattributes and .git/config",
    (("merge-file",), "empty-folder"): "merge-file reads its three files, not a project",
    (("merge-file",), "stato-file"): "merge-file reads its three files, not a project",
    (("merge-file",), "all-invalid"): "merge-file reads its three files, not a project",
    (("merge-file",), "stato-readonly"): "merge-file writes OURS, outside .stato/",
    (("merge-file",), "skills-readonly"): "merge-file writes OURS, outside .stato/",
    (("merge-file",), "file-empty"): "an empty side is a file added or deleted: merged as git does",
}

# Cases known to fail in files another engineer owns: (command, case) -> reason naming the file.
XFAIL: dict[tuple[tuple[str, ...], str], str] = {}

# ---------------------------------------------------------------------------- the fixtures

QC_MODULE = '''class QualityControl:
    """QC."""
    name = "qc_filtering"
    version = "1.0.0"
    lessons_learned = """- keep it"""

    @staticmethod
    def run(**kwargs):
        return kwargs
'''
BUNDLE = "SKILLS = {\"s\": '''\nclass S:\n    name = \"s\"\n\n    @staticmethod\n    def run(**kw): pass\n'''}\n"  # noqa: E501


def _perms_enforced(tmp: Path) -> bool:
    probe = tmp / "probe"
    probe.mkdir()
    probe.chmod(0)
    try:
        list(probe.iterdir())
        return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        probe.rmdir()


def _chattr(folder: Path, flag: str) -> bool:
    """Set or clear the immutable flag on a folder and all it holds (True when it worked)."""
    done = subprocess.run(["chattr", "-R", flag, str(folder)], capture_output=True, check=False)
    return done.returncode == 0


@dataclass
class World:
    tmp: Path
    project: Path
    files: dict[str, Path]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An example project, an archive of it, fixture files and bad inputs, built once."""
    seed = tmp_path_factory.mktemp("seed")
    project = seed / "project"
    project.mkdir()
    r = CliRunner().invoke(cli, ["init", "--example", "--path", str(project)])
    assert r.exit_code == 0, r.output
    fx = seed / "fx"
    fx.mkdir()
    # The archive differs from the project (a new phase, a new qc version, one more skill),
    # so importing or grafting it really writes several files.
    other = seed / "other"
    shutil.copytree(project, other)
    memory = other / ".stato" / "memory.py"
    memory.write_text(re.sub(r'phase = "\w+"', 'phase = "v2"', memory.read_text()), "utf-8")
    qc = other / ".stato" / "skills" / "qc.py"
    qc.write_text(qc.read_text().replace('version = "1.2.0"', 'version = "1.3.0"'), "utf-8")
    (other / ".stato" / "skills" / "extra.py").write_text(
        QC_MODULE.replace("qc_filtering", "extra").replace("QualityControl", "Extra"), "utf-8"
    )
    r = CliRunner().invoke(
        cli, ["snapshot", "--name", "good", "--force", "-o", str(fx / "good.stato"),
              "--path", str(other)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    shutil.rmtree(other)
    # A backup to roll back to, step 4 done (so 5 can start), a registry that has an index.
    for argv in (
        ["lesson", "add", "qc_filtering", "seeded lesson"],
        ["plan", "done", "4"],
        ["registry", "publish", str(fx / "good.stato"), "--to", str(fx / "registry")],
    ):
        r = CliRunner().invoke(cli, [*argv, "--path", str(project)])
        assert r.exit_code == 0, r.output
    if shutil.which("git"):  # a repository, so `stato git install` has somewhere to go
        subprocess.run(["git", "init", "-q", str(project)], check=True, capture_output=True)
    (fx / "qc.py").write_text(QC_MODULE, encoding="utf-8")
    (fx / "qc2.py").write_text(QC_MODULE.replace("1.0.0", "1.1.0"), encoding="utf-8")
    (fx / "CLAUDE.md").write_text("# Rules\n\n- Use scanpy.\n", encoding="utf-8")
    (fx / "stato_bundle.py").write_text(BUNDLE, encoding="utf-8")
    bad = seed / "bad"
    bad.mkdir()
    (bad / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (bad / "nonutf8.py").write_bytes(b"class A:\n    name = '\xff\xfe\xe9'\n")
    (bad / "empty.stato").write_bytes(b"")
    (bad / "huge.py").write_bytes(b"# " + b"x" * (5 * 1024 * 1024) + b"\n")
    (bad / "adir").mkdir()
    os.symlink("loop2", bad / "loop1")
    os.symlink("loop1", bad / "loop2")
    (bad / "afile").write_text("not a folder\n", encoding="utf-8")
    (seed / "empty").mkdir()
    old = time.time() - 3600  # modules an hour old, as in real use (the summary cache trusts them)
    for path in seed.rglob("*.py"):
        if not path.is_symlink():
            os.utime(path, (old, old))
    (seed / "home").mkdir()
    return seed


@pytest.fixture
def world(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    shutil.copytree(seed, tmp_path / "w", symlinks=True)
    tmp = tmp_path / "w"
    monkeypatch.setenv("HOME", str(tmp / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp / "home" / ".config"))
    monkeypatch.setenv("STATO_CACHE_DIR", str(tmp_path / "cache"))
    fx, bad = tmp / "fx", tmp / "bad"
    files = {
        "archive": fx / "good.stato",
        "module": fx / "qc.py",
        "module2": fx / "qc2.py",
        "md": fx / "CLAUDE.md",
        "bundle": fx / "stato_bundle.py",
        "registry": fx / "registry",
        "out": tmp / "out.stato",
        "missing": bad / "missing.py",
        "dir": bad / "adir",
        "binary": bad / "binary.bin",
        "nonutf8": bad / "nonutf8.py",
        "empty": bad / "empty.stato",
        "huge": bad / "huge.py",
        "loop": bad / "loop1",
        "afile": bad / "afile",
        "empty_folder": tmp / "empty",
    }
    return World(tmp, tmp / "project", files)


# ---------------------------------------------------------------------------- building calls


def _sample(words: tuple[str, ...]) -> dict[str, object]:
    """Values for the command's arguments and required options: the table, else by type."""
    given = dict(SAMPLES.get(words, {}))
    for p in _command(words).params:
        if p.name is None or p.name in given or not (isinstance(p, click.Argument) or p.required):
            continue
        if isinstance(p.type, (click.Path, click.File)):
            value: object = "{module}"
        elif isinstance(p.type, (click.types.IntParamType, click.types.FloatParamType)):
            value = "1"
        elif isinstance(p.type, click.Choice):
            value = str(p.type.choices[0])
        else:
            value = "x"
        given[p.name] = [value] if p.nargs != 1 else value
    return given


def _argv(words: tuple[str, ...], values: dict[str, object], world: World) -> list[str]:
    def fill(v: object) -> str:
        s = str(v)
        if s.startswith("{") and s.endswith("}"):
            return str(world.files[s[1:-1]])
        return s

    argv = list(words)
    positional: list[str] = []
    for p in _command(words).params:
        if p.name not in values:
            continue
        v = values[p.name]
        if isinstance(p, click.Argument):
            positional += [fill(x) for x in v] if isinstance(v, list) else [fill(v)]
        elif isinstance(v, list):  # a repeatable option
            for x in v:
                argv += [p.opts[0], fill(x)]
        elif isinstance(p, click.Option) and p.is_flag:
            if v:
                argv.append(p.opts[0])
        else:
            argv += [p.opts[0] if len(p.opts[0]) > 2 else p.opts[-1], fill(v)]
    return [*argv, "--", *positional] if positional else argv


def _has(words: tuple[str, ...], name: str) -> bool:
    return any(p.name == name for p in _command(words).params)


def _file_params(words: tuple[str, ...]) -> list[str]:
    """Arguments and options whose sample value is a fixture file (not a folder or output)."""
    out = []
    for name, v in _sample(words).items():
        first = v[0] if isinstance(v, list) else v
        if isinstance(first, str) and first in {"{archive}", "{module}", "{md}", "{bundle}"}:
            out.append(name)
    return out


@dataclass(frozen=True)
class Case:
    words: tuple[str, ...]
    name: str
    param: str | None = None  # the parameter a file case replaces


BAD_FILES = ("missing", "dir", "binary", "nonutf8", "empty", "huge", "loop")
PROJECT_CASES = ("empty-folder", "path-missing", "path-file", "path-loop", "path-unreadable", "stato-file",
                 "all-invalid", "stato-readonly", "skills-readonly", "module-binary",
                 "module-nonutf8", "module-loop", "module-dir", "module-huge",
                 "core-nonutf8", "core-odd")  # fmt: skip
# A hostile file among the project's modules: every command must survive it (no crash, nothing
# lost); most simply report it as an invalid module.
HOSTILE_MODULES = {"module-binary", "module-nonutf8", "module-loop", "module-dir", "module-huge",
                   "core-nonutf8", "core-odd"}  # fmt: skip


def _cases() -> list[Case]:
    cases = []
    for words in LEAVES:
        for name in PROJECT_CASES:
            if name.startswith("path-") and not _has(words, "path"):
                continue
            cases.append(Case(words, name))
        for param in _file_params(words):
            cases += [Case(words, f"file-{bad}", param) for bad in BAD_FILES]
    return cases


CASES = _cases()


def _ids(case: Case) -> str:
    return " ".join(case.words) + ":" + case.name + (f"[{case.param}]" if case.param else "")


def _invoke(argv: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, argv, catch_exceptions=True)


def assert_clean_failure(result: Result, what: str) -> None:
    """Exit 1 or 2, no traceback, and stderr is one `error:` line (or click's usage message)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{what}: raised {result.exception!r}"
    )
    assert result.exit_code in (1, 2), f"{what}: exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output, what
    err = result.stderr.strip().splitlines()
    if result.exit_code == 2 and any(line.startswith("Usage:") for line in err):
        assert err[-1].startswith("Error:"), f"{what}: {result.stderr}"
        return
    assert len(err) == 1 and err[0].startswith("error: "), f"{what}: {result.stderr!r}"


def _run_case(
    case: Case, world: World, monkeypatch: pytest.MonkeyPatch
) -> tuple[Result, dict[str, object]]:
    values = _sample(case.words)
    cwd = world.project
    project = world.project
    # Taken before the set-up makes folders unreadable or read-only: the test gives their modes
    # back before it compares, so the tree it compares against is the one with modes intact.
    before: dict[str, object] | None = None
    if case.name == "empty-folder":
        cwd = project = world.files["empty_folder"]
    elif case.name == "path-missing":
        values["path"] = str(world.tmp / "no" / "such" / "folder")
    elif case.name == "path-loop":
        values["path"] = str(world.files["loop"])
    elif case.name == "path-file":
        values["path"] = str(world.files["afile"])
    elif case.name == "path-unreadable":
        if not _perms_enforced(world.tmp):
            pytest.skip("permissions are not enforced (running as root)")
        locked = world.tmp / "locked"
        locked.mkdir()
        before = entries(world.tmp)
        locked.chmod(0)
        values["path"] = str(locked)
    elif case.name == "stato-file":
        project = world.tmp / "broken"
        project.mkdir()
        (project / ".stato").write_text("not a folder\n", encoding="utf-8")
        cwd = project
    elif case.name == "all-invalid":
        for py in (project / ".stato").rglob("*.py"):
            py.write_text("class Broken(:\n", encoding="utf-8")
    elif case.name in HOSTILE_MODULES:
        bad = project / ".stato" / "skills" / "hostile.py"
        if case.name == "core-nonutf8":  # plan, memory, context and a skill: latin-1 bytes
            for rel in ("plan.py", "memory.py", "context.py", "skills/qc.py"):
                path = project / ".stato" / rel
                path.write_bytes(path.read_bytes().replace(b'"""', b'"""\xe9', 1))
        elif case.name == "core-odd":  # plan.py a folder, memory.py a link loop, context binary
            (project / ".stato" / "plan.py").unlink()
            (project / ".stato" / "plan.py").mkdir()
            (project / ".stato" / "memory.py").unlink()
            os.symlink("memory.py", project / ".stato" / "memory.py")
            (project / ".stato" / "context.py").write_bytes(b"\0" * 100)
        elif case.name == "module-binary":
            bad.write_bytes(bytes(range(256)) * 16)
        elif case.name == "module-nonutf8":
            bad.write_bytes(b"class A:\n    name = '\xff'\n")
        elif case.name == "module-loop":
            os.symlink("hostile.py", bad)
        elif case.name == "module-dir":
            bad.mkdir()
        else:
            bad.write_bytes(b"class Huge:\n    name = 'huge'\n" + b"# " + b"x" * 5_000_000 + b"\n")
    elif case.name in ("stato-readonly", "skills-readonly"):
        # skills-readonly: .stato/ takes new files but skills/ does not, so a multi-file
        # write fails part-way unless it checks first: all or nothing.
        stato = project / ".stato" / ("skills" if case.name == "skills-readonly" else "")
        before = entries(world.tmp)
        if _perms_enforced(world.tmp):
            for d in [stato, *(p for p in stato.rglob("*") if p.is_dir())]:
                d.chmod(0o555)
        elif shutil.which("chattr") and _chattr(stato, "+i"):
            pass  # root ignores modes; the immutable flag stops even root
        else:
            pytest.skip("cannot make a folder read-only here")
    elif case.param is not None:
        bad = case.name.removeprefix("file-")
        old = values[case.param]
        values[case.param] = [f"{{{bad}}}"] if isinstance(old, list) else f"{{{bad}}}"
    if "path" not in values and _has(case.words, "path") and case.name != "empty-folder":
        values["path"] = str(project)
    if before is None:
        before = entries(world.tmp)
    return _invoke(_argv(case.words, values, world), cwd, monkeypatch), before


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_bad_input_is_a_clean_error_and_loses_nothing(
    case: Case, world: World, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    key = (case.words, case.name)
    if key in XFAIL:
        request.applymarker(pytest.mark.xfail(reason=XFAIL[key], strict=True))
    try:
        result, before = _run_case(case, world, monkeypatch)
    finally:
        if case.name.endswith("-readonly") and shutil.which("chattr"):
            _chattr(world.project / ".stato", "-i")
        for p in world.tmp.rglob("*"):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
    what = f"stato {' '.join(case.words)} ({case.name})"
    if case.name.endswith("-readonly") and case.words not in WRITERS:
        # A read-only project (a read-only mount, another user's checkout) can still be read.
        assert result.exception is None or isinstance(result.exception, SystemExit), what
        if case.words in FAILING_SAMPLES | REPORTS:
            assert result.exit_code in (0, 1), f"{what}: {result.output}"
        else:
            assert result.exit_code == 0, f"{what}: {result.output}"
        assert entries(world.tmp) == before, what
        return
    if case.name == "skills-readonly" and result.exit_code == 0:
        return  # the command had nothing to write in skills/; failing there is what is checked
    if case.name in HOSTILE_MODULES:
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{what}: raised {result.exception!r}"
        )
        assert "Traceback" not in result.output and "internal error" not in result.output, what
        assert result.exit_code in (0, 1, 2), f"{what}: exit {result.exit_code}"
        if result.exit_code != 0 and case.words in WRITERS:
            after = entries(world.tmp)
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            assert not changed, f"{what}: failed but changed {changed}"
        return
    legit = key in LEGIT
    if legit:
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{what}: raised {result.exception!r}"
        )
        assert "Traceback" not in result.output, what
        assert result.exit_code in (0, 1, 2), f"{what}: exit {result.exit_code}"
        if result.exit_code == 2:
            assert_clean_failure(result, what)
        if result.exit_code != 0 and case.words in WRITERS:
            changed = sorted(
                k
                for k in set(before) | set(entries(world.tmp))
                if before.get(k) != entries(world.tmp).get(k)
            )
            assert not changed, f"{what}: failed but changed {changed}"
        return
    assert_clean_failure(result, what)
    after = entries(world.tmp)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f"{what}: changed {changed}"


# ---------------------------------------------------------------------------- bad values

# Bad values for one command, in the example project: (words, argv after them). "{x}" is a file.
BAD_ARGS: list[tuple[tuple[str, ...], list[str]]] = [
    (("bridge",), ["--platform", "bogus"]),
    (("import-bundle",), ["{bundle}", "--platform", "bogus"]),
    (("snapshot",), ["--name", "x", "--type", "bogus", "-o", "{out}"]),
    (("snapshot",), ["--name", "x", "--module", "skills/nope", "-o", "{out}"]),
    (("snapshot",), ["--name", "x", "--sanitize", "--force", "-o", "{out}"]),
    (("snapshot",), ["--name", "x", "--force", "-o", "{dir}"]),
    (("slice",), ["--module", "skills/nope.py", "-o", "{out}"]),
    (("slice",), ["--module", "skills/qc.py", "--sanitize", "--force", "-o", "{out}"]),
    (("history",), ["skills/nope.py"]),
    (("rollback",), ["skills/nope.py"]),
    (("rollback",), ["skills/qc.py", "--to", "99"]),
    (("graft",), ["{archive}", "--module", "skills/nope.py"]),
    (("import",), ["{archive}", "--module", "skills/nope.py"]),
    (("inspect",), ["{module}"]),
    (("merge",), ["{archive}", "{module}", "-o", "{out}"]),
    (("merge",), ["{archive}", "{archive}", "-o", "{dir}"]),
    (("diff",), ["skills/nope.py"]),
    (("lesson", "add"), ["no_such_skill", "a lesson"]),
    (("lesson", "add"), ["qc_filtering", ""]),
    (("plan", "done"), ["999"]),
    (("plan", "start"), ["--", "-1"]),
    (("plan", "add"), ["x", "--after", "999"]),
    (("plan", "add"), [""]),
    (("memory", "add-issue"), ["", "text"]),
    (("memory", "set"), ["", "x"]),
    (("write",), ["../outside.py", "--from", "{module}"]),
    (("write",), ["/tmp/stato-sweep-outside.py", "--from", "{module}"]),
    (("registry", "install"), ["no-such-package", "--registry", "{registry}"]),
    (("registry", "install"), ["x", "--registry", "gopher://x"]),
    (("registry", "search"), ["x", "--registry", "{missing}"]),
    (("registry", "list"), ["--registry", "{afile}"]),
    (("registry", "list"), ["--timeout", "-1", "--registry", "{registry}"]),
    (("registry", "add"), ["gopher://x"]),
    (("registry", "add"), ["http://[::1"]),
    (("registry", "list"), ["--registry", "http://[::1"]),
    (("registry", "install"), ["x", "--registry", "http://127.0.0.1:1/", "--timeout", "5"]),
    (("registry", "publish"), ["{archive}", "--to", "{afile}"]),
    (("registry", "publish"), ["{module}", "--to", "{registry}"]),
    (("resume",), ["--brief", "--raw"]),
    (("resume",), ["--brief", "--json"]),
    (("init",), ["--mcp", "bogus"]),
    (("scan",), ["{missing}"]),
    (("validate",), ["{missing}"]),
    (("validate",), ["--suppress", "X999", "{module}"]),
    (("convert",), ["{missing}"]),
    (("crystallize",), ["--print", "--web", "--path", "{afile}"]),
    (("status",), ["--path", "{loop}"]),
    (("write",), ["skills/../../x.py", "--from", "{module}"]),
    (("write",), [".history/x.py", "--from", "{module}"]),
    (("write",), ["", "--from", "{module}"]),
    (("write",), ["skills/new.py", "--from", "{missing}"]),
    (("history",), ["../../etc/passwd"]),
    (("rollback",), ["../../etc/passwd"]),
    (("import",), ["{archive}", "--module", "../x.py"]),
    (("graft",), ["{archive}", "--module", "../x.py"]),
    (("snapshot",), ["--name", "", "-o", "{out}"]),
    (("snapshot",), ["--name", "../evil"]),
    (("snapshot",), ["--name", "a/b"]),
    (("slice",), ["--module", "../x.py", "-o", "{out}"]),
    (("registry", "install"), ["", "--registry", "{registry}"]),
    (("registry", "install"), ["../../etc", "--registry", "{registry}"]),
    (("registry", "install"), ["pkg@not-a-version", "--registry", "{registry}"]),
    (("memory", "set"), ["__class__", "x"]),
    (("plan", "done"), ["0"]),
]


def _fill(argv: list[str], world: World) -> list[str]:
    return [str(world.files[a[1:-1]]) if a.startswith("{") and a.endswith("}") else a for a in argv]


@pytest.mark.parametrize(
    ("words", "argv"), BAD_ARGS, ids=[" ".join(w) + ":" + " ".join(a) for w, a in BAD_ARGS]
)
def test_a_bad_value_is_a_clean_error(
    words: tuple[str, ...],
    argv: list[str],
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    key = (words, " ".join(argv))
    if key in XFAIL:
        request.applymarker(pytest.mark.xfail(reason=XFAIL[key], strict=True))
    before = entries(world.tmp)
    result = _invoke([*words, *_fill(argv, world)], world.project, monkeypatch)
    what = f"stato {' '.join(words)} {' '.join(argv)}"
    assert_clean_failure(result, what)
    after = entries(world.tmp)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f"{what}: changed {changed}"
    assert not Path("/tmp/stato-sweep-outside.py").exists()


def _typed_cases() -> list[tuple[tuple[str, ...], str, str]]:
    """Every choice option given a value not in it, every number given a word."""
    out = []
    for words in LEAVES:
        for p in _command(words).params:
            if not isinstance(p, click.Option) or p.is_flag:
                continue
            if isinstance(p.type, click.Choice):
                out.append((words, p.opts[0], "bogus"))
            elif isinstance(p.type, (click.types.IntParamType, click.types.FloatParamType)):
                out.append((words, p.opts[0], "abc"))
    return out


TYPED = _typed_cases()


@pytest.mark.parametrize(
    ("words", "opt", "value"), TYPED, ids=[f"{' '.join(w)}:{o}={v}" for w, o, v in TYPED]
)
def test_an_unknown_choice_or_a_word_for_a_number_is_a_usage_error(
    words: tuple[str, ...], opt: str, value: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = _sample(words)
    argv = _argv(words, values, world)
    split = argv.index("--") if "--" in argv else len(argv)
    argv[split:split] = [opt, value]
    before = entries(world.tmp)
    result = _invoke(argv, world.project, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith("Error: Invalid value for")
    assert entries(world.tmp) == before


@pytest.mark.parametrize("words", EVERY, ids=lambda w: " ".join(w) or "stato")
def test_every_command_has_help(
    words: tuple[str, ...], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entries(world.tmp)
    result = _invoke([*words, "--help"], world.project, monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ") and "--help" in result.stdout
    assert "\x1b[" not in result.stdout
    assert entries(world.tmp) == before


JSON_LEAVES = [w for w in LEAVES if _has(w, "as_json")]
# Commands that report nothing a script would parse: the agents' hook prints its own JSON.
NO_JSON = {("hooks", "run"): "its stdout is the agent's hook JSON already"}


def test_every_command_that_reports_has_json() -> None:
    """The house rule: every reporting command takes --json (a new command without it fails)."""
    missing = [w for w in LEAVES if w not in JSON_LEAVES and w not in NO_JSON]
    assert not missing, missing
    for words in JSON_LEAVES:
        (opt,) = [p for p in _command(words).params if p.name == "as_json"]
        assert isinstance(opt, click.Option) and opt.opts == ["--json"] and opt.is_flag, words


@pytest.mark.parametrize("words", JSON_LEAVES, ids=lambda w: " ".join(w))
def test_json_is_one_document_on_success_and_on_failure(
    words: tuple[str, ...], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = _sample(words)
    values["as_json"] = True
    ok = _invoke(_argv(words, values, world), world.project, monkeypatch)
    assert ok.exception is None or isinstance(ok.exception, SystemExit), repr(ok.exception)
    if ok.exit_code == 0 or (ok.exit_code == 1 and ok.stdout.strip()):
        json.loads(ok.stdout)  # exactly one document: json.loads refuses trailing text
        assert "\x1b[" not in ok.stdout
    empty = world.files["empty_folder"]
    if words == ("init",):
        values["path"] = str(world.files["afile"])
    else:
        values.update({k: "{missing}" for k in _file_params(words)})
        values["path"] = str(empty)
    bad = _invoke(_argv(words, values, world), empty, monkeypatch)
    assert bad.exit_code in (0, 1, 2), f"{words}: exit {bad.exit_code}: {bad.output}"
    # The contract (pinned by the recorded outputs in test_plan_views and test_merge_hostile):
    # a report that failed is one JSON document; a tool error is nothing on stdout and one
    # `error:` line on stderr. Never text, or half a document, on stdout.
    if bad.stdout.strip():
        json.loads(bad.stdout)
    else:
        assert_clean_failure(bad, f"stato {' '.join(words)} --json")


SUBPROCESS = [
    ["status"],
    ["validate", "{missing}"],
    ["inspect", "{empty}"],
    ["graft", "{missing}"],
    ["import", "{binary}"],
    ["status", "--json"],
    ["plan", "done", "1", "--path", "{afile}"],
    ["bridge", "--platform", "bogus"],
]


@pytest.mark.parametrize("argv", SUBPROCESS, ids=" ".join)
def test_a_real_process_fails_in_one_plain_line(argv: list[str], world: World) -> None:
    before = entries(world.tmp)
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "stato", *_fill(argv, world)],
        capture_output=True, text=True, check=False, cwd=world.files["empty_folder"], env=env,
    )  # fmt: skip
    assert proc.returncode in (1, 2), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "\x1b[" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    if proc.returncode == 1:
        assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    else:
        assert lines[-1].startswith("Error: "), proc.stderr
    assert entries(world.tmp) == before


# ---------------------------------------------------------------------------- focused tests


def test_an_os_error_is_one_line_naming_the_path(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = world.files["loop"]
    result = _invoke(["diff", str(loop), str(world.files["module"])], world.project, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: Too many levels of symbolic links: {loop} (check the path and its permissions)"
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "diff", str(loop), str(world.files["module"])],
        capture_output=True, text=True, check=False, cwd=world.project,
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == result.stderr.splitlines()


@pytest.mark.parametrize("argv", [["init"], ["import", "{archive}"], ["status"]])
def test_a_stato_file_is_named_in_one_line(
    argv: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = world.tmp / "broken"
    folder.mkdir()
    (folder / ".stato").write_text("x\n", encoding="utf-8")
    before = entries(world.tmp)
    args = [str(world.files["archive"]) if a == "{archive}" else a for a in argv]
    result = _invoke(args, folder, monkeypatch)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"error: {folder / '.stato'} is not a folder; move it away, then run `stato init` there"
    ]
    assert entries(world.tmp) == before


def test_registry_remove_of_an_unknown_address_is_one_error_line(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entries(world.tmp)
    result = _invoke(
        ["registry", "remove", "https://nowhere.example/reg"], world.project, monkeypatch
    )
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: https://nowhere.example/reg is not in ")
    assert entries(world.tmp) == before


@pytest.mark.parametrize("verb", ["add", "remove"])
def test_registry_config_edit_with_a_missing_path_touches_no_config(
    verb: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entries(world.tmp)
    missing = world.tmp / "no" / "such"
    argv = ["registry", verb, str(world.files["registry"]), "--path", str(missing)]
    result = _invoke(argv, world.project, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: no folder {missing}; give --path a project folder (or use --user)"
    ]
    assert entries(world.tmp) == before


def test_history_of_a_module_that_never_existed_is_an_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _invoke(["history", "skills/nope.py"], world.project, monkeypatch)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: no module skills/nope.py in ")
    kept = _invoke(["history", "skills/normalize.py"], world.project, monkeypatch)  # no backups
    assert kept.exit_code == 0 and "No backups of skills/normalize.py yet." in kept.stdout


@pytest.mark.parametrize(
    "words", [["snapshot", "--name", "x"], ["slice", "--module", "skills/qc.py"]]
)
def test_sanitize_with_force_is_refused_not_silently_unsanitized(
    words: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entries(world.tmp)
    out = world.files["out"]
    result = _invoke([*words, "--sanitize", "--force", "-o", str(out)], world.project, monkeypatch)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: --sanitize and --force contradict each other")
    assert not out.exists() and entries(world.tmp) == before


@pytest.mark.parametrize(
    "flags", [["--brief", "--raw"], ["--raw", "--json"], ["--brief", "--json"]]
)
def test_resume_takes_one_form(
    flags: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _invoke(["resume", *flags], world.project, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: --brief, --raw and --json are three forms of the recap; give one"
    ]
    one = _invoke(["resume", "--json"], world.project, monkeypatch)
    assert one.exit_code == 0 and json.loads(one.stdout)


def _make_readonly(folder: Path, tmp: Path) -> None:
    if _perms_enforced(tmp):
        for d in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
            d.chmod(0o555)
    elif not (shutil.which("chattr") and _chattr(folder, "+i")):
        pytest.skip("cannot make a folder read-only here")


def _undo_readonly(folder: Path) -> None:
    if shutil.which("chattr"):
        _chattr(folder, "-i")
    for d in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        d.chmod(0o755)


@pytest.mark.parametrize(
    "argv",
    [
        ["lesson", "add", "qc_filtering", "a lesson"],
        ["graft", "{archive}", "--module", "skills/qc.py", "--on-conflict", "replace"],
    ],
    ids=["lesson", "graft"],
)
def test_a_refused_module_write_leaves_no_backup(
    argv: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    skills = world.project / ".stato" / "skills"
    before = entries(world.tmp)
    _make_readonly(skills, world.tmp)
    try:
        result = _invoke(_fill(argv, world), world.project, monkeypatch)
    finally:
        _undo_readonly(skills)
    assert_clean_failure(result, " ".join(argv))
    assert entries(world.tmp) == before  # no stray backup in .history/skills/


def test_an_import_that_cannot_write_everything_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The archive changes memory.py (its folder takes files) and skills/qc.py (it does not).
    skills = world.project / ".stato" / "skills"
    before = entries(world.tmp)
    _make_readonly(skills, world.tmp)
    try:
        argv = ["import", str(world.files["archive"]), "--on-conflict", "replace"]
        result = _invoke(argv, world.project, monkeypatch)
    finally:
        _undo_readonly(skills)
    assert_clean_failure(result, "import")
    assert result.stderr.startswith(f"error: cannot write in {skills} (")
    assert entries(world.tmp) == before  # memory.py, .history/, .staging/ and the journal included
    again = _invoke(argv, world.project, monkeypatch)  # writable again: the same import works
    assert again.exit_code == 0, again.output
    assert 'phase = "v2"' in (world.project / ".stato" / "memory.py").read_text()


BUNDLE_TWO = "MEMORY = '''\nclass ProjectState:\n    phase = \"bundled\"\n'''\n" + BUNDLE.replace(
    '"s"', '"fresh_skill"'
).replace("class S:", "class FreshSkill:")


def test_a_bundle_that_cannot_write_everything_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = world.tmp / "two_bundle.py"
    bundle.write_text(BUNDLE_TWO, encoding="utf-8")
    skills = world.project / ".stato" / "skills"
    before = entries(world.tmp)
    _make_readonly(skills, world.tmp)
    try:
        argv = ["import-bundle", str(bundle), "--no-bridge"]
        result = _invoke(argv, world.project, monkeypatch)
    finally:
        _undo_readonly(skills)
    assert_clean_failure(result, "import-bundle")
    assert entries(world.tmp) == before
    again = _invoke(argv, world.project, monkeypatch)
    assert again.exit_code == 0, again.output
    assert 'phase = "bundled"' in (world.project / ".stato" / "memory.py").read_text()


def test_a_convert_that_cannot_write_everything_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    skill_md = world.tmp / "SKILL.md"
    skill_md.write_text(
        "---\nname: pdf-tools\ndescription: Work with PDF files.\n---\n\n# PDF tools\n\n"
        "- Use pypdf to read them.\n",
        encoding="utf-8",
    )
    skills = world.project / ".stato" / "skills"
    before = entries(world.tmp)
    _make_readonly(skills, world.tmp)
    try:
        argv = ["convert", str(world.files["md"]), str(skill_md)]
        result = _invoke(argv, world.project, monkeypatch)
    finally:
        _undo_readonly(skills)
    assert_clean_failure(result, "convert")
    assert entries(world.tmp) == before
    again = _invoke(argv, world.project, monkeypatch)
    assert again.exit_code == 0, again.output
    assert any("pdf" in p.name for p in skills.iterdir()), again.output


def test_a_path_that_is_a_link_loop_is_one_error_line(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = world.files["loop"]
    for argv in (
        ["status", "--path", str(loop)],
        ["import", str(world.files["archive"]), "--path", str(loop)],
    ):
        result = _invoke(argv, world.project, monkeypatch)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines() == [
            f"error: {loop} is a symbolic link loop; give --path a real folder"
        ]


@pytest.mark.parametrize(
    "argv", [["status"], ["validate"], ["resume"], ["plan"], ["inspect", "{archive}"]]
)
@pytest.mark.parametrize("no_color", ["1", None])
def test_piped_output_is_plain_text(argv: list[str], no_color: str | None, world: World) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    if no_color:
        env["NO_COLOR"] = no_color
    proc = subprocess.run(
        [sys.executable, "-m", "stato", *_fill(argv, world)],
        capture_output=True, text=True, check=False, cwd=world.project, env=env,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.strip() and "\x1b[" not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_color_is_respectedon_a_terminal(world: World) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="120")
    coloured = on_a_terminal(["status"], world.project, env)
    plain = on_a_terminal(["status"], world.project, {**env, "NO_COLOR": "1"})
    assert "qc" in plain and not colours(plain)  # bold or italic may stay (no-color.org)
    assert colours(coloured)  # the check can fail: a terminal without NO_COLOR gets colour


_BOX = re.compile("[\u2500-\u257f]")  # rich's table and panel borders


@pytest.mark.parametrize(
    "words", [w for w in LEAVES if w != ("hooks", "run")], ids=lambda w: " ".join(w)
)
def test_every_command_is_plain_when_piped_and_colourless_with_no_color(
    words: tuple[str, ...], world: World
) -> None:
    """Each command's sample, as a real process: piped, no escape and no box drawing (even
    with TERM set); on a terminal with NO_COLOR, no colour (bold may stay, no-color.org).
    `hooks run` is the agents' JSON hook, checked in test_a_hook_never_fails_the_agent."""
    values = _sample(words)
    if _has(words, "path"):
        values["path"] = str(world.project)
    argv = _argv(words, values, world)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="120")
    proc = subprocess.run(
        [sys.executable, "-m", "stato", *argv],
        capture_output=True, text=True, check=False, cwd=world.project, env=env,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "\x1b[" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert not _BOX.search(proc.stdout), proc.stdout
    screen = on_a_terminal(argv, world.project, {**env, "NO_COLOR": "1"})
    assert "Traceback" not in screen and not colours(screen), screen


def colours(text: str) -> set[str]:
    """The colour parameters of the SGR escape sequences in ``text`` (30-49, 90-107)."""
    found = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", text):
        for p in params.split(";"):
            if p.isdigit() and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
                found.add(p)
    return found


# Samples that fail on purpose (the sweep's bad input is in the sample itself).
FAILING_SAMPLES = {("registry", "install"), ("registry", "remove")} | (
    set() if shutil.which("git") else {("git", "install"), ("git", "uninstall")}
)
# Samples whose exit 1 is a report, not an error: no hooks installed.
REPORTS = {("hooks", "doctor")}


@pytest.mark.parametrize("words", LEAVES, ids=lambda w: " ".join(w))
def test_each_sample_works_on_the_good_project(
    words: tuple[str, ...], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep's calls succeed before they are broken, so each failure is the bad input's."""
    values = _sample(words)
    if _has(words, "path"):
        values["path"] = str(world.project)
    result = _invoke(_argv(words, values, world), world.project, monkeypatch)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if words in FAILING_SAMPLES:
        assert_clean_failure(result, " ".join(words))
    elif words in REPORTS:
        assert result.exit_code in (0, 1), f"{words}: {result.output}"
    else:
        assert result.exit_code == 0, f"{words}: {result.output}"


@pytest.mark.parametrize(
    "content", [b"registry = [\n\xff\xfe", b"registry = [\n", b"[registry]\nurls = 5\n"]
)
@pytest.mark.parametrize(
    "argv",
    [["registry", "list"], ["registry", "add", "{registry}"], ["registry", "install", "x"]],
    ids=" ".join,
)
def test_a_broken_config_is_one_error_line(
    content: bytes, argv: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    (world.project / ".stato" / "config.toml").write_bytes(content)
    before = entries(world.tmp)
    result = _invoke(_fill(argv, world), world.project, monkeypatch)
    assert_clean_failure(result, " ".join(argv))
    assert "config.toml" in result.stderr
    assert entries(world.tmp) == before


@pytest.mark.parametrize(
    "argv", [["plan", "done", "5"], ["memory", "set", "phase", "x"], ["plan"]], ids=" ".join
)
def test_a_module_that_is_not_utf8_is_named_in_one_line(
    argv: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = "plan.py" if argv[0] == "plan" else "memory.py"
    path = world.project / ".stato" / rel
    path.write_bytes(path.read_bytes().replace(b'"""', b'"""\xe9', 1))
    before = entries(world.tmp)
    result = _invoke(argv, world.project, monkeypatch)
    assert_clean_failure(result, " ".join(argv))
    assert result.stderr.startswith(f"error: .stato/{rel} is not UTF-8 text (invalid byte at")
    assert entries(world.tmp) == before


@pytest.mark.parametrize(
    "stdin",
    [b"", b"{", b"[1, 2]", b'{"cwd": 5}', b'{"cwd": "/no/such/folder"}', bytes(range(256))],
    ids=["empty", "torn", "list", "cwd-number", "cwd-missing", "binary"],
)
def test_a_hook_never_fails_the_agent(stdin: bytes, world: World) -> None:
    before = entries(world.tmp)
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "hooks", "run", "--agent", "claude"],
        input=stdin, capture_output=True, check=False, cwd=world.project,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    assert entries(world.tmp) == before


def test_debug_shows_the_traceback_and_only_then(world: World) -> None:
    empty = world.files["empty_folder"]
    run = [sys.executable, "-m", "stato"]
    debug = subprocess.run([*run, "--debug", "status"], capture_output=True, text=True, cwd=empty)
    plain = subprocess.run([*run, "status"], capture_output=True, text=True, cwd=empty)
    assert debug.returncode == plain.returncode == 1
    assert "Traceback" in debug.stderr and "ProjectNotFound" in debug.stderr
    assert "Traceback" not in plain.stderr and len(plain.stderr.splitlines()) == 1
    # "Add --debug to see a traceback" (README): after the command too, where people add it
    # (it was "No such option '--debug'").
    after = subprocess.run([*run, "status", "--debug"], capture_output=True, text=True, cwd=empty)
    assert after.returncode == 1 and "Traceback" in after.stderr, after.stderr


def test_an_unknown_command_is_a_usage_error(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in (["bogus"], ["plan", "bogus"], ["registry", "bogus"], ["status", "--bogus"]):
        result = _invoke(argv, world.project, monkeypatch)
        assert result.exit_code == 2, argv
        assert result.stderr.strip().splitlines()[-1].startswith("Error: No such"), argv


def test_init_example_that_cannot_write_its_skills_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = world.tmp / "fresh"
    skills = folder / ".stato" / "skills"
    skills.mkdir(parents=True)
    before = entries(world.tmp)
    _make_readonly(skills, world.tmp)
    try:
        result = _invoke(["init", "--example"], folder, monkeypatch)
    finally:
        _undo_readonly(skills)
    assert_clean_failure(result, "init --example")
    assert entries(world.tmp) == before  # not plan.py and memory.py without the skills
    again = _invoke(["init", "--example"], folder, monkeypatch)
    assert again.exit_code == 0 and (skills / "qc.py").is_file()
    # A complete project that cannot be written is still fine to init again: nothing to make.
    _make_readonly(folder / ".stato", world.tmp)
    try:
        twice = _invoke(["init", "--example"], folder, monkeypatch)
    finally:
        _undo_readonly(folder / ".stato")
    assert twice.exit_code == 0, twice.output


def test_validate_writes_all_its_fixes_or_none(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    stato = world.project / ".stato"
    for rel, old, new in (
        ("plan.py", 'version = "1.0.0"', 'version = "1.0"'),
        ("skills/qc.py", 'version = "1.2.0"', 'version = "1.2"'),
    ):
        text = (stato / rel).read_text(encoding="utf-8")
        assert old in text
        (stato / rel).write_text(text.replace(old, new), encoding="utf-8")
    before = entries(world.tmp)
    _make_readonly(stato / "skills", world.tmp)
    try:
        result = _invoke(["validate"], world.project, monkeypatch)
    finally:
        _undo_readonly(stato / "skills")
    assert_clean_failure(result, "validate")
    assert entries(world.tmp) == before  # plan.py not fixed alone
    again = _invoke(["validate"], world.project, monkeypatch)
    assert again.exit_code == 0, again.output
    assert 'version = "1.0.0"' in (stato / "plan.py").read_text(encoding="utf-8")
    assert 'version = "1.2.0"' in (stato / "skills" / "qc.py").read_text(encoding="utf-8")


def test_crystallize_keeps_a_prompt_it_cannot_read_and_leaves_no_stray_backup(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = world.project / ".stato" / "prompts"
    prompts.mkdir(exist_ok=True)
    mine = prompts / "crystallize.md"
    mine.write_bytes(b"my own prompt, in latin-1: caf\xe9\n")
    before = entries(world.tmp)
    _make_readonly(prompts, world.tmp)
    try:
        refused = _invoke(["crystallize"], world.project, monkeypatch)
    finally:
        _undo_readonly(prompts)
    assert_clean_failure(refused, "crystallize")
    assert entries(world.tmp) == before  # no backup of a prompt that was not replaced
    done = _invoke(["crystallize"], world.project, monkeypatch)
    assert done.exit_code == 0, done.output
    kept = list((world.project / ".stato" / ".history" / "prompts").iterdir())
    assert [k.read_bytes() for k in kept] == [b"my own prompt, in latin-1: caf\xe9\n"]


def test_every_command_in_the_table_is_swept() -> None:
    from stato.cli import COMMANDS

    swept = {words[0] for words in LEAVES} | {words[0] for words in EVERY if words}
    assert set(COMMANDS) <= swept
    by_command = {words: {c.name for c in CASES if c.words == words} for words in LEAVES}
    assert all(len(names) >= 5 for names in by_command.values()), by_command
    assert len(CASES) + len(BAD_ARGS) + len(TYPED) + len(EVERY) > 700
