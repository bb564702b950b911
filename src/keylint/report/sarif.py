"""SARIF 2.1.0, filled the way GitHub code scanning reads it.

- `tool.driver.rules` lists every registered rule (stable `ruleIndex`), with help rendered from the
  rule's docstring, CWE tags, `security-severity` (a string) and `precision`;
- results carry a relative, percent-encoded URI against `%SRCROOT%` and `partialFingerprints`;
- files not analysed and rule crashes become `toolExecutionNotifications`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import quote

from keylint.findings import Confidence, FileError, Finding, ScanResult, Severity

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/keylint/keylint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "keylintFingerprint/v1"

# GitHub: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. A rule may set its own.
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.NOTE: "3.0"}
PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}
FAMILY = {
    "1": "hardcoded-secrets",
    "2": "query-string-keys",
    "3": "jwt-verification",
    "4": "token-lifetime",
    "5": "token-pii",
}
DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
CODE_SECTIONS = ("Example", "Use instead")


def artifact_uri(path: str) -> str:
    """A relative POSIX path as a URI reference: spaces, unicode, `%`, `#`, `?`, `:` are escaped.

    `surrogateescape` keeps undecodable file-name bytes as their own %XX instead of failing.
    """
    return quote(path, safe="/", errors="surrogateescape")


def root_uri(root: str) -> str:
    uri = Path(root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def family(code: str) -> str:
    return FAMILY.get(code[3:4], "keylint")


def _tags(code: str, cwe: Optional[int], extra=()) -> List[str]:
    tags = ["security", family(code)]
    if cwe:
        # "CWE-798" for people; "external/cwe/cwe-798" is the form GitHub links and filters on.
        tags += [f"CWE-{cwe}", f"external/cwe/cwe-{cwe}"]
    return tags + [t for t in extra if t not in tags]


def help_markdown(rule) -> str:
    sections = rule.doc_sections()
    parts = [f"**{rule.code} {rule.name}**: {rule.short_description()}"]
    for heading in DOC_SECTIONS:
        body = sections.get(heading)
        if not body:
            continue
        if heading in CODE_SECTIONS and "```" not in body:
            body = f"```python\n{body}\n```"
        parts.append(f"## {heading}\n\n{body}")
    return "\n\n".join(parts)


def rule_descriptor(rule) -> dict:
    sections = rule.doc_sections()
    severity = Severity(rule.severity)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.short_description()},
        "fullDescription": {"text": sections.get("What it does") or rule.short_description()},
        "help": {"text": rule.docs() or rule.short_description(), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": severity.value},
        "properties": {
            "tags": _tags(rule.code, getattr(rule, "cwe", None), getattr(rule, "tags", ())),
            "security-severity": getattr(rule, "security_severity", None) or SECURITY_SEVERITY[severity],
            "precision": PRECISION[Confidence(rule.confidence)],
        },
    }


def unregistered_descriptor(code: str, example: Finding) -> dict:
    """A code with no LibCST rule (a Semgrep-only rule): described from the code alone."""
    text = f"keylint rule {code} (reported by {example.source})"
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": example.severity.value},
        "properties": {
            "tags": _tags(code, None),
            "security-severity": SECURITY_SEVERITY[example.severity],
            "precision": PRECISION[example.confidence],
        },
    }


def _location(path: str, region: Optional[dict] = None) -> dict:
    physical: dict = {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SRCROOT}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _region(f: Finding) -> dict:
    region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
    if f.end_line >= region["startLine"] and f.end_column >= 1:
        region.update(endLine=f.end_line, endColumn=f.end_column)
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    return region


def _result(f: Finding, index: int) -> dict:
    result = {
        "ruleId": f.code,
        "ruleIndex": index,
        "level": f.severity.value,
        "message": {"text": f.message},
        "locations": [_location(f.path, _region(f))],
        "properties": {"confidence": f.confidence.value, "source": f.source},
    }
    if f.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    return result


def _notification(error: FileError) -> dict:
    rule_crash = error.kind == "rule"
    region = {"startLine": error.line} if error.line > 0 else None
    notification = {
        "level": "error" if rule_crash else "warning",
        "message": {"text": error.reason if rule_crash else f"not analysed: {error.reason}"},
        "locations": [_location(error.path, region)],
    }
    if rule_crash:
        notification["descriptor"] = {"id": "KEY001"}
    return notification


def render(result: ScanResult, options, rules: Dict[str, type]) -> str:
    descriptors = [rule_descriptor(rule) for rule in rules.values()]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for f in result.findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(unregistered_descriptor(f.code, f))
    run = {
        "tool": {
            "driver": {
                "name": "keylint",
                "version": options.tool_version,
                "semanticVersion": options.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [
            {
                "executionSuccessful": bool(options.execution_successful),
                "toolExecutionNotifications": [_notification(e) for e in result.errors],
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(options.root())}},
        # Finding columns count code points, not SARIF's default UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code]) for f in result.findings],
        "properties": {"files_analysed": result.files_analysed, "files_not_analysed": result.files_skipped},
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"
