"""The byte prefilter is lossless: scanning with it gives exactly the findings of scanning without it.

Checked over every fixture, the demo app, keylint's own source and real installed packages that
mint, decode and send tokens (requests, semgrep's Python code, which uses PyJWT)."""

import importlib.util
from pathlib import Path

import pytest

from keylint import engine
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
    monkeypatch.setattr(engine, "rules_for_bytes", lambda rules, data, config=None: list(rules))
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

    monkeypatch.setattr(engine.cst, "parse_module", no_parse)
    outcome = engine.check_source(source, "a.py", Config())
    assert outcome.findings == [] and outcome.errors == []
