"""The baseline: findings that already existed when keylint was adopted, so that checks report only new ones.

`keylint baseline` writes `.keylint-baseline.json`; `keylint check --baseline .keylint-baseline.json` drops
every finding recorded there. The file is meant to be committed, so it holds no secret and nothing a
secret can be recovered from:

    {"tool": "keylint", "version": 1, "salt": "<64 hex>",
     "findings": [{"path": "app/settings.py", "code": "KEY101", "key": "<64 hex>"}, ...]}

- `path` and `code` are there for people reading the file and reviewing changes to it.
- `key` is HMAC-SHA256(salt, Finding.fingerprint). The fingerprint is computed from the *redacted*
  statement (a secret appears in it as at most its first 4 characters and its length) plus code and path,
  never from a line number, so an entry survives unrelated edits and moved lines and matches again
  as long as the flagged expression itself is unchanged.

Why a keyed hash on top of an already redacted fingerprint: a plain hash of anything derived from a short
secret can be brute-forced offline (a 6-character password is 95^6, about 7e11 guesses: minutes on one
GPU), and a plain fingerprint would also equal the `partialFingerprints` keylint publishes in SARIF,
linking this file to code scanning uploads. Redaction is what keeps secret values out of the hashed text;
the random per-baseline salt (new on every `keylint baseline` run) means no precomputed table and no
fingerprint seen elsewhere matches an entry, so should a rule ever fail to mark a secret for redaction, the
entry is still not a plain, reusable hash of it. (The salt has to sit in the file for `check` to use it, so
it slows nobody down who attacks this one file: redaction, not the salt, is the guarantee there.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections import Counter
from typing import List, Sequence

from keylint.findings import Finding

FORMAT_VERSION = 1
DEFAULT_PATH = ".keylint-baseline.json"


class BaselineError(Exception):
    """A missing or unreadable baseline; str() is the one line shown to the user."""


def entry_key(salt: bytes, finding: Finding) -> str:
    return hmac.new(salt, finding.fingerprint.encode("utf-8"), hashlib.sha256).hexdigest()


def write(path: str, findings: Sequence[Finding]) -> int:
    """Record findings in a new baseline (fresh salt); returns how many were written."""
    salt = secrets.token_bytes(32)
    entries = sorted(
        ({"path": f.path, "code": f.code, "key": entry_key(salt, f)} for f in findings),
        key=lambda e: (e["path"], e["code"], e["key"]),
    )
    payload = {"tool": "keylint", "version": FORMAT_VERSION, "salt": salt.hex(), "findings": entries}
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".keylint-baseline", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
            handle.write("\n")
        os.replace(temp, path)  # a run killed mid-write never leaves half a baseline
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def filter_new(path: str, findings: Sequence[Finding]) -> List[Finding]:
    """The findings not recorded in the baseline. Each entry absorbs one finding, so a second copy of a
    baselined finding (same code, path and statement) is new."""
    salt, known = _load(path)
    remaining = Counter(known)
    new = []
    for finding in findings:
        key = entry_key(salt, finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new


def _load(path: str):
    hint = "create it with `keylint baseline`"
    try:
        with open(path, "r", encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(f"baseline {path} not found; {hint}") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError):
        raise BaselineError(f"baseline {path} is not valid JSON; re-create it with `keylint baseline`") from None
    try:
        if data.get("tool") != "keylint" or data.get("version") != FORMAT_VERSION:
            raise ValueError
        salt = bytes.fromhex(data["salt"])
        if len(salt) < 16:
            raise ValueError
        keys = [entry["key"] for entry in data["findings"]]
        if not all(isinstance(key, str) for key in keys):
            raise ValueError
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BaselineError(
            f"baseline {path} is not a keylint baseline (version {FORMAT_VERSION}); re-create it with `keylint baseline`"
        ) from None
    return salt, keys
