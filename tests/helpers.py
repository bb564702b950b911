"""Shared test helpers: scan source or annotated fixture files through the real engine."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import List, Optional, Set, Tuple

from keylint import engine
from keylint.config import Config

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def findings(source: str, path: str = "app/module.py", config: Optional[Config] = None, codes: Optional[str] = None):
    """Findings for a snippet (dedented), optionally only those whose code starts with `codes`."""
    outcome = engine.check_source(textwrap.dedent(source), path, config or Config())
    assert not [e for e in outcome.errors if e.kind == "rule"], outcome.errors
    return [f for f in outcome.findings if codes is None or f.code.startswith(codes)]


def codes(source: str, path: str = "app/module.py", config: Optional[Config] = None, prefix: Optional[str] = None) -> List[str]:
    return [f.code for f in findings(source, path, config, prefix)]


def expected_in(path: Path) -> Set[Tuple[int, str]]:
    """(line, code) pairs annotated with `# expect: KEY101, KEY102` on the line."""
    out = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for code in re.split(r"[,\s]+", match.group(1).strip()):
                if code:
                    out.add((number, code))
    return out


def check_fixture(path: Path, prefix: str, config: Optional[Config] = None) -> None:
    """Every `# expect:` annotation of family `prefix` is reported at its line, and nothing else is."""
    text = path.read_text(encoding="utf-8")
    display = path.relative_to(FIXTURES).as_posix()
    outcome = engine.check_source(text, display, config or Config())
    assert not outcome.errors, outcome.errors
    actual = {(f.line, f.code) for f in outcome.findings if f.code.startswith(prefix)}
    expected = {(line, code) for line, code in expected_in(path) if code.startswith(prefix)}
    missing = sorted(expected - actual)
    extra = sorted(actual - expected)
    assert not missing and not extra, f"{display}: missing {missing}, unexpected {extra}"
