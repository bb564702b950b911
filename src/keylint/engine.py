"""One file -> one parse -> one traversal -> every enabled rule -> Findings.

The costs, in order, and how each is avoided where it cannot pay off:
1. reading bytes (always, once);
2. the content-hash cache (a hit skips everything below);
3. the lossless prefilter: each rule declares the bytes without which it cannot fire; a file
   that triggers no rule is analysed without a parse;
4. `ast.parse` as a cheap gate (a tenth of LibCST's parse): syntax errors and CPython's own
   nesting limits are reported here, before LibCST's native parser (which can overflow the stack
   on pathological nesting) sees the file;
5. the LibCST parse and the one traversal (analysis.facts), then the rules over collected nodes;
6. positions, only for files that produced a finding.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Type, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from keylint import __version__, detectors
from keylint.analysis.facts import FileFacts
from keylint.analysis.suppress import is_suppressed, line_suppressions
from keylint.analysis.values import Resolver
from keylint.config import Config
from keylint.files import DecodeError, SourceFile, decode_source, is_within, read_bytes
from keylint.findings import FileError, Finding, ScanResult, fingerprint, scrub
from keylint.rules import all_rules
from keylint.rules.base import FileContext, Rule

SNIPPET_LIMIT = 200
_BIG_STACK = 512 * 1024 * 1024
_RECURSION_LIMIT = 30000
# The parse-cost limit checked on the ast before LibCST parses (see _nesting_problem).
NESTING_FREE = 10
NESTING_BUDGET = 300_000


@dataclass
class FileOutcome:
    findings: List[Finding] = field(default_factory=list)
    errors: List[FileError] = field(default_factory=list)
    analysed: bool = True
    cacheable: bool = True  # False for outcomes that depend on the machine (a time budget ran out)


class AnalysisTimeout(BaseException):
    """The file's analysis ran past config.file_timeout. A BaseException, so that the rule
    isolation (`except Exception`) cannot mistake it for a rule bug and carry on."""


def enabled_rules(config: Config) -> List[Type[Rule]]:
    rules = []
    for rule in all_rules():
        if not config.is_enabled(rule.code):
            continue
        if not rule.default_enabled and not _explicitly_enabled(rule, config):
            continue
        rules.append(rule)
    return rules


def _explicitly_enabled(rule: Type[Rule], config: Config) -> bool:
    if rule.code == "KEY311" and config.require_issuer:
        return True
    return rule.code in config.select or rule.code in config.extend_select


def rules_for_bytes(rules: Sequence[Type[Rule]], data: bytes, config: Optional[Config] = None) -> List[Type[Rule]]:
    """The lossless prefilter: the rules whose trigger bytes occur in the file."""
    seen: Dict[int, bool] = {}
    active = []
    for rule in rules:
        pattern = rule.triggers_for(config) if config is not None else rule.triggers
        if pattern is None:
            active.append(rule)
            continue
        hit = seen.get(id(pattern))
        if hit is None:
            hit = seen[id(pattern)] = pattern.search(data) is not None
        if hit:
            active.append(rule)
    return active


# --- one file ----------------------------------------------------------------------------------


def check_source(
    text: str,
    path: str,
    config: Config,
    rules: Optional[Sequence[Type[Rule]]] = None,
    apply_suppressions: bool = True,
    data: Optional[bytes] = None,
    honour_noqa: bool = True,
) -> FileOutcome:
    """Analyse decoded source text. Never raises: failures become FileErrors.

    honour_noqa=False (the flake8 plugin) keeps `# keylint: ignore[...]` but leaves `# noqa` to the caller."""
    rules = enabled_rules(config) if rules is None else list(rules)
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    rules = rules_for_bytes(rules, data, config)
    outcome = FileOutcome()
    if not rules:
        return outcome
    gate = _ast_gate(text)
    if not isinstance(gate, ast.AST):
        outcome.analysed = False
        outcome.errors.append(FileError(path, gate[1], gate[0]))
        return outcome
    rules = _rules_for_code(rules, text, gate, config)
    if not rules:
        return outcome
    deadline = time.monotonic() + config.file_timeout
    try:
        module, reports, rule_errors, findings = _in_big_stack(
            _analyse, text, rules, config, path, apply_suppressions, honour_noqa, deadline=deadline
        )
    except AnalysisTimeout:
        return _timed_out(path, config)
    except RecursionError:
        outcome.analysed = False
        outcome.errors.append(FileError(path, "too deeply nested to analyse"))
        return outcome
    except _ParseFailure as failure:
        outcome.analysed = False
        outcome.errors.append(FileError(path, _parse_failure(failure.cause)))
        return outcome
    outcome.errors.extend(rule_errors)
    outcome.findings = findings
    return outcome


class _ParseFailure(Exception):
    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


def _analyse(text, rules, config, path, apply_suppressions, honour_noqa):
    """Parse, run the rules, then positions for their reports: one unit of work under the file's
    time budget, in one big-stack thread."""
    try:
        module = _parse_unvalidated(text)
    except (KeyboardInterrupt, SystemExit, AnalysisTimeout):
        raise
    except BaseException as exc:  # noqa: BLE001 - any parser failure is a reported file, not a crash
        raise _ParseFailure(exc) from None
    reports, rule_errors, findings = _rules_and_findings(module, rules, config, path, text, apply_suppressions, honour_noqa)
    return module, reports, rule_errors, findings


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


def _rules_and_findings(module, rules, config, path, text, apply_suppressions, honour_noqa):
    """The rules, then positions for their reports: one unit of work under the file's time budget."""
    reports, rule_errors = _run_rules(module, rules, config, path, text)
    findings = _to_findings(module, reports, path, text, config, apply_suppressions, honour_noqa) if reports else []
    return reports, rule_errors, findings


def _timed_out(path: str, config: Config) -> FileOutcome:
    # not cached: whether a file fits the budget depends on the machine, not only on its bytes
    reason = f"analysis took longer than file-timeout ({config.file_timeout:g} s): not analysed"
    return FileOutcome(errors=[FileError(path, reason)], analysed=False, cacheable=False)


def _ast_gate(text: str) -> Union[ast.Module, Tuple[int, str]]:
    """The ast when CPython parses the file (and LibCST can be trusted with it); else (line, reason)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except SyntaxError as exc:
        reason = (exc.msg or "invalid syntax").splitlines()[0][:120]
        if "too many nested" in reason or "too complex" in reason:
            return exc.lineno or 0, f"too deeply nested to analyse ({reason})"
        return exc.lineno or 0, f"syntax error at line {exc.lineno}: {reason} (not analysed)"
    except (RecursionError, MemoryError):
        return 0, "too deeply nested to analyse"
    except (ValueError, TypeError) as exc:
        return 0, f"not Python source: {str(exc).splitlines()[0][:120]}"
    return _nesting_problem(tree) or tree


def _rules_for_code(rules: Sequence[Type[Rule]], text: str, tree: ast.Module, config: Config) -> List[Type[Rule]]:
    """The prefilter's second stage: the rules that cannot report from comments or docstrings
    (all but KEY102) need their triggers in the code itself. Comments and docstrings mention
    tokens and passwords far more often than code does (a sixth of the files parsed)."""
    if all(rule.reads_comments for rule in rules):
        return list(rules)
    code = code_without_comments(text, tree)
    kept = set(rules_for_bytes([rule for rule in rules if not rule.reads_comments], code, config))
    return [rule for rule in rules if rule.reads_comments or rule in kept]


# A string (kept) or a comment (dropped). A comment with a quote in it is kept: the quote may be the
# end of a string the lexer misread (3.12's nested f-string quotes), so no code is ever dropped with it.
_STRING_OR_COMMENT = re.compile(
    rb'("""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    rb'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')|#[^\r\n"\']*(?=[\r\n]|$)',
    re.S,
)


def code_without_comments(text: str, tree: ast.Module) -> bytes:
    """The file's bytes (UTF-8) without comments and bare string statements (docstrings)."""
    code = text.encode("utf-8", "surrogatepass")
    if b"\r" in code:
        code = code.replace(b"\r\n", b"\n")
    spans = _bare_strings(tree)
    if spans and b"\r" not in code:  # ast counts a lone CR as a line break; split() would not
        lines = code.split(b"\n")
        for first, start, last, end in sorted(spans, reverse=True):
            lines[first - 1] = lines[first - 1][:start] + lines[last - 1][end:]
            del lines[first:last]
        code = b"\n".join(lines)
    return _STRING_OR_COMMENT.sub(rb"\1", code)


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _bare_strings(tree: ast.Module) -> List[Tuple[int, int, int, int]]:
    """(line, byte column, end line, end byte column) of every statement that is only a string."""
    spans = []
    stack: List[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if type(block) is not list:  # a lambda's or IfExp's body is an expression
                continue
            for statement in block:
                if type(statement) is ast.Expr and type(statement.value) is ast.Constant and type(statement.value.value) is str:
                    spans.append((statement.lineno, statement.col_offset, statement.end_lineno, statement.end_col_offset))
                else:
                    stack.append(statement)
    return spans


def _nesting_problem(tree: ast.AST) -> Optional[Tuple[int, str]]:
    """(line, reason) when the file's expressions are nested too deep for LibCST's native parser.

    Measured (LibCST 1.9): its parse time grows with the square of an expression's depth (a chain
    `a[0][0]...` of 45 subscripts takes 6 ms, of 450 half a second, of 2000 thirty seconds), and it
    holds the GIL, so no time budget can interrupt it. Each expression node costs its depth below
    the statement minus NESTING_FREE; the file's total must stay under NESTING_BUDGET (about 3 s of
    parsing). 1.9 M lines of popular projects peak at 18,000, with expression depth 29 at most."""
    total, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > NESTING_FREE:
            total += depth - NESTING_FREE
            if total > NESTING_BUDGET:
                return getattr(node, "lineno", 0), "too deeply nested to analyse (expressions nested too deep for the parser)"
        for child in ast.iter_child_nodes(node):
            stack.append((child, 0 if isinstance(child, ast.stmt) else depth + 1))
    return None


def _parse_failure(exc: BaseException) -> str:
    if isinstance(exc, cst.ParserSyntaxError):
        return f"syntax error at line {exc.raw_line}: LibCST cannot parse it (not analysed)"
    if isinstance(exc, (RecursionError, MemoryError)):
        return "too deeply nested to analyse"
    return f"could not be parsed ({type(exc).__name__}); not analysed"


def _in_big_stack(func, *args, deadline: Optional[float] = None):
    """Run func in a thread with a large stack: deeply nested (but valid) code makes LibCST recurse
    far past the default 8 MB stack, where a crash would take the whole process down.

    With a deadline (time.monotonic()), raise AnalysisTimeout when func has not finished by then.
    The thread is sent AnalysisTimeout itself, which stops pure-Python work (rules, metadata) at
    its next bytecode; native parsing, which max-file-size bounds, finishes on its own and its
    result is dropped. It is not a daemon: killing a daemon thread inside LibCST's native parser at
    interpreter exit aborts the process, so exit waits for it instead."""
    result: list = []
    error: list = []

    def target():
        try:
            result.append(func(*args))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            error.append(exc)

    previous_stack = threading.stack_size()
    previous_limit = sys.getrecursionlimit()
    try:
        threading.stack_size(_BIG_STACK)
        if previous_limit < _RECURSION_LIMIT:
            sys.setrecursionlimit(_RECURSION_LIMIT)
        thread = threading.Thread(target=target, name="keylint-analysis")
        thread.start()
    finally:
        threading.stack_size(previous_stack)
    thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        _interrupt(thread)
        raise AnalysisTimeout()
    if error:
        raise error[0]
    return result[0]


def _interrupt(thread: threading.Thread) -> None:
    """Ask a runaway analysis thread to stop (CPython's async exception; caught inside target())."""
    try:
        import ctypes

        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(AnalysisTimeout))
    except (ImportError, AttributeError):  # not CPython: the daemon thread simply runs to its end
        pass


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


def check_file(source: SourceFile, config: Config, rules: Optional[Sequence[Type[Rule]]] = None) -> FileOutcome:
    try:
        data = read_bytes(source.path, config.max_file_size)
        text = decode_source(data)
    except DecodeError as exc:
        return FileOutcome(errors=[FileError(source.display, str(exc))], analysed=False)
    return check_source(text, source.display, config, rules, data=data)


# --- many files -------------------------------------------------------------------------------


class Cache:
    """Content-addressed: key = file bytes + display path + effective config + keylint version.
    Entries are written atomically (temp file + rename), so concurrent runs and a run killed
    mid-write never leave a half entry; an unreadable entry is recomputed."""

    def __init__(self, directory: str, config: Config, rules: Sequence[Type[Rule]]):
        self.directory = directory
        salt = f"{__version__}\0{config.fingerprint()}\0{','.join(r.code for r in rules)}\0{_rules_digest()}"
        self.salt = hashlib.sha256(salt.encode()).hexdigest()
        self._ready = False

    def key(self, display: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(display.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key[2:] + ".json")

    def get(self, key: str) -> Optional[FileOutcome]:
        try:
            with open(self._path(key), "r", encoding="utf-8") as handle:
                payload = json.load(handle)
            if payload.get("key") != key:
                return None
            return FileOutcome(
                findings=[Finding.from_dict(f) for f in payload["findings"]],
                errors=[FileError(**e) for e in payload["errors"]],
                analysed=bool(payload["analysed"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, outcome: FileOutcome) -> None:
        try:
            if not self._ready:
                os.makedirs(self.directory, exist_ok=True)
                gitignore = os.path.join(self.directory, ".gitignore")
                if not os.path.lexists(gitignore):  # lexists: never write through a planted symlink
                    with open(gitignore, "w") as handle:
                        handle.write("# created by keylint\n*\n")
                self._ready = True
            target = self._path(key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not is_within(os.path.realpath(os.path.dirname(target)), os.path.realpath(self.directory)):
                return  # a symlinked entry directory (committed by a hostile repository) leads elsewhere
            payload = {
                "key": key,
                "findings": [f.to_dict() for f in outcome.findings],
                "errors": [e.to_dict() for e in outcome.errors],
                "analysed": outcome.analysed,
            }
            fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle)
            os.replace(temp, target)
        except OSError:
            pass  # a cache that cannot be written only costs speed


def _rules_digest() -> str:
    """Changes whenever keylint's own code changes (development installs keep one version)."""
    import keylint

    root = os.path.dirname(keylint.__file__)
    digest = hashlib.sha256()
    for directory, _dirs, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith(".py"):
                try:
                    stat = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


_WORKER: dict = {}


def _init_worker(config: Config, cache_dir: Optional[str]) -> None:
    rules = enabled_rules(config)
    _WORKER["config"] = config
    _WORKER["rules"] = rules
    _WORKER["cache"] = Cache(cache_dir, config, rules) if cache_dir else None


def _work(source: SourceFile) -> FileOutcome:
    config, rules, cache = _WORKER["config"], _WORKER["rules"], _WORKER["cache"]
    if cache is None:
        return check_file(source, config, rules)
    try:
        data = read_bytes(source.path, config.max_file_size)
    except DecodeError as exc:
        return FileOutcome(errors=[FileError(source.display, str(exc))], analysed=False)
    key = cache.key(source.display, data)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        text = decode_source(data)
    except DecodeError as exc:
        outcome = FileOutcome(errors=[FileError(source.display, str(exc))], analysed=False)
    else:
        outcome = check_source(text, source.display, config, rules, data=data)
    if outcome.cacheable:
        cache.put(key, outcome)
    return outcome


def scan_files(files: Sequence[SourceFile], config: Config, jobs: int = 0, cache_dir: Optional[str] = None) -> ScanResult:
    """Analyse files (in parallel when worth it) and merge into a deterministic ScanResult."""
    cores = os.cpu_count() or 1
    # jobs may come from the scanned repository's pyproject: never more processes than cores
    jobs = max(1, min(jobs or cores, cores, len(files)))
    if jobs == 1 or len(files) < 8:
        _init_worker(config, cache_dir)
        outcomes = [_work(source) for source in files]
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config, cache_dir)) as pool:
            outcomes = list(pool.map(_work, files, chunksize=max(1, min(64, len(files) // (jobs * 8) or 1))))
    result = ScanResult()
    for outcome in outcomes:
        result.findings.extend(outcome.findings)
        result.errors.extend(outcome.errors)
        if outcome.analysed:
            result.files_analysed += 1
        else:
            result.files_skipped += 1
    result.findings.sort(key=lambda f: f.sort_key)
    result.errors.sort(key=lambda e: (e.path, e.line, e.reason))
    return result
