"""The bridge to Semgrep: runs the bundled rules (one process per scan) and turns its JSON into the
same Findings the LibCST engine makes: same codes, severities, redaction, suppressions and
fingerprints. Semgrep CE withholds matched lines ("requires login"), so snippets and fingerprints
are built from the file itself, exactly as for LibCST findings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from keylint import detectors
from keylint.analysis.suppress import is_suppressed, line_suppressions
from keylint.config import Config
from keylint.files import DecodeError, SourceFile, read_bytes
from keylint.findings import Confidence, FileError, Finding, Severity, fingerprint, scrub

LANGUAGE_DIRS = {".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".ts": "javascript",
                 ".tsx": "javascript", ".go": "go", ".java": "java", ".py": "python", ".pyw": "python"}
_SEVERITY = {"ERROR": Severity.ERROR, "WARNING": Severity.WARNING, "INFO": Severity.NOTE}
_STRING_LITERAL = re.compile(r"""(["'`])((?:(?!\1)[^\\\n]|\\.){6,400})\1""")
TIMEOUT_SECONDS = 600


@dataclass
class SemgrepOutcome:
    ran: bool = False
    notice: Optional[str] = None
    findings: List[Finding] = field(default_factory=list)
    errors: List[FileError] = field(default_factory=list)
    failed_paths: set = field(default_factory=set)


def rules_directory() -> str:
    """The bundled rules: inside the installed wheel, or the checkout's rules/ in development."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "semgrep_rules")
    if os.path.isdir(packaged):
        return packaged
    return os.path.normpath(os.path.join(here, "..", "..", "rules"))


def find_executable() -> Optional[str]:
    """$KEYLINT_SEMGREP when set (an empty value means: no semgrep), else the one installed beside
    this Python, else the one on PATH."""
    override = os.environ.get("KEYLINT_SEMGREP")
    if override is not None:
        return override if override and os.path.isfile(override) and os.access(override, os.X_OK) else None
    beside = os.path.join(os.path.dirname(sys.executable), "semgrep")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    return shutil.which("semgrep")


def scan(targets: List[SourceFile], config: Config, root: str) -> SemgrepOutcome:
    outcome = SemgrepOutcome()
    executable = find_executable()
    if executable is None:
        outcome.notice = (
            f"semgrep not found: {len(targets)} non-Python file(s) not scanned by the bundled rules; "
            "install it with: pip install 'keylint[semgrep]'"
        )
        return outcome
    languages = sorted({LANGUAGE_DIRS[os.path.splitext(t.path)[1]] for t in targets if os.path.splitext(t.path)[1] in LANGUAGE_DIRS})
    configs = [os.path.join(rules_directory(), lang) for lang in languages if os.path.isdir(os.path.join(rules_directory(), lang))]
    if not configs:
        outcome.ran = True
        return outcome
    command = [executable, "scan", "--json", "--metrics=off", "--disable-version-check", "--quiet", "--no-git-ignore",
               "--timeout", str(int(config.file_timeout))]
    for directory in configs:
        command += ["--config", directory]
    command += ["--"] + [t.path for t in targets]
    env = dict(os.environ, SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0")
    try:
        proc = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, cwd=root)
    except subprocess.TimeoutExpired:
        outcome.notice = f"semgrep timed out after {TIMEOUT_SECONDS} s; its findings are missing from this report"
        outcome.ran = True
        outcome.failed_paths = {t.display for t in targets}
        return outcome
    except OSError as exc:
        outcome.notice = f"semgrep could not be started: {exc.strerror or exc}"
        return outcome
    try:
        data = json.loads(proc.stdout.decode("utf-8", "replace"))
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        first = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        outcome.notice = f"semgrep failed (exit {proc.returncode}): {detectors.redact_known_formats(first)[:200]}"
        outcome.ran = True
        outcome.failed_paths = {t.display for t in targets}
        return outcome
    outcome.ran = True
    by_path = {os.path.abspath(t.path): t for t in targets}
    _collect_errors(data, by_path, root, outcome)
    _collect_findings(data, by_path, root, config, outcome)
    return outcome


def _target_for(path: str, by_path: Dict[str, SourceFile], root: str) -> Optional[SourceFile]:
    return by_path.get(os.path.abspath(os.path.join(root, path)))


def _collect_errors(data: dict, by_path, root: str, outcome: SemgrepOutcome) -> None:
    for error in data.get("errors") or []:
        path = error.get("path") or (error.get("spans") or [{}])[0].get("file")
        target = _target_for(path, by_path, root) if path else None
        if target is None:
            continue
        level = str(error.get("level", "error")).lower()
        kind = str(error.get("type", "error"))
        if isinstance(error.get("type"), list):
            kind = str(error["type"][0])
        if level == "warn" or level == "warning":
            continue
        outcome.failed_paths.add(target.display)
        outcome.errors.append(FileError(target.display, f"semgrep could not analyse this file ({kind})"))


def _collect_findings(data: dict, by_path, root: str, config: Config, outcome: SemgrepOutcome) -> None:
    from keylint.rules import RULES

    texts: Dict[str, Optional[List[str]]] = {}
    occurrences: Dict[tuple, int] = {}
    for result in data.get("results") or []:
        target = _target_for(result.get("path", ""), by_path, root)
        extra = result.get("extra") or {}
        metadata = extra.get("metadata") or {}
        code = str(metadata.get("keylint-code", "")).upper()
        if target is None or not re.fullmatch(r"KEY\d{3}", code) or not config.is_enabled(code):
            continue
        if any(code.startswith(c) for c in config.per_file_ignores_for(target.display)):
            continue
        if target.display not in texts:
            texts[target.display] = _lines(target.path, config)
        lines = texts[target.display]
        if lines is None:
            continue
        start, end = result.get("start") or {}, result.get("end") or {}
        line, column = int(start.get("line", 1)), int(start.get("col", 1))
        end_line, end_column = int(end.get("line", line)), int(end.get("col", column))
        suppressions = line_suppressions(lines[line - 1:line])
        if is_suppressed(code, suppressions.get(1)):
            continue
        region = "\n".join(lines[line - 1:end_line])
        secrets = [m.group(2) for m in _STRING_LITERAL.finditer(region)] if code.startswith("KEY1") or code in ("KEY104",) else []
        rule = RULES.get(code)
        severity = rule.severity if rule is not None else _SEVERITY.get(str(extra.get("severity", "WARNING")).upper(), Severity.WARNING)
        confidence = _confidence(metadata.get("confidence"), rule)
        snippet = _redact((lines[line - 1] if 0 < line <= len(lines) else "").strip(), secrets)
        message = _redact(" ".join(str(extra.get("message", "")).split()), secrets)
        statement = _redact(region[:2000], secrets)
        key = (code, target.display, statement)
        occurrence = occurrences.get(key, 0)
        occurrences[key] = occurrence + 1
        outcome.findings.append(Finding(
            code=code, message=message, path=target.display, line=line, column=column, end_line=end_line,
            end_column=end_column, severity=severity, confidence=confidence, snippet=snippet[:200],
            fingerprint=fingerprint(code, target.display, statement, occurrence), source="semgrep",
        ))


def _confidence(value, rule) -> Confidence:
    try:
        return Confidence(str(value).lower())
    except ValueError:
        return rule.confidence if rule is not None else Confidence.MEDIUM


def _redact(text: str, secrets) -> str:
    return detectors.redact_known_formats(scrub(text, [s for s in secrets if not detectors.is_placeholder(s)]))


def _lines(path: str, config: Config) -> Optional[List[str]]:
    try:
        return read_bytes(path, config.max_file_size).decode("utf-8", "replace").splitlines()
    except DecodeError:
        return None
