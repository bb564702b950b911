"""A whole scan: discover files, analyse Python with the engine, other languages with the semgrep
bridge, and merge everything into one ScanResult. The CLI and the pre-commit hook come through here."""

from __future__ import annotations

import os
from typing import List, Optional, Tuple

from keylint import engine
from keylint.config import Config
from keylint.files import PYTHON_SUFFIXES, SEMGREP_SUFFIXES, SourceFile, discover, git_changed_files, is_within
from keylint.findings import FileError, ScanResult


def run(
    paths: List[str],
    config: Config,
    root: Optional[str] = None,
    use_cache: bool = True,
    changed_since: Optional[str] = None,
    config_dir: Optional[str] = None,
) -> Tuple[ScanResult, List[str]]:
    """Returns the result and notices (one-line messages for stderr that are not file problems)."""
    root = root or os.getcwd()
    notices: List[str] = []
    semgrep_wanted = config.semgrep is not False
    suffixes = PYTHON_SUFFIXES + (SEMGREP_SUFFIXES if semgrep_wanted else ())
    excludes = list(config.exclude) + list(config.extend_exclude)
    files, errors = discover(paths, root, excludes, suffixes, exclude_base=config_dir or root)
    if changed_since:
        changed = git_changed_files(changed_since, root)
        if changed is None:
            raise ValueError(f"--diff {changed_since}: git could not list changed files (not a repository, or unknown revision)")
        wanted = set(changed)
        files = [f for f in files if f.path in wanted]

    python_files = [f for f in files if f.path.endswith(PYTHON_SUFFIXES)]
    other_files = [f for f in files if not f.path.endswith(PYTHON_SUFFIXES)]
    cache_dir = None
    if use_cache:
        cache_dir = _cache_directory(config, config_dir or root, notices)
    result = engine.scan_files(python_files, config, jobs=config.jobs, cache_dir=cache_dir)
    result.errors = errors + result.errors
    result.files_skipped += len(errors)

    if semgrep_wanted:
        semgrep_targets = other_files + (python_files if config.semgrep_python else [])
        if semgrep_targets:
            _run_semgrep(semgrep_targets, python_files, config, root, result, notices)

    result.findings = _dedupe(sorted(result.findings, key=lambda f: f.sort_key))
    result.errors.sort(key=lambda e: (e.path, e.line, e.reason))
    return result, notices


def _cache_directory(config: Config, project: str, notices: List[str]) -> Optional[str]:
    """The cache directory, or None when it would lie outside the project directory.

    cache-dir comes from the scanned repository's own pyproject, which is untrusted input: an
    absolute path, a ../ escape or a committed symlink must not make keylint write elsewhere.
    Such a value is ignored with a notice (the cache only saves time, so the scan goes on)."""
    candidate = os.path.join(project, config.cache_dir)  # an absolute cache_dir replaces project
    if is_within(os.path.realpath(candidate), os.path.realpath(project)):
        return candidate
    notices.append(
        f"cache-dir {config.cache_dir!r} is outside the project directory; ignored, results are not cached this run"
    )
    return None


def _run_semgrep(targets: List[SourceFile], python_files, config: Config, root: str, result: ScanResult, notices: List[str]) -> None:
    from keylint import semgrep

    outcome = semgrep.scan(targets, config, root)
    if outcome.notice:
        notices.append(outcome.notice)
    python_paths = {f.path for f in python_files}
    others = [t for t in targets if t.path not in python_paths]
    if not outcome.ran:
        # semgrep = "auto": files it would have covered are simply out of scope (the notice says so);
        # semgrep = true: they were asked for, so they count as not analysed.
        if config.semgrep is True:
            result.files_skipped += len(others)
            result.errors.extend(FileError(t.display, "not analysed: semgrep is not available") for t in others)
        return
    result.findings.extend(outcome.findings)
    result.errors.extend(outcome.errors)
    explained = {e.path for e in outcome.errors}
    for target in others:
        if target.display in outcome.failed_paths:
            result.files_skipped += 1
            if target.display not in explained:  # semgrep failed as a whole: still one line per file
                result.errors.append(FileError(target.display, "not analysed: semgrep failed (see its notice)"))
        else:
            result.files_analysed += 1


def _dedupe(findings):
    """The same code at the same place from both producers (LibCST and Semgrep on Python) once."""
    seen = set()
    out = []
    for finding in findings:
        key = (finding.path, finding.line, finding.code)
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    return out
