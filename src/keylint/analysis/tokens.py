"""What goes into a token when it is minted, and how long it lives.

Shared by the token-lifetime (KEY4xx) and token-PII (KEY5xx) families:
- `mint_at(ctx, call)`: is this call minting a token (PyJWT, python-jose, authlib, joserfc,
  itsdangerous, django.core.signing, flask-jwt-extended), and what are its payload, claims and kind?
- `simplejwt_claim_target(ctx, subscript)`: is `token["email"] = ...` filling a simplejwt token
  (`RefreshToken.for_user(user)`, `AccessToken()`, `super().get_token(user)` in a serializer)?
- `check_at(ctx, call)`: is this call checking a timed signature (itsdangerous / Django `loads`,
  `unsign`), and with which `max_age`?
- `lifetime_of(ctx, ref)`: an `exp` / `expires_delta` / `max_age` expression as seconds.
- `lifetime_setting(...)`: framework settings and TTL constants (flask-jwt-extended, simplejwt,
  djangorestframework-jwt, `ACCESS_TOKEN_EXPIRE_MINUTES`) as (kind, seconds or never).
- `token_kind(...)`: refresh or access (session, link and unlabelled tokens count as access).

Everything here resolves what the file says and returns None when it cannot: callers stay quiet
rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Tuple

import libcst as cst

from keylint.analysis.values import UNKNOWN, DictValue, Duration, External, Ref, TimePoint, _is_number
from keylint.analysis.words import split_words

# --- which calls mint ------------------------------------------------------------------------

# payload position / keyword names, per library
_JWT_PAYLOAD_FIRST = {
    "jwt.encode": "pyjwt", "jwt.api_jwt.encode": "pyjwt", "jwt.PyJWT().encode": "pyjwt",
    "jwt.api_jwt.PyJWT().encode": "pyjwt", "jose.jwt.encode": "python-jose",
}
_JWT_PAYLOAD_SECOND = {  # encode(header, payload, key)
    "authlib.jose.jwt.encode": "authlib", "authlib.jose.JsonWebToken().encode": "authlib",
    "authlib.jose.rfc7519.JsonWebToken().encode": "authlib", "joserfc.jwt.encode": "joserfc",
}
_ITSDANGEROUS = "itsdangerous"
_ITSDANGEROUS_TIMED = {"URLSafeTimedSerializer", "TimedSerializer", "TimedJSONWebSignatureSerializer"}
_ITSDANGEROUS_SERIALIZERS = _ITSDANGEROUS_TIMED | {"URLSafeSerializer", "Serializer", "JSONWebSignatureSerializer"}
_DJANGO_SIGNING = "django.core.signing"
_FLASK_JWT = {
    "flask_jwt_extended.create_access_token": "access", "flask_jwt_extended.utils.create_access_token": "access",
    "flask_jwt_extended.create_refresh_token": "refresh", "flask_jwt_extended.utils.create_refresh_token": "refresh",
}
_SIMPLEJWT = "rest_framework_simplejwt"
# RefreshToken.for_user(user), AccessToken(), RefreshToken(token_string)
_SIMPLEJWT_TOKEN = re.compile(r"^rest_framework_simplejwt\.tokens\.(RefreshToken|AccessToken|SlidingToken|Token)(?:\.for_user)?\(\)$")

# Claims that only OpenID Connect ID tokens carry.
ID_TOKEN_CLAIMS = frozenset({"nonce", "at_hash", "c_hash", "s_hash", "auth_time", "acr", "amr"})


@dataclass
class Mint:
    """A call that creates a token."""

    call: cst.Call
    library: str  # pyjwt | python-jose | authlib | joserfc | itsdangerous | django.core.signing | flask-jwt-extended
    payload: Optional[Ref]  # the payload / claims argument
    claims: Optional[DictValue]  # the payload resolved to a dict, when it is one
    adds_exp: bool  # True when the library sets exp itself (flask-jwt-extended) or checks age at load time
    kind: str  # "refresh" or "access"
    identity: Optional[Ref] = None  # flask-jwt-extended identity= (becomes `sub`)
    expires: Optional[Ref] = None  # flask-jwt-extended expires_delta= / itsdangerous expires_in=
    id_token: bool = False  # an OpenID Connect ID token (claims like email are defined there)
    claim_refs: List[Tuple[Optional[str], Ref]] = field(default_factory=list)


def _arg(call: cst.Call, index: Optional[int], *keywords: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg
    if index is None:
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if any(a.star for a in call.args[: index + 1]):
        return None  # *args: positions are unknown
    return positional[index] if index < len(positional) else None


def _ref(ctx, arg: Optional[cst.Arg]) -> Optional[Ref]:
    return Ref(arg.value, ctx.scope) if arg is not None else None


def _serializer_class(qualname: str, method: str) -> Optional[str]:
    """'itsdangerous.url_safe.URLSafeTimedSerializer().dumps' -> 'URLSafeTimedSerializer'."""
    suffix = f"().{method}"
    if not qualname.startswith(_ITSDANGEROUS + ".") or not qualname.endswith(suffix):
        return None
    cls = qualname[: -len(suffix)].rsplit(".", 1)[-1]
    return cls


def mint_at(ctx, call: cst.Call) -> Optional[Mint]:
    """The token minted by this call, or None when the call does not mint one (memoised per file:
    both families ask about the same calls)."""
    cache = ctx.__dict__.setdefault("_token_mints", {})
    if id(call) not in cache:
        cache[id(call)] = _mint_at(ctx, call)
    return cache[id(call)]


def _mint_at(ctx, call: cst.Call) -> Optional[Mint]:
    qualname = ctx.qualname(call.func)
    if not qualname:
        return None
    mint: Optional[Mint] = None
    if qualname in _JWT_PAYLOAD_FIRST:
        mint = Mint(call, _JWT_PAYLOAD_FIRST[qualname], _ref(ctx, _arg(call, 0, "payload", "claims")), None, False, "access")
    elif qualname in _JWT_PAYLOAD_SECOND:
        mint = Mint(call, _JWT_PAYLOAD_SECOND[qualname], _ref(ctx, _arg(call, 1, "payload", "claims")), None, False, "access")
    elif qualname in _FLASK_JWT:
        kind = _FLASK_JWT[qualname]
        # create_access_token(identity, fresh, expires_delta, additional_claims, ...)
        # create_refresh_token(identity, expires_delta, additional_claims, ...)
        offset = 0 if kind == "refresh" else 1
        mint = Mint(
            call, "flask-jwt-extended", _ref(ctx, _arg(call, 2 + offset, "additional_claims")), None, True, kind,
            identity=_ref(ctx, _arg(call, 0, "identity")), expires=_ref(ctx, _arg(call, 1 + offset, "expires_delta")),
        )
    elif qualname in (f"{_DJANGO_SIGNING}.dumps", f"{_DJANGO_SIGNING}.TimestampSigner().sign_object",
                      f"{_DJANGO_SIGNING}.Signer().sign_object"):
        mint = Mint(call, _DJANGO_SIGNING, _ref(ctx, _arg(call, 0, "obj")), None, True, "access")
    else:
        cls = _serializer_class(qualname, "dumps")
        if cls in _ITSDANGEROUS_SERIALIZERS:
            mint = Mint(call, _ITSDANGEROUS, _ref(ctx, _arg(call, 0, "obj")), None, True, "access")
            if cls == "TimedJSONWebSignatureSerializer":
                mint.expires = _serializer_expires_in(ctx, call)
    if mint is None:
        return None
    if mint.payload is not None:
        value = ctx.resolve(mint.payload.node)
        if isinstance(value, DictValue):
            mint.claims = value
            mint.claim_refs = [(key if isinstance(key, str) else None, ref) for key, ref in value.entries.items()]
    mint.kind = "refresh" if mint.kind == "refresh" else token_kind(ctx, call, mint.claims)
    mint.id_token = _is_id_token(ctx, call, mint)
    return mint


def _serializer_expires_in(ctx, call: cst.Call) -> Optional[Ref]:
    """itsdangerous < 2.1: `s = TimedJSONWebSignatureSerializer(key, expires_in=...)`; `s.dumps(...)`."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    target = func.value
    if isinstance(target, cst.Name):
        owner, bindings = ctx.scope.lookup(target.value)
        if owner is None or len(bindings) != 1 or not isinstance(bindings[0].value, cst.Call):
            return None
        constructor, scope = bindings[0].value, owner
    elif isinstance(target, cst.Call):
        constructor, scope = target, ctx.scope
    else:
        return None
    arg = _arg(constructor, 1, "expires_in")
    return Ref(arg.value, scope) if arg is not None else None


def has_exp(mint: Mint) -> bool:
    return mint.claims is not None and "exp" in mint.claims.entries


def mints_without_expiry(ctx, mint: Mint) -> bool:
    """A JWT whose resolved, complete payload has no `exp`, and that nothing else could fill in."""
    if mint.adds_exp or mint.claims is None or not mint.claims.complete or has_exp(mint):
        return False
    node = mint.payload.node if mint.payload is not None else None
    if isinstance(node, cst.Name) and _passed_elsewhere(ctx, node.value, mint.call):
        return False
    return True


def _passed_elsewhere(ctx, name: str, mint_call: cst.Call) -> bool:
    """`add_claims(payload)` before the mint may set exp in ways the resolver cannot see."""
    if cst.Call not in ctx.facts.wanted:
        return True  # calls were not collected: we cannot tell, so assume it was
    owner, _ = ctx.scope.lookup(name)
    before = ctx.info.order if ctx.info is not None else None
    for node, info in ctx.facts.collected:
        if not isinstance(node, cst.Call) or node is mint_call or info.scope is not owner:
            continue
        if before is not None and info.order > before:
            break
        if any(isinstance(arg.value, cst.Name) and arg.value.value == name for arg in node.args):
            return True
    return False


# --- simplejwt ------------------------------------------------------------------------------


def simplejwt_token_kind(ctx, expr: cst.CSTNode) -> Optional[str]:
    """'refresh' / 'access' when expr holds a simplejwt token, else None.

    `RefreshToken.for_user(user)`, `AccessToken()`, `refresh.access_token`, and `super().get_token(user)`
    / `cls.get_token(user)` inside the `get_token` override of a simplejwt serializer subclass."""
    if isinstance(expr, cst.Attribute) and expr.attr.value == "access_token":
        return "access" if simplejwt_token_kind(ctx, expr.value) else None
    qualname = ctx.qualname(expr) or ""
    token_class = _SIMPLEJWT_TOKEN.match(qualname)
    if token_class:
        return "refresh" if token_class.group(1) == "RefreshToken" else "access"
    if qualname in ("builtins.super().get_token()",) or _is_cls_get_token(expr):
        return "refresh" if _in_simplejwt_get_token(ctx) else None
    return None


def _is_cls_get_token(expr) -> bool:
    value = expr
    if isinstance(value, cst.Name):
        return False
    return (
        isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "get_token"
        and isinstance(value.func.value, (cst.Name, cst.Call))
    )


def _in_simplejwt_get_token(ctx) -> bool:
    scope = ctx.scope
    func = scope.function
    cls = scope.enclosing_class()
    if func is None or cls is None or func.name.value != "get_token":
        return False
    outer = cls.parent or ctx.facts.module_scope
    for base in cls.node.bases:
        if (ctx.qualname(base.value, outer) or "").startswith(_SIMPLEJWT + "."):
            return True
    return False


def simplejwt_claim_target(ctx, target: cst.CSTNode) -> Optional[Tuple[str, str]]:
    """For `token["email"] = ...` on a simplejwt token: (claim, kind); else None."""
    if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    if not isinstance(index, cst.Index):
        return None
    claim = ctx.resolve(index.value)
    if not isinstance(claim, str):
        return None
    base = target.value
    kind = None
    if isinstance(base, cst.Name):
        owner, bindings = ctx.scope.lookup(base.value)
        if owner is not None and len(bindings) == 1 and bindings[0].value is not None:
            kind = _with_scope(ctx, owner, lambda: simplejwt_token_kind(ctx, bindings[0].value))
    else:
        kind = simplejwt_token_kind(ctx, base)
    return (claim, kind) if kind else None


def _with_scope(ctx, scope, func):
    """Run func with ctx's current scope set to `scope` (names in a binding resolve in its owner)."""
    if ctx.scope is scope or ctx.info is None:
        return func()
    saved = ctx.info
    try:
        ctx.info = type(saved)(scope, saved.statement, saved.order)
        return func()
    finally:
        ctx.info = saved


# --- which calls check a timed signature ------------------------------------------------------


@dataclass
class TimedCheck:
    """`loads` / `unsign` of a timestamped signature; `max_age` None when not given."""

    call: cst.Call
    library: str
    max_age: Optional[Ref]


def check_at(ctx, call: cst.Call) -> Optional[TimedCheck]:
    qualname = ctx.qualname(call.func)
    if not qualname:
        return None
    if qualname == f"{_DJANGO_SIGNING}.loads":
        # loads(s, key=None, salt=..., serializer=..., max_age=None, fallback_keys=None)
        return TimedCheck(call, _DJANGO_SIGNING, _ref(ctx, _arg(call, 4, "max_age")))
    if qualname in (f"{_DJANGO_SIGNING}.TimestampSigner().unsign", f"{_DJANGO_SIGNING}.TimestampSigner().unsign_object"):
        index = 1 if qualname.endswith(".unsign") else None  # unsign_object(signed_obj, serializer=..., max_age=...)
        return TimedCheck(call, _DJANGO_SIGNING, _ref(ctx, _arg(call, index, "max_age")))
    cls = _serializer_class(qualname, "loads")
    if cls in ("URLSafeTimedSerializer", "TimedSerializer"):
        return TimedCheck(call, _ITSDANGEROUS, _ref(ctx, _arg(call, 1, "max_age")))
    if _serializer_class(qualname, "unsign") == "TimestampSigner":
        return TimedCheck(call, _ITSDANGEROUS, _ref(ctx, _arg(call, 1, "max_age")))
    return None


# --- lifetimes --------------------------------------------------------------------------------

NEVER = float("inf")
_EPOCH_LIKE = 1e9  # a number this large is a date (seconds since 1970), not a lifetime


def lifetime_of(ctx, ref: Ref, allow_number: bool = True) -> Optional[float]:
    """Seconds from an `exp` (now + X), a timedelta, or a number of seconds; NEVER for `False`;
    None when it cannot be told (read at run time, absolute timestamps, unknown names)."""
    value = ctx.resolver.resolve_ref(ref)
    if isinstance(value, TimePoint):
        return value.offset
    if isinstance(value, Duration):
        return value.seconds
    if value is False:
        return NEVER
    if allow_number and _is_number(value) and value < _EPOCH_LIKE:
        return float(value)
    return None


def exp_lifetime(ctx, mint: Mint) -> Optional[Tuple[float, Ref]]:
    """The lifetime a minted token is given (exp claim, expires_delta=, expires_in=)."""
    if mint.expires is not None:
        seconds = lifetime_of(ctx, mint.expires)
        return (seconds, mint.expires) if seconds is not None else None
    if mint.claims is not None and "exp" in mint.claims.entries:
        ref = mint.claims.entries["exp"]
        value = ctx.resolver.resolve_ref(ref)
        if isinstance(value, TimePoint):  # an absolute number is a fixed date, not a lifetime
            return value.offset, _defining(ref)
    return None


def _defining(ref: Ref) -> Ref:
    """`expire = now + timedelta(days=90)` then `{"exp": expire}`: the place the lifetime is written."""
    for _ in range(3):
        if not isinstance(ref.node, cst.Name):
            break
        owner, bindings = ref.scope.lookup(ref.node.value)
        if owner is None or owner.kind != "function" or len(bindings) != 1 or bindings[0].value is None:
            break
        ref = Ref(bindings[0].value, owner)
    return ref


def names_in(node: cst.CSTNode) -> Iterator[str]:
    """Identifiers an expression is built from (`now + timedelta(days=REFRESH_DAYS)` -> now, REFRESH_DAYS...)."""
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, cst.Attribute):
        yield node.attr.value
        yield from names_in(node.value)
    elif isinstance(node, cst.BinaryOperation):
        yield from names_in(node.left)
        yield from names_in(node.right)
    elif isinstance(node, cst.Call):
        yield from names_in(node.func)
        for arg in node.args:
            yield from names_in(arg.value)
    elif isinstance(node, cst.UnaryOperation):
        yield from names_in(node.expression)


# --- refresh or access -----------------------------------------------------------------------

_TYPE_CLAIMS = ("type", "typ", "token_type", "tokenType", "kind", "scope")


def is_refresh_name(name: Optional[str]) -> bool:
    return bool(name) and "refresh" in split_words(name)


def _assigned_names(ctx) -> List[str]:
    """Names the current statement assigns to (`refresh_token = jwt.encode(...)`)."""
    names: List[str] = []
    statement = ctx.info.statement if ctx.info is not None else None
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    names.extend(names_in(target.target))
            elif isinstance(small, cst.AnnAssign):
                names.extend(names_in(small.target))
    return names


def token_kind(ctx, call: cst.CSTNode, claims: Optional[DictValue] = None, extra_names=()) -> str:
    """'refresh' when the names around the mint say so (the variable or function it goes into,
    the payload's type claim, the constants of its lifetime); otherwise 'access'."""
    names = list(extra_names) + _assigned_names(ctx)
    func = ctx.scope.function
    if func is not None:
        names.append(func.name.value)
    if claims is not None:
        for key in _TYPE_CLAIMS:
            ref = claims.entries.get(key)
            if ref is not None:
                value = ctx.resolver.resolve_ref(ref)
                if isinstance(value, str):
                    names.append(value)
        exp = claims.entries.get("exp")
        if exp is not None:
            names.extend(names_in(exp.node))
    return "refresh" if any(is_refresh_name(n) for n in names) else "access"


def limit_for(config, kind: str) -> Tuple[int, str]:
    """(seconds, config key) of the policy for this kind of token."""
    if kind == "refresh":
        return config.max_refresh_token_lifetime, "max-refresh-token-lifetime"
    return config.max_access_token_lifetime, "max-access-token-lifetime"


def _is_id_token(ctx, call: cst.Call, mint: Mint) -> bool:
    """OpenID Connect ID tokens: ID-token-only claims (nonce, at_hash, auth_time...), python-jose's
    `access_token=` (it computes at_hash), or the token / function is named id_token."""
    if mint.claims is not None and ID_TOKEN_CLAIMS & set(k for k in mint.claims.entries if isinstance(k, str)):
        return True
    if mint.library == "python-jose" and _arg(call, None, "access_token") is not None:
        return True
    names = _assigned_names(ctx)
    if ctx.scope.function is not None:
        names.append(ctx.scope.function.name.value)
    return any(_says_id_token(n) for n in names)


def _says_id_token(name: str) -> bool:
    parts = split_words(name)
    return any(a == "id" and b == "token" for a, b in zip(parts, parts[1:])) or "idtoken" in parts


# --- framework settings ----------------------------------------------------------------------

# name -> kind; int values are seconds (flask-jwt-extended accepts int or timedelta)
FLASK_JWT_SETTINGS = {"JWT_ACCESS_TOKEN_EXPIRES": "access", "JWT_REFRESH_TOKEN_EXPIRES": "refresh"}
SETTINGS_DICTS = {
    "SIMPLE_JWT": {
        "ACCESS_TOKEN_LIFETIME": "access", "REFRESH_TOKEN_LIFETIME": "refresh",
        "SLIDING_TOKEN_LIFETIME": "access", "SLIDING_TOKEN_REFRESH_LIFETIME": "refresh",
    },
    "JWT_AUTH": {"JWT_EXPIRATION_DELTA": "access", "JWT_REFRESH_EXPIRATION_DELTA": "refresh"},  # djangorestframework-jwt
}
_UNITS = {
    "seconds": 1, "second": 1, "secs": 1, "sec": 1, "s": 1,
    "minutes": 60, "minute": 60, "mins": 60, "min": 60,
    "hours": 3600, "hour": 3600, "hrs": 3600, "hr": 3600, "h": 3600,
    "days": 86400, "day": 86400, "d": 86400, "weeks": 604800, "week": 604800,
}
_TOKEN_WORDS = {"token", "jwt"}
_EXPIRY_WORDS = {"expire", "expires", "expiry", "expiration", "exp", "lifetime", "ttl", "age", "life", "validity", "valid", "delta"}


@dataclass
class LifetimeSetting:
    name: str  # the setting or constant, as written
    kind: str  # access | refresh
    seconds: Optional[float]  # NEVER when switched off (False)
    node: cst.CSTNode  # the value to report


def named_lifetime_setting(ctx, name: str, value: cst.CSTNode, scope=None) -> Optional[LifetimeSetting]:
    """A setting or TTL constant named `name` and bound to `value`, when its lifetime is known:
    JWT_ACCESS_TOKEN_EXPIRES (timedelta, seconds or False), ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8
    (the unit comes from the name), REFRESH_TOKEN_LIFETIME = timedelta(days=90)."""
    ref = Ref(value, scope or ctx.scope)
    if name in FLASK_JWT_SETTINGS:
        seconds = lifetime_of(ctx, ref)
        return LifetimeSetting(name, FLASK_JWT_SETTINGS[name], seconds, value) if seconds is not None else None
    parts = split_words(name)
    if not (_TOKEN_WORDS & set(parts)) or not (_EXPIRY_WORDS & set(parts)):
        return None
    kind = "refresh" if "refresh" in parts else "access"
    resolved = ctx.resolver.resolve_ref(ref)
    if isinstance(resolved, Duration):
        return LifetimeSetting(name, kind, resolved.seconds, value)
    unit = _UNITS.get(parts[-1])
    if unit and _is_number(resolved):
        return LifetimeSetting(name, kind, float(resolved) * unit, value)
    return None


def dict_lifetime_settings(ctx, name: str, value: cst.CSTNode) -> List[LifetimeSetting]:
    """`SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(...)}` / `JWT_AUTH = {...}`."""
    keys = SETTINGS_DICTS.get(name)
    if keys is None:
        return []
    resolved = ctx.resolve(value)
    if not isinstance(resolved, DictValue):
        return []
    found = []
    for key, kind in keys.items():
        ref = resolved.entries.get(key)
        if ref is None:
            continue
        seconds = lifetime_of(ctx, ref, allow_number=False)
        if seconds is not None:
            found.append(LifetimeSetting(f"{name}[{key!r}]", kind, seconds, ref.node))
    return found


def is_config_object(node: cst.CSTNode) -> bool:
    """`app.config` / `self.config` / `config`: where Flask settings are written."""
    if isinstance(node, cst.Attribute):
        return node.attr.value == "config"
    return isinstance(node, cst.Name) and node.value in ("config", "app_config")


def unknown_or_external(value) -> bool:
    return value is UNKNOWN or isinstance(value, External)
