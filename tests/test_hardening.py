"""keylint reads untrusted code and untrusted config: it must never crash, hang, leak a secret or
lose a file. These tests drive the real CLI (a subprocess) over a generated hostile tree
(tests/fixtures/adversarial/corpus.py) and check each guarantee separately."""

from __future__ import annotations

import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from keylint import analyse, engine, scan
from keylint.config import Config
from keylint.detectors import FORMATS
from keylint.files import SourceFile
from keylint.report import RenderOptions, render
from tests.fixtures.adversarial.corpus import FLAGGED, build_tree, secret_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks, FIFOs and odd file names are POSIX")


def keylint(args, cwd, env=None, timeout=120):
    environment = dict(os.environ, KEYLINT_SEMGREP="", NO_COLOR="1")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "keylint", "check", *args], cwd=cwd, capture_output=True, text=True,
        timeout=timeout, env=environment,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "project"
    root.mkdir()
    (root / "keylint.toml").write_text("")  # an explicit, empty config: defaults, no pyproject lookup
    analysed, not_analysed = build_tree(str(root))
    return root, analysed, not_analysed


def stderr_lines(proc):
    return [line for line in proc.stderr.splitlines() if line]


# --- accounting: every discovered file is analysed or reported -----------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_file_is_analysed_or_reported_once(tree, fmt):
    root, analysed, not_analysed = tree
    proc = keylint(["--no-cache", "--config", "keylint.toml", "--format", fmt, "."], root)
    assert proc.returncode == 1, proc.stderr  # the good files' findings
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = stderr_lines(proc)
    assert len(lines) == len(not_analysed), lines
    for name in not_analysed:
        assert sum(line.startswith(f"keylint: {name}") for line in lines) == 1, (name, lines)
    if fmt == "text":
        summary = proc.stdout.splitlines()[-1]
        assert f"in {len(analysed)} files analysed; {len(not_analysed)} files not analysed." in summary
    elif fmt == "json":
        document = json.loads(proc.stdout)
        assert document["summary"]["files_analysed"] == len(analysed)
        assert document["summary"]["files_not_analysed"] == len(not_analysed)
        assert sorted(e["path"] for e in document["errors"]) == sorted(not_analysed)
        flagged = {f["path"] for f in document["findings"]}
        assert flagged == {name for name in analysed if name not in ("good.py", "empty.py")}
    elif fmt == "sarif":
        run = json.loads(proc.stdout)["runs"][0]
        counts = run["properties"]
        assert counts["files_analysed"] + counts["files_not_analysed"] == len(analysed) + len(not_analysed)
        assert counts["files_not_analysed"] == len(not_analysed)
        notifications = run["invocations"][0]["toolExecutionNotifications"]
        assert len(notifications) == len(not_analysed)
    else:
        warnings = [line for line in proc.stdout.splitlines() if line.startswith("::warning ")]
        assert len(warnings) == len(not_analysed)


def test_outside_symlink_is_not_read(tree):
    root, _, _ = tree
    proc = keylint(["--no-cache", "--config", "keylint.toml", "--format", "json", "."], root)
    document = json.loads(proc.stdout)
    assert not [f for f in document["findings"] if f["path"] == "escape.py"]
    assert any(e["path"] == "escape.py" and "outside" in e["reason"] for e in document["errors"])


def test_leading_dash_file_after_double_dash(tree):
    root, _, _ = tree
    proc = keylint(["--no-cache", "--config", "keylint.toml", "--format", "json", "--", "-leading-dash.py"], root)
    assert proc.returncode == 1, proc.stderr
    assert [f["path"] for f in json.loads(proc.stdout)["findings"]] == ["-leading-dash.py"]


def test_named_paths_that_are_not_files(tree):
    root, _, _ = tree
    proc = keylint(["--no-cache", "--config", "keylint.toml", "fifo.py", "loop.py", "no-such.py", "finding.py"], root)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(stderr_lines(proc)) == 3, proc.stderr
    assert "1 file analysed; 3 files not analysed." in proc.stdout


# --- odd file names in every format -----------------------------------------------------------


def test_odd_names_are_escaped_in_every_format(tree):
    root, _, _ = tree
    names = ["new\nline.py", "with space.py", "\u00fcn\u00efc\u00f6de.py", "pct%20and#hash,comma:colon.py"]
    outputs = {
        fmt: keylint(["--no-cache", "--config", "keylint.toml", "--format", fmt, "--", *names], root).stdout
        for fmt in ("text", "json", "sarif", "github")
    }
    text_lines = outputs["text"].splitlines()
    assert len(text_lines) == len(names) + 1  # one line per finding, then the summary
    assert "new\\nline.py:1:9: KEY101" in outputs["text"]
    assert {f["path"] for f in json.loads(outputs["json"])["findings"]} == set(names)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(outputs["sarif"])["runs"][0]["results"]
    }
    assert uris == {"new%0Aline.py", "with%20space.py", "%C3%BCn%C3%AFc%C3%B6de.py", "pct%2520and%23hash%2Ccomma%3Acolon.py"}
    annotations = outputs["github"].splitlines()
    assert len(annotations) == len(names)
    assert "::error file=new%0Aline.py," in outputs["github"]
    assert "file=pct%2520and#hash%2Ccomma%3Acolon.py," in outputs["github"]


# --- per-file time budget ---------------------------------------------------------------------


def test_runaway_file_becomes_a_reported_file_and_its_thread_stops():
    source = FLAGGED * 20000  # LibCST needs seconds for this; the budget below is far shorter
    outcome = engine.check_source(source, "slow.py", Config(file_timeout=0.01))
    assert not outcome.analysed and not outcome.findings and not outcome.cacheable
    assert "file-timeout (0.01 s)" in outcome.errors[0].reason
    for thread in threading.enumerate():
        if thread.name == "keylint-analysis":
            thread.join(120)  # the interrupted rules stop; a native parse ends on its own
            assert not thread.is_alive()


def test_file_timeout_is_configurable_and_never_cached(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\nfile-timeout = 0.5\n")
    (tmp_path / "slow.py").write_text(FLAGGED * 20000)
    (tmp_path / "fast.py").write_text(FLAGGED)
    for _run in range(2):
        proc = keylint(["."], tmp_path)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert stderr_lines(proc) == ["keylint: slow.py: analysis took longer than file-timeout (0.5 s): not analysed"]
    cached = list((tmp_path / ".keylint_cache").rglob("*.json"))
    assert len(cached) == 1  # fast.py only


def test_generous_budget_changes_nothing():
    outcome = engine.check_source(FLAGGED * 50, "ok.py", Config(file_timeout=600))
    assert outcome.analysed and len(outcome.findings) == 50


# --- resource limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "secret = " + "[" * 5000 + "]" * 5000,
        "password = " + "-" * 100000 + "1",
        "password = " + "+".join(["1"] * 5000),
        "token = " + "not " * 50000 + "x",
        "key = " + "(" * 150 + "1" + ")" * 150,
        "x = " + "lambda: " * 2000 + "1",
        "if x:\n" + "".join(" " * i + "if x:\n" for i in range(1, 120)) + " " * 120 + "password = 'x2Zk9qLw3mP8vRt5'\n",
    ],
    ids=["brackets", "unary", "binop", "not", "parens", "lambdas", "indent"],
)
def test_pathological_nesting_is_reported_or_analysed_never_a_crash(source):
    outcome = engine.check_source(source, "deep.py", Config())
    assert outcome.analysed or outcome.errors
    assert all("\n" not in e.reason for e in outcome.errors)


def test_max_file_size_is_read_no_further(tmp_path):
    path = tmp_path / "huge.py"
    path.write_bytes(FLAGGED.encode() * 1000)
    config = Config(max_file_size=1000)
    outcome = engine.check_file(SourceFile(str(path), "huge.py"), config)
    assert not outcome.analysed and "over max-file-size" in outcome.errors[0].reason


def test_jobs_from_config_never_exceed_cores(tmp_path, monkeypatch):
    created = []
    real = concurrent.futures.ProcessPoolExecutor

    def spy(max_workers, **kwargs):
        created.append(max_workers)
        return real(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", spy)
    files = []
    for index in range(16):
        (tmp_path / f"m{index}.py").write_text(FLAGGED)
        files.append(SourceFile(str(tmp_path / f"m{index}.py"), f"m{index}.py"))
    result = engine.scan_files(files, Config(), jobs=10000)
    assert result.files_analysed == 16
    assert all(workers <= (os.cpu_count() or 1) for workers in created)


# --- untrusted config -------------------------------------------------------------------------


@pytest.mark.parametrize("cache_dir", ["/tmp/keylint-hostile-cache", "../escaped-cache", "sub/../../escaped-cache"])
def test_cache_dir_outside_the_project_is_ignored_with_a_notice(tmp_path, cache_dir):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(f'[tool.keylint]\ncache-dir = "{cache_dir}"\n')
    (project / "app.py").write_text(FLAGGED)
    before = set(os.listdir(tmp_path)), os.path.exists("/tmp/keylint-hostile-cache")
    proc = keylint(["."], project)
    assert proc.returncode == 1
    assert stderr_lines(proc) == [
        f"keylint: cache-dir {cache_dir!r} is outside the project directory; ignored, results are not cached this run"
    ]
    assert (set(os.listdir(tmp_path)), os.path.exists("/tmp/keylint-hostile-cache")) == before


def test_committed_symlink_as_cache_dir_is_not_written_through(tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / ".keylint_cache").symlink_to(elsewhere)
    (project / "pyproject.toml").write_text("[tool.keylint]\n")
    (project / "app.py").write_text(FLAGGED)
    proc = keylint(["."], project)
    assert proc.returncode == 1 and "outside the project directory" in proc.stderr
    assert list(elsewhere.iterdir()) == []


def test_symlinked_entry_directory_inside_the_cache_is_not_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache_dir = tmp_path / "cache"
    cache = engine.Cache(str(cache_dir), Config(), engine.candidate_codes(Config()))
    key = cache.key("app.py", b"x = 1\n")
    cache_dir.mkdir()
    (cache_dir / key[:2]).symlink_to(elsewhere)
    (cache_dir / ".gitignore").symlink_to(elsewhere / "planted")
    cache.put(key, engine.FileOutcome())
    assert list(elsewhere.iterdir()) == []


def test_config_cannot_run_code_or_name_output_files(tmp_path):
    """Every [tool.keylint] key is data: there is no key for a plugin, a command or an output path."""
    from keylint.config import _KEY_TYPES

    assert not {"plugins", "output", "command", "semgrep-path", "load"} & set(_KEY_TYPES)
    assert set(_KEY_TYPES.values()) <= {"codes", "globs", "per-file", "severity", "duration", "names", "regexes",
                                        "semgrep", "bool", "int", "str", "size", "seconds"}


# --- cache integrity ----------------------------------------------------------------------------


def _json(proc):
    document = json.loads(proc.stdout)
    return document["findings"], document["errors"], document["summary"]


@pytest.fixture
def cached_project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\n")
    (tmp_path / "a.py").write_text(FLAGGED * 3)
    (tmp_path / "b.py").write_text("import os\npassword = os.environ['P']\n")
    (tmp_path / "c.py").write_text("def (:\n")
    fresh = _json(keylint(["--no-cache", "--format", "json", "."], tmp_path))
    keylint(["--format", "json", "."], tmp_path)  # fill the cache
    entries = sorted((tmp_path / ".keylint_cache").rglob("*.json"))
    assert len(entries) == 3
    return tmp_path, fresh, entries


@pytest.mark.parametrize("damage", ["garbage", "truncate", "swap", "empty", "wrong-types"])
def test_damaged_cache_entries_are_recomputed(cached_project, damage):
    root, fresh, entries = cached_project
    if damage == "garbage":
        for entry in entries:
            entry.write_bytes(b"\x00\xffnot json")
    elif damage == "truncate":
        for entry in entries:
            entry.write_bytes(entry.read_bytes()[:20])
    elif damage == "swap":  # each key holds another file's (well-formed) entry
        contents = [entry.read_bytes() for entry in entries]
        for entry, content in zip(entries, contents[1:] + contents[:1]):
            entry.write_bytes(content)
    elif damage == "empty":
        for entry in entries:
            entry.write_bytes(b"")
    else:
        for entry in entries:
            payload = json.loads(entry.read_text())
            payload["findings"] = [{"code": 1}]
            entry.write_text(json.dumps(payload))
    assert _json(keylint(["--format", "json", "."], root)) == fresh
    assert _json(keylint(["--format", "json", "."], root)) == fresh  # and the rewritten entries are right


def test_leftover_temp_files_of_a_killed_run_are_harmless(cached_project):
    root, fresh, entries = cached_project
    for entry in entries:
        (entry.parent / "tmpkilled.tmp").write_text('{"key": "')  # what a kill mid-write leaves
        entry.unlink()
    assert _json(keylint(["--format", "json", "."], root)) == fresh


def test_concurrent_runs_agree(cached_project):
    root, fresh, _ = cached_project
    for extra in range(12):
        (root / f"more{extra}.py").write_text(FLAGGED * (extra + 1))
    expected = _json(keylint(["--no-cache", "--format", "json", "."], root))
    import shutil

    shutil.rmtree(root / ".keylint_cache")
    environment = dict(os.environ, KEYLINT_SEMGREP="")
    procs = [
        subprocess.Popen([sys.executable, "-m", "keylint", "check", "--format", "json", "-j", "2", "."], cwd=root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
        for _ in range(3)
    ]
    for proc in procs:
        stdout, _ = proc.communicate(timeout=300)
        document = json.loads(stdout)
        assert (document["findings"], document["errors"], document["summary"]) == expected
    assert _json(keylint(["--format", "json", "."], root)) == expected


# --- semgrep faults -----------------------------------------------------------------------------


def _fake_semgrep(tmp_path, body):
    script = tmp_path / "fake-semgrep"
    script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
    script.chmod(0o755)
    return str(script)


@pytest.fixture
def mixed_project(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.keylint]\nsemgrep = true\n")
    (project / "app.py").write_text(FLAGGED)
    (project / "web.js").write_text("const url = 'https://api.example.com/?api_key=' + key;\n")
    (project / "main.go").write_text("package main\n")
    return project


@pytest.mark.parametrize(
    "body, expected",
    [
        (None, "semgrep is not available"),
        ("sys.stderr.write('Traceback (most recent call last):\\n  boom\\nFatal: exploded\\n'); sys.exit(2)",
         "keylint: semgrep failed (exit 2): Fatal: exploded"),
        ("sys.stdout.write('\\x00\\xff{{{ not json ]]'); sys.exit(0)", "keylint: semgrep failed (exit 0)"),
        ("sys.stdout.write('[1, 2, 3]'); sys.exit(0)", "keylint: semgrep failed (exit 0)"),
    ],
    ids=["missing", "crash", "garbage", "wrong-shape"],
)
def test_semgrep_faults_cost_only_its_files(tmp_path, mixed_project, body, expected):
    fake = "" if body is None else _fake_semgrep(tmp_path, body)
    proc = keylint(["--no-cache", "--format", "json", "."], mixed_project, env={"KEYLINT_SEMGREP": fake})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    findings, errors, summary = _json(proc)
    assert [(f["path"], f["code"]) for f in findings] == [("app.py", "KEY101")]  # LibCST results intact
    assert summary["files_analysed"] == 1 and summary["files_not_analysed"] == 2
    assert sorted(e["path"] for e in errors) == ["main.go", "web.js"]
    if body is None:
        assert all(expected in e["reason"] for e in errors)
    else:
        notices = [line for line in stderr_lines(proc) if "semgrep failed (exit" in line]
        assert len(notices) == 1 and notices[0].startswith(expected), proc.stderr
        assert len(stderr_lines(proc)) == 3  # the notice, then one line per file it did not scan


def test_semgrep_timeout_is_one_line(tmp_path, mixed_project, monkeypatch):
    from keylint import semgrep

    fake = _fake_semgrep(tmp_path, "time.sleep(60)")
    monkeypatch.setenv("KEYLINT_SEMGREP", fake)
    monkeypatch.setattr(semgrep, "TIMEOUT_SECONDS", 1)
    config = Config(semgrep=True)
    result, notices = scan.run([str(mixed_project)], config, root=str(mixed_project), use_cache=False, config_dir=str(mixed_project))
    assert notices == ["semgrep timed out after 1 s; its findings are missing from this report"]
    assert [(f.path, f.code) for f in result.findings] == [("app.py", "KEY101")]
    assert result.files_analysed == 1 and result.files_skipped == 2


def test_semgrep_on_auto_and_missing_is_a_notice_not_a_failure(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\n")
    (tmp_path / "app.py").write_text(FLAGGED)
    (tmp_path / "web.js").write_text("x = 1;\n")
    proc = keylint(["--no-cache", "."], tmp_path)
    assert proc.returncode == 1
    assert len(stderr_lines(proc)) == 1 and "semgrep not found" in proc.stderr


# --- redaction everywhere -----------------------------------------------------------------------


def _places(secret: str) -> str:
    """The secret where rules report it, where they do not, and in a file that fails to parse."""
    return (
        f"token = {secret!r}\n"
        f"headers = {{'Authorization': 'Bearer ' + {secret!r}}}\n"
        f"import requests\nrequests.get('https://api.example.com/v1?api_key=' + {secret!r})\n"
        f"print({secret!r})  # noqa\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_known_format_secret_reaches_any_output_or_stderr(tmp_path, fmt):
    rng = random.Random(fmt)
    (tmp_path / "pyproject.toml").write_text("[tool.keylint]\n")
    secrets = {}
    for index, detector in enumerate(FORMATS):
        secret = secret_for(detector.name, rng)
        secrets[detector.name] = secret
        (tmp_path / f"f{index}.py").write_text(_places(secret))
        (tmp_path / f"broken{index}.py").write_text(_places(secret) + f"def ({secret!r}:\n")
    proc = keylint(["--no-cache", "--format", fmt, "."], tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    everything = proc.stdout + proc.stderr
    for name, secret in secrets.items():
        tail = max(re.findall(r"[A-Za-z0-9+/_]{12,}", secret), key=len)[-12:]  # random, never a fixed marker
        assert secret not in everything and tail not in everything, name


def test_internal_error_messages_are_redacted(monkeypatch, capsys):
    from keylint import cli

    secret = secret_for("GitHub token", random.Random(7))

    def explode(*_args, **_kwargs):
        raise RuntimeError(f"bad value {secret}")

    monkeypatch.setattr(scan, "run", explode)
    assert cli.main(["check", "--no-cache", "."]) == 2
    err = capsys.readouterr().err
    assert secret not in err and err.count("\n") == 1 and err.startswith("keylint: internal error: RuntimeError")


def test_render_never_shows_a_secret_from_a_file_error():
    from keylint.findings import FileError, ScanResult

    secret = secret_for("Stripe live key", random.Random(3))
    result = ScanResult(errors=[FileError("a.py", analyse.redact_text(f"cannot parse {secret}", []))], files_skipped=1)
    for fmt in ("text", "json", "sarif", "github"):
        assert secret not in render(fmt, result, RenderOptions())


def test_debug_traceback_only_on_request(tmp_path):
    """KEYLINT_DEBUG is the only door to a traceback; without it, one line."""
    proc = keylint(["--format", "sarif", "--output", str(tmp_path / "no-such-dir" / "out.sarif"), str(tmp_path)], tmp_path)
    assert proc.returncode == 2 and len(stderr_lines(proc)) == 1 and "Traceback" not in proc.stderr
    assert Path(tmp_path / "no-such-dir").exists() is False


def test_no_file_keeps_its_tree_alive_after_its_analysis():
    """A per-file analysis cache keyed by the file's context once kept every JWT file's LibCST tree
    (and source) for the rest of the scan: a worker's memory grew with the files it had seen."""
    import gc

    import libcst

    source = 'import jwt\n\ndef load(t):\n    return jwt.decode(t, options={"verify_signature": False})\n'
    for index in range(5):
        outcome = engine.check_source(source + f"# {index}\n", f"m{index}.py", Config())
        assert [f.code for f in outcome.findings] == ["KEY301"]
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, libcst.Module)]
    assert alive == []
