"""The lossless prefilter: which rules could fire on a file, decided without LibCST.

Two stages, both only ever skip work that cannot produce a finding:
1. `triggered`: each rule's trigger (bytes without which it cannot fire) over the raw file;
2. `triggered_in_code`: for the rules that never report from comments or docstrings (all but
   KEY102), the triggers again over the code without them (`code_without_comments`, built from
   the `ast` the engine parses anyway as its syntax gate).

This module does not import LibCST (a seventh of a second to import): the CLI, the flake8 plugin and
the pre-commit hook pay for LibCST only when a file passes both stages. Every rule's trigger is in
RULE_TRIGGERS, next to the reason it is lossless; tests/test_prefilter.py proves the whole scan
loses nothing over real code, and that every registered rule has an entry here.
"""

from __future__ import annotations

import ast
import re
from typing import Dict, List, Optional, Pattern, Sequence, Tuple

from keylint import detectors
from keylint.analysis.words import KEY_QUALIFIERS, SECRET_WORDS, split_words

_LAST_LOWERED: list = [None, b""]


def lowered(data: bytes) -> bytes:
    """data.lower(), computed once per file however many triggers ask (one file at a time)."""
    if _LAST_LOWERED[0] is not data:
        _LAST_LOWERED[0], _LAST_LOWERED[1] = data, data.lower()
    return _LAST_LOWERED[1]


_LITERAL_WORDS = re.compile(r"[a-z0-9_\-]+(?:\|[a-z0-9_\-]+)*")


class Trigger:
    """A case-insensitive trigger, fast: a list of words is a substring search, and a regex written
    in lower case runs case-sensitively, both over the file lowered once (re.IGNORECASE alternations
    cost more than the rest of the prefilter together)."""

    def __init__(self, pattern: bytes, flags: int = 0):
        self.pattern = pattern
        text = pattern.decode()
        plain = text.replace(r"\.", "")
        self.words = tuple(w.replace("\\.", ".").encode() for w in text.split("|")) if _LITERAL_WORDS.fullmatch(plain) else None
        self.folded = text == text.lower()  # no \W, \S, [A-Z]...: safe to run on lowered bytes
        self.regex = re.compile(pattern, flags if self.folded else flags | re.I)

    def search(self, data: bytes):
        if self.words is not None:
            text = lowered(data)
            return any(word in text for word in self.words) or None
        return self.regex.search(lowered(data) if self.folded else data)


def words(pattern: str) -> Trigger:
    """A case-insensitive trigger from a regex (usually `name|other|third`)."""
    return Trigger(pattern.encode())


class AllOf:
    """A trigger that needs every one of several patterns (each necessary for a finding)."""

    def __init__(self, *patterns):
        self.patterns = patterns

    def search(self, data: bytes):
        return all(pattern.search(data) for pattern in self.patterns) or None


class AnyOf:
    """A trigger that any one of several patterns satisfies."""

    def __init__(self, *patterns):
        self.patterns = patterns

    def search(self, data: bytes):
        return any(pattern.search(data) for pattern in self.patterns) or None


_LOWER = frozenset(range(ord("a"), ord("z") + 1))
_LETTERS = _LOWER | frozenset(range(ord("A"), ord("Z") + 1))


class NameWords:
    """Case-insensitive words that must end a word part of a name, as analysis.words splits names.

    No word part ends right before a lowercase letter (`apiKey|s`, `TOKEN|Sa` split there, `tokens`
    does not), so a hit followed by a lowercase letter in the original bytes cannot be the end of
    `key` in `api_key`, and does not count. With `starts=True` a hit must also be able to start a
    word part: a lower-case hit right after a letter (`mytoken`) cannot. `before` (a regex over the
    lowered bytes, anchored with `$`) must match the text just before the hit, when given.
    `exclude(data, start)` drops hits the caller knows are not names (the `pass` statement)."""

    def __init__(self, words: Sequence[bytes], *, starts: bool = False, before: Optional[Pattern[bytes]] = None,
                 window: int = 48, exclude=None):
        self.words = tuple(words)
        self.starts = starts
        self.before = before
        self.window = window
        self.exclude = exclude

    def search(self, data: bytes):
        text = lowered(data)
        size = len(data)
        for word in self.words:
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if (
                    (end == size or data[end] not in _LOWER)
                    and not (self.starts and start and data[start] in _LOWER and data[start - 1] in _LETTERS)
                    and (self.before is None or self.before.search(text, max(0, start - self.window), start))
                    and not (self.exclude is not None and self.exclude(data, start))
                ):
                    return True
                start = text.find(word, start + 1)
        return None


# --- the triggers, by family ------------------------------------------------------------------

# KEY101/105/106 (rules.secrets.credential_name): a secret word that is a whole word part
# (`db_password`, `apiKey`, `authtoken` as written; not `tokens`, `mytoken`, `bypass`), or "key"
# behind a qualifier. The bare statement `pass` (in most files) does not count; `db_pass` does.
_PASS_STATEMENT = re.compile(rb"pass[ \t\f]*(?:#[^\r\n]*)?(?:\r|\n|$)")


def _pass_statement(data: bytes, start: int) -> bool:
    identifier_before = start and (data[start - 1:start].isalnum() or data[start - 1] == ord("_"))
    return not identifier_before and _PASS_STATEMENT.match(data, start) is not None


SECRET_NAMES = AnyOf(
    NameWords(sorted({w.encode() for w in SECRET_WORDS if not w.endswith("key")} | {b"authtoken"}),
              starts=True, exclude=_pass_statement),
    NameWords([b"key"], before=re.compile(rb"(?:" + "|".join(sorted(KEY_QUALIFIERS)).encode() + rb")[^a-z0-9]?$")),
)
# KEY103: a URL with user:password@ (the userinfo never holds a slash, a quote or a space).
URL_CREDENTIALS = re.compile(rb"://[^\s/'\"@]{0,300}@")
# KEY104: sinks resolve by qualified name, so their module is imported; headers need the literal
# name and each sink's own word: jwt/jose, hmac, itsdangerous, signing, fernet, auth=/BasicAuth/
# Authorization, a DSN's password=/pwd=.
SECRET_SINKS = AllOf(
    words(r"jwt|jose|authlib|joserfc|hmac|itsdangerous|signing|fernet|requests|httpx|aiohttp|psycopg|pyodbc|"
          r"pymssql|cx_oracle|oracledb|authorization"),
    words(r"jwt|jose|hmac|itsdangerous|signing|fernet|auth|passw|pwd"),
)

# KEY2xx: every credential query name (analysis.http) ends in one of these words, and a name is
# always written in the file (its last word part ends there: `api_key`, `apiKey`, not `.keys()`):
# a client, server or URL finding needs one besides its library.
_CREDENTIAL_ENDINGS = [b"key", b"token", b"secret", b"password", b"passwd", b"auth", b"jwt", b"sso", b"bearer", b"appid"]
CREDENTIAL_QUERY_NAMES = NameWords(_CREDENTIAL_ENDINGS)
QUERY_CLIENTS = AllOf(words(r"requests|httpx|aiohttp|urllib3"), CREDENTIAL_QUERY_NAMES)
# A credential in a URL's query needs all three: the sink's module, a credential name and a query
# separator or a URL builder.
QUERY_URLS = AllOf(
    words(r"requests|httpx|aiohttp|urllib|http|websocket|flask|quart|werkzeug|bottle|django|starlette|fastapi|logging"),
    CREDENTIAL_QUERY_NAMES,
    re.compile(rb"[?&]|urlencode|urlunparse|urlunsplit"),
)
# A server reads a parameter by a quoted name (`args.get("api_key")`, also via a constant) or, in
# Bottle, by attribute (`request.query.api_key`): the name follows a quote or a dot.
QUERY_SERVERS = AllOf(
    words(r"flask|quart|bottle|django|rest_framework|starlette|fastapi|aiohttp|tornado|falcon"),
    NameWords(_CREDENTIAL_ENDINGS, before=re.compile(rb"[\"'.][\w-]{0,40}$")),
)
QUERY_FASTAPI = AllOf(words(r"fastapi"), CREDENTIAL_QUERY_NAMES)

# KEY3xx: every library's module name appears in its import (jose covers joserfc and authlib.jose,
# jwt covers flask_jwt_extended and drf-jwt's JWT_AUTH setting).
JWT_LIBRARIES = words(r"jwt|jose|jwcrypto|authlib")

# KEY4xx/KEY5xx: module names in the imports of every file that can mint or sign a token.
SIGNING_LIBRARIES = words(r"itsdangerous|core\.signing|core\s+import[^;]{0,300}?\bsigning")
MINTING_LIBRARIES = words(r"jwt|jose|itsdangerous|core\.signing|core\s+import[^;]{0,300}?\bsigning")
# Settings names: JWT_*_TOKEN_EXPIRES, SIMPLE_JWT, JWT_AUTH (all say jwt), and identifiers that say
# token and an expiry word in either order (tokens.named_lifetime_setting's words):
# ACCESS_TOKEN_EXPIRE_MINUTES. Bounded gaps keep the search linear (no identifier is 80+ long).
_EXPIRY = r"(?:exp|lifetime|ttl|age|life|valid|delta)"
LIFETIME_SETTINGS = words(rf"jwt|token[\w-]{{0,80}}?{_EXPIRY}|{_EXPIRY}[\w-]{{0,80}}?token")

# Every rule's trigger by code (None: the rule always runs).
RULE_TRIGGERS: Dict[str, object] = {
    "KEY101": SECRET_NAMES,
    "KEY102": detectors.KNOWN_PREFIXES,
    "KEY103": URL_CREDENTIALS,
    "KEY104": SECRET_SINKS,
    "KEY105": SECRET_NAMES,
    "KEY106": SECRET_NAMES,
    "KEY201": QUERY_CLIENTS,
    "KEY202": QUERY_URLS,
    "KEY203": QUERY_SERVERS,
    "KEY204": QUERY_FASTAPI,
    **{f"KEY3{n:02d}": JWT_LIBRARIES for n in range(1, 14)},
    "KEY401": MINTING_LIBRARIES,
    "KEY402": SIGNING_LIBRARIES,
    "KEY403": MINTING_LIBRARIES,
    "KEY404": LIFETIME_SETTINGS,
    **{f"KEY50{n}": MINTING_LIBRARIES for n in range(1, 5)},
}
# Rules that report from comments and docstrings (a live key there is still a leak): their
# triggers are checked on the raw file only.
READS_COMMENTS = frozenset({"KEY102"})

_EXTRA_NAME_TRIGGERS: dict = {}


def trigger_for(code: str, config=None):
    """The code's trigger under config: extend-secret-names widens KEY101/105/106 by the words of the
    extra names (credential_name() matches those anywhere in a name's joined words)."""
    trigger = RULE_TRIGGERS.get(code)
    extra = tuple(config.extend_secret_names) if config is not None else ()
    if trigger is not SECRET_NAMES or not extra:
        return trigger
    if extra not in _EXTRA_NAME_TRIGGERS:
        alternatives = "|".join(re.escape(part) for name in extra for part in split_words(name))
        _EXTRA_NAME_TRIGGERS[extra] = AnyOf(SECRET_NAMES, words(alternatives)) if alternatives else SECRET_NAMES
    return _EXTRA_NAME_TRIGGERS[extra]


def triggered(codes: Sequence[str], data: bytes, config=None) -> List[str]:
    """Stage 1: the codes whose trigger occurs in data (each distinct trigger searched once)."""
    seen: Dict[int, bool] = {}
    active = []
    for code in codes:
        pattern = trigger_for(code, config)
        if pattern is None:
            active.append(code)
            continue
        hit = seen.get(id(pattern))
        if hit is None:
            hit = seen[id(pattern)] = pattern.search(data) is not None
        if hit:
            active.append(code)
    return active


# --- stage 2: the code without comments and docstrings -----------------------------------------


def triggered_in_code(codes: Sequence[str], text: str, tree: ast.Module, config=None) -> List[str]:
    """Stage 2: of codes (which passed stage 1), those that report from comments, and those whose
    trigger occurs in the code without comments and docstrings. Comments and docstrings mention
    tokens and passwords far more often than code does (a sixth of the lines parsed)."""
    code_only = [code for code in codes if code not in READS_COMMENTS]
    if not code_only:
        return list(codes)
    kept = set(triggered(code_only, code_without_comments(text, tree), config))
    return [code for code in codes if code in READS_COMMENTS or code in kept]


# A string (kept) or a comment (dropped). A comment with a quote in it is kept: the quote may be the
# end of a string the lexer misread (3.12's nested f-string quotes), so no code is ever dropped with it.
_STRING_OR_COMMENT = re.compile(
    rb'("""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    rb'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')|#[^\r\n"\']*(?=[\r\n]|$)',
    re.S,
)


def code_without_comments(text: str, tree: ast.Module) -> bytes:
    """The file's bytes (UTF-8) without comments and bare string statements (docstrings)."""
    code = text.encode("utf-8", "surrogatepass")
    if b"\r" in code:
        code = code.replace(b"\r\n", b"\n")
    spans = _bare_strings(tree)
    if spans and b"\r" not in code:  # ast counts a lone CR as a line break; split() would not
        lines = code.split(b"\n")
        for first, start, last, end in sorted(spans, reverse=True):
            lines[first - 1] = lines[first - 1][:start] + lines[last - 1][end:]
            del lines[first:last]
        code = b"\n".join(lines)
    return _STRING_OR_COMMENT.sub(rb"\1", code)


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _bare_strings(tree: ast.Module) -> List[Tuple[int, int, int, int]]:
    """(line, byte column, end line, end byte column) of every statement that is only a string."""
    spans = []
    stack: List[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if type(block) is not list:  # a lambda's or IfExp's body is an expression
                continue
            for statement in block:
                if type(statement) is ast.Expr and type(statement.value) is ast.Constant and type(statement.value.value) is str:
                    spans.append((statement.lineno, statement.col_offset, statement.end_lineno, statement.end_col_offset))
                else:
                    stack.append(statement)
    return spans
