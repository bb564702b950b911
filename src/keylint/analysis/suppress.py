"""Inline suppressions: `# noqa`, `# noqa: KEY101,KEY102`, `# keylint: ignore[KEY101]` (or bare
`# keylint: ignore`), on the reported line or on the first line of the reported statement.
Also `// noqa: KEY301` for the other languages the semgrep rules cover."""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, Optional

_NOQA = re.compile(r"(?:#|//)\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
_KEYLINT = re.compile(r"(?:#|//)\s*keylint:\s*ignore(?:\[(?P<codes>[A-Z0-9,\s]*)\])?", re.I)

ALL: FrozenSet[str] = frozenset({"*"})


def _codes(text: Optional[str]) -> FrozenSet[str]:
    if not text or not text.strip():
        return ALL
    return frozenset(code.strip().upper() for code in re.split(r"[\s,]+", text) if code.strip())


def line_suppressions(lines, include_noqa: bool = True) -> Dict[int, FrozenSet[str]]:
    """1-based line number -> codes suppressed there (ALL for a bare noqa).

    include_noqa=False reads only `# keylint: ignore[...]`: under flake8, flake8 applies `# noqa` itself
    (and honours its --disable-noqa), so keylint must not apply it a second time."""
    out: Dict[int, FrozenSet[str]] = {}
    patterns = (_NOQA, _KEYLINT) if include_noqa else (_KEYLINT,)
    for number, line in enumerate(lines, start=1):
        lowered = line.lower()
        if "noqa" not in lowered and "keylint" not in lowered:
            continue
        codes: set = set()
        for pattern in patterns:
            for match in pattern.finditer(line):
                codes |= _codes(match.group("codes"))
        if codes:
            out[number] = ALL if "*" in codes else frozenset(codes)
    return out


def is_suppressed(code: str, suppressed: Optional[FrozenSet[str]]) -> bool:
    if not suppressed:
        return False
    if suppressed is ALL or "*" in suppressed:
        return True
    # a prefix suppresses its family: `# noqa: KEY1` silences KEY101
    return any(code.startswith(entry) for entry in suppressed)
