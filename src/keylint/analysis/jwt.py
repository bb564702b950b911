"""JWT libraries as keylint sees them: which calls decode a token, with which arguments, and
which values come from a token that was never verified.

The library model (argument names and positions, defaults) is written down here once:
- PyJWT 2.x: `jwt.decode(jwt, key="", algorithms=None, options=None, ..., audience=None,
  issuer=None, leeway=0)`; PyJWT 1.x: `decode(jwt, key="", verify=True, algorithms=None,
  options=None, ...)`. A bool in third position is 1.x's `verify`.
- python-jose: `jose.jwt.decode(token, key, algorithms=None, options=None, audience=None,
  issuer=None, subject=None, access_token=None)`; leeway lives in `options["leeway"]`.
- authlib: `jwt.decode(s, key, claims_cls=None, claims_options=None, claims_params=None)`,
  claims checked only by `claims.validate()`.
- joserfc: `jwt.decode(value, key, algorithms=None, registry=None)`, claims checked only by a
  `JWTClaimsRegistry(...).validate(token.claims)`.
- jwcrypto: `JWT(header=None, claims=None, jwt=None, key=None, ...)`, `JWT().deserialize(jwt,
  key=None)`, `JWS().deserialize(raw_jws, key=None, alg=None)`: without a key nothing is verified
  until `.validate(key)` / `.verify(key)`.
- flask-jwt-extended: `decode_token(encoded_token, csrf_value=None, allow_expired=False)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import libcst as cst

from keylint.analysis.facts import Scope
from keylint.analysis.values import UNKNOWN, DictValue, Duration, SeqValue
from keylint.analysis.words import split_words

# --- the libraries' decode calls ----------------------------------------------------------------

_PYJWT_MODULES = ("jwt", "jwt.api_jwt", "jwt.PyJWT()", "jwt.api_jwt.PyJWT()")
_PYJWS_MODULES = ("jwt.api_jws", "jwt.PyJWS()", "jwt.api_jws.PyJWS()")
PYJWT_DECODE = frozenset(f"{m}.{f}" for m in _PYJWT_MODULES for f in ("decode", "decode_complete"))
PYJWS_DECODE = frozenset(f"{m}.{f}" for m in _PYJWS_MODULES for f in ("decode", "decode_complete"))
JOSE_DECODE = frozenset({"jose.jwt.decode"})
JOSE_JWS_VERIFY = frozenset({"jose.jws.verify"})
AUTHLIB_DECODE = frozenset(
    f"{m}.decode" for m in ("authlib.jose.jwt", "authlib.jose.JsonWebToken()", "authlib.jose.rfc7519.jwt",
                            "authlib.jose.rfc7519.JsonWebToken()")
)
JOSERFC_DECODE = frozenset({"joserfc.jwt.decode"})
JWCRYPTO_JWT = frozenset({"jwcrypto.jwt.JWT"})
JWCRYPTO_DESERIALIZE = frozenset({"jwcrypto.jwt.JWT().deserialize", "jwcrypto.jws.JWS().deserialize"})
FLASK_JWT_DECODE = frozenset({"flask_jwt_extended.decode_token", "flask_jwt_extended.utils.decode_token"})

HEADER_SOURCES = frozenset(
    {f"{m}.get_unverified_header" for m in ("jwt", *_PYJWS_MODULES, "jwt.PyJWT()")}
    | {f"{m}.{f}" for m in ("jose.jwt", "jose.jws") for f in ("get_unverified_header", "get_unverified_headers")}
)
CLAIMS_SOURCES = frozenset({"jose.jwt.get_unverified_claims", "jose.jws.get_unverified_claims"})

_PARAMS = {
    "pyjwt": ("jwt", "key", "algorithms", "options"),
    "pyjwt1": ("jwt", "key", "verify", "algorithms", "options"),
    "jose": ("jwt", "key", "algorithms", "options", "audience", "issuer", "subject", "access_token"),
    "jose-jws": ("jwt", "key", "algorithms", "verify"),
    "authlib": ("jwt", "key", "claims_cls", "claims_options", "claims_params"),
    "joserfc": ("jwt", "key", "algorithms", "registry"),
    "jwcrypto-jwt": ("header", "claims", "jwt", "key"),
    "jwcrypto-deserialize": ("jwt", "key", "alg"),
    "flask-jwt-extended": ("jwt", "csrf_value", "allow_expired"),
}

# Header fields a verifier legitimately reads before verifying: they only pick the key.
KEY_SELECTION_HEADERS = frozenset({"kid", "alg", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"})
# Claims a client reads from its own token to schedule a refresh, or a verifier reads to pick the
# issuer's keys: not a trust decision on their own.
ROUTING_CLAIMS = frozenset({"exp", "iat", "nbf", "iss"})

_KEY_WORDS = frozenset({"key", "keys", "secret", "jwk", "jwks", "keyset"})

_HS = re.compile(r"^HS\d+$", re.I)
_ASYMMETRIC = re.compile(r"^(?:(?:RS|PS|ES)\d+K?|EdDSA|Ed25519|Ed448)$", re.I)


def is_symmetric(alg: str) -> bool:
    return _HS.match(alg) is not None


def is_asymmetric(alg: str) -> bool:
    return _ASYMMETRIC.match(alg) is not None


# --- one decode call ----------------------------------------------------------------------------

MISSING = object()  # an argument or option that is certainly absent


@dataclass
class Decode:
    """A call that turns a token into claims, with its arguments bound to parameter names."""

    call: cst.Call
    scope: Scope
    order: int
    library: str  # pyjwt | pyjws | jose | jose-jws | authlib | joserfc | jwcrypto | flask-jwt-extended
    args: Dict[str, cst.BaseExpression]
    open: bool  # *args / **kwargs: an absent argument may still be passed
    options: object  # DictValue, MISSING (no options=) or UNKNOWN
    signature_off: Optional[str]  # how verification is switched off, when it is
    signature_known: bool  # False when options could not be resolved

    @property
    def verifies_signature(self) -> bool:
        return self.signature_known and self.signature_off is None

    def has(self, name: str) -> Optional[bool]:
        """True / False, or None when *args/**kwargs make it unknown."""
        if name in self.args:
            return True
        return None if self.open else False

    def option(self, resolver, name: str) -> object:
        """The resolved value of options[name], MISSING when certainly absent, UNKNOWN otherwise."""
        if self.options is MISSING:
            return MISSING
        if not isinstance(self.options, DictValue):
            return UNKNOWN
        ref = self.options.get(name)
        if ref is None:
            return MISSING if self.options.complete else UNKNOWN
        return resolver.resolve_ref(ref)

    @property
    def token(self) -> Optional[cst.BaseExpression]:
        return self.args.get("jwt")


def bind_arguments(call: cst.Call, params: Sequence[str]) -> Tuple[Dict[str, cst.BaseExpression], bool]:
    args: Dict[str, cst.BaseExpression] = {}
    open_ = False
    position = 0
    for arg in call.args:
        if arg.star:
            open_ = True
        elif arg.keyword is not None:
            args[arg.keyword.value] = arg.value
        else:
            if position < len(params):
                args[params[position]] = arg.value
            else:
                open_ = True
            position += 1
    return args, open_


def _library(qualname: Optional[str]) -> Optional[str]:
    if qualname is None:
        return None
    for names, library in (
        (PYJWT_DECODE, "pyjwt"), (PYJWS_DECODE, "pyjws"), (JOSE_DECODE, "jose"), (JOSE_JWS_VERIFY, "jose-jws"),
        (AUTHLIB_DECODE, "authlib"),
        (JOSERFC_DECODE, "joserfc"), (JWCRYPTO_JWT, "jwcrypto-jwt"), (JWCRYPTO_DESERIALIZE, "jwcrypto-deserialize"),
        (FLASK_JWT_DECODE, "flask-jwt-extended"),
    ):
        if qualname in names:
            return library
    return None


def _is_false(value) -> bool:
    return value is False or (isinstance(value, int) and not isinstance(value, bool) and value == 0)


# --- what a file's JWT calls look like -----------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A value read from a token that was not verified: its kind (header / claims), the fields read
    from it (None: the whole object) and the call that produced it."""

    kind: str
    keys: Optional[FrozenSet[str]]
    source: cst.Call

    def narrowed(self, key: Optional[str]) -> "Origin":
        if self.keys is not None:
            return self
        return Origin(self.kind, frozenset({key}) if key is not None else None, self.source)


class JwtFile:
    """Per-file JWT facts, computed on first use from the engine's collected nodes and shared by
    every KEY3 rule."""

    def __init__(self, ctx):
        self.ctx = ctx
        self._decodes: Dict[int, Optional[Decode]] = {}
        self._calls_by_scope: Optional[Dict[int, List[Tuple[cst.Call, object]]]] = None
        self._origins: Dict[Tuple[int, int], List[Origin]] = {}
        self._unverified_sources: Optional[bool] = None

    # --- decode calls ---------------------------------------------------------------------------
    def decode(self, call: cst.Call) -> Optional[Decode]:
        key = id(call)
        if key not in self._decodes:
            self._decodes[key] = self._classify(call)
        return self._decodes[key]

    def _classify(self, call: cst.Call) -> Optional[Decode]:
        info = self.ctx.facts.info.get(id(call))
        if info is None:
            return None
        scope = info.scope
        library = _library(self.ctx.qualname(call.func, scope))
        if library is None:
            return None
        resolve = lambda expr: self.ctx.resolver.resolve(expr, scope, info.order)  # noqa: E731
        params = _PARAMS.get(library, _PARAMS["pyjwt"])
        if library == "pyjwt" and len(call.args) > 2 and not call.args[2].keyword and not call.args[2].star:
            if isinstance(resolve(call.args[2].value), bool):
                params = _PARAMS["pyjwt1"]
        args, open_ = bind_arguments(call, params)
        family = "jwcrypto" if library.startswith("jwcrypto") else library
        decode = Decode(call, scope, info.order, family, args, open_, MISSING, None, True)
        if "options" in args:
            decode.options = resolve(args["options"])
            if not isinstance(decode.options, DictValue):
                decode.options = UNKNOWN
        elif open_:
            decode.options = UNKNOWN
        if library in ("pyjwt", "pyjws", "jose"):
            verify = resolve(args["verify"]) if "verify" in args else MISSING
            flag = decode.option(self.ctx.resolver, "verify_signature")
            if library != "jose" and _is_false(verify):
                decode.signature_off = f"verify={self.ctx.code(args['verify'])}"
            elif _is_false(flag):
                decode.signature_off = 'options={"verify_signature": False}'
            elif flag is UNKNOWN:
                decode.signature_known = False
        elif library == "jose-jws":
            if "verify" in args and _is_false(resolve(args["verify"])):
                decode.signature_off = f"verify={self.ctx.code(args['verify'])}"
        elif library == "authlib":
            if "key" not in args:
                decode.signature_off = "no key" if not open_ else None
                decode.signature_known = not open_
            elif resolve(args["key"]) is None:
                decode.signature_off = "key=None"
        elif library.startswith("jwcrypto"):
            has_token = "jwt" in args
            if has_token and "key" not in args and not open_:
                decode.signature_off = "deserialized without a key"
            elif has_token and "key" in args and resolve(args["key"]) is None:
                decode.signature_off = "key=None"
            elif not has_token:
                return None  # JWT(header=..., claims=...) builds a token, it decodes nothing
        return decode

    def resolve_at(self, decode: Decode, expr: cst.BaseExpression):
        return self.ctx.resolver.resolve(expr, decode.scope, decode.order)

    def algorithms(self, decode: Decode) -> Optional[Tuple[List[str], bool]]:
        """The algorithm names of `algorithms=` that resolve, and whether the list is fully known;
        None when there is no such argument or it does not resolve to a list or string."""
        expr = decode.args.get("algorithms")
        if expr is None:
            return None
        value = self.resolve_at(decode, expr)
        if isinstance(value, str):
            return [value], True
        if not isinstance(value, SeqValue):
            return None
        names, complete = [], value.complete
        for item in value.items:
            resolved = self.ctx.resolver.resolve_ref(item)
            if isinstance(resolved, str):
                names.append(resolved)
            else:
                complete = False
        return names, complete

    def seconds(self, decode: Decode, expr: cst.BaseExpression) -> Optional[float]:
        value = self.resolve_at(decode, expr)
        if isinstance(value, Duration):
            return value.seconds
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return None

    # --- calls by function -------------------------------------------------------------------------
    def calls_in(self, scope: Scope) -> List[Tuple[cst.Call, object]]:
        """Every call made directly in this scope (function, class body or module), with its info."""
        if self._calls_by_scope is None:
            self._calls_by_scope = {}
            for node, info in self.ctx.facts.collected:
                if isinstance(node, cst.Call):
                    self._calls_by_scope.setdefault(id(info.scope), []).append((node, info))
        return self._calls_by_scope.get(id(scope), [])

    def decodes_in(self, scope: Scope) -> List[Decode]:
        out = []
        for call, _info in self.calls_in(scope):
            decode = self.decode(call)
            if decode is not None:
                out.append(decode)
        return out

    def verified_again(self, scope: Scope, token: Optional[cst.BaseExpression]) -> bool:
        """The peek-then-verify pattern: this function also decodes the same token with its
        signature verified."""
        if token is None:
            return False
        text = self.ctx.code(token).strip()
        for decode in self.decodes_in(scope):
            if decode.verifies_signature and decode.token is not None and self.ctx.code(decode.token).strip() == text:
                return True
        return False

    def hands_over(self, scope: Scope, name: str) -> bool:
        """The decoded object leaves the function whole: `return claims`, `return token.claims`,
        `return Claims(token.claims, ...)` (needs a rule with a visit_Return handler)."""
        for node, info in self.ctx.facts.collected:
            if not isinstance(node, cst.Return) or info.scope is not scope or node.value is None:
                continue
            value = node.value
            if isinstance(value, cst.Attribute):
                value = value.value
            if isinstance(value, cst.Name) and value.value == name:
                return True
            if isinstance(value, cst.Call) and any(name in names_used(arg.value) for arg in value.args):
                return True
        return False

    def checked_by_call(self, scope: Scope, name: str) -> bool:
        """A call named like validate / verify takes the decoded object, directly or through a
        local made from it: `claims.validate()`, `registry.validate(token.claims)`,
        `self.verify_claims(token.claims)`, `c = ClaimsCls(token.claims); c.validate()`."""
        for call, _info in self.calls_in(scope):
            func = call.func
            callee = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
            if not set(split_words(callee)) & {"validate", "verify"}:
                continue
            used = names_used(call)
            if name in used or any(name in self._local_inputs(scope, local) for local in used):
                return True
        return False

    def _local_inputs(self, scope: Scope, local: str) -> set:
        bindings = scope.bindings.get(local, [])
        if len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
            return names_used(bindings[0].value)
        return set()

    def picks_key(self, scope: Scope, name: str) -> bool:
        """`name` (an unverified header / claims) only feeds a variable named like a key:
        `secret = key_for(unverified_claims)` -- the peek before a verification elsewhere."""
        for local, bindings in scope.bindings.items():
            if local == name or not set(split_words(local)) & _KEY_WORDS:
                continue
            if any(b.kind == "assign" and b.value is not None and name in names_used(b.value) for b in bindings):
                return True
        return False

    def attributes_read(self, scope: Scope, receiver: str) -> set:
        """Attribute names read on `receiver` in this scope (needs a rule with visit_Attribute)."""
        out = set()
        for node, info in self.ctx.facts.collected:
            if isinstance(node, cst.Attribute) and info.scope is scope:
                if isinstance(node.value, cst.Name) and node.value.value == receiver:
                    out.add(node.attr.value)
        return out

    def method_calls_on(self, scope: Scope, receiver: str, methods: Sequence[str]) -> List[cst.Call]:
        """Calls `<receiver>.<method>(...)` in this scope."""
        out = []
        for call, _info in self.calls_in(scope):
            func = call.func
            if (isinstance(func, cst.Attribute) and func.attr.value in methods
                    and isinstance(func.value, cst.Name) and func.value.value == receiver):
                out.append(call)
        return out

    # --- unverified values ------------------------------------------------------------------------
    def unverified_kind(self, call: cst.Call, scope: Scope) -> Optional[str]:
        qualname = self.ctx.qualname(call.func, scope)
        if qualname in HEADER_SOURCES:
            return "header"
        if qualname in CLAIMS_SOURCES:
            return "claims"
        decode = self.decode(call)
        if decode is not None and decode.library in ("pyjwt", "pyjws", "jose", "jose-jws") and decode.signature_off:
            return "claims"
        return None

    @property
    def has_unverified_sources(self) -> bool:
        if self._unverified_sources is None:
            self._unverified_sources = any(
                isinstance(node, cst.Call) and self.unverified_kind(node, info.scope)
                for node, info in self.ctx.facts.collected
            )
        return self._unverified_sources

    def origins(self, expr: cst.CSTNode, scope: Scope, _depth: int = 0) -> List[Origin]:
        """Where expr's value comes from an unverified token: `get_unverified_claims(t)["sub"]`,
        a local bound to one, `header.get("alg")`..."""
        key = (id(expr), id(scope))
        if key in self._origins:
            return self._origins[key]
        self._origins[key] = []  # cycle guard
        result = self._compute_origins(expr, scope, _depth) if _depth < 8 else []
        self._origins[key] = result
        return result

    def _compute_origins(self, expr: cst.CSTNode, scope: Scope, depth: int) -> List[Origin]:
        if isinstance(expr, cst.Call):
            kind = self.unverified_kind(expr, scope)
            if kind is not None:
                return [Origin(kind, None, expr)]
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value == "get" and expr.args:
                inner = self.origins(func.value, scope, depth)
                if inner:
                    field_name = self.ctx.resolver.resolve(expr.args[0].value, scope)
                    return [o.narrowed(field_name if isinstance(field_name, str) else None) for o in inner]
        if isinstance(expr, cst.Subscript):
            inner = self.origins(expr.value, scope, depth)
            if inner:
                field_name = None
                if len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
                    resolved = self.ctx.resolver.resolve(expr.slice[0].slice.value, scope)
                    field_name = resolved if isinstance(resolved, str) else None
                return [o.narrowed(field_name) for o in inner]
        if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1:
            target = expr.comparisons[0]
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                inner = self.origins(target.comparator, scope, depth)
                if inner:  # `"exp" in claims` reads one field, not the whole object
                    field_name = self.ctx.resolver.resolve(expr.left, scope)
                    named = field_name if isinstance(field_name, str) else None
                    return [o.narrowed(named) for o in inner] + self.origins(expr.left, scope, depth)
        if isinstance(expr, cst.Name):
            if set(split_words(expr.value)) & _KEY_WORDS:
                return []  # a key chosen by the unverified token is the peek: verifying with it decides
            owner, bindings = scope.lookup(expr.value)
            if owner is not None and len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
                return self.origins(bindings[0].value, owner, depth + 1)
            return []
        if isinstance(expr, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            return []
        out: List[Origin] = []
        for child in expr.children:
            out.extend(self.origins(child, scope, depth))
        return out


def jwt_file(ctx) -> JwtFile:
    """The JwtFile of the file ctx is checking (one per file, shared by the KEY3 rules). It lives on
    the context, so it goes with the file: a module-level table keyed by ctx, with JwtFile holding
    ctx, kept every such file's tree alive for the rest of the scan."""
    found = ctx.__dict__.get("_jwt_file")
    if found is None:
        found = ctx.__dict__["_jwt_file"] = JwtFile(ctx)
    return found


def names_used(expr: cst.CSTNode) -> set:
    """The plain names an expression reads (a small walk over one expression)."""
    out = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            out.add(node.value)
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)  # the attribute's own name is not a variable
        else:
            stack.extend(node.children)
    return out


def assigned_name(statement: Optional[cst.CSTNode], call: cst.CSTNode) -> Optional[str]:
    """`name = <call>` (or `name = await <call>`, `name: T = <call>`): the name, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    value = getattr(small, "value", None)
    if isinstance(value, cst.Await):
        value = value.expression
    if value is not call:
        return None
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value
    return None


def returned_whole(statement: Optional[cst.CSTNode], call: cst.CSTNode) -> bool:
    """`return <call>`: the result leaves the function as it is."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    value = small.value if isinstance(small, cst.Return) else None
    if isinstance(value, cst.Await):
        value = value.expression
    return value is call


def function_words(scope: Scope) -> Tuple[str, ...]:
    func = scope.node
    if isinstance(func, cst.FunctionDef):
        return split_words(func.name.value)
    return ()
