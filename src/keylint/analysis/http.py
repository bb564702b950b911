"""HTTP reasoning: which calls send requests (and where their URL and query parameters go), which
names in a query string are credentials, and what a URL built in code carries in its query.

Callees are matched by qualified name (analysis.names), never by spelling: Django's
`cursor.execute(sql, params={...})` is not an HTTP client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple
from urllib.parse import unquote

import libcst as cst

from keylint.analysis.facts import Scope
from keylint.analysis.values import DictValue, Ref, Resolver, SeqValue, Template
from keylint.analysis.words import split_words

# --- which query names are credentials (the one list every KEY2xx rule uses) --------------------

# Whole names (their words joined: `api-key`, `apiKey`, `API_KEY` -> `apikey`).
CREDENTIAL_QUERY_NAMES = frozenset({
    "key", "apikey", "apitoken", "apisecret", "accesstoken", "accesskey", "authtoken", "authkey", "auth",
    "token", "secret", "clientsecret", "appsecret", "appkey", "secretkey", "privatetoken", "subscriptionkey",
    "password", "passwd", "jwt", "sso", "ssotoken", "bearer", "sessiontoken", "idtoken", "refreshtoken",
    "appid",  # OpenWeatherMap's API key parameter
})
# A name whose last word is one of these is a credential too (`x_api_key`, `github_token`).
CREDENTIAL_LAST_WORDS = frozenset({"key", "apikey", "token", "secret", "password", "passwd", "jwt"})
# Words that make a name (or the variable a value comes from) something else: pagination, caching,
# sorting, identifiers, OAuth's public parameters, CSRF tokens, expiry times.
NOT_CREDENTIAL_WORDS = frozenset({
    "page", "next", "prev", "previous", "continuation", "cursor", "sync", "csrf", "xsrf", "cache", "sort",
    "partition", "primary", "foreign", "public", "idempotency", "dedup", "lookup", "row", "object", "file",
    "upload", "resume", "search", "type", "name", "id", "url", "uri", "hint", "field", "format", "expires",
    "expiry", "ttl", "length", "count", "hash", "path", "prefix", "version", "kind", "mode", "status",
    "code", "state", "nonce", "trace", "request", "limit", "offset", "query", "bucket", "redirect",
})
SIGNATURE_WORDS = frozenset({"sig", "signature"})  # credentials only next to a key (`api_key` + `api_sig`)


def is_credential_query_name(name: str) -> bool:
    words = split_words(name)
    if not words or NOT_CREDENTIAL_WORDS.intersection(words):
        return False
    return "".join(words) in CREDENTIAL_QUERY_NAMES or words[-1] in CREDENTIAL_LAST_WORDS


def credential_names(names: Sequence[str]) -> List[str]:
    """The credential names among a query's parameter names (presigned URLs carry none)."""
    if is_presigned(names):
        return []
    found = [n for n in names if is_credential_query_name(n)]
    if found:  # a signature is a credential next to a key (`api_key` + `api_sig`), not beside a key id
        found += [n for n in names if split_words(n)[-1:] and split_words(n)[-1] in SIGNATURE_WORDS]
    return found


def is_presigned(names: Sequence[str]) -> bool:
    """S3/GCS presigned URLs, CloudFront signed URLs, Azure SAS: short-lived signatures by design."""
    lower = {n.lower() for n in names}
    if any(n.startswith(("x-amz-", "x-goog-")) for n in lower):
        return True
    if "sig" in lower and ({"sv", "se", "sp"} & lower):
        return True
    return "signature" in lower and bool({"expires", "key-pair-id", "policy"} & lower)


def names_non_credential(node: Optional[cst.CSTNode]) -> bool:
    """`cache_key`, `self.next_page_token`, `settings["SORT_KEY"]`: the value's own name says it is
    something else (used to quiet `?key={cache_key}`)."""
    ident = _identifier(node)
    return ident is not None and bool(NOT_CREDENTIAL_WORDS.intersection(split_words(ident)))


def _identifier(node) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        key = node.slice[0].slice.value
        if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
            return key.evaluated_value
    return None


# --- which calls send HTTP requests -------------------------------------------------------------


@dataclass(frozen=True)
class HttpCall:
    """How one client call takes its URL and its query parameters."""

    url_index: Optional[int]  # positional index of the URL (None: the call takes no URL)
    url_keywords: Tuple[str, ...] = ("url",)
    params_keyword: Optional[str] = "params"
    params_index: Optional[int] = None
    method_index: Optional[int] = None  # urllib3: `fields=` is a query only for GET-like methods


_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_GET_LIKE = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


def _client_table() -> Dict[str, HttpCall]:
    table: Dict[str, HttpCall] = {}
    for base in ("requests", "requests.api"):
        for verb in _VERBS:
            table[f"{base}.{verb}"] = HttpCall(0, params_index=1 if verb == "get" else None)
        table[f"{base}.request"] = HttpCall(1)
    table["requests.Request"] = table["requests.models.Request"] = HttpCall(1)
    sessions = ("requests.Session()", "requests.session()", "requests.sessions.Session()", "requests.sessions.session()")
    httpx_clients = ("httpx", "httpx.Client()", "httpx.AsyncClient()")
    aiohttp_sessions = ("aiohttp.ClientSession()", "aiohttp.client.ClientSession()")
    for base in sessions + httpx_clients + aiohttp_sessions:
        for verb in _VERBS:
            table[f"{base}.{verb}"] = HttpCall(0)
        table[f"{base}.request"] = HttpCall(1)
    for base in httpx_clients:
        table[f"{base}.stream"] = HttpCall(1)
        table[f"{base}.build_request"] = HttpCall(1)
    for base in ("httpx.Client", "httpx.AsyncClient"):  # client-level default params
        table[base] = HttpCall(None)
    for base in aiohttp_sessions:
        table[f"{base}.ws_connect"] = HttpCall(0)
    table["aiohttp.request"] = HttpCall(1)
    pools = ("urllib3", "urllib3.PoolManager()", "urllib3.ProxyManager()", "urllib3.HTTPConnectionPool()",
             "urllib3.HTTPSConnectionPool()", "urllib3.connection_from_url()", "urllib3.poolmanager.PoolManager()")
    for base in pools:
        table[f"{base}.request"] = HttpCall(1, params_keyword="fields", method_index=0)
        table[f"{base}.request_encode_url"] = HttpCall(1, params_keyword="fields")
        table[f"{base}.urlopen"] = HttpCall(1, params_keyword=None)
    for name in ("urllib.request.urlopen", "urllib.request.Request", "urllib2.urlopen", "urllib2.Request"):
        table[name] = HttpCall(0, params_keyword=None)
    for conn in ("http.client.HTTPConnection()", "http.client.HTTPSConnection()"):
        table[f"{conn}.request"] = HttpCall(1, params_keyword=None)
        table[f"{conn}.putrequest"] = HttpCall(1, params_keyword=None)
    for name in ("websockets.connect", "websockets.client.connect", "websockets.sync.client.connect",
                 "websockets.asyncio.client.connect", "websocket.create_connection", "websocket.WebSocketApp"):
        table[name] = HttpCall(0, url_keywords=("uri", "url"), params_keyword=None)
    return table


HTTP_CALLS: Dict[str, HttpCall] = _client_table()

# Calls that send a URL elsewhere: redirects (the browser follows it, Referer and history keep it) and logs.
REDIRECTS: Dict[str, Tuple[str, ...]] = {
    "flask.redirect": ("location",), "quart.redirect": ("location",), "werkzeug.utils.redirect": ("location",),
    "bottle.redirect": ("url",), "django.shortcuts.redirect": ("to",),
    "django.http.HttpResponseRedirect": ("redirect_to",), "django.http.HttpResponsePermanentRedirect": ("redirect_to",),
    "django.http.response.HttpResponseRedirect": ("redirect_to",),
    "starlette.responses.RedirectResponse": ("url",), "fastapi.responses.RedirectResponse": ("url",),
}
_LOG_METHODS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "log")
LOGGERS = frozenset(
    f"{base}.{method}" for base in ("logging", "logging.getLogger()", "logging.root") for method in _LOG_METHODS
)

# Session objects whose `.params` become default query parameters of every request.
SESSIONS = frozenset({"requests.Session()", "requests.session()", "requests.sessions.Session()", "requests.sessions.session()"})


def http_call(qualname: Optional[str]) -> Optional[HttpCall]:
    return HTTP_CALLS.get(qualname) if qualname else None


def argument(call: cst.Call, index: Optional[int], keywords: Sequence[str]) -> Optional[cst.CSTNode]:
    """The argument at positional `index` or passed as one of `keywords`."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    if index is not None and index < len(positional) and all(not a.star for a in call.args[: index + 1]):
        return positional[index].value
    return None


def params_argument(call: cst.Call, spec: HttpCall, resolver: Resolver, scope: Scope) -> Optional[cst.CSTNode]:
    """The argument that becomes query parameters (`params=`, or urllib3 `fields=` on GET-like methods)."""
    if spec.params_keyword is None:
        return None
    if spec.method_index is not None:
        method = argument(call, spec.method_index, ("method",))
        value = resolver.resolve(method, scope) if method is not None else None
        if not isinstance(value, str) or value.upper() not in _GET_LIKE:
            return None
    return argument(call, spec.params_index, (spec.params_keyword,))


# --- query parameters held by a dict, a list of pairs or a URL ---------------------------------


@dataclass(frozen=True)
class QueryParam:
    name: str
    literal: Optional[str]  # the value when it is known text; None when computed at run time
    source: Optional[cst.CSTNode] = None  # the expression of a computed value, when there is one


def mapping_params(value: object, resolver: Resolver, before: Optional[int] = None) -> List[QueryParam]:
    """Parameters of a resolved dict or list of pairs (`params=`, `urlencode(...)`)."""
    pairs: List[Tuple[object, Ref]] = []
    if isinstance(value, DictValue):
        pairs = list(value.entries.items())
    elif isinstance(value, SeqValue):
        for item in value.items:
            pair = resolver.resolve_ref(item)
            if isinstance(pair, SeqValue) and len(pair.items) == 2:
                pairs.append((resolver.resolve_ref(pair.items[0]), pair.items[1]))
    out = []
    for key, ref in pairs:
        if not isinstance(key, str):
            continue
        resolved = resolver.resolve_ref(ref, before)
        if resolved is None or isinstance(resolved, (bool, int, float)):
            continue  # requests drops None; numbers are not keys
        literal = resolved if isinstance(resolved, str) else None
        out.append(QueryParam(key, literal, None if literal is not None else ref.node))
    return out


_HOLE = "\x00"
_HOLE_INDEX = 0xE000  # each hole is written as \x00 + a private-use character naming its index
_NAME = re.compile(r"^[A-Za-z0-9_.\-\[\]%]+$")
_URLENCODE = frozenset({"urllib.parse.urlencode", "urllib.urlencode", "six.moves.urllib.parse.urlencode"})
_URLUNPARSE = {"urllib.parse.urlunparse": 4, "urllib.parse.urlunsplit": 3}


class UrlReader:
    """Renders a URL expression to text with marked holes, expanding `urlencode({...})` and
    `urlunparse((...))` and names bound to them, then reads its query parameters."""

    def __init__(self, resolver: Resolver):
        self.resolver = resolver

    def query_params(self, node: cst.CSTNode, scope: Scope, before: Optional[int] = None) -> List[QueryParam]:
        holes: List[Optional[Ref]] = []
        text = self._render(node, scope, before, holes, 0, top=True)
        if text is None:
            return []
        return _parse_query(text, holes)

    def _render(self, node, scope, before, holes, depth, top=False) -> Optional[str]:
        if depth > 8:
            return self._hole(None, holes)
        if isinstance(node, cst.Call):
            special = self._render_call(node, scope, before, holes, depth)
            if special is not None:
                return special
        value = self.resolver.resolve(node, scope, before)
        if isinstance(value, str):
            return value.replace(_HOLE, "")  # the code's own text never forges a hole marker
        if isinstance(value, Template):
            parts = []
            for part in value.parts:
                if isinstance(part, str):
                    parts.append(part.replace(_HOLE, ""))
                elif part.ref is not None:
                    parts.append(self._render(part.ref.node, part.ref.scope, None, holes, depth + 1) or "")
                else:
                    parts.append(self._hole(None, holes))
            return "".join(parts)
        if isinstance(node, cst.Name):
            owner, bindings = scope.lookup(node.value)
            bound_call = len(bindings) == 1 and bindings[0].kind == "assign" and isinstance(bindings[0].value, cst.Call)
            if owner is not None and bound_call:  # url = urlencode(...) / urlunparse(...)
                return self._render(bindings[0].value, owner, None, holes, depth + 1, top)
        return None if top else self._hole(Ref(node, scope), holes)

    def _render_call(self, call: cst.Call, scope, before, holes, depth) -> Optional[str]:
        qualname = self.resolver.qualname(call.func, scope)
        if qualname in _URLENCODE and call.args:
            value = self.resolver.resolve(call.args[0].value, scope, before)
            if not isinstance(value, (DictValue, SeqValue)):
                return None
            pieces = []
            for param in mapping_params(value, self.resolver, before):
                shown = param.literal if param.literal is not None else self._hole(
                    Ref(param.source, scope) if param.source is not None else None, holes)
                pieces.append(f"{param.name}={shown}")
            return "&".join(pieces)
        if qualname in _URLUNPARSE and call.args:
            parts = self.resolver.resolve(call.args[0].value, scope, before)
            index = _URLUNPARSE[qualname]
            if isinstance(parts, SeqValue) and len(parts.items) > index:
                item = parts.items[index]
                query = self._render(item.node, item.scope, None, holes, depth + 1)
                return f"{self._hole(None, holes)}?{query}" if query else None
        return None

    @staticmethod
    def _hole(ref: Optional[Ref], holes: List[Optional[Ref]]) -> str:
        holes.append(ref)
        return _HOLE + chr(_HOLE_INDEX + len(holes) - 1)


def _parse_query(text: str, holes: List[Optional[Ref]]) -> List[QueryParam]:
    if "?" in text:
        query = text.split("?", 1)[1]
    elif text.startswith(_HOLE) and "&" in text:
        query = text.split("&", 1)[1]  # f"{base_url}&api_key={key}": the query began in the hole
    else:
        return []
    query = query.split("#", 1)[0]
    out = []
    for piece in query.split("&"):
        name, equals, value = piece.partition("=")
        if not equals or _HOLE in name or not _NAME.match(name):
            continue
        name = unquote(name)
        if _HOLE in value:
            markers = (ord(m) - _HOLE_INDEX for m in re.findall(_HOLE + "(.)", value))
            refs = [holes[i] for i in markers if 0 <= i < len(holes)]
            source = refs[0].node if len(refs) == 1 and refs[0] is not None else None
            out.append(QueryParam(name, None, source))
        else:
            out.append(QueryParam(name, unquote(value.split(" ")[0].rstrip("'\".,)")), None))
    return out
