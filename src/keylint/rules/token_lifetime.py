"""KEY4xx: tokens that live too long or forever.

The minting calls, payloads and lifetimes are worked out once in keylint.analysis.tokens (the PII
family uses the same reasoning); these rules compare them with the configured policy.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from keylint.analysis import tokens
from keylint.analysis.values import Ref
from keylint.config import format_duration
from keylint.findings import Confidence, Severity
from keylint.rules.base import Rule



def _over_policy(config, kind: str, seconds: float) -> Optional[str]:
    """The policy clause when seconds exceeds it: 'max-access-token-lifetime 1 day'."""
    limit, key = tokens.limit_for(config, kind)
    if seconds > limit:
        return f"{key} {format_duration(limit)}"
    return None


class _Once(Rule):
    """Report each node once, even when two mints share one payload helper."""

    def __init__(self, ctx):
        super().__init__(ctx)
        self._reported = set()

    def report_once(self, node, **kwargs) -> None:
        if id(node) not in self._reported:
            self._reported.add(id(node))
            self.report(node, **kwargs)


class TokenWithoutExpiry(_Once):
    """A token minted with no expiry.

    What it does
    Flags JWTs minted from a payload that the file fully spells out and that has no `exp` claim
    (PyJWT, python-jose, authlib, joserfc), and flask-jwt-extended tokens created with
    `expires_delta=False`. Payloads built over several statements, `dict(...)`, `{**base, ...}`,
    module constants and small helpers are followed; a payload that cannot be resolved (or is
    handed to another function first) is left alone.

    Why is this bad?
    A token without `exp` is valid forever: once it leaks (logs, browser history, a backup) it cannot
    be contained short of rotating the signing key for everybody.

    Example
    ```python
    token = jwt.encode({"sub": str(user.id)}, SECRET_KEY, algorithm="HS256")
    ```

    Use instead
    ```python
    now = datetime.now(timezone.utc)
    token = jwt.encode({"sub": str(user.id), "iat": now, "exp": now + timedelta(minutes=15)}, SECRET_KEY, algorithm="HS256")
    ```

    References
    - RFC 7519 section 4.1.4 ("exp" claim)
    - https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html
    """

    code = "KEY401"
    name = "token-without-expiry"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 613
    message = "{what}; give it an `exp` of at most {limit}"
    examples_bad = [
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "role": "admin"}, key, algorithm="HS256")\n',
        'from jose import jwt\n\ndef issue(user):\n    claims = {"sub": user.id}\n    claims["scope"] = "read"\n'
        '    return jwt.encode(claims, KEY, algorithm="HS256")\n',
        'from authlib.jose import jwt\ntoken = jwt.encode({"alg": "RS256"}, {"iss": "me", "sub": "42"}, private_key)\n',
        'from flask_jwt_extended import create_access_token\ntoken = create_access_token(identity=user.id, expires_delta=False)\n',
    ]
    examples_good = [
        'import jwt, datetime\ntoken = jwt.encode({"sub": "1", "exp": datetime.datetime.utcnow() + datetime.timedelta(minutes=15)}, key)\n',
        'import jwt\ntoken = jwt.encode(payload, key, algorithm="HS256")\n',
        'import jwt\n\ndef issue(claims):\n    data = {"sub": "1", **claims}\n    return jwt.encode(data, key)\n',
        'import jwt\n\ndef issue(user):\n    payload = {"sub": user.id}\n    add_expiry(payload)\n    return jwt.encode(payload, key)\n',
        'from flask_jwt_extended import create_access_token\ntoken = create_access_token(identity=user.id)\n',
        'import json\ntoken = json.dumps({"sub": "1"})\n',
    ]

    def visit_Call(self, node: cst.Call) -> None:
        mint = tokens.mint_at(self.ctx, node)
        if mint is None:
            return
        limit = format_duration(tokens.limit_for(self.ctx.config, mint.kind)[0])
        if tokens.mints_without_expiry(self.ctx, mint):
            self.report_once(node, what=f"{mint.library} token minted without an `exp` claim", limit=limit)
        elif mint.library == "flask-jwt-extended" and mint.expires is not None:
            if self.ctx.resolver.resolve_ref(mint.expires) is False:
                self.report_once(mint.expires.node, what="`expires_delta=False` makes a token that never expires", limit=limit)


class SignedDataWithoutMaxAge(_Once):
    """Timed signed data loaded without `max_age`.

    What it does
    Flags `loads` on itsdangerous timed serializers (`URLSafeTimedSerializer`, `TimedSerializer`),
    `TimestampSigner.unsign`, `django.core.signing.loads` and Django's `TimestampSigner().unsign`
    called without `max_age` (or with `max_age=None`).

    Why is this bad?
    These serializers stamp the time into the token but only check it when asked to: without
    `max_age`, a password-reset or email-confirmation link stays valid forever.

    Example
    ```python
    email = serializer.loads(token, salt="reset-password")
    ```

    Use instead
    ```python
    email = serializer.loads(token, salt="reset-password", max_age=3600)
    ```

    References
    - https://itsdangerous.palletsprojects.com/en/latest/timed/
    - https://docs.djangoproject.com/en/stable/topics/signing/#verifying-timestamped-values
    """

    code = "KEY402"
    name = "signed-data-without-max-age"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 613
    message = "{library} signed data loaded without `max_age`: it never expires; pass max_age= (at most {limit})"
    examples_bad = [
        'from itsdangerous import URLSafeTimedSerializer\ns = URLSafeTimedSerializer(app.secret_key)\n'
        'email = s.loads(token, salt="confirm")\n',
        'from django.core import signing\nvalue = signing.loads(token, salt="invite")\n',
        'from django.core.signing import TimestampSigner\nvalue = TimestampSigner().unsign(token, max_age=None)\n',
    ]
    examples_good = [
        'from itsdangerous import URLSafeTimedSerializer\ns = URLSafeTimedSerializer(app.secret_key)\n'
        'email = s.loads(token, salt="confirm", max_age=3600)\n',
        'from itsdangerous import URLSafeSerializer\ns = URLSafeSerializer(app.secret_key)\nvalue = s.loads(token)\n',
        'from django.core import signing\nvalue = signing.loads(token, max_age=settings.INVITE_MAX_AGE)\n',
        'import json\nvalue = json.loads(token)\n',
    ]

    def visit_Call(self, node: cst.Call) -> None:
        check = tokens.check_at(self.ctx, node)
        if check is None:
            return
        if check.max_age is None or self.ctx.resolver.resolve_ref(check.max_age) is None:
            limit = format_duration(self.ctx.config.max_access_token_lifetime)
            self.report_once(node, library=check.library, limit=limit)


class TokenLifetimeOverPolicy(_Once):
    """A token minted with a lifetime longer than the policy allows.

    What it does
    Computes the lifetime a token is minted with — `exp` claims such as
    `datetime.utcnow() + timedelta(days=30)` or `int(time.time()) + 86400 * 365` (through local
    variables and constants), flask-jwt-extended `expires_delta=`, simplejwt `set_exp(lifetime=...)`,
    itsdangerous / Django `max_age=` — and compares it with `max-access-token-lifetime` (default 1 day;
    also used for session, link and unlabelled tokens) or, for refresh tokens (told apart by the
    names around the mint and its `type` claim), `max-refresh-token-lifetime` (default 30 days).
    Lifetimes read at run time (environment, settings objects) are not guessed.

    Why is this bad?
    A stolen token is usable for its whole lifetime. Long-lived access tokens turn every leak into
    a long-lasting breach; keep access tokens short and use refresh tokens that can be revoked.

    Example
    ```python
    payload = {"sub": str(user.id), "exp": datetime.utcnow() + timedelta(days=365)}
    ```

    Use instead
    ```python
    payload = {"sub": str(user.id), "exp": datetime.utcnow() + timedelta(minutes=15)}
    ```

    References
    - https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-expiration
    """

    code = "KEY403"
    name = "token-lifetime-over-policy"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 613
    message = "token lifetime {lifetime} exceeds {policy}; shorten it{advice}"
    examples_bad = [
        'import jwt\nfrom datetime import datetime, timedelta\n'
        'token = jwt.encode({"sub": "1", "exp": datetime.utcnow() + timedelta(days=365)}, key, algorithm="HS256")\n',
        'import time\nfrom jose import jwt\nTTL = 86400 * 90\n\ndef issue(uid):\n    now = int(time.time())\n'
        '    return jwt.encode({"sub": uid, "iat": now, "exp": now + TTL}, KEY)\n',
        'from datetime import timedelta\nfrom flask_jwt_extended import create_refresh_token\n'
        'token = create_refresh_token(identity=user.id, expires_delta=timedelta(days=365))\n',
        'from itsdangerous import URLSafeTimedSerializer\ns = URLSafeTimedSerializer(key)\n'
        'email = s.loads(token, max_age=60 * 60 * 24 * 7)\n',
    ]
    examples_good = [
        'import jwt\nfrom datetime import datetime, timedelta\n'
        'token = jwt.encode({"sub": "1", "exp": datetime.utcnow() + timedelta(days=1)}, key, algorithm="HS256")\n',
        'import jwt\nfrom datetime import datetime, timedelta\n'
        'refresh_token = jwt.encode({"sub": "1", "type": "refresh", "exp": datetime.utcnow() + timedelta(days=14)}, key)\n',
        'import jwt, os\nfrom datetime import datetime, timedelta\nDAYS = int(os.environ["TOKEN_DAYS"])\n'
        'token = jwt.encode({"sub": "1", "exp": datetime.utcnow() + timedelta(days=DAYS)}, key)\n',
        'import jwt\ntoken = jwt.encode({"sub": "1", "exp": 4102444800}, key)\n',
    ]

    def visit_Call(self, node: cst.Call) -> None:
        mint = tokens.mint_at(self.ctx, node)
        if mint is not None:
            found = tokens.exp_lifetime(self.ctx, mint)
            if found is not None:
                self._check(found[0], found[1], mint.kind)
            return
        check = tokens.check_at(self.ctx, node)
        if check is not None and check.max_age is not None:
            seconds = tokens.lifetime_of(self.ctx, check.max_age)
            if seconds is not None:
                kind = tokens.token_kind(self.ctx, node)
                self._check(seconds, check.max_age, kind, advice="")
            return
        self._simplejwt_set_exp(node)

    def _simplejwt_set_exp(self, node: cst.Call) -> None:
        """`refresh = RefreshToken.for_user(user); refresh.set_exp(lifetime=timedelta(days=365))`."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "set_exp"):
            return
        kind = tokens.simplejwt_token_kind(self.ctx, func.value)
        if kind is None:
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "lifetime":
                seconds = tokens.lifetime_of(self.ctx, Ref(arg.value, self.ctx.scope), allow_number=False)
                if seconds is not None:
                    self._check(seconds, Ref(arg.value, self.ctx.scope), kind)

    def _check(self, seconds: float, ref: Ref, kind: str, advice: Optional[str] = None) -> None:
        if seconds == tokens.NEVER:
            return  # never expiring: KEY401's finding
        policy = _over_policy(self.ctx.config, kind, seconds)
        if policy is None or _from_reported_setting(self.ctx, ref):
            return
        if advice is None:
            advice = "" if kind == "refresh" else " (use a refresh token for long sessions)"
        self.report_once(ref.node, lifetime=format_duration(seconds), policy=policy, advice=advice)


def _from_reported_setting(ctx, ref: Ref, depth: int = 0) -> bool:
    """True when the lifetime comes from a module or class constant that KEY404 reports itself
    (`ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8` then `timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)`):
    one finding, at the setting."""
    if depth > 3:
        return False
    for name in tokens.names_in(ref.node):
        owner, bindings = ref.scope.lookup(name)
        if owner is None or len(bindings) != 1 or bindings[0].value is None or bindings[0].kind != "assign":
            continue
        value = bindings[0].value
        if owner.kind in ("module", "class"):
            setting = tokens.named_lifetime_setting(ctx, name, value, owner)
            if setting is not None and setting.seconds is not None:
                if _over_policy(ctx.config, setting.kind, setting.seconds):
                    return True
        if _from_reported_setting(ctx, Ref(value, owner), depth + 1):
            return True
    return False


class TokenLifetimeSettingOverPolicy(_Once):
    """A framework setting or TTL constant that gives tokens a lifetime over policy.

    What it does
    Reads token lifetime settings and compares them with `max-access-token-lifetime` /
    `max-refresh-token-lifetime`: flask-jwt-extended `JWT_ACCESS_TOKEN_EXPIRES` /
    `JWT_REFRESH_TOKEN_EXPIRES` (module or class constants, `app.config[...] = ...`,
    `app.config.update(...)`; `False` means never), djangorestframework-simplejwt
    `SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": ..., "REFRESH_TOKEN_LIFETIME": ...}`, djangorestframework-jwt
    `JWT_AUTH = {"JWT_EXPIRATION_DELTA": ...}`, simplejwt token classes with a `lifetime`, and TTL
    constants such as the FastAPI template's `ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8` (the unit is
    read from the name: _SECONDS, _MINUTES, _HOURS, _DAYS). Values read from the environment are not
    guessed.

    Why is this bad?
    Every token the application issues inherits this lifetime; a stolen token stays usable for
    all of it, and `False` means forever.

    Example
    ```python
    ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8  # 8 days
    ```

    Use instead
    ```python
    ACCESS_TOKEN_EXPIRE_MINUTES = 15
    REFRESH_TOKEN_EXPIRE_DAYS = 14
    ```

    References
    - https://flask-jwt-extended.readthedocs.io/en/stable/options.html#JWT_ACCESS_TOKEN_EXPIRES
    - https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html
    """

    code = "KEY404"
    name = "token-lifetime-setting-over-policy"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 613
    message = "{setting}: {what}"
    examples_bad = [
        'ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8\n',
        'from datetime import timedelta\nSIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(days=7), "REFRESH_TOKEN_LIFETIME": timedelta(days=14)}\n',
        'app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False\n',
        'from datetime import timedelta\napp.config.update(JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=365))\n',
        'import datetime\nJWT_AUTH = {"JWT_EXPIRATION_DELTA": datetime.timedelta(days=30)}\n',
        'class Config:\n    JWT_ACCESS_TOKEN_EXPIRES = 7 * 24 * 3600\n',
    ]
    examples_good = [
        'ACCESS_TOKEN_EXPIRE_MINUTES = 30\nREFRESH_TOKEN_EXPIRE_DAYS = 14\n',
        'from datetime import timedelta\nSIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=5), "REFRESH_TOKEN_LIFETIME": timedelta(days=1)}\n',
        'import os\nACCESS_TOKEN_EXPIRE_MINUTES = int(os.getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "30"))\n',
        'from datetime import timedelta\napp.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(hours=1)\n',
        'TOKEN_LENGTH_BYTES = 64\nSESSION_COOKIE_AGE = 1209600\n',
        'def make():\n    token_ttl_seconds = 86400 * 365\n    return token_ttl_seconds\n',
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._binding(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._binding(node.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        """`app.config.update(JWT_ACCESS_TOKEN_EXPIRES=...)` / `.update({...})` / `.from_mapping(...)`."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in ("update", "from_mapping")):
            return
        if not tokens.is_config_object(func.value):
            return
        for arg in node.args:
            if arg.keyword is not None:
                self._setting(tokens.named_lifetime_setting(self.ctx, arg.keyword.value, arg.value))
            elif not arg.star:
                mapping = self.ctx.resolve(arg.value)
                for key, ref in getattr(mapping, "entries", {}).items():
                    if isinstance(key, str):
                        self._setting(tokens.named_lifetime_setting(self.ctx, key, ref.node, ref.scope))

    def _binding(self, target: cst.CSTNode, value: cst.CSTNode) -> None:
        scope = self.ctx.scope
        if isinstance(target, cst.Name) and scope.kind in ("module", "class"):
            name = target.value
            for setting in tokens.dict_lifetime_settings(self.ctx, name, value):
                self._setting(setting)
            self._setting(tokens.named_lifetime_setting(self.ctx, name, value))
            if name == "lifetime" and scope.kind == "class" and self._is_simplejwt_token_class(scope):
                seconds = tokens.lifetime_of(self.ctx, Ref(value, scope), allow_number=False)
                kind = "refresh" if tokens.is_refresh_name(scope.node.name.value) else "access"
                if seconds is not None:
                    self._setting(tokens.LifetimeSetting(f"{scope.node.name.value}.lifetime", kind, seconds, value))
        elif isinstance(target, cst.Subscript) and tokens.is_config_object(target.value) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = self.ctx.resolve(index.value) if isinstance(index, cst.Index) else None
            if isinstance(key, str):
                self._setting(tokens.named_lifetime_setting(self.ctx, key, value))

    def _is_simplejwt_token_class(self, scope) -> bool:
        outer = scope.parent or self.ctx.facts.module_scope
        return any(
            (self.ctx.qualname(base.value, outer) or "").startswith("rest_framework_simplejwt.tokens.")
            for base in scope.node.bases
        )

    def _setting(self, setting: Optional[tokens.LifetimeSetting]) -> None:
        if setting is None or setting.seconds is None:
            return
        limit, key = tokens.limit_for(self.ctx.config, setting.kind)
        if setting.seconds == tokens.NEVER:
            what = f"tokens never expire; set a lifetime of at most {format_duration(limit)}"
        elif setting.seconds > limit:
            what = (
                f"token lifetime {format_duration(setting.seconds)} exceeds {key} {format_duration(limit)}; "
                "shorten it"
            )
        else:
            return
        self.report_once(setting.node, setting=setting.name, what=what)
