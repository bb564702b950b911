"""Qualified names of expressions, through imports, aliases and simple assignments.

`import jwt as j; j.decode` -> "jwt.decode"; `from jose import jwt; jwt.decode` -> "jose.jwt.decode";
`s = requests.Session(); s.get` -> "requests.Session().get"; `self.http = httpx.Client()` in
`__init__`, then `self.http.get` in a method -> "httpx.Client().get".

A name that was never imported or assigned resolves to None (never to its spelling), except
builtins, which resolve to "builtins.<name>".
"""

from __future__ import annotations

import builtins
from typing import Optional

import libcst as cst

from keylint.analysis.facts import FileFacts, Scope

_BUILTINS = frozenset(dir(builtins))
_MAX_DEPTH = 12


def qualified_name(facts: FileFacts, expr: cst.CSTNode, scope: Scope, _depth: int = 0) -> Optional[str]:
    if _depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Name):
        return _name(facts, expr.value, scope, _depth)
    if isinstance(expr, cst.Attribute):
        if isinstance(expr.value, cst.Name):
            attribute = _self_attribute(facts, expr, scope, _depth)
            if attribute is not None:
                return attribute
        base = qualified_name(facts, expr.value, scope, _depth + 1)
        return f"{base}.{expr.attr.value}" if base else None
    if isinstance(expr, cst.Call):
        base = qualified_name(facts, expr.func, scope, _depth + 1)
        return f"{base}()" if base else None
    if isinstance(expr, cst.Await):
        return qualified_name(facts, expr.expression, scope, _depth + 1)
    return None


def _name(facts: FileFacts, name: str, scope: Scope, depth: int) -> Optional[str]:
    owner, bindings = scope.lookup(name)
    if not bindings:
        if name in facts.imports:  # imported somewhere we did not see as a binding (e.g. star)
            return facts.imports[name]
        return f"builtins.{name}" if name in _BUILTINS else None
    if all(b.kind == "import" for b in bindings):
        return facts.imports.get(name)
    assigned = [b for b in bindings if b.kind != "import"]
    if len(assigned) == 1 and len(bindings) == 1:
        value = assigned[0].value
        if assigned[0].kind == "assign" and isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Await)):
            return qualified_name(facts, value, owner, depth + 1)
        if assigned[0].kind in ("def", "class") and owner is not None and owner.kind == "module":
            return f"<module>.{name}"
    if len(bindings) == 2 and any(b.kind == "import" for b in bindings):
        # try: import x / except ImportError: x = None  -- the import is what matters
        if any(b.kind == "assign" and (b.value is None or _is_none(b.value)) for b in bindings):
            return facts.imports.get(name)
    return None


def _is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _self_attribute(facts: FileFacts, expr: cst.Attribute, scope: Scope, depth: int) -> Optional[str]:
    """self.client where __init__ did `self.client = httpx.Client()`."""
    cls = scope.enclosing_class()
    func = scope.node
    if cls is None or not isinstance(func, cst.FunctionDef):
        return None
    params = func.params.posonly_params or func.params.params
    if not params or params[0].name.value != expr.value.value:
        return None
    bindings = cls.attributes.get(expr.attr.value, [])
    if len(bindings) != 1 or bindings[0].value is None:
        return None
    value = bindings[0].value
    if isinstance(value, (cst.Name, cst.Attribute, cst.Call)):
        init_scope = _method_scope(facts, cls)
        return qualified_name(facts, value, init_scope or cls, depth + 1)
    return None


def _method_scope(facts: FileFacts, cls: Scope) -> Optional[Scope]:
    """Names in `self.x = <value>` resolve the same from any method of the class (module imports,
    module constants), so the first method scope stands in for the one that made the assignment."""
    for scope in facts.scopes:
        if scope.parent is cls and scope.kind == "function":
            return scope
    return None
