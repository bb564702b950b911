"""KEY4xx over realistic fixtures and configured policies."""

import pytest

from helpers import FIXTURES, check_fixture, codes, findings
from keylint.config import Config

TOKEN_FIXTURES = sorted((FIXTURES / "tokens").glob("*.py"))


@pytest.mark.parametrize("path", TOKEN_FIXTURES, ids=lambda p: p.name)
def test_fixture_lifetime_findings(path):
    check_fixture(path, "KEY4")


def test_message_states_lifetime_and_limit():
    source = """
    import jwt
    from datetime import datetime, timedelta
    token = jwt.encode({"sub": "1", "exp": datetime.utcnow() + timedelta(days=365)}, key)
    """
    [finding] = findings(source, codes="KEY4")
    assert finding.code == "KEY403"
    assert "token lifetime 365 days exceeds max-access-token-lifetime 1 day" in finding.message


@pytest.mark.parametrize("days, reported", [(1, False), (2, True)])
def test_exactly_the_limit_is_allowed(days, reported):
    source = f"""
    import jwt
    from datetime import datetime, timedelta
    token = jwt.encode({{"sub": "1", "exp": datetime.utcnow() + timedelta(days={days})}}, key)
    """
    assert ("KEY403" in codes(source)) is reported


def test_configured_limits_are_used():
    source = """
    import jwt
    from datetime import datetime, timedelta
    access = jwt.encode({"sub": "1", "exp": datetime.utcnow() + timedelta(hours=2)}, key)
    refresh_token = jwt.encode({"sub": "1", "exp": datetime.utcnow() + timedelta(days=10)}, key)
    """
    assert codes(source) == []
    strict = Config(max_access_token_lifetime=3600, max_refresh_token_lifetime=7 * 86400)
    messages = [f.message for f in findings(source, config=strict, codes="KEY403")]
    assert messages == [
        "token lifetime 2 hours exceeds max-access-token-lifetime 1 hour; shorten it (use a refresh token for long sessions)",
        "token lifetime 10 days exceeds max-refresh-token-lifetime 7 days; shorten it",
    ]


def test_setting_is_reported_once_where_it_is_set():
    source = """
    import jwt
    from datetime import datetime, timedelta
    ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24 * 8

    def create_access_token(sub):
        expire = datetime.utcnow() + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)
        return jwt.encode({"sub": sub, "exp": expire}, KEY)
    """
    assert [(f.code, f.line) for f in findings(source, codes="KEY4")] == [("KEY404", 4)]


def test_shared_payload_helper_is_reported_once():
    source = """
    import jwt
    import time

    def claims(uid):
        return {"sub": uid, "exp": time.time() + 86400 * 30}

    a = jwt.encode(claims(1), KEY)
    b = jwt.encode(claims(2), KEY)
    """
    assert [(f.code, f.line) for f in findings(source, codes="KEY4")] == [("KEY403", 6)]


def test_lifetimes_read_at_run_time_are_not_guessed():
    source = """
    import os
    import jwt
    from datetime import datetime, timedelta
    from django.conf import settings
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=int(os.environ["JWT_MINUTES"]))
    SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.getenv("ACCESS_MINUTES", "5")))}
    token = jwt.encode({"sub": "1", "exp": datetime.utcnow() + settings.JWT_LIFETIME}, key)
    """
    assert codes(source, prefix="KEY4") == []


def test_jose_import_is_not_confused_with_an_unrelated_encode():
    source = """
    import base64
    token = base64.b64encode(b"{}")
    from mylib import jwt_helpers
    t = jwt_helpers.encode({"sub": "1"}, key)
    """
    assert codes(source, prefix="KEY4") == []


def test_remember_me_refresh_cookie_uses_the_refresh_limit():
    source = """
    import jwt, time
    def issue_refresh_token(uid):
        return jwt.encode({"sub": uid, "exp": int(time.time()) + 86400 * 20}, KEY)
    """
    assert codes(source, prefix="KEY4") == []


@pytest.mark.parametrize("path", TOKEN_FIXTURES, ids=lambda p: p.name)
def test_prefilter_keeps_every_fixture_with_findings(path):
    from keylint.prefilter import LIFETIME_SETTINGS as SETTING_TRIGGERS, MINTING_LIBRARIES as MINT_TRIGGERS

    data = path.read_bytes()
    assert MINT_TRIGGERS.search(data) or SETTING_TRIGGERS.search(data)


@pytest.mark.parametrize("source, matches", [
    (b"from django.core import signing\n", True),
    (b"from django.core import (\n    mail,\n    signing,\n)\n", True),
    (b"from django.core.signing import TimestampSigner\n", True),
    (b"accessTokenExpireMinutes = 5\n", True),
    (b"TOKEN_MAX_AGE_SECONDS = 5\n", True),
    (b"import tokenize\nfor tok in tokenize.generate_tokens(f): pass\n", False),
    (b"# code signing with cryptography\nfrom cryptography.hazmat.primitives import hashes\n", False),
])
def test_prefilter_patterns(source, matches):
    from keylint.prefilter import LIFETIME_SETTINGS as SETTING_TRIGGERS, MINTING_LIBRARIES as MINT_TRIGGERS

    assert bool(MINT_TRIGGERS.search(source) or SETTING_TRIGGERS.search(source)) is matches
