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
from typing import ClassVar, List, Optional, Pattern, Sequence

import libcst as cst

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
    # Bytes without which this rule cannot fire (lossless prefilter); None = always run.
    triggers: ClassVar[Optional[Pattern[bytes]]] = None
    # Whether the rule reports from comments or docstrings; if not, its triggers must also occur in
    # the code without them (the prefilter's second stage, engine._rules_for_code).
    reads_comments: ClassVar[bool] = False
    default_enabled: ClassVar[bool] = True
    tags: ClassVar[Sequence[str]] = ()

    def __init__(self, ctx: FileContext):
        self.ctx = ctx

    @classmethod
    def triggers_for(cls, config: Config) -> Optional[Pattern[bytes]]:
        """The prefilter under this config; rules whose triggers depend on settings override it."""
        return cls.triggers

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


_LAST_LOWERED: list = [None, b""]


def lowered(data: bytes) -> bytes:
    """data.lower(), computed once per file however many prefilters ask (the engine checks one
    file at a time)."""
    if _LAST_LOWERED[0] is not data:
        _LAST_LOWERED[0], _LAST_LOWERED[1] = data, data.lower()
    return _LAST_LOWERED[1]


_LITERAL_WORDS = re.compile(r"[a-z0-9_\-]+(?:\|[a-z0-9_\-]+)*")


class Trigger:
    """A case-insensitive prefilter, fast: a list of words is a substring search, and a regex written
    in lower case runs case-sensitively, both over the file lowered once (re.IGNORECASE alternations
    cost more than the rest of the prefilter together)."""

    def __init__(self, pattern: bytes, flags: int = 0):
        self.pattern = pattern
        text = pattern.decode()
        plain = text.replace(r"\.", "")
        self.words = tuple(w.replace("\\.", ".").encode() for w in text.split("|")) if _LITERAL_WORDS.fullmatch(plain) else None
        self.folded = text == text.lower()  # no \W, \S, [A-Z]...: safe to run on lowered bytes
        self.regex = re.compile(pattern, flags if self.folded else flags | re.I)

    def search(self, data: bytes):
        if self.words is not None:
            text = lowered(data)
            return any(word in text for word in self.words) or None
        return self.regex.search(lowered(data) if self.folded else data)


def words(pattern: str) -> Trigger:
    """A case-insensitive prefilter from a regex (usually `name|other|third`)."""
    return Trigger(pattern.encode())


class AllOf:
    """A prefilter that needs every one of several patterns (each necessary for a finding)."""

    def __init__(self, *patterns):
        self.patterns = patterns

    def search(self, data: bytes):
        return all(pattern.search(data) for pattern in self.patterns) or None


class AnyOf:
    """A prefilter that any one of several patterns satisfies."""

    def __init__(self, *patterns):
        self.patterns = patterns

    def search(self, data: bytes):
        return any(pattern.search(data) for pattern in self.patterns) or None


_LOWER = frozenset(range(ord("a"), ord("z") + 1))
_LETTERS = _LOWER | frozenset(range(ord("A"), ord("Z") + 1))


class NameWords:
    """Case-insensitive words that must end a word part of a name, as analysis.words splits names.

    No word part ends right before a lowercase letter (`apiKey|s`, `TOKEN|Sa` split there, `tokens`
    does not), so a hit followed by a lowercase letter in the original bytes cannot be the end of
    `key` in `api_key`, and does not count. With `starts=True` a hit must also be able to start a
    word part: a lower-case hit right after a letter (`mytoken`) cannot. `before` (a regex over the
    lowered bytes, anchored with `$`) must match the text just before the hit, when given.
    `exclude(data, start)` drops hits the caller knows are not names (the `pass` statement)."""

    def __init__(self, words: Sequence[bytes], *, starts: bool = False, before: Optional[Pattern[bytes]] = None,
                 window: int = 48, exclude=None):
        self.words = tuple(words)
        self.starts = starts
        self.before = before
        self.window = window
        self.exclude = exclude

    def search(self, data: bytes):
        text = lowered(data)
        size = len(data)
        for word in self.words:
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if (
                    (end == size or data[end] not in _LOWER)
                    and not (self.starts and start and data[start] in _LOWER and data[start - 1] in _LETTERS)
                    and (self.before is None or self.before.search(text, max(0, start - self.window), start))
                    and not (self.exclude is not None and self.exclude(data, start))
                ):
                    return True
                start = text.find(word, start + 1)
        return None
