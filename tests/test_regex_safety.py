"""No catastrophic regexes: every regex keylint runs over untrusted text stays linear.

The regexes are discovered by introspection (keylint.detectors, keylint.analysis.*, every
keylint.rules.* module and every trigger in keylint.prefilter.RULE_TRIGGERS), so a new rule is checked automatically. Each
is run over adversarial inputs of size n and 4n: long runs of every character class it repeats,
near-misses of every known token format, and their mixes. A linear regex takes about 4x longer on
4n; a catastrophic one takes 16x or (exponential) forever. The bound is a ratio, not a speed.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
import time

import pytest

import keylint.analysis
import keylint.rules
from keylint import analyse, detectors, engine, prefilter
from keylint.config import Config
from keylint.rules import all_rules

RATIO_LIMIT = 10.0  # linear is ~4; quadratic is ~16
BASE = 5_000
SCREEN_SECONDS = 0.0005  # linear regexes scan BASE characters in ~0.05 ms


def _modules():
    names = ["keylint.detectors", "keylint.findings", "keylint.semgrep", "keylint.files", "keylint.prefilter"]
    for package in (keylint.analysis, keylint.rules):
        names += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    return [importlib.import_module(name) for name in names]


def discovered_patterns():
    found = {}
    for module in _modules():
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__}.{attr}"] = value
            elif attr == "FORMATS":
                for fmt in value:
                    found[f"{module.__name__}.FORMATS[{fmt.name}]"] = fmt.pattern
    for code, trigger in prefilter.RULE_TRIGGERS.items():
        for index, regex in enumerate(_trigger_regexes(trigger)):
            found[f"{code}.triggers[{index}]"] = regex
    for rule in all_rules():
        for attr, value in vars(rule).items():
            if isinstance(value, re.Pattern):
                found[f"{rule.code}.{attr}"] = value
    return found


def _trigger_regexes(trigger):
    """The regexes inside a prefilter trigger (Trigger, AllOf/AnyOf, NameWords' `before`)."""
    if trigger is None:
        return []
    if isinstance(trigger, re.Pattern):
        return [trigger]
    nested = getattr(trigger, "patterns", None)
    if nested is not None:
        return [regex for part in nested for regex in _trigger_regexes(part)]
    return [regex for regex in (getattr(trigger, "regex", None), getattr(trigger, "before", None)) if regex is not None]


PATTERNS = discovered_patterns()

CLASSES = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "_-", " \t", "/.:", "=+/", "\\n",
           "{}$%<>*#", "@?&", "'\"`", "\u00e9\u4e2d"]


def seeds():
    """Short units that, repeated, make long near-misses."""
    units = [c for cls in CLASSES for c in cls[:3]]
    units += [
        "a", "A1", "aB3", "_", "-", " ", "a ", "a.", "a-", "a_b", "${", "{{", "<", "%(", "://", "@", ":", "a:b@",
        "https://u:", "-----BEGIN RSA PRIVATE KEY-----", "eyJ", "eyJa.", "eyJhbGciOi.", "AKIA", "ghp_", "github_pat_a_",
        "glpat-", "xoxb-1-", "hooks.slack.com/services/T", "sk_live_", "AIza", "sk-ant-api03-", "sk-proj-",
        "pypi-AgEIcHlwaS5vcmc", "npm_", "T3BlbkFJ", "# noqa: KEY1 ", "# keylint: ignore[", "KEY1,", "x = 'a",
    ]
    for fmt in detectors.FORMATS:  # each format's own prefix followed by a run that almost fits
        literal = re.sub(r"[\\()?:|\[\]{}+*^$]", "", fmt.pattern.pattern.split("[")[0])[:20]
        units.append(literal + "a")
    return units


UNITS = seeds()


def _time(pattern, text):
    """Best of two: search() and a full finditer(), as the engine runs them."""
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        pattern.search(text)
        for _match in pattern.finditer(text):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def _text(unit, n, binary):
    text = (unit * (n // max(1, len(unit)) + 1))[:n] + "!"  # a tail that breaks every match
    return text.encode("utf-8", "surrogatepass") if binary else text


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_regex_is_linear_on_adversarial_runs(name):
    pattern = PATTERNS[name]
    binary = isinstance(pattern.pattern, bytes)
    for unit in UNITS:
        small = _time(pattern, _text(unit, BASE, binary))
        if small < SCREEN_SECONDS:  # even a quadratic regex this fast at BASE would be harmless at 2 MiB
            continue
        ratio = _time(pattern, _text(unit, 4 * BASE, binary)) / small
        for _retry in range(3):  # a busy machine: measure again before blaming the regex
            if ratio <= RATIO_LIMIT:
                break
            small = _time(pattern, _text(unit, BASE, binary))
            ratio = min(ratio, _time(pattern, _text(unit, 4 * BASE, binary)) / max(small, 1e-9))
        assert ratio <= RATIO_LIMIT, f"{name} looks super-linear on runs of {unit!r}: x{ratio:.1f} for 4x input"


def test_discovery_finds_the_detector_and_rule_regexes():
    assert any(name.startswith("keylint.detectors.FORMATS[") for name in PATTERNS)
    assert "keylint.detectors.URL_CREDENTIALS" in PATTERNS and "keylint.detectors.KNOWN_PREFIXES" in PATTERNS
    assert "keylint.analysis.suppress._NOQA" in PATTERNS
    assert sum(".triggers[" in name for name in PATTERNS) >= 10


def test_filters_and_redaction_stay_linear_on_long_lines():
    """The pure functions that apply those regexes to whole lines and values."""
    for unit in ("a", "aB3_", "AKIAaaaa", "eyJa.", "sk_live_", "x:y@", "{", "$", "-", " "):
        timings = []
        for n in (100_000, 400_000):
            text = _text(unit, n, False)
            start = time.perf_counter()
            detectors.find_known(text)
            detectors.redact_known_formats(text)
            detectors.find_url_credentials("https://" + text + "@host")
            detectors.non_secret_shape(text)
            detectors.looks_random(text)
            timings.append(time.perf_counter() - start)
        assert timings[1] <= RATIO_LIMIT * max(timings[0], 0.005), (unit, timings)


def test_a_one_megabyte_one_line_file_is_scanned():
    body = "".join(
        f"'{unit * 40}', " for unit in ("aB3", "AKIA", "eyJa.", "sk_live_", "x:y@", "${", "ghp_") * 900
    )
    source = "import requests\npassword = [" + body + "]\n"
    source += "token = '" + "aB3xQ9" * (1_000_000 // 6) + "'\n"
    outcome = engine.check_source(source, "one_line.py", Config())
    assert outcome.analysed, outcome.errors


def test_a_one_megabyte_line_of_secrets_is_scanned_within_the_default_budget():
    """Thousands of known-format tokens on one line: each finding's snippet is that line, so it
    is redacted once per line (per finding, this took minutes and hit file-timeout)."""
    source = "password = '" + "sk-ant-api03-" * (1_000_000 // 13) + "'\n"
    outcome = engine.check_source(source, "one_line.py", Config())
    assert outcome.analysed, outcome.errors
    assert len(outcome.findings) > 5000
    assert all(len(f.snippet) <= analyse.SNIPPET_LIMIT for f in outcome.findings)
