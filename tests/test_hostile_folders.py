"""Property: no command turns a hostile project folder against its user (issue 10).

Hypothesis builds project folders an attacker could ship — planted import journals and staging
files pointing outside, links from .stato/ and the agents' files to the user's files and
folders, FIFOs and folders where files go, modules in odd bytes (not UTF-8, BOMs, NUL, huge
numbers, deep nesting) — and runs commands of the command table in each. Whatever they report,
a folder beside the project (the user's other files, HOME included) stays byte for byte and
mode for mode as it was, and no command shows a traceback or an internal error.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.cli import cli
from tests.conftest import entries

FORMAT = "stato-transaction/1"
STAGE = "cd" * 16


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An example project with a backup, built once; each example works on a copy."""
    root = tmp_path_factory.mktemp("base") / "project"
    for argv in (["init", "--example"], ["lesson", "add", "qc_filtering", "a seeded lesson"]):
        r = CliRunner().invoke(cli, [*argv, "--path", str(root)])
        assert r.exit_code == 0, r.output
    return root


def make_outside(outside: Path) -> None:
    """The user's other files: a key, a folder of notes, a config in HOME, a link."""
    (outside / "home" / ".ssh").mkdir(parents=True)
    key = outside / "home" / ".ssh" / "id_rsa"
    key.write_bytes(b"-----BEGIN PRIVATE KEY-----\nsecret\n")
    key.chmod(0o600)
    (outside / "notes").mkdir()
    (outside / "notes" / "a.py").write_text("class Notes:\n    name = 'mine'\n")
    (outside / "notes" / "b.txt").write_text("mine\n")
    (outside / "home" / ".claude").mkdir()
    (outside / "home" / ".claude" / "settings.json").write_text('{"hooks": {}}\n')
    os.symlink("notes/b.txt", outside / "link-to-b")


# ------------------------------------------------------------------ what an attacker plants

# Paths (relative to the project) where a link, a FIFO or a folder may be planted.
SPOTS = [
    ".stato/.transaction.json", ".stato/.transaction.json.tmp", ".stato/.staging",
    ".stato/.history", ".stato/.cache", ".stato/.lock", ".stato/skills/planted.py",
    ".stato/skills", ".stato/memory.py", ".stato/plan.py", ".stato/prompts",
    ".stato/config.toml", ".stato/.statoignore", "CLAUDE.md", "AGENTS.md", ".claude",
    ".claude/settings.json", ".cursor", ".stato", ".github", ".claude/skills",
]  # fmt: skip
TARGETS = ["home/.ssh/id_rsa", "home/.ssh", "notes", "notes/a.py", "home", "link-to-b", ""]

parts = st.sampled_from(["0.part", "1.part", "../../../../outside/home/.ssh/id_rsa", "x"])
dests = st.sampled_from(
    ["skills/k.py", "../../outside/notes/a.py", "{outside}/notes/new.py", "skills/../../x.py",
     ".history/skills/qc.1.py", ".staging/x", "memory.py", "skills\\..\\..\\x.py"]
)  # fmt: skip
journals = st.fixed_dictionaries(
    {
        "stage": st.sampled_from([STAGE, "../../../outside/notes", "../outside", "", "x" * 32]),
        "moves": st.lists(st.tuples(parts, dests).map(list), max_size=3),
    },
    optional={"format": st.sampled_from([FORMAT, "stato-transaction/2", 1])},
).map(lambda d: {k: d[k] for k in sorted(d)})

odd_modules = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"\xef\xbb\xbfclass Bom:\n    name = 'bom'\n",
            b"class Latin:\n    name = '\xe9'\n",
            b"class Big:\n    name = 'big'\n    x = 1" + b"0" * 5000 + b"\n",
            b"class Deep:\n    name = 'deep'\n    x = " + b"[" * 300 + b"]" * 300 + b"\n",
            b"class Nul:\n    name = 'n\x00'\n",
            b"class Esc:\n    name = '\x1b]0;pwned\x07'\n    version = '1.0.0'\n",
            b"class Surrogate:\n    name = '\\ud800'\n",
            b"class Nan:\n    name = 'nan'\n    x = {(1, 2): 1e999 - 1e999}\n",
        ]
    ),
)

plants = st.one_of(
    st.tuples(st.just("journal"), journals),
    st.tuples(st.just("link"), st.tuples(st.sampled_from(SPOTS), st.sampled_from(TARGETS))),
    st.tuples(st.just("fifo"), st.sampled_from(SPOTS)),
    st.tuples(st.just("dir"), st.sampled_from(SPOTS)),
    st.tuples(st.just("module"), odd_modules),
    st.tuples(st.just("staged"), st.sampled_from(["0.part", "1.part", "junk"])),
)


def _clear(path: Path) -> None:
    if path.is_symlink() or path.is_file() or (path.exists() and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def plant(project: Path, outside: Path, what: str, arg: object) -> None:
    stato = project / ".stato"
    if what == "journal":
        text = json.dumps(arg).replace("{outside}", str(outside))
        (stato / ".staging" / STAGE).mkdir(parents=True, exist_ok=True)
        (stato / ".staging" / STAGE / "0.part").write_text("class K:\n    name = 'k'\n")
        journal = stato / ".transaction.json"
        _clear(journal)
        journal.write_text(text)
    elif what == "staged":
        folder = stato / ".staging" / STAGE
        if stato.joinpath(".staging").is_dir() and not stato.joinpath(".staging").is_symlink():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / str(arg)).write_text("class K:\n    name = 'k'\n")
    elif what == "module":
        skills = stato / "skills"
        if skills.is_dir() and not skills.is_symlink():
            (skills / "odd.py").write_bytes(arg)  # type: ignore[arg-type]
    else:
        spot = str(arg[0]) if isinstance(arg, tuple) else str(arg)
        path = project / spot
        if not path.parent.is_dir() or path.parent.is_symlink():
            return  # its folder was replaced by an earlier plant
        _clear(path)
        if what == "link":
            assert isinstance(arg, tuple)
            os.symlink(outside / str(arg[1]), path)
        elif what == "fifo":
            os.mkfifo(path)
        else:
            path.mkdir()


# ------------------------------------------------------------------ the commands

COMMANDS: list[list[str]] = [
    ["status"],
    ["status", "--json"],
    ["validate", "--check"],
    ["validate", "--check", "--json", ".stato"],
    ["resume"],
    ["resume", "--json"],
    ["resume", "--brief"],
    ["resume", "--raw"],
    ["plan"],
    ["plan", "--json"],
    ["history", "skills/qc.py"],
    ["bridge", "--platform", "claude"],
    ["snapshot", "--name", "x", "--force", "-o", "{named}/x.stato"],
    ["inspect", "{named}/x.stato"],
    ["hooks", "run", "--agent", "claude"],
    ["hooks", "doctor", "--agent", "claude"],
    ["scan", ".stato"],
    ["lesson", "add", "qc_filtering", "a lesson"],
    ["memory", "set", "phase", "hostile"],
    ["import", "{named}/x.stato", "--on-conflict", "replace"],
    ["write", "skills/new.py", "--from", "{named}/new.py"],
    ["rollback", "skills/qc.py"],
    ["bridge", "--platform", "all"],
    ["hooks", "install", "--agent", "all"],
    ["crystallize"],
]


NEW_SKILL = """class NewSkill:
    \"\"\"A new skill.\"\"\"

    name = "new_skill"

    @staticmethod
    def run(**kwargs):
        return kwargs
"""


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def run(argv: list[str], project: Path, named: Path) -> Result:
    argv = [a.replace("{named}", str(named)) for a in argv]
    stdin = json.dumps({"cwd": str(project), "hook_event_name": "SessionStart"})
    with inside(project):
        return CliRunner().invoke(cli, argv, input=stdin, catch_exceptions=True)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and FIFOs")
@settings(
    max_examples=120,  # about 20 s; raise it locally to hunt (400 ran clean)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    planted=st.lists(plants, min_size=1, max_size=4),
    commands=st.lists(st.sampled_from(COMMANDS), min_size=3, max_size=6, unique_by=tuple),
)
def test_nothing_outside_a_hostile_project_changes(
    base: Path,
    planted: list[tuple[str, object]],
    commands: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        outside, project, named = work / "outside", work / "project", work / "named"
        outside.mkdir()
        named.mkdir()
        (named / "new.py").write_text(NEW_SKILL)
        make_outside(outside)
        shutil.copytree(base, project, symlinks=True)
        for what, arg in planted:
            with contextlib.suppress(OSError):  # an earlier plant took its place
                plant(project, outside, what, arg)
        monkeypatch.setenv("HOME", str(outside / "home"))
        monkeypatch.setenv("XDG_CONFIG_HOME", str(outside / "home" / ".config"))
        monkeypatch.setenv("STATO_CACHE_DIR", str(work / "cache"))
        before = entries(outside)
        for argv in commands:
            result = run(argv, project, named)
            what = f"stato {' '.join(argv)} after {planted!r}"
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                f"{what}: raised {result.exception!r}"
            )
            assert result.exit_code in (0, 1, 2), f"{what}: exit {result.exit_code}"
            assert "Traceback" not in result.output, what
            assert "internal error" not in result.output, f"{what}: {result.output}"
            if argv[:2] == ["hooks", "run"]:
                assert "hookSpecificOutput" in json.loads(result.stdout), what
            after = entries(outside)
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            assert not changed, f"{what}: changed outside the project: {changed}"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs links")
@pytest.mark.parametrize("target", ["home/.ssh", "notes", "home/new"])
@pytest.mark.parametrize("argv", [*COMMANDS, ["init"], ["init", "--example"]], ids=" ".join)
def test_a_stato_folder_linked_out_is_never_written_through(
    tmp_path: Path, argv: list[str], target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clone holding `.stato -> ~/.ssh` (or a dangling link out): no command writes there,
    not even the writers' lock, which every write takes first."""
    outside, project, named = tmp_path / "outside", tmp_path / "project", tmp_path / "named"
    outside.mkdir()
    project.mkdir()
    named.mkdir()
    (named / "new.py").write_text(NEW_SKILL)
    make_outside(outside)
    os.symlink(outside / target, project / ".stato")
    monkeypatch.setenv("HOME", str(outside / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(outside / "home" / ".config"))
    monkeypatch.setenv("STATO_CACHE_DIR", str(tmp_path / "cache"))
    before = entries(outside)
    result = run(argv, project, named)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert entries(outside) == before, f"stato {' '.join(argv)} wrote through .stato -> {target}"
