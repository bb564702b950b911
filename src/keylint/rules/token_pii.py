"""KEY5xx: personal data and credentials in token payloads.

JWTs and itsdangerous / Django signed values are signed, not encrypted: anyone who holds the token
(the browser, a proxy log, an analytics script) can read every claim. Which calls mint tokens and
what their payloads resolve to comes from keylint.analysis.tokens (shared with KEY4xx); this module
decides which claims and values are personal data.

Claim names are matched by their word parts (keylint.analysis.words), never by substring. Flags
and metadata about personal data are not personal data: a claim whose name also says `verified`,
`confirmed`, `changed_at`, `hash`, `domain`... (`email_verified`, `password_changed_at`) is not
reported, nor is a claim whose value is a literal bool / number / None, nor (except credentials)
a literal string written in the code. A bare value signed with itsdangerous / Django signing (the
email-confirmation link pattern `serializer.dumps(user.email)`) is not reported: the link goes to
that same address; dict payloads are checked claim by claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

from keylint.analysis import tokens
from keylint.analysis.values import DictValue, External, Ref, Template
from keylint.analysis.words import joined, split_words
from keylint.findings import Confidence, Severity
from keylint.rules.base import Rule

CREDENTIAL, SENSITIVE_ID, PERSONAL = "credential", "sensitive-id", "personal"

_CREDENTIAL_WORDS = {
    "password", "passwd", "pwd", "passphrase", "passcode", "pin", "secret", "apikey", "privatekey", "otp", "totp",
}
_CREDENTIAL_PAIRS = {("api", "key"), ("private", "key"), ("access", "key")}
_SENSITIVE_WORDS = {"ssn", "passport", "iban", "cvv", "cvc", "aadhaar", "nino", "creditcard", "cardnumber", "nationalid"}
_SENSITIVE_PAIRS = {
    ("social", "security"), ("national", "id"), ("national", "insurance"), ("tax", "id"), ("credit", "card"),
    ("debit", "card"), ("card", "number"), ("card", "num"), ("card", "no"), ("driver", "license"),
    ("drivers", "license"), ("driving", "licence"), ("driving", "license"), ("bank", "account"), ("account", "number"),
}
_PERSONAL_WORDS = {
    "email", "emails", "mail", "phone", "phones", "mobile", "telephone", "msisdn", "dob", "birthdate", "birthday",
    "birth", "address", "street", "postcode", "postal", "zipcode", "fullname", "firstname", "lastname", "surname",
    "givenname", "familyname", "middlename", "ip", "ipaddr", "ipaddress",
}
_PERSONAL_PAIRS = {
    ("full", "name"), ("first", "name"), ("last", "name"), ("given", "name"), ("family", "name"),
    ("middle", "name"), ("legal", "name"), ("real", "name"), ("remote", "addr"), ("zip", "code"),
}
# Words that make the name about the data rather than the data itself (flags, timestamps, hashes).
_ABOUT_DATA = {
    "verified", "confirmed", "valid", "validated", "enabled", "disabled", "required", "changed", "updated", "at",
    "version", "ver", "is", "has", "count", "domain", "type", "status", "visible", "set", "reset", "expires",
    "expiry", "expired", "policy", "strength", "length", "attempts", "host", "server", "port", "template",
    "sender", "provider", "backend", "format", "mask", "masked", "hint", "hash", "hashed", "digest", "country",
    "app", "device", "platform", "browser", "os",
}
# A name ending in one of these is a reference to a record, not the data (`email_id`, `address_uuid`).
_REFERENCE_ENDINGS = {"id", "ids", "uuid", "pk", "key", "index", "idx"}
_CREDENTIAL_ABOUT = _ABOUT_DATA - {"hash", "hashed", "digest"}  # a password hash in a token is still a credential
# Owners whose data is not a person's: service accounts, app settings (`credentials["client_email"]`).
_NOT_A_PERSON = {"client", "service", "app", "bot", "system", "sender", "settings", "config", "env", "noreply", "support"}
# Zero-argument methods that keep the value (`user.email.lower()`).
_TRANSPARENT_METHODS = {"lower", "upper", "strip", "casefold", "title"}
_WHAT = {CREDENTIAL: "a credential", SENSITIVE_ID: "a government id or card data", PERSONAL: "personal data"}


def _has_pair(parts: Sequence[str], pairs) -> bool:
    return any(pair in pairs for pair in zip(parts, parts[1:]))


def classify_name(name: str, extra: Sequence[str] = ()) -> Optional[str]:
    """credential / sensitive-id / personal / None for a claim or attribute name."""
    parts = split_words(name)
    if not parts:
        return None
    present = set(parts)
    if not present & _CREDENTIAL_ABOUT and (present & _CREDENTIAL_WORDS or _has_pair(parts, _CREDENTIAL_PAIRS)):
        return CREDENTIAL
    if present & _ABOUT_DATA:
        return None
    if present & _SENSITIVE_WORDS or _has_pair(parts, _SENSITIVE_PAIRS):
        return SENSITIVE_ID
    if parts[-1] in _REFERENCE_ENDINGS:
        return None
    if present & _PERSONAL_WORDS or _has_pair(parts, _PERSONAL_PAIRS):
        if "address" in present and not ({"ip", "email", "home", "street", "postal", "mailing"} & present) and len(parts) > 1:
            return None  # wallet_address, mac_address, server_address
        return PERSONAL
    flat = joined(name)
    for extra_name in extra:
        extra_parts = split_words(extra_name)
        if flat == joined(extra_name) or (extra_parts and _contains(parts, extra_parts)):
            return PERSONAL
    return None


def _contains(parts: Sequence[str], sub: Sequence[str]) -> bool:
    return any(tuple(parts[i:i + len(sub)]) == tuple(sub) for i in range(len(parts) - len(sub) + 1))


def value_name(ctx, node: cst.CSTNode) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """(name of the data, words of its owner) for a value: `user.email` -> ("email", ("user",)),
    `data["phone"]`, `user.get_full_name()`, `str(user.email)`, `email.lower()`, a variable `email`."""
    if isinstance(node, cst.Call):
        func = node.func
        if ctx.qualname(func) == "builtins.str" and len(node.args) == 1:
            return value_name(ctx, node.args[0].value)
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in _TRANSPARENT_METHODS and not node.args:
                return value_name(ctx, func.value)
            if method == "get" and node.args and isinstance(node.args[0].value, cst.SimpleString):
                key = node.args[0].value.evaluated_value
                return (key, _owner_words(func.value)) if isinstance(key, str) else None
            if method.startswith("get_") and not node.args:
                return method[len("get_"):], _owner_words(func.value)
        return None
    if isinstance(node, cst.Attribute):
        return node.attr.value, _owner_words(node.value)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            key = index.value.evaluated_value
            return (key, _owner_words(node.value)) if isinstance(key, str) else None
        return None
    if isinstance(node, cst.Name):
        return node.value, ()
    return None


def _owner_words(node: cst.CSTNode) -> Tuple[str, ...]:
    return tuple(w for name in tokens.names_in(node) for w in split_words(name))


@dataclass
class PiiFinding:
    code: str
    node: cst.CSTNode
    message: str
    severity: Optional[Severity] = None
    secret: Optional[str] = None


def _is_constant(value) -> bool:
    return value is None or isinstance(value, (bool, int, float))


def _claim_findings(ctx, claim: Optional[str], ref: Ref, id_token: bool, label: str) -> List[PiiFinding]:
    """Findings for one claim of a payload (claim None: the value only, e.g. flask-jwt-extended identity)."""
    value = ctx.resolver.resolve_ref(ref)
    if _is_constant(value) or isinstance(value, External):
        return []
    if isinstance(value, DictValue):  # nested object claim: {"user": {"email": ...}}
        out = []
        for key, inner in value.entries.items():
            if isinstance(key, str):
                out.extend(_claim_findings(ctx, key, inner, id_token, f"{label}.{key}" if label else key))
        return out
    category = classify_name(claim, ctx.config.extend_pii_claims) if claim else None
    if category is not None:
        if isinstance(value, str) and category != CREDENTIAL:
            return []  # a literal written in the code is not somebody's personal data
        secret = value if isinstance(value, str) else None
        return [_by_name(category, label, ref.node, id_token, secret)]
    if isinstance(value, (str, Template)):
        return []
    found = value_name(ctx, ref.node)
    if found is None:
        return []
    data_name, owner = found
    if set(owner) & _NOT_A_PERSON or set(split_words(data_name)) & _NOT_A_PERSON:
        return []
    category = classify_name(data_name, ctx.config.extend_pii_claims)
    if category is None:
        return []
    code = {CREDENTIAL: "KEY503", SENSITIVE_ID: "KEY502", PERSONAL: "KEY504"}[category]
    shown = ctx.code(ref.node)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    where = f"claim '{label}'" if label else "the token"
    advice = "use an opaque user id and look the data up server-side"
    return [PiiFinding(code, ref.node, f"{where} is set to `{shown}` ({_WHAT[category]}); tokens are readable by "
                                       f"whoever holds them: {advice}")]


def _by_name(category: str, label: str, node, id_token: bool, secret: Optional[str]) -> PiiFinding:
    if category == CREDENTIAL:
        return PiiFinding("KEY503", node, f"token claim '{label}' carries a credential; tokens are readable by whoever "
                                          "holds them: never put one in a payload", secret=secret)
    if category == SENSITIVE_ID:
        return PiiFinding("KEY502", node, f"token claim '{label}' carries a government id or card data; tokens are "
                                          "readable by whoever holds them: keep it server-side")
    if id_token:
        return PiiFinding("KEY501", node, f"ID token claim '{label}' carries personal data (OIDC defines it); release "
                                          "it only for the scopes the user consented to", severity=Severity.NOTE)
    return PiiFinding("KEY501", node, f"token claim '{label}' carries personal data; put an opaque user id in `sub` "
                                      "and look the rest up server-side")


def pii_findings(ctx, node: cst.CSTNode) -> List[PiiFinding]:
    """Every KEY5 finding for a mint call or a simplejwt `token[...] = ...`, computed once per node
    and shared by the four rules."""
    cache: Dict[int, List[PiiFinding]] = ctx.__dict__.setdefault("_token_pii", {})
    if id(node) not in cache:
        cache[id(node)] = _compute(ctx, node)
    return cache[id(node)]


def _compute(ctx, node: cst.CSTNode) -> List[PiiFinding]:
    out: List[PiiFinding] = []
    if isinstance(node, cst.Call):
        mint = tokens.mint_at(ctx, node)
        if mint is None:
            return out
        for claim, ref in mint.claim_refs:
            if claim is not None:
                out.extend(_claim_findings(ctx, claim, ref, mint.id_token, claim))
        if mint.identity is not None:
            out.extend(_claim_findings(ctx, None, mint.identity, False, "identity (sub)"))
    elif isinstance(node, cst.Assign) and len(node.targets) == 1:
        target = tokens.simplejwt_claim_target(ctx, node.targets[0].target)
        if target is not None:
            claim, _kind = target
            out.extend(_claim_findings(ctx, claim, Ref(node.value, ctx.scope), False, claim))
    return out


class _PiiRule(Rule):

    def __init__(self, ctx):
        super().__init__(ctx)
        self._reported = set()

    def visit_Call(self, node: cst.Call) -> None:
        self._report_own(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._report_own(node)

    def _report_own(self, node) -> None:
        for finding in pii_findings(self.ctx, node):
            if finding.code == self.code and id(finding.node) not in self._reported:
                self._reported.add(id(finding.node))
                self.report(finding.node, finding.message, severity=finding.severity, secret=finding.secret)


class PiiClaimInToken(_PiiRule):
    """Personal data in a token claim.

    What it does
    Flags claims named after personal data — email, phone / mobile, date of birth, home address /
    street / postcode, full / first / last name, IP address, plus the names in `extend-pii-claims` —
    in payloads minted with PyJWT, python-jose, authlib, joserfc, itsdangerous, django.core.signing,
    flask-jwt-extended (`additional_claims=`) and djangorestframework-simplejwt
    (`token["email"] = user.email`, e.g. in a `get_token` override). Names about the data rather than
    the data (`email_verified`) and literal values are not reported. In OpenID Connect ID tokens
    (payload with `nonce`, `at_hash`, `auth_time`..., python-jose `access_token=`, or a variable /
    function named id_token) these claims are defined by the spec, so the finding is a note.

    Why is this bad?
    A JWT is signed, not encrypted: the browser, every proxy and log line that sees the token can
    read the claims. Tokens are also copied into places (local storage, URLs, error trackers) that
    were never meant to hold personal data.

    Example
    ```python
    token = jwt.encode({"sub": str(user.id), "email": user.email, "exp": exp}, key, algorithm="HS256")
    ```

    Use instead
    ```python
    token = jwt.encode({"sub": str(user.id), "exp": exp}, key, algorithm="HS256")  # look the email up by id
    ```

    References
    - https://datatracker.ietf.org/doc/html/rfc8725#section-3.9
    - https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
    """

    code = "KEY501"
    name = "pii-claim-in-token"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 359
    message = "token claim carries personal data; put an opaque user id in `sub` and look the rest up server-side"
    examples_bad = [
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "email": user.email, "exp": exp}, key, algorithm="HS256")\n',
        'from flask_jwt_extended import create_access_token\n'
        'token = create_access_token(identity=user.id, additional_claims={"phone": user.phone})\n',
        'from rest_framework_simplejwt.serializers import TokenObtainPairSerializer\n\n'
        'class MyTokenSerializer(TokenObtainPairSerializer):\n    @classmethod\n    def get_token(cls, user):\n'
        '        token = super().get_token(user)\n        token["full_name"] = user.get_full_name()\n        return token\n',
        'from jose import jwt\n\ndef build(user):\n    payload = {"sub": user.id}\n    payload["date_of_birth"] = user.dob.isoformat()\n'
        '    return jwt.encode(payload, KEY)\n',
    ]
    examples_good = [
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "email_verified": user.email_verified, "scope": "read"}, key)\n',
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "exp": exp}, key)\n',
        'import json\nbody = json.dumps({"email": user.email})\n',
        'import jwt\ntoken = jwt.encode({"sub": "svc", "email": "ops@example.com"}, key)\n',
        'import jwt\ntoken = jwt.encode(claims, key)\n',
    ]


class SensitiveIdInToken(_PiiRule):
    """A government id or card data in a token payload.

    What it does
    Flags token claims (and claim values) that hold a social security number, national id,
    passport, tax id, driving licence, credit / debit card number, CVV, IBAN or bank account
    number, in any payload the token analysis resolves (see KEY501 for the minting APIs).

    Why is this bad?
    Tokens are readable by whoever holds them and end up in logs and browser storage. Leaking an
    id number or card data has legal consequences (PCI DSS, GDPR) far beyond a leaked session.

    Example
    ```python
    token = jwt.encode({"sub": str(user.id), "ssn": user.ssn, "exp": exp}, key)
    ```

    Use instead
    ```python
    token = jwt.encode({"sub": str(user.id), "exp": exp}, key)  # keep the ssn server-side
    ```

    References
    - https://datatracker.ietf.org/doc/html/rfc8725#section-3.9
    - https://www.pcisecuritystandards.org/
    """

    code = "KEY502"
    name = "sensitive-id-in-token"
    severity = Severity.ERROR
    confidence = Confidence.HIGH
    cwe = 359
    message = "token claim carries a government id or card data; keep it server-side"
    examples_bad = [
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "ssn": user.ssn, "exp": exp}, key)\n',
        'from itsdangerous import URLSafeTimedSerializer\ns = URLSafeTimedSerializer(key)\n'
        'link = s.dumps({"order": order.id, "card_number": order.card_number})\n',
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "doc": profile.passport_number}, key)\n',
    ]
    examples_good = [
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "card_last4_masked": user.card_mask}, key)\n',
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "has_passport": True}, key)\n',
    ]


class CredentialInToken(_PiiRule):
    """A credential inside a token payload.

    What it does
    Flags token claims named like credentials (password, passphrase, PIN, secret, API key, private
    key, OTP secret) and claims whose value is one (`"data": user.password`), in any payload the
    token analysis resolves. Timestamps and flags about a credential (`password_changed_at`,
    `pwd_version`) are not reported; a password hash is.

    Why is this bad?
    Anyone who holds the token can decode it (signing is not encryption): the credential leaks to
    the browser, proxies and logs, and outlives any password change.

    Example
    ```python
    token = jwt.encode({"sub": user.username, "password": password, "exp": exp}, key)
    ```

    Use instead
    ```python
    token = jwt.encode({"sub": str(user.id), "exp": exp}, key)
    ```

    References
    - https://cwe.mitre.org/data/definitions/312.html
    """

    code = "KEY503"
    name = "credential-in-token"
    severity = Severity.ERROR
    confidence = Confidence.HIGH
    cwe = 312
    message = "token claim carries a credential; never put one in a payload"
    examples_bad = [
        'import jwt\ntoken = jwt.encode({"sub": username, "password": password, "exp": exp}, key)\n',
        'from authlib.jose import jwt\ntoken = jwt.encode({"alg": "HS256"}, {"sub": "1", "api_key": account.api_key}, key)\n',
        'from rest_framework_simplejwt.tokens import RefreshToken\nrefresh = RefreshToken.for_user(user)\n'
        'refresh["pin"] = user.pin_code\n',
    ]
    examples_good = [
        'import jwt\ntoken = jwt.encode({"sub": "1", "pwd_changed_at": user.password_changed_at.timestamp()}, key)\n',
        'import jwt\ntoken = jwt.encode({"sub": "1", "exp": exp}, secret)\n',
        'import jwt\ntoken = jwt.encode({"sub": "1", "has_password": user.has_usable_password()}, key)\n',
    ]


class PiiValueInToken(_PiiRule):
    """A personal-data value in a token, whatever the claim is called.

    What it does
    Flags claim values that read personal data — `user.email`, `user.phone_number`,
    `profile.get_full_name()`, `data["email"]`, a variable named `email` — under claim names that
    do not say so themselves: `{"sub": user.email}`, flask-jwt-extended `identity=user.email`,
    `additional_claims={"contact": user.phone_number}`. Service-account and settings values
    (`credentials["client_email"]`, `settings.SUPPORT_EMAIL`) are not reported.

    Why is this bad?
    The subject of a token is copied everywhere the token goes (logs, analytics, error reports);
    using an email or phone number as the subject leaks it there and breaks when the user changes it.

    Example
    ```python
    access_token = create_access_token(identity=user.email)
    ```

    Use instead
    ```python
    access_token = create_access_token(identity=str(user.id))
    ```

    References
    - https://datatracker.ietf.org/doc/html/rfc8725#section-3.9
    """

    code = "KEY504"
    name = "pii-value-in-token"
    severity = Severity.WARNING
    confidence = Confidence.MEDIUM
    cwe = 359
    message = "token claim is set to personal data; use an opaque user id"
    examples_bad = [
        'from flask_jwt_extended import create_access_token\ntoken = create_access_token(identity=user.email)\n',
        'import jwt\ntoken = jwt.encode({"sub": user.email, "exp": exp}, key, algorithm="HS256")\n',
        'from flask_jwt_extended import create_refresh_token\n'
        'token = create_refresh_token(user.id, additional_claims={"contact": user.phone_number})\n',
    ]
    examples_good = [
        'from flask_jwt_extended import create_access_token\ntoken = create_access_token(identity=str(user.id))\n',
        'import jwt\ntoken = jwt.encode({"sub": str(user.id), "exp": exp}, key)\n',
        'import jwt\ntoken = jwt.encode({"iss": credentials["client_email"], "sub": credentials["client_email"], "exp": exp}, key)\n',
        'import jwt\ntoken = jwt.encode({"sub": user.username, "verified": user.email_verified}, key)\n',
    ]
