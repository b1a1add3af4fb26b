"""The merge driver with real git: two branches edited through stato's commands and by hand.

Each scenario is merged with `git merge` (and one each with rebase, cherry-pick and stash pop)
twice: with `stato git install` (no conflict, both sides' edits kept, every module valid) and
with git's default line merge, to count how many of the same scenarios conflict there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from stato.core.compiler import compile_source

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

Edit = Callable[[Path], None]


def stato(repo: Path, *args: str) -> None:
    r = CliRunner().invoke(cli, [*args, "--path", str(repo)], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if check:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("STATO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key, value in {
        "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com",
    }.items():  # fmt: skip
        monkeypatch.setenv(key, value)


def new_repo(tmp_path: Path, driver: bool) -> Path:
    repo = tmp_path / ("with-stato" if driver else "default")
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    stato(repo, "init", "--example")
    if driver:
        stato(repo, "git", "install")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def read(repo: Path, rel: str) -> str:
    return (repo / ".stato" / rel).read_text(encoding="utf-8")


def by_hand(rel: str, old: str, new: str) -> Edit:
    def edit(repo: Path) -> None:
        path = repo / ".stato" / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def command(*args: str) -> Edit:
    return lambda repo: stato(repo, *args)


def write_param(name: str, value: int) -> Edit:
    """A parameter edited the way an agent does: a new text through `stato write`."""

    def edit(repo: Path) -> None:
        import re

        text = read(repo, "skills/qc.py")
        text = re.sub(rf'"{name}": \d+', f'"{name}": {value}', text)
        src = repo.parent / f"new-{name}.py"
        src.write_text(text, encoding="utf-8")
        stato(repo, "write", "skills/qc.py", "--from", str(src))

    return edit


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: tuple[Edit, ...]
    theirs: tuple[Edit, ...]
    expect: tuple[tuple[str, str], ...]  # (module, text the merged module must hold)


SCENARIOS = [
    Scenario(
        "plan done on different steps",
        (command("plan", "done", "4"),),
        (command("plan", "block", "6"),),
        (
            ("plan.py", '"id": 4, "action": "find_hvg", "status": "complete"'),
            ("plan.py", '"id": 6, "action": "clustering", "status": "blocked"'),
        ),
    ),
    Scenario(
        "two lessons on one skill",
        (command("lesson", "add", "qc_filtering", "ours: doublets inflate gene counts"),),
        (command("lesson", "add", "qc_filtering", "theirs: ribosomal genes need a cap"),),
        (("skills/qc.py", "ours: doublets"), ("skills/qc.py", "theirs: ribosomal")),
    ),
    Scenario(
        "a parameter on one side, a lesson on the other",
        (write_param("max_genes", 6000),),
        (command("lesson", "add", "qc_filtering", "theirs: check the ambient RNA"),),
        (("skills/qc.py", '"max_genes": 6000'), ("skills/qc.py", "theirs: check the ambient")),
    ),
    Scenario(
        "two parameters of one dict",
        (write_param("min_genes", 300),),
        (write_param("min_cells", 5),),
        (("skills/qc.py", '"min_genes": 300'), ("skills/qc.py", '"min_cells": 5')),
    ),
    Scenario(
        "two issues in memory",
        (command("memory", "add-issue", "doublets", "scrublet flags 4%"),),
        (command("memory", "add-issue", "ambient", "soupx needed on plate 3"),),
        (("memory.py", "scrublet flags 4%"), ("memory.py", "soupx needed")),
    ),
    Scenario(
        "both agents add a plan step",
        (command("plan", "add", "annotate_cell_types"),),
        (command("plan", "add", "trajectory_analysis"),),
        (("plan.py", "annotate_cell_types"), ("plan.py", "trajectory_analysis")),
    ),
    Scenario(
        "plan done on one side, a decision logged by hand on the other",
        (command("plan", "done", "4"),),
        (by_hand("plan.py", "> 5000 cells\n", "> 5000 cells\n- Theirs: HVG on raw counts\n"),),
        (("plan.py", '"find_hvg", "status": "complete"'), ("plan.py", "Theirs: HVG on raw")),
    ),
    Scenario(
        "run() by hand on one side, a tag by hand on the other",
        (by_hand("skills/qc.py", "return {**Qual", "return {**dict(kwargs), **Qual"),),
        (by_hand("skills/qc.py", 'tags = ["qc", "scrna"]', 'tags = ["qc", "scrna", "cortex"]'),),
        (("skills/qc.py", "**dict(kwargs)"), ("skills/qc.py", '"cortex"]')),
    ),
    Scenario(
        "tags added on both sides",
        (by_hand("skills/qc.py", 'tags = ["qc", "scrna"]', 'tags = ["qc", "scrna", "mouse"]'),),
        (by_hand("skills/qc.py", 'tags = ["qc", "scrna"]', 'tags = ["qc", "scrna", "p14"]'),),
        (("skills/qc.py", '"mouse"'), ("skills/qc.py", '"p14"')),
    ),
    Scenario(
        "the phase on one side, a task on the other",
        (command("memory", "set", "phase", "clustering"),),
        (
            by_hand(
                "memory.py", '1.0",\n', '1.0",\n        "Annotate clusters with the lab markers",\n'
            ),
        ),
        (("memory.py", 'phase = "clustering"'), ("memory.py", "Annotate clusters")),
    ),
    # Edits on neighbouring lines: what a line merge cannot tell apart.
    Scenario(
        "plan done and plan block on neighbouring steps",
        (command("plan", "done", "4"),),
        (command("plan", "block", "5"),),
        (
            ("plan.py", '"find_hvg", "status": "complete"'),
            ("plan.py", '"dim_reduction", "status": "blocked"'),
        ),
    ),
    Scenario(
        "neighbouring parameters through write",
        (write_param("min_genes", 300),),
        (write_param("max_genes", 6000),),
        (("skills/qc.py", '"min_genes": 300'), ("skills/qc.py", '"max_genes": 6000')),
    ),
    Scenario(
        "a version bump next to a description edit",
        (by_hand("skills/qc.py", '"1.2.0"', '"1.3.0"'),),
        (by_hand("skills/qc.py", "drop rare genes.", "drop genes seen in < 3 cells."),),
        (("skills/qc.py", '"1.3.0"'), ("skills/qc.py", "seen in < 3 cells")),
    ),
]


def branches(repo: Path, s: Scenario) -> None:
    """Branch `theirs` gets their edits; main gets ours."""
    git(repo, "checkout", "-q", "-b", "theirs")
    for edit in s.theirs:
        edit(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "theirs")
    git(repo, "checkout", "-q", "main")
    for edit in s.ours:
        edit(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ours")


def merged_cleanly(repo: Path, s: Scenario, how: str) -> bool:
    """Merge the two sides with ``how``; True when git reports no conflict."""
    if how == "stash":
        # Ours is work in progress, stashed while their commit lands; then popped over it.
        for edit in s.ours:
            edit(repo)
        git(repo, "stash", "-q")
        for edit in s.theirs:
            edit(repo)
        git(repo, "commit", "-qam", "theirs")
        return git(repo, "stash", "pop", check=False).returncode == 0
    branches(repo, s)
    if how == "merge":
        done = git(repo, "merge", "-q", "--no-edit", "theirs", check=False)
    elif how == "rebase":
        done = git(repo, "rebase", "-q", "theirs", check=False)
    else:
        done = git(repo, "cherry-pick", "theirs", check=False)
    return done.returncode == 0


def assert_merged(repo: Path, s: Scenario) -> None:
    status = git(repo, "status", "--porcelain").stdout
    assert not [ln for ln in status.splitlines() if ln[:2] in ("UU", "AA", "DU", "UD")], status
    for rel, text in s.expect:
        assert text in read(repo, rel), f"{s.name}: {rel} lacks {text!r}"
    for path in sorted((repo / ".stato").rglob("*.py")):
        if ".history" in path.parts:
            continue
        result = compile_source(path.read_bytes(), str(path))
        assert result.valid, (s.name, path, [d.message for d in result.errors])
        assert "<<<<<<<" not in result.source


@pytest.mark.parametrize("s", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_git_merge_with_the_driver_keeps_both_sides(tmp_path: Path, s: Scenario) -> None:
    repo = new_repo(tmp_path, driver=True)
    assert merged_cleanly(repo, s, "merge"), git(repo, "status").stdout
    assert_merged(repo, s)


WAYS = [("rebase", SCENARIOS[0]), ("cherry-pick", SCENARIOS[1]), ("stash", SCENARIOS[2])]


@pytest.mark.parametrize(("how", "s"), WAYS, ids=[w for w, _ in WAYS])
def test_rebase_cherry_pick_and_stash_pop_use_the_driver(
    tmp_path: Path, how: str, s: Scenario
) -> None:
    repo = new_repo(tmp_path, driver=True)
    assert merged_cleanly(repo, s, how), git(repo, "status").stdout
    assert_merged(repo, s)


def test_git_default_driver_conflicts_on_what_stato_merges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conflicted = []
    for i, s in enumerate(SCENARIOS):
        repo = new_repo(tmp_path / str(i), driver=False)
        if not merged_cleanly(repo, s, "merge"):
            conflicted.append(s.name)
    with capsys.disabled():
        print(f"\ngit's default driver: {len(conflicted)}/{len(SCENARIOS)} conflict: {conflicted}")
    assert len(conflicted) >= len(SCENARIOS) // 3


def test_a_real_conflict_stops_git_with_markers_around_the_field(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, driver=True)
    s = Scenario(
        "one version, two values",
        (by_hand("skills/qc.py", '"1.2.0"', '"1.3.0"'),),
        (by_hand("skills/qc.py", '"1.2.0"', '"2.0.0"'),),
        (),
    )
    assert not merged_cleanly(repo, s, "merge")
    text = read(repo, "skills/qc.py")
    assert text.count("<<<<<<<") == 1 and 'version = "1.3.0"' in text
    r = CliRunner().invoke(cli, ["validate", "--check", str(repo / ".stato" / "skills" / "qc.py")])
    assert r.exit_code == 1 and "E012" in r.output and "2.0.0" in r.output


def test_install_is_idempotent_and_uninstall_removes_it(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, driver=True)
    attributes = (repo / ".gitattributes").read_text()
    assert attributes.count(".stato/**/*.py merge=stato") == 1
    r = CliRunner().invoke(cli, ["git", "install", "--path", str(repo)])
    assert r.exit_code == 0 and "Nothing to do" in r.output
    assert (repo / ".gitattributes").read_text() == attributes
    driver = git(repo, "config", "--local", "merge.stato.driver").stdout
    assert "-m stato merge-file %O %A %B --path %P" in driver
    stato(repo, "git", "uninstall")
    assert not (repo / ".gitattributes").exists()
    assert git(repo, "config", "--local", "merge.stato.driver", check=False).returncode == 1


def test_status_warns_when_the_clone_lacks_the_driver(tmp_path: Path) -> None:
    repo = new_repo(tmp_path, driver=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    r = CliRunner().invoke(cli, ["status", "--path", str(clone)])
    assert r.exit_code == 0 and "stato git install" in r.stderr
    r = CliRunner().invoke(cli, ["status", "--json", "--path", str(clone)])
    assert "stato git install" in json.loads(r.stdout)["warnings"][0]
    r = CliRunner().invoke(cli, ["hooks", "doctor", "--path", str(clone)])
    assert "stato git install" in r.stderr
    r = CliRunner().invoke(cli, ["status", "--path", str(repo)])
    assert "stato git install" not in r.stderr
    stato(clone, "git", "install")
    r = CliRunner().invoke(cli, ["status", "--path", str(clone)])
    assert "stato git install" not in r.stderr


def test_init_offers_the_driver_inside_git_and_touches_no_config(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q")
    r = CliRunner().invoke(cli, ["init", "--path", str(repo)])
    assert "stato git install" in r.output
    assert git(repo, "config", "--local", "merge.stato.driver", check=False).returncode == 1
    assert not (repo / ".gitattributes").exists()


def test_without_git_install_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stato(tmp_path, "init")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    r = CliRunner().invoke(cli, ["git", "install", "--path", str(tmp_path)])
    assert r.exit_code == 1 and "git is not installed" in r.stderr


def test_outside_a_repository_install_fails_clearly(tmp_path: Path) -> None:
    stato(tmp_path, "init")
    r = CliRunner().invoke(cli, ["git", "install", "--path", str(tmp_path)])
    assert r.exit_code == 1 and "not inside a git repository" in r.stderr
    assert not (tmp_path / ".gitattributes").exists()


def test_the_driver_runs_from_outside_the_venv(tmp_path: Path) -> None:
    """git runs the driver with PATH of its own: the absolute interpreter still finds stato."""
    repo = new_repo(tmp_path, driver=True)
    s = SCENARIOS[1]
    env_path = os.environ["PATH"]
    try:
        os.environ["PATH"] = "/usr/bin:/bin"
        assert merged_cleanly(repo, s, "merge")
    finally:
        os.environ["PATH"] = env_path
    assert_merged(repo, s)


def test_parallel_agents_in_worktrees_merge_through_the_driver(tmp_path: Path) -> None:
    """One worktree per agent: the driver registered once serves every worktree of the clone."""
    repo = new_repo(tmp_path, driver=True)
    other = tmp_path / "agent-b"
    git(repo, "worktree", "add", "-q", "-b", "agent-b", str(other))
    stato(other, "plan", "done", "4")
    stato(other, "lesson", "add", "qc_filtering", "agent b: cap ribosomal genes")
    git(other, "commit", "-qam", "agent b")
    stato(repo, "plan", "block", "5")
    stato(repo, "lesson", "add", "qc_filtering", "agent a: doublets inflate counts")
    git(repo, "commit", "-qam", "agent a")
    assert git(repo, "merge", "-q", "--no-edit", "agent-b", check=False).returncode == 0
    s = Scenario(
        "worktrees",
        (),
        (),
        (("plan.py", '"find_hvg", "status": "complete"'),
         ("plan.py", '"dim_reduction", "status": "blocked"'),
         ("skills/qc.py", "agent a: doublets"), ("skills/qc.py", "agent b: cap")),
    )  # fmt: skip
    assert_merged(repo, s)


def test_install_before_init_goes_to_the_top_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    (repo / "sub").mkdir(parents=True)
    git(repo, "init", "-q")
    r = CliRunner().invoke(cli, ["git", "install", "--path", str(repo / "sub")])
    assert r.exit_code == 0, r.output
    assert (repo / ".gitattributes").read_text() == ".stato/**/*.py merge=stato\n"
