import os

import jwt
from jose import jwt as jose_jwt

SECRET = os.environ["JWT_SECRET"]


def claims_pyjwt2(token):
    # ruleid: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, options={"verify_signature": False})


def claims_pyjwt2_key(token):
    # ruleid: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_signature": False, "verify_exp": True})


def claims_pyjwt1(token):
    # ruleid: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, verify=False)


def claims_dict_call(token):
    # ruleid: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, SECRET, algorithms=["HS256"], options=dict(verify_signature=False))


def claims_jose(token):
    # ruleid: keylint.python.jwt-signature-not-verified
    return jose_jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_signature": False})


def claims_options_variable(token):
    opts = {"verify_signature": False}
    # ruleid: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, SECRET, algorithms=["HS256"], options=opts)


def verified(token):
    # ok: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, SECRET, algorithms=["HS256"])


def verified_explicit(token):
    # ok: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_signature": True, "require": ["exp"]})


def verified_other_options(token):
    opts = {"require": ["exp", "iat"]}
    # ok: keylint.python.jwt-signature-not-verified
    return jwt.decode(token, SECRET, algorithms=["HS256"], options=opts)


def header_only(token):
    # ok: keylint.python.jwt-signature-not-verified
    return jwt.get_unverified_header(token)
