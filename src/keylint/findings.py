"""What every producer (LibCST rules, the semgrep bridge) hands downstream: a Finding.

Redaction lives here too, because a Finding must never carry a secret: messages and snippets are
scrubbed when the Finding is made, so no reporter has to remember to do it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Iterable, Optional


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"note": 1, "warning": 2, "error": 3}[self.value]


class Confidence(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    path: str  # relative to the scan root, POSIX separators
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int  # 1-based, exclusive
    severity: Severity
    confidence: Confidence
    snippet: str = ""  # redacted source of the reported line
    fingerprint: str = ""
    source: str = "keylint"  # "keylint" (LibCST) or "semgrep"
    fix: Optional[str] = None

    @property
    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["confidence"] = self.confidence.value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        data = dict(data)
        data["severity"] = Severity(data["severity"])
        data["confidence"] = Confidence(data["confidence"])
        return cls(**data)

    def with_(self, **changes) -> "Finding":
        return replace(self, **changes)


@dataclass
class FileError:
    """A file that could not be analysed (or only partly): reported, never fatal."""

    path: str
    reason: str  # one line, no secret, no traceback
    line: int = 0
    kind: str = "error"  # "error" = not analysed; "rule" = one rule switched off for the file

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ScanResult:
    findings: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # FileError
    files_analysed: int = 0
    files_skipped: int = 0  # discovered but not analysed (errors of kind "error")

    @property
    def files_discovered(self) -> int:
        return self.files_analysed + self.files_skipped


# --- redaction -----------------------------------------------------------------------------------

ELLIPSIS = "\u2026"


def redact(secret: str) -> str:
    """Show at most the first 4 characters and the length: `sk_l…(32 chars)`.

    Short secrets show fewer characters (a 7-character password must not give away 4 of them).
    """
    n = len(secret)
    shown = 4 if n >= 16 else 2 if n >= 10 else 0
    return f"{secret[:shown]}{ELLIPSIS}({n} chars)"


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret (and each long line of a multi-line secret) in text."""
    pieces = set()
    for secret in secrets:
        if not secret:
            continue
        pieces.add(secret)
        if "\n" in secret:
            pieces.update(part.strip() for part in secret.splitlines() if len(part.strip()) >= 6)
    # longest first, so a secret's redaction is not split by a shorter overlapping one
    for piece in sorted(pieces, key=len, reverse=True):
        if piece in text:
            text = text.replace(piece, redact(piece))
    return text


_WS = re.compile(r"\s+")


def fingerprint(code: str, path: str, statement: str, occurrence: int = 0) -> str:
    """Stable across unrelated edits and moved lines: no line number goes in.

    `statement` must already be redacted: a fingerprint of a secret-bearing line must not be a
    plain hash of the secret (short secrets would be brute-forced from it).
    """
    normalised = _WS.sub(" ", statement).strip()
    digest = hashlib.sha256(f"{code}\0{path}\0{normalised}\0{occurrence}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]
