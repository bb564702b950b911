"""flake8 plugin: `flake8 --select KEY` runs keylint's rules through flake8.

A thin adapter from flake8's (filename, lines) to engine.check_source(). Division of labour:
- flake8 decides what is reported: --select / --extend-select / --ignore / --per-file-ignores and `# noqa`
  are flake8's, so keylint's own select, ignore, per-file-ignores and `# noqa` handling are switched off here;
  keylint's `# keylint: ignore[KEY101]` comments are still honoured (flake8 does not know them).
- keylint decides what is found: lifetimes, extra secret/PII names and the allowlist come from the
  `[tool.keylint]` table of the nearest pyproject.toml above each file (loaded once per directory).

Importing this module is cheap on purpose: flake8 imports every plugin on every run (`--select E9`
included), so the engine is imported only when a file is actually checked, and LibCST only when a
file passes the prefilter (most files do not).
"""

from __future__ import annotations

import ast
import os
import sys
from typing import Dict, Iterator, List, Tuple

from keylint import __version__

# directory -> its Config, or None when its pyproject.toml is broken
_BY_DIRECTORY: Dict[str, object] = {}
# config files whose error was already printed by this process (flake8's forked workers inherit it)
_REPORTED: set = set()


class KeylintChecker:
    name = "keylint"
    version = __version__

    # opt-in rules are run only when their exact code is given to --select / --extend-select,
    # the same rule as `keylint check --select/--extend-select`
    _explicit_codes: Tuple[str, ...] = ()
    # False when flake8's --select leaves out every KEY code (e.g. `--select E9`): flake8 calls every
    # plugin on every file whatever is selected, so skip the analysis rather than throw it away
    _wanted = True

    def __init__(self, tree, filename: str, lines: List[str]):
        # flake8's ast stands in for the engine's syntax gate and feeds the prefilter's second
        # stage; LibCST parses (and is imported) only when a file passes the prefilter.
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def parse_options(cls, options) -> None:
        select = getattr(options, "select", None)
        given = [code.strip().upper() for code in list(select or []) + list(getattr(options, "extend_select", None) or [])]
        cls._explicit_codes = tuple(code for code in given if code.startswith("KEY"))
        # without --select, flake8 selects every installed plugin's codes; with it, KEY must be named
        # (`KEY`, `KEY1`, `KEY101`) or covered by a shorter prefix (`K`)
        cls._wanted = select is None or any(code.startswith("KEY") or "KEY".startswith(code) for code in given)
        if cls._wanted:
            # Load (and validate) the configuration of the directory flake8 runs in, so that a broken
            # pyproject.toml is reported once, by the main process, before flake8 forks its workers.
            _config_for(os.getcwd())

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        if not self._wanted:
            return
        config = _config_for(_directory_of(self.filename))
        if config is None:
            return
        from keylint.engine import check_source
        from keylint.files import display_path

        text = "".join(self.lines)
        path = display_path(os.path.abspath(self.filename), os.getcwd()) if _is_real_file(self.filename) else self.filename
        tree = self.tree if isinstance(self.tree, ast.Module) else None
        outcome = check_source(text, path, config, apply_suppressions=True, honour_noqa=False, tree=tree)
        for error in outcome.errors:
            if error.kind == "rule":  # a keylint bug, not a finding: say so, as `keylint check` does
                print(f"keylint: {path}: {error.reason}", file=sys.stderr)
        for finding in outcome.findings:
            yield finding.line, max(finding.column - 1, 0), f"{finding.code} {finding.message}", type(self)


def _is_real_file(filename: str) -> bool:
    return filename not in ("stdin", "-") and os.path.exists(filename)


def _directory_of(filename: str) -> str:
    if not _is_real_file(filename):
        return os.getcwd()
    return os.path.dirname(os.path.abspath(filename))


def _config_for(directory: str):
    """The effective Config for files in `directory` (cached), or None when its pyproject.toml is broken."""
    if directory not in _BY_DIRECTORY:
        _BY_DIRECTORY[directory] = _load(directory)
    return _BY_DIRECTORY[directory]


def _load(directory: str):
    from dataclasses import replace
    from pathlib import Path

    from keylint.config import Config, ConfigError, find_pyproject, load_config

    pyproject = find_pyproject(Path(directory))
    try:
        config = load_config(pyproject) if pyproject is not None else Config()
    except ConfigError as exc:
        if str(pyproject) not in _REPORTED:
            _REPORTED.add(str(pyproject))
            print(f"keylint: {exc} (flake8: KEY checks skipped for the files it covers)", file=sys.stderr)
        return None
    # flake8 owns selection and per-file ignores; keylint keeps only what changes what a rule finds.
    return replace(config, select=["KEY"], ignore=[], extend_select=list(KeylintChecker._explicit_codes), per_file_ignores={})
