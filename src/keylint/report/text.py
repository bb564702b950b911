"""Human-readable output: `path:line:col: CODE message`, then a one-line summary."""

from __future__ import annotations

import re
from collections import Counter
from typing import Dict, List

from keylint.findings import ScanResult, Severity

_RESET = "\033[0m"
_BOLD = "\033[1m"
_SEVERITY_COLOUR = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTE: "\033[36m"}
# A file name or message must not move the cursor or recolour the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def render(result: ScanResult, options, rules: Dict[str, type]) -> str:
    def paint(text: str, colour: str) -> str:
        return f"{colour}{text}{_RESET}" if options.color else text

    lines: List[str] = []
    for f in result.findings:
        location = paint(f"{printable(f.path)}:{f.line}:{f.column}:", _BOLD)
        code = paint(f.code, _SEVERITY_COLOUR.get(f.severity, ""))
        lines.append(f"{location} {code} {printable(f.message)}")
    if options.statistics:
        lines.extend(_statistics(result, rules))
    if not options.quiet:
        lines.append(paint(summary(result), _BOLD))
    return "".join(line + "\n" for line in lines)


def _statistics(result: ScanResult, rules: Dict[str, type]) -> List[str]:
    counts = Counter(f.code for f in result.findings)
    width = len(str(max(counts.values(), default=0)))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [f"  {count:>{width}}  {code}  {getattr(rules.get(code), 'name', '')}".rstrip() for code, count in ordered]


def summary(result: ScanResult) -> str:
    """`Found 3 findings (2 errors, 1 warning) in 12 files analysed; 1 file not analysed.`"""
    findings = result.findings
    analysed = plural(result.files_analysed, "file") + " analysed"
    if findings:
        by_severity = Counter(f.severity for f in findings)
        severities = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
        parts = [plural(by_severity[s], s.value) for s in severities if by_severity[s]]
        text = f"Found {plural(len(findings), 'finding')} ({', '.join(parts)}) in {analysed}"
    else:
        text = f"No findings in {analysed}"
    if result.files_skipped:
        text += f"; {plural(result.files_skipped, 'file')} not analysed"
    rule_failures = sum(1 for e in result.errors if e.kind == "rule")
    if rule_failures:
        text += f"; {plural(rule_failures, 'rule error')} (rule switched off for that file)"
    return text + "."
