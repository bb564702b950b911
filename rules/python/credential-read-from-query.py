from flask import Flask, abort, request

app = Flask(__name__)
API_KEY_HEADER = "X-API-Key"


@app.route("/report")
def report():
    # ruleid: keylint.python.credential-read-from-query
    key = request.args.get("api_key")
    if not key:
        abort(401)
    return "ok"


@app.route("/feed")
def feed():
    # ruleid: keylint.python.credential-read-from-query
    token = request.args["token"]
    return token


@app.route("/values")
def values():
    # ruleid: keylint.python.credential-read-from-query
    return request.values.get("access_token", "")


def django_view(request):
    # ruleid: keylint.python.credential-read-from-query
    secret = request.GET.get("client_secret")
    return secret


async def starlette_endpoint(request):
    # ruleid: keylint.python.credential-read-from-query
    return request.query_params.get("apiKey")


async def aiohttp_handler(request):
    # ruleid: keylint.python.credential-read-from-query
    return request.query.get("token")


@app.route("/header")
def header_key():
    # ok: keylint.python.credential-read-from-query
    return request.headers.get(API_KEY_HEADER)


@app.route("/items")
def items():
    # ok: keylint.python.credential-read-from-query
    page = request.args.get("page", 1)
    return str(page)


@app.route("/token-type")
def token_type():
    # ok: keylint.python.credential-read-from-query
    return request.args.get("token_type", "bearer")


def orm(User, token_id):
    # ok: keylint.python.credential-read-from-query
    return User.query.get(token_id)
