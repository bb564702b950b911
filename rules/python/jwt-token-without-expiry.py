import os
from datetime import datetime, timedelta, timezone

import jwt
from jose import jwt as jose_jwt

KEY = os.environ["JWT_KEY"]


def forever_token(user):
    # ruleid: keylint.python.jwt-token-without-expiry
    return jwt.encode({"sub": str(user.id), "role": user.role}, KEY, algorithm="HS256")


def forever_token_jose(user):
    # ruleid: keylint.python.jwt-token-without-expiry
    return jose_jwt.encode({"sub": str(user.id)}, KEY, algorithm="HS256")


def forever_token_variable(user):
    payload = {"sub": str(user.id), "iat": datetime.now(timezone.utc)}
    # ruleid: keylint.python.jwt-token-without-expiry
    return jwt.encode(payload, KEY, algorithm="HS256")


def expiring_token(user):
    now = datetime.now(timezone.utc)
    # ok: keylint.python.jwt-token-without-expiry
    return jwt.encode({"sub": str(user.id), "exp": now + timedelta(minutes=15)}, KEY, algorithm="HS256")


def expiring_token_variable(user):
    payload = {"sub": str(user.id), "exp": datetime.now(timezone.utc) + timedelta(minutes=15)}
    # ok: keylint.python.jwt-token-without-expiry
    return jwt.encode(payload, KEY, algorithm="HS256")


def expiry_added_later(user):
    payload = {"sub": str(user.id)}
    payload["exp"] = datetime.now(timezone.utc) + timedelta(minutes=15)
    # ok: keylint.python.jwt-token-without-expiry
    return jwt.encode(payload, KEY, algorithm="HS256")


def merged_claims(user, base_claims):
    # ok: keylint.python.jwt-token-without-expiry
    return jwt.encode({**base_claims, "sub": str(user.id)}, KEY, algorithm="HS256")


def unknown_payload(claims):
    # ok: keylint.python.jwt-token-without-expiry
    return jwt.encode(claims, KEY, algorithm="HS256")


def joserfc_token(claims, key):
    # joserfc's jwt.encode(header, claims, key) takes the header first
    from joserfc import jwt

    # ok: keylint.python.jwt-token-without-expiry
    return jwt.encode({"alg": "RS256"}, claims, key)
