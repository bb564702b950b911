import os
import urllib.request

import flask
import httpx
import requests

API_KEY = os.environ["MAPS_API_KEY"]
token_url = "https://auth.example/oauth/token"


def geocode(address):
    # ruleid: keylint.python.credential-in-url-query
    return requests.get(f"https://maps.example/geocode?address={address}&key={API_KEY}")


def geocode_concat(address):
    # ruleid: keylint.python.credential-in-url-query
    return httpx.get("https://maps.example/geocode?api_key=" + API_KEY)


def geocode_format(address):
    # ruleid: keylint.python.credential-in-url-query
    return requests.post("https://maps.example/geocode?access_token={}".format(API_KEY))


def geocode_built_earlier(address):
    url = f"https://maps.example/geocode?q={address}&apikey={API_KEY}"
    # ruleid: keylint.python.credential-in-url-query
    return requests.get(url, timeout=5)


def geocode_urllib(address):
    # ruleid: keylint.python.credential-in-url-query
    return urllib.request.urlopen(f"https://maps.example/geocode?token={API_KEY}")


def geocode_session(address):
    session = requests.Session()
    # ruleid: keylint.python.credential-in-url-query
    return session.get(f"https://maps.example/geocode?q={address}&client_secret={API_KEY}")


def login_redirect(token):
    # ruleid: keylint.python.credential-in-url-query
    return flask.redirect(f"https://app.example/welcome?access_token={token}")


def page_two():
    # ok: keylint.python.credential-in-url-query
    return requests.get("https://api.example/items?page=2&per_page=50")


def header_key(address):
    # ok: keylint.python.credential-in-url-query
    return requests.get(f"https://maps.example/geocode?address={address}", headers={"X-API-Key": API_KEY})


def fetch_token(code):
    # ok: keylint.python.credential-in-url-query
    return requests.post(token_url, data={"code": code, "grant_type": "authorization_code"})


def token_path():
    # ok: keylint.python.credential-in-url-query
    return httpx.get("https://auth.example/token?grant_type=client_credentials&token_type=bearer")


def monkey_key():
    # a parameter named like, but not equal to, a credential name
    # ok: keylint.python.credential-in-url-query
    return requests.get("https://api.example/items?sort_key=name&keyword=token")
