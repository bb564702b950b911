"""Known credential formats, and the small pure filters that tell a secret from everything else.

Formats are facts published by the providers (prefixes, lengths, checksums). Every regex here is
linear: bounded repetitions over a single character class, no nested quantifiers.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from keylint.findings import redact

# --- known formats ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    name: str
    pattern: "re.Pattern[str]"
    validate: Optional[object] = None  # callable(match_text) -> bool (checksum / structure)


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _base62(number: int, width: int) -> str:
    out = ""
    while number:
        number, digit = divmod(number, 62)
        out = _B62[digit] + out
    return out.rjust(width, "0")


def crc32_checksum_ok(token: str, prefix_len: int) -> bool:
    """GitHub and npm tokens end in a base62 CRC32 of their random part (6 characters)."""
    body = token[prefix_len:]
    random_part, checksum = body[:-6], body[-6:]
    return _base62(zlib.crc32(random_part.encode()), 6) == checksum


def _jwt_ok(text: str) -> bool:
    header, payload, _signature = text.split(".")[:3]
    for segment in (header, payload):
        try:
            decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
            if not isinstance(json.loads(decoded), dict):
                return False
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return False
    return True


def _pem_ok(text: str) -> bool:
    body = re.sub(r"-----BEGIN[A-Z ]+-----|-----END$|\s|\\n", "", text)
    return len(body) >= 64 and re.fullmatch(r"[A-Za-z0-9+/=]+", body) is not None


FORMATS: Sequence[Format] = (
    Format("AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b")),
    Format("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b")),
    Format("GitHub fine-grained token", re.compile(r"\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b")),
    Format("GitLab token", re.compile(r"\bgl(?:pat|dt|rt|ptt|ft|cbt|oas|soat)-[A-Za-z0-9_-]{20,64}")),
    Format("Slack token", re.compile(r"\bxox[abposre]-[0-9]{6,16}-[0-9A-Za-z-]{8,100}")),
    Format("Slack webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]{6,14}/[AB][A-Z0-9]{6,14}/[A-Za-z0-9]{20,40}")),
    Format("Stripe live key", re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{20,99}\b")),
    Format("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
    Format("Anthropic API key", re.compile(r"\bsk-ant-(?:api|admin|sid)[0-9]{2}-[A-Za-z0-9_-]{80,120}")),
    Format("OpenAI API key", re.compile(r"\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})")),
    Format("PyPI token", re.compile(r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}")),
    Format("npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    Format("PEM private key", re.compile(
        # the body never holds "-----", so each BEGIN's scan stops at the next marker (linear overall)
        r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[A-Za-z0-9+/=\s\\n:,]|-(?!----)){64,20000}?-----END"
    ), _pem_ok),
    Format("JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{16,1000}"), _jwt_ok),
)

_CHECKSUMMED = {"GitHub token": 4, "npm token": 4}
# Cheap first look: a file without any of these cannot contain a known format.
KNOWN_PREFIXES = re.compile(
    rb"AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|cbt|oas|soat)-|xox[abposre]-|hooks\.slack\.com|"
    rb"[sr]k_live_|AIza|sk-ant-|sk-proj-|sk-svcacct-|sk-admin-|T3BlbkFJ|pypi-AgEI|npm_|PRIVATE KEY|eyJ"
)


@dataclass(frozen=True)
class KnownSecret:
    kind: str
    value: str
    start: int
    checksum_valid: Optional[bool] = None  # None: the format has no checksum


def find_known(text: str) -> List[KnownSecret]:
    """Every known-format credential in text, vendors' documented examples excluded."""
    if not text or len(text) < 16:
        return []
    found = []
    for fmt in FORMATS:
        for match in fmt.pattern.finditer(text):
            value = match.group(0)
            if fmt.validate is not None and not fmt.validate(value):
                continue
            if is_documented_example(value) or len(set(value)) < 8:
                continue
            checksum = None
            if fmt.name in _CHECKSUMMED:
                checksum = crc32_checksum_ok(value, _CHECKSUMMED[fmt.name])
            found.append(KnownSecret(fmt.name, value, match.start(), checksum))
    return found


def redact_known_formats(text: str) -> str:
    """Last line of defence for any output text: redact anything of a known format."""
    if not text or len(text) < 16:
        return text
    for fmt in FORMATS:
        if fmt.pattern.search(text):
            text = fmt.pattern.sub(lambda m: redact(m.group(0)), text)
    return text


_QUOTED = re.compile(r"""(["'])((?:(?!\1)[^\\\n]|\\.){1,2000})\1""")
_LITERAL_TOKEN = re.compile(r"""[^\s/?&=:@,;#"'()\[\]{}<>|]{8,400}""")


def redact_literal_tokens(line: str) -> str:
    """Snippets show code, and code may hold a secret no enabled rule flagged: inside string
    literals, redact every run of 8+ characters that mixes letters and digits (keys, passwords,
    tokens), keeping the words and punctuation that make the line readable."""

    def token(match: "re.Match[str]") -> str:
        text = match.group(0)
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text) and not text.startswith("\u2026"):
            return redact(text)
        return text

    def literal(match: "re.Match[str]") -> str:
        quote, body = match.group(1), match.group(2)
        return quote + _LITERAL_TOKEN.sub(token, body) + quote

    return _QUOTED.sub(literal, line) if ("'" in line or '"' in line) else line


# --- credentials in URLs ----------------------------------------------------------------------

URL_CREDENTIALS = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{1,30})://([^\s:/?#@'\"]{1,256}):([^\s/?#@'\"]{1,256})@([^\s/?#'\"]{1,256})")
_DEMO_HOSTS = re.compile(r"^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|example\.(com|org|net)|host|hostname|server|db|database|your[-_.a-z]*)(:\d+)?$", re.I)
_DEFAULT_PASSWORDS = {
    "password", "pass", "passwd", "pwd", "secret", "tiger", "postgres", "root", "admin", "guest", "test", "user",
    "mysql", "redis", "rabbitmq", "changeme", "example", "foo", "bar", "xxx", "dummy", "fake", "pw", "mypassword",
    "mysecretpassword", "s3cr3t", "123456", "hunter2",
}


@dataclass(frozen=True)
class UrlCredential:
    scheme: str
    user: str
    password: str
    host: str


def find_url_credentials(text: str) -> List[UrlCredential]:
    out = []
    if "://" not in text or "@" not in text:
        return out
    for match in URL_CREDENTIALS.finditer(text):
        scheme, user, password, host = match.groups()
        if is_placeholder(password) or password == user or password.startswith(("$", "%", "{", "<")):
            continue
        if password.lower() in _DEFAULT_PASSWORDS and _DEMO_HOSTS.match(host or ""):
            continue  # demo DSNs: scott:tiger@localhost
        out.append(UrlCredential(scheme, user, password, host))
    return out


# --- filters: each answers one question about a candidate value -------------------------------

_PLACEHOLDER_WORDS = {
    "", "changeme", "change_me", "change-me", "changethis", "change_this", "secret", "password", "passwd", "pass",
    "token", "apikey", "api_key", "api-key", "key", "test", "testing", "example", "sample", "dummy", "fake", "mock",
    "placeholder", "none", "null", "nil", "todo", "fixme", "tbd", "redacted", "hidden", "masked", "notset", "not_set",
    "unset", "default", "foo", "bar", "baz", "foobar", "abc", "abc123", "123", "1234", "12345", "123456", "qwerty",
    "xxx", "yyy", "zzz", "secret_key", "secretkey", "mysecret", "my_secret", "supersecret", "super_secret",
    "replaceme", "replace_me", "insecure", "empty", "string", "str", "value", "undefined", "n/a", "na", "...",
    "your_password", "yourpassword", "your-password", "your_token", "your_api_key", "your-api-key", "your_secret",
    "development", "dev", "local", "debug",
}
# Whole-value shapes of a placeholder.
_PLACEHOLDER_WHOLE = re.compile(
    r"""^(?:
        (.)\1{2,}                                  # xxxx, ****, 0000, ....
      | (?:your|insert|enter|put|add)[-_ ]?[a-z_ -]{0,40}   # your_api_key, insert-token-here
      | my[-_ ][a-z_ -]{1,40}
      | (?:fake|dummy|mock|stub|sample|example|placeholder|test|testing)[-_.][^\s]{0,200}
      | [^\s]{0,200}[-_.](?:fake|dummy|mock|placeholder|example|sample)
    )$""",
    re.I | re.X,
)
# Substrings that mark a placeholder wherever they stand (searched, never backtracking over .*).
_PLACEHOLDER_PARTS = re.compile(
    r"""<[^<>]{1,60}>                              # <your-api-key>
      | \$\{[^{}]{1,80}\}                          # ${API_KEY}
      | \$[A-Z_][A-Z0-9_]{2,}                       # $API_KEY
      | \{\{[^{}]{0,80}\}\}                         # {{ secret }}
      | %\([^)]{1,60}\)s                            # %(password)s
      | \{[A-Za-z_0-9]{0,40}\}                      # {key} format fields
      | (?:_here|-here|\ here)$
      | xxx | \*\*\*
      | not[-_ ]?(?:for[-_ ]?prod(?:uction)?|a[-_ ]?real|real|secret|used|set)
      | changeme | change[-_]me | replace[-_]?me | redacted
    """,
    re.I | re.X,
)


def is_placeholder(value: str) -> bool:
    """Empty, template syntax, 'changeme', '<your-key>', '${API_KEY}', 'xxxx', 'fake-...'."""
    stripped = value.strip()
    if stripped.lower() in _PLACEHOLDER_WORDS:
        return True
    if len(stripped) > 400:
        return False
    return _PLACEHOLDER_WHOLE.match(stripped) is not None or _PLACEHOLDER_PARTS.search(stripped) is not None


def is_documented_example(value: str) -> bool:
    """Vendors' published example credentials (AWS's ...EXAMPLE keys and friends)."""
    upper = value.upper()
    return "EXAMPLE" in upper or "1234567890ABCDEF" in upper or upper.endswith("0000000000")


# header, client_secret_basic, _password_reset_token, Bearer
# (a segment is `[A-Z]?[a-z]+`: `[A-Za-z]?[a-z]+` means the same but splits "ab" two ways, which
# made `ab_ab_ab_..._ab!` take exponential time)
_IDENTIFIER_WORDS = re.compile(r"^_{0,2}[A-Za-z][a-z]+(?:[_\-.][A-Z]?[a-z]+)*_{0,2}$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")  # API_KEY, DATABASE_PASSWORD
_LETTERS_ONLY = re.compile(r"^[A-Za-z]{1,40}$")  # COLLATE, AWSAccessKeyId: keywords and field names
_CODE_LIKE = re.compile(r"^[A-Z]{2,8}[0-9]{1,4}$")  # KEY503, SHA256, UTF8: codes, not secrets
_CAMEL_WORDS = re.compile(r"^[a-z]+(?:[A-Z][a-z]+)+$")  # passwordField
_DOTTED = re.compile(r"^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+$")  # myapp.auth.Backend, x-api-key.header
_HASH_NAMES = re.compile(r"^(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2(?:id|i|d)?|scrypt|sha\d+|md5|hs\d{3}|rs\d{3}|es\d{3}|ps\d{3}|eddsa|none)$", re.I)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_PATHLIKE = re.compile(r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\)|^[\w.-]+/[\w./-]+$")
_VAULT = re.compile(r"^(?:vault:|arn:aws:|projects/[^/]+/secrets/|secret/data/|kv/|ssm:|sm://|op://|gcp:|azure:|awssm:)", re.I)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_FORMAT_FIELDS = re.compile(r"%[sdr]|\{\d*\}|\{[a-z_]+\}")
_REGEX_SYNTAX = re.compile(r"\[[^\]]{1,40}\][*+?{]|\\[dwsbDWS]|\(\?[:=!<P]|\[\^|\{\d+,\d*\}|\[[a-zA-Z0-9]-[a-zA-Z0-9]")


def non_secret_shape(value: str) -> Optional[str]:
    """Why this value is not a secret by its shape alone, or None when it could be one."""
    if is_placeholder(value):
        return "placeholder"
    if any(ch.isspace() for ch in value.strip()):
        return "text"  # a sentence, a prompt, a help string
    if _IDENTIFIER_WORDS.match(value) or _CAMEL_WORDS.match(value) or _LETTERS_ONLY.match(value):
        return "identifier"
    if _ENV_NAME.match(value):
        return "environment variable name"
    if _HASH_NAMES.match(value):
        return "algorithm name"
    if _CODE_LIKE.match(value):
        return "code or constant"
    if _URL.match(value) and not find_url_credentials(value):
        return "url"
    if _VAULT.match(value):
        return "secret-store reference"
    if _PATHLIKE.match(value):
        return "path"
    if _DOTTED.match(value):
        return "dotted name"
    if _FORMAT_FIELDS.search(value):
        return "format string"
    if _REGEX_SYNTAX.search(value):
        return "regular expression"
    if len(set(value)) <= 2:
        return "low variety"
    return None


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    total = len(value)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def looks_random(value: str) -> bool:
    """High-entropy, key-like: what a real key pasted into a test looks like (not 'password123')."""
    if len(value) < 16 or any(ch.isspace() for ch in value):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if _UUID.match(value):
        return False
    if re.fullmatch(r"[0-9a-f]+", value, re.I):  # hex: hashes, ids... keys too when long
        return len(value) >= 32 and shannon_entropy(value) >= 3.0
    return classes >= 2 and shannon_entropy(value) >= 3.5


_TEST_PATH = re.compile(r"(?:^|/)(?:tests?|testing|fixtures?|spec|__tests__)/|(?:^|/)(?:test_[^/]*|[^/]*_test|conftest)\.py$")


def is_test_path(path: str) -> bool:
    return _TEST_PATH.search(path) is not None


def allowlisted(value: str, patterns: Iterable["re.Pattern[str]"]) -> bool:
    return any(p.search(value) for p in patterns)
