"""The Rule: one weakness, its documentation and examples, and its checks.

A rule declares handlers named after LibCST node classes (`visit_Call`, `visit_Assign`, ...). The
engine walks each file once (analysis.facts), then calls the handlers over the collected nodes in
source order, with `self.ctx` pointing at the node's scope and statement. Handlers ask
`self.ctx` for qualified names and resolved values, and call `self.report(...)`.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import ClassVar, List, Optional, Sequence

import libcst as cst

from keylint import prefilter
from keylint.analysis.facts import FileFacts, NodeInfo, Scope
from keylint.analysis.names import qualified_name
from keylint.analysis.values import Resolver, Value
from keylint.config import Config
from keylint.findings import Confidence, Severity


@dataclass
class RawReport:
    code: str
    node: cst.CSTNode
    message: str
    severity: Severity
    confidence: Confidence
    info: Optional[NodeInfo]
    secrets: tuple


_HEADING = re.compile(r"^(What it does|Why is this bad\?|Example|Use instead|References):?$")


class FileContext:
    """What a rule may ask about the file it is checking."""

    def __init__(self, facts: FileFacts, resolver: Resolver, config: Config, path: str, text: str):
        self.facts = facts
        self.resolver = resolver
        self.config = config
        self.path = path
        self.text = text
        self.info: Optional[NodeInfo] = None  # the node being dispatched
        self.reports: List[RawReport] = []

    @property
    def scope(self) -> Scope:
        return self.info.scope if self.info is not None else self.facts.module_scope

    def qualname(self, expr: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[str]:
        return qualified_name(self.facts, expr, scope or self.scope)

    def resolve(self, expr: cst.CSTNode, scope: Optional[Scope] = None) -> Value:
        before = self.info.order if self.info is not None else None
        return self.resolver.resolve(expr, scope or self.scope, before)

    def code(self, node: cst.CSTNode) -> str:
        return self.facts.module.code_for_node(node)


class Rule:
    """Subclass per weakness. Class attributes describe it; handlers check it."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    confidence: ClassVar[Confidence] = Confidence.HIGH
    cwe: ClassVar[int]
    message: ClassVar[str]  # one line; may use {placeholders} filled by report(**fields)
    examples_bad: ClassVar[Sequence[str]] = ()
    examples_good: ClassVar[Sequence[str]] = ()
    default_enabled: ClassVar[bool] = True
    tags: ClassVar[Sequence[str]] = ()

    def __init__(self, ctx: FileContext):
        self.ctx = ctx

    @classmethod
    def triggers_for(cls, config: Optional[Config] = None):
        """The bytes without which this rule cannot fire, under config (prefilter.RULE_TRIGGERS)."""
        return prefilter.trigger_for(cls.code, config)

    def finish(self) -> None:
        """Called after every collected node was dispatched; for rules that correlate nodes."""

    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        secret: Optional[str] = None,
        secrets: Sequence[str] = (),
        severity: Optional[Severity] = None,
        confidence: Optional[Confidence] = None,
        **fields,
    ) -> None:
        """Report node. `secret` (the plain value) is redacted from message and snippet."""
        text = message if message is not None else self.message.format(**fields)
        all_secrets = tuple(s for s in ((secret,) if secret else ()) + tuple(secrets) if s)
        info = self.ctx.facts.info.get(id(node), self.ctx.info)
        self.ctx.reports.append(
            RawReport(self.code, node, text, severity or self.severity, confidence or self.confidence, info, all_secrets)
        )

    # --- documentation --------------------------------------------------------------------------
    @classmethod
    def docs(cls) -> str:
        # cleandoc, not dedent: the summary sits on the first line, unindented, beside the quotes
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> dict:
        """The docstring's parts: summary, What it does, Why is this bad?, Example, Use instead, References."""
        sections: dict = {}
        current = "summary"
        for line in cls.docs().splitlines():
            heading = _HEADING.match(line.strip())
            if heading:
                current = heading.group(1)
                sections[current] = []
                continue
            sections.setdefault(current, []).append(line)
        return {key: "\n".join(value).strip() for key, value in sections.items()}

    @classmethod
    def short_description(cls) -> str:
        return cls.doc_sections().get("summary", "").split("\n\n")[0].replace("\n", " ").strip() or cls.name

    @classmethod
    def handled_types(cls) -> frozenset:
        types = set()
        for attr in dir(cls):
            if attr.startswith("visit_"):
                node_type = getattr(cst, attr[len("visit_"):], None)
                if isinstance(node_type, type) and issubclass(node_type, cst.CSTNode):
                    types.add(node_type)
        return frozenset(types)
