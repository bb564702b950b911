"""The LibCST half of the engine: parse one file, walk it once, run the rules, build Findings.

engine.py imports this module only for a file that passes the prefilter, so runs over files that
cannot produce a finding never pay for importing LibCST.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from keylint import detectors
from keylint.analysis.facts import FileFacts
from keylint.analysis.suppress import is_suppressed, line_suppressions
from keylint.analysis.values import Resolver
from keylint.config import Config
from keylint.findings import FileError, Finding, fingerprint, scrub
from keylint.rules.base import FileContext, Rule

SNIPPET_LIMIT = 200


class ParseFailure(Exception):
    """LibCST could not parse the file; str() is the one-line reason."""


def analyse(text: str, rules, config: Config, path: str, apply_suppressions: bool, honour_noqa: bool):
    """Parse, run the rules, then positions for their reports: (findings, rule errors). The engine
    runs it as one unit of work under the file's time budget, in one big-stack thread."""
    try:
        module = _parse_unvalidated(text)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a reported file, not a crash
        raise ParseFailure(_parse_failure(exc)) from None
    reports, rule_errors = _run_rules(module, rules, config, path, text)
    findings = _to_findings(module, reports, path, text, config, apply_suppressions, honour_noqa) if reports else []
    return findings, rule_errors


def _skip_validation(self) -> None:
    pass


def _parse_unvalidated(text: str) -> cst.Module:
    """cst.parse_module without re-validating every node the parser builds (a tenth of the
    analysis time): each node's __post_init__ checks the invariants of hand-built trees, which a
    tree parsed from valid source meets (LibCST's own comment there suggests moving it out of the
    parse). The check is restored at once, so trees built elsewhere in the process are checked."""
    original = cst.CSTNode.__post_init__
    cst.CSTNode.__post_init__ = _skip_validation
    try:
        return cst.parse_module(text)
    finally:
        cst.CSTNode.__post_init__ = original


def _parse_failure(exc: BaseException) -> str:
    if isinstance(exc, cst.ParserSyntaxError):
        return f"syntax error at line {exc.raw_line}: LibCST cannot parse it (not analysed)"
    if isinstance(exc, (RecursionError, MemoryError)):
        return "too deeply nested to analyse"
    return f"could not be parsed ({type(exc).__name__}); not analysed"


def _run_rules(module, rules, config, path, text):
    wanted = frozenset().union(*(rule.handled_types() for rule in rules))
    facts = FileFacts(module, wanted)
    facts.walk(module)
    ctx = FileContext(facts, Resolver(facts), config, path, text)
    instances = [rule(ctx) for rule in rules]
    handlers: Dict[type, List[Tuple[Rule, object]]] = {}
    for instance in instances:
        for node_type in type(instance).handled_types():
            handlers.setdefault(node_type, []).append((instance, getattr(instance, f"visit_{node_type.__name__}")))
    failed: Dict[str, str] = {}
    for node, info in facts.collected:
        for instance, handler in handlers.get(type(node), ()):
            if instance.code in failed:
                continue
            ctx.info = info
            try:
                handler(node)
            except RecursionError:
                raise
            except Exception as exc:  # noqa: BLE001 - a rule bug must not cost the other rules
                failed[instance.code] = type(exc).__name__
    ctx.info = None
    for instance in instances:
        if instance.code in failed:
            continue
        try:
            instance.finish()
        except Exception as exc:  # noqa: BLE001
            failed[instance.code] = type(exc).__name__
    errors = [
        FileError(path, f"KEY001 internal error in rule {code} ({name}); rule skipped for this file", kind="rule")
        for code, name in sorted(failed.items())
    ]
    reports = [r for r in ctx.reports if r.code not in failed]
    return reports, errors


def _to_findings(module, reports, path, text, config, apply_suppressions, honour_noqa=True) -> List[Finding]:
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    lines = text.splitlines()
    file_secrets = {secret for report in reports for secret in report.secrets}
    suppressions = line_suppressions(lines, include_noqa=honour_noqa) if apply_suppressions else {}
    file_ignores = config.per_file_ignores_for(path)
    findings: List[Finding] = []
    occurrences: Dict[Tuple[str, str], int] = {}
    snippets: Dict[int, str] = {}  # line -> redacted snippet
    for report in reports:
        if report.code in file_ignores or any(report.code.startswith(c) for c in file_ignores):
            continue
        position = positions.get(report.node)
        if position is None:
            continue
        start, end = position.start, position.end
        statement_line = start.line
        if report.info is not None and report.info.statement is not None:
            statement_position = positions.get(report.info.statement)
            if statement_position is not None:
                statement_line = statement_position.start.line
        if apply_suppressions and (
            is_suppressed(report.code, suppressions.get(start.line))
            or is_suppressed(report.code, suppressions.get(statement_line))
        ):
            continue
        findings.append(_finding(module, report, path, lines, start, end, file_secrets, occurrences, snippets))
    return findings


def _finding(module, report, path, lines, start, end, file_secrets, occurrences, snippets) -> Finding:
    # one redaction per line, not per finding: a 1 MB line holding 1,000 secrets has 1,000 findings
    snippet = snippets.get(start.line)
    if snippet is None:
        raw_line = lines[start.line - 1] if 0 < start.line <= len(lines) else ""
        snippet = detectors.redact_literal_tokens(redact_text(raw_line.strip(), file_secrets))
        if len(snippet) > SNIPPET_LIMIT:
            snippet = snippet[: SNIPPET_LIMIT - 1] + "\u2026"
        snippets[start.line] = snippet
    node_text = detectors.redact_literal_tokens(redact_text(module.code_for_node(report.node)[:2000], file_secrets))
    key = (report.code, node_text)
    occurrence = occurrences.get(key, 0)
    occurrences[key] = occurrence + 1
    return Finding(
        code=report.code,
        message=redact_text(report.message, file_secrets),
        path=path,
        line=start.line,
        column=start.column + 1,
        end_line=end.line,
        end_column=end.column + 1,
        severity=report.severity,
        confidence=report.confidence,
        snippet=snippet,
        fingerprint=fingerprint(report.code, path, node_text, occurrence),
    )


def redact_text(text: str, secrets) -> str:
    """Scrub the reported secrets, then anything that looks like a known credential format."""
    return detectors.redact_known_formats(scrub(text, secrets))
