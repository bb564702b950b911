"""Resolve an expression to a value when the file says what it is, and say "unknown" otherwise.

Values: str (fully known), Template (a string with unknown holes, e.g. an f-string), int / float /
bool / None, DictValue, SeqValue, Duration (timedelta / seconds), TimePoint (now + offset),
External (read from the environment or settings at run time), or UNKNOWN.

Names resolve when bound exactly once in their scope (module constants, locals); dicts pick up
later `d["k"] = v`, `d.update(...)` and `d.setdefault(...)` made in the same scope before the use;
`{**base, ...}` merges; a call to a small helper in the same module that `return`s one expression
resolves to that expression.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple, Union

import libcst as cst

from keylint.analysis.facts import FileFacts, Scope
from keylint.analysis.names import qualified_name

_MAX_DEPTH = 20


class _Unknown:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Ref:
    """An expression together with the scope its names resolve in."""

    node: cst.CSTNode
    scope: Scope

    def __repr__(self) -> str:
        return f"Ref({type(self.node).__name__})"


@dataclass(frozen=True)
class Hole:
    ref: Optional[Ref]  # the unknown expression, if there is one


@dataclass(frozen=True)
class Template:
    """A string with unknown parts: f"https://x/?api_key={key}" -> ["https://x/?api_key=", Hole]."""

    parts: Tuple[Union[str, Hole], ...]

    @property
    def text(self) -> str:
        """Known text with each hole shown as `{}`."""
        return "".join(p if isinstance(p, str) else "{}" for p in self.parts)

    @property
    def known_prefix(self) -> str:
        out = []
        for part in self.parts:
            if not isinstance(part, str):
                break
            out.append(part)
        return "".join(out)


@dataclass
class DictValue:
    """Keys resolved to Python values; each value kept as an unresolved Ref (resolve on demand)."""

    entries: Dict[object, Ref] = field(default_factory=dict)
    complete: bool = True  # False when some part could not be resolved (a ** of unknown, a dynamic key)

    def get(self, key) -> Optional[Ref]:
        return self.entries.get(key)

    def keys(self):
        return self.entries.keys()


@dataclass
class SeqValue:
    items: List[Ref]
    kind: str = "list"  # list | tuple | set
    complete: bool = True


@dataclass(frozen=True)
class Duration:
    seconds: float


@dataclass(frozen=True)
class TimePoint:
    """A moment computed from the current time: now + offset seconds."""

    offset: float


@dataclass(frozen=True)
class External:
    """Read at run time from outside the code: os.environ, getenv, a settings object, a secrets store."""

    source: str  # qualified name of the lookup, e.g. "os.getenv"
    name: Optional[str] = None  # the variable name, when literal
    default: Optional[Ref] = None  # the literal fallback, if any


Value = object  # str | int | float | bool | None | Template | DictValue | SeqValue | Duration | TimePoint | External | UNKNOWN

# Calls whose result comes from outside the code.
ENV_LOOKUPS = {
    "os.getenv": 1, "os.environ.get": 1, "os.environ.setdefault": 1, "os.getenvb": 1,
    "os.environ.__getitem__": None,
    "decouple.config": "default", "environ.Env()": "default", "environ.Env().str": "default",
    "environs.Env().str": "default", "environs.Env()": "default",
    "dotenv.get_key": None, "keyring.get_password": None, "getpass.getpass": None, "getpass.getuser": None,
}
TIMEDELTA = {"datetime.timedelta", "datetime.datetime.timedelta"}
NOW_CALLS = {
    "datetime.datetime.utcnow", "datetime.datetime.now", "datetime.datetime.today", "time.time",
    "django.utils.timezone.now", "arrow.utcnow", "arrow.now", "pendulum.now", "datetime.datetime.utcnow().replace",
}
_TIMEDELTA_UNITS = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1, "milliseconds": 0.001, "microseconds": 1e-6}
_TIMEDELTA_POSITIONAL = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")


class Resolver:
    """Per-file value resolution over the facts of one traversal. Results are memoised."""

    def __init__(self, facts: FileFacts):
        self.facts = facts
        self._cache: Dict[Tuple[int, int, Optional[int]], Value] = {}

    # --- public API -------------------------------------------------------------------------
    def resolve(self, node: cst.CSTNode, scope: Scope, before: Optional[int] = None) -> Value:
        """The value of node, or UNKNOWN. `before` (a statement order) limits dict fills to those
        made before the use."""
        return self._resolve(node, scope, before, 0)

    def resolve_ref(self, ref: Ref, before: Optional[int] = None) -> Value:
        return self._resolve(ref.node, ref.scope, before, 0)

    def qualname(self, node: cst.CSTNode, scope: Scope) -> Optional[str]:
        return qualified_name(self.facts, node, scope)

    # --- the resolver -----------------------------------------------------------------------
    def _resolve(self, node, scope, before, depth) -> Value:
        if depth > _MAX_DEPTH:
            return UNKNOWN
        key = (id(node), id(scope), before)
        cached = self._cache.get(key, None)
        if cached is not None or key in self._cache:
            return cached
        self._cache[key] = UNKNOWN  # cycle guard: a self-reference resolves to unknown
        try:
            value = self._compute(node, scope, before, depth)
        except (ArithmeticError, ValueError, TypeError, OverflowError, RecursionError):
            value = UNKNOWN
        self._cache[key] = value
        return value

    def _compute(self, node, scope, before, depth) -> Value:  # noqa: C901 - one dispatch table
        r = lambda n, s=scope: self._resolve(n, s, before, depth + 1)  # noqa: E731
        if isinstance(node, cst.SimpleString):
            return node.evaluated_value if isinstance(node.evaluated_value, str) else UNKNOWN
        if isinstance(node, cst.ConcatenatedString):
            return _concat(r(node.left), r(node.right))
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, scope, r)
        if isinstance(node, cst.Integer):
            return node.evaluated_value
        if isinstance(node, cst.Float):
            return node.evaluated_value
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.value]
            return self._name(node.value, scope, before, depth)
        if isinstance(node, cst.UnaryOperation):
            operand = r(node.expression)
            if isinstance(node.operator, cst.Minus) and _is_number(operand):
                return -operand
            if isinstance(node.operator, cst.Not) and operand is not UNKNOWN and not isinstance(operand, (Template, External)):
                return not operand
            return UNKNOWN
        if isinstance(node, cst.BinaryOperation):
            left = r(node.left)
            if isinstance(node.operator, cst.Modulo) and isinstance(left, str):
                return _percent_format(left, node.right, scope, r)
            return _binary(node.operator, left, r(node.right), node, scope)
        if isinstance(node, cst.Dict):
            return self._dict_literal(node, scope, r)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            kind = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}[type(node)]
            items, complete = [], True
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    inner = r(element.value)
                    if isinstance(inner, SeqValue):
                        items.extend(inner.items)
                        complete = complete and inner.complete
                    else:
                        complete = False
                else:
                    items.append(Ref(element.value, scope))
            return SeqValue(items, kind, complete)
        if isinstance(node, cst.Call):
            return self._call(node, scope, before, depth, r)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, scope, r)
        if isinstance(node, cst.Attribute):
            qualname = qualified_name(self.facts, node, scope)
            if qualname == "os.environ":
                return External("os.environ")
            if qualname and (qualname.startswith("django.conf.settings.") or qualname.startswith("flask.current_app.config")):
                return External(qualname)
            return UNKNOWN
        if isinstance(node, cst.Await):
            return UNKNOWN
        return UNKNOWN

    def _name(self, name: str, scope: Scope, before, depth) -> Value:
        owner, bindings = scope.lookup(name)
        if owner is None or len(bindings) != 1:
            return UNKNOWN
        binding = bindings[0]
        if binding.kind != "assign" or binding.value is None:
            return UNKNOWN
        value = self._resolve(binding.value, owner, None, depth + 1)
        if isinstance(value, DictValue):
            value = self._apply_mutations(name, owner, value, before, depth)
        return value

    def _apply_mutations(self, name, owner: Scope, value: DictValue, before, depth) -> DictValue:
        mutations = owner.mutations.get(name)
        if not mutations:
            return value
        out = DictValue(dict(value.entries), value.complete)
        for mutation in mutations:
            if before is not None and mutation.order >= before:
                continue
            if mutation.kind == "setitem":
                key = self._resolve(mutation.node, owner, None, depth + 1)
                if _hashable_key(key) and mutation.value is not None:
                    out.entries[key] = Ref(mutation.value, owner)
                else:
                    out.complete = False
            elif mutation.kind in ("update", "setdefault"):
                call: cst.Call = mutation.node
                if mutation.kind == "setdefault" and len(call.args) == 2 and call.args[0].keyword is None:
                    key = self._resolve(call.args[0].value, owner, None, depth + 1)
                    if _hashable_key(key):
                        out.entries.setdefault(key, Ref(call.args[1].value, owner))
                    else:
                        out.complete = False
                elif mutation.kind == "update":
                    fill = self._call_kwargs_dict(call, owner, lambda n: self._resolve(n, owner, None, depth + 1))
                    out.entries.update(fill.entries)
                    out.complete = out.complete and fill.complete
        return out

    def _fstring(self, node: cst.FormattedString, scope, r) -> Value:
        parts: List[Union[str, Hole]] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(_unescape_fstring_text(part.value, node.prefix))
            elif isinstance(part, cst.FormattedStringExpression):
                value = r(part.expression) if part.format_spec is None and part.conversion is None else UNKNOWN
                if isinstance(value, str):
                    parts.append(value)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    parts.append(str(value))
                elif isinstance(value, Template):
                    parts.extend(value.parts)
                else:
                    parts.append(Hole(Ref(part.expression, scope)))
        return _template(parts)

    def _dict_literal(self, node: cst.Dict, scope, r) -> DictValue:
        out = DictValue()
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                inner = r(element.value)
                if isinstance(inner, DictValue):
                    out.entries.update(inner.entries)
                    out.complete = out.complete and inner.complete
                else:
                    out.complete = False
                continue
            key = r(element.key)
            if _hashable_key(key):
                out.entries[key] = Ref(element.value, scope)
            else:
                out.complete = False
        return out

    def _call_kwargs_dict(self, call: cst.Call, scope, r) -> DictValue:
        """dict(...) / d.update(...): positional mapping or pairs, then keyword arguments."""
        out = DictValue()
        for arg in call.args:
            if arg.keyword is not None:
                out.entries[arg.keyword.value] = Ref(arg.value, scope)
            elif arg.star == "**":
                inner = r(arg.value)
                if isinstance(inner, DictValue):
                    out.entries.update(inner.entries)
                    out.complete = out.complete and inner.complete
                else:
                    out.complete = False
            elif arg.star == "":
                inner = r(arg.value)
                if isinstance(inner, DictValue):
                    out.entries.update(inner.entries)
                    out.complete = out.complete and inner.complete
                elif isinstance(inner, SeqValue):
                    for item in inner.items:
                        pair = r(item.node, item.scope)
                        if isinstance(pair, SeqValue) and len(pair.items) == 2:
                            key = r(pair.items[0].node, pair.items[0].scope)
                            if _hashable_key(key):
                                out.entries[key] = pair.items[1]
                                continue
                        out.complete = False
                else:
                    out.complete = False
            else:
                out.complete = False
        return out

    def _call(self, node: cst.Call, scope, before, depth, r) -> Value:
        qualname = qualified_name(self.facts, node.func, scope)
        if qualname == "builtins.dict":
            return self._call_kwargs_dict(node, scope, r)
        if qualname in ("builtins.str", "builtins.int", "builtins.float", "builtins.round") and len(node.args) == 1:
            inner = r(node.args[0].value)
            if isinstance(inner, TimePoint) or isinstance(inner, Duration):
                return inner
            if qualname == "builtins.str" and isinstance(inner, (str, int, float)) and not isinstance(inner, bool):
                return str(inner)
            if qualname == "builtins.int" and isinstance(inner, (int, float, str)) and not isinstance(inner, bool):
                return int(inner)
            return UNKNOWN
        if qualname in TIMEDELTA:
            total = 0.0
            for index, arg in enumerate(node.args):
                unit = arg.keyword.value if arg.keyword is not None else (_TIMEDELTA_POSITIONAL[index] if index < len(_TIMEDELTA_POSITIONAL) else None)
                amount = r(arg.value)
                if unit not in _TIMEDELTA_UNITS or not _is_number(amount):
                    return UNKNOWN
                total += amount * _TIMEDELTA_UNITS[unit]
            return Duration(total)
        if qualname in NOW_CALLS or (qualname and qualname.endswith(".timestamp") and isinstance(r(node.func.value), TimePoint)):
            return TimePoint(0)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("timestamp", "replace", "astimezone", "utctimetuple", "timetuple"):
            inner = r(node.func.value)
            if isinstance(inner, TimePoint):
                return inner
        if qualname in ("calendar.timegm", "time.mktime") and len(node.args) == 1:
            inner = r(node.args[0].value)  # calendar.timegm((now + delta).utctimetuple())
            if isinstance(inner, TimePoint):
                return inner
        if qualname in ENV_LOOKUPS or (qualname or "").startswith("os.environ."):
            return self._external(node, qualname, scope, r)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            fmt = r(node.func.value)
            if isinstance(fmt, str):
                return _format(fmt, node, scope, r)
            return UNKNOWN
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "copy" and not node.args:
            inner = r(node.func.value)
            return inner if isinstance(inner, DictValue) else UNKNOWN
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "join" and len(node.args) == 1:
            sep, items = r(node.func.value), r(node.args[0].value)
            if isinstance(sep, str) and isinstance(items, SeqValue) and items.complete:
                parts = [r(item.node, item.scope) for item in items.items]
                if all(isinstance(p, str) for p in parts):
                    return sep.join(parts)
            return UNKNOWN
        if qualname and qualname.startswith("<module>."):
            return self._helper_return(qualname[len("<module>."):], depth)
        return UNKNOWN

    def _external(self, node: cst.Call, qualname: str, scope, r) -> External:
        name = default = None
        if node.args and node.args[0].keyword is None:
            first = r(node.args[0].value)
            name = first if isinstance(first, str) else None
        spec = ENV_LOOKUPS.get(qualname)
        for index, arg in enumerate(node.args):
            if arg.keyword is not None and arg.keyword.value == "default":
                default = Ref(arg.value, scope)
            elif spec == 1 and index == 1 and arg.keyword is None:
                default = Ref(arg.value, scope)
        return External(qualname, name, default)

    def _subscript(self, node: cst.Subscript, scope, r) -> Value:
        base_qualname = qualified_name(self.facts, node.value, scope)
        if base_qualname == "os.environ":
            key = None
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = r(node.slice[0].slice.value)
            return External("os.environ", key if isinstance(key, str) else None)
        base = r(node.value)
        if isinstance(base, External):
            return External(base.source)
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return UNKNOWN
        key = r(node.slice[0].slice.value)
        if isinstance(base, DictValue) and _hashable_key(key) and key in base.entries:
            ref = base.entries[key]
            return self._resolve(ref.node, ref.scope, None, 1)
        if isinstance(base, SeqValue) and isinstance(key, int) and -len(base.items) <= key < len(base.items):
            ref = base.items[key]
            return self._resolve(ref.node, ref.scope, None, 1)
        return UNKNOWN

    def _helper_return(self, name: str, depth) -> Value:
        """A module-level function whose body returns one expression: `def payload(u): return {...}`."""
        module = self.facts.module_scope
        bindings = module.bindings.get(name, [])
        if len(bindings) != 1 or bindings[0].kind != "def":
            return UNKNOWN
        func: cst.FunctionDef = bindings[0].value
        returns = _returns(func)
        if len(returns) != 1 or returns[0].value is None:
            return UNKNOWN
        func_scope = next((s for s in self.facts.scopes if s.node is func), None)
        if func_scope is None:
            return UNKNOWN
        value = self._resolve(returns[0].value, func_scope, None, depth + 1)
        if isinstance(value, DictValue) and isinstance(returns[0].value, cst.Name):
            value = self._apply_mutations(returns[0].value.value, func_scope, value, None, depth)
        return value


def _returns(func: cst.FunctionDef) -> List[cst.Return]:
    found: List[cst.Return] = []

    class _Find(cst.CSTVisitor):
        def visit_Return(self, node):
            found.append(node)

        def visit_FunctionDef(self, node):  # nested functions' returns are not ours
            return node is func

        def visit_ClassDef(self, node):
            return False

    func.visit(_Find())
    return found


def _hashable_key(key) -> bool:
    return isinstance(key, (str, int)) and not isinstance(key, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _template(parts) -> Value:
    merged: List[Union[str, Hole]] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if all(isinstance(p, str) for p in merged):
        return "".join(merged)  # type: ignore[arg-type]
    return Template(tuple(merged))


def _as_parts(value, node=None, scope=None):
    if isinstance(value, str):
        return [value]
    if isinstance(value, Template):
        return list(value.parts)
    return [Hole(Ref(node, scope) if node is not None else None)]


def _concat(left, right) -> Value:
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, (str, Template)) or isinstance(right, (str, Template)):
        return _template(_as_parts(left) + _as_parts(right))
    return UNKNOWN


def _binary(operator, left, right, node, scope) -> Value:
    if isinstance(operator, cst.Add):
        if isinstance(left, (str, Template)) or isinstance(right, (str, Template)):
            if isinstance(left, (str, Template)) or isinstance(right, (str, Template)):
                return _template(_as_parts(left, node.left, scope) + _as_parts(right, node.right, scope))
        if _is_number(left) and _is_number(right):
            return left + right
        if isinstance(left, Duration) and isinstance(right, Duration):
            return Duration(left.seconds + right.seconds)
        if isinstance(left, TimePoint) and isinstance(right, Duration):
            return TimePoint(left.offset + right.seconds)
        if isinstance(right, TimePoint) and isinstance(left, Duration):
            return TimePoint(right.offset + left.seconds)
        if isinstance(left, TimePoint) and _is_number(right):
            return TimePoint(left.offset + right)
        if isinstance(right, TimePoint) and _is_number(left):
            return TimePoint(right.offset + left)
        if isinstance(left, SeqValue) and isinstance(right, SeqValue):
            return SeqValue(left.items + right.items, left.kind, left.complete and right.complete)
        return UNKNOWN
    if isinstance(operator, cst.Subtract):
        if _is_number(left) and _is_number(right):
            return left - right
        if isinstance(left, TimePoint) and isinstance(right, TimePoint):
            return Duration(left.offset - right.offset)
        if isinstance(left, Duration) and isinstance(right, Duration):
            return Duration(left.seconds - right.seconds)
        return UNKNOWN
    if isinstance(operator, cst.Multiply):
        if _is_number(left) and _is_number(right):
            if abs(left) > 1e15 or abs(right) > 1e15:
                return UNKNOWN
            return left * right
        if isinstance(left, Duration) and _is_number(right):
            return Duration(left.seconds * right)
        if isinstance(right, Duration) and _is_number(left):
            return Duration(right.seconds * left)
        return UNKNOWN
    if isinstance(operator, (cst.Divide, cst.FloorDivide)):
        if _is_number(left) and _is_number(right) and right:
            return left / right if isinstance(operator, cst.Divide) else left // right
        if isinstance(left, Duration) and _is_number(right) and right:
            return Duration(left.seconds / right)
        return UNKNOWN
    return UNKNOWN


def _percent_format(fmt: str, right_node, scope, r) -> Value:
    """'...?key=%s' % key -> Template; unknown arguments become holes."""
    import re

    if isinstance(right_node, cst.Tuple):
        args = [element.value for element in right_node.elements]
    else:
        args = [right_node]
    parts: List[Union[str, Hole]] = []
    pos = 0
    index = 0
    for match in re.finditer(r"%(\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXoeEgGc%]", fmt):
        parts.append(fmt[pos:match.start()])
        pos = match.end()
        if match.group(0) == "%%":
            parts.append("%")
            continue
        if match.group(1) or index >= len(args):
            parts.append(Hole(None))
            continue
        arg = args[index]
        index += 1
        value = r(arg)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            parts.append(str(value))
        elif isinstance(value, Template):
            parts.extend(value.parts)
        else:
            parts.append(Hole(Ref(arg, scope)))
    parts.append(fmt[pos:])
    return _template(parts)


def _format(fmt: str, call: cst.Call, scope, r) -> Value:
    """'{}?api_key={key}'.format(base, key=k): known arguments fill in, unknown ones become holes."""
    import string

    positional = [a for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
    parts: List[Union[str, Hole]] = []
    auto = 0
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return UNKNOWN
    for literal, field_name, _spec, _conv in parsed:
        parts.append(literal)
        if field_name is None:
            continue
        arg = None
        head = field_name.split(".")[0].split("[")[0]
        if head == "":
            arg = positional[auto] if auto < len(positional) else None
            auto += 1
        elif head.isdigit():
            index = int(head)
            arg = positional[index] if index < len(positional) else None
        else:
            arg = keywords.get(head)
        if arg is None or head != field_name:
            parts.append(Hole(Ref(arg.value, scope) if arg is not None else None))
            continue
        value = r(arg.value)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            parts.append(str(value))
        elif isinstance(value, Template):
            parts.extend(value.parts)
        else:
            parts.append(Hole(Ref(arg.value, scope)))
    return _template(parts)


def _unescape_fstring_text(text: str, prefix: str) -> str:
    text = text.replace("{{", "{").replace("}}", "}")
    if "r" in prefix.lower() or "\\" not in text:
        return text
    try:
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return text
