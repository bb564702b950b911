"""Bearer-token checks for the demo app's admin endpoints (Flask + PyJWT)."""

import os
from functools import wraps

import jwt
from flask import abort, g, request

JWT_SECRET = os.environ["DEMO_JWT_SECRET"]
PARTNER_PUBLIC_KEY = os.environ.get("PARTNER_PUBLIC_KEY", "")


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    return header[len("Bearer "):]


def current_user_id() -> str:
    # Correct: signature, algorithm and expiry (required) are all checked.
    claims = jwt.decode(_bearer_token(), JWT_SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    return claims["sub"]


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        # Mistake: the claims are read without checking the signature, then trusted.
        claims = jwt.decode(_bearer_token(), options={"verify_signature": False})
        if claims.get("role") != "admin":
            abort(403)
        g.admin_id = claims["sub"]
        return view(*args, **kwargs)

    return wrapper


def partner_claims(token: str) -> dict:
    # Mistakes: expired partner tokens are accepted, and no audience ties them to this app.
    return jwt.decode(
        token,
        PARTNER_PUBLIC_KEY,
        algorithms=["RS256"],
        options={"verify_exp": False, "require": ["exp"]},
    )
