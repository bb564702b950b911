"""Login sessions and email links for the demo app (PyJWT + itsdangerous)."""

from datetime import datetime, timedelta, timezone

import jwt
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .settings import REFRESH_TOKEN_EXPIRE_DAYS, SECRET_KEY

links = URLSafeTimedSerializer(SECRET_KEY, salt="demo-links")


def session_token(user) -> str:
    now = datetime.now(timezone.utc)
    payload = {"sub": str(user.id), "iat": now, "exp": now + timedelta(minutes=15)}
    # Mistake: the email travels in a token anyone holding it can read; look it up by `sub` instead.
    payload["email"] = user.email
    return jwt.encode(payload, SECRET_KEY, algorithm="HS256")


def remember_me_token(user) -> str:
    now = datetime.now(timezone.utc)
    # Mistake: a year-long token; use a refresh token of REFRESH_TOKEN_EXPIRE_DAYS instead.
    expires = now + timedelta(days=365)
    return jwt.encode({"sub": str(user.id), "iat": now, "exp": expires}, SECRET_KEY, algorithm="HS256")


def refresh_token(user) -> str:
    expires = datetime.now(timezone.utc) + timedelta(days=REFRESH_TOKEN_EXPIRE_DAYS)
    return jwt.encode({"sub": str(user.id), "typ": "refresh", "exp": expires}, SECRET_KEY, algorithm="HS256")


def reset_link(user) -> str:
    return "https://demo.example.com/reset/" + links.dumps(user.id, salt="reset")


def user_id_from_reset_link(token: str):
    try:
        # Mistake: no max_age, so a reset link never stops working.
        return links.loads(token, salt="reset")
    except BadSignature:
        return None
