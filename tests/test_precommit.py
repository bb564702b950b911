"""The pre-commit hooks, through the real pre-commit.

A temporary git repository uses this checkout as its hook repository (`repo: <checkout>`, `rev: <its HEAD>`),
exactly as a user's `.pre-commit-config.yaml` would use the GitHub URL and a tag. pre-commit therefore
installs keylint from the committed HEAD (uncommitted edits are not seen) into its own virtualenv, with
pip from PyPI: slow the first time, so the hook environment lives in one PRE_COMMIT_HOME for the session
and is installed once for both runs (failing on a bad file, passing on a clean one).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
SECRETS = ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "correct-horse-battery-staple-42"]


def _pre_commit_command():
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        found = shutil.which("pre-commit")
        return [found] if found else None
    return [sys.executable, "-m", "pre_commit"]


PRE_COMMIT = _pre_commit_command()
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed"),
]


def clean_env(**extra: str) -> dict:
    # GIT_DIR / GIT_INDEX_FILE leak in when the tests themselves run inside a git hook
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", **extra)
    return env


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=clean_env()).stdout.strip()


def load_hooks():
    yaml = pytest.importorskip("yaml")  # a dependency of pre-commit
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))}


def test_the_manifest_is_valid_for_pre_commit():
    result = subprocess.run([*PRE_COMMIT, "validate-manifest", str(HOOKS_FILE)], capture_output=True, text=True, env=clean_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_definitions():
    hooks = load_hooks()
    assert set(hooks) == {"keylint", "keylint-semgrep"}
    python = hooks["keylint"]
    assert (python["entry"], python["language"], python["types"], python["require_serial"]) == (
        "keylint check", "python", ["python"], False
    )
    semgrep = hooks["keylint-semgrep"]
    assert semgrep["entry"] == "keylint check --semgrep" and semgrep["language"] == "python"
    assert set(semgrep["types_or"]) == {"javascript", "jsx", "ts", "tsx", "go", "java"}
    assert any(dep.startswith("semgrep") for dep in semgrep["additional_dependencies"])
    # the entry points at a console script the package really declares
    assert 'keylint = "keylint.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_semgrep_hook_covers_the_languages_of_the_bundled_rules():
    identify = pytest.importorskip("identify.identify")  # pre-commit's own file classifier
    tags = set(load_hooks()["keylint-semgrep"]["types_or"])
    rule_languages = {p.name for p in (ROOT / "rules").iterdir() if p.is_dir()} - {"python"}
    sample = {"javascript": "a.js", "typescript": "a.ts", "go": "a.go", "java": "A.java"}
    for language in rule_languages:
        if language in sample:
            assert identify.tags_from_filename(sample[language]) & tags, language


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    try:
        head = git(ROOT, "rev-parse", "HEAD")
    except (subprocess.CalledProcessError, OSError):
        pytest.skip("this checkout is not a git repository")
    committed = subprocess.run(["git", "cat-file", "-e", f"{head}:.pre-commit-hooks.yaml"], cwd=ROOT, env=clean_env())
    assert committed.returncode == 0, ".pre-commit-hooks.yaml must be committed for pre-commit to use this checkout"
    repo = tmp_path / "user-repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(FIXTURES / "integrations" / "payments.py", repo / "bad.py")
    shutil.copy(FIXTURES / "integrations" / "clean.py", repo / "clean.py")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT.as_posix()}\n    rev: {head}\n    hooks:\n      - id: keylint\n", encoding="utf-8"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def run_hook(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PRE_COMMIT, "run", "keylint", "--color", "never", "--files", *files],
        cwd=repo, capture_output=True, text=True, timeout=1200, env=clean_env(PRE_COMMIT_HOME=str(home)),
    )


def test_hook_fails_on_a_bad_file_and_passes_on_a_clean_one(user_repo, pre_commit_home):
    failing = run_hook(user_repo, pre_commit_home, "bad.py", "clean.py")
    output = failing.stdout + failing.stderr
    assert failing.returncode != 3, "pre-commit could not install keylint from this checkout's HEAD " \
        "(is everything the package build needs committed?):\n" + output[-3000:]
    assert failing.returncode == 1, output
    assert "keylint" in output and "Failed" in output
    assert "bad.py:10:14: KEY102" in output and "bad.py:11:15: KEY101" in output and "bad.py:20:16: KEY201" in output
    assert "clean.py:" not in output
    for secret in SECRETS:
        assert secret not in output

    passing = run_hook(user_repo, pre_commit_home, "clean.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
