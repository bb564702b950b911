"""KEY2xx: credentials in URL query strings (CWE-598), on both sides of the wire.

Clients that send a credential as a query parameter (KEY201) or in a URL's query (KEY202), and
servers that read one from the query string (KEY203) or declare one as a query parameter
(KEY204). Callees are resolved by qualified name (analysis.http): a `params=` given to anything
that is not an HTTP client (Django's `cursor.execute(sql, params={...})`) is not a query string.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from keylint.analysis import http
from keylint.analysis.http import QueryParam, is_credential_query_name
from keylint.analysis.values import DictValue, Ref
from keylint.analysis.words import split_words
from keylint.detectors import is_placeholder, non_secret_shape
from keylint.findings import Confidence, Severity
from keylint.rules.base import Rule

HEADER_ADVICE = "send it in a header (Authorization or X-API-Key) instead"



def _is_live(param: QueryParam) -> bool:
    """A value that can be a real credential: computed at run time (and not named like a page
    token or cache key), or literal text that is not empty, a placeholder or an identifier."""
    if param.literal is None:
        return not http.names_non_credential(param.source)
    value = param.literal.strip()
    return bool(value) and not is_placeholder(value) and non_secret_shape(value) is None


def _live_credentials(params: Sequence[QueryParam]) -> List[QueryParam]:
    names = set(http.credential_names([p.name for p in params]))
    return [p for p in params if p.name in names and _is_live(p)]


def _quoted(params: Iterable[QueryParam]) -> str:
    return ", ".join(dict.fromkeys(f"'{p.name}'" for p in params))


def _display(qualname: str) -> str:
    return qualname.replace("()", "")


class _ClientRule(Rule):
    """Callee resolution that also follows `with requests.Session() as s:` / `async with
    aiohttp.ClientSession() as session:` (names bound by `with` carry no value in analysis.facts)."""

    def __init__(self, ctx):
        super().__init__(ctx)
        self._with_names: Dict[Tuple[int, str], str] = {}
        self._reader = http.UrlReader(ctx.resolver)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.Name):
            qualname = self.ctx.qualname(node.item)
            if qualname:
                self._with_names[(id(self.ctx.scope), node.asname.name.value)] = qualname

    def callee(self, expr: cst.CSTNode) -> Optional[str]:
        return self.ctx.qualname(expr) or self._through_with(expr)

    def _through_with(self, expr: cst.CSTNode) -> Optional[str]:
        if isinstance(expr, cst.Name):
            scope = self.ctx.scope
            while scope is not None:
                found = self._with_names.get((id(scope), expr.value))
                if found:
                    return found
                scope = scope.parent
            return None
        if isinstance(expr, cst.Attribute):
            base = self._through_with(expr.value)
            return f"{base}.{expr.attr.value}" if base else None
        return None

    def _report_params(self, node, params: Sequence[QueryParam], **fields) -> None:
        found = _live_credentials(params)
        if found:
            secrets = [p.literal for p in found if p.literal]
            self.report(node, secrets=secrets, names=_quoted(found), **fields)


class CredentialInQueryParams(_ClientRule):
    """An HTTP client sends a credential as a query parameter.

    What it does
    Flags requests, httpx, aiohttp and urllib3 calls whose query parameters (`params=`, urllib3
    `fields=` on GET/HEAD/DELETE/OPTIONS) hold a credential-named key (`api_key`, `apikey`, `key`,
    `access_token`, `token`, `auth`, `secret`, `client_secret`, `password`, `appid`, a signature next
    to a key) with a real value: a variable, an environment lookup or a non-placeholder literal. The
    parameters may be a dict literal, `dict(...)`, a list of pairs or a variable built earlier
    (including later `d["key"] = ...` fills). Client-level defaults count too: `httpx.Client(params=...)`
    and `requests.Session().params` (assigned, updated or filled item by item).

    Why is this bad?
    Query strings are written to web-server and proxy access logs, CDN and APM traces, and error
    reports; anyone who can read those logs gets the key (CWE-598). Headers are not logged by
    default.

    Example
        requests.get(URL, params={"q": city, "appid": API_KEY})

    Use instead
        requests.get(URL, params={"q": city}, headers={"X-API-Key": API_KEY})

    References
    - https://cwe.mitre.org/data/definitions/598.html
    - https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url
    """

    code = "KEY201"
    name = "credential-in-query-params"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 598
    message = "credential {names} sent as a query parameter by {client}; " + HEADER_ADVICE
    examples_bad = [
        'import requests\nrequests.get("https://api.example.com/v1/search", params={"q": q, "api_key": API_KEY})\n',
        'import httpx, os\nparams = {"q": q}\nparams["access_token"] = os.environ["TOKEN"]\nhttpx.get(url, params=params)\n',
        'import requests\ns = requests.Session()\ns.params.update({"apikey": key})\n',
        'import httpx\nclient = httpx.Client(base_url=BASE, params={"key": settings_key})\n',
        'import aiohttp\nasync def f(key):\n    async with aiohttp.ClientSession() as session:\n'
        '        await session.get(url, params=[("token", key), ("page", 2)])\n',
        'import urllib3\nurllib3.PoolManager().request("GET", url, fields={"api_key": key})\n',
    ]
    examples_good = [
        'import requests\nrequests.get(url, params={"q": q, "page": 2}, headers={"X-API-Key": API_KEY})\n',
        'import requests\nrequests.get(url, params={"api_key": "YOUR_API_KEY", "page_token": token})\n',
        'import requests\nrequests.post(token_url, data={"client_secret": secret, "code": code, "state": state})\n',
        'from django.db import connection\nconnection.cursor().execute(sql, params={"key": key})\n',
        'import urllib3\nurllib3.PoolManager().request("POST", url, fields={"api_key": key})\n',
        'import requests\nrequests.get(url, params={"key": cache_key, "sort": "asc"})\n',
    ]

    def visit_Call(self, node: cst.Call) -> None:
        qualname = self.callee(node.func)
        spec = http.http_call(qualname)
        if spec is not None:
            arg = http.params_argument(node, spec, self.ctx.resolver, self.ctx.scope)
            if arg is not None:
                self._check(arg, self.ctx.resolve(arg), qualname)
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "update" and self._session_params(func.value):
            params: List[QueryParam] = []
            for arg in node.args:
                if arg.keyword is not None:
                    params += self._params(DictValue({arg.keyword.value: Ref(arg.value, self.ctx.scope)}))
                elif not arg.star:
                    params += self._params(self.ctx.resolve(arg.value))
            self._report_params(node, params, client=self._session_name(func.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            target = target.target
            if self._session_params(target):  # session.params = {...}
                self._check(node.value, self.ctx.resolve(node.value), None, node, self._session_name(target))
            elif isinstance(target, cst.Subscript) and self._session_params(target.value):  # session.params["key"] = ...
                if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                    key = self.ctx.resolve(target.slice[0].slice.value)
                    if isinstance(key, str):
                        value = DictValue({key: Ref(node.value, self.ctx.scope)})
                        self._check(node.value, value, None, node, self._session_name(target.value))

    def _session_params(self, expr: cst.CSTNode) -> bool:
        return (
            isinstance(expr, cst.Attribute) and expr.attr.value == "params"
            and self.callee(expr.value) in http.SESSIONS
        )

    def _session_name(self, expr: cst.Attribute) -> str:
        return f"the default params of {self.ctx.code(expr.value)} (requests.Session)"

    def _params(self, value) -> List[QueryParam]:
        return http.mapping_params(value, self.ctx.resolver, self.ctx.info.order if self.ctx.info else None)

    def _check(self, arg, value, qualname, node=None, client=None) -> None:
        client = client or _display(qualname or "")
        self._report_params(node if node is not None else arg, self._params(value), client=client)


class CredentialInUrlQuery(_ClientRule):
    """A URL carrying a credential in its query string is requested, redirected to or logged.

    What it does
    Flags URLs with `?api_key=`, `&token=`, `?key=`, `?jwt=`, `?sso=`... (a credential-named query
    parameter with a real value) passed to an HTTP client (requests, httpx, aiohttp, urllib3,
    urllib.request, http.client, websockets), to a redirect (Flask/Quart/Bottle `redirect`, Django
    `redirect` / `HttpResponseRedirect`, Starlette/FastAPI `RedirectResponse`) or to logging. The URL
    may be a literal, an f-string, `%` or `.format` (also of a template kept in a constant), a
    concatenation, `urlencode({...})`, `urlunparse(...)`, or built in an earlier statement.
    Presigned URLs (`X-Amz-Signature`, `X-Goog-Signature`, Azure SAS `sig=` with `sv=`/`se=`) carry
    short-lived signatures by design and are not reported.

    Why is this bad?
    URLs are logged by web servers, proxies and load balancers, kept in browser history and sent to
    other sites in the Referer header (CWE-598). A bearer token handed over in a redirect URL
    (login/SSO hand-offs) is replayable by anyone who reads any of those.

    Example
        requests.get(f"https://api.example.com/v1/forecast?city={city}&api_key={API_KEY}")

    Use instead
        requests.get("https://api.example.com/v1/forecast", params={"city": city},
                     headers={"Authorization": f"Bearer {API_KEY}"})

    For redirects, hand over a short-lived one-time code that the receiving side exchanges for the
    token in a back-channel POST; for logs, strip the query string before logging.

    References
    - https://cwe.mitre.org/data/definitions/598.html
    - https://datatracker.ietf.org/doc/html/rfc6750#section-2.3
    """

    code = "KEY202"
    name = "credential-in-url-query"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 598
    message = "URL with credential {names} in its query string {sink}"
    examples_bad = [
        'import requests\nrequests.get(f"https://api.example.com/v1/forecast?city={city}&api_key={API_KEY}")\n',
        'import httpx\nURL = "https://maps.example.com/geocode?address={}&key={}"\nhttpx.get(URL.format(addr, key))\n',
        'import urllib.request\nfrom urllib.parse import urlencode\n'
        'url = BASE + "/feed?" + urlencode({"access_token": token, "limit": 10})\nurllib.request.urlopen(url)\n',
        'from flask import redirect\ndef done(jwt_token):\n    return redirect(f"https://app.example.com/sso?jwt={jwt_token}")\n',
        'import logging\nlogger = logging.getLogger(__name__)\nlogger.info("calling %s", f"{BASE}/v1?token={token}")\n',
    ]
    examples_good = [
        'import requests\nrequests.get(f"https://api.example.com/v1/search?q={q}&page=2", headers={"X-API-Key": key})\n',
        'import requests\nrequests.get("https://api.example.com/v1/items?api_key=YOUR_API_KEY")\n',
        'import requests\nrequests.get(f"https://bucket.s3.amazonaws.com/f?X-Amz-Credential={c}&X-Amz-Signature={s}")\n',
        'from flask import redirect\ndef cb(code, state):\n    return redirect(f"/login/callback?code={code}&state={state}")\n',
        'import requests\nrequests.get(f"https://api.example.com/keys/{api_key}/status")\n',
        'import requests\nrequests.get(f"{CACHE}/lookup?key={cache_key}")\n',
    ]

    def __init__(self, ctx):
        super().__init__(ctx)
        self._synthetic: List[cst.CSTNode] = []

    def visit_Call(self, node: cst.Call) -> None:
        qualname = self.callee(node.func)
        if qualname is None:
            return
        spec = http.http_call(qualname)
        if spec is not None:
            if spec.url_index is None:
                return
            urls = [http.argument(node, spec.url_index, spec.url_keywords)]
            sink = f"requested with {_display(qualname)}; {HEADER_ADVICE}"
        elif qualname in http.REDIRECTS:
            urls = [http.argument(node, 0, http.REDIRECTS[qualname])]
            sink = ("used as a redirect (browser history, Referer headers and logs keep it); hand over a "
                    "short-lived one-time code and exchange it for the token in a back-channel POST instead")
        elif qualname in http.LOGGERS:
            self._check_log_call(node, qualname)
            return
        else:
            return
        for url in urls:
            if url is not None:
                self._report_params(url, self._query(url), sink=sink)

    def _check_log_call(self, node: cst.Call, qualname: str) -> None:
        """The logged text is the message %-formatted with the other arguments."""
        args = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        if qualname.endswith(".log"):
            args = args[1:]  # the level
        if not args:
            return
        message = args[0]
        if len(args) > 1:
            message = cst.BinaryOperation(args[0], cst.Modulo(), cst.Tuple([cst.Element(a) for a in args[1:]]))
            self._synthetic.append(message)  # keep it alive: the resolver caches by node id
        sink = "written to the log; strip the query string before logging, and send the credential in a header"
        self._report_params(args[0], self._query(message), sink=sink)

    def _query(self, url: cst.CSTNode) -> List[QueryParam]:
        before = self.ctx.info.order if self.ctx.info else None
        return self._reader.query_params(url, self.ctx.scope, before)


# --- servers ----------------------------------------------------------------------------------

# Qualified names of query-string mappings (global request objects).
_GLOBAL_QUERY_SOURCES = frozenset({
    "flask.request.args", "flask.request.values", "quart.request.args", "quart.request.values",
    "bottle.request.query", "bottle.request.GET", "bottle.request.params",
})
# request.<chain> on a parameter named request/req/websocket, and the frameworks that make it a query.
_PARAM_QUERY_CHAINS: Dict[Tuple[str, ...], Tuple[str, ...]] = {
    ("GET",): ("django", "rest_framework"),
    ("query_params",): ("rest_framework", "starlette", "fastapi"),
    ("query",): ("aiohttp",),
    ("rel_url", "query"): ("aiohttp",),
    ("params",): ("falcon",),
}
_REQUEST_PARAMS = frozenset({"request", "req", "websocket", "ws"})
_MAPPING_READS = frozenset({"get", "getlist", "getone", "getall", "get_all", "pop"})
_TORNADO_READS = frozenset({"get_query_argument", "get_query_arguments", "get_argument", "get_arguments"})
_FALCON_READS = frozenset({"get_param", "get_param_as_list"})
# Links mailed to a user carry a one-time token in the query by necessity (reset, verify, invite).
_ONE_TIME_LINK_WORDS = frozenset({
    "reset", "verify", "verification", "confirm", "confirmation", "activate", "activation", "unsubscribe",
    "invite", "invitation", "magic",
})


class CredentialReadFromQuery(Rule):
    """A server reads a credential from the URL query string.

    What it does
    Flags reads of a credential-named query parameter (`api_key`, `token`, `access_token`, `key`,
    `secret`, `password`, ...): Flask/Quart `request.args` / `request.values`, Django
    `request.GET`, DRF and Starlette `request.query_params` (also `websocket.query_params`),
    aiohttp `request.query` / `request.rel_url.query`, Tornado `get_query_argument` /
    `get_argument` in a `RequestHandler`, Falcon `req.get_param` / `req.params`, Bottle
    `request.query` (also `request.query.api_key`). Handlers of one-time links (password reset, e-mail verification,
    invitations), whose token travels in a mailed URL by necessity, are not reported.

    Why is this bad?
    Accepting the credential in the query string invites clients to put it in URLs, where web
    servers, proxies, browser history and Referer headers record it (CWE-598).

    Example
        api_key = request.args.get("api_key")

    Use instead
        api_key = request.headers.get("X-API-Key")

    References
    - https://cwe.mitre.org/data/definitions/598.html
    """

    code = "KEY203"
    name = "credential-read-from-query"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 598
    message = ("credential '{key}' read from the query string ({source}); "
               "accept it from a header (Authorization or X-API-Key) instead")
    examples_bad = [
        'from flask import request\ndef view():\n    key = request.args.get("api_key")\n',
        'from django.http import JsonResponse\ndef view(request):\n    token = request.GET["token"]\n',
        'from starlette.requests import Request\nasync def ws(websocket):\n    t = websocket.query_params.get("access_token")\n',
        'import tornado.web\nclass H(tornado.web.RequestHandler):\n'
        '    def get(self):\n        k = self.get_query_argument("apikey")\n',
        'from aiohttp import web\nasync def h(request):\n    token = request.rel_url.query.get("token")\n',
    ]
    examples_good = [
        'from flask import request\ndef view():\n    key = request.headers.get("X-API-Key")\n'
        '    page = request.args.get("page_token")\n',
        'from django.http import JsonResponse\ndef view(request):\n'
        '    q = request.GET.get("q")\n    code = request.GET["code"]\n',
        'from flask import request\ndef reset_password():\n    token = request.args.get("token")\n',
        'import django\ndef view(request):\n    token = request.POST.get("token")\n',
        'def view(request):\n    token = request.GET.get("token")\n',
    ]

    def __init__(self, ctx):
        super().__init__(ctx)
        self._frameworks = frozenset(q.split(".")[0] for q in ctx.facts.imports.values())

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        attr = func.attr.value
        source = None
        if attr in _MAPPING_READS:
            source = self._query_source(func.value)
        elif attr in _TORNADO_READS and self._tornado_handler(func.value):
            source = f"self.{attr}"
        elif attr in _FALCON_READS and "falcon" in self._frameworks and self._request_param(func.value):
            source = self.ctx.code(func)
        if source is not None:
            self._check(node, http.argument(node, 0, ("key", "name")), source)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        # Bottle's FormsDict also exposes parameters as attributes: request.query.api_key
        if "bottle" in self._frameworks and is_credential_query_name(node.attr.value):
            if self.ctx.qualname(node.value) in _GLOBAL_QUERY_SOURCES:
                self.report(node, key=node.attr.value, source=self.ctx.code(node.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        source = self._query_source(node.value)
        if source is not None:
            self._check(node, node.slice[0].slice.value, source)

    def _check(self, node, key_node, source: str) -> None:
        if key_node is None:
            return
        key = self.ctx.resolve(key_node)
        if isinstance(key, str) and is_credential_query_name(key) and not self._one_time_link_handler():
            self.report(node, key=key, source=source)

    def _query_source(self, expr: cst.CSTNode) -> Optional[str]:
        if self.ctx.qualname(expr) in _GLOBAL_QUERY_SOURCES:
            return self.ctx.code(expr)
        chain = _attribute_chain(expr)
        if len(chain) < 2:
            return None
        if chain[0] == "self" and chain[1] == "request":  # class-based views: self.request.GET
            rest = tuple(chain[2:])
        elif chain[0] in _REQUEST_PARAMS and self._request_param(cst.Name(chain[0])):
            rest = tuple(chain[1:])
        else:
            return None
        frameworks = _PARAM_QUERY_CHAINS.get(rest, ())
        if any(f in self._frameworks for f in frameworks):
            return self.ctx.code(expr)
        return None

    def _request_param(self, expr: cst.CSTNode) -> bool:
        if not isinstance(expr, cst.Name) or expr.value not in _REQUEST_PARAMS:
            return False
        _owner, bindings = self.ctx.scope.lookup(expr.value)
        return len(bindings) == 1 and bindings[0].kind == "param"

    def _tornado_handler(self, expr: cst.CSTNode) -> bool:
        if not (isinstance(expr, cst.Name) and expr.value == "self"):
            return False
        scope = self.ctx.scope
        while scope is not None and scope.kind != "class":
            scope = scope.parent
        return scope is not None and self._tornado_class(scope.node, 0)

    def _tornado_class(self, cls: cst.ClassDef, depth: int) -> bool:
        if depth > 5:
            return False
        for base in cls.bases:
            qualname = self.ctx.qualname(base.value, self.ctx.facts.module_scope) or ""
            if qualname.startswith("tornado."):
                return True
            if qualname.startswith("<module>."):
                bindings = self.ctx.facts.module_scope.bindings.get(qualname[len("<module>."):], [])
                if len(bindings) == 1 and isinstance(bindings[0].value, cst.ClassDef):
                    if self._tornado_class(bindings[0].value, depth + 1):
                        return True
        return False

    def _one_time_link_handler(self) -> bool:
        scope = self.ctx.scope
        while scope is not None:
            if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
                if _ONE_TIME_LINK_WORDS.intersection(split_words(scope.node.name.value)):
                    return True
            scope = scope.parent
        return False


def _attribute_chain(expr: cst.CSTNode) -> List[str]:
    parts: List[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return []
    parts.append(expr.value)
    return parts[::-1]


# --- FastAPI ----------------------------------------------------------------------------------

_FASTAPI_APPS = frozenset({
    "fastapi.FastAPI()", "fastapi.APIRouter()", "fastapi.applications.FastAPI()", "fastapi.routing.APIRouter()",
})
_ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"})
_PARAM_MODULES = ("fastapi", "fastapi.params", "fastapi.param_functions")
_QUERY_MARKERS = frozenset(f"{m}.Query" for m in _PARAM_MODULES)
_OTHER_MARKERS = frozenset(
    f"{m}.{kind}" for m in _PARAM_MODULES for kind in ("Header", "Cookie", "Body", "Form", "File", "Depends", "Security", "Path")
)
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_OPTIONAL = frozenset({"typing.Optional", "typing.Union"})
_SCALARS = frozenset({"builtins.str", "builtins.int", "builtins.bytes", "pydantic.SecretStr", "pydantic.types.SecretStr"})
_DEPENDS = frozenset(f"{m}.{kind}" for m in _PARAM_MODULES for kind in ("Depends", "Security"))
_API_KEY_QUERY = frozenset({"fastapi.security.APIKeyQuery", "fastapi.security.api_key.APIKeyQuery"})


class CredentialQueryParameter(Rule):
    """A FastAPI endpoint declares a credential as a query parameter.

    What it does
    Flags credential-named parameters (`api_key`, `token`, `access_token`, `key`, `secret`, ...)
    that FastAPI reads from the query string: declared with `Query(...)` (also
    `Annotated[str, Query()]`), or a plain scalar parameter (`str`, `int`, `Optional[str]`, no
    annotation) of a path operation (`@app.get`, `@router.post`, `@app.websocket`, ... on a
    `FastAPI()` / `APIRouter()`) that is not a `{path}` parameter nor declared as `Header`,
    `Cookie`, `Body`, `Form`, `Depends` or `Security`; the same plain parameters of a module
    function used as a dependency (`Depends(get_api_key)`); and `fastapi.security.APIKeyQuery(...)`.

    Why is this bad?
    The API then expects clients to put the credential in the URL, where access logs, proxies,
    browser history and Referer headers record it (CWE-598).

    Example
        @app.get("/reports")
        def reports(api_key: str): ...

    Use instead
        @app.get("/reports")
        def reports(api_key: str = Header(alias="X-API-Key")): ...

    or `Security(APIKeyHeader(name="X-API-Key"))` / `Security(HTTPBearer())`.

    References
    - https://cwe.mitre.org/data/definitions/598.html
    - https://fastapi.tiangolo.com/tutorial/header-params/
    """

    code = "KEY204"
    name = "credential-query-parameter"
    severity = Severity.WARNING
    confidence = Confidence.HIGH
    cwe = 598
    message = ("FastAPI reads credential '{param}' from the query string{how}; declare it as a header instead "
               "(Header(alias=\"X-API-Key\") or Security(APIKeyHeader(name=\"X-API-Key\")))")
    examples_bad = [
        'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/reports")\ndef reports(api_key: str):\n    ...\n',
        'from typing import Annotated\nfrom fastapi import APIRouter, Query\nrouter = APIRouter()\n'
        '@router.get("/x")\nasync def x(token: Annotated[str, Query()]):\n    ...\n',
        'from fastapi import Query\ndef get_key(api_key: str = Query(...)):\n    return api_key\n',
        'from fastapi.security import APIKeyQuery\nscheme = APIKeyQuery(name="api_key")\n',
    ]
    examples_good = [
        'from fastapi import FastAPI, Header\napp = FastAPI()\n@app.get("/reports")\n'
        'def reports(api_key: str = Header(alias="X-API-Key"), page_token: str = ""):\n    ...\n',
        'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/keys/{api_key}")\ndef key_status(api_key: str):\n    ...\n',
        'from fastapi import FastAPI\nfrom pydantic import BaseModel\napp = FastAPI()\n'
        'class Login(BaseModel):\n    password: str\n'
        '@app.post("/login")\ndef login(password: Login, code: str, state: str):\n    ...\n',
        'from fastapi import FastAPI\napp = FastAPI()\ndef helper(token: str):\n    ...\n',
    ]

    def __init__(self, ctx):
        super().__init__(ctx)
        self._dependencies: set = set()  # module functions passed to Depends()/Security()
        self._dependency_candidates: List[Tuple[str, cst.Param]] = []

    def visit_Call(self, node: cst.Call) -> None:
        qualname = self.ctx.qualname(node.func)
        if qualname in _API_KEY_QUERY:
            self.report(node, param="the API key", how=" (APIKeyQuery)")
        elif qualname in _DEPENDS and node.args and isinstance(node.args[0].value, cst.Name):
            self._dependencies.add(node.args[0].value.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        path = self._route_path(node)
        is_module_function = self.ctx.scope.parent is not None and self.ctx.scope.parent.kind == "module"
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            name = param.name.value
            if not is_credential_query_name(name):
                continue
            declared = self._declared_as(param)
            if declared == "query":
                self.report(param, param=name, how=" (Query)")
            elif declared is None and self._plain_scalar(param):
                if path is not None and name not in path:
                    self.report(param, param=name, how="")
                elif path is None and is_module_function:
                    self._dependency_candidates.append((node.name.value, param))

    def finish(self) -> None:
        # A dependency's plain parameters are query parameters too: `def get_key(api_key: str)` + Depends(get_key).
        for function, param in self._dependency_candidates:
            if function in self._dependencies:
                self.report(param, param=param.name.value, how=f" (dependency {function})")

    def _route_path(self, node: cst.FunctionDef) -> Optional[FrozenSet[str]]:
        """The `{name}` parameters of a path operation's route, or None for other functions."""
        for decorator in node.decorators:
            call = decorator.decorator
            if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
                continue
            if call.func.attr.value in _ROUTE_METHODS and self.ctx.qualname(call.func.value) in _FASTAPI_APPS:
                route = http.argument(call, 0, ("path",))
                value = self.ctx.resolve(route) if route is not None else None
                path = value if isinstance(value, str) else ""
                return frozenset(part.split("}")[0].split(":")[0] for part in path.split("{")[1:])
        return None

    def _declared_as(self, param: cst.Param) -> Optional[str]:
        markers = []
        if isinstance(param.default, cst.Call):
            markers.append(self.ctx.qualname(param.default.func))
        annotation = param.annotation.annotation if param.annotation is not None else None
        if isinstance(annotation, cst.Subscript) and self.ctx.qualname(annotation.value) in _ANNOTATED:
            for element in annotation.slice[1:]:
                if isinstance(element.slice, cst.Index) and isinstance(element.slice.value, cst.Call):
                    markers.append(self.ctx.qualname(element.slice.value.func))
        if any(m in _QUERY_MARKERS for m in markers):
            return "query"
        if any(m in _OTHER_MARKERS for m in markers):
            return "other"
        return None

    def _plain_scalar(self, param: cst.Param) -> bool:
        if param.annotation is None:
            return True
        annotation = param.annotation.annotation
        if isinstance(annotation, cst.Subscript) and self.ctx.qualname(annotation.value) in _ANNOTATED:
            first = annotation.slice[0].slice
            return isinstance(first, cst.Index) and self._scalar(first.value)
        return self._scalar(annotation)

    def _scalar(self, expr: cst.CSTNode) -> bool:
        if isinstance(expr, cst.Name) and expr.value == "None":
            return True
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return self._scalar(expr.left) and self._scalar(expr.right)
        if isinstance(expr, cst.Subscript) and self.ctx.qualname(expr.value) in _OPTIONAL:
            return all(isinstance(e.slice, cst.Index) and self._scalar(e.slice.value) for e in expr.slice)
        return self.ctx.qualname(expr) in _SCALARS
