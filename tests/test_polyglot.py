"""The semgrep bridge end to end: one `keylint check` over a Python + JS/TS + Go + Java repository
reports each language's positives once, with the right codes and redaction, and none of the negatives."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from keylint.semgrep import find_executable

FIXTURE = Path(__file__).parent / "fixtures" / "polyglot"
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*([A-Z0-9, ]+)")

pytestmark = pytest.mark.skipif(find_executable() is None, reason="semgrep is not installed")


def expected():
    out = set()
    for path in FIXTURE.rglob("*"):
        if path.is_file():
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                match = EXPECT.search(line)
                if match:
                    out.update((path.relative_to(FIXTURE).as_posix(), number, code) for code in re.split(r"[,\s]+", match.group(1)) if code)
    return out


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    root = tmp_path_factory.mktemp("polyglot")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", "-f", "json", "."],
        cwd=root, capture_output=True, text=True, env=dict(os.environ),
    )
    return root, result


def test_every_language_reports_its_positives_once_and_no_negatives(scan):
    _root, result = scan
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    actual = [(f["path"], f["line"], f["code"]) for f in data["findings"]]
    assert len(actual) == len(set(actual)), "a finding was reported twice"
    assert set(actual) == expected()
    languages = {Path(path).suffix for path, _line, _code in actual}
    assert languages >= {".py", ".ts", ".js", ".go", ".java"}


def test_semgrep_findings_are_ordinary_findings(scan):
    _root, result = scan
    data = json.loads(result.stdout)
    semgrep_findings = [f for f in data["findings"] if f["source"] == "semgrep"]
    assert semgrep_findings
    for finding in semgrep_findings:
        assert re.fullmatch(r"KEY\d{3}", finding["code"]) and finding["fingerprint"] and finding["snippet"]
    assert data["summary"]["files_analysed"] == sum(1 for p in FIXTURE.rglob("*") if p.is_file())


def test_suppression_comment_silences_a_semgrep_finding(tmp_path):
    source = (FIXTURE / "web" / "src" / "session.js").read_text().replace("// expect: KEY401", "// noqa: KEY401")
    (tmp_path / "session.js").write_text(source)
    result = subprocess.run([sys.executable, "-m", "keylint", "check", "--no-cache", "session.js"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_missing_semgrep_is_one_line_and_python_still_scanned(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "repo")
    env = dict(os.environ, KEYLINT_SEMGREP="")
    result = subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", "-f", "json", "."],
        cwd=tmp_path / "repo", capture_output=True, text=True, env=env,
    )
    data = json.loads(result.stdout)
    assert {Path(f["path"]).suffix for f in data["findings"]} == {".py"}
    notices = [line for line in result.stderr.splitlines() if "semgrep" in line]
    assert len(notices) == 1 and "pip install" in notices[0], result.stderr


def test_python_semgrep_rules_too_still_report_each_finding_once(tmp_path):
    shutil.copytree(FIXTURE / "backend", tmp_path / "backend")
    (tmp_path / "keylint.toml").write_text("semgrep-python = true\n")
    result = subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", "-f", "json", "--config", "keylint.toml", "backend"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    found = [(f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    assert sorted(found) == [(6, "KEY101"), (10, "KEY301")], result.stderr
