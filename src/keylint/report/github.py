"""GitHub Actions workflow commands: one annotation per finding and per file not analysed.

`::error file=app.py,line=3,col=5,endLine=3,endColumn=20,title=KEY101 hardcoded-credential::message`
"""

from __future__ import annotations

from typing import Dict, List

from keylint.findings import ScanResult, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """The message after `::` (GitHub's runner unescapes %25, %0D, %0A)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property: also `:` and `,`, which delimit the properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def render(result: ScanResult, options, rules: Dict[str, type]) -> str:
    lines: List[str] = []
    for f in result.findings:
        rule = rules.get(f.code)
        properties: Dict[str, object] = {"file": f.path, "line": f.line, "col": f.column}
        if f.end_line >= f.line:
            properties.update(endLine=f.end_line, endColumn=f.end_column)
        properties["title"] = f"{f.code} {rule.name}" if rule is not None else f.code
        lines.append(command(_COMMAND.get(f.severity, "warning"), properties, f.message))
    for error in result.errors:
        properties = {"file": error.path}
        if error.line > 0:
            properties["line"] = error.line
        what = "not analysed" if error.kind == "error" else "partly analysed"
        lines.append(command("warning", properties, f"{what}: {error.reason}"))
    return "".join(line + "\n" for line in lines)
