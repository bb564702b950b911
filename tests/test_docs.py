"""The README's rule table is generated from the registry (`keylint rules --format markdown`) and must
stay in sync with it; the catalogue lists every code the registry has."""

from pathlib import Path

from keylint.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_readme_rule_table_matches_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in readme.splitlines() if line.startswith("| KEY")}
    assert {code: name.replace(" (opt-in)", "") for code, name in rows.items()} == {r.code: r.name for r in all_rules()}


def test_catalogue_lists_every_rule():
    catalogue = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| {rule.code} | {rule.name} |" in catalogue, rule.code
