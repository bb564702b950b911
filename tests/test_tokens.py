"""Unit tests of keylint.analysis.tokens: which calls mint, what payloads and lifetimes resolve to."""

import textwrap

import libcst as cst
import pytest

from keylint.analysis import tokens
from keylint.analysis.facts import FileFacts
from keylint.analysis.values import Resolver
from keylint.config import Config
from keylint.rules.base import FileContext


def _context(source):
    module = cst.parse_module(textwrap.dedent(source))
    facts = FileFacts(module, frozenset({cst.Call, cst.Assign}))
    module.visit(facts)
    return FileContext(facts, Resolver(facts), Config(), "app/t.py", source), facts


def _last_call_where(source, predicate):
    """Run predicate(ctx, call) on every call (as the engine would) and return the last non-None result."""
    ctx, facts = _context(source)
    found = None
    for node, info in facts.collected:
        if isinstance(node, cst.Call):
            ctx.info = info
            result = predicate(ctx, node)
            if result is not None:
                found = result
    return ctx, found


def _mint(source):
    return _last_call_where(source, tokens.mint_at)


@pytest.mark.parametrize("source, library", [
    ("import jwt\njwt.encode({'sub': '1'}, k)\n", "pyjwt"),
    ("import jwt\njwt.PyJWT().encode({'sub': '1'}, k)\n", "pyjwt"),
    ("from jose import jwt\njwt.encode({'sub': '1'}, k)\n", "python-jose"),
    ("from authlib.jose import jwt\njwt.encode({'alg': 'HS256'}, {'sub': '1'}, k)\n", "authlib"),
    ("from joserfc import jwt\njwt.encode({'alg': 'HS256'}, {'sub': '1'}, k)\n", "joserfc"),
    ("from itsdangerous import URLSafeTimedSerializer\ns = URLSafeTimedSerializer(k)\ns.dumps({'sub': '1'})\n", "itsdangerous"),
    ("from django.core import signing\nsigning.dumps({'sub': '1'})\n", "django.core.signing"),
    ("from flask_jwt_extended import create_access_token\ncreate_access_token('1', additional_claims={'sub': '1'})\n",
     "flask-jwt-extended"),
])
def test_minting_apis_are_recognised_with_their_payload(source, library):
    _, mint = _mint(source)
    assert mint is not None and mint.library == library
    assert mint.claims is not None and list(mint.claims.entries) == ["sub"]


@pytest.mark.parametrize("source", [
    "from jose import jwt\njwt.decode(t, k)\n",
    "import json\njson.dumps({'sub': '1'})\n",
    "from authlib.jose import jwt\njwt.decode(t, k)\n",
    "def encode(p, k):\n    return p\nencode({'sub': '1'}, k)\n",  # a local function named encode
    "from itsdangerous import URLSafeTimedSerializer\ns = URLSafeTimedSerializer(k)\ns.loads(t)\n",
])
def test_other_calls_do_not_mint(source):
    assert _mint(source)[1] is None


def test_authlib_payload_is_the_second_argument():
    _, mint = _mint("from authlib.jose import jwt\njwt.encode({'alg': 'RS256'}, {'iss': 'me'}, key)\n")
    assert list(mint.claims.entries) == ["iss"]


def test_payload_built_over_several_statements_with_helper_and_merge():
    source = """
    import jwt
    BASE = {"iss": "me"}
    def claims_for(user):
        return {"sub": user.id}
    def issue(user):
        payload = {**BASE, **claims_for(user)}
        payload["scope"] = "read"
        payload.update(role="admin")
        return jwt.encode(payload, KEY)
    """
    ctx, mint = _mint(source)
    assert sorted(mint.claims.entries) == ["iss", "role", "scope", "sub"]
    assert mint.claims.complete and tokens.mints_without_expiry(ctx, mint)


def test_payload_passed_to_another_function_first_is_not_called_expiry_free():
    source = """
    import jwt
    def issue(user):
        payload = {"sub": user.id}
        add_standard_claims(payload)
        return jwt.encode(payload, KEY)
    """
    ctx, mint = _mint(source)
    assert not tokens.mints_without_expiry(ctx, mint)


def test_unresolvable_payload_is_not_expiry_free():
    ctx, mint = _mint("import jwt\ndef f(claims):\n    return jwt.encode({**claims, 'iss': 'x'}, k)\n")
    assert mint.claims is not None and not mint.claims.complete
    assert not tokens.mints_without_expiry(ctx, mint)


@pytest.mark.parametrize("exp, seconds", [
    ("datetime.utcnow() + timedelta(days=30)", 30 * 86400),
    ("datetime.now(timezone.utc) + timedelta(hours=24 * 90)", 90 * 86400),
    ("int(time.time()) + 86400 * 365", 365 * 86400),
    ("int((datetime.utcnow() + timedelta(minutes=15)).timestamp())", 900),
    ("calendar.timegm((datetime.utcnow() + timedelta(weeks=2)).utctimetuple())", 14 * 86400),
    ("NOW + TTL", 7200),
])
def test_exp_lifetimes_are_computed(exp, seconds):
    source = f"""
    import calendar, time, jwt
    from datetime import datetime, timedelta, timezone
    TTL = 60 * 60 * 2
    NOW = time.time()
    jwt.encode({{"sub": "1", "exp": {exp}}}, k)
    """
    ctx, mint = _mint(source)
    lifetime, _ref = tokens.exp_lifetime(ctx, mint)
    assert lifetime == seconds


@pytest.mark.parametrize("exp", ["4102444800", "datetime.utcnow() + timedelta(days=int(os.environ['D']))", "expiry"])
def test_unknown_or_absolute_exp_has_no_lifetime(exp):
    source = f"import jwt, os\nfrom datetime import datetime, timedelta\njwt.encode({{'sub': '1', 'exp': {exp}}}, k)\n"
    ctx, mint = _mint(source)
    assert tokens.exp_lifetime(ctx, mint) is None


def test_flask_jwt_extended_identity_claims_and_expires_delta_positions():
    ctx, mint = _mint(
        "from flask_jwt_extended import create_access_token\nfrom datetime import timedelta\n"
        "create_access_token(u.id, False, timedelta(days=2), {'role': 'x'})\n"
    )
    assert mint.kind == "access" and mint.adds_exp and list(mint.claims.entries) == ["role"]
    assert tokens.exp_lifetime(ctx, mint)[0] == 2 * 86400
    ctx, mint = _mint(
        "from flask_jwt_extended import create_refresh_token\ncreate_refresh_token(u.id, False)\n"
    )
    assert mint.kind == "refresh" and tokens.exp_lifetime(ctx, mint)[0] == tokens.NEVER


@pytest.mark.parametrize("source, kind", [
    ("refresh_token = jwt.encode({'sub': '1'}, k)\n", "refresh"),
    ("def make_refresh(u):\n    return jwt.encode({'sub': '1'}, k)\n", "refresh"),
    ("token = jwt.encode({'sub': '1', 'type': 'refresh'}, k)\n", "refresh"),
    ("token = jwt.encode({'sub': '1', 'exp': time.time() + REFRESH_TTL}, k)\n", "refresh"),
    ("access_token = jwt.encode({'sub': '1'}, k)\n", "access"),
    ("link = jwt.encode({'sub': '1', 'type': 'invite'}, k)\n", "access"),
])
def test_refresh_and_access_are_told_apart_by_names(source, kind):
    _, mint = _mint("import jwt, time\nREFRESH_TTL = 5\n" + source)
    assert mint.kind == kind


@pytest.mark.parametrize("source, expected", [
    ("c = {'sub': '1', 'nonce': n, 'email': e}\nid = jwt.encode(c, k)\n", True),
    ("id_token = jwt.encode({'sub': '1', 'email': e}, k)\n", True),
    ("jose_jwt.encode({'sub': '1'}, k, access_token=at)\n", True),
    ("token = jwt.encode({'sub': '1', 'email': e}, k)\n", False),
    ("identity = jwt.encode({'sub': '1'}, k)\n", False),
])
def test_id_tokens_are_recognised(source, expected):
    _, mint = _mint("import jwt\nfrom jose import jwt as jose_jwt\n" + source)
    assert mint.id_token is expected


@pytest.mark.parametrize("source, max_age", [
    ("from django.core import signing\nsigning.loads(v)\n", False),
    ("from django.core import signing\nsigning.loads(v, max_age=60)\n", True),
    ("from django.core.signing import TimestampSigner\nTimestampSigner().unsign(v, 60)\n", True),
    ("from itsdangerous import TimestampSigner\nTimestampSigner(k).unsign(v)\n", False),
    ("from itsdangerous import URLSafeTimedSerializer as S\nS(k).loads(v, 3600)\n", True),
])
def test_timed_checks_and_their_max_age(source, max_age):
    _, check = _last_call_where(source, tokens.check_at)
    assert check is not None and (check.max_age is not None) is max_age


def test_untimed_serializer_loads_is_not_a_timed_check():
    source = "from itsdangerous import URLSafeSerializer\nURLSafeSerializer(k).loads(v)\n"
    assert _last_call_where(source, tokens.check_at)[1] is None


def _assign_targets(source):
    ctx, facts = _context(source)
    out = []
    for node, info in facts.collected:
        if isinstance(node, cst.Assign):
            ctx.info = info
            out.append(tokens.simplejwt_claim_target(ctx, node.targets[0].target))
    return [t for t in out if t is not None]


def test_simplejwt_claims_from_for_user_and_get_token_override():
    source = """
    from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
    from rest_framework_simplejwt.tokens import RefreshToken, AccessToken

    class S(TokenObtainPairSerializer):
        @classmethod
        def get_token(cls, user):
            token = super().get_token(user)
            token["email"] = user.email
            return token

    def pair(user):
        refresh = RefreshToken.for_user(user)
        refresh["a"] = 1
        access = refresh.access_token
        access["b"] = 2
        other = AccessToken()
        other["c"] = 3
        data = {}
        data["d"] = 4
    """
    assert _assign_targets(source) == [("email", "refresh"), ("a", "refresh"), ("b", "access"), ("c", "access")]


def test_get_token_of_an_unrelated_class_is_not_simplejwt():
    source = """
    class Service:
        def get_token(self, user):
            token = super().get_token(user)
            token["email"] = user.email
            return token
    """
    assert _assign_targets(source) == []


@pytest.mark.parametrize("name, value, kind, seconds", [
    ("ACCESS_TOKEN_EXPIRE_MINUTES", "60 * 24 * 8", "access", 8 * 86400),
    ("REFRESH_TOKEN_EXPIRE_DAYS", "7", "refresh", 7 * 86400),
    ("JWT_EXP_DELTA_SECONDS", "3600", "access", 3600),
    ("JWT_ACCESS_TOKEN_EXPIRES", "False", "access", tokens.NEVER),
    ("JWT_REFRESH_TOKEN_EXPIRES", "86400", "refresh", 86400),
    ("REFRESH_TOKEN_LIFETIME", "timedelta(days=90)", "refresh", 90 * 86400),
])
def test_named_lifetime_settings(name, value, kind, seconds):
    ctx, facts = _context(f"from datetime import timedelta\n{name} = {value}\n")
    assign = [n for n, _ in facts.collected if isinstance(n, cst.Assign)][-1]
    setting = tokens.named_lifetime_setting(ctx, name, assign.value)
    assert (setting.kind, setting.seconds) == (kind, seconds)


@pytest.mark.parametrize("name, value", [
    ("ACCESS_TOKEN_EXPIRE", "30"),  # no unit in the name
    ("TOKEN_LENGTH_BYTES", "64"),
    ("SESSION_COOKIE_AGE", "1209600"),
    ("ACCESS_TOKEN_EXPIRE_MINUTES", "int(os.getenv('X', '30'))"),
])
def test_names_without_a_known_lifetime_are_not_settings(name, value):
    ctx, facts = _context(f"import os\n{name} = {value}\n")
    assign = [n for n, _ in facts.collected if isinstance(n, cst.Assign)][-1]
    assert tokens.named_lifetime_setting(ctx, name, assign.value) is None


def test_settings_dicts():
    source = (
        "from datetime import timedelta\n"
        "SIMPLE_JWT = {'ACCESS_TOKEN_LIFETIME': timedelta(minutes=5), 'REFRESH_TOKEN_LIFETIME': timedelta(days=60),"
        " 'SIGNING_KEY': KEY}\n"
    )
    ctx, facts = _context(source)
    assign = [n for n, _ in facts.collected if isinstance(n, cst.Assign)][-1]
    found = tokens.dict_lifetime_settings(ctx, "SIMPLE_JWT", assign.value)
    assert [(s.kind, s.seconds) for s in found] == [("access", 300), ("refresh", 60 * 86400)]
