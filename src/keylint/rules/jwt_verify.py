"""KEY3xx: JWTs decoded without checking who signed them, with which algorithm, until when and for whom.

Libraries: PyJWT (`jwt`), python-jose (`jose.jwt`), authlib (`authlib.jose`), joserfc, jwcrypto and
flask-jwt-extended. Callees are resolved by qualified name: `from jose import jwt` is python-jose,
not PyJWT. The library model (parameters, positions, defaults) lives in analysis/jwt.py.
"""

from __future__ import annotations

from typing import List, Optional, Set

import libcst as cst

from keylint.analysis.jwt import (
    KEY_SELECTION_HEADERS, MISSING, ROUTING_CLAIMS, Decode, Origin, assigned_name, function_words,
    is_asymmetric, is_symmetric, jwt_file, returned_whole,
)
from keylint.analysis.values import UNKNOWN, DictValue, SeqValue
from keylint.analysis.words import split_words
from keylint.config import format_duration
from keylint.findings import Confidence, Severity
from keylint.rules.base import Rule

_CLAIMS_LIBRARIES = ("pyjwt", "jose")  # decoders that also check exp / aud / iss
_ALGORITHM_LIBRARIES = ("pyjwt", "pyjws", "jose", "joserfc")


class _JwtRule(Rule):
    """Shared plumbing for the KEY3 family (no code: not registered)."""


    @property
    def jwt(self):
        return jwt_file(self.ctx)

    def decode(self, node: cst.Call) -> Optional[Decode]:
        return self.jwt.decode(node)


class JwtSignatureNotVerified(_JwtRule):
    """Decoding a JWT without verifying its signature.

    What it does
    Flags decodes that skip the signature check: PyJWT and python-jose `options={"verify_signature":
    False}`, PyJWT 1.x `verify=False`, python-jose `jws.verify(..., verify=False)`, authlib
    `jwt.decode` without a key, and jwcrypto tokens deserialized without a key whose payload is read
    without `.validate(key)` / `.verify(key)`. Reading a token unverified only to pick the key, then decoding the same token with
    verification in the same function (the peek-then-verify pattern), is not reported.

    Why is this bad?
    Without the signature check anyone can write a token with any claims (`"sub": "admin"`) and it
    is accepted. With verification off PyJWT also skips `exp`, `aud` and `iss`.

    Example
    ```python
    claims = jwt.decode(token, options={"verify_signature": False})
    ```

    Use instead
    ```python
    claims = jwt.decode(token, public_key, algorithms=["RS256"], audience="my-api")
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation
    - https://cwe.mitre.org/data/definitions/347.html
    """

    code = "KEY301"
    name = "jwt-signature-not-verified"
    severity = Severity.ERROR
    cwe = 347
    message = "JWT decoded without verifying its signature ({how}): {fix}"
    examples_bad = [
        'import jwt\nclaims = jwt.decode(token, options={"verify_signature": False})\n',
        "import jwt as pyjwt\nNO_CHECK = dict(verify_signature=False)\npyjwt.decode(token, key, algorithms=['HS256'], options=NO_CHECK)\n",
        "import jwt\npayload = jwt.decode(token, SECRET, verify=False)  # PyJWT 1.x\n",
        'from jose import jwt\nclaims = jwt.decode(token, key, options={"verify_signature": False})\n',
        "from authlib.jose import jwt\nclaims = jwt.decode(token)\n",
        "from jose import jws\npayload = jws.verify(token, key, ['HS256'], verify=False)\n",
        "from jwcrypto import jwt\ndef read(raw):\n    token = jwt.JWT(jwt=raw)\n    return token.token.objects['payload']\n",
        "from jwcrypto.jws import JWS\ndef payload(raw):\n    jws = JWS()\n    jws.deserialize(raw)\n    return jws.objects['payload']\n",
    ]
    examples_good = [
        'import jwt\nclaims = jwt.decode(token, key, algorithms=["RS256"], audience="api", options={"require": ["exp"]})\n',
        # peek at the unverified issuer to find its keys, then verify the same token
        "import jwt\ndef verify(token):\n    issuer = jwt.decode(token, options={'verify_signature': False})['iss']\n"
        "    return jwt.decode(token, KEYS[issuer], algorithms=['RS256'], audience='api')\n",
        "from jwcrypto import jwt\ndef read(raw, key):\n    token = jwt.JWT(jwt=raw, key=key)\n    return token.claims\n",
        "from jwcrypto.jws import JWS\ndef payload(raw, key):\n    jws = JWS()\n    jws.deserialize(raw)\n    jws.verify(key)\n    return jws.payload\n",
        # not PyJWT: a local helper that happens to be called decode
        "def decode(token, options=None):\n    return token\nclaims = decode(t, options={'verify_signature': False})\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or not decode.signature_off:
            return
        if decode.library == "jwcrypto" and not self._payload_read_unverified(node):
            return
        if decode.library in ("pyjwt", "pyjws", "jose", "jose-jws") and self._peek(decode):
            return
        if decode.library == "jwcrypto":
            fix = "pass `key=` or call `.validate(key)` / `.verify(key)` before reading the payload"
        elif decode.library == "authlib":
            fix = "pass the issuer's key (a JWK set for OIDC)"
        else:
            fix = "pass the issuer's key and `algorithms=` and keep verification on"
        self.report(node, how=decode.signature_off, fix=fix)

    def _peek(self, decode: Decode) -> bool:
        """Read unverified only to find the key: the same function verifies the same token, or the
        result only feeds a key lookup and the token goes on to another call (the verifier)."""
        if self.jwt.verified_again(decode.scope, decode.token):
            return True
        name = assigned_name(self.ctx.info.statement if self.ctx.info else None, decode.call)
        if name is None or decode.token is None or not self.jwt.picks_key(decode.scope, name):
            return False
        token = self.ctx.code(decode.token).strip()
        return any(
            call is not decode.call and any(self.ctx.code(arg.value).strip() == token for arg in call.args)
            and info.order > decode.order
            for call, info in self.jwt.calls_in(decode.scope)
        )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """Nothing to check here: declaring it makes the engine collect attribute reads (jwcrypto)."""

    def _payload_read_unverified(self, node: cst.Call) -> bool:
        """jwcrypto: `x = JWT(jwt=raw)` / `x.deserialize(raw)` without a key, then `x.claims` /
        `x.payload` / `x.objects` / `x.token` read and no `x.validate(key)` / `x.verify(key)`.
        Reading only `x.jose_header` (to find the key) is the peek before verifying."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "deserialize" and isinstance(func.value, cst.Name):
            receiver = func.value.value
        else:
            receiver = assigned_name(self.ctx.info.statement if self.ctx.info else None, node)
        if receiver is None:
            return True  # the unverified object is used right away
        if self.jwt.method_calls_on(self.ctx.scope, receiver, ("validate", "verify")):
            return False
        return bool(self.jwt.attributes_read(self.ctx.scope, receiver) & {"claims", "payload", "objects", "token"})


class JwtUnverifiedClaimsTrusted(_JwtRule):
    """Claims from a JWT whose signature was never checked decide something.

    What it does
    Follows the values returned by `get_unverified_claims` / `get_unverified_header` (python-jose,
    PyJWT) and by decodes with `verify_signature` off, and flags them when they reach a decision:
    an `if` / `while` / `assert` test, a lookup (`User.query.get(claims["sub"])`, `ROLES[...]`), or a
    `return` from an auth function (`get_current_user`, `authenticate`...). Not reported: reading the
    header's key-selection fields (`kid`, `alg`, `jku`, `x5t`...), the time claims a client reads to
    schedule a refresh (`exp`, `iat`, `nbf`) or `iss` to pick the issuer's keys, and any peek when the
    same function decodes the same token with verification.

    Why is this bad?
    Unverified claims are whatever the sender wrote. Deciding on them lets anyone claim any user or
    role.

    Example
    ```python
    claims = jwt.get_unverified_claims(token)
    if claims["role"] == "admin":
        grant_admin()
    ```

    Use instead
    ```python
    claims = jwt.decode(token, key, algorithms=["RS256"], audience="my-api")
    if claims["role"] == "admin":
        grant_admin()
    ```

    References
    - https://python-jose.readthedocs.io/en/latest/jwt/api.html
    - https://cwe.mitre.org/data/definitions/345.html
    """

    code = "KEY302"
    name = "jwt-unverified-claims-trusted"
    severity = Severity.ERROR
    confidence = Confidence.MEDIUM
    cwe = 345
    message = "{what} from an unverified JWT ({source}) decides {use}: decode the token with its key and `algorithms=` before trusting it"
    examples_bad = [
        "from jose import jwt\ndef is_admin(token):\n    claims = jwt.get_unverified_claims(token)\n"
        "    if claims['role'] == 'admin':\n        return True\n    return False\n",
        "from jose import jwt\ndef get_current_user(token):\n    return jwt.get_unverified_claims(token)['sub']\n",
        "import jwt\ndef load(token):\n    payload = jwt.decode(token, options={'verify_signature': False})\n"
        "    user_id = payload.get('user_id')\n    return User.objects.get(pk=user_id)\n",
    ]
    examples_good = [
        # peek-then-verify: the header only picks the key, then the same token is verified
        "import jwt\ndef verify(token):\n    header = jwt.get_unverified_header(token)\n"
        "    if header['kid'] not in KEYS:\n        raise ValueError('unknown key')\n"
        "    return jwt.decode(token, KEYS[header['kid']], algorithms=['RS256'], audience='api')\n",
        # a client reading its own token's expiry to refresh it
        "from jose import jwt\ndef needs_refresh(token):\n    claims = jwt.get_unverified_claims(token)\n"
        "    if claims['exp'] < time.time() + 60:\n        return True\n    return False\n",
        "from jose import jwt\ndef get_current_user(token):\n    claims = jwt.decode(token, KEY, algorithms=['HS256'])\n"
        "    if claims['role'] == 'admin':\n        return claims['sub']\n",
    ]

    def __init__(self, ctx):
        super().__init__(ctx)
        self._reported: Set[int] = set()

    def visit_If(self, node: cst.If) -> None:
        self._decision(node.test, node.test, "an `if`")

    def visit_While(self, node: cst.While) -> None:
        self._decision(node.test, node.test, "a `while`")

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._decision(node.test, node.test, "a conditional")

    def visit_Assert(self, node: cst.Assert) -> None:
        self._decision(node.test, node.test, "an `assert`")

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is None or not set(function_words(self.ctx.scope)) & _AUTH_WORDS:
            return
        self._decision(node, node.value, "what an auth function returns")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualname = self.ctx.qualname(func) or ""
        if isinstance(func, cst.Attribute) and func.attr.value in _LOOKUP_METHODS:
            receiver = func.value
        elif qualname.rsplit(".", 1)[-1] in ("get_object_or_404", "get_list_or_404"):
            receiver = None
        else:
            return
        if not self.jwt.has_unverified_sources:
            return
        if receiver is not None and self.jwt.origins(receiver, self.ctx.scope):
            return  # claims.get("sub") reads the claims, it does not look anything up with them
        for arg in node.args:
            if self._decision(node, arg.value, "a lookup"):
                return

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        if not self.jwt.has_unverified_sources or self.jwt.origins(node.value, self.ctx.scope):
            return
        self._decision(node, node.slice[0].slice.value, "a lookup")

    def _decision(self, report_at: cst.CSTNode, expr: cst.CSTNode, use: str) -> bool:
        if not self.jwt.has_unverified_sources:
            return False
        for origin in self.jwt.origins(expr, self.ctx.scope):
            if id(origin.source) in self._reported or not self._trusting(origin):
                continue
            self._reported.add(id(origin.source))
            what = "A header field" if origin.kind == "header" else "A claim"
            if origin.keys:
                what += " (" + ", ".join(sorted(origin.keys)) + ")"
            source = self.ctx.code(origin.source.func)
            self.report(report_at, what=what, source=f"{source}(...)", use=use)
            return True
        return False

    def _trusting(self, origin: Origin) -> bool:
        if origin.kind == "header":
            if origin.keys is None or origin.keys <= KEY_SELECTION_HEADERS:
                return False
        elif origin.keys is not None and origin.keys <= ROUTING_CLAIMS:
            return False
        source_info = self.ctx.facts.info.get(id(origin.source))
        if source_info is None:
            return False
        if self.jwt.decode(origin.source) is not None and source_info.statement is self.ctx.info.statement:
            return False  # the unverified decode on this very line is already KEY301
        token = origin.source.args[0].value if origin.source.args and not origin.source.args[0].keyword else None
        return not self.jwt.verified_again(source_info.scope, token)


_AUTH_WORDS = frozenset({
    "auth", "authenticate", "authenticated", "authorize", "authorise", "authorization", "user", "identity",
    "principal", "current", "login", "permission", "permissions", "role", "roles", "admin", "tenant", "access",
})
_LOOKUP_METHODS = frozenset({
    "get", "get_or_404", "filter", "filter_by", "find", "find_one", "get_by_id", "get_user", "get_user_by_id",
    "load_user", "lookup",
})


class JwtAlgorithmsNotPinned(_JwtRule):
    """Decoding a JWT without `algorithms=`.

    What it does
    Flags PyJWT and python-jose decodes that verify the signature but do not say which algorithms
    are acceptable (no `algorithms=`, or `algorithms=None`).

    Why is this bad?
    The token's own header then chooses the algorithm. python-jose and PyJWT 1.x accept any
    algorithm the key fits, which opens key-confusion attacks (an RSA public key used as an HMAC
    secret); PyJWT 2 refuses to decode at all.

    Example
    ```python
    claims = jwt.decode(token, key)
    ```

    Use instead
    ```python
    claims = jwt.decode(token, key, algorithms=["RS256"])
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode
    - https://auth0.com/blog/critical-vulnerabilities-in-json-web-token-libraries/
    """

    code = "KEY303"
    name = "jwt-algorithms-not-pinned"
    severity = Severity.WARNING
    cwe = 327
    message = "JWT decoded without `algorithms=`: the token's header picks the algorithm; pass the one algorithm your issuer signs with, e.g. algorithms=[\"RS256\"]"
    examples_bad = [
        "from jose import jwt\nclaims = jwt.decode(token, key)\n",
        "import jwt\nclaims = jwt.decode(token, key, algorithms=None)\n",
        "from jwt import PyJWT\nclass Auth:\n    def __init__(self):\n        self.codec = PyJWT()\n"
        "    def claims(self, token):\n        return self.codec.decode(token, self.key)\n",
    ]
    examples_good = [
        "from jose import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'])\n",
        "import jwt\nclaims = jwt.decode(token, key, ['RS256'])\n",
        # signature off is KEY301; algorithms do not matter then
        "import jwt\nclaims = jwt.decode(token, options={'verify_signature': False})\n",
        "import jwt\ndef f(token, **kwargs):\n    return jwt.decode(token, key, **kwargs)\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or decode.library not in ("pyjwt", "pyjws", "jose") or not decode.verifies_signature:
            return
        present = decode.has("algorithms")
        if present is False or (present and self.jwt.resolve_at(decode, decode.args["algorithms"]) is None):
            self.report(node)


def _algorithm_list(rule: _JwtRule, node: cst.Call):
    decode = rule.decode(node)
    if decode is None or decode.library not in _ALGORITHM_LIBRARIES:
        return None, None
    return decode, rule.jwt.algorithms(decode)


class JwtNoneAlgorithm(_JwtRule):
    """Accepting the `none` algorithm.

    What it does
    Flags `algorithms=` lists (literal, constant or variable) that contain `"none"` in any case, for
    PyJWT, python-jose and joserfc.

    Why is this bad?
    A token with `"alg": "none"` carries no signature: whoever accepts it accepts any claims.

    Example
    ```python
    jwt.decode(token, key, algorithms=["HS256", "none"])
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["HS256"])
    ```

    References
    - https://auth0.com/blog/critical-vulnerabilities-in-json-web-token-libraries/
    - https://cwe.mitre.org/data/definitions/327.html
    """

    code = "KEY304"
    name = "jwt-none-algorithm"
    severity = Severity.ERROR
    cwe = 327
    message = "`{alg}` accepted in `algorithms=`: unsigned tokens pass; list only the algorithm your issuer signs with"
    examples_bad = [
        "import jwt\njwt.decode(token, key, algorithms=['HS256', 'none'])\n",
        "from jose import jwt\nALGS = ['RS256', 'NONE']\ndef claims(token):\n    return jwt.decode(token, KEY, algorithms=ALGS)\n",
    ]
    examples_good = [
        "import jwt\njwt.decode(token, key, algorithms=['HS256'])\n",
        "import json\njson.loads(data, algorithms=['none'])\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        _decode, algorithms = _algorithm_list(self, node)
        for alg in (algorithms[0] if algorithms else ()):
            if alg.strip().lower() == "none":
                self.report(node, alg=alg)
                return


class JwtAlgorithmFromToken(_JwtRule):
    """Taking the accepted algorithms from the token's own header.

    What it does
    Flags `algorithms=` built from `get_unverified_header(token)["alg"]` (directly or through a
    variable), for PyJWT, python-jose and joserfc.

    Why is this bad?
    The attacker writes the header. Pinning the algorithm to whatever the token says is the same as
    not pinning it: an HS256 token "signed" with your RSA public key, or an `alg: none` token, passes.

    Example
    ```python
    header = jwt.get_unverified_header(token)
    jwt.decode(token, key, algorithms=[header["alg"]])
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["RS256"])
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/algorithms.html#specifying-an-algorithm
    - https://cwe.mitre.org/data/definitions/347.html
    """

    code = "KEY305"
    name = "jwt-algorithm-from-token"
    severity = Severity.ERROR
    cwe = 347
    message = "`algorithms=` comes from the token's own unverified header: the attacker chooses it; list the algorithms you expect"
    examples_bad = [
        "import jwt\ndef verify(token, key):\n    alg = jwt.get_unverified_header(token)['alg']\n"
        "    return jwt.decode(token, key, algorithms=[alg], audience='api')\n",
        "from jose import jwt\ndef verify(token, key):\n    header = jwt.get_unverified_header(token)\n"
        "    return jwt.decode(token, key, algorithms=header.get('alg'))\n",
    ]
    examples_good = [
        "import jwt\ndef verify(token):\n    kid = jwt.get_unverified_header(token)['kid']\n"
        "    return jwt.decode(token, KEYS[kid], algorithms=['RS256'], audience='api')\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode, _algorithms = _algorithm_list(self, node)
        if decode is None or "algorithms" not in decode.args:
            return
        if self.jwt.origins(decode.args["algorithms"], decode.scope):
            self.report(node)


class JwtMixedAlgorithmFamilies(_JwtRule):
    """Symmetric and asymmetric algorithms accepted together.

    What it does
    Flags `algorithms=` lists that contain both an HMAC algorithm (HS256/384/512) and a public-key
    one (RS*, PS*, ES*, EdDSA), for PyJWT, python-jose and joserfc.

    Why is this bad?
    With one key variable serving both families, a token signed with HS256 using the RSA *public*
    key (which everyone has) as the HMAC secret verifies: the classic key-confusion attack.

    Example
    ```python
    jwt.decode(token, public_key, algorithms=["RS256", "HS256"])
    ```

    Use instead
    ```python
    jwt.decode(token, public_key, algorithms=["RS256"])
    ```

    References
    - https://auth0.com/blog/critical-vulnerabilities-in-json-web-token-libraries/
    - https://cwe.mitre.org/data/definitions/327.html
    """

    code = "KEY306"
    name = "jwt-mixed-algorithm-families"
    severity = Severity.ERROR
    cwe = 327
    message = "`algorithms=` mixes {symmetric} with {asymmetric}: key confusion lets a public key act as an HMAC secret; accept one family per key"
    examples_bad = [
        "import jwt\njwt.decode(token, key, algorithms=['RS256', 'HS256'])\n",
        "from jose import jwt\nALGORITHMS = ['ES256', 'hs512']\njwt.decode(token, key, algorithms=ALGORITHMS)\n",
    ]
    examples_good = [
        "import jwt\njwt.decode(token, key, algorithms=['RS256', 'ES256'])\n",
        "import jwt\njwt.decode(token, key, algorithms=['HS256', 'HS512'])\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        _decode, algorithms = _algorithm_list(self, node)
        if not algorithms:
            return
        symmetric = [a for a in algorithms[0] if is_symmetric(a)]
        asymmetric = [a for a in algorithms[0] if is_asymmetric(a)]
        if symmetric and asymmetric:
            self.report(node, symmetric=symmetric[0], asymmetric=asymmetric[0])


class JwtExpiryNotVerified(_JwtRule):
    """Accepting expired JWTs.

    What it does
    Flags PyJWT / python-jose `options={"verify_exp": False}`, a `leeway` (PyJWT keyword, seconds or
    timedelta; python-jose `options["leeway"]`) longer than `max-access-token-lifetime`, and
    flask-jwt-extended `decode_token(..., allow_expired=True)`.

    Why is this bad?
    Expiry is what limits the damage of a stolen token. Without it (or with a leeway longer than a
    token's whole life) a leaked token works forever.

    Example
    ```python
    jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["HS256"], leeway=30)
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/usage.html#expiration-time-claim-exp
    - https://cwe.mitre.org/data/definitions/613.html
    """

    code = "KEY307"
    name = "jwt-expiry-not-verified"
    severity = Severity.ERROR
    cwe = 613
    message = "JWT expiry not enforced ({how}): keep `exp` verified and the leeway to seconds"
    examples_bad = [
        "import jwt\njwt.decode(token, key, algorithms=['HS256'], options={'verify_exp': False})\n",
        "import jwt\nfrom datetime import timedelta\njwt.decode(token, key, algorithms=['HS256'], leeway=timedelta(days=7))\n",
        "from jose import jwt\njwt.decode(token, key, algorithms=['HS256'], options={'leeway': 86400 * 2})\n",
        "from flask_jwt_extended import decode_token\ndata = decode_token(refresh, allow_expired=True)\n",
    ]
    examples_good = [
        "import jwt\njwt.decode(token, key, algorithms=['HS256'], leeway=30)\n",
        "from flask_jwt_extended import decode_token\ndata = decode_token(refresh)\n",
        # signature off is already KEY301 (and switches exp off with it)
        "import jwt\njwt.decode(token, options={'verify_signature': False, 'verify_exp': False})\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None:
            return
        if decode.library == "flask-jwt-extended":
            if "allow_expired" in decode.args and self.jwt.resolve_at(decode, decode.args["allow_expired"]) is True:
                self.report(node, how="allow_expired=True")
            return
        if decode.library not in _CLAIMS_LIBRARIES or not decode.verifies_signature:
            return
        if decode.option(self.ctx.resolver, "verify_exp") is False:
            self.report(node, how="verify_exp=False")
            return
        leeway_expr = decode.args.get("leeway") if decode.library == "pyjwt" else None
        seconds = self.jwt.seconds(decode, leeway_expr) if leeway_expr is not None else None
        if seconds is None and isinstance(decode.options, DictValue) and decode.options.get("leeway") is not None:
            seconds = self.jwt.seconds(decode, decode.options.get("leeway").node)
        limit = self.ctx.config.max_access_token_lifetime
        if seconds is not None and seconds > limit:
            self.report(node, how=f"leeway of {format_duration(seconds)} is longer than the {format_duration(limit)} max token lifetime")


class JwtExpiryNotRequired(_JwtRule):
    """PyJWT decodes that accept a token without `exp`.

    What it does
    Flags verified PyJWT decodes whose `options` do not list `"exp"` in `"require"`.

    Why is this bad?
    PyJWT checks `exp` only when the token has one. A token minted without `exp` (by a bug, or by
    another service sharing the key) never expires.

    Example
    ```python
    jwt.decode(token, key, algorithms=["HS256"])
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp"]})
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode
    - https://cwe.mitre.org/data/definitions/613.html
    """

    code = "KEY308"
    name = "jwt-expiry-not-required"
    severity = Severity.NOTE
    cwe = 613
    message = "PyJWT accepts this token even with no `exp` at all: add options={{\"require\": [\"exp\"]}}"
    examples_bad = [
        "import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'])\n",
        "import jwt\nOPTS = {'require': ['iat']}\nclaims = jwt.decode(token, key, algorithms=['HS256'], options=OPTS)\n",
    ]
    examples_good = [
        "import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'], options={'require': ['exp', 'iat']})\n",
        "from jose import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'])\n",
        "import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'], options=load_options())\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or decode.library != "pyjwt" or not decode.verifies_signature or decode.options is UNKNOWN:
            return
        resolver = self.ctx.resolver
        if decode.option(resolver, "verify_exp") is False or decode.option(resolver, "require_exp") is True:
            return
        required = decode.option(resolver, "require")
        if required is MISSING:
            self.report(node)
        elif isinstance(required, SeqValue) and required.complete:
            if "exp" not in [resolver.resolve_ref(item) for item in required.items]:
                self.report(node)


class JwtAudienceNotVerified(_JwtRule):
    """Switching off the audience check.

    What it does
    Flags PyJWT / python-jose decodes with `options={"verify_aud": False}`.

    Why is this bad?
    The audience binds a token to the service it was issued for. Without the check, a token the same
    issuer minted for another application (or another tenant) is accepted here.

    Example
    ```python
    jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["RS256"], audience="https://api.example.com")
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/usage.html#audience-claim-aud
    - https://cwe.mitre.org/data/definitions/287.html
    """

    code = "KEY309"
    name = "jwt-audience-not-verified"
    severity = Severity.ERROR
    cwe = 287
    message = "JWT audience check switched off (verify_aud=False): pass `audience=` with this service's identifier"
    examples_bad = [
        "import jwt\njwt.decode(token, key, algorithms=['RS256'], options={'verify_aud': False})\n",
        "from jose import jwt\nOPTIONS = {'verify_aud': False, 'verify_exp': True}\njwt.decode(token, key, algorithms=['RS256'], options=OPTIONS)\n",
    ]
    examples_good = [
        "import jwt\njwt.decode(token, key, algorithms=['RS256'], audience='api', options={'verify_aud': True})\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or decode.library not in _CLAIMS_LIBRARIES or not decode.verifies_signature:
            return
        if decode.option(self.ctx.resolver, "verify_aud") is False:
            self.report(node)


class JwtAudienceMissing(_JwtRule):
    """Tokens from a shared or third-party issuer decoded without `audience=`.

    What it does
    Flags verified PyJWT / python-jose decodes without `audience=` when the token comes from an
    issuer that mints tokens for many clients: the key comes from a JWKS (`PyJWKClient`,
    `get_signing_key_from_jwt`, a `jwks` lookup) or only public-key algorithms (RS/PS/ES/EdDSA) are
    accepted. A self-issued token signed with the service's own HS* secret is not reported unless
    `require-audience = true`.

    Why is this bad?
    An identity provider signs tokens for every application it serves with the same key. Only the
    audience tells a token meant for this API from one minted for someone else's app.

    Example
    ```python
    key = jwks_client.get_signing_key_from_jwt(token).key
    jwt.decode(token, key, algorithms=["RS256"])
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["RS256"], audience="https://api.example.com")
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/usage.html#retrieve-rsa-signing-keys-from-a-jwks-endpoint
    - https://cwe.mitre.org/data/definitions/287.html
    """

    code = "KEY310"
    name = "jwt-audience-missing"
    severity = Severity.WARNING
    confidence = Confidence.MEDIUM
    cwe = 287
    message = "JWT from {issuer} decoded without `audience=`: tokens the issuer minted for other clients pass; pass this service's audience"
    examples_bad = [
        "import jwt\njwks = jwt.PyJWKClient(JWKS_URL)\ndef verify(token):\n"
        "    key = jwks.get_signing_key_from_jwt(token).key\n    return jwt.decode(token, key, algorithms=['RS256'])\n",
        "from jose import jwt\nclaims = jwt.decode(token, public_key, algorithms=['ES256'])\n",
    ]
    examples_good = [
        "import jwt\nclaims = jwt.decode(token, SECRET, algorithms=['HS256'], options={'require': ['exp']})\n",
        "import jwt\nclaims = jwt.decode(token, public_key, algorithms=['RS256'], audience='api')\n",
    ]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or decode.library not in _CLAIMS_LIBRARIES or not decode.verifies_signature:
            return
        if decode.has("audience") is not False:
            return
        verify_aud = decode.option(self.ctx.resolver, "verify_aud")
        if verify_aud is not MISSING and verify_aud is not True:
            return  # switched off (KEY309) or unknown
        issuer = self._shared_issuer(decode)
        if issuer is None and self.ctx.config.require_audience:
            issuer = "this issuer"
        if issuer is not None:
            self.report(node, issuer=issuer)

    def _shared_issuer(self, decode: Decode) -> Optional[str]:
        algorithms = self.jwt.algorithms(decode)
        if algorithms and algorithms[0] and all(is_symmetric(a) for a in algorithms[0]):
            return None  # the service's own HMAC secret: self-issued
        key = decode.args.get("key")
        if key is not None and _from_jwks(self, key, decode.scope, 0):
            return "a JWKS"
        if algorithms and algorithms[1] and algorithms[0] and all(is_asymmetric(a) for a in algorithms[0]):
            return f"a public-key issuer ({algorithms[0][0]})"
        return None


_JWKS_WORDS = frozenset({"jwks", "jwk", "oidc", "openid"})
_JWKS_CALLS = frozenset({"get_signing_key_from_jwt", "get_signing_key", "get_signing_keys", "PyJWKClient", "PyJWK"})


def _from_jwks(rule: _JwtRule, expr: cst.CSTNode, scope, depth: int) -> bool:
    """The key expression reads a JWKS / OIDC key set (through local variables, a few levels deep)."""
    if depth > 4:
        return False
    stack: List[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            if set(split_words(node.value)) & _JWKS_WORDS or node.value in _JWKS_CALLS:
                return True
            owner, bindings = scope.lookup(node.value)
            if owner is not None and len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
                if _from_jwks(rule, bindings[0].value, owner, depth + 1):
                    return True
            continue
        if isinstance(node, cst.Attribute):
            if node.attr.value in _JWKS_CALLS or set(split_words(node.attr.value)) & _JWKS_WORDS:
                return True
        stack.extend(node.children)
    return False


class JwtIssuerMissing(_JwtRule):
    """Verified decodes without `issuer=` (off by default).

    What it does
    Flags verified PyJWT / python-jose decodes without `issuer=`. Enabled by `require-issuer = true`
    or by selecting KEY311.

    Why is this bad?
    When several issuers share a key set (multi-tenant identity providers, staging and production),
    the issuer is what tells them apart.

    Example
    ```python
    jwt.decode(token, key, algorithms=["RS256"], audience="api")
    ```

    Use instead
    ```python
    jwt.decode(token, key, algorithms=["RS256"], audience="api", issuer="https://login.example.com/")
    ```

    References
    - https://pyjwt.readthedocs.io/en/stable/usage.html#issuer-claim-iss
    """

    code = "KEY311"
    name = "jwt-issuer-missing"
    severity = Severity.NOTE
    cwe = 287
    default_enabled = False
    message = "JWT decoded without `issuer=`: pass the expected issuer"
    examples_bad = ["import jwt\njwt.decode(token, key, algorithms=['RS256'], audience='api')\n"]
    examples_good = ["import jwt\njwt.decode(token, key, algorithms=['RS256'], audience='api', issuer=ISSUER)\n"]

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or decode.library not in _CLAIMS_LIBRARIES or not decode.verifies_signature:
            return
        if decode.has("issuer") is False and decode.option(self.ctx.resolver, "verify_iss") is not False:
            self.report(node)


class JwtClaimsNotValidated(_JwtRule):
    """authlib / joserfc decodes whose claims are never validated.

    What it does
    Flags `claims = jwt.decode(token, key)` (authlib) with no `claims.validate()` in the same function,
    and joserfc `token = jwt.decode(value, key)` with no claims registry `validate(token.claims)`.
    Any validate / verify call that takes the claims counts (`self.verify_claims(token.claims)`). A
    helper that returns the decoded claims whole (or wrapped, `return Claims(token.claims)`) leaves
    validation to its caller and is not reported.

    Why is this bad?
    These libraries only verify the signature in `decode`. `exp`, `nbf`, `iss` and `aud` are checked
    by `validate()`; without it an expired token is accepted.

    Example
    ```python
    claims = jwt.decode(token, public_key)
    return claims["sub"]
    ```

    Use instead
    ```python
    claims = jwt.decode(token, public_key, claims_options={"iss": {"essential": True, "value": ISSUER}})
    claims.validate()
    return claims["sub"]
    ```

    References
    - https://docs.authlib.org/en/latest/jose/jwt.html
    - https://jose.authlib.org/en/guide/jwt/#claims-validation
    """

    code = "KEY312"
    name = "jwt-claims-not-validated"
    severity = Severity.ERROR
    cwe = 613
    message = "{library} `decode` checks only the signature and these claims are never validated: call {fix} before using them"
    examples_bad = [
        "from authlib.jose import jwt\ndef user_id(token):\n    claims = jwt.decode(token, PUBLIC_KEY)\n    return claims['sub']\n",
        "from joserfc import jwt\ndef user_id(token, key):\n    token = jwt.decode(token, key)\n    return token.claims['sub']\n",
    ]
    examples_good = [
        "from authlib.jose import jwt\ndef user_id(token):\n    claims = jwt.decode(token, PUBLIC_KEY)\n"
        "    claims.validate()\n    return claims['sub']\n",
        "from joserfc import jwt\nREGISTRY = jwt.JWTClaimsRegistry(iss={'essential': True, 'value': 'me'})\n"
        "def user_id(raw, key):\n    token = jwt.decode(raw, key)\n    REGISTRY.validate(token.claims)\n    return token.claims['sub']\n",
        "from authlib.jose import jwt\ndef decode(token):\n    return jwt.decode(token, PUBLIC_KEY)\n",
    ]

    def __init__(self, ctx):
        super().__init__(ctx)
        self._pending = []

    def visit_Return(self, node: cst.Return) -> None:
        """Nothing to check here: declaring it makes the engine collect returns for finish()."""

    def visit_Call(self, node: cst.Call) -> None:
        decode = self.decode(node)
        if decode is None or decode.library not in ("authlib", "joserfc") or decode.signature_off:
            return
        statement = self.ctx.info.statement if self.ctx.info is not None else None
        if returned_whole(statement, node):
            return
        self._pending.append((node, decode, assigned_name(statement, node)))

    def finish(self) -> None:
        for node, decode, name in self._pending:
            if name is not None and (self.jwt.checked_by_call(decode.scope, name) or self.jwt.hands_over(decode.scope, name)):
                continue
            if decode.library == "authlib":
                self.report(node, library="authlib", fix="`claims.validate()`")
            else:
                self.report(node, library="joserfc", fix="`jwt.JWTClaimsRegistry(...).validate(token.claims)`")


class JwtVerificationDisabledSetting(_JwtRule):
    """djangorestframework-jwt settings that switch verification off.

    What it does
    Flags a module-level `JWT_AUTH = {...}` with `"JWT_VERIFY": False` or
    `"JWT_VERIFY_EXPIRATION": False` (also when set later with `JWT_AUTH["JWT_VERIFY"] = False`).

    Why is this bad?
    `JWT_VERIFY: False` accepts tokens with any signature; `JWT_VERIFY_EXPIRATION: False` makes every
    token ever issued valid forever.

    Example
    ```python
    JWT_AUTH = {"JWT_VERIFY_EXPIRATION": False}
    ```

    Use instead
    ```python
    JWT_AUTH = {"JWT_EXPIRATION_DELTA": datetime.timedelta(minutes=15)}
    ```

    References
    - https://jpadilla.github.io/django-rest-framework-jwt/#additional-settings
    """

    code = "KEY313"
    name = "jwt-verification-disabled-setting"
    severity = Severity.ERROR
    cwe = 347
    message = "JWT_AUTH sets {setting} = False: {effect}; remove it (the default verifies)"
    examples_bad = [
        "JWT_AUTH = {\n    'JWT_VERIFY': False,\n}\n",
        "JWT_AUTH = {'JWT_AUTH_HEADER_PREFIX': 'JWT'}\nJWT_AUTH['JWT_VERIFY_EXPIRATION'] = False\n",
    ]
    examples_good = [
        "JWT_AUTH = {'JWT_VERIFY': True, 'JWT_VERIFY_EXPIRATION': True}\n",
        "def settings():\n    JWT_AUTH = {'JWT_VERIFY': False}\n    return JWT_AUTH\n",
    ]
    _EFFECTS = {
        "JWT_VERIFY": "token signatures are not checked",
        "JWT_VERIFY_EXPIRATION": "tokens never expire",
    }

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.ctx.scope.kind != "module" or len(node.targets) != 1:
            return
        target = node.targets[0].target
        if not isinstance(target, cst.Name) or target.value != "JWT_AUTH":
            return
        settings = self.ctx.resolver.resolve(target, self.ctx.scope)
        if not isinstance(settings, DictValue):
            return
        for setting, effect in self._EFFECTS.items():
            ref = settings.get(setting)
            if ref is not None and self.ctx.resolver.resolve_ref(ref) is False:
                self.report(ref.node, setting=setting, effect=effect)
