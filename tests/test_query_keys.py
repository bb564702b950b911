"""KEY2xx: credentials in URL query strings, on the client and on the server side."""

from __future__ import annotations

import pytest

from keylint.analysis.http import credential_names, is_credential_query_name, is_presigned
from tests.helpers import FIXTURES, check_fixture, codes, findings

QUERY_FIXTURES = sorted((FIXTURES / "query").glob("*.py"))


@pytest.mark.parametrize("path", QUERY_FIXTURES, ids=lambda p: p.name)
def test_fixture_findings_match_annotations(path):
    check_fixture(path, "KEY2")


def test_fixtures_exist_for_each_framework():
    names = {p.name for p in QUERY_FIXTURES}
    assert {"sdk_client.py", "flask_app.py", "fastapi_service.py", "django_views.py"} <= names


@pytest.mark.parametrize("name", [
    "api_key", "apikey", "api-key", "apiKey", "X-API-Key", "key", "access_token", "accessToken", "token", "auth",
    "secret", "client_secret", "password", "jwt", "sso", "appid", "private_token", "github_token",
])
def test_credential_query_names(name):
    assert is_credential_query_name(name)


@pytest.mark.parametrize("name", [
    "q", "page", "cursor", "page_token", "pageToken", "next", "next_token", "limit", "format", "trace_id", "code",
    "state", "token_url", "token_type", "sort_key", "cache_key", "id_token_hint", "csrf_token", "key_id", "sig",
])
def test_not_credential_query_names(name):
    assert not is_credential_query_name(name)


def test_signature_is_a_credential_only_next_to_a_key():
    assert credential_names(["api_key", "api_sig"]) == ["api_key", "api_sig"]
    assert credential_names(["key_id", "timestamp", "signature"]) == []
    assert credential_names(["page", "sig"]) == []


@pytest.mark.parametrize("names", [
    ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"],
    ["X-Goog-Credential", "X-Goog-Signature"],
    ["sv", "se", "sp", "sig"],
    ["Expires", "Signature", "Key-Pair-Id"],
])
def test_presigned_urls_carry_no_credential(names):
    assert is_presigned(names)
    assert credential_names(names) == []


def test_secret_literal_is_redacted_from_the_finding():
    live = "a8f5f167f44f4964e6c998dee827110c"
    found = findings(f'import requests\nrequests.get("https://api.example.com/v1?api_key={live}")\n', codes="KEY202")
    assert len(found) == 1
    assert live not in found[0].message and live not in found[0].snippet
    assert "X-API-Key" in found[0].message


@pytest.mark.parametrize("source", [
    # a keyword named params on something that is not an HTTP client
    "from django.db import connection\nconnection.cursor().execute(sql, params={'key': key})\n",
    "def fetch(session):\n    return session.get(url, params={'api_key': key})\n",
    "import requests\nrequests.get(url, params={'api_key': None, 'q': q})\n",
    "import requests\nrequests.get(url, headers={'X-API-Key': key}, params={'q': q})\n",
    "import requests\nrequests.get(url, json={'api_key': key})\n",
    "import requests\nrequests.get(url, params={'api_key': '<your-api-key>'})\n",
    "import requests\nrequests.get(url, params={'token': next_page_token})\n",
    "import requests\ncache.get(key=api_key)\nsorted(items, key=str)\n",
])
def test_client_negatives(source):
    assert codes(source, prefix="KEY2") == []


@pytest.mark.parametrize("source, expected", [
    ("import requests\nrequests.get(url, {'api_key': key})\n", "KEY201"),
    ("import requests\nwith requests.Session() as s:\n    s.get(url, params={'token': t})\n", "KEY201"),
    ("import requests\nclass C:\n    def __init__(self, k):\n        self.http = requests.Session()\n"
     "        self.http.params['apikey'] = k\n", "KEY201"),
    ("import requests\nparams = {'q': q}\nparams.update(api_key=k)\nrequests.get(url, params=params)\n", "KEY201"),
    ("import requests\nrequests.get(base + '&api_key=' + key)\n", "KEY202"),
    ("import requests\nurl = '%s?token=%s' % (base, tok)\nrequests.post(url, data=body)\n", "KEY202"),
    ("import requests\nrequests.request('GET', f'{base}/x?sso={t}')\n", "KEY202"),
    ("import http.client\nc = http.client.HTTPSConnection('api.example.com')\nc.request('GET', '/v1?key=' + k)\n", "KEY202"),
    ("import logging\nlogging.warning('bad response from %s?access_token=%s', base, t)\n", "KEY202"),
    ("from starlette.responses import RedirectResponse\ndef f(t):\n    return RedirectResponse(url=f'/app?token={t}')\n", "KEY202"),
])
def test_client_shapes(source, expected):
    assert codes(source, prefix="KEY2") == [expected]


@pytest.mark.parametrize("source", [
    # `request` that is not a parameter, or whose framework is not imported
    "from django.http import JsonResponse\nrequest = build()\ndef v():\n    return request.GET.get('token')\n",
    "def v(request):\n    return request.query_params.get('token')\n",
    "from flask import request\ndef v():\n    return request.form.get('password')\n",
    "from flask import request\ndef v():\n    return request.args.get(name)\n",
    "from flask import request\ndef confirm_email():\n    return request.args['token']\n",
])
def test_server_negatives(source):
    assert codes(source, prefix="KEY2") == []


@pytest.mark.parametrize("read", ["request.query.get('api_key')", "request.query.api_key", "request.params['token']"])
def test_bottle_query(read):
    source = f"from bottle import request, route\n@route('/x')\ndef x():\n    return {read}\n"
    assert codes(source, prefix="KEY2") == ["KEY203"]


def test_bottle_query_attribute_needs_bottle():
    source = "from flask import request\ndef x():\n    return request.query.api_key, request.args.q\n"
    assert codes(source, prefix="KEY2") == []


def test_fastapi_plain_params_of_non_routes_are_quiet():
    source = (
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "@app.get('/items/{token}')\ndef items(token: str, secret: dict = None):\n    ...\n"
        "def helper(api_key: str):\n    ...\n"
    )
    assert codes(source, prefix="KEY2") == []


def test_nul_characters_in_literals_do_not_forge_hole_markers():
    from keylint import engine
    from keylint.config import Config

    outcome = engine.check_source("import requests\nrequests.get('https://x/?key=' + '\\x000')\n", "a.py", Config())
    assert not [e for e in outcome.errors if e.kind == "rule"], outcome.errors
