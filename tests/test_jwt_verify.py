"""KEY3xx: JWT verification checks, on realistic fixtures and on the shapes the issue lists."""

from __future__ import annotations

import pytest

from keylint.config import Config
from tests.helpers import FIXTURES, check_fixture, codes

JWT_FIXTURES = sorted((FIXTURES / "jwt").rglob("*.py"))


@pytest.mark.parametrize("path", JWT_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_findings_are_exactly_the_annotated_ones(path):
    check_fixture(path, "KEY3")


def test_fixture_project_covers_every_default_rule():
    from tests.helpers import expected_in

    annotated = {code for path in JWT_FIXTURES for _line, code in expected_in(path)}
    assert {f"KEY3{n:02d}" for n in range(1, 14) if n != 11} <= annotated


def key3(source, config=None):
    return codes(source, config=config, prefix="KEY3")


# --- signature (KEY301) ------------------------------------------------------------------------


@pytest.mark.parametrize("call", [
    'jwt.decode(t, options={"verify_signature": False})',
    "jwt.decode(t, options=dict(verify_signature=False))",
    'jwt.decode_complete(t, options={"verify_signature": False})',
    'jwt.api_jwt.decode(t, options={"verify_signature": False})',
    'jwt.PyJWT().decode(t, options={"verify_signature": False})',
    "jwt.decode(t, key, verify=False)",
    "jwt.decode(t, key, False)",
])
def test_pyjwt_signature_off_shapes(call):
    assert key3(f"import jwt\nclaims = {call}\n") == ["KEY301"]


def test_options_built_in_local_variable_over_several_statements():
    source = """
    import jwt as pyjwt

    def claims(token):
        options = {}
        options["verify_signature"] = False
        return pyjwt.decode(token, "k", algorithms=["HS256"], options=options)
    """
    assert key3(source) == ["KEY301"]


def test_from_import_alias():
    assert key3("from jwt import decode as d\nd(t, options={'verify_signature': False})\n") == ["KEY301"]


def test_jose_is_not_pyjwt_for_pyjwt_only_rules():
    # python-jose has no `require` option: KEY308 is PyJWT's
    assert key3("from jose import jwt\njwt.decode(t, k, algorithms=['HS256'])\n") == []
    assert key3("import jwt\njwt.decode(t, k, algorithms=['HS256'])\n") == ["KEY308"]


def test_unimported_decode_is_not_resolved_by_spelling():
    assert key3("claims = jwt.decode(t, options={'verify_signature': False})\n") == []


def test_signature_off_is_not_also_reported_as_unpinned_algorithms():
    assert key3("from jose import jwt\njwt.decode(t, k, options={'verify_signature': False})\n") == ["KEY301"]


def test_unknown_options_are_not_guessed():
    assert key3("import jwt\ndef f(t, opts):\n    return jwt.decode(t, k, options=opts)\n") == []


def test_correct_pyjwt_code_is_quiet():
    source = """
    import jwt

    def verify(token, public_key):
        return jwt.decode(
            token, public_key, algorithms=["RS256"], audience="api", options={"require": ["exp"]}
        )
    """
    assert key3(source) == []


# --- algorithms (KEY303-306) ----------------------------------------------------------------------


def test_positional_algorithms_are_seen():
    assert key3("import jwt\njwt.decode(t, k, ['HS256', 'None'], {'require': ['exp']})\n") == ["KEY304"]


def test_algorithm_from_header_through_variables():
    source = """
    from jose import jwt

    def verify(token, key):
        header = jwt.get_unverified_header(token)
        alg = header["alg"]
        return jwt.decode(token, key, algorithms=[alg], audience="api")
    """
    assert key3(source) == ["KEY305"]


def test_mixed_families_from_module_constant():
    source = "import jwt\nALGS = ('RS256', 'HS256')\njwt.decode(t, k, algorithms=ALGS, audience='a', options={'require': ['exp']})\n"
    assert key3(source) == ["KEY306"]


# --- expiry (KEY307, KEY308) --------------------------------------------------------------------------


@pytest.mark.parametrize("leeway, reported", [("30", False), ("86400", False), ("86401", True), ("timedelta(hours=25)", True)])
def test_leeway_against_max_access_token_lifetime(leeway, reported):
    source = f"import jwt\nfrom datetime import timedelta\njwt.decode(t, k, algorithms=['HS256'], options={{'require': ['exp']}}, leeway={leeway})\n"
    assert (key3(source) == ["KEY307"]) is reported


def test_leeway_limit_follows_config():
    source = "import jwt\njwt.decode(t, k, algorithms=['HS256'], options={'require': ['exp']}, leeway=3600)\n"
    assert key3(source, Config(max_access_token_lifetime=900)) == ["KEY307"]
    assert key3(source) == []


def test_require_without_exp_is_a_note():
    assert key3("import jwt\njwt.decode(t, k, algorithms=['HS256'], options={'require': ['iat']})\n") == ["KEY308"]


def test_pyjws_decode_has_no_claims_checks():
    assert key3("import jwt\njwt.api_jws.decode(t, k, algorithms=['HS256'])\n") == []


# --- audience and issuer (KEY309-311) ----------------------------------------------------------------


def test_self_issued_hmac_token_needs_no_audience_unless_configured():
    source = "import jwt\njwt.decode(t, SECRET, algorithms=['HS256'], options={'require': ['exp']})\n"
    assert key3(source) == []
    assert key3(source, Config(require_audience=True)) == ["KEY310"]


def test_jwks_key_without_audience():
    source = """
    import jwt

    client = jwt.PyJWKClient("https://id.example.com/jwks")

    class Verifier:
        def claims(self, token):
            key = client.get_signing_key_from_jwt(token)
            return jwt.decode(token, key.key, algorithms=ALGORITHMS, options={"require": ["exp"]})
    """
    assert key3(source) == ["KEY310"]


def test_issuer_rule_is_off_by_default_and_on_by_config():
    source = "import jwt\njwt.decode(t, k, algorithms=['RS256'], audience='a', options={'require': ['exp']})\n"
    assert key3(source) == []
    assert key3(source, Config(require_issuer=True)) == ["KEY311"]
    assert key3(source, Config(select=["KEY3", "KEY311"])) == ["KEY311"]


# --- unverified claims (KEY302) ---------------------------------------------------------------------


def test_unverified_claim_used_in_lookup():
    source = """
    from jose import jwt

    def profile(token, db):
        user_id = jwt.get_unverified_claims(token)["sub"]
        return db.query(User).get(user_id)
    """
    assert key3(source) == ["KEY302"]


def test_peek_then_verify_with_jose():
    source = """
    from jose import jwt

    def verify(token):
        claims = jwt.get_unverified_claims(token)
        if claims["tid"] not in TENANTS:
            raise ValueError("unknown tenant")
        return jwt.decode(token, TENANTS[claims["tid"]], algorithms=["RS256"], audience="api")
    """
    assert key3(source) == []


def test_one_report_per_unverified_source():
    source = """
    from jose import jwt

    def authorize(token):
        claims = jwt.get_unverified_claims(token)
        if claims["role"] != "admin":
            return False
        if claims["tenant"] != "acme":
            return False
        return True
    """
    assert key3(source) == ["KEY302"]


# --- claims validation, settings (KEY312, KEY313) --------------------------------------------------------


def test_authlib_instance_from_class():
    source = """
    from authlib.jose import JsonWebToken

    jwt = JsonWebToken(["RS256"])

    def sub(token, key):
        claims = jwt.decode(token, key)
        return claims["sub"]
    """
    assert key3(source) == ["KEY312"]


def test_drf_jwt_setting_filled_later():
    source = "JWT_AUTH = {}\nJWT_AUTH['JWT_VERIFY'] = False\n"
    assert key3(source) == ["KEY313"]


def test_membership_test_on_expiry_is_not_a_trust_decision():
    source = """
    from jose import jwt

    def needs_refresh(token, now):
        claims = jwt.get_unverified_claims(token)
        if "exp" in claims and claims["exp"] < now:
            return True
        return False
    """
    assert key3(source) == []


def test_membership_test_on_role_is_a_trust_decision():
    source = """
    from jose import jwt

    def allowed(token):
        claims = jwt.get_unverified_claims(token)
        if "admin" in claims:
            return True
        return False
    """
    assert key3(source) == ["KEY302"]
