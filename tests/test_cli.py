"""The CLI through a real subprocess: exit codes, formats, selection, config errors, bad input."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

LEAK = 'DB_PASSWORD = "Pr0d-Db-2024!"\n'
CLEAN = "import os\nDB_PASSWORD = os.environ['DB_PASSWORD']\n"


def run(args, cwd, **kwargs):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "keylint", *args], cwd=cwd, capture_output=True, text=True, env=env, **kwargs)


def project(tmp_path, files, pyproject=None):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text)) if isinstance(text, str) else path.write_bytes(text)
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(textwrap.dedent(pyproject))
    return tmp_path


def test_exit_codes_and_text_format(tmp_path):
    project(tmp_path, {"app/settings.py": LEAK, "app/ok.py": CLEAN})
    result = run(["check", "--no-cache"], tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("app/settings.py:1:15: KEY101 ")
    assert "Found 1 finding" in lines[-1] and "2 files analysed" in lines[-1]
    assert result.stderr == ""
    assert run(["check", "--no-cache", "app/ok.py"], tmp_path).returncode == 0
    assert run(["check", "--no-cache", "--exit-zero"], tmp_path).returncode == 0


def test_fail_on_threshold(tmp_path):
    project(tmp_path, {"a.py": LEAK})
    assert run(["check", "--no-cache", "--fail-on", "error"], tmp_path).returncode == 1
    # KEY101 is an error, so only a scan with nothing at/above the threshold passes
    project(tmp_path, {"a.py": CLEAN})
    assert run(["check", "--no-cache", "--fail-on", "note"], tmp_path).returncode == 0


def test_select_and_ignore(tmp_path):
    project(tmp_path, {"a.py": LEAK})
    assert run(["check", "--no-cache", "--select", "KEY3"], tmp_path).returncode == 0
    assert run(["check", "--no-cache", "--ignore", "KEY101"], tmp_path).returncode == 0
    assert run(["check", "--no-cache", "--select", "KEY1"], tmp_path).returncode == 1
    bad = run(["check", "--select", "FOO"], tmp_path)
    assert bad.returncode == 2 and "not a rule code" in bad.stderr and "Traceback" not in bad.stderr


def test_json_and_statistics(tmp_path):
    project(tmp_path, {"a.py": LEAK + 'API_TOKEN = "tok-7Hq2Lm9Xw4Rt8Yp3"\n'})
    data = json.loads(run(["check", "--no-cache", "-f", "json"], tmp_path).stdout)
    assert [f["code"] for f in data["findings"]] == ["KEY101", "KEY101"]
    assert data["summary"]["files_analysed"] == 1
    stats = run(["check", "--no-cache", "--statistics"], tmp_path).stdout
    assert any(line.split()[:2] == ["2", "KEY101"] for line in stats.splitlines())


def test_output_file(tmp_path):
    project(tmp_path, {"a.py": LEAK})
    result = run(["check", "--no-cache", "-f", "sarif", "-o", "out.sarif"], tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "KEY101"


@pytest.mark.parametrize(
    "comment",
    ["# noqa", "# noqa: KEY101", "# noqa: KEY1", "# keylint: ignore[KEY101]", "# keylint: ignore", "# NOQA:KEY101,KEY999"],
)
def test_inline_suppressions(tmp_path, comment):
    project(tmp_path, {"a.py": LEAK.rstrip("\n") + "  " + comment + "\n"})
    assert run(["check", "--no-cache"], tmp_path).returncode == 0


def test_suppression_of_another_code_does_not_hide(tmp_path):
    project(tmp_path, {"a.py": LEAK.rstrip("\n") + "  # noqa: KEY102\n"})
    assert run(["check", "--no-cache"], tmp_path).returncode == 1


def test_suppression_on_first_line_of_statement(tmp_path):
    source = 'CONFIG = dict(  # keylint: ignore[KEY101]\n    password="Pr0d-Db-2024!",\n)\n'
    project(tmp_path, {"a.py": source})
    assert run(["check", "--no-cache"], tmp_path).returncode == 0


def test_config_per_file_ignores_and_excludes(tmp_path):
    project(
        tmp_path,
        {"scripts/seed.py": LEAK, "legacy/old.py": LEAK, "app.py": CLEAN},
        pyproject="""
        [tool.keylint]
        per-file-ignores = { "scripts/*" = ["KEY101"] }
        extend-exclude = ["legacy"]
        """,
    )
    result = run(["check", "--no-cache"], tmp_path)
    assert result.returncode == 0, result.stdout
    assert "2 files analysed" in result.stdout
    # a file named explicitly is always scanned, excluded or not
    assert run(["check", "--no-cache", "legacy/old.py"], tmp_path).returncode == 1


@pytest.mark.parametrize(
    "pyproject, expected",
    [
        ("[tool.keylint]\nfail-on = 'fatal'\n", "fail-on: expected one of"),
        ("[tool.keylint]\nmax-access-token-lifetime = 'forever'\n", "max-access-token-lifetime: expected a duration"),
        ("[tool.keylint]\nselect = ['KEY1', 'E501']\n", "select: expected a list of rule codes"),
        ("[tool.keylint]\nfail_on = 'error'\n", "unknown key 'fail_on' (did you mean 'fail-on'?)"),
        ("[tool.keylint]\nallowlist = ['(unclosed']\n", "allowlist: expected a list of regular expressions"),
        ("[tool.keylint\nselect = ['KEY1']\n", "invalid TOML"),
    ],
)
def test_config_errors_are_one_line(tmp_path, pyproject, expected):
    project(tmp_path, {"a.py": CLEAN}, pyproject=pyproject)
    result = run(["check", "--no-cache"], tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and "pyproject.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_explicit_config_file(tmp_path):
    project(tmp_path, {"a.py": LEAK})
    (tmp_path / "keylint.toml").write_text('ignore = ["KEY101"]\n')
    assert run(["check", "--no-cache", "--config", "keylint.toml"], tmp_path).returncode == 0
    missing = run(["check", "--config", "nope.toml"], tmp_path)
    assert missing.returncode == 2 and "cannot read config" in missing.stderr


BAD_INPUTS = {
    "py2.py": 'password = "Pr0d-Db-2024!"\nprint "hello"\n',
    "nul.py": b'password = "x"\x00\n',
    "latin.py": b'password = "caf\xe9"\n',
    "empty.py": b"",
    "deep.py": "token = " + "(" * 300 + "1" + ")" * 300 + "\n",
    "deep2.py": "token = " + "-" * 50000 + "1\n",
}


def test_bad_inputs_get_one_line_each_and_the_scan_goes_on(tmp_path):
    project(tmp_path, dict(BAD_INPUTS, **{"good.py": LEAK}))
    result = run(["check", "--no-cache"], tmp_path)
    assert result.returncode == 1  # the good file's finding still counts
    assert "good.py:1:15: KEY101" in result.stdout
    errors = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    reported = {line.split(":")[1].strip() for line in errors}
    assert reported == {"py2.py", "nul.py", "latin.py", "deep.py", "deep2.py"}, errors
    assert "syntax error at line 2" in result.stderr
    assert "NUL" in result.stderr and "UTF-8" in result.stderr and "nested" in result.stderr
    assert "2 files analysed; 5 files not analysed" in result.stdout


def test_huge_file_is_reported_not_parsed(tmp_path):
    big = "x = 1\n" * (2 * 1024 * 1024 // 6 + 10)
    project(tmp_path, {"big.py": 'token = "tok-7Hq2Lm9Xw4Rt8Yp3"\n' + big})
    result = run(["check", "--no-cache"], tmp_path)
    assert result.returncode == 0
    assert "over max-file-size" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_missing_path_symlink_loop_and_directory_named_as_file(tmp_path):
    project(tmp_path, {"a.py": LEAK})
    os.symlink("loop2", tmp_path / "loop1")
    os.symlink("loop1", tmp_path / "loop2")
    result = run(["check", "--no-cache", "a.py", "missing.py", "loop1"], tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr
    assert "missing.py" in lines[0] or "missing.py" in lines[1]


def test_walk_skips_vendored_directories(tmp_path):
    project(tmp_path, {".venv/lib/x.py": LEAK, "node_modules/y.py": LEAK, "build/z.py": LEAK, ".git/h.py": LEAK, "src/ok.py": CLEAN})
    result = run(["check", "--no-cache"], tmp_path)
    assert result.returncode == 0 and "1 file analysed" in result.stdout


def test_pep263_and_bom(tmp_path):
    project(tmp_path, {"latin.py": b'# -*- coding: latin-1 -*-\npassword = "caf\xe9-Pr0d-2024"\n', "bom.py": b"\xef\xbb\xbf" + LEAK.encode()})
    result = run(["check", "--no-cache", "-f", "json"], tmp_path)
    found = {(f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {("latin.py", 2), ("bom.py", 1)}, result.stderr


def test_rules_and_explain(tmp_path):
    listing = run(["rules"], tmp_path).stdout
    assert "KEY101" in listing and "hardcoded-credential" in listing
    explained = run(["explain", "key101"], tmp_path)
    assert explained.returncode == 0 and "Why is this bad?" in explained.stdout and "Use instead" in explained.stdout
    unknown = run(["explain", "KEY999"], tmp_path)
    assert unknown.returncode == 2 and "unknown rule code" in unknown.stderr


def test_cache_gives_the_same_answer(tmp_path):
    project(tmp_path, {"a.py": LEAK, "b.py": CLEAN})
    first = run(["check", "-f", "json"], tmp_path)
    assert (tmp_path / ".keylint_cache").is_dir()
    second = run(["check", "-f", "json"], tmp_path)
    assert json.loads(first.stdout)["findings"] == json.loads(second.stdout)["findings"]
    (tmp_path / "b.py").write_text(LEAK)
    third = json.loads(run(["check", "-f", "json"], tmp_path).stdout)
    assert len(third["findings"]) == 2


def test_parallel_scan_is_deterministic(tmp_path):
    files = {f"pkg/m{i}.py": (LEAK if i % 3 == 0 else CLEAN) for i in range(24)}
    project(tmp_path, files)
    one = run(["check", "--no-cache", "-j", "1", "-f", "json"], tmp_path).stdout
    two = run(["check", "--no-cache", "-j", "2", "-f", "json"], tmp_path).stdout
    assert one == two and len(json.loads(one)["findings"]) == 8
