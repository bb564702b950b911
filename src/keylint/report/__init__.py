"""Reporters: one ScanResult in, one string out. No analysis happens here.

Findings arrive already redacted; a reporter prints nothing that is not in a Finding, a FileError
or the rule registry's documentation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Type

from keylint import __version__
from keylint.findings import ScanResult

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class RenderOptions:
    color: bool = False  # ANSI colours in text output (the CLI decides: TTY and no NO_COLOR)
    statistics: bool = False  # text: a count per rule
    quiet: bool = False  # text: findings only, no summary line
    tool_version: str = __version__
    scan_root: str = ""  # absolute path the findings' paths are relative to; "" = current directory
    fail_on: str = "warning"
    execution_successful: bool = True  # False when the scan stopped on an internal error (SARIF)

    def root(self) -> str:
        return os.path.abspath(self.scan_root or os.getcwd())


def rules_by_code(rules: Optional[Sequence[type]] = None) -> Dict[str, Type]:
    """The rules to describe, by code: the whole registry unless the caller passes its own."""
    if rules is None:
        from keylint.rules import RULES

        return dict(RULES)
    return {rule.code: rule for rule in rules}


def render(fmt: str, result: ScanResult, options=None, rules=None) -> str:
    """Render `result` as `fmt` (text, json, sarif or github).

    `rules` defaults to the whole registry (SARIF lists every rule so rule indexes stay stable).
    Both argument orders, (options, rules) and (rules, options), are accepted.
    """
    if isinstance(rules, RenderOptions) or (options is not None and not isinstance(options, RenderOptions)):
        options, rules = rules, options
    options = options or RenderOptions()
    # the registry imports every rule (and LibCST): only SARIF lists rules without findings
    registry = rules_by_code(rules) if rules is not None or fmt == "sarif" or result.findings else {}
    if fmt == "text":
        from keylint.report import text as module
    elif fmt == "json":
        from keylint.report import json_report as module
    elif fmt == "sarif":
        from keylint.report import sarif as module
    elif fmt == "github":
        from keylint.report import github as module
    else:
        raise ValueError(f"unknown output format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    return module.render(result, options, registry)
