import os

import httpx
import requests

API_KEY = os.environ["WEATHER_API_KEY"]
API_KEY_HEADER = "X-API-Key"


def weather(city):
    # ruleid: keylint.python.credential-in-query-params
    return requests.get("https://api.weather.example/v1", params={"q": city, "api_key": API_KEY})


def weather_httpx(city):
    # ruleid: keylint.python.credential-in-query-params
    return httpx.get("https://api.weather.example/v1", params={"q": city, "apiKey": API_KEY})


def weather_pairs(city):
    # ruleid: keylint.python.credential-in-query-params
    return requests.get("https://api.weather.example/v1", params=[("q", city), ("access_token", API_KEY)])


def weather_dict_call(city):
    # ruleid: keylint.python.credential-in-query-params
    return requests.post("https://api.weather.example/v1", params=dict(q=city, token=API_KEY))


def weather_variable(city):
    query = {"q": city, "key": API_KEY}
    # ruleid: keylint.python.credential-in-query-params
    return requests.get("https://api.weather.example/v1", params=query)


def weather_session(city):
    session = requests.Session()
    # ruleid: keylint.python.credential-in-query-params
    return session.get("https://api.weather.example/v1", params={"q": city, "client_secret": API_KEY})


async def weather_async(city):
    async with httpx.AsyncClient() as client:
        # ruleid: keylint.python.credential-in-query-params
        return await client.get("https://api.weather.example/v1", params={"q": city, "token": API_KEY})


# ruleid: keylint.python.credential-in-query-params
CLIENT = httpx.Client(base_url="https://api.weather.example", params={"api_key": API_KEY})


def weather_header(city):
    # ok: keylint.python.credential-in-query-params
    return requests.get("https://api.weather.example/v1", params={"q": city}, headers={API_KEY_HEADER: API_KEY})


def weather_bearer(city):
    # ok: keylint.python.credential-in-query-params
    return httpx.get("https://api.weather.example/v1", params={"q": city, "page": 2}, headers={"Authorization": f"Bearer {API_KEY}"})


def token_exchange(code):
    # credentials in a form body are not in the URL
    # ok: keylint.python.credential-in-query-params
    return requests.post("https://auth.example/token", data={"code": code, "client_secret": API_KEY})


def sql(cursor, key):
    # ok: keylint.python.credential-in-query-params
    return cursor.execute("SELECT * FROM t WHERE k = %(key)s", params={"key": key})


def token_type(city):
    # a parameter whose value mentions a token is not a credential name
    # ok: keylint.python.credential-in-query-params
    return requests.get("https://api.example/v1", params={"token_type": "bearer", "grant": "token"})
