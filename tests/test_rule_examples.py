"""Every rule is run over its own documented examples: bad ones must be reported, good ones not.

A rule cannot exist without examples and the four-part documentation (Fixit's VALID/INVALID idea)."""

import textwrap

import pytest

from keylint import engine
from keylint.config import Config
from keylint.rules import all_rules

RULES = all_rules()


def _config_for(rule):
    # default-off rules are switched on explicitly for their own examples
    return Config(select=["KEY", rule.code])


def _codes(source, rule, path="app/example.py"):
    outcome = engine.check_source(textwrap.dedent(source), path, _config_for(rule), rules=[rule])
    assert not [e for e in outcome.errors if e.kind == "error"], outcome.errors
    assert not [e for e in outcome.errors if e.kind == "rule"], f"{rule.code} crashed: {outcome.errors}"
    return [f.code for f in outcome.findings]


def test_registry_is_not_empty():
    assert len(RULES) >= 6


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_docs_and_examples(rule):
    sections = rule.doc_sections()
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead"):
        assert sections.get(heading), f"{rule.code} docstring lacks '{heading}'"
    assert rule.examples_bad, f"{rule.code} has no bad examples"
    assert rule.examples_good, f"{rule.code} has no good examples"
    assert rule.code.startswith("KEY") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert isinstance(rule.cwe, int) and rule.cwe > 0


@pytest.mark.parametrize(
    "rule, index", [(rule, i) for rule in RULES for i in range(len(rule.examples_bad))],
    ids=lambda v: v.code if hasattr(v, "code") else str(v),
)
def test_bad_example_is_reported(rule, index):
    assert rule.code in _codes(rule.examples_bad[index], rule), rule.examples_bad[index]


@pytest.mark.parametrize(
    "rule, index", [(rule, i) for rule in RULES for i in range(len(rule.examples_good))],
    ids=lambda v: v.code if hasattr(v, "code") else str(v),
)
def test_good_example_is_quiet(rule, index):
    assert rule.code not in _codes(rule.examples_good[index], rule), rule.examples_good[index]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_prefilter_is_lossless_on_examples(rule):
    """A rule's trigger bytes must occur in every example it reports."""
    triggers = rule.triggers_for(_config_for(rule))
    if triggers is None:
        return
    for example in rule.examples_bad:
        assert triggers.search(textwrap.dedent(example).encode()), f"{rule.code} trigger misses: {example}"
