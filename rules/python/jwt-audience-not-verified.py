import os

import jwt
from jose import jwt as jose_jwt

KEY = os.environ["JWT_KEY"]


def decode_any_audience(token):
    # ruleid: keylint.python.jwt-audience-not-verified
    return jwt.decode(token, KEY, algorithms=["RS256"], options={"verify_aud": False})


def decode_jose_any_audience(token):
    # ruleid: keylint.python.jwt-audience-not-verified
    return jose_jwt.decode(token, KEY, algorithms=["RS256"], options={"verify_aud": False})


def decode_variable(token):
    opts = {"verify_aud": False, "verify_exp": True}
    # ruleid: keylint.python.jwt-audience-not-verified
    return jwt.decode(token, KEY, algorithms=["RS256"], options=opts)


def decode_audience(token):
    # ok: keylint.python.jwt-audience-not-verified
    return jwt.decode(token, KEY, algorithms=["RS256"], audience="https://api.example.com")


def decode_audience_checked(token):
    # ok: keylint.python.jwt-audience-not-verified
    return jwt.decode(token, KEY, algorithms=["RS256"], audience="api", options={"verify_aud": True})
