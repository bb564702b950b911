"""Identifier words: `db_password` -> [db, password]; `apiKey` -> [api, key]; `X-API-Key` -> [x, api, key].

Every family matches names by their word parts, never by substring (so `passport` is not `pass`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Tuple

# The words of credential names (rules.secrets.credential_name; the prefilter's KEY1 trigger).
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "pass", "secret", "token", "credential", "credentials",
                          "creds", "apikey", "bearer", "privatekey", "secretkey", "accesskey", "signingkey"})
# "key" is a secret only after one of these ("api_key", "signing_key"), never alone (dict keys, sort keys).
KEY_QUALIFIERS = frozenset({"api", "access", "secret", "private", "signing", "sign", "encryption", "encrypt", "enc", "auth",
                            "client", "master", "app", "license", "licence", "shared", "hmac", "jwt", "session", "aes",
                            "crypto", "cipher", "account", "service", "webhook", "subscription", "admin", "write", "read",
                            "ssh", "deploy", "consumer"})

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@lru_cache(maxsize=4096)
def split_words(name: str) -> Tuple[str, ...]:
    words = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        words.extend(match.group(0).lower() for match in _CAMEL.finditer(chunk))
    return tuple(words)


def joined(name: str) -> str:
    """`api-key`, `apiKey`, `API_KEY` -> `apikey` (for comparing against lists of spellings)."""
    return "".join(split_words(name))
