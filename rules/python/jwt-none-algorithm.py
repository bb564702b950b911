import os

import jwt
from jose import jwt as jose_jwt

KEY = os.environ["JWT_KEY"]
ALLOWED = ["HS256", "none"]
SAFE = ["HS256", "HS512"]


def decode_with_none(token):
    # ruleid: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, algorithms=["HS256", "none"])


def decode_with_none_upper(token):
    # ruleid: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, algorithms=("NONE",))


def decode_positional(token):
    # ruleid: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, ["none"])


def decode_jose_none(token):
    # ruleid: keylint.python.jwt-none-algorithm
    return jose_jwt.decode(token, KEY, algorithms="none")


def decode_list_variable(token):
    algs = ["RS256", "none"]
    # ruleid: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, algorithms=algs)


def decode_pinned(token):
    # ok: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, algorithms=["HS256"])


def decode_safe_variable(token):
    algs = ["RS256", "ES256"]
    # ok: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, algorithms=algs)


def decode_named_none(token):
    # a claim called "none" is not an algorithm
    # ok: keylint.python.jwt-none-algorithm
    return jwt.decode(token, KEY, algorithms=["HS256"], options={"require": ["none"]})
