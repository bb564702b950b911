"""The one traversal of a file: everything rules need to know, gathered in a single pass.

While walking the tree once, the collector records
- the import-alias table (for analysis.names),
- scopes (module, class, function) with every name binding and every in-place dict fill
  (`d["k"] = v`, `d.update(...)`, `d.setdefault(...)`) for analysis.values,
- the nodes of the types the enabled rules asked for, each with its scope, enclosing statement
  and source order.

Rules then run over the collected nodes *after* the walk, when the tables are complete: a module
constant defined below the function that uses it still resolves. This is still one traversal per
file; rules never walk the tree themselves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import libcst as cst


@dataclass
class Binding:
    """`name = value` (value is the expression) or any other binding (value is None)."""

    value: Optional[cst.CSTNode]
    order: int
    kind: str = "assign"  # assign | import | param | def | class | other


@dataclass
class Mutation:
    """An in-place fill of a dict held in a name: d[key] = value / d.update(...) / d.setdefault(k, v)."""

    kind: str  # setitem | update | setdefault
    node: cst.CSTNode  # the Subscript target's slice value / the Call
    value: Optional[cst.CSTNode]
    order: int


@dataclass(eq=False)
class Scope:
    kind: str  # module | class | function
    node: cst.CSTNode
    parent: Optional["Scope"]
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    mutations: Dict[str, List[Mutation]] = field(default_factory=dict)
    # class scopes: self.<attr> = value assignments made in the class's methods
    attributes: Dict[str, List[Binding]] = field(default_factory=dict)
    globals: set = field(default_factory=set)

    def __repr__(self) -> str:
        name = getattr(getattr(self.node, "name", None), "value", "")
        return f"<Scope {self.kind} {name}>".replace(" >", ">")

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    @property
    def function(self) -> Optional[cst.FunctionDef]:
        return self.node if self.kind == "function" else None

    def enclosing_class(self) -> Optional["Scope"]:
        """For a method's scope, the class scope it is defined in."""
        if self.kind == "function" and self.parent is not None and self.parent.kind == "class":
            return self.parent
        return None

    def lookup(self, name: str) -> Tuple[Optional["Scope"], List[Binding]]:
        """Python's rule for reading a name: this function, enclosing functions, then the module
        (class bodies are skipped from inside methods)."""
        scope: Optional[Scope] = self
        first = True
        while scope is not None:
            if name in scope.globals:
                scope = _module_of(scope)
                return scope, scope.bindings.get(name, [])
            if (first or scope.kind != "class") and name in scope.bindings:
                return scope, scope.bindings[name]
            first = False
            scope = scope.parent
        return None, []


def _module_of(scope: Scope) -> Scope:
    while scope.parent is not None:
        scope = scope.parent
    return scope


@dataclass
class NodeInfo:
    scope: Scope
    statement: Optional[cst.CSTNode]
    order: int


_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


class FileFacts(cst.CSTVisitor):
    """Walks a module once. `wanted` is the set of node classes rules asked for."""

    def __init__(self, module: cst.Module, wanted: frozenset):
        super().__init__()
        self.module = module
        self.wanted = wanted
        self.imports: Dict[str, str] = {}  # local alias -> qualified name
        self.module_scope = Scope("module", module, None)
        self.collected: List[Tuple[cst.CSTNode, NodeInfo]] = []
        self.info: Dict[int, NodeInfo] = {}  # id(node) -> NodeInfo for collected nodes
        self._scope = self.module_scope
        self._statements: List[cst.CSTNode] = []
        self._order = 0
        self.scopes: List[Scope] = [self.module_scope]

    # --- the walk -----------------------------------------------------------------------------
    def walk(self, node: cst.CSTNode) -> None:
        """Visit the tree read-only, in source order. LibCST's own `visit` rebuilds every node on
        the way back up (for transformers); for a reader that costs twice the walk itself.

        Whitespace, operators and brackets (half the nodes) hold nothing but whitespace and
        comments: they are skipped unless a rule asked for comments. Node tests go by exact type
        through dicts, because isinstance against LibCST's abstract classes is slow."""
        skipped = () if self.wanted & _TRIVIA else _TRIVIA
        self._walk(node, skipped)

    def _walk(self, node: cst.CSTNode, skipped) -> None:
        self.on_visit(node)
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for item in value:
                    if _is_node(type(item)) and type(item) not in skipped:
                        self._walk(item, skipped)
            elif _is_node(kind) and kind not in skipped:
                self._walk(value, skipped)
        self.on_leave(node)

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if _is_statement(kind):
            self._order += 1
            self._statements.append(node)
        handler = _ON_VISIT.get(kind)
        if handler is not None:
            handler(self, node)
        if kind in self.wanted:
            info = NodeInfo(self._scope, self._statements[-1] if self._statements else None, self._order)
            self.collected.append((node, info))
            self.info[id(node)] = info
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        kind = type(original_node)
        if kind in _SCOPE_NODES:
            self._scope = self._scope.parent or self.module_scope
        if _is_statement(kind):
            self._statements.pop()

    # --- recorders ----------------------------------------------------------------------------
    def _bind(self, name: str, value: Optional[cst.CSTNode], kind: str = "assign") -> None:
        self._scope.bind(name, Binding(value, self._order, kind))

    def _import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            if alias.asname is not None:
                local = _name_of(alias.asname.name)
                if local:
                    self.imports[local] = dotted
                    self._bind(local, None, "import")
            else:
                top = dotted.split(".")[0]
                self.imports[top] = top
                self._bind(top, None, "import")

    def _import_from(self, node: cst.ImportFrom) -> None:
        module = _dotted(node.module) if node.module is not None else ""
        prefix = "." * len(node.relative) + (module or "")
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _dotted(alias.name)
            if name is None:
                continue
            local = _name_of(alias.asname.name) if alias.asname is not None else name
            if not local:
                continue
            qualified = f"{prefix}.{name}" if prefix and not prefix.endswith(".") else f"{prefix}{name}"
            self.imports[local] = qualified
            self._bind(local, None, "import")

    def _function(self, node: cst.FunctionDef) -> None:
        self._bind(node.name.value, node, "def")
        scope = Scope("function", node, self._scope)
        self.scopes.append(scope)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bind(param.name.value, Binding(None, self._order, "param"))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.bind(star.name.value, Binding(None, self._order, "param"))
        self._scope = scope

    def _class(self, node: cst.ClassDef) -> None:
        self._bind(node.name.value, node, "class")
        scope = Scope("class", node, self._scope)
        self.scopes.append(scope)
        self._scope = scope

    def _lambda(self, node: cst.Lambda) -> None:
        scope = Scope("function", node, self._scope)
        for param in node.params.params:
            scope.bind(param.name.value, Binding(None, self._order, "param"))
        self._scope = scope

    def _assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target, node.value)

    def _ann_assign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)

    def _aug_assign(self, node: cst.AugAssign) -> None:
        self._target(node.target, None)

    def _target(self, target: cst.CSTNode, value: Optional[cst.CSTNode]) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            values = None
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(target.elements):
                values = [el.value for el in value.elements]
            for i, element in enumerate(target.elements):
                inner = element.value
                if isinstance(element, cst.StarredElement):
                    inner = element.value
                    self._target(inner, None)
                else:
                    self._target(inner, values[i] if values else None)
        elif isinstance(target, cst.Subscript):
            base = target.value
            if isinstance(base, cst.Name) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = target.slice[0].slice.value
                self._scope.mutations.setdefault(base.value, []).append(Mutation("setitem", key, value, self._order))
        elif isinstance(target, cst.Attribute):
            base = target.value
            cls = self._scope.enclosing_class()
            if cls is not None and isinstance(base, cst.Name) and base.value == _first_param(self._scope.node):
                cls.attributes.setdefault(target.attr.value, []).append(Binding(value, self._order))
        elif isinstance(target, cst.StarredElement):
            self._target(target.value, None)

    def _other_binding(self, node: cst.CSTNode) -> None:
        """Bindings whose value we do not model: for targets, with-as, except-as, walrus."""
        if isinstance(node, cst.For):
            self._target_unknown(node.target)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            self._target_unknown(node.asname.name)
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            self._target_unknown(node.name.name)
        elif isinstance(node, cst.NamedExpr):
            self._target(node.target, node.value)
        elif isinstance(node, cst.CompFor):
            pass  # comprehension variables live in their own scope

    def _target_unknown(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, None, "other")
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target_unknown(element.value)

    def _global(self, node) -> None:
        for item in node.names:
            self._scope.globals.add(item.name.value)

    def _call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in ("update", "setdefault"):
            self._scope.mutations.setdefault(func.value.value, []).append(
                Mutation(func.attr.value, node, None, self._order)
            )


def _first_param(node) -> Optional[str]:
    if isinstance(node, cst.FunctionDef):
        params = node.params.posonly_params or node.params.params
        if params:
            return params[0].name.value
    return None


def _dotted(node) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def _name_of(node) -> Optional[str]:
    return node.value if isinstance(node, cst.Name) else None


# Node types whose dataclass fields are not declared in source order (decorators after the body,
# keyword after value...): the order LibCST's own visitor uses. Fields not listed follow in
# declaration order (only whitespace, where comments live). tests/test_analysis.py checks that the
# walk and LibCST's visit collect the same nodes in the same order.
_SOURCE_ORDER = {
    cst.Arg: ("keyword", "value"),
    cst.ClassDef: ("leading_lines", "decorators", "lines_after_decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.FunctionDef: ("leading_lines", "decorators", "lines_after_decorators", "asynchronous", "name", "type_parameters",
                      "params", "returns", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.ImportFrom: ("relative", "module", "names"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.Parameters: ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
}
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _child_fields(node_type: type) -> Tuple[str, ...]:
    fields = _FIELDS.get(node_type)
    if fields is None:
        declared = [f.name for f in dataclasses.fields(node_type)]
        first = [name for name in _SOURCE_ORDER.get(node_type, ()) if name in declared]
        fields = _FIELDS[node_type] = tuple(first + [name for name in declared if name not in first])
    return fields


_NODE_TYPES: Dict[type, bool] = {}
_STATEMENT_TYPES: Dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return known


def _is_statement(kind: type) -> bool:
    known = _STATEMENT_TYPES.get(kind)
    if known is None:
        known = _STATEMENT_TYPES[kind] = issubclass(kind, _STATEMENTS)
    return known


def _trivia() -> frozenset:
    """Node classes that hold only whitespace and comments: whitespace, operators, brackets."""
    from libcst._nodes import op, whitespace

    kinds = {cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
             cst.RightCurlyBrace}
    for module in (op, whitespace):
        kinds.update(k for k in vars(module).values() if isinstance(k, type) and issubclass(k, cst.CSTNode))
    return frozenset(kinds)


_TRIVIA = _trivia()
_SCOPE_NODES = {cst.FunctionDef, cst.ClassDef, cst.Lambda}
_ON_VISIT = {
    cst.Import: FileFacts._import,
    cst.ImportFrom: FileFacts._import_from,
    cst.FunctionDef: FileFacts._function,
    cst.ClassDef: FileFacts._class,
    cst.Lambda: FileFacts._lambda,
    cst.Assign: FileFacts._assign,
    cst.AnnAssign: FileFacts._ann_assign,
    cst.AugAssign: FileFacts._aug_assign,
    cst.For: FileFacts._other_binding,
    cst.WithItem: FileFacts._other_binding,
    cst.ExceptHandler: FileFacts._other_binding,
    cst.NamedExpr: FileFacts._other_binding,
    cst.Global: FileFacts._global,
    cst.Call: FileFacts._call,
}
