"""`keylint check --diff REV`: only files changed against a git revision (plus untracked ones)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = (FIXTURES / "integrations" / "payments.py").read_text(encoding="utf-8")
CLEAN = (FIXTURES / "integrations" / "clean.py").read_text(encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def keylint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Committed: a clean module, an old module that already has findings, a module about to be edited."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\n", encoding="utf-8")
    (tmp_path / "clean.py").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "legacy.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "settings.py").write_text(CLEAN, encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "initial")
    return tmp_path


def paths_reported(result: subprocess.CompletedProcess):
    return sorted({f["path"] for f in json.loads(result.stdout)["findings"]})


def test_only_changed_and_untracked_files_are_scanned(repo):
    (repo / "new_module.py").write_text(BAD, encoding="utf-8")  # untracked
    (repo / "pkg" / "settings.py").write_text(CLEAN + '\nDB_PASSWORD = "correct-horse-battery-staple-42"\n', encoding="utf-8")
    everything = keylint(repo, "--format", "json")
    assert paths_reported(everything) == ["legacy.py", "new_module.py", "pkg/settings.py"]

    changed = keylint(repo, "--format", "json", "--diff", "HEAD")
    assert changed.returncode == 1, changed.stderr
    assert paths_reported(changed) == ["new_module.py", "pkg/settings.py"]  # legacy.py is unchanged
    assert json.loads(changed.stdout)["summary"]["files_analysed"] == 2


def test_nothing_changed_means_nothing_scanned(repo):
    result = keylint(repo, "--diff", "HEAD")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "legacy.py" not in result.stdout


def test_changed_since_an_older_revision_and_the_alias(repo):
    (repo / "feature.py").write_text(BAD, encoding="utf-8")
    git(repo, "add", "feature.py")
    git(repo, "commit", "-q", "-m", "feature")
    assert paths_reported(keylint(repo, "--format", "json", "--diff", "HEAD")) == []
    assert paths_reported(keylint(repo, "--format", "json", "--changed-since", "HEAD~1")) == ["feature.py"]


def test_a_deleted_file_is_not_an_error(repo):
    (repo / "legacy.py").unlink()
    result = keylint(repo, "--diff", "HEAD")
    assert result.returncode == 0 and "legacy.py" not in result.stderr


def test_an_unknown_revision_is_one_line_and_exit_2(repo):
    result = keylint(repo, "--diff", "no-such-branch")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--diff no-such-branch" in result.stderr
    assert "internal error" not in result.stderr


def test_outside_a_git_repository_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "module.py").write_text(CLEAN, encoding="utf-8")
    result = keylint(tmp_path, "--diff", "HEAD")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
