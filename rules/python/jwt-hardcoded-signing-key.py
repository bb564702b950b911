import os

import jwt
from jose import jwt as jose_jwt

SECRET_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def sign_literal(payload):
    # ruleid: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, "s3cr3t-signing-k3y-2024", algorithm="HS256")


def sign_constant(payload):
    # ruleid: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, SECRET_KEY, algorithm="HS256")


def verify_literal(token):
    # ruleid: keylint.python.jwt-hardcoded-signing-key
    return jwt.decode(token, key="super-secret", algorithms=["HS256"])


def verify_jose_literal(token):
    # ruleid: keylint.python.jwt-hardcoded-signing-key
    return jose_jwt.decode(token, "hunter2hunter2", algorithms=["HS256"])


def sign_bytes(payload):
    # ruleid: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, b"raw-bytes-key-123", algorithm="HS256")


def sign_env(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")


def sign_getenv(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, os.getenv("JWT_SECRET"), algorithm="HS256")


def sign_placeholder(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, "changeme", algorithm="HS256")


def sign_angle_placeholder(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, "<your-key>", algorithm="HS256")


def sign_template_placeholder(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, "${API_KEY}", algorithm="HS256")


def sign_your_secret(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, "your-secret-key", algorithm="HS256")


def sign_empty(payload):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.encode(payload, "", algorithm="HS256")


def peek(token):
    # ok: keylint.python.jwt-hardcoded-signing-key
    return jwt.decode(token, options={"verify_signature": False})
