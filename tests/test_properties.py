"""Properties of the engine over generated input: random and mutated bytes (plain hypothesis) and
generated Python programs (hypothesmith, when installed).

- no exception escapes engine.check_source / engine.check_file;
- every file is accounted for: analysed, or not analysed with exactly one one-line reason;
- output is identical between runs and between --jobs 1 and --jobs 2;
- suppressions never add findings: a `# noqa` at the end of any statement never adds one.

Default example counts keep this file well under a minute. A long campaign:

    KEYLINT_HYPOTHESIS_EXAMPLES=5000 python -m pytest -q tests/test_properties.py -p no:cacheprovider

(the count applies to each property; hypothesis prints any failing input in a reproducible form).
"""

from __future__ import annotations

import io
import os
import random
import tokenize
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keylint import engine
from keylint.config import Config
from keylint.files import DecodeError, SourceFile, decode_source
from tests.helpers import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")

EXAMPLES = int(os.environ.get("KEYLINT_HYPOTHESIS_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("KEYLINT_HYPOTHESIS_EXAMPLES"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
CONFIG = Config(file_timeout=20)
SEEDS = sorted(p.read_bytes() for p in FIXTURES.rglob("*.py") if "adversarial" not in p.parts and p.stat().st_size < 8000)


def assert_accounted(outcome: engine.FileOutcome) -> None:
    hard = [e for e in outcome.errors if e.kind == "error"]
    if outcome.analysed:
        assert not hard, outcome.errors
    else:
        assert len(hard) == 1 and not outcome.findings, outcome.errors
    for error in outcome.errors:
        assert error.reason and "\n" not in error.reason and "Traceback" not in error.reason
    assert not [e for e in outcome.errors if e.kind == "rule"], f"a rule crashed: {outcome.errors}"


def check_bytes(data: bytes) -> engine.FileOutcome:
    """What check_file does after reading: decode, then analyse."""
    try:
        text = decode_source(data)
    except DecodeError as exc:
        assert str(exc) and "\n" not in str(exc)
        return engine.FileOutcome(errors=[engine.FileError("x.py", str(exc))], analysed=False)
    return engine.check_source(text, "app/x.py", CONFIG, data=data)


# --- bytes ------------------------------------------------------------------------------------


@st.composite
def mutated_fixture(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "splice"]))
        at = draw(st.integers(0, len(data)))
        if action == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"(", b")", b"[", b"'", b'"""', b"\\", b"\n", b"    ", b"\t", b"#", b"\xff",
                                                b"\x00", b"\r", b"\xef\xbb\xbf", b"# -*- coding: latin-1 -*-\n",
                                                b"f'{", b"lambda:", b"async ", b"@", b"password = ", b"noqa"]))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(1, 20))
        elif action == "splice":
            other = draw(st.sampled_from(SEEDS))
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start:start + draw(st.integers(1, 400))]
    return bytes(data)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    assert_accounted(check_bytes(data))


@SETTINGS
@given(mutated_fixture())
def test_mutated_fixtures_never_raise_and_are_deterministic(data):
    first = check_bytes(data)
    assert_accounted(first)
    second = check_bytes(data)
    assert (first.findings, first.errors, first.analysed) == (second.findings, second.errors, second.analysed)


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400), st.sampled_from(SEEDS))
def test_arbitrary_text_in_a_string_literal_never_raises(text, seed):
    source = seed.decode("utf-8", "replace") + f"\npassword = {text!r}\nrequests.get('https://x/?key=' + {text!r})\n"
    assert_accounted(engine.check_source(source, "app/x.py", CONFIG))


@settings(SETTINGS, max_examples=max(5, EXAMPLES // 8))
@given(st.lists(mutated_fixture(), min_size=1, max_size=4))
def test_check_file_accounts_for_every_file(tmp_path_factory, contents):
    directory = tmp_path_factory.mktemp("files")
    for index, data in enumerate(contents):
        path = directory / f"m{index}.py"
        path.write_bytes(data)
        assert_accounted(engine.check_file(SourceFile(str(path), path.name), CONFIG))


# --- suppressions -------------------------------------------------------------------------------


def statement_ends(text: str):
    """1-based lines where a logical line ends (a trailing comment there changes no value)."""
    try:
        return sorted({tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                       if tok.type == tokenize.NEWLINE})
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


@SETTINGS
@given(st.sampled_from(SEEDS), st.randoms(use_true_random=False),
       st.sampled_from(["# noqa", "# noqa: KEY101", "# noqa: KEY2,KEY3", "# keylint: ignore[KEY1]", "# keylint: ignore",
                        "# noqa: KEY999", "# NOQA:KEY101 KEY301"]))
def test_suppressions_never_add_findings(seed, rng, comment):
    text = seed.decode("utf-8")
    before = engine.check_source(text, "app/x.py", CONFIG)
    lines = text.splitlines()
    ends = statement_ends(text)
    for number in rng.sample(ends, k=min(len(ends), rng.randint(1, 6))):
        if "#" not in lines[number - 1]:
            lines[number - 1] += "  " + comment
    after = engine.check_source("\n".join(lines) + "\n", "app/x.py", CONFIG)
    assert {(f.line, f.code) for f in after.findings} <= {(f.line, f.code) for f in before.findings}


# --- whole scans: runs and job counts agree ----------------------------------------------------


def test_jobs_1_and_2_and_repeated_runs_agree(tmp_path):
    rng = random.Random(2024)
    files = []
    for index in range(24):
        data = bytearray(rng.choice(SEEDS))
        if index % 3 == 0 and data:  # some broken files too
            del data[rng.randrange(len(data)):][:50]
            data[rng.randrange(len(data) or 1):rng.randrange(len(data) or 1)] = b"(\xff"
        path = tmp_path / f"f{index:02d}.py"
        path.write_bytes(bytes(data))
        files.append(SourceFile(str(path), path.name))

    def scan(jobs):
        result = engine.scan_files(files, CONFIG, jobs=jobs)
        return result.findings, result.errors, result.files_analysed, result.files_skipped

    one = scan(1)
    assert one[2] + one[3] == len(files)
    assert scan(2) == one
    assert scan(1) == one


# --- generated programs --------------------------------------------------------------------------


def _hypothesmith():
    return pytest.importorskip("hypothesmith")


@pytest.mark.parametrize("grammar", ["from_grammar", "from_node"])
def test_generated_programs_never_raise(grammar):
    hypothesmith = _hypothesmith()
    strategy = getattr(hypothesmith, grammar)()

    @settings(SETTINGS, max_examples=max(10, EXAMPLES // 2))
    @given(strategy)
    def prop(source):
        prefixed = "import jwt, requests\npassword = 'x2Zk9qLw3mP8vRt5'\n" + source  # pass every prefilter
        for text in (source, prefixed):
            first = engine.check_source(text, "app/gen.py", CONFIG)
            assert_accounted(first)
            again = engine.check_source(text, "app/gen.py", CONFIG)
            assert (first.findings, first.errors) == (again.findings, again.errors)

    prop()


def test_fixture_seeds_exist():
    assert len(SEEDS) >= 10 and all(isinstance(seed, bytes) for seed in SEEDS)
    assert Path(FIXTURES).is_dir()
