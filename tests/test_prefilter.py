"""The byte prefilter is lossless: scanning with it gives exactly the findings of scanning without it.

Checked over every fixture, the demo app, keylint's own source and real installed packages that
mint, decode and send tokens (requests, semgrep's Python code, which uses PyJWT)."""

import importlib.util
from pathlib import Path

import pytest

import libcst

from keylint import engine, prefilter
from keylint.config import Config
from keylint.files import SourceFile

ROOT = Path(__file__).resolve().parent.parent


def _installed(package):
    spec = importlib.util.find_spec(package)
    return Path(spec.origin).parent if spec and spec.origin else None


def corpus():
    roots = [ROOT / "tests" / "fixtures", ROOT / "examples", ROOT / "src"]
    roots += [p for p in (_installed("requests"), _installed("semgrep")) if p is not None]
    files = []
    for root in roots:
        files.extend(sorted(root.rglob("*.py"))[:200])
    return files


def _scan(files, config):
    findings = []
    for path in files:
        outcome = engine.check_file(SourceFile(str(path), str(path)), config)
        findings.extend((f.path, f.line, f.column, f.code, f.message) for f in outcome.findings)
    return sorted(findings)


def test_prefilter_never_loses_a_finding(monkeypatch):
    files = corpus()
    assert len(files) > 100
    config = Config(select=["KEY"], extend_select=["KEY311"], require_audience=True)
    with_prefilter = _scan(files, config)
    # both stages go through prefilter.triggered
    monkeypatch.setattr(prefilter, "triggered", lambda codes, data, config=None: list(codes))
    without_prefilter = _scan(files, config)
    assert with_prefilter == without_prefilter
    assert len(with_prefilter) > 50  # the corpus does exercise the rules


@pytest.mark.parametrize(
    "source",
    [
        "def f(key):\n    pass\n",
        "import os\nprint(os.getcwd())\n",
        '"""Docs: see https://example.com/docs?page=2."""\n',
    ],
)
def test_files_that_cannot_produce_a_finding_are_not_parsed(monkeypatch, source):
    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed a file that no rule's trigger occurs in")

    monkeypatch.setattr(libcst, "parse_module", no_parse)
    outcome = engine.check_source(source, "a.py", Config())
    assert outcome.findings == [] and outcome.errors == []


def test_every_rule_has_a_trigger_entry():
    from keylint.rules import RULES

    assert set(prefilter.RULE_TRIGGERS) == set(RULES)
    assert prefilter.READS_COMMENTS <= set(RULES)


# --- stage 2: the code without comments and docstrings ----------------------------------------


def _code(source):
    import ast

    return prefilter.code_without_comments(source, ast.parse(source)).decode()


def test_code_without_comments_drops_comments_and_docstrings_only():
    source = (
        '"""Module docs: token."""\n'
        "import os  # the token comes from the environment\n"
        "def f():\n"
        "    '''Return the password.'''\n"
        "    url = 'https://x/#anchor'  # comment\n"
        "    return \"a#b\", f\"{url}#frag\"\n"
        "class C:\n"
        '    """Docs\n    over lines: secret"""\n'
        "    x = 1\n"
    )
    code = _code(source)
    assert "token" not in code and "password" not in code and "secret" not in code
    assert "comment" not in code
    for kept in ("import os", "'https://x/#anchor'", '"a#b"', 'f"{url}#frag"', "x = 1", "def f():", "class C:"):
        assert kept in code


def test_a_comment_with_a_quote_is_kept_in_case_the_lexer_misread_a_string():
    # a comment with a quote is kept whole; the trigger may then run on it, which costs only speed
    assert "it's the token" in _code("x = 1  # it's the token\n")


def test_strings_with_hashes_and_escapes_are_kept_whole():
    source = 's = "a \\\\" # token"\nt = \'\'\'x\n# password\n\'\'\'\nu = r"\\\\" # plain\n'
    code = _code(source)
    assert "# token" in code and "# password" in code and "plain" not in code


def test_files_whose_credential_words_are_only_in_comments_and_docstrings_are_not_parsed(monkeypatch):
    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed a file whose trigger words are only in comments and docstrings")

    monkeypatch.setattr(libcst, "parse_module", no_parse)
    source = '"""Refresh the access token with the client secret."""\nimport requests  # api_key?\n\ndef f():\n    """Password reset."""\n'
    outcome = engine.check_source(source, "a.py", Config())
    assert outcome.findings == [] and outcome.errors == []


def test_a_live_key_in_a_comment_is_still_reported():
    key = "AKIAZ5XQ7K4QWXRTY234"
    outcome = engine.check_source(f"x = 1  # deploy with {key}\n", "a.py", Config())
    assert [f.code for f in outcome.findings] == ["KEY102"]


def test_a_scan_of_files_that_trigger_nothing_never_imports_libcst(tmp_path):
    """The CLI, the pre-commit hook and the flake8 plugin pay LibCST's import only for a file that
    can produce a finding."""
    import subprocess
    import sys

    (tmp_path / "plain.py").write_text('"""Token docs."""\nimport os\n\ndef f(key):\n    pass  # the password\n')
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    script = (
        "import sys\n"
        "from keylint.cli import main\n"
        "code = main(['check', '--no-cache', '-q', 'plain.py'])\n"
        "assert code == 0, code\n"
        "assert 'libcst' not in sys.modules, 'libcst imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
