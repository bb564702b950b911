"""One file -> one parse -> one traversal -> every enabled rule -> Findings.

The costs, in order, and how each is avoided where it cannot pay off:
1. reading bytes (always, once);
2. the content-hash cache (a hit skips everything below);
3. the lossless prefilter, stage 1 (prefilter.triggered): each rule's trigger bytes over the file;
   a file that triggers no rule is analysed without a parse;
4. `ast.parse` as a cheap gate (a tenth of LibCST's parse): syntax errors and CPython's own
   nesting limits are reported here, before LibCST's native parser (which can overflow the stack
   on pathological nesting) sees the file;
5. the prefilter, stage 2 (prefilter.triggered_in_code): the triggers again over the code
   without comments and docstrings, made from that ast;
6. the LibCST parse and the one traversal (analysis.facts), then the rules over collected nodes
   (analyse.py, imported only when a file gets this far);
7. positions, only for files that produced a finding.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple, Type, Union

from keylint import __version__, prefilter
from keylint.config import Config
from keylint.files import DecodeError, SourceFile, decode_source, is_within, read_bytes
from keylint.findings import FileError, Finding, ScanResult

if TYPE_CHECKING:
    from keylint.rules.base import Rule

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


def enabled_rules(config: Config) -> List[Type["Rule"]]:
    from keylint.rules import all_rules  # imports LibCST

    rules = []
    for rule in all_rules():
        if not config.is_enabled(rule.code):
            continue
        if not rule.default_enabled and not _explicitly_enabled(rule, config):
            continue
        rules.append(rule)
    return rules


def _explicitly_enabled(rule: Type["Rule"], config: Config) -> bool:
    if rule.code == "KEY311" and config.require_issuer:
        return True
    return rule.code in config.select or rule.code in config.extend_select


def candidate_codes(config: Config) -> List[str]:
    """The codes config enables, known without importing the rules (opt-in rules included: the
    prefilter only needs a superset; enabled_rules() decides once a file gets past it)."""
    return [code for code in prefilter.RULE_TRIGGERS if config.is_enabled(code)]


# --- one file ----------------------------------------------------------------------------------


def check_source(
    text: str,
    path: str,
    config: Config,
    rules: Optional[Sequence[Type["Rule"]]] = None,
    apply_suppressions: bool = True,
    data: Optional[bytes] = None,
    honour_noqa: bool = True,
    tree: Optional[ast.Module] = None,
) -> FileOutcome:
    """Analyse decoded source text. Never raises: failures become FileErrors.

    honour_noqa=False (the flake8 plugin) keeps `# keylint: ignore[...]` but leaves `# noqa` to the caller.
    tree: the file's ast when the caller has it (flake8 does), which saves the gate's parse."""
    codes = candidate_codes(config) if rules is None else [rule.code for rule in rules]
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    codes = prefilter.triggered(codes, data, config)
    outcome = FileOutcome()
    if not codes:
        return outcome
    gate = _ast_gate(text) if tree is None else _nesting_problem(tree) or tree
    if not isinstance(gate, ast.AST):
        outcome.analysed = False
        outcome.errors.append(FileError(path, gate[1], gate[0]))
        return outcome
    codes = prefilter.triggered_in_code(codes, text, gate, config)
    gate = tree = None  # the ast (as big as LibCST's tree) is not needed past this point
    active = [rule for rule in (enabled_rules(config) if rules is None else rules) if rule.code in codes] if codes else []
    if not active:
        return outcome
    from keylint import analyse  # imports LibCST

    deadline = time.monotonic() + config.file_timeout
    try:
        findings, rule_errors = _in_big_stack(
            analyse.analyse, text, active, config, path, apply_suppressions, honour_noqa, deadline=deadline
        )
    except AnalysisTimeout:
        return _timed_out(path, config)
    except RecursionError:
        outcome.analysed = False
        outcome.errors.append(FileError(path, "too deeply nested to analyse"))
        return outcome
    except analyse.ParseFailure as failure:
        outcome.analysed = False
        outcome.errors.append(FileError(path, str(failure)))
        return outcome
    finally:
        _return_freed_memory()
    outcome.errors.extend(rule_errors)
    outcome.findings = findings
    return outcome


_MALLOC_TRIM: list = []


def _return_freed_memory() -> None:
    """Give the memory LibCST's native parser freed back to the OS. glibc keeps it otherwise, and a
    worker's resident size ratchets up to its largest parse plus what earlier ones left (measured:
    about 30 MB of a 240 MB peak). No-op where malloc_trim does not exist (musl, macOS, Windows)."""
    if not _MALLOC_TRIM:
        trim = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                trim = ctypes.CDLL(None).malloc_trim
            except (OSError, AttributeError):
                trim = None
        _MALLOC_TRIM.append(trim)
    if _MALLOC_TRIM[0] is not None:
        _MALLOC_TRIM[0](0)


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

    def __init__(self, directory: str, config: Config, codes: Sequence[str]):
        self.directory = directory
        salt = f"{__version__}\0{config.fingerprint()}\0{','.join(codes)}\0{_rules_digest()}"
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
    _WORKER["config"] = config
    _WORKER["rules"] = None  # check_source finds the enabled rules once a file passes the prefilter
    _WORKER["cache"] = Cache(cache_dir, config, candidate_codes(config)) if cache_dir else None


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
        from concurrent.futures import ProcessPoolExecutor  # (multiprocessing: only when there is a pool)

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
