"""KEY1xx: realistic fixtures full of hard negatives, and the name / value filters one by one."""

import re

import pytest

from keylint import detectors
from keylint.config import Config
from keylint.rules.secrets import credential_name
from tests.helpers import FIXTURES, check_fixture, codes

SECRET_FIXTURES = sorted((FIXTURES / "secrets").rglob("*.py"))


@pytest.mark.parametrize("path", SECRET_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_reports_exactly_the_annotated_lines(path):
    check_fixture(path, "KEY1")


@pytest.mark.parametrize(
    "name", ["db_password", "apiKey", "CLIENT_SECRET", "X-API-Key", "SECRET_KEY", "access_token", "jwtSecret", "aws_secret_access_key", "AUTH_TOKEN", "stripe_api_key"]
)
def test_credential_names(name):
    assert credential_name(name)


@pytest.mark.parametrize(
    "name",
    ["token_url", "password_field", "TOKEN_TYPE", "secret_name", "API_KEY_HEADER", "PASSWORD_RESET_TIMEOUT", "auth_backend",
     "key", "sort_key", "cache_key", "public_key", "csrf_token", "next_page_token", "passport", "keyboard", "monkey",
     "token_expires", "primary_key", "password_hash"],
)
def test_not_credential_names(name):
    assert not credential_name(name)


def test_extend_secret_names_from_config():
    source = 'VENDOR_PASSCODE = "Zk8-Lq2-Wx9-Rt4"\n'
    assert codes(source, prefix="KEY1") == []
    assert codes(source, config=Config(extend_secret_names=["passcode"]), prefix="KEY1") == ["KEY101"]


def test_allowlist_from_config():
    source = 'API_KEY = "demo-sandbox-key-3f9a"\n'
    assert codes(source, prefix="KEY1") == ["KEY101"]
    assert codes(source, config=Config(allowlist=[r"^demo-sandbox-"]), prefix="KEY1") == []


@pytest.mark.parametrize(
    "value", ["", "changeme", "<your-api-key>", "${API_KEY}", "{{ secret }}", "your_password_here", "****", "xxxxxxxx",
              "fake-abc123", "dummy-token", "prod-key-not-for-production", "%(password)s", "{token}", "$API_KEY", "REPLACE_ME"],
)
def test_placeholders(value):
    assert detectors.is_placeholder(value)


@pytest.mark.parametrize("value", ["Tr0ub4dor&3", "sk_live_51H8xYzAbCdEfGhIjKlMnOpQr", "9f8e7d6c5b4a3f2e1d0c", "hunter2-prod"])
def test_real_looking_values_are_not_placeholders(value):
    assert not detectors.is_placeholder(value)
    assert detectors.non_secret_shape(value) is None


@pytest.mark.parametrize(
    "value, reason",
    [
        ("client_secret_basic", "identifier"),
        ("header", "identifier"),
        ("Bearer", "identifier"),
        ("_password_reset_token", "identifier"),
        ("STRIPE_SECRET_KEY", "environment variable name"),
        ("HS256", "algorithm name"),
        ("https://auth.example.com/token", "url"),
        ("/run/secrets/db_password", "path"),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", "secret-store reference"),
        ("myapp.auth_v2.TokenBackend", "dotted name"),
        ("Please type the token", "text"),
    ],
)
def test_non_secret_shapes(value, reason):
    assert detectors.non_secret_shape(value) == reason


@pytest.mark.parametrize(
    "text, kind",
    [
        ("AKIAZ5XQ7K4QWXRTY234", "AWS access key id"),
        ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack token"),
        ("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "Google API key"),
        ("glpat-xY7kP2mN9qR4sT6vW8zA", "GitLab token"),
        ("npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "npm token"),
        ("sk-proj-" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kL9nP2qR5", "OpenAI API key"),
        ("sk-ant-api03-" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kL9nP2qR5" * 2 + "AA", "Anthropic API key"),
        ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JSON Web Token"),
    ],
)
def test_known_formats(text, kind):
    assert [s.kind for s in detectors.find_known(f'x = "{text}"')] == [kind]


def test_github_checksum_raises_confidence():
    import zlib

    body = "Zq8Lm2Xw4Rt7Yp3Kd9Vb6Nc1Hs5Jf0"  # 30 random characters
    token = "ghp_" + body + detectors._base62(zlib.crc32(body.encode()), 6)
    [found] = detectors.find_known(token)
    assert found.checksum_valid is True
    [broken] = detectors.find_known(token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert broken.checksum_valid is False


def test_known_format_negatives():
    assert detectors.find_known("AKIAIOSFODNN7EXAMPLE") == []  # AWS's documented example
    assert detectors.find_known("eyJhbGciOiJIUzI1NiJ9.eyJub3QganNvbg.c2lnbmF0dXJlc2lnbmF0dXJl") == []  # payload is not JSON
    assert detectors.find_known("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----") == []


def test_url_credentials_filters():
    assert [c.password for c in detectors.find_url_credentials("redis://:R3d1s-Pa55@cache.prod:6379/0")] == []  # no user part
    assert [c.user for c in detectors.find_url_credentials("amqp://worker:Xk9-Lp2-Qr7@rabbit.prod:5672//")] == ["worker"]
    assert detectors.find_url_credentials("postgresql://scott:tiger@localhost/test") == []
    assert detectors.find_url_credentials("postgresql://app:${DB_PASSWORD}@db/app") == []


def test_test_files_judge_by_value():
    weak = 'PASSWORD = "password123"\nAPI_KEY = "testing-key"\n'
    assert codes(weak, path="tests/test_api.py", prefix="KEY1") == []
    assert codes('DB_PASSWORD = "Pr0d-Db-2024!"\n', path="app/settings.py", prefix="KEY1") == ["KEY101"]
    assert codes('DB_PASSWORD = "Pr0d-Db-2024!"\n', path="tests/test_settings.py", prefix="KEY1") == []
    assert codes('API_KEY = "q7Zr4Lx9Wm2Tc8Vb5Nk1Hs6Df3Gj0Pa"\n', path="tests/test_api.py", prefix="KEY1") == ["KEY101"]


def test_aliased_sinks_resolve_by_qualified_name():
    assert codes('import jwt as pyjwt\npyjwt.encode(p, "my-signing-key-2024")\n', prefix="KEY1") == ["KEY104"]
    assert codes('from jose import jwt\njwt.encode(p, "my-signing-key-2024")\n', prefix="KEY1") == ["KEY104"]
    # an unrelated object that happens to be called jwt
    assert codes('jwt = Encoder()\njwt.encode(p, "my-signing-key-2024")\n', prefix="KEY1") == []


def test_regex_patterns_are_not_secrets():
    source = '_HEX_PAT = "[0-9A-Fa-f]{1,4}"\nTOKEN_RE = r"^[A-Za-z0-9_-]{20,}$"\nSECRET_PATTERN = "(?P<key>\\\\w+)"\n'
    assert codes(source, prefix="KEY1") == []


def test_name_prefilter_skips_files_with_only_pass_statements_and_plain_keys():
    from keylint.prefilter import SECRET_NAMES

    assert not SECRET_NAMES.search(b"def f(key):\n    pass\n\nd = {key: 1 for key in keys}\n")
    for text in (b"db_pass = 1", b"apiKey", b"X-API-Key", b"SECRET", b"password", b"access_token", b"PWD",
                 b"authtoken", b"md5token", b"userPassword", b"ok = 'x' == db_pass", b"x = 'pass'"):
        assert SECRET_NAMES.search(text), text
    # a secret word that is not a whole word part is no credential name (credential_name agrees)
    for text in (b"tokens = tokenize(src)", b"mytoken", b"bypass", b"passport", b"d.keys()", b"secretary", b"Xtoken"):
        assert not SECRET_NAMES.search(text), text
        assert not any(credential_name(word) for word in re.findall(r"\w+", text.decode())), text


def test_extend_secret_names_also_extends_the_prefilter():
    source = 'VENDOR_PASSCODE = "Zk8-Lq2-Wx9-Rt4"\n'
    # no built-in trigger word in the file: only the configured name lets the rule run
    assert codes('PASSCODE_X = "Zk8-Lq2-Wx9-Rt4"\n', config=Config(extend_secret_names=["passcode"]), prefix="KEY1") == ["KEY101"]
    assert codes(source, config=Config(extend_secret_names=["vendor_passcode"]), prefix="KEY1") == ["KEY101"]


def test_code_like_values_are_not_secrets():
    assert codes('CODES = {CREDENTIAL: "KEY503"}\nCREDENTIAL = "credential"\n', prefix="KEY1") == []


def test_keywords_and_field_names_are_not_secrets():
    source = (
        "class Provider:\n    ACCESS_KEY = 'AWSAccessKeyId'\n    SECRET_KEY = 'AWSSecretKey'\n\n"
        "for token in tokens:\n    if token == \"COLLATE\":\n        pass\n"
    )
    assert codes(source, prefix="KEY1") == []


def test_example_jwt_in_a_docstring_is_not_reported_but_a_key_is():
    jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    assert codes(f'def sign():\n    """>>> sign()\n    {jwt!r}\n    """\n', prefix="KEY1") == []
    assert codes(f'TOKEN = "{jwt}"\n', prefix="KEY1") == ["KEY102"]
    assert codes('def f():\n    """Use AKIAZ5XQ7K4QWXRTY234 to deploy."""\n', prefix="KEY1") == ["KEY102"]


def test_name_prefilter_keeps_a_credential_name_that_ends_a_line():
    source = 'ok = "hunter2-Pr0d-99" == db_pass\n'
    assert codes(source, prefix="KEY1") == ["KEY106"]
