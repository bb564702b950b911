"""No output ever contains a full secret: every format, stderr included."""

import os
import shutil
import subprocess
import sys

import pytest

from keylint.findings import redact, scrub
from tests.helpers import FIXTURES

SECRETS = [
    "Pr0d-Db-2024!xyz",
    "sk_live_51H8xYzAbCdEfGhIjKlMnOpQr",
    "AKIAZ5XQ7K4QWXRTY234",
    "Pg-S3cure-77zz",
    "dev-4a1c9e7b2d5f8a0c",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw",
    "jwt-signing-k3y-2024",
    "9c2e7a4f1b8d3e6a77",
    "letmein-2024!zz",
    "Syntax-Err-S3cret-99",
]


@pytest.fixture(scope="module")
def scan_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("redaction")
    shutil.copytree(FIXTURES / "redaction", target / "src")
    return target


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_secret_in_any_format(scan_dir, fmt):
    result = subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", "--statistics", "-f", fmt, "src"],
        cwd=scan_dir, capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"),
    )
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert "KEY10" in output  # the scan did report the leaks...
    for secret in SECRETS:
        assert secret not in output, f"{secret!r} leaked in {fmt} output"  # ...without showing them


def test_flagged_secret_is_also_scrubbed_from_other_findings_on_its_line(scan_dir):
    result = subprocess.run(
        [sys.executable, "-m", "keylint", "check", "--no-cache", "-f", "json", "--select", "KEY3", "src"],
        cwd=scan_dir, capture_output=True, text=True,
    )
    assert "jwt-signing-k3y-2024" not in result.stdout


@pytest.mark.parametrize(
    "secret, expected",
    [
        ("sk_live_51H8xYzAbCdEfGhIjKlMnOpQr", "sk_l\u2026(33 chars)"),
        ("Tr0ub4dor&3", "Tr\u2026(11 chars)"),
        ("hunter2", "\u2026(7 chars)"),
    ],
)
def test_redact_shows_a_short_prefix_and_the_length(secret, expected):
    assert redact(secret) == expected


def test_scrub_handles_multiline_secrets():
    pem = "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\nEEEEFFFF\n-----END KEY-----"
    text = "line: AAAABBBBCCCCDDDD"
    assert "AAAABBBBCCCCDDDD" not in scrub(text, [pem])
