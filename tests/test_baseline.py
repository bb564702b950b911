"""Baseline: `keylint baseline` records today's findings; `check --baseline` reports only new ones."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from keylint import baseline, cli, engine
from keylint.config import Config
from tests.helpers import FIXTURES

PAYMENTS = FIXTURES / "integrations" / "payments.py"
STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
DB_PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    shutil.copy(PAYMENTS, tmp_path / "payments.py")
    shutil.copy(FIXTURES / "integrations" / "clean.py", tmp_path / "clean.py")
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv: str):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def reported(capsys, *extra: str):
    """(exit code, [(line, code)]) of `keylint check --baseline .keylint-baseline.json`."""
    code, out, err = run(capsys, "check", "--no-cache", "--format", "json", "--baseline", ".keylint-baseline.json", *extra)
    assert code in (0, 1), err
    return code, [(f["line"], f["code"]) for f in json.loads(out)["findings"]]


def record(capsys, *paths: str) -> dict:
    code, _out, err = run(capsys, "baseline", "--no-cache", *paths)
    assert code == 0, err
    assert "wrote 3 finding(s) to .keylint-baseline.json" in err
    return json.loads(Path(".keylint-baseline.json").read_text(encoding="utf-8"))


def test_round_trip_reports_nothing_until_something_new_appears(project, capsys):
    record(capsys)
    assert reported(capsys) == (0, [])
    with open("payments.py", "a", encoding="utf-8") as handle:
        handle.write('\nGITHUB_TOKEN = "ghp_Zq8Lm3Rt7Vx2Kp9Nw4SyQ7m2Zp9Lk4Xw8Rt3"\n')
    last_line = len(Path("payments.py").read_text(encoding="utf-8").splitlines())
    code, found = reported(capsys)
    assert code == 1 and {line for line, _code in found} == {last_line}


def test_the_file_holds_paths_codes_and_keyed_hashes_only(project, capsys):
    data = record(capsys)
    text = Path(".keylint-baseline.json").read_text(encoding="utf-8")
    assert set(data) == {"tool", "version", "salt", "findings"}
    assert sorted((e["path"], e["code"]) for e in data["findings"]) == [
        ("payments.py", "KEY101"), ("payments.py", "KEY102"), ("payments.py", "KEY201")
    ]
    assert all(set(entry) == {"path", "code", "key"} for entry in data["findings"])
    # no secret, no prefix of one, no plain hash of one
    for secret in (STRIPE, DB_PASSWORD):
        assert secret[:6] not in text
        for digest in (hashlib.sha256, hashlib.sha1, hashlib.md5):
            assert digest(secret.encode()).hexdigest()[:16] not in text
    # and not the plain fingerprints either (those are public in SARIF partialFingerprints)
    _code, out, _err = run(capsys, "check", "--no-cache", "--format", "json")
    for finding in json.loads(out)["findings"]:
        assert finding["fingerprint"] not in text


def test_every_baseline_gets_a_fresh_salt(project, capsys):
    first = record(capsys)
    second = record(capsys)
    assert first["salt"] != second["salt"]
    assert {e["key"] for e in first["findings"]}.isdisjoint(e["key"] for e in second["findings"])
    assert reported(capsys) == (0, [])


def test_fingerprints_hash_the_redacted_text_not_the_secret():
    # two secrets that redact alike (same first 4 characters, same length) give the same fingerprint:
    # nothing of the secret beyond its redaction reaches the hash
    def fingerprints(value):
        outcome = engine.check_source(f'DB_PASSWORD = "{value}"\n', "app/settings.py", Config())
        return [f.fingerprint for f in outcome.findings]

    same_shape = ("corr" + "-Q7m2Zp9Lk4Xw8Rt3Vn6Bs1Yh5Jd0Ge")[: len(DB_PASSWORD)]
    assert same_shape != DB_PASSWORD
    assert fingerprints(DB_PASSWORD) and fingerprints(DB_PASSWORD) == fingerprints(same_shape)
    assert fingerprints(DB_PASSWORD) != fingerprints(DB_PASSWORD + "!")


def test_unrelated_edits_and_moved_lines_stay_baselined(project, capsys):
    record(capsys)
    source = Path("payments.py").read_text(encoding="utf-8")
    # new lines above every finding, and the constants block moved below the function
    constant_lines = [line for line in source.splitlines() if line.startswith(("STRIPE_KEY", "DB_PASSWORD"))]
    body = "\n".join(line for line in source.splitlines() if line not in constant_lines)
    moved = '"""Payments."""\nimport logging\n\nlog = logging.getLogger(__name__)\n\n\n' + body + "\n\n" + "\n".join(constant_lines) + "\n"
    Path("payments.py").write_text(moved, encoding="utf-8")
    _code, out, _err = run(capsys, "check", "--no-cache", "--format", "json")
    lines_now = sorted(f["line"] for f in json.loads(out)["findings"])
    assert lines_now != [10, 11, 20]  # the findings really did move
    assert reported(capsys) == (0, [])


def test_changing_the_secrets_line_reports_it_again(project, capsys):
    record(capsys)
    source = Path("payments.py").read_text(encoding="utf-8")
    Path("payments.py").write_text(source.replace(STRIPE, "sk_live_51Hq8LmZ3RtV7xKp2NwT9sYdQ4"), encoding="utf-8")
    assert reported(capsys) == (1, [(10, "KEY102")])


def test_a_second_copy_of_a_baselined_finding_is_new(project, capsys):
    record(capsys)
    with open("payments.py", "a", encoding="utf-8") as handle:
        handle.write(f'\nSTRIPE_BACKUP_KEY = "{STRIPE}"\n')
    code, found = reported(capsys)
    assert code == 1 and [c for _line, c in found] == ["KEY102"]


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "not found; create it with `keylint baseline`"),
        ("{not json", "is not valid JSON"),
        ('{"tool": "keylint", "version": 1, "salt": "zz", "findings": []}', "is not a keylint baseline"),
        ('["a", "list"]', "is not a keylint baseline"),
        ('{"tool": "keylint", "version": 99, "salt": "00", "findings": []}', "is not a keylint baseline"),
    ],
    ids=["missing", "corrupt", "bad-salt", "wrong-shape", "future-version"],
)
def test_a_missing_or_broken_baseline_is_one_line_and_exit_2(project, capsys, content, expected):
    if content is not None:
        Path(".keylint-baseline.json").write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check", "--no-cache", "--baseline", ".keylint-baseline.json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err and "Traceback" not in err


def test_filter_new_is_a_multiset_match(tmp_path):
    findings = engine.check_source(PAYMENTS.read_text(encoding="utf-8"), "payments.py", Config()).findings
    target = str(tmp_path / "b.json")
    assert baseline.write(target, findings[:2]) == 2
    assert baseline.filter_new(target, findings) == findings[2:]
