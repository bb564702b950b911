"""The flake8 plugin, through the real flake8 in a subprocess (the way editors and CI run it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, expected_in

pytest.importorskip("flake8")

INTEGRATIONS = FIXTURES / "integrations"
SECRETS = ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "correct-horse-battery-staple-42", "Tr0ub4dor&3-admin",
           "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"]
_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<message>.*)$")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory with its own pyproject.toml, so no config above tmp_path can leak in."""
    for name in ("payments.py", "clean.py"):
        shutil.copy(INTEGRATIONS / name, tmp_path / name)
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\n", encoding="utf-8")
    return tmp_path


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def parsed(output: str):
    """(path, line, column, code) for each flake8 result line."""
    out = []
    for line in output.splitlines():
        match = _LINE.match(line)
        assert match, f"not a flake8 result line: {line!r}"
        out.append((match["path"], int(match["line"]), int(match["col"]), match["code"]))
    return out


def test_reports_the_annotated_findings_with_codes_and_lines(project):
    result = flake8(project, "--select", "KEY", "payments.py", "clean.py")
    assert result.returncode == 1, result.stderr
    found = {(line, code) for path, line, _col, code in parsed(result.stdout)}
    assert found == expected_in(project / "payments.py")
    assert all(path == "payments.py" for path, *_ in parsed(result.stdout))


def test_messages_and_positions_are_identical_to_the_cli(project):
    result = flake8(project, "--select", "KEY", "payments.py")
    cli = subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", "--quiet", "payments.py"],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert cli.returncode == 1, cli.stderr
    # flake8 takes 0-based columns and prints them 1-based, so both tools print the same column
    assert result.stdout.splitlines() == cli.stdout.splitlines()
    assert ":10:14: KEY102 " in result.stdout


def test_noqa_is_flake8s_and_keylint_ignore_comments_still_apply(project):
    # line 12 has `# noqa: KEY101`, line 13 `# keylint: ignore[KEY102]`
    honoured = {line for _p, line, _c, _code in parsed(flake8(project, "--select", "KEY", "payments.py").stdout)}
    assert 12 not in honoured and 13 not in honoured
    # --disable-noqa is flake8's switch: it brings back the noqa'd line, not the keylint-ignored one
    disabled = parsed(flake8(project, "--select", "KEY", "--disable-noqa", "payments.py").stdout)
    assert ("payments.py", 12, 18, "KEY101") in disabled
    assert 13 not in {line for _p, line, _c, _code in disabled}


def test_per_file_ignores(project):
    result = flake8(project, "--select", "KEY", "--per-file-ignores", "payments.py:KEY102,KEY2", "payments.py")
    assert {code for *_rest, code in parsed(result.stdout)} == {"KEY101"}


def test_extend_select_adds_keylint_to_another_selection(project):
    (project / "unused.py").write_text("import sys\n" + (project / "payments.py").read_text(), encoding="utf-8")
    only_f = flake8(project, "--select", "F401", "unused.py")
    assert {code for *_rest, code in parsed(only_f.stdout)} == {"F401"}
    extended = flake8(project, "--select", "F401", "--extend-select", "KEY1", "unused.py")
    assert {code for *_rest, code in parsed(extended.stdout)} == {"F401", "KEY101", "KEY102"}


def test_keylint_codes_are_on_by_default_and_off_when_not_selected(project):
    default = flake8(project, "payments.py")
    assert "KEY102" in default.stdout
    assert flake8(project, "--select", "E9,F63", "payments.py").stdout == ""


def test_secret_values_never_appear_in_flake8_output(project):
    result = flake8(project, "--select", "KEY", "--disable-noqa", "--format", "default", "payments.py")
    assert result.stdout
    for secret in SECRETS:
        assert secret not in result.stdout and secret not in result.stderr
        assert secret[:8] not in result.stdout  # not even a long prefix


def test_reads_tool_keylint_settings_from_the_nearest_pyproject(project):
    sub = project / "service"
    sub.mkdir()
    (sub / "settings.py").write_text(
        'WIBBLE = "q8Lz3RmV7xKp2NwT9sYd"\nSTRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"\n', encoding="utf-8"
    )
    assert {code for *_rest, code in parsed(flake8(project, "--select", "KEY", "service").stdout)} == {"KEY102"}
    (sub / "pyproject.toml").write_text(
        '[tool.keylint]\nextend-secret-names = ["wibble"]\nallowlist = ["^sk_live_4eC39"]\n', encoding="utf-8"
    )
    found = parsed(flake8(project, "--select", "KEY", "service").stdout)
    assert [(line, code) for _p, line, _c, code in found] == [(1, "KEY101")]


def test_keylint_select_and_ignore_do_not_apply_under_flake8(project):
    (project / "pyproject.toml").write_text('[tool.keylint]\nignore = ["KEY1"]\n', encoding="utf-8")
    codes = {code for *_rest, code in parsed(flake8(project, "--select", "KEY", "payments.py").stdout)}
    assert codes == {"KEY101", "KEY102", "KEY201"}


def test_a_broken_config_is_one_line_and_flake8_carries_on(project):
    (project / "pyproject.toml").write_text("[tool.keylint]\nmax-access-token-lifetime = 'forever'\n", encoding="utf-8")
    for index in range(6):
        (project / f"copy{index}.py").write_text("import sys\n" + (project / "payments.py").read_text(), encoding="utf-8")
    result = flake8(project, "--select", "KEY,F401", "--jobs", "2", ".")
    assert result.returncode == 1  # F401 is still reported
    assert {code for *_rest, code in parsed(result.stdout)} == {"F401"}
    problems = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(problems) == 1, result.stderr
    assert "max-access-token-lifetime" in problems[0] and "Traceback" not in result.stderr


def test_parallel_run_matches_serial_run(project):
    for index in range(8):
        shutil.copy(project / "payments.py", project / f"module{index}.py")
    serial = flake8(project, "--select", "KEY", "--jobs", "1", ".")
    parallel = flake8(project, "--select", "KEY", "--jobs", "2", ".")
    assert sorted(serial.stdout.splitlines()) == sorted(parallel.stdout.splitlines())
    assert len(parsed(parallel.stdout)) == 9 * 3


def test_stdin_with_display_name(project):
    source = (project / "payments.py").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "KEY", "--stdin-display-name", "payments.py", "-"],
        cwd=project, input=source, capture_output=True, text=True, timeout=300,
    )
    assert {(line, code) for _p, line, _c, code in parsed(result.stdout)} == expected_in(project / "payments.py")


def test_opt_in_rules_need_their_exact_code_as_with_the_cli(project):
    from keylint.rules import all_rules

    opt_in = [rule for rule in all_rules() if not rule.default_enabled]
    if not opt_in:
        pytest.skip("no opt-in rule is registered")
    rule = opt_in[0]
    (project / "opt_in.py").write_text(textwrap.dedent(rule.examples_bad[0]), encoding="utf-8")

    def codes(*args):
        return {code for *_rest, code in parsed(flake8(project, *args, "opt_in.py").stdout)}

    assert rule.code not in codes("--select", "KEY")
    assert rule.code not in codes()  # flake8's default selection
    assert rule.code in codes("--select", "KEY", "--extend-select", rule.code)
    assert rule.code in codes("--select", rule.code)


def test_a_file_the_prefilter_skips_costs_no_libcst_import(tmp_path):
    """In an editor most files mention no credential word in their code: the plugin must not pay
    LibCST's import (a tenth of a second) for them, and must still import it for one that does."""
    (tmp_path / "plain.py").write_text('"""Token handling docs."""\nimport os\n\n\ndef f(key):\n    pass  # the password\n')
    (tmp_path / "flagged.py").write_text('DATABASE_PASSWORD = "pr0d-Db-2024!"\n')
    script = textwrap.dedent(
        """
        import sys
        from flake8.main.application import Application

        app = Application()
        app.run(["--isolated", "--select", "KEY", sys.argv[1]])
        print(app.result_count, "libcst" in sys.modules)
        """
    )
    for name, expected in (("plain.py", "0 False"), ("flagged.py", "1 True")):
        done = subprocess.run([sys.executable, "-c", script, name], cwd=tmp_path, capture_output=True, text=True)
        assert done.stdout.strip().splitlines()[-1] == expected, (name, done.stdout, done.stderr)
