"""Identifier words: `db_password` -> [db, password]; `apiKey` -> [api, key]; `X-API-Key` -> [x, api, key].

Every family matches names by their word parts, never by substring (so `passport` is not `pass`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Tuple

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
