import os
from datetime import datetime, timedelta, timezone

import jwt
from jose import jwt as jose_jwt

KEY = os.environ["JWT_KEY"]


def exp():
    return datetime.now(timezone.utc) + timedelta(minutes=15)


def with_email(user):
    # ruleid: keylint.python.jwt-pii-claim-in-token
    return jwt.encode({"sub": str(user.id), "email": user.email, "exp": exp()}, KEY, algorithm="HS256")


def with_phone_jose(user):
    # ruleid: keylint.python.jwt-pii-claim-in-token
    return jose_jwt.encode({"sub": str(user.id), "phone_number": user.phone, "exp": exp()}, KEY)


def with_dob_variable(user):
    payload = {"sub": str(user.id), "dateOfBirth": user.dob.isoformat(), "exp": exp()}
    # ruleid: keylint.python.jwt-pii-claim-in-token
    return jwt.encode(payload, KEY, algorithm="HS256")


def with_ip_item(user, request):
    payload = {"sub": str(user.id), "exp": exp()}
    payload["ip_address"] = request.remote_addr
    # ruleid: keylint.python.jwt-pii-claim-in-token
    return jwt.encode(payload, KEY, algorithm="HS256")


def with_ssn(user):
    # ruleid: keylint.python.jwt-sensitive-id-in-token
    return jwt.encode({"sub": str(user.id), "ssn": user.ssn, "exp": exp()}, KEY, algorithm="HS256")


def with_card(user):
    payload = {"sub": str(user.id), "card_number": user.card, "exp": exp()}
    # ruleid: keylint.python.jwt-sensitive-id-in-token
    return jwt.encode(payload, KEY, algorithm="HS256")


def with_password(user, password):
    # ruleid: keylint.python.jwt-credential-in-token
    return jwt.encode({"sub": user.name, "password": password, "exp": exp()}, KEY, algorithm="HS256")


def with_api_key(user):
    # ruleid: keylint.python.jwt-credential-in-token
    return jose_jwt.encode({"sub": str(user.id), "apiKey": user.api_key, "exp": exp()}, KEY)


def opaque(user):
    # ok: keylint.python.jwt-pii-claim-in-token, keylint.python.jwt-sensitive-id-in-token, keylint.python.jwt-credential-in-token
    return jwt.encode({"sub": str(user.id), "role": user.role, "scope": "read", "exp": exp()}, KEY, algorithm="HS256")


def email_verified_flag(user):
    # ok: keylint.python.jwt-pii-claim-in-token
    return jwt.encode({"sub": str(user.id), "email_verified": True, "exp": exp()}, KEY, algorithm="HS256")


def not_a_token(user):
    # ok: keylint.python.jwt-pii-claim-in-token
    return {"email": user.email, "password": user.password}
