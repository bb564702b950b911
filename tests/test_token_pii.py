"""KEY5xx over realistic fixtures, claim-name classification and configuration."""

import pytest

from helpers import FIXTURES, check_fixture, codes, findings
from keylint.config import Config
from keylint.findings import Severity
from keylint.rules.token_pii import CREDENTIAL, PERSONAL, SENSITIVE_ID, classify_name

TOKEN_FIXTURES = sorted((FIXTURES / "tokens").glob("*.py"))


@pytest.mark.parametrize("path", TOKEN_FIXTURES, ids=lambda p: p.name)
def test_fixture_pii_findings(path):
    check_fixture(path, "KEY5")


@pytest.mark.parametrize("name, category", [
    ("email", PERSONAL), ("userEmail", PERSONAL), ("phone_number", PERSONAL), ("mobile", PERSONAL),
    ("date_of_birth", PERSONAL), ("dob", PERSONAL), ("birthdate", PERSONAL), ("home_address", PERSONAL),
    ("street", PERSONAL), ("postcode", PERSONAL), ("first_name", PERSONAL), ("lastName", PERSONAL),
    ("full_name", PERSONAL), ("ip_address", PERSONAL), ("client_ip", PERSONAL),
    ("ssn", SENSITIVE_ID), ("social_security_number", SENSITIVE_ID), ("passport_number", SENSITIVE_ID),
    ("national_id", SENSITIVE_ID), ("credit_card", SENSITIVE_ID), ("cardNumber", SENSITIVE_ID), ("iban", SENSITIVE_ID),
    ("password", CREDENTIAL), ("password_hash", CREDENTIAL), ("pin", CREDENTIAL), ("pin_code", CREDENTIAL),
    ("client_secret", CREDENTIAL), ("apiKey", CREDENTIAL),
    ("email_verified", None), ("phone_verified", None), ("scope", None), ("sub", None), ("name", None),
    ("username", None), ("pwd_changed_at", None), ("password_version", None), ("wallet_address", None),
    ("pinned", None), ("passenger", None), ("mailbox_id", None), ("email_domain", None), ("has_password", None),
    ("email_id", None), ("address_uuid", None), ("mobile_app", None), ("phone_platform", None),
])
def test_claim_names_are_classified_by_words(name, category):
    assert classify_name(name) == category


def test_extend_pii_claims():
    source = 'import jwt\ntoken = jwt.encode({"sub": "1", "employee_number": user.employee_number}, key)\n'
    assert codes(source, prefix="KEY5") == []
    config = Config(extend_pii_claims=["employee_number"])
    assert codes(source, config=config, prefix="KEY5") == ["KEY501"]


def test_literal_credentials_are_redacted():
    source = 'import jwt\ntoken = jwt.encode({"sub": "1", "password": "correct-horse-battery"}, key)\n'
    [finding] = findings(source, codes="KEY5")
    assert finding.code == "KEY503"
    assert "correct-horse-battery" not in finding.snippet and "correct-horse-battery" not in finding.message


def test_id_token_personal_claims_are_notes_but_credentials_stay_errors():
    source = """
    import jwt
    def build_id_token(user, nonce):
        return jwt.encode({"sub": str(user.id), "nonce": nonce, "email": user.email, "ssn": user.ssn}, KEY)
    """
    found = {f.code: f.severity for f in findings(source, codes="KEY5")}
    assert found == {"KEY501": Severity.NOTE, "KEY502": Severity.ERROR}


def test_same_claims_in_an_access_token_are_warnings():
    source = 'import jwt\ntoken = jwt.encode({"sub": str(user.id), "email": user.email}, KEY)\n'
    [finding] = findings(source, codes="KEY5")
    assert (finding.code, finding.severity) == ("KEY501", Severity.WARNING)


@pytest.mark.parametrize("value, code", [
    ("user.email", "KEY504"),
    ("user.email.lower()", "KEY504"),
    ("str(user.email)", "KEY504"),
    ('request.json["email"]', "KEY504"),
    ('data.get("phone_number")', "KEY504"),
    ("user.get_full_name()", "KEY504"),
    ("email", "KEY504"),
    ("user.password", "KEY503"),
    ("user.ssn", "KEY502"),
    ("str(user.id)", None),
    ("user.username", None),
    ("settings.SUPPORT_EMAIL", None),
    ('creds["client_email"]', None),
    ('"service@example.com"', None),
    ("os.environ['ADMIN_EMAIL']", None),
])
def test_pii_values_under_any_claim_name(value, code):
    source = f"import jwt, os\ntoken = jwt.encode({{'sub': {value}, 'exp': exp}}, KEY)\n"
    assert codes(source, prefix="KEY5") == ([code] if code else [])


def test_nested_claims_are_checked():
    source = 'import jwt\ntoken = jwt.encode({"sub": "1", "user": {"id": u.id, "email": u.email}}, KEY)\n'
    [finding] = findings(source, codes="KEY5")
    assert finding.code == "KEY501" and "'user.email'" in finding.message


def test_bare_itsdangerous_value_is_not_reported():
    source = """
    from itsdangerous import URLSafeTimedSerializer
    s = URLSafeTimedSerializer(app.secret_key)
    link = s.dumps(user.email, salt="confirm")
    """
    assert codes(source, prefix="KEY5") == []


def test_unrelated_dicts_with_email_are_quiet():
    source = """
    import json, requests
    from jose import jwt
    body = json.dumps({"email": user.email, "password": password})
    requests.post(url, json={"email": user.email})
    claims = jwt.get_unverified_claims(token)
    """
    assert codes(source, prefix="KEY5") == []
