"""Which files to scan, and how to turn their bytes into text (PEP 263 / BOM)."""

from __future__ import annotations

import codecs
import fnmatch
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, List, Optional, Tuple

from keylint.findings import FileError

PYTHON_SUFFIXES = (".py", ".pyw")
# Languages the bundled Semgrep rules cover (scanned only when semgrep runs).
SEMGREP_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java")
SKIP_DIRS = {
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", ".tox", ".nox", "node_modules", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".keylint_cache", "site-packages", "build", "dist",
    ".eggs",
}


@dataclass(frozen=True)
class SourceFile:
    path: str  # absolute
    display: str  # relative to the scan root, POSIX separators
    explicit: bool = False  # named on the command line


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def matches_any(display: str, patterns: Iterable[str]) -> bool:
    """Glob match against the relative path and against every parent directory of it."""
    pure = PurePosixPath(display)
    candidates = [display] + [str(parent) for parent in pure.parents if str(parent) != "."]
    names = [pure.name] + [parent.name for parent in pure.parents if parent.name]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        for candidate in candidates:
            if fnmatch.fnmatchcase(candidate, pattern):
                return True
        if "/" not in pattern and any(fnmatch.fnmatchcase(name, pattern) for name in names):
            return True
    return False


def display_path(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        rel = path
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = os.path.abspath(path)
    return Path(rel).as_posix()


def discover(
    paths: List[str],
    root: str,
    excludes: List[str],
    suffixes: Tuple[str, ...] = PYTHON_SUFFIXES,
    exclude_base: Optional[str] = None,
) -> Tuple[List[SourceFile], List[FileError]]:
    """Walk the given paths. Files named explicitly are always scanned; directories skip VCS,
    virtualenvs, node_modules, caches and the config's excludes. Never follows directory symlinks
    (so symlink loops cannot trap the walk)."""
    found: dict = {}
    errors: List[FileError] = []
    for given in paths:
        shown = display_path(os.path.abspath(given), root)
        try:
            info = os.stat(given)  # follows a symlink: a loop raises ELOOP here
        except OSError as exc:
            errors.append(FileError(shown, _os_reason(exc, "cannot read path")))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(given, root, excludes, suffixes, found, errors, exclude_base or root)
        elif stat.S_ISREG(info.st_mode):
            absolute = os.path.abspath(given)
            found.setdefault(absolute, SourceFile(absolute, display_path(absolute, root), explicit=True))
        else:
            errors.append(FileError(shown, "not a regular file or directory"))
    files = sorted(found.values(), key=lambda f: f.display)
    return files, errors


def _walk(top, root, excludes, suffixes, found, errors, exclude_base):
    def excluded(full: str) -> bool:
        # patterns are relative to the config's directory (and, for convenience, to the scan root)
        return bool(excludes) and (
            matches_any(display_path(full, exclude_base), excludes) or matches_any(display_path(full, root), excludes)
        )

    def onerror(exc: OSError):
        errors.append(FileError(display_path(os.path.abspath(exc.filename or top), root), _os_reason(exc, "cannot list directory")))

    real_top = os.path.realpath(top)
    for dirpath, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=False):
        keep = []
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if name in SKIP_DIRS or name.endswith(".egg-info") or _is_virtualenv(full):
                continue
            if excluded(os.path.abspath(full)):
                continue
            keep.append(name)
        dirnames[:] = sorted(keep)
        for name in filenames:
            if not name.endswith(suffixes):
                continue
            full = os.path.abspath(os.path.join(dirpath, name))
            shown = display_path(full, root)
            if excluded(full):
                continue
            if os.path.islink(full):
                try:
                    if not stat.S_ISREG(os.stat(full).st_mode):
                        continue
                except OSError as exc:
                    errors.append(FileError(shown, _os_reason(exc, "broken symlink")))
                    continue
                if not is_within(os.path.realpath(full), real_top):
                    # a committed link to ~/.aws/credentials must not be read into a report
                    errors.append(FileError(shown, "symlink points outside the scanned directory: not analysed"))
                    continue
            found.setdefault(full, SourceFile(full, shown))


def is_within(path: str, directory: str) -> bool:
    """Whether `path` is `directory` or lies below it (both already absolute and resolved)."""
    directory = directory.rstrip(os.sep) or os.sep
    return path == directory or path.startswith(directory if directory.endswith(os.sep) else directory + os.sep)


def _os_reason(exc: OSError, what: str) -> str:
    detail = exc.strerror or type(exc).__name__
    return f"{what}: {detail}"


class DecodeError(Exception):
    """The bytes are not Python source text; str() is the one-line reason."""


def decode_source(data: bytes) -> str:
    """Bytes -> text honouring a BOM and a PEP 263 coding cookie (default UTF-8)."""
    if b"\x00" in data:
        raise DecodeError("contains NUL bytes: not Python source text")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # undecodable first lines, or an unknown / conflicting coding cookie
        if not _COOKIE.search(b"\n".join(data.splitlines()[:2])):
            raise DecodeError(f"line {_bad_utf8_line(data)}: bytes are not valid UTF-8 (and no coding declaration)") from None
        raise DecodeError(f"bad encoding declaration: {str(getattr(exc, 'msg', exc)).split(' for ')[0]}") from None
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(f"line {line}: bytes are not valid {encoding}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+", re.M)


def _bad_utf8_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return 1


def read_bytes(path: str, max_size: int) -> bytes:
    """Read a file once; raise DecodeError with a one-line reason for anything unreadable.

    Opened non-blocking and checked with fstat before reading: a FIFO or device named `x.py`
    would otherwise block the scan forever."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DecodeError("not a regular file (FIFO, device or directory): not analysed")
            size = info.st_size
            if size > max_size:
                raise DecodeError(f"file is {_size(size)}, over max-file-size {_size(max_size)}: not analysed")
            data = handle.read(max_size + 1)
    except OSError as exc:
        raise DecodeError(_os_reason(exc, "cannot read file")) from None
    if len(data) > max_size:
        raise DecodeError(f"file is over max-file-size {_size(max_size)}: not analysed")
    return data


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} bytes"


def git_changed_files(rev: str, cwd: str) -> Optional[List[str]]:
    """Files changed against a git revision (plus untracked ones); None when git cannot answer."""
    import subprocess

    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(
            ["git", "diff", "--name-only", "--diff-filter=ACMR", "-z", rev, "--"], cwd=top, capture_output=True, check=True
        ).stdout
        untracked = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=top, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = [n for n in (changed + untracked).decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted({os.path.join(top, n) for n in names})
