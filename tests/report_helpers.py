"""Findings, ScanResults and two stand-in rules for the reporter tests (no engine needed)."""

from __future__ import annotations

from keylint.findings import Confidence, FileError, Finding, ScanResult, Severity
from keylint.rules.base import Rule


class StandInCredentialRule(Rule):
    """A literal bound to a credential name.

    What it does
    Flags names like `password` bound to string literals.

    Why is this bad?
    Anyone who can read the code can use the credential.

    Example
    password = "hunter2hunter2"

    Use instead
    password = os.environ["PASSWORD"]

    References
    - https://cwe.mitre.org/data/definitions/798.html
    """

    code = "KEY101"
    name = "hardcoded-credential"
    severity = Severity.ERROR
    confidence = Confidence.HIGH
    cwe = 798
    message = "hard-coded credential"


class StandInAudienceRule(Rule):
    """A JWT decoded without an audience.

    What it does
    Flags `jwt.decode` calls with no `audience=`.

    Why is this bad?
    A token minted for another service is accepted.

    Example
    jwt.decode(token, key, algorithms=["RS256"])

    Use instead
    jwt.decode(token, key, algorithms=["RS256"], audience="api")
    """

    code = "KEY310"
    name = "jwt-audience-missing"
    severity = Severity.WARNING
    confidence = Confidence.MEDIUM
    cwe = 345
    message = "no audience"


class StandInIssuerRule(Rule):
    """No issuer.

    What it does
    Flags decodes without `issuer=`.

    Why is this bad?
    Tokens from any issuer sharing the key are accepted.

    Example
    jwt.decode(token, key, algorithms=["RS256"], audience="api")

    Use instead
    jwt.decode(token, key, algorithms=["RS256"], audience="api", issuer="https://id.example")
    """

    code = "KEY311"
    name = "jwt-issuer-missing"
    severity = Severity.NOTE
    confidence = Confidence.LOW
    cwe = 345
    message = "no issuer"


STAND_IN_RULES = [StandInCredentialRule, StandInAudienceRule, StandInIssuerRule]

ODD_PATHS = [
    "src/my app/config.py",
    "src/caf\u00e9/\u65e5\u672c.py",
    "weird/new\nline.py",
    "-rf.py",
    "a:b/100% #1?.py",
]


def finding(**changes) -> Finding:
    values = dict(
        code="KEY101",
        message="hard-coded credential in `password`; read it from the environment",
        path="app/settings.py",
        line=3,
        column=5,
        end_line=3,
        end_column=30,
        severity=Severity.ERROR,
        confidence=Confidence.HIGH,
        snippet='password = "hunt\u2026(14 chars)"',
        fingerprint="0123456789abcdef0123456789abcdef",
    )
    values.update(changes)
    return Finding(**values)


def sample_result() -> ScanResult:
    """Findings of three severities, a Semgrep-only code, odd paths, a file not analysed, a rule crash."""
    findings = [
        finding(),
        finding(code="KEY310", message="JWT decoded with no audience=; pass audience=", line=10, column=1,
                end_line=12, end_column=2, severity=Severity.WARNING, confidence=Confidence.MEDIUM,
                fingerprint="f" * 32),
        finding(code="KEY311", path="app/auth.py", severity=Severity.NOTE, confidence=Confidence.LOW,
                message="no issuer=", snippet="", fingerprint=""),
        finding(code="KEY999", source="semgrep", path="web/app.js", message="semgrep-only rule", fingerprint="e" * 32),
    ]
    findings += [finding(path=path, fingerprint=str(i) * 32) for i, path in enumerate(ODD_PATHS)]
    errors = [
        FileError("broken/syntax error.py", "invalid syntax", line=4),
        FileError("app/settings.py", "KEY001 internal error in rule KEY104 (KeyError); rule skipped for this file",
                  kind="rule"),
    ]
    return ScanResult(findings=findings, errors=errors, files_analysed=12, files_skipped=1)
