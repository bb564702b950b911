"""Unit tests of the shared analysis: qualified names and value resolution."""

import textwrap

import libcst as cst
import pytest

from keylint.analysis.facts import FileFacts
from keylint.analysis.values import UNKNOWN, DictValue, Duration, External, Resolver, SeqValue, Template, TimePoint


def _facts(source):
    module = cst.parse_module(textwrap.dedent(source))
    facts = FileFacts(module, frozenset({cst.Call, cst.Return}))
    module.visit(facts)
    return facts


def calls(source):
    """(qualname, first-arg value) of every call, with the value resolved in the call's scope."""
    facts = _facts(source)
    resolver = Resolver(facts)
    out = []
    for node, info in facts.collected:
        if isinstance(node, cst.Call):
            value = resolver.resolve(node.args[0].value, info.scope, info.order) if node.args else None
            out.append((info.order, resolver.qualname(node.func, info.scope), value, resolver))
    return out


def last_call(source):
    """The outermost call of the last statement that has one (calls are collected outside-in)."""
    found = calls(source)
    last_order = max(order for order, *_ in found)
    _order, qualname, value, resolver = next(c for c in found if c[0] == last_order)
    return qualname, value, resolver


def plain(value, resolver):
    """A DictValue / SeqValue resolved all the way down to Python values, for comparisons."""
    if isinstance(value, DictValue):
        return {k: plain(resolver.resolve_ref(r), resolver) for k, r in value.entries.items()}
    if isinstance(value, SeqValue):
        return [plain(resolver.resolve_ref(r), resolver) for r in value.items]
    return value


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import jwt\njwt.decode(t)\n", "jwt.decode"),
        ("import jwt as pyjwt\npyjwt.decode(t)\n", "jwt.decode"),
        ("from jwt import decode\ndecode(t)\n", "jwt.decode"),
        ("from jwt import decode as d\nd(t)\n", "jwt.decode"),
        ("from jose import jwt\njwt.decode(t)\n", "jose.jwt.decode"),
        ("from authlib.jose import jwt\njwt.decode(t, k)\n", "authlib.jose.jwt.decode"),
        ("import jwt\njwt.PyJWT().decode(t)\n", "jwt.PyJWT().decode"),
        ("import requests\ns = requests.Session()\ns.get(u)\n", "requests.Session().get"),
        ("import os.path\nos.path.join(a)\n", "os.path.join"),
        ("def f():\n    import httpx\n    httpx.get(u)\n", "httpx.get"),
        ("import httpx\nclass C:\n    def __init__(self):\n        self.http = httpx.Client()\n    def go(self):\n        self.http.get(u)\n", "httpx.Client().get"),
        ("from .jwt import decode\ndecode(t)\n", ".jwt.decode"),
        ("dict(a=1)\n", "builtins.dict"),
    ],
)
def test_qualified_names_follow_imports_and_aliases(source, expected):
    assert last_call(source)[0] == expected


@pytest.mark.parametrize(
    "source",
    [
        "jwt.decode(t)\n",  # never imported: no name from spelling alone
        "def f(jwt):\n    jwt.decode(t)\n",  # a parameter that happens to be called jwt
        "import jwt\ndef f():\n    jwt = make()\n    jwt.decode(t)\n",  # shadowed locally
    ],
)
def test_unimported_or_shadowed_names_do_not_resolve(source):
    assert last_call(source)[0] is None


@pytest.mark.parametrize(
    "source, expected",
    [
        ('f("a" "b")\n', "ab"),
        ('f("a" + "b")\n', "ab"),
        ('X = "k"\nf(X)\n', "k"),
        ('f(X)\nX = "defined below the use"\n', "defined below the use"),
        ('f(f"{A}-{B}")\nA = "x"\nB = 2\n', "x-2"),
        ('f("%s:%d" % ("a", 3))\n', "a:3"),
        ('f("{}/{name}".format("a", name="b"))\n', "a/b"),
        ('f("-".join(["a", "b"]))\n', "a-b"),
        ("f(60 * 24 * 8)\n", 11520),
        ("f(-(3 + 4) // 2)\n", -4),
        ("f(True)\n", True),
    ],
)
def test_values_of_literals_and_constants(source, expected):
    _q, value, _r = last_call(source)
    assert value == expected


def test_name_assigned_twice_is_unknown():
    _q, value, _r = last_call('X = "a"\nif c:\n    X = "b"\nf(X)\n')
    assert value is UNKNOWN


def test_fstring_with_unknown_part_is_a_template_with_a_hole():
    _q, value, _r = last_call('def g(key):\n    f(f"https://api.example.com/v1?api_key={key}&q=1")\n')
    assert isinstance(value, Template)
    assert value.text == "https://api.example.com/v1?api_key={}&q=1"
    assert value.known_prefix == "https://api.example.com/v1?api_key="


def test_percent_and_format_templates_keep_holes():
    _q, value, _r = last_call('URL = "https://x/?key=%s"\ndef g(k):\n    f(URL % k)\n')
    assert isinstance(value, Template) and value.text == "https://x/?key={}"
    _q, value, _r = last_call('def g(k):\n    f("https://x/?token={}".format(k))\n')
    assert isinstance(value, Template) and value.text == "https://x/?token={}"


def test_dict_built_over_several_statements():
    source = """
    BASE = {"iss": "me"}
    def mint(user):
        payload = {"sub": user.id, **BASE}
        payload["role"] = "admin"
        payload.update({"scope": "read"}, aud="api")
        payload.setdefault("iss", "other")
        f(payload)
        payload["late"] = 1
    """
    _q, value, resolver = last_call(source)
    assert isinstance(value, DictValue) and value.complete
    resolved = plain(value, resolver)
    assert resolved["iss"] == "me" and resolved["role"] == "admin" and resolved["scope"] == "read" and resolved["aud"] == "api"
    assert resolved["sub"] is UNKNOWN
    assert "late" not in resolved  # filled after the use


def test_dict_call_and_pairs_and_unknown_merge():
    _q, value, resolver = last_call('f(dict([("a", 1)], b=2))\n')
    assert plain(value, resolver) == {"a": 1, "b": 2}
    _q, value, _r = last_call("def g(extra):\n    f({**extra, 'a': 1})\n")
    assert isinstance(value, DictValue) and not value.complete


def test_helper_function_return_resolves():
    source = """
    def build(user):
        claims = {"sub": user.id}
        claims["email"] = user.email
        return claims
    f(build(u))
    """
    _q, value, _r = last_call(source)
    assert isinstance(value, DictValue) and set(value.keys()) == {"sub", "email"}


@pytest.mark.parametrize(
    "expr, seconds",
    [
        ("datetime.utcnow() + timedelta(days=30)", 30 * 86400),
        ("datetime.now(timezone.utc) + timedelta(hours=24 * 90)", 90 * 86400),
        ("int(time.time()) + 86400 * 365", 365 * 86400),
        ("time.time() + LIFETIME", 3600),
        ("timedelta(minutes=15)", 900),
    ],
)
def test_durations_and_time_points(expr, seconds):
    source = f"""
    import time
    from datetime import datetime, timedelta, timezone
    LIFETIME = 60 * 60
    f({expr})
    """
    _q, value, _r = last_call(source)
    assert isinstance(value, (TimePoint, Duration))
    assert (value.offset if isinstance(value, TimePoint) else value.seconds) == seconds


def test_environment_lookups_are_external_with_their_default():
    _q, value, resolver = last_call('import os\nf(os.getenv("API_KEY", "fallback"))\n')
    assert isinstance(value, External) and value.name == "API_KEY"
    assert resolver.resolve_ref(value.default) == "fallback"
    _q, value, _r = last_call('import os\nf(os.environ["API_KEY"])\n')
    assert isinstance(value, External) and value.name == "API_KEY"


def test_self_reference_does_not_loop():
    _q, value, _r = last_call("X = X + 1\nf(X)\n")
    assert value is UNKNOWN


def test_fast_walk_collects_what_libcst_visit_collects_in_the_same_order():
    """FileFacts.walk (read-only) against LibCST's own visit, over every fixture and keylint's source."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    wanted = frozenset({cst.Call, cst.Assign, cst.Dict, cst.SimpleString, cst.Comparison, cst.Param, cst.AnnAssign,
                        cst.Attribute, cst.Return, cst.Subscript, cst.FormattedStringText, cst.Name, cst.FunctionDef,
                        cst.ClassDef, cst.Decorator, cst.IfExp, cst.Arg, cst.Lambda, cst.ExceptHandler, cst.Comment})
    paths = sorted((root / "tests" / "fixtures").rglob("*.py")) + sorted((root / "src").rglob("*.py"))
    checked = 0
    for path in paths:
        try:
            module = cst.parse_module(path.read_bytes())
        except Exception:  # noqa: BLE001 - adversarial fixtures may not parse
            continue
        visited, walked = FileFacts(module, wanted), FileFacts(module, wanted)
        module.visit(visited)
        walked.walk(module)
        shape = lambda facts: [(id(n), i.order, id(i.scope.node), id(i.statement)) for n, i in facts.collected if not isinstance(n, cst.Comment)]  # noqa: E731
        assert shape(walked) == shape(visited), path
        comments = lambda facts: sorted(id(n) for n, _ in facts.collected if isinstance(n, cst.Comment))  # noqa: E731
        assert comments(walked) == comments(visited), path
        assert walked.imports == visited.imports
        # without Comment in `wanted` the walk skips whitespace, operators and brackets: same nodes
        lean = FileFacts(module, wanted - {cst.Comment})
        lean.walk(module)
        assert shape(lean) == shape(visited), path
        checked += 1
    assert checked > 40


def test_the_unvalidated_parse_builds_the_same_tree_and_restores_validation():
    """analyse parses without LibCST's per-node re-validation (a tenth of the time); the tree must
    be LibCST's own, and hand-built nodes must be validated again afterwards."""
    from pathlib import Path

    from keylint import analyse

    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "src" / "keylint").rglob("*.py")) + sorted((root / "examples").rglob("*.py"))
    for path in paths:
        source = path.read_text(encoding="utf-8")
        assert analyse._parse_unvalidated(source).deep_equals(cst.parse_module(source)), path
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
    with pytest.raises(analyse.ParseFailure):
        analyse.analyse("def f(:\n", [], None, "x.py", True, True)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
