#!/usr/bin/env python3
"""Benchmark keylint against bandit, semgrep, ruff and detect-secrets on pinned PyPI sdists.

    python benchmarks/run.py [--quick] [--runs N] [--slow-runs N] [--cache-dir DIR]

Run it with the Python environment in which keylint is installed. It downloads the sdists pinned in
benchmarks/corpus.json (sha256-checked), unpacks only their *.py files into the cache directory,
installs the competitor tools pinned in benchmarks/requirements.txt into a venv of their own
(<cache>/tools-venv), times every tool on the same list of files, and prints a Markdown table that
it also writes to benchmarks/results-<date>[-quick].md and .json.

Times are wall and CPU seconds of the whole process tree (os.wait4 rusage: user + system, reaped
children included), medians over the runs; peak memory is the largest single process of the tree
(for keylint, one worker). A tool that is missing or fails gets a row saying so; it never stops the run.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
RULES_DIR = os.path.join(REPO_DIR, "rules", "python")
SIMPLE_INDEX = "https://pypi.org/simple/{name}/"
COMMAND_TIMEOUT = 1800  # seconds; a tool slower than this on the corpus gets a "timed out" row
SINGLE_FILE_LINES = 1000
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
PRECOMMIT_FILES = 10
# Words that make a file interesting to every secrets tool (keylint's prefilter lets it through).
SECRET_WORDS = re.compile(rb"(?i)\b\w*(secret|token|password|api_?key)\w*\b")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- corpus

@dataclass
class Corpus:
    root: str  # directory that holds one folder per package
    files: List[str]  # paths relative to root, sorted
    lines: Dict[str, int]
    packages: List[dict]

    @property
    def total_lines(self) -> int:
        return sum(self.lines.values())

    @property
    def non_test_lines(self) -> int:
        return sum(n for path, n in self.lines.items() if not is_test_path(path))


def is_test_path(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return any(p in ("tests", "test") for p in parts[:-1]) or name.startswith("test_") or name.endswith("_test.py")


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sdist_url(package: dict) -> str:
    name = re.sub(r"[-_.]+", "-", package["name"]).lower()
    request = urllib.request.Request(SIMPLE_INDEX.format(name=name), headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        index = json.load(response)
    for entry in index["files"]:
        if entry["filename"] == package["sdist"]:
            return entry["url"]
    raise RuntimeError(f"{package['sdist']} is not on the index")


def download(package: dict, sdist_dir: str) -> str:
    target = os.path.join(sdist_dir, package["sdist"])
    if os.path.exists(target) and sha256_of(target) == package["sha256"]:
        return target
    os.makedirs(sdist_dir, exist_ok=True)
    partial = target + ".part"
    try:
        url = _sdist_url(package)
        log(f"downloading {package['sdist']}")
        with urllib.request.urlopen(url, timeout=300) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except Exception as exc:  # noqa: BLE001 - fall back to pip, which knows the machine's index settings
        log(f"direct download of {package['sdist']} failed ({exc}); trying pip download")
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--no-build-isolation",
                 "-q", "-d", tmp, f"{package['name']}=={package['version']}"],
                check=True,
            )
            found = [f for f in os.listdir(tmp) if f.lower() == package["sdist"].lower()]
            if not found:
                raise RuntimeError(f"pip did not fetch {package['sdist']}")
            shutil.move(os.path.join(tmp, found[0]), partial)
    actual = sha256_of(partial)
    if actual != package["sha256"]:
        os.remove(partial)
        raise RuntimeError(f"{package['sdist']}: sha256 {actual} does not match the pin")
    os.replace(partial, target)
    return target


def unpack_python_files(archive: str, destination: str) -> None:
    """Only regular *.py members, never outside the destination (an sdist is untrusted input)."""
    done = os.path.join(destination, ".complete")
    if os.path.exists(done):
        return
    shutil.rmtree(destination, ignore_errors=True)
    os.makedirs(destination)
    base = os.path.realpath(destination)

    def place(name: str) -> Optional[str]:
        name = name.replace("\\", "/")
        parts = name.split("/")[1:]  # drop the sdist's top folder: <package>/<version> is ours
        if not parts or not parts[-1].endswith(".py") or any(p in ("", ".", "..") for p in parts):
            return None
        path = os.path.realpath(os.path.join(destination, *parts))
        return path if path.startswith(base + os.sep) else None

    if archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                path = None if info.is_dir() else place(info.filename)
                if path:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with zipped.open(info) as src, open(path, "wb") as out:
                        shutil.copyfileobj(src, out)
    else:
        with tarfile.open(archive) as tarred:
            for member in tarred:
                path = place(member.name) if member.isreg() else None
                if path:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with tarred.extractfile(member) as src, open(path, "wb") as out:
                        shutil.copyfileobj(src, out)
    open(done, "w").close()


def count_lines(path: str) -> int:
    with open(path, "rb") as handle:
        data = handle.read()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def prepare_corpus(cache_dir: str, quick: bool) -> Corpus:
    with open(os.path.join(BENCH_DIR, "corpus.json"), encoding="utf-8") as handle:
        packages = json.load(handle)["packages"]
    if quick:
        packages = [p for p in packages if p.get("quick")]
    root = os.path.join(cache_dir, "corpus")
    chosen = []
    for package in packages:
        folder = f"{package['name']}-{package['version']}"
        try:
            archive = download(package, os.path.join(cache_dir, "sdists"))
            unpack_python_files(archive, os.path.join(root, folder))
            chosen.append(dict(package, folder=folder))
        except Exception as exc:  # noqa: BLE001 - a missing package shrinks the corpus; the report says so
            log(f"skipping {folder}: {exc}")
            chosen.append(dict(package, folder=folder, error=str(exc)))
    files: List[str] = []
    for package in chosen:
        if package.get("error"):
            continue
        top = os.path.join(root, package["folder"])
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            files.extend(os.path.relpath(os.path.join(dirpath, f), root) for f in filenames if f.endswith(".py"))
    files.sort()
    lines = {f: count_lines(os.path.join(root, f)) for f in files}
    return Corpus(root, files, lines, chosen)


# --------------------------------------------------------------------------- tools

def tools_venv(cache_dir: str) -> str:
    """Create or reuse <cache>/tools-venv with the pinned competitor tools; returns its bin dir."""
    venv = os.path.join(cache_dir, "tools-venv")
    bindir = os.path.join(venv, "Scripts" if os.name == "nt" else "bin")
    requirements = os.path.join(BENCH_DIR, "requirements.txt")
    stamp = os.path.join(venv, ".requirements-sha256")
    wanted = sha256_of(requirements)
    if os.path.exists(stamp) and open(stamp).read().strip() == wanted:
        return bindir
    try:
        if not os.path.isdir(bindir):
            log(f"creating {venv}")
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        log("installing pinned tools (benchmarks/requirements.txt) into the tools venv")
        subprocess.run([os.path.join(bindir, "python"), "-m", "pip", "install", "-q", "-r", requirements], check=True)
        with open(stamp, "w") as handle:
            handle.write(wanted)
    except (OSError, subprocess.CalledProcessError) as exc:
        log(f"tools venv incomplete ({exc}); missing tools will be reported as such")
    return bindir


def find_executable(name: str, bindir: str) -> Optional[str]:
    for candidate in (os.path.join(bindir, name), os.path.join(os.path.dirname(sys.executable), name)):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(name)


def version_of(command: List[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=120)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0].strip() if text else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not available"


# --------------------------------------------------------------------------- measuring

@dataclass
class Measurement:
    wall: float
    cpu: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0


def measure(command: List[str], cwd: str, env: Optional[dict] = None, timeout: float = COMMAND_TIMEOUT) -> Measurement:
    """Run once; wall clock, CPU (user + sys of the process and its reaped children) from os.wait4's rusage,
    and the peak RSS of the largest process in the tree. That peak comes from GNU time when it exists:
    Linux counts a forked child's pre-exec RSS (a copy of this, by then large, process) in its maxrss."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss_file:
        if GNU_TIME:
            command = [GNU_TIME, "-f", "%M", "-o", rss_file.name] + command
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
        out.seek(0)
        err.seek(0)
        maxrss_kib = usage.ru_maxrss  # KiB on Linux
        if GNU_TIME:
            reported = rss_file.read().strip().splitlines()
            maxrss_kib = int(reported[-1]) if reported and reported[-1].isdigit() else maxrss_kib
        return Measurement(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            maxrss_mb=maxrss_kib / 1024.0,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            timed_out=bool(timed_out),
        )


Finding = Tuple[str, int]  # (path relative to the corpus root, line)


@dataclass
class Tool:
    name: str
    command: Optional[List[str]]  # None: not available (see missing)
    parse: Callable[[str, str], Tuple[List[Finding], int]]  # stdout, corpus root -> findings, tool-reported errors
    ok_codes: Tuple[int, ...] = (0, 1)
    files_last: bool = True  # the file list goes at the end of the command
    missing: str = ""
    note: str = ""
    slow: bool = False


@dataclass
class Row:
    scenario: str
    tool: str
    status: str = "ok"
    runs: int = 0
    wall: Optional[float] = None
    cpu: Optional[float] = None
    maxrss_mb: Optional[float] = None
    findings: Optional[int] = None
    findings_non_test: Optional[int] = None
    tool_errors: Optional[int] = None
    note: str = ""
    walls: List[float] = field(default_factory=list)
    load: List[float] = field(default_factory=list)  # 1-minute load average before each run
    extra: dict = field(default_factory=dict)


def relative(path: str, root: str) -> str:
    path = path.replace("\\", "/")
    if os.path.isabs(path):
        path = os.path.relpath(path, root).replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def parse_keylint(stdout: str, root: str):
    data = json.loads(stdout)
    findings = [(relative(f["path"], root), f["line"]) for f in data["findings"]]
    return findings, len([e for e in data.get("errors", []) if e.get("kind", "error") == "error"])


def parse_bandit(stdout: str, root: str):
    data = json.loads(stdout)
    return [(relative(r["filename"], root), r["line_number"]) for r in data["results"]], len(data.get("errors", []))


def parse_semgrep(stdout: str, root: str):
    data = json.loads(stdout)
    return [(relative(r["path"], root), r["start"]["line"]) for r in data["results"]], len(data.get("errors", []))


def parse_ruff(stdout: str, root: str):
    data = json.loads(stdout)
    findings = [(relative(d["filename"], root), d["location"]["row"]) for d in data if d.get("code")]
    return findings, len([d for d in data if not d.get("code")])  # no code: the file could not be parsed


def parse_detect_secrets(stdout: str, root: str):
    data = json.loads(stdout)
    return [(relative(path, root), s["line_number"]) for path, items in data["results"].items() for s in items], 0


def parse_nothing(stdout: str, root: str):
    return [], 0


def run_tool(tool: Tool, scenario: str, files: List[str], corpus: Corpus, runs: int) -> Row:
    row = Row(scenario, tool.name, note=tool.note)
    if tool.command is None:
        row.status = f"not run: {tool.missing}"
        return row
    walls, cpus, rss = [], [], []
    result = None
    for _ in range(runs):
        command = list(tool.command) + (files if tool.files_last else [])
        row.load.append(load_average())
        m = measure(command, cwd=corpus.root)
        if m.timed_out:
            row.status = f"timed out after {COMMAND_TIMEOUT} s"
            return row
        if m.returncode not in tool.ok_codes:
            tail = (m.stderr.strip().splitlines() or m.stdout.strip().splitlines() or ["no output"])[-1]
            row.status = f"failed (exit {m.returncode}): {tail[:160]}"
            return row
        walls.append(m.wall)
        cpus.append(m.cpu)
        rss.append(m.maxrss_mb)
        result = m
    row.runs = runs
    row.walls = walls
    row.wall = statistics.median(walls)
    row.cpu = statistics.median(cpus)
    row.maxrss_mb = max(rss)
    try:
        findings, errors = tool.parse(result.stdout, corpus.root)
    except (ValueError, KeyError, TypeError) as exc:
        row.status = f"ran, output not understood ({type(exc).__name__}: {str(exc)[:80]})"
        return row
    unique = sorted(set(findings))
    row.findings = len(unique)
    row.findings_non_test = len([f for f in unique if not is_test_path(f[0])])
    row.tool_errors = errors
    if tool.name.startswith("keylint") and result is not None:
        try:
            data = json.loads(result.stdout)
            row.extra["by_code"] = data.get("summary", {}).get("by_code", {})
            row.extra["errors"] = [e for e in data.get("errors", []) if e.get("kind", "error") == "error"][:50]
        except ValueError:
            pass
    return row


# --------------------------------------------------------------------------- the tools

def keylint_config(cache_dir: str, name: str, keylint_cache: Optional[str]) -> str:
    """A keylint.toml (top level = the table) whose cache-dir is absolute, so that no pyproject.toml
    above the corpus (e.g. this repository's, which excludes benchmarks/) changes what is scanned."""
    path = os.path.join(cache_dir, f"{name}.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# generated by benchmarks/run.py\n")
        if keylint_cache:
            handle.write(f"cache-dir = {json.dumps(keylint_cache)}\n")
    return path


def build_tools(cache_dir: str, bindir: str, keylint_missing: str) -> Dict[str, Tool]:
    py = sys.executable
    keylint = [py, "-m", "keylint", "check", "--format", "json", "-q"]
    cold_config = keylint_config(cache_dir, "keylint-cold", None)
    tools: Dict[str, Tool] = {}

    def keylint_tool(name, extra, note=""):
        return Tool(name, None if keylint_missing else keylint + extra, parse_keylint, missing=keylint_missing, note=note)

    tools["keylint"] = keylint_tool("keylint cold, all cores", ["--no-cache", "--config", cold_config])
    tools["keylint-j1"] = keylint_tool("keylint cold, --jobs 1", ["--no-cache", "--jobs", "1", "--config", cold_config])
    tools["keylint-j1"].slow = True

    tools["keylint-fill"] = keylint_tool("keylint cache fill (cold, writing the cache)", [], "first run into an empty cache dir")
    tools["keylint-warm"] = keylint_tool("keylint warm cache", [], "unchanged files, cache filled by the run above")

    bandit = find_executable("bandit", bindir)
    tools["bandit"] = Tool("bandit -r (all plugins)", [bandit, "-r", "-f", "json", "-q"] if bandit else None, parse_bandit,
                           missing="bandit not installed", note="single process", slow=True)
    tools["bandit-b105"] = Tool("bandit -t B105,B106,B107", [bandit, "-r", "-f", "json", "-q", "-t", "B105,B106,B107"] if bandit else None,
                                parse_bandit, missing="bandit not installed", note="hard-coded password plugins only", slow=True)
    semgrep = find_executable("semgrep", bindir)
    tools["semgrep"] = Tool(
        "semgrep, keylint's bundled Python rules",
        [semgrep, "scan", "--metrics=off", "--disable-version-check", "--no-git-ignore", "--json", "-q", "--config", RULES_DIR, "--timeout", "30"]
        if semgrep and os.path.isdir(RULES_DIR) else None,
        parse_semgrep, ok_codes=(0, 1), missing="semgrep not installed" if not semgrep else f"{RULES_DIR} missing",
        note="all cores (semgrep's default --jobs)", slow=True)
    ruff = find_executable("ruff", bindir)
    tools["ruff"] = Tool("ruff --select S", [ruff, "check", "--isolated", "--no-cache", "--select", "S", "--output-format", "json", "--exit-zero"]
                         if ruff else None, parse_ruff, missing="ruff not installed", note="all cores")
    detect = find_executable("detect-secrets", bindir)
    tools["detect-secrets"] = Tool("detect-secrets scan", [detect, "scan"] if detect else None, parse_detect_secrets,
                                   ok_codes=(0,), missing="detect-secrets not installed", note="all cores (its default pool)", slow=True)
    return tools


def warm_config_args(cache_dir: str, index: int, fill: bool) -> List[str]:
    """Each measured run gets a fresh cache directory: the fill run empties it, the warm run reads it."""
    directory = os.path.join(cache_dir, "keylint-warm", str(index))
    if fill:
        shutil.rmtree(directory, ignore_errors=True)
    return ["--config", keylint_config(cache_dir, f"keylint-warm-{index}", directory)]


def run_warm(tools: Dict[str, Tool], cache_dir: str, scenario: str, files: List[str], corpus: Corpus, runs: int) -> List[Row]:
    """Per run: fill a fresh cache (timed as 'cache fill'), then re-run unchanged (timed as 'warm')."""
    fill_tool, warm_tool = tools["keylint-fill"], tools["keylint-warm"]
    fill_row, warm_row = Row(scenario, fill_tool.name, note=fill_tool.note), Row(scenario, warm_tool.name, note=warm_tool.note)
    if warm_tool.command is None:
        fill_row.status = warm_row.status = f"not run: {warm_tool.missing}"
        return [fill_row, warm_row]
    fills, warms = [], []
    for index in range(runs):
        for tool, fill_only, bucket in ((fill_tool, True, fills), (warm_tool, False, warms)):
            one = Tool(tool.name, tool.command + warm_config_args(cache_dir, index, fill_only), tool.parse, note=tool.note)
            row = run_tool(one, scenario, files, corpus, 1)
            if row.status != "ok":
                target = fill_row if fill_only else warm_row
                target.status = row.status
                return [fill_row, warm_row]
            bucket.append(row)
    for target, bucket in ((fill_row, fills), (warm_row, warms)):
        target.runs = len(bucket)
        target.walls = [r.wall for r in bucket]
        target.wall = statistics.median(target.walls)
        target.cpu = statistics.median([r.cpu for r in bucket])
        target.maxrss_mb = max(r.maxrss_mb for r in bucket)
        target.load = [x for r in bucket for x in r.load]
        target.findings, target.findings_non_test, target.tool_errors = bucket[-1].findings, bucket[-1].findings_non_test, bucket[-1].tool_errors
    return [fill_row, warm_row]


# --------------------------------------------------------------------------- flake8 plugin

FLAKE8_WITHOUT_KEYLINT = (
    "import sys\n"
    "from flake8.plugins import finder\n"
    "_original = finder._find_importlib_plugins\n"
    "finder._find_importlib_plugins = lambda: (p for p in _original() if not p.entry_point.value.startswith('keylint'))\n"
    "from flake8.main.cli import main\n"
    "sys.exit(main())\n"
)


def flake8_rows(path: str, corpus: Corpus, runs: int, scenario: str = "single file", label: str = "") -> List[Row]:
    """flake8's time with keylint's plugin minus its time with the plugin unloaded. (`--select E999` is no
    baseline: flake8 runs every installed plugin and only filters what it reports.)"""
    with_plugin = Row(scenario, f"flake8 --select KEY (keylint plugin){label}")
    try:
        import importlib.metadata as metadata

        entry = [e for e in metadata.entry_points().select(group="flake8.extension") if e.value.startswith("keylint")]
    except Exception:  # noqa: BLE001
        entry = []
    if not entry:
        with_plugin.status = "not run: keylint's flake8 entry point is not installed"
        return [with_plugin]
    try:
        entry[0].load()
    except Exception as exc:  # noqa: BLE001
        with_plugin.status = f"not run: the plugin does not load ({type(exc).__name__}: {str(exc)[:80]})"
        return [with_plugin]
    commands = {
        "with": [sys.executable, "-m", "flake8", "--isolated", "--select", "KEY", "--exit-zero", path],
        "without": [sys.executable, "-c", FLAKE8_WITHOUT_KEYLINT, "--isolated", "--select", "KEY", "--exit-zero", path],
    }
    walls: Dict[str, List[float]] = {"with": [], "without": []}
    cpus: Dict[str, List[float]] = {"with": [], "without": []}
    output = ""
    for _ in range(runs):
        for key, command in commands.items():
            m = measure(command, cwd=corpus.root)
            if m.returncode != 0:
                with_plugin.status = f"failed (exit {m.returncode}): {(m.stderr.strip().splitlines() or ['no output'])[-1][:160]}"
                return [with_plugin]
            walls[key].append(m.wall)
            cpus[key].append(m.cpu)
            if key == "with":
                output = m.stdout
    with_plugin.runs = runs
    with_plugin.wall = statistics.median(walls["with"])
    with_plugin.walls = walls["with"]
    with_plugin.cpu = statistics.median(cpus["with"])
    with_plugin.findings = len([line for line in output.splitlines() if line.strip()])
    added = with_plugin.wall - statistics.median(walls["without"])
    without = Row(scenario, f"flake8 without the plugin (baseline){label}", runs=runs, wall=statistics.median(walls["without"]),
                  cpu=statistics.median(cpus["without"]), walls=walls["without"], note="keylint's entry point filtered out")
    delta = Row(scenario, f"flake8 plugin added time{label}", runs=runs, wall=added, cpu=with_plugin.cpu - without.cpu,
                note="median with − median without")
    return [with_plugin, without, delta]


# --------------------------------------------------------------------------- profile

def profile_keylint(cache_dir: str, bindir: str, files: List[str], corpus: Corpus) -> str:
    """py-spy over a --jobs 1 scan (every thread is sampled: the engine analyses each file in a thread
    of its own with a large stack). Returns the top functions, inclusive and self, in sample shares."""
    spy = find_executable("py-spy", bindir)
    if not spy:
        return "py-spy is not installed in the tools venv; no profile."
    raw = os.path.join(cache_dir, "profile-raw.txt")
    command = [spy, "record", "--format", "raw", "--rate", "200", "--output", raw, "--",
               sys.executable, "-m", "keylint", "check", "--no-cache", "--jobs", "1", "--format", "json", "-q",
               "--output", os.devnull, "--config", keylint_config(cache_dir, "keylint-cold", None)] + files
    m = measure(command, cwd=corpus.root)
    if m.returncode not in (0, 1) or not os.path.exists(raw):
        return f"profile failed (exit {m.returncode}): {(m.stderr.strip().splitlines() or ['no output'])[-1][:200]}"
    inclusive: Dict[str, int] = {}
    own: Dict[str, int] = {}
    total = 0
    with open(raw, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            total += n
            frames = [f for f in stack.split(";") if f]
            for frame in set(frames):
                inclusive[frame] = inclusive.get(frame, 0) + n
            if frames:
                own[frames[-1]] = own.get(frames[-1], 0) + n
    if not total:
        return "profile recorded no samples"
    lines = [f"py-spy, {total} samples (200 Hz, active threads only) over {len(files)} files, keylint --jobs 1 --no-cache", "",
             "inclusive (share of samples with the function on the stack):"]
    lines += [f"  {n * 100 / total:5.1f}%  {frame}" for frame, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:45]]
    lines += ["", "self (share of samples with the function on top of the stack):"]
    lines += [f"  {n * 100 / total:5.1f}%  {frame}" for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:25]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- choosing files

def pick_single_file(corpus: Corpus) -> Optional[str]:
    """A real non-test file of about 1,000 lines that talks about secrets or tokens (so that keylint's
    prefilter does not skip it), the same one on every run of the same corpus."""
    candidates = []
    for path in corpus.files:
        n = corpus.lines[path]
        if is_test_path(path) or not 700 <= n <= 1400:
            continue
        with open(os.path.join(corpus.root, path), "rb") as handle:
            hits = len(SECRET_WORDS.findall(handle.read()))
        if hits >= 5:
            candidates.append((abs(n - SINGLE_FILE_LINES), path))
    return min(candidates)[1] if candidates else None


def pick_plain_file(corpus: Corpus) -> Optional[str]:
    """A real non-test file of about 1,000 lines that keylint's prefilter skips (no rule's trigger
    words in its code): the common case in an editor, where the plugin should cost next to nothing."""
    try:
        import ast

        from keylint import engine, prefilter
        from keylint.config import Config
    except ImportError:
        return None
    config = Config()
    codes = engine.candidate_codes(config)
    candidates = sorted((abs(corpus.lines[p] - SINGLE_FILE_LINES), p) for p in corpus.files
                        if not is_test_path(p) and 700 <= corpus.lines[p] <= 1400)
    for _distance, path in candidates:
        with open(os.path.join(corpus.root, path), "rb") as handle:
            data = handle.read()
        try:
            text = data.decode("utf-8")
            hit = prefilter.triggered(codes, data, config)
            if not hit or not prefilter.triggered_in_code(hit, text, ast.parse(text), config):
                return path
        except (UnicodeDecodeError, SyntaxError, ValueError):
            continue
    return None


def pick_precommit_files(corpus: Corpus) -> List[str]:
    """Ten non-test files spread evenly over the corpus (a typical commit touches a few modules)."""
    pool = [p for p in corpus.files if not is_test_path(p)]
    if len(pool) <= PRECOMMIT_FILES:
        return pool
    step = len(pool) / PRECOMMIT_FILES
    return [pool[int(i * step + step / 2)] for i in range(PRECOMMIT_FILES)]


# --------------------------------------------------------------------------- report

def machine_info() -> dict:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or "unknown"
    ram = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": usable, "cpu_count": os.cpu_count(), "cpu_model": model, "ram_gb": ram,
            "os": platform.platform(), "python": platform.python_version()}


def fmt(value: Optional[float], digits: int = 2) -> str:
    if value is None:
        return "–"
    if digits == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def table(rows: List[Row], baseline: Optional[Row], lines: int, non_test_lines: int, per_line_rates: bool) -> str:
    head = ["tool", "runs", "wall s", "CPU s", "peak RSS MB", "lines/s", "× keylint wall", "× keylint CPU", "findings",
            "per 100k non-test lines", "load", "notes"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if row.status != "ok":
            out.append(f"| {row.tool} |" + " – |" * (len(head) - 2) + f" {row.status} |")
            continue
        ratio = row.wall / baseline.wall if baseline and baseline.wall and row.wall is not None else None
        cpu_ratio = row.cpu / baseline.cpu if baseline and baseline.cpu and row.cpu is not None else None
        rate = lines / row.wall if per_line_rates and row.wall else None
        density = row.findings_non_test * 100_000 / non_test_lines if row.findings_non_test is not None and non_test_lines else None
        notes = "; ".join(x for x in (row.note, f"{row.tool_errors} file(s) the tool could not analyse" if row.tool_errors else "") if x)
        out.append("| " + " | ".join([
            row.tool, str(row.runs), fmt(row.wall, 3), fmt(row.cpu, 2), fmt(row.maxrss_mb, 0), fmt(rate, 0),
            f"{ratio:.2f}×" if ratio is not None else "–", f"{cpu_ratio:.2f}×" if cpu_ratio is not None else "–",
            fmt(row.findings, 0) if row.findings is not None else "–", fmt(density, 1),
            fmt(max(row.load), 1) if row.load else "–", notes,
        ]) + " |")
    return "\n".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the small subset of the corpus marked quick in corpus.json")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    parser.add_argument("--slow-runs", type=int, default=None,
                        help="runs for the slow corpus measurements: keylint --jobs 1, cache fill + warm, bandit, semgrep, detect-secrets "
                             "(default: 1 on the full corpus, --runs with --quick)")
    parser.add_argument("--cache-dir", default=os.path.join(BENCH_DIR, ".cache"), help="downloads, unpacked corpus, tools venv (default benchmarks/.cache)")
    parser.add_argument("--output-dir", default=BENCH_DIR, help="where results-<date>.md/.json go (default benchmarks/)")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profile of keylint")
    parser.add_argument("--skip", default="", help="comma-separated tool keys to leave out (keylint-j1, bandit, bandit-b105, semgrep, ruff, detect-secrets, warm)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    slow_runs = max(1, args.slow_runs if args.slow_runs is not None else (runs if args.quick else 1))
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    cache_dir = os.path.abspath(args.cache_dir)
    os.makedirs(cache_dir, exist_ok=True)

    started = datetime.datetime.now()
    corpus = prepare_corpus(cache_dir, args.quick)
    if not corpus.files:
        log("no corpus files: every download failed")
        return 2
    log(f"corpus: {len(corpus.files)} files, {corpus.total_lines:,} lines ({corpus.non_test_lines:,} non-test)")
    bindir = tools_venv(cache_dir)

    try:
        subprocess.run([sys.executable, "-c", "import keylint"], check=True, capture_output=True)
        keylint_missing = ""
    except subprocess.CalledProcessError:
        keylint_missing = f"keylint is not importable by {sys.executable} (run from the environment where keylint is installed)"
    tools = build_tools(cache_dir, bindir, keylint_missing)
    if not keylint_missing:
        # Bytecode, as `pip install` leaves it for every other tool here: an editable install under
        # PYTHONDONTWRITEBYTECODE would otherwise recompile keylint's sources on every start (~40 ms).
        subprocess.run([sys.executable, "-c", "import compileall, os, keylint; "
                        "compileall.compile_dir(os.path.dirname(keylint.__file__), quiet=1)"], capture_output=True)

    versions = {
        "keylint": version_of([sys.executable, "-m", "keylint", "--version"]),
        "libcst": version_of([sys.executable, "-c", "import libcst, importlib.metadata as m; print(m.version('libcst'))"]),
        "bandit": version_of([tools["bandit"].command[0], "--version"]) if tools["bandit"].command else "not available",
        "ruff": version_of([tools["ruff"].command[0], "--version"]) if tools["ruff"].command else "not available",
        "detect-secrets": version_of([tools["detect-secrets"].command[0], "--version"]) if tools["detect-secrets"].command else "not available",
        "semgrep": version_of([tools["semgrep"].command[0], "--version"]) if tools["semgrep"].command else "not available",
        "flake8": version_of([sys.executable, "-m", "flake8", "--version"]),
    }
    rows: List[Row] = []
    scenario = "corpus"

    def corpus_run(key: str) -> None:
        if key in skip:
            return
        tool = tools[key]
        n = slow_runs if tool.slow else runs
        log(f"{tool.name}: {n} run(s) on {len(corpus.files)} files")
        row = run_tool(tool, scenario, corpus.files, corpus, n)
        log(f"  -> {row.status}, wall {fmt(row.wall, 2)} s")
        rows.append(row)

    corpus_run("keylint")
    corpus_run("keylint-j1")
    if "warm" not in skip:
        log(f"keylint cache fill + warm: {slow_runs} run(s)")
        rows.extend(run_warm(tools, cache_dir, scenario, corpus.files, corpus, slow_runs))
    for key in ("bandit", "bandit-b105", "semgrep", "ruff", "detect-secrets"):
        corpus_run(key)

    # one ~1,000-line file and a pre-commit-sized run: cheap, so every tool gets max(runs, 5) runs
    small_runs = max(runs, 5)
    single = pick_single_file(corpus)
    single_rows: List[Row] = []
    if single:
        log(f"single file: {single} ({corpus.lines[single]} lines), {small_runs} runs per tool")
        for key in ("keylint", "bandit", "ruff", "detect-secrets", "semgrep"):
            if key not in skip:
                single_rows.append(run_tool(tools[key], "single file", [single], corpus, small_runs))
        single_rows.extend(flake8_rows(single, corpus, small_runs))
    plain = pick_plain_file(corpus)
    if plain:
        log(f"a file the prefilter skips, for the flake8 plugin: {plain} ({corpus.lines[plain]} lines), {small_runs} runs")
        single_rows.extend(flake8_rows(plain, corpus, small_runs, label=f", a file the prefilter skips: {plain} ({corpus.lines[plain]} lines)"))
    precommit = pick_precommit_files(corpus)
    log(f"pre-commit-sized run: {len(precommit)} files, {small_runs} runs per tool")
    precommit_rows = [run_tool(tools[k], "pre-commit (10 files)", precommit, corpus, small_runs)
                      for k in ("keylint", "bandit", "ruff", "detect-secrets", "semgrep") if k not in skip]

    profile = ""
    if not args.no_profile and not keylint_missing:
        quick_files = [f for f in corpus.files if not is_test_path(f)]
        if not args.quick:  # a slice of the corpus keeps the profile to a minute or two
            quick_files = quick_files[:: max(1, len(quick_files) // 600)]
        log(f"profiling keylint --jobs 1 on {len(quick_files)} files")
        profile = profile_keylint(cache_dir, bindir, quick_files, corpus)

    # ------------------------------------------------------------------ report
    baseline = next((r for r in rows if r.tool == tools["keylint"].name and r.status == "ok"), None)
    single_base = next((r for r in single_rows if r.tool == tools["keylint"].name and r.status == "ok"), None)
    pre_base = next((r for r in precommit_rows if r.tool == tools["keylint"].name and r.status == "ok"), None)
    machine = machine_info()
    finished = datetime.datetime.now()
    date = started.strftime("%Y-%m-%d")
    packages = ", ".join(f"{p['name']} {p['version']}" + (" (NOT AVAILABLE)" if p.get("error") else "") for p in corpus.packages)
    single_lines = corpus.lines[single] if single else 0
    precommit_lines = sum(corpus.lines[p] for p in precommit)
    md = [
        f"# keylint benchmark, {date}{' (--quick)' if args.quick else ''}",
        "",
        f"- Machine: {machine['cores']} cores usable ({machine['cpu_model']}), {machine['ram_gb']} GB RAM, {machine['os']}, Python {machine['python']}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- Corpus: {len(corpus.files):,} *.py files, {corpus.total_lines:,} lines ({corpus.non_test_lines:,} outside tests) from {len(corpus.packages)} pinned sdists: {packages}",
        f"- Runs: median of {runs} for keylint cold all-cores and ruff, {slow_runs} for keylint --jobs 1, cache fill + warm, bandit, semgrep and "
        f"detect-secrets on the corpus; {small_runs} for the single-file and pre-commit runs. "
        f"Wall and CPU (user + system, child processes included) are seconds; peak RSS is the largest single process (one keylint worker). "
        f"× keylint is wall time over keylint's cold all-cores wall time (above 1 means slower than keylint). Findings are distinct (file, line) pairs; "
        f"per 100k counts only files outside tests/ and test_*.py. "
        f"load is the highest 1-minute load average seen before a run: above the core count, other work shared the CPUs and wall "
        f"times are inflated; CPU seconds and the × keylint CPU column are then the steadier comparison.",
        f"- Took {(finished - started).total_seconds() / 60:.1f} minutes.",
        "",
        "## Whole corpus",
        "",
        table(rows, baseline, corpus.total_lines, corpus.non_test_lines, True),
        "",
        f"## One file: `{single}` ({single_lines} lines)" if single else "## One file: no suitable ~1,000-line file in this corpus",
        "",
    ]
    if single:
        single_non_test = 0 if is_test_path(single) else single_lines
        md += [table(single_rows, single_base, single_lines, single_non_test, False), ""]
    md += [f"## Pre-commit-sized run: {len(precommit)} files, {precommit_lines:,} lines", "",
           table(precommit_rows, pre_base, precommit_lines, sum(corpus.lines[p] for p in precommit if not is_test_path(p)), False), ""]
    keylint_row = baseline
    if keylint_row and keylint_row.extra.get("by_code"):
        md += ["## keylint findings by code (whole corpus)", "", ", ".join(f"{c}: {n}" for c, n in keylint_row.extra["by_code"].items()), ""]
    if keylint_row and keylint_row.extra.get("errors"):
        md += ["## Files keylint could not analyse", ""] + [f"- `{e['path']}`: {e['reason']}" for e in keylint_row.extra["errors"]] + [""]
    if profile:
        md += ["## Profile: where keylint's time goes", "", "```", profile.strip(), "```", ""]
    text = "\n".join(md)
    print(text)

    os.makedirs(args.output_dir, exist_ok=True)
    stem = os.path.join(args.output_dir, f"results-{date}{'-quick' if args.quick else ''}")
    with open(stem + ".md", "w", encoding="utf-8") as handle:
        handle.write(text)
    document = {
        "date": date, "quick": args.quick, "machine": machine, "versions": versions,
        "corpus": {"files": len(corpus.files), "lines": corpus.total_lines, "non_test_lines": corpus.non_test_lines,
                   "packages": [{k: p[k] for k in ("name", "version", "sdist", "sha256") if k in p} for p in corpus.packages]},
        "single_file": {"path": single, "lines": single_lines}, "precommit_files": precommit,
        "rows": [dict(vars(r)) for r in rows + single_rows + precommit_rows],
        "profile": profile,
    }
    with open(stem + ".json", "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
    log(f"wrote {stem}.md and {stem}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
