import os

import jwt
from jose import jwt as jose_jwt

KEY = os.environ["JWT_KEY"]


def decode_no_exp(token):
    # ruleid: keylint.python.jwt-expiry-not-verified
    return jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False})


def decode_no_exp_dict(token):
    # ruleid: keylint.python.jwt-expiry-not-verified
    return jwt.decode(token, KEY, algorithms=["HS256"], options=dict(verify_exp=False))


def decode_jose_no_exp(token):
    # ruleid: keylint.python.jwt-expiry-not-verified
    return jose_jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_aud": True, "verify_exp": False})


def decode_options_variable(token):
    options = {"verify_exp": False}
    # ruleid: keylint.python.jwt-expiry-not-verified
    return jwt.decode(token, KEY, algorithms=["HS256"], options=options)


def decode_checked(token):
    # ok: keylint.python.jwt-expiry-not-verified
    return jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": True, "require": ["exp"]})


def decode_default(token):
    # ok: keylint.python.jwt-expiry-not-verified
    return jwt.decode(token, KEY, algorithms=["HS256"], leeway=10)
