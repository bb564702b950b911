"""The bundled Semgrep rules (rules/<language>/*.yaml) against their annotated test files.

One `semgrep scan --test --json` process runs every rule over the test file(s) of the same stem
beside it (`x.yaml` + `x.py` / `x.js` / `x.ts` / `x.go` / `x.java`, annotated `# ruleid: <id>` /
`// ok: <id>`). Plain `semgrep --test` passes silently when a rule YAML has no test file or a rule
has no `ruleid:` annotation, and it exits 0 when a config fails to load, so this module checks
those cases itself. It also checks every rule's metadata (the Semgrep finding must become the same
keylint Finding: `keylint-code`, CWE, OWASP, confidence, ...) against docs/catalogue.md.

Offline: no registry, no `--validate` (it needs the network), metrics and version check off.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
CATALOGUE = ROOT / "docs" / "catalogue.md"
RULES_README = RULES_DIR / "README.md"
SEMGREP_TIMEOUT_SECONDS = 300

# rules/<directory> -> (the `languages` a rule there may declare, suffixes of its test files)
LANGUAGES = {
    "python": ({"python"}, (".py",)),
    "javascript": ({"javascript", "typescript", "js", "ts"}, (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx")),
    "go": ({"go", "golang"}, (".go",)),
    "java": ({"java"}, (".java",)),
}
# docs/catalogue.md severities -> Semgrep severities
SEVERITIES = {"error": "ERROR", "warning": "WARNING", "note": "INFO"}
REQUIRED_METADATA = ("keylint-code", "cwe", "owasp", "category", "confidence", "likelihood", "impact", "references")
LEVELS = {"LOW", "MEDIUM", "HIGH"}
ANNOTATION = re.compile(r"(?:#|//)\s*(ruleid|ok|todoruleid|todook)\s*:\s*(.+)$")


def _find_semgrep() -> Optional[str]:
    """The semgrep installed beside this Python (a virtualenv that was not activated), else PATH."""
    beside = Path(sys.executable).parent / "semgrep"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("semgrep")


SEMGREP = _find_semgrep()
if SEMGREP is None:
    pytest.skip("the semgrep executable is not installed (pip install 'keylint[semgrep]'); CI installs it",
                allow_module_level=True)

import yaml  # noqa: E402  (PyYAML comes with libcst, a keylint dependency)


# --------------------------------------------------------------------------- discovery


def _rule_files() -> List[Path]:
    return sorted(p for p in RULES_DIR.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _test_files(rule_file: Path) -> List[Path]:
    """The test files semgrep --test pairs with a rule file: same directory, same stem."""
    _, suffixes = LANGUAGES.get(rule_file.parent.name, (set(), ()))
    return sorted(p for p in rule_file.parent.iterdir()
                  if p.is_file() and p.name.split(".", 1)[0] == rule_file.name.split(".", 1)[0]
                  and p.suffix in suffixes)


def _load_rules(rule_file: Path) -> List[dict]:
    with open(rule_file, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict) and isinstance(document.get("rules"), list), f"{rule_file}: no `rules:` list"
    return document["rules"]


def _annotations(test_file: Path) -> Dict[str, set]:
    """{'ruleid': {ids...}, 'ok': {ids...}, ...} for one annotated test file."""
    found: Dict[str, set] = {}
    for line in test_file.read_text(encoding="utf-8").splitlines():
        match = ANNOTATION.search(line)
        if match:
            ids = {part.strip() for part in match.group(2).replace("*/", "").split(",") if part.strip()}
            found.setdefault(match.group(1), set()).update(ids)
    return found


def _catalogue() -> Dict[str, str]:
    """{code: severity} parsed from the table in docs/catalogue.md."""
    codes: Dict[str, str] = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"KEY\d{3}", cells[0]):
            codes[cells[0]] = cells[2].lower()
    return codes


RULE_FILES = _rule_files()
RULES: List[Tuple[Path, dict]] = [(path, rule) for path in RULE_FILES for rule in _load_rules(path)]
RULE_PARAMS = [pytest.param(path, rule, id=str(rule.get("id"))) for path, rule in RULES]
FILE_PARAMS = [pytest.param(path, id=str(path.relative_to(RULES_DIR))) for path in RULE_FILES]


# --------------------------------------------------------------------------- the one semgrep run


def _semgrep_version() -> Optional[Tuple[int, int]]:
    try:
        from importlib.metadata import version

        major, minor = version("semgrep").split(".")[:2]
        return int(major), int(minor)
    except Exception:  # not pip-installed here, or an unexpected version string
        return None


def _test_command() -> List[str]:
    """One semgrep process for every rule. `semgrep test` (the OCaml test runner, same JSON report)
    takes ~2 s here where `semgrep scan --test` starts a scan per rule file (~35 s); it is used
    where it is known to work (1.182, checked), else the long-standing `semgrep scan --test`.
    Never an unknown subcommand: older CLIs would read `test` as a target and fetch --config auto.
    The rules directory is absolute: a relative "r/..." would be taken for a registry rule."""
    version = _semgrep_version()
    if os.environ.get("KEYLINT_SEMGREP_TEST") != "scan" and version is not None and version >= (1, 182):
        return [SEMGREP, "test", "--json", str(RULES_DIR)]
    return [SEMGREP, "scan", "--test", "--json", "--metrics=off", "--disable-version-check", str(RULES_DIR)]


@pytest.fixture(scope="module")
def semgrep_test_report():
    """Run semgrep's test runner once over every bundled rule; the parsed JSON report."""
    command = _test_command()
    env = dict(os.environ, SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0")
    started = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=SEMGREP_TIMEOUT_SECONDS,
                              env=env, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        pytest.fail(f"semgrep --test did not finish in {SEMGREP_TIMEOUT_SECONDS} s")
    elapsed = time.monotonic() - started
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        # e.g. semgrep exits 2 with no JSON when an annotation names a rule id that never matches
        tail = "\n".join((proc.stderr or "").strip().splitlines()[-15:])
        pytest.fail(f"semgrep --test printed no JSON report (exit {proc.returncode}):\n{tail}")
    report["_elapsed"] = elapsed
    return report


def test_semgrep_loaded_every_rule_file(semgrep_test_report):
    errors = [(entry.get("filename"), str(entry.get("error", ""))[-500:])
              for entry in semgrep_test_report.get("config_with_errors", [])]
    assert not errors, f"rule files semgrep could not load: {errors}"
    tested = set(semgrep_test_report.get("results", {}))
    assert tested == {str(path) for path in RULE_FILES}


def test_semgrep_reports_no_rule_file_without_tests(semgrep_test_report):
    assert semgrep_test_report.get("config_missing_tests") == []


def test_semgrep_run_is_fast(semgrep_test_report):
    # one process for all rules: ~2 s with `semgrep test`, ~35 s with `semgrep scan --test` (2 cores)
    assert semgrep_test_report["_elapsed"] < 120, f"semgrep --test took {semgrep_test_report['_elapsed']:.0f} s"


@pytest.mark.parametrize("rule_file, rule", RULE_PARAMS)
def test_rule_passes_its_tests(semgrep_test_report, rule_file, rule):
    checks = semgrep_test_report["results"].get(str(rule_file), {}).get("checks", {})
    check = checks.get(rule["id"])
    assert check is not None, f"{rule['id']}: semgrep --test neither expected nor reported it (no annotation?)"
    assert check["passed"], (
        f"{rule['id']} failed its tests: errors={check.get('errors')}\n"
        + "\n".join(f"  {Path(path).name}: expected lines {m['expected_lines']}, reported {m['reported_lines']}"
                    for path, m in check.get("matches", {}).items())
    )


# --------------------------------------------------------------------------- what semgrep --test lets pass


@pytest.mark.parametrize("rule_file", FILE_PARAMS)
def test_rule_file_has_a_test_file_beside_it(rule_file):
    assert _test_files(rule_file), (
        f"{rule_file.relative_to(ROOT)} has no test file of the same stem "
        f"({' / '.join(LANGUAGES.get(rule_file.parent.name, (set(), ('?',)))[1])})"
    )


@pytest.mark.parametrize("rule_file", FILE_PARAMS)
def test_annotations_name_rules_of_this_file(rule_file):
    ids = {rule["id"] for rule in _load_rules(rule_file)}
    for test_file in _test_files(rule_file):
        named = set().union(*_annotations(test_file).values()) if _annotations(test_file) else set()
        assert named <= ids, f"{test_file.name} annotates unknown rule ids: {sorted(named - ids)}"


@pytest.mark.parametrize("rule_file, rule", RULE_PARAMS)
def test_rule_has_positive_and_negative_examples(rule_file, rule):
    ruleid, ok = set(), set()
    for test_file in _test_files(rule_file):
        found = _annotations(test_file)
        ruleid |= found.get("ruleid", set())
        ok |= found.get("ok", set())
    assert rule["id"] in ruleid, f"{rule['id']}: no `ruleid: {rule['id']}` annotation in {rule_file.stem}.*"
    assert rule["id"] in ok, f"{rule['id']}: no `ok: {rule['id']}` annotation (hard negative) in {rule_file.stem}.*"


def test_every_test_file_has_a_rule_file():
    stems = {(p.parent, p.name.split(".", 1)[0]) for p in RULE_FILES}
    orphans = [str(p.relative_to(ROOT)) for p in RULES_DIR.rglob("*")
               if p.is_file() and p.suffix not in (".yaml", ".yml", ".md")
               and (p.parent, p.name.split(".", 1)[0]) not in stems]
    assert not orphans, f"test files without a rule file: {orphans}"


# --------------------------------------------------------------------------- metadata


def test_rule_ids_are_unique():
    ids = [rule["id"] for _, rule in RULES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(ids) >= 30


def test_every_language_has_rules():
    assert {path.parent.name for path in RULE_FILES} >= set(LANGUAGES)


@pytest.mark.parametrize("rule_file, rule", RULE_PARAMS)
def test_rule_id_and_languages(rule_file, rule):
    directory = rule_file.parent.name
    assert directory in LANGUAGES, f"{rule_file}: not in one of rules/{sorted(LANGUAGES)}"
    assert re.fullmatch(rf"keylint\.{directory}\.[a-z0-9]+(?:-[a-z0-9]+)*", rule["id"]), rule["id"]
    allowed, _ = LANGUAGES[directory]
    assert set(rule["languages"]) <= allowed, f"{rule['id']}: languages {rule['languages']} in rules/{directory}"
    assert rule.get("message", "").strip(), f"{rule['id']}: empty message"


@pytest.mark.parametrize("rule_file, rule", RULE_PARAMS)
def test_rule_metadata(rule_file, rule):
    metadata = rule.get("metadata") or {}
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    assert not missing, f"{rule['id']}: metadata lacks {missing}"
    assert metadata["category"] == "security"
    for key in ("confidence", "likelihood", "impact"):
        assert metadata[key] in LEVELS, f"{rule['id']}: {key}={metadata[key]!r}"
    cwes = metadata["cwe"] if isinstance(metadata["cwe"], list) else [metadata["cwe"]]
    assert all(re.fullmatch(r"CWE-\d+: \S.*", c) for c in cwes), cwes
    owasp = metadata["owasp"] if isinstance(metadata["owasp"], list) else [metadata["owasp"]]
    assert all(re.fullmatch(r"A\d{2}:20(?:17|21) - \S.*", o) for o in owasp), owasp
    references = metadata["references"]
    assert isinstance(references, list) and all(re.fullmatch(r"https://\S+", r) for r in references), references


@pytest.mark.parametrize("rule_file, rule", RULE_PARAMS)
def test_keylint_code_is_in_the_catalogue(rule_file, rule):
    catalogue = _catalogue()
    assert len(catalogue) > 20, "could not parse the table in docs/catalogue.md"
    code = rule["metadata"]["keylint-code"]
    assert code in catalogue, f"{rule['id']}: {code} is not a code in docs/catalogue.md"
    assert rule["severity"] == SEVERITIES[catalogue[code]], (
        f"{rule['id']}: severity {rule['severity']} but {code} is `{catalogue[code]}` in docs/catalogue.md"
    )


@pytest.mark.parametrize("rule_file, rule", RULE_PARAMS)
def test_rule_is_listed_in_rules_readme(rule_file, rule):
    text = RULES_README.read_text(encoding="utf-8")
    assert f"`{rule['id']}`" in text, f"{rule['id']} is missing from rules/README.md"
