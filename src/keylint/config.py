"""[tool.keylint] from pyproject.toml: defaults, validation, one-line errors."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10
    import tomli as tomllib


class ConfigError(Exception):
    """A config problem; str() is the one line shown to the user."""


CODE_RE = re.compile(r"^KEY\d{0,3}$")
SEVERITIES = ("error", "warning", "note")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")


def parse_duration(text: str) -> int:
    """'1d' -> 86400; '12h', '30m', '90s', '2w'. Raises ValueError."""
    match = _DURATION_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(text)
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def format_duration(seconds: float) -> str:
    """86400 -> '1 day'; 31536000 -> '365 days'; 5400 -> '90 minutes'; 1.5 days -> '36 hours'."""
    seconds = int(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "0 seconds"


@dataclass
class Config:
    select: list = field(default_factory=lambda: ["KEY"])
    ignore: list = field(default_factory=list)
    extend_select: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    extend_exclude: list = field(default_factory=list)
    per_file_ignores: dict = field(default_factory=dict)  # glob -> [codes]
    fail_on: str = "note"  # lowest severity that fails the run
    max_access_token_lifetime: int = 86400
    max_refresh_token_lifetime: int = 30 * 86400
    extend_secret_names: list = field(default_factory=list)
    extend_pii_claims: list = field(default_factory=list)
    allowlist: list = field(default_factory=list)  # regexes of values that are never secrets
    semgrep: object = "auto"  # "auto" | True | False
    semgrep_python: bool = False  # also run the bundled Python semgrep rules
    jobs: int = 0  # 0 = all cores
    cache_dir: str = ".keylint_cache"
    max_file_size: int = 2 * 1024 * 1024
    file_timeout: float = 20.0  # seconds per file before it is reported as not analysed
    require_audience: bool = False  # KEY310 for self-issued HS* tokens too
    require_issuer: bool = False  # KEY311 on
    source: Optional[str] = None  # the file this came from (for messages)

    # --- derived ---------------------------------------------------------------------------------
    def is_enabled(self, code: str) -> bool:
        """ruff-style: the most specific matching prefix wins; ignore beats select at equal length."""
        selected = max((len(p) for p in self.select + self.extend_select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected > ignored

    def per_file_ignores_for(self, path: str) -> set:
        """Codes (or prefixes) that per-file-ignores switch off for this relative path."""
        from keylint.files import matches_any

        codes: set = set()
        for pattern, ignored in self.per_file_ignores.items():
            if matches_any(path, [pattern]):
                codes.update(ignored)
        return codes

    def fingerprint(self) -> str:
        """What changes analysis results (for the cache key)."""
        parts = [
            self.select, self.ignore, self.extend_select, self.max_access_token_lifetime,
            self.max_refresh_token_lifetime, self.extend_secret_names, self.extend_pii_claims,
            self.allowlist, self.require_audience, self.require_issuer, self.max_file_size, self.per_file_ignores,
        ]
        return repr(parts)

    @property
    def allowlist_patterns(self):
        return [re.compile(p) for p in self.allowlist]


_KEY_TYPES = {
    "select": "codes", "ignore": "codes", "extend-select": "codes", "exclude": "globs",
    "extend-exclude": "globs", "per-file-ignores": "per-file", "fail-on": "severity",
    "max-access-token-lifetime": "duration", "max-refresh-token-lifetime": "duration",
    "extend-secret-names": "names", "extend-pii-claims": "names", "allowlist": "regexes",
    "semgrep": "semgrep", "semgrep-python": "bool", "jobs": "int", "cache-dir": "str",
    "max-file-size": "size", "file-timeout": "seconds", "require-audience": "bool",
    "require-issuer": "bool",
}
_EXPECTED = {
    "codes": 'a list of rule codes or prefixes like ["KEY1", "KEY301"]',
    "globs": 'a list of glob patterns like ["migrations/*"]',
    "per-file": 'a table of glob = ["KEY101", ...]',
    "severity": 'one of "error", "warning", "note"',
    "duration": 'a duration like "1d", "12h", "30m", "90s" or "2w"',
    "names": "a list of strings",
    "regexes": "a list of regular expressions",
    "semgrep": 'one of "auto", true, false',
    "bool": "true or false",
    "int": "a whole number >= 0",
    "str": "a string",
    "size": 'a size in bytes or like "2MB", "500KB"',
    "seconds": "a number of seconds > 0",
}
_SIZE_RE = re.compile(r"^\s*(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.I)
_SIZE_UNITS = {None: 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2, "gb": 1000**3, "gib": 1024**3}


def _convert(kind: str, value):
    """Return the converted value or raise ValueError."""
    if kind == "codes":
        if not isinstance(value, list) or not all(isinstance(c, str) and CODE_RE.match(c) for c in value):
            raise ValueError
        return list(value)
    if kind in ("globs", "names"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError
        return list(value)
    if kind == "regexes":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError
        for pattern in value:
            re.compile(pattern)  # re.error is a ValueError subclass? no: handled by caller
        return list(value)
    if kind == "per-file":
        if not isinstance(value, dict):
            raise ValueError
        return {glob: _convert("codes", codes) for glob, codes in value.items()}
    if kind == "severity":
        if value not in SEVERITIES:
            raise ValueError
        return value
    if kind == "duration":
        return parse_duration(value)
    if kind == "semgrep":
        if value not in ("auto", True, False):
            raise ValueError
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError
        return value
    if kind == "str":
        if not isinstance(value, str) or not value:
            raise ValueError
        return value
    if kind == "size":
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        match = _SIZE_RE.match(value) if isinstance(value, str) else None
        if not match:
            raise ValueError
        return int(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower() if match.group(2) else None]
    if kind == "seconds":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError
        return float(value)
    raise AssertionError(kind)


def config_from_table(table: dict, source: str = "<config>") -> Config:
    config = Config(source=source)
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.keylint] must be a table")
    for key, value in table.items():
        kind = _KEY_TYPES.get(key)
        if kind is None:
            close = [k for k in _KEY_TYPES if k.replace("-", "_") == key or k == key.replace("_", "-")]
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(sorted(_KEY_TYPES))}"
            raise ConfigError(f"{source}: [tool.keylint] unknown key '{key}'{hint}")
        try:
            converted = _convert(kind, value)
        except (ValueError, TypeError, re.error):
            shown = repr(value)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            raise ConfigError(f"{source}: [tool.keylint] {key}: expected {_EXPECTED[kind]}, got {shown}") from None
        setattr(config, key.replace("-", "_"), converted)
    return config


def find_pyproject(start: Path) -> Optional[Path]:
    start = start.resolve()
    if start.is_file() or not start.exists():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Optional[Path] = None, start: Optional[Path] = None, explicit: bool = False) -> Config:
    """Load [tool.keylint] from `path` (or the nearest pyproject.toml above `start`).

    An explicit --config file may be a pyproject.toml (uses [tool.keylint]) or a keylint.toml whose
    top level is the table itself.
    """
    if path is None:
        path = find_pyproject(start or Path.cwd())
        if path is None:
            return Config()
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read config: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: config is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    if "tool" in data and isinstance(data["tool"], dict):
        table = data["tool"].get("keylint", {})
    elif explicit and Path(path).name != "pyproject.toml":
        table = data
    else:
        table = {}
    return config_from_table(table, shown)

