"""KEY1xx: hard-coded secrets.

Candidates come from three places: a credential-named target bound to a literal (KEY101), a
known credential format anywhere (KEY102, KEY103), and a literal handed to a secret sink (KEY104,
KEY105, KEY106). Every candidate value then passes the same filters (placeholder, shape,
allowlist, test-file rule) in `_is_secret_value`, so the families agree on what a secret is.
"""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from keylint import detectors
from keylint.analysis.values import Template
from keylint.analysis.words import KEY_QUALIFIERS, SECRET_WORDS, joined, split_words
from keylint.findings import Confidence, Severity, redact
from keylint.rules.base import Rule

# --- what a credential name is ----------------------------------------------------------------

# A last word that makes the name describe something about a secret, not the secret itself.
_DESCRIPTIVE_LAST = {
    "url", "urls", "uri", "endpoint", "host", "hostname", "port", "field", "fields", "header", "headers", "type",
    "types", "name", "names", "id", "ids", "path", "paths", "file", "filename", "dir", "directory", "env", "var",
    "variable", "length", "len", "size", "min", "max", "timeout", "expiry", "expires", "expiration", "exp", "ttl",
    "lifetime", "age", "prefix", "suffix", "pattern", "regex", "re", "regexp", "format", "fmt", "label",
    "placeholder", "hint", "help", "message", "msg", "error", "errors", "prompt", "param", "params", "parameter",
    "attr", "attribute", "column", "col", "kind", "scheme", "method", "methods", "algorithm", "algorithms", "alg",
    "location", "storage", "backend", "backends", "class", "cls", "mode", "policy", "count", "hash", "hashed",
    "hasher", "hashers", "template", "query", "version", "enabled", "disabled", "required", "validator",
    "validators", "validation", "strength", "rotation", "store", "manager", "provider", "service", "handler",
    "factory", "generator", "source", "callback", "getter", "setter", "index", "idx", "list", "set", "dict", "map",
    "mapping", "cache", "lock", "limit", "chars", "charset", "alphabet", "widget", "input", "form", "text", "title",
    "description", "desc", "doc", "docs", "example", "examples", "changed", "change", "status", "state", "display",
    "verifier", "check", "checker", "lookup", "table", "model", "serializer", "schema", "view", "route", "router",
    "scope", "scopes", "claims", "claim", "audience", "issuer", "response", "request", "option", "options", "config",
    "settings", "setting", "flag", "rule", "rules", "key", "keys", "location", "arn", "ref", "reference", "bytes",
    "encoding", "encoder", "decoder", "parser", "reset", "confirm", "confirmation", "regexes", "label", "icon",
    "button", "link", "sent", "used", "valid", "invalid", "ok", "missing", "mask", "masked", "redacted", "filter",
    "sanitizer", "policy", "uid", "user", "username", "login", "email",
}
# Any of these words anywhere means the value is not a credential of ours.
_NOT_A_SECRET = {"csrf", "xsrf", "page", "cursor", "next", "prev", "previous", "pagination", "continuation", "sync",
                 "lexer", "tokenizer", "tokenize", "public", "publishable", "forgot", "is", "has", "use", "num",
                 "should", "allow", "enable", "disable", "verify", "require", "show", "hide", "reset", "sample",
                 "example", "fake", "dummy", "mock", "test", "nonce", "cache", "sort", "primary", "foreign",
                 "partition", "idempotency", "dedup", "lookup", "translation", "i18n", "hashed"}


def credential_name(name: str, extra=()) -> bool:
    """`db_password`, `apiKey`, `CLIENT_SECRET`, `X-API-Key` yes; `token_url`, `password_field`,
    `TOKEN_TYPE`, `secret_name`, `API_KEY_HEADER`, `PASSWORD_RESET_TIMEOUT`, `auth_backend` no."""
    parts = split_words(name)
    if not parts or parts[-1] in _DESCRIPTIVE_LAST and not (parts[-1] == "key" and _key_is_secret(parts, len(parts) - 1)):
        return False
    if any(part in _NOT_A_SECRET for part in parts):
        return False
    flat = "".join(parts)
    if extra and any(joined(e) in flat for e in extra):
        return True
    for index, part in enumerate(parts):
        if part in SECRET_WORDS:
            return True
        if part == "key" and _key_is_secret(parts, index):
            return True
    return flat in {"apikey", "secretkey", "privatekey", "accesskey", "signingkey", "authtoken", "authkey"}


def _key_is_secret(parts, index: int) -> bool:
    return index > 0 and parts[index - 1] in KEY_QUALIFIERS


def _is_docstring_like(ctx) -> bool:
    """A bare string statement: a docstring or a commented-out block, where examples live."""
    statement = ctx.info.statement if ctx.info is not None else None
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
    )


# --- shared candidate logic -------------------------------------------------------------------

_MIN_LENGTH = 6


class _SecretRule(Rule):
    """Shared by the KEY1 rules: how a literal is read, and whether its value is a secret."""

    cwe = 798
    confidence = Confidence.MEDIUM

    def literal(self, node: Optional[cst.CSTNode]) -> Optional[str]:
        """The string a literal-ish expression holds: "x", "a" "b", f"ab", SecretStr("x"), Field(default="x")."""
        if node is None:
            return None
        if isinstance(node, cst.Call):
            qualname = self.ctx.qualname(node.func) or ""
            if qualname.endswith("SecretStr") or qualname.endswith("SecretBytes"):
                return self.literal(node.args[0].value) if node.args else None
            if qualname in ("pydantic.Field", "pydantic.fields.Field", "dataclasses.field"):
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "default" or arg.keyword is None and arg is node.args[0]:
                        return self.literal(arg.value)
            return None
        if not isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return None
        value = self.ctx.resolve(node)
        if isinstance(value, Template):
            return None  # a hole means part of it comes from elsewhere
        return value if isinstance(value, str) else None

    def is_secret_value(self, value: Optional[str], min_length: int = _MIN_LENGTH) -> bool:
        if value is None or len(value) < min_length or len(value) > 4096:
            return False
        if detectors.non_secret_shape(value) or detectors.is_documented_example(value):
            return False
        if detectors.allowlisted(value, self._allowlist()):
            return False
        if detectors.find_known(value) or detectors.find_url_credentials(value):
            return False  # KEY102 / KEY103 report it, with the provider's name
        if detectors.is_test_path(self.ctx.path):
            # in tests the value decides: 'password123' is a fixture, a random-looking key is a leak
            return detectors.looks_random(value)
        return True

    def _allowlist(self):
        cached = getattr(self.ctx, "_keylint_allowlist", None)
        if cached is None:
            cached = self.ctx.config.allowlist_patterns
            self.ctx._keylint_allowlist = cached
        return cached

    def is_credential_name(self, name: Optional[str]) -> bool:
        return bool(name) and credential_name(name, self.ctx.config.extend_secret_names)

    def in_settings_class(self) -> bool:
        """Inside a pydantic BaseSettings / dataclass config class body (defaults there are KEY105)."""
        scope = self.ctx.scope
        if scope.kind != "class":
            return False
        cls: cst.ClassDef = scope.node
        for base in cls.bases:
            qualname = self.ctx.qualname(base.value, scope.parent) or ""
            if qualname.endswith("BaseSettings") or qualname.endswith(".BaseModel") and "settings" in cls.name.value.lower():
                return True
        for decorator in cls.decorators:
            target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            qualname = self.ctx.qualname(target, scope.parent) or ""
            if qualname in ("dataclasses.dataclass", "attr.s", "attrs.define", "attr.define", "attrs.frozen") and re.search(
                r"(config|settings|conf)$", cls.name.value, re.I
            ):
                return True
        return False


def _target_name(target: cst.CSTNode, ctx) -> Optional[str]:
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        key = ctx.resolve(target.slice[0].slice.value)
        return key if isinstance(key, str) else None
    return None


class HardcodedCredential(_SecretRule):
    """A credential-named variable, attribute, key, argument or default holding a literal secret.

    What it does
    Reports a string literal bound to a name that says it holds a credential: assignments to
    names, attributes and subscripts (`app.config["SECRET_KEY"] = "..."`), dict keys, keyword
    arguments, parameter defaults and class attributes. Names are matched by their word parts, so
    `db_password`, `apiKey` and `CLIENT_SECRET` count, while `token_url`, `password_field`,
    `TOKEN_TYPE`, `secret_name` and `API_KEY_HEADER` do not. Placeholders (`"changeme"`,
    `"<your-key>"`, `"${API_KEY}"`), identifiers, paths and URLs are not secrets.

    Why is this bad?
    A secret in source code is shared with everyone who can read the repository, its forks, its
    CI logs and every copy ever made; it cannot be rotated without a code change, and it stays in
    the git history after it is removed.

    Example
    DATABASE_PASSWORD = "pr0d-Db-2024!"

    Use instead
    DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]

    References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/
    """

    code = "KEY101"
    name = "hardcoded-credential"
    severity = Severity.ERROR
    message = "hard-coded credential in '{target}' ({value}); load it from the environment or a secret manager"
    examples_bad = [
        'DATABASE_PASSWORD = "pr0d-Db-2024!"\n',
        'app.config["SECRET_KEY"] = "9f8e7d6c5b4a3f2e1d0c"\n',
        'client = Client(api_key="a8f5f167f44f4964e6c998dee827110c")\n',
        'def login(user, password="Winter2024!"):\n    pass\n',
        'HEADERS = {"X-API-Key": "k3y-4f9a8b7c6d5e"}\n',
        'class Config:\n    stripe_secret = "whsec_9aB8cD7eF6gH5iJ4"\n',
    ]
    examples_good = [
        'import os\nDATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]\n',
        'TOKEN_URL = "https://auth.example.com/oauth/token"\n',
        'API_KEY_HEADER = "X-API-Key"\n',
        'password_field = "password"\nTOKEN_TYPE = "Bearer"\nsecret_name = "prod/db"\n',
        'PASSWORD_RESET_TIMEOUT = 3600\nauth_backend = "django.contrib.auth.backends.ModelBackend"\n',
        'API_KEY = "changeme"\nSECRET = "<your-secret-here>"\nTOKEN = "${TOKEN}"\n',
        'sorted(rows, key="name")\ncache.set(key="user:42", value=data)\n',
        'password = getpass.getpass("Password: ")\n',
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and not self.in_settings_class():
            self._check(node.target, node.value)

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self.ctx.resolve(element.key)
                if isinstance(key, str) and not _is_authorization(key):
                    self._report_if_secret(key, element.value)

    def visit_Call(self, node: cst.Call) -> None:
        keywords = [arg for arg in node.args if arg.keyword is not None]
        if not keywords:
            return
        qualname = self.ctx.qualname(node.func) or ""
        if qualname in _ENV_CALLS:
            return  # a lookup's default is KEY105
        for arg in keywords:
            self._report_if_secret(arg.keyword.value, arg.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._report_if_secret(node.name.value, node.default)

    def _check(self, target: cst.CSTNode, value: cst.CSTNode) -> None:
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
            for t, v in zip(target.elements, value.elements):
                self._check(t.value, v.value)
            return
        name = _target_name(target, self.ctx)
        if name and not _is_authorization(name):
            self._report_if_secret(name, value)

    def _report_if_secret(self, name: str, value_node: cst.CSTNode) -> None:
        if not self.is_credential_name(name):
            return
        value = self.literal(value_node)
        if self.is_secret_value(value):
            self.report(value_node, target=name, value=redact(value), secret=value)


def _is_authorization(name: str) -> bool:
    return name.lower() in ("authorization", "proxy-authorization")


class KnownCredentialFormat(_SecretRule):
    """A string that has the exact format of a provider's credential.

    What it does
    Reports strings (and comments) holding a credential in a provider's published format: AWS
    access key ids, GitHub classic and fine-grained tokens (checksum verified), GitLab, Slack
    tokens and webhooks, Stripe live keys, Google API keys, OpenAI and Anthropic keys, PyPI and
    npm tokens, PEM private key blocks and literal JWTs whose segments decode to JSON. Vendors'
    documented example keys (AWS's `...EXAMPLE`) are not reported.

    Why is this bad?
    A live-format credential in source is exploitable as written: scanners harvest public
    repositories for these prefixes within minutes of a push.

    Example
    GITHUB_TOKEN = "ghp_..."  # a real token pasted into code

    Use instead
    Revoke the token, then read it at run time: `os.environ["GITHUB_TOKEN"]`.

    References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
    """

    code = "KEY102"
    name = "known-credential-format"
    severity = Severity.ERROR
    confidence = Confidence.HIGH
    message = "{kind} in source ({value}); revoke it and load it from the environment or a secret manager"
    examples_bad = [
        'AWS_KEY_ID = "AKIAZ5XQ7K4QWXRTY234"\n',
        'client = Slack(token="xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")\n',
        'stripe.api_key = "sk_live_51H8xYzAbCdEfGhIjKlMnOpQr"\n',
        'KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFc\n-----END RSA PRIVATE KEY-----"""\n',
        '# deploy with pypi-AgEIcHlwaS5vcmcCJDk4ZjE2MzQ1LWFiY2QtNGVmMC05ODc2LTU0MzIxMGZlZGNiYQACKlszLCJhYmMiXQ\n',
    ]
    examples_good = [
        'AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n',
        'PREFIX = "sk_live_"\nPATTERN = r"ghp_[A-Za-z0-9]{36}"\n',
        'HEADER = "-----BEGIN PRIVATE KEY-----"\n',
        'TOKEN = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"\n',
    ]

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        self._scan(node, value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self._scan(node, node.value)

    def visit_Comment(self, node: cst.Comment) -> None:
        self._scan(node, node.value)

    def _scan(self, node: cst.CSTNode, text: str) -> None:
        for secret in detectors.find_known(text):
            if detectors.allowlisted(secret.value, self._allowlist()):
                continue
            if secret.kind == "JSON Web Token" and _is_docstring_like(self.ctx):
                continue  # docstrings show example tokens; a live-format key there is still reported
            confidence = Confidence.MEDIUM if secret.checksum_valid is False else Confidence.HIGH
            self.report(node, kind=secret.kind, value=redact(secret.value), secret=secret.value, confidence=confidence)


class CredentialsInUrl(_SecretRule):
    """A URL with a password in it: `scheme://user:password@host`.

    What it does
    Reports database, broker and HTTP URLs that embed a password. Placeholders
    (`postgres://user:${DB_PASSWORD}@db/app`), and well-known demo credentials on local hosts
    (`scott:tiger@localhost`) are not reported, and neither are docstrings.

    Why is this bad?
    The password travels with every copy of the URL: into logs, error messages, tracebacks and
    monitoring tools, and into the repository.

    Example
    engine = create_engine("postgresql://app:S3cure-Pa55@db.internal:5432/app")

    Use instead
    engine = create_engine(os.environ["DATABASE_URL"])

    References
    - https://cwe.mitre.org/data/definitions/798.html
    """

    code = "KEY103"
    name = "credentials-in-url"
    severity = Severity.ERROR
    confidence = Confidence.HIGH
    message = "password in URL ({url}); load the URL or the password from the environment"
    examples_bad = [
        'DATABASE_URL = "postgresql://app:S3cure-Pa55@db.internal:5432/app"\n',
        'broker = "amqp://worker:Xk9-Lp2-Qr7@rabbit.prod.svc:5672//"\n',
    ]
    examples_good = [
        'DATABASE_URL = "postgresql://app:${DB_PASSWORD}@db.internal/app"\n',
        'def f():\n    """Connect with postgresql://scott:tiger@localhost/test."""\n',
        'url = "https://user@github.com/org/repo.git"\n',
        'TEST_DB = "postgresql://postgres:postgres@localhost:5432/test"\n',
    ]

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if _is_docstring_like(self.ctx):
            return
        value = node.evaluated_value
        if isinstance(value, str):
            self._scan(node, value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self._scan(node, node.value)

    def _scan(self, node: cst.CSTNode, text: str) -> None:
        for found in detectors.find_url_credentials(text):
            if detectors.allowlisted(found.password, self._allowlist()):
                continue
            if detectors.is_test_path(self.ctx.path) and not detectors.looks_random(found.password):
                continue
            url = f"{found.scheme}://{found.user}:{redact(found.password)}@{found.host}"
            self.report(node, url=url, secret=found.password)


# --- sinks ------------------------------------------------------------------------------------

# callee -> (positional index of the secret, keyword name)
_KEY_SINKS = {
    "jwt.encode": (1, "key"), "jwt.decode": (1, "key"), "jwt.api_jwt.encode": (1, "key"), "jwt.api_jwt.decode": (1, "key"),
    "jwt.PyJWT().encode": (1, "key"), "jwt.PyJWT().decode": (1, "key"), "jwt.decode_complete": (1, "key"),
    "jose.jwt.encode": (1, "key"), "jose.jwt.decode": (1, "key"), "jose.jws.sign": (1, "key"), "jose.jws.verify": (1, "key"),
    "authlib.jose.jwt.encode": (2, "key"), "authlib.jose.jwt.decode": (1, "key"),
    "joserfc.jwt.encode": (2, "key"), "joserfc.jwt.decode": (1, "key"), "joserfc.jwk.OctKey.import_key": (0, "raw"),
    "hmac.new": (0, "key"), "hmac.digest": (0, "key"), "hmac.HMAC": (0, "key"),
    "itsdangerous.URLSafeTimedSerializer": (0, "secret_key"), "itsdangerous.URLSafeSerializer": (0, "secret_key"),
    "itsdangerous.TimedSerializer": (0, "secret_key"), "itsdangerous.Serializer": (0, "secret_key"),
    "itsdangerous.Signer": (0, "secret_key"), "itsdangerous.TimestampSigner": (0, "secret_key"),
    "django.core.signing.Signer": (0, "key"), "django.core.signing.TimestampSigner": (0, "key"),
    "cryptography.fernet.Fernet": (0, "key"),
    "requests.auth.HTTPBasicAuth": (1, "password"), "requests.auth.HTTPDigestAuth": (1, "password"),
    "httpx.BasicAuth": (1, "password"), "httpx.DigestAuth": (1, "password"), "aiohttp.BasicAuth": (1, "password"),
    "flask_jwt_extended.JWTManager": (None, None),
}
_AUTH_KWARG_CALLS = ("requests.", "httpx.", "aiohttp.ClientSession")
_CONNECT_DSN_CALLS = {"psycopg2.connect", "psycopg.connect", "pyodbc.connect", "pymssql.connect", "cx_Oracle.connect", "oracledb.connect"}
_DSN_PASSWORD = re.compile(r"(?:^|[\s;])(?:password|pwd)\s*=\s*([^\s;]+)", re.I)
_AUTH_SCHEMES = re.compile(r"^\s*(Bearer|Basic|Token|Digest|ApiKey|Api-Key|SSWS|Bot)\s+(\S{6,})\s*$", re.I)
_ENV_CALLS = {"os.getenv", "os.environ.get", "os.environ.setdefault", "decouple.config", "environ.Env()", "environs.Env().str",
              "environ.Env().str", "os.environ.pop"}


class HardcodedSecretInSink(_SecretRule):
    """A literal passed straight to an API that takes a secret.

    What it does
    Reports a string literal used as the key of `jwt.encode` / `jwt.decode` (PyJWT, python-jose,
    authlib, joserfc), `hmac.new`, itsdangerous and Django signers, Fernet; the password of
    `requests`/`httpx`/`aiohttp` basic auth (`auth=("user", "pw")`, `HTTPBasicAuth("user", "pw")`);
    an `Authorization: Bearer <literal>` header; a `password=` inside a database driver's DSN string.
    Keyword arguments with credential names (`password="..."`) are KEY101.

    Why is this bad?
    The key that signs your tokens or authenticates your requests is readable by anyone with the
    source; with a JWT signing key, anyone can mint valid tokens for any user.

    Example
    token = jwt.encode(payload, "my-signing-key-2024", algorithm="HS256")

    Use instead
    token = jwt.encode(payload, settings.JWT_SIGNING_KEY, algorithm="HS256")

    References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://cwe.mitre.org/data/definitions/321.html
    """

    code = "KEY104"
    name = "hardcoded-secret-in-sink"
    severity = Severity.ERROR
    message = "hard-coded secret passed to {sink} ({value}); load it from the environment or a secret manager"
    examples_bad = [
        'import jwt\ntoken = jwt.encode(payload, "my-signing-key-2024", algorithm="HS256")\n',
        'import hmac, hashlib\nsig = hmac.new(b"webhook-s3cret-99", body, hashlib.sha256)\n',
        'import requests\nrequests.get(url, auth=("deploy", "Tr0ub4dor&3"))\n',
        'import requests\nrequests.get(url, headers={"Authorization": "Bearer 4f9a8b7c6d5e4f3a2b1c"})\n',
        'import psycopg2\nconn = psycopg2.connect("host=db user=app password=Xk9Lp2Qr7z")\n',
    ]
    examples_good = [
        'import jwt, os\ntoken = jwt.encode(payload, os.environ["JWT_KEY"], algorithm="HS256")\n',
        'import requests\nrequests.get(url, headers={"Authorization": f"Bearer {token}"})\n',
        'import requests\nrequests.get(url, auth=(user, password))\n',
        'import hmac\nsig = hmac.new(settings.WEBHOOK_SECRET.encode(), body, "sha256")\n',
        'import jwt\njwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])\n',
    ]

    def visit_Call(self, node: cst.Call) -> None:
        qualname = self.ctx.qualname(node.func)
        if not qualname:
            return
        sink = _KEY_SINKS.get(qualname)
        if sink is not None and sink[1] is not None:
            position, keyword = sink
            arg = _argument(node, position, keyword)
            if arg is not None and not (keyword and self.is_credential_name(keyword) and arg.keyword is not None):
                self._report_literal(arg.value, qualname)
        if qualname.startswith(_AUTH_KWARG_CALLS):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "auth" and isinstance(arg.value, cst.Tuple):
                    elements = arg.value.elements
                    if len(elements) == 2:
                        self._report_literal(elements[1].value, f"{qualname}(auth=...)")
        if qualname in _CONNECT_DSN_CALLS and node.args and node.args[0].keyword is None:
            dsn = self.literal(node.args[0].value)
            match = _DSN_PASSWORD.search(dsn or "")
            if match and self.is_secret_value(match.group(1)):
                self.report(node.args[0].value, sink=f"{qualname} DSN", value=redact(match.group(1)), secret=match.group(1))

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self.ctx.resolve(element.key)
                if isinstance(key, str) and _is_authorization(key):
                    self._report_header(element.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = _target_name(target.target, self.ctx)
            if name and _is_authorization(name):
                self._report_header(node.value)

    def _report_header(self, value_node: cst.CSTNode) -> None:
        value = self.literal(value_node)
        match = _AUTH_SCHEMES.match(value or "")
        if match and self.is_secret_value(match.group(2)):
            self.report(value_node, sink="an Authorization header", value=f"{match.group(1)} {redact(match.group(2))}", secret=match.group(2))

    def _report_literal(self, value_node: cst.CSTNode, sink: str) -> None:
        value = self.literal(value_node)
        if value is None and isinstance(value_node, cst.SimpleString) and isinstance(value_node.evaluated_value, bytes):
            value = value_node.evaluated_value.decode("latin-1")
        if self.is_secret_value(value):
            self.report(value_node, sink=sink, value=redact(value), secret=value)


def _argument(node: cst.Call, position, keyword) -> Optional[cst.Arg]:
    for arg in node.args:
        if keyword is not None and arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    if position is not None and position < len(positional):
        return positional[position]
    return None


class HardcodedSecretFallback(_SecretRule):
    """A literal default that silently becomes the secret whenever the variable is unset.

    What it does
    Reports `os.getenv("API_KEY", "<literal>")`, `os.environ.get("SECRET_KEY", "<literal>")`,
    `config("TOKEN", default="<literal>")`, and literal defaults of credential-named fields in
    pydantic `BaseSettings` and dataclass config classes (`api_key: str = "..."`,
    `SecretStr("...")`).

    Why is this bad?
    The code reads like it takes the secret from the environment, but a deployment that forgets
    the variable runs with the value from the repository, which everyone who can read it knows.

    Example
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-9f8e7d6c5b4a3f2e")

    Use instead
    SECRET_KEY = os.environ["SECRET_KEY"]  # fail loudly when it is missing

    References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://cwe.mitre.org/data/definitions/1188.html
    """

    code = "KEY105"
    name = "hardcoded-secret-fallback"
    severity = Severity.ERROR
    message = "hard-coded fallback for '{target}' ({value}) is used whenever the variable is unset; fail instead of falling back"
    examples_bad = [
        'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-9f8e7d6c5b4a3f2e")\n',
        'import os\napi_key = os.getenv("STRIPE_API_KEY", "rk_test_9aB8cD7eF6gH5")\n',
        'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    jwt_secret: str = "s3cr3t-signing-k3y"\n',
    ]
    examples_good = [
        'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "")\n',
        'import os\nDEBUG = os.getenv("DEBUG", "false")\nREGION = os.getenv("AWS_REGION", "eu-west-1")\n',
        'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    jwt_secret: str\n    token_url: str = "https://auth.example.com/token"\n',
        'import os\ntoken = os.getenv("GITHUB_TOKEN", "changeme")\n',
    ]

    def visit_Call(self, node: cst.Call) -> None:
        qualname = self.ctx.qualname(node.func)
        if qualname not in _ENV_CALLS or not node.args:
            return
        name = self.literal(node.args[0].value) if node.args[0].keyword is None else None
        default = None
        for index, arg in enumerate(node.args):
            if arg.keyword is not None and arg.keyword.value == "default" or index == 1 and arg.keyword is None:
                default = arg.value
        if default is None or not self.is_credential_name(name):
            return
        value = self.literal(default)
        if self.is_secret_value(value):
            self.report(default, target=name, value=redact(value), secret=value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is None or not self.in_settings_class():
            return
        name = _target_name(node.target, self.ctx)
        if self.is_credential_name(name):
            value = self.literal(node.value)
            if self.is_secret_value(value):
                self.report(node.value, target=name, value=redact(value), secret=value)


class HardcodedPasswordComparison(_SecretRule):
    """A credential compared with a literal: `if password == "..."`.

    What it does
    Reports `==` / `!=` comparisons and `hmac.compare_digest` calls between a credential-named
    value and a string literal.

    Why is this bad?
    A backdoor password or a shared API key checked in code is the same for every installation
    and is known to everyone who can read the source.

    Example
    if request.form["password"] == "letmein-2024":
        login_as_admin()

    Use instead
    Compare a salted hash from the user store, e.g. `check_password_hash(user.pw_hash, password)`.

    References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://cwe.mitre.org/data/definitions/259.html
    """

    code = "KEY106"
    name = "hardcoded-password-comparison"
    severity = Severity.ERROR
    message = "'{target}' compared with a hard-coded value ({value}); check against a stored hash or a secret from the environment"
    examples_bad = [
        'if password == "letmein-2024":\n    grant()\n',
        'import hmac\nok = hmac.compare_digest(api_key, "a8f5f167f44f4964e6c9")\n',
        'if request.headers["X-Api-Key"] != "k3y-4f9a8b7c6d5e":\n    abort(401)\n',
    ]
    examples_good = [
        'if password == "":\n    raise ValueError("empty")\n',
        'if token == "[":\n    depth += 1\n',
        'if token_type == "Bearer":\n    pass\n',
        'if password == settings.ADMIN_PASSWORD:\n    pass\n',
    ]

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            if isinstance(target.operator, (cst.Equal, cst.NotEqual)):
                self._pair(left, target.comparator)
                self._pair(target.comparator, left)
            left = target.comparator

    def visit_Call(self, node: cst.Call) -> None:
        if len(node.args) == 2 and self.ctx.qualname(node.func) in ("hmac.compare_digest", "secrets.compare_digest"):
            self._pair(node.args[0].value, node.args[1].value)
            self._pair(node.args[1].value, node.args[0].value)

    def _pair(self, named: cst.CSTNode, literal: cst.CSTNode) -> None:
        name = _target_name(named, self.ctx)
        if name is None and isinstance(named, cst.Call) and isinstance(named.func, cst.Attribute) and named.func.attr.value == "get" and named.args:
            key = self.ctx.resolve(named.args[0].value)
            name = key if isinstance(key, str) else None
        if not self.is_credential_name(name):
            return
        value = self.literal(literal)
        if self.is_secret_value(value):
            self.report(literal, target=name, value=redact(value), secret=value)
