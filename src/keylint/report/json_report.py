"""Machine-readable output: findings as Finding.to_dict(), file errors, and a summary.

(Named json_report so that `import json` here and in the package always means the standard library.)
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Dict

from keylint.findings import ScanResult, Severity


def render(result: ScanResult, options, rules: Dict[str, type]) -> str:
    by_severity = Counter(f.severity.value for f in result.findings)
    by_code = Counter(f.code for f in result.findings)
    document = {
        "version": options.tool_version,
        "findings": [f.to_dict() for f in result.findings],
        "errors": [e.to_dict() for e in result.errors],
        "summary": {
            "files_analysed": result.files_analysed,
            "files_not_analysed": result.files_skipped,
            "findings": len(result.findings),
            "by_severity": {s.value: by_severity[s.value] for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE)},
            "by_code": dict(sorted(by_code.items())),
        },
    }
    return json.dumps(document, indent=2) + "\n"
