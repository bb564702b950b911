import os

import jwt
from jose import jwt as jose_jwt

PUBLIC_KEY = open("public.pem").read()


def decode_unpinned(token):
    # ruleid: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, PUBLIC_KEY)


def decode_unpinned_kw(token):
    # ruleid: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, key=PUBLIC_KEY, audience="api")


def decode_jose_unpinned(token):
    # ruleid: keylint.python.jwt-algorithms-not-pinned
    return jose_jwt.decode(token, PUBLIC_KEY)


def decode_pinned(token):
    # ok: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])


def decode_pinned_positional(token):
    # ok: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, PUBLIC_KEY, ["RS256"])


def decode_jose_pinned(token):
    # ok: keylint.python.jwt-algorithms-not-pinned
    return jose_jwt.decode(token, PUBLIC_KEY, algorithms="RS256")


def decode_kwargs(token, **kwargs):
    # ok: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, PUBLIC_KEY, **kwargs)


def peek(token):
    # ok: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, options={"verify_signature": False})


def peek_variable(token):
    options = {"verify_signature": False}
    # ok: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(token, options=options)


def joserfc_decode(value, key):
    # joserfc picks from its recommended algorithms and the key's type; KEY303 is PyJWT/python-jose only
    from joserfc import jwt

    # ok: keylint.python.jwt-algorithms-not-pinned
    return jwt.decode(value, key)
