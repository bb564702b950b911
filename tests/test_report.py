"""Text, JSON and GitHub-annotation output, and the render() dispatcher."""

import json
import re

import pytest
from report_helpers import STAND_IN_RULES, finding, sample_result

from keylint.findings import FileError, Finding, ScanResult, Severity
from keylint.report import FORMATS, RenderOptions, render

TEXT_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>KEY\d{3}) (?P<message>.+)$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def text(result, **options):
    return render("text", result, RenderOptions(**options), STAND_IN_RULES)


def plain_findings():
    return [
        finding(),
        finding(code="KEY310", path="b/auth.py", line=10, column=1, severity=Severity.WARNING, message="no audience"),
        finding(code="KEY101", path="a/z.py", line=2, column=7, message="second credential"),
    ]


# --- text -----------------------------------------------------------------------------------------


def test_text_prints_one_line_per_finding_in_the_given_order():
    findings = plain_findings()
    lines = text(ScanResult(findings=findings, files_analysed=3), quiet=True).splitlines()
    assert len(lines) == len(findings)
    for line, f in zip(lines, findings):
        match = TEXT_LINE.match(line)
        assert match, line
        assert (match["path"], int(match["line"]), int(match["col"]), match["code"], match["message"]) == (
            f.path, f.line, f.column, f.code, f.message)


def test_text_summary_counts_severities_and_files():
    result = ScanResult(findings=plain_findings(), files_analysed=12, files_skipped=1,
                        errors=[FileError("bad.py", "invalid syntax")])
    last = text(result).splitlines()[-1]
    assert last == "Found 3 findings (2 errors, 1 warning) in 12 files analysed; 1 file not analysed."


def test_text_summary_without_findings_and_with_a_rule_crash():
    result = ScanResult(files_analysed=1, errors=[FileError("a.py", "KEY001 internal error", kind="rule")])
    out = text(result)
    assert out.splitlines() == [out.strip()]  # only the summary
    assert out.startswith("No findings in 1 file analysed")
    assert "1 rule error" in out and "not analysed" not in out


def test_files_not_analysed_are_counted_but_not_listed():
    result = ScanResult(files_analysed=2, files_skipped=1, errors=[FileError("secret/broken.py", "invalid syntax")])
    out = text(result)
    assert "secret/broken.py" not in out and "invalid syntax" not in out
    assert "1 file not analysed" in out


def test_quiet_drops_the_summary():
    result = ScanResult(findings=plain_findings(), files_analysed=3)
    assert not any(line.startswith("Found") for line in text(result, quiet=True).splitlines())
    assert text(ScanResult(files_analysed=3), quiet=True) == ""


def test_colour_only_when_asked():
    result = ScanResult(findings=plain_findings(), files_analysed=3)
    plain = text(result, color=False)
    coloured = text(result, color=True)
    assert not ANSI.search(plain)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


def test_control_characters_in_paths_cannot_reach_the_terminal():
    out = text(ScanResult(findings=[finding(path="evil\x1b[2J\nname.py")]), quiet=True)
    assert "\x1b" not in out
    assert len(out.splitlines()) == 1
    assert TEXT_LINE.match(out.splitlines()[0])


def test_statistics_count_per_rule_with_its_name():
    result = ScanResult(findings=plain_findings() + [finding(code="KEY999", message="semgrep only")], files_analysed=3)
    out = text(result, statistics=True, quiet=True)
    rows = [line.split() for line in out.splitlines() if not TEXT_LINE.match(line)]
    assert rows == [["2", "KEY101", "hardcoded-credential"], ["1", "KEY310", "jwt-audience-missing"], ["1", "KEY999"]]
    assert all(TEXT_LINE.match(line) for line in text(result, quiet=True).splitlines())  # none unless asked


# --- json -----------------------------------------------------------------------------------------


def test_json_round_trips_findings_and_summarises():
    result = sample_result()
    document = json.loads(render("json", result, RenderOptions(tool_version="9.9.9"), STAND_IN_RULES))
    assert list(document) == ["version", "findings", "errors", "summary"]
    assert document["version"] == "9.9.9"
    assert [Finding.from_dict(d) for d in document["findings"]] == result.findings
    assert [FileError(**d) for d in document["errors"]] == result.errors
    summary = document["summary"]
    assert summary["files_analysed"] == 12 and summary["files_not_analysed"] == 1
    assert summary["findings"] == len(result.findings)
    assert sum(summary["by_severity"].values()) == len(result.findings)
    assert summary["by_severity"]["note"] == sum(1 for f in result.findings if f.severity is Severity.NOTE)
    assert summary["by_code"]["KEY999"] == 1
    assert list(summary["by_code"]) == sorted(summary["by_code"])


def test_json_is_deterministic():
    result = sample_result()
    assert render("json", result, RenderOptions()) == render("json", result, RenderOptions())


# --- github ---------------------------------------------------------------------------------------


def _unescape(text):
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_command(line):
    """Parse a workflow command the way the Actions runner does."""
    match = re.match(r"^::(?P<name>\w+) (?P<props>[^:]*)::(?P<data>.*)$", line)
    assert match, line
    props = dict(pair.split("=", 1) for pair in match["props"].split(","))
    return match["name"], {k: _unescape(v) for k, v in props.items()}, _unescape(match["data"])


def github(result):
    return render("github", result, RenderOptions(), STAND_IN_RULES).splitlines()


def test_github_annotation_per_finding_with_level_and_position():
    findings = [finding(), finding(code="KEY310", severity=Severity.WARNING),
                finding(code="KEY311", severity=Severity.NOTE, line=4, column=2, end_line=6, end_column=9)]
    commands = [parse_command(line) for line in github(ScanResult(findings=findings))]
    assert [name for name, _, _ in commands] == ["error", "warning", "notice"]
    name, props, message = commands[2]
    assert props == {"file": "app/settings.py", "line": "4", "col": "2", "endLine": "6", "endColumn": "9",
                     "title": "KEY311 jwt-issuer-missing"}
    assert message == findings[2].message


def test_github_escapes_message_and_properties():
    message = "100% sure: key, token\nnext line\r"
    path = "dir,with:colon/100%\nfile.py"
    lines = github(ScanResult(findings=[finding(message=message, path=path)]))
    assert len(lines) == 1  # a newline in a message or path cannot start a new command
    _, props, data = parse_command(lines[0])
    assert data == message and props["file"] == path
    assert props["title"] == "KEY101 hardcoded-credential"


def test_github_unknown_code_still_renders_with_the_code_as_title():
    _, props, _ = parse_command(github(ScanResult(findings=[finding(code="KEY999")]))[0])
    assert props["title"] == "KEY999"


def test_github_files_not_analysed_become_warnings():
    result = ScanResult(errors=[FileError("pkg/bad.py", "invalid syntax", line=3)], files_skipped=1)
    (line,) = github(result)
    name, props, data = parse_command(line)
    assert name == "warning" and props == {"file": "pkg/bad.py", "line": "3"}
    assert data == "not analysed: invalid syntax"


# --- dispatch -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_the_sample(fmt):
    assert render(fmt, sample_result(), RenderOptions(scan_root="/srv"), STAND_IN_RULES).endswith("\n")


def test_rules_and_options_are_accepted_in_either_order():
    result = sample_result()
    options = RenderOptions(scan_root="/srv")
    assert render("sarif", result, STAND_IN_RULES, options) == render("sarif", result, options, STAND_IN_RULES)


def test_unknown_format_is_a_clear_error():
    with pytest.raises(ValueError, match="text, json, sarif, github"):
        render("xml", ScanResult(), RenderOptions())
