"""The registry: every Rule subclass in the family modules, by code.

A family module only has to define its Rule subclasses; importing it here registers them.
"""

from __future__ import annotations

import importlib
from typing import Dict, List, Type

from keylint.rules.base import Rule

_FAMILY_MODULES = ("secrets", "query_keys", "jwt_verify", "token_lifetime", "token_pii")


def _load() -> Dict[str, Type[Rule]]:
    registry: Dict[str, Type[Rule]] = {}
    for module_name in _FAMILY_MODULES:
        try:
            module = importlib.import_module(f"keylint.rules.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"keylint.rules.{module_name}":
                continue  # family not written yet
            raise
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and getattr(value, "code", None):
                if value.__module__ != module.__name__:
                    continue
                if value.code in registry and registry[value.code] is not value:
                    raise RuntimeError(f"duplicate rule code {value.code}")
                registry[value.code] = value
    return dict(sorted(registry.items()))


RULES: Dict[str, Type[Rule]] = _load()


def all_rules() -> List[Type[Rule]]:
    return list(RULES.values())


def get(code: str) -> Type[Rule]:
    return RULES[code.upper()]
